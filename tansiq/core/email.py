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


def send_templated(template_prefix: str, context: dict, *, to: str, language: str, user=None, kind: str = "") -> None:
    """Render now (in ``language``) and hand the message to the task queue after commit.

    A message of a registered notification kind (``kind``, or the kind its template belongs to) to a
    person with an account goes through ``core.notify`` instead: it is kept in their inbox, rendered
    in their language, and e-mailed by their preference. ``user`` defaults to the active account with
    the address ``to``; the context's ``link`` (if any) is the inbox entry's link, and the object under
    the kind's ``object_key`` the object it is about.
    """
    from tansiq.core import notify

    registered = notify.get_kind(kind) if kind else notify.kind_for_template(template_prefix)
    if registered is not None:
        person = user if getattr(user, "pk", None) else _account_of(to)
        if person is not None:
            notify.notify(
                person,
                registered.name,
                template=template_prefix,
                context=context,
                url=str(context.get("link", "")),
                obj=context.get(registered.object_key) if registered.object_key else None,
                to=to,
            )
            return
    subject, text, html = render(template_prefix, context, language=language)
    transaction.on_commit(lambda: deliver_email.enqueue([to], subject, text, html))


def _account_of(address: str):
    from django.contrib.auth import get_user_model

    if not address:
        return None
    return get_user_model().objects.filter(email__iexact=address, is_active=True).order_by("pk").first()


def send_to_user(user, template_prefix: str, context: dict) -> None:
    send_templated(template_prefix, {"user": user, **context}, to=user.email, language=user.language, user=user)
