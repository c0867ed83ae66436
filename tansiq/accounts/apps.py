from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tansiq.accounts"
    label = "accounts"
    verbose_name = _("People and access")

    def ready(self) -> None:
        from tansiq.accounts import dashboard, signals  # noqa: F401

        dashboard.register()
