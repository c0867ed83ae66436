from __future__ import annotations

from types import SimpleNamespace

from allauth.account.adapter import DefaultAccountAdapter
from allauth.mfa.adapter import DefaultMFAAdapter
from django.conf import settings
from django.contrib.auth import get_user_model
from django.utils import translation

from tansiq.core import email as core_email


class AccountAdapter(DefaultAccountAdapter):
    def save_user(self, request, user, form, commit=True):
        user = super().save_user(request, user, form, commit=False)
        user.display_name = form.cleaned_data.get("display_name", "") or ""
        language = translation.get_language()
        user.language = language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE
        if commit:
            user.save()
        return user

    def send_mail(self, template_prefix, email, context):
        """Render in the recipient's language (their preference, else the page's) and queue it."""
        user = context.get("user")
        language = getattr(user, "language", "") or translation.get_language() or settings.LANGUAGE_CODE
        current = context.get("current_site")
        # allauth's templates greet "from {{ current_site.name }}": our network's name, not a host name.
        site = SimpleNamespace(name=_site_name(), domain=getattr(current, "domain", ""))
        context = {**context, "email": email, "current_site": site}
        # Kept in the person's inbox too (when there is an account), as a security message.
        from tansiq.accounts.apps import SECURITY

        account = user if isinstance(user, get_user_model()) and user.pk else None
        core_email.send_templated(template_prefix, context, to=email, language=language, user=account, kind=SECURITY)

    def get_login_redirect_url(self, request):
        return super().get_login_redirect_url(request)


def _site_name() -> str:
    from tansiq.core.dashboard import site_identity

    identity = site_identity()
    return identity.name if identity else settings.TANSIQ_SITE_NAME


class MFAAdapter(DefaultMFAAdapter):
    """Authenticator secrets are stored encrypted (Fernet, key derived from the secret key)."""

    def get_totp_issuer(self) -> str:
        return _site_name()

    def encrypt(self, text: str) -> str:
        return _fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return _fernet().decrypt(encrypted_text.encode()).decode()


def _fernet():
    from tansiq.core.crypto import fernet

    return fernet("tansiq-mfa-secrets")
