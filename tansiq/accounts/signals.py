"""Security events go to the audit log (who, when; never the password or code)."""

from allauth.account.signals import email_changed, password_changed, password_reset
from allauth.mfa.signals import authenticator_added, authenticator_removed
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from tansiq.core import audit


@receiver(user_logged_in, dispatch_uid="tansiq-audit-login")
def _logged_in(sender, request, user, **kwargs):
    # Only staff sign-ins are audited: they can change other people's data.
    if getattr(user, "is_platform_staff", False):
        audit.record("security", by=user, obj=user, changes={"event": "login"})


@receiver(password_changed, dispatch_uid="tansiq-audit-password-changed")
@receiver(password_reset, dispatch_uid="tansiq-audit-password-reset")
def _password(sender, request, user, **kwargs):
    audit.record("security", by=user, obj=user, changes={"event": "password"})


@receiver(email_changed, dispatch_uid="tansiq-audit-email-changed")
def _email(sender, request, user, from_email_address, to_email_address, **kwargs):
    audit.record("security", by=user, obj=user, changes={"event": "email"})


@receiver(authenticator_added, dispatch_uid="tansiq-audit-mfa-added")
def _mfa_added(sender, request, user, authenticator, **kwargs):
    audit.record("security", by=user, obj=user, changes={"event": "mfa_on", "type": authenticator.type})


@receiver(authenticator_removed, dispatch_uid="tansiq-audit-mfa-removed")
def _mfa_removed(sender, request, user, authenticator, **kwargs):
    audit.record("security", by=user, obj=user, changes={"event": "mfa_off", "type": authenticator.type})
