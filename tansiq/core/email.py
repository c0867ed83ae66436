"""E-mail from templates, in the recipient's language, sent by a background task.

Templates live at ``<prefix>_subject.txt``, ``<prefix>_message.txt`` and optionally
``<prefix>_message.html``; the HTML one extends ``core/email/base.html`` which sets ``dir``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

from tansiq.core.tasks import deliver_email


def render(template_prefix: str, context: dict, *, language: str) -> tuple[str, str, str]:
    language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
    with translation.override(language):
        context = {
            **context,
            "LANGUAGE_CODE": language,
            "LANGUAGE_DIR": "rtl" if translation.get_language_bidi() else "ltr",
            "site_name": _site_name(),
        }
        subject = " ".join(render_to_string(f"{template_prefix}_subject.txt", context).split())
        text = render_to_string(f"{template_prefix}_message.txt", context)
        try:
            html = render_to_string(f"{template_prefix}_message.html", context)
        except TemplateDoesNotExist:
            html = ""
    return subject, text, html


def _site_name() -> str:
    from tansiq.core.dashboard import site_identity

    identity = site_identity()
    return identity.name if identity else settings.TANSIQ_SITE_NAME


def send_templated(template_prefix: str, context: dict, *, to: str, language: str) -> None:
    """Render now (in ``language``) and hand the message to the task queue after commit."""
    subject, text, html = render(template_prefix, context, language=language)
    transaction.on_commit(lambda: deliver_email.enqueue([to], subject, text, html))


def send_to_user(user, template_prefix: str, context: dict) -> None:
    send_templated(template_prefix, {"user": user, **context}, to=user.email, language=user.language)
