from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "tansiq.network"
    label = "network"
    verbose_name = _("Network registry")

    def ready(self) -> None:
        import datetime as dt

        from tansiq.core import schedule
        from tansiq.network import dashboard, search, signals  # noqa: F401
        from tansiq.network.services.compliance import remind_of_compliance_dates

        dashboard.register()
        from tansiq.core.cache import read_on_every_request
        from tansiq.network.queries.directory import DEFAULT_NETWORK_KEY, REGISTRY_VERSION_KEY, focus_key_of_reader
        from tansiq.network.rules import UNITS_VERSION_KEY, units_keys_of_reader

        read_on_every_request(
            DEFAULT_NETWORK_KEY,
            REGISTRY_VERSION_KEY,
            UNITS_VERSION_KEY,
            units_keys_of_reader,
            focus_key_of_reader,
            search.unlisted_keys_of_reader,
        )
        search.register_organisations()
        schedule.daily("network.compliance-reminders", remind_of_compliance_dates, at=dt.time(7, 0))
