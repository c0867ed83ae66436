from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

SECURITY = "accounts.security"


class AccountsConfig(AppConfig):
    name = "tansiq.accounts"
    label = "accounts"
    verbose_name = _("People and access")

    def ready(self) -> None:
        from tansiq.accounts import dashboard, signals  # noqa: F401

        dashboard.register()
        from tansiq.core import notify

        # Every e-mail of the sign-in machinery (confirmations, password resets, changed passwords or
        # addresses, two-factor changes) is a security message: e-mailed at once, never switched
        # off; some carry a one-time link or code, so the inbox keeps the subject only.
        notify.register_kind(SECURITY, _("Security of your account"), security=True, keep_body=False, order=0)
