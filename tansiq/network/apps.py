from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "tansiq.network"
    label = "network"
    verbose_name = _("Network registry")

    def ready(self) -> None:
        from tansiq.network import dashboard, signals  # noqa: F401

        dashboard.register()
