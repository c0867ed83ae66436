from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NetworkConfig(AppConfig):
    name = "tansiq.network"
    label = "network"
    verbose_name = _("Network registry")

    def ready(self) -> None:
        import datetime as dt

        from tansiq.core import schedule
        from tansiq.network import actions, dashboard, search, signals  # noqa: F401
        from tansiq.network.services.compliance import remind_of_compliance_dates

        dashboard.register()
        actions.register()
        from tansiq.core.cache import read_on_every_request
        from tansiq.network import caching

        read_on_every_request(*caching.keys_read_on_every_request())
        search.register_organisations()
        schedule.daily("network.compliance-reminders", remind_of_compliance_dates, at=dt.time(7, 0))
        from tansiq.network.services.importing import delete_stale_uploads

        schedule.daily("network.delete-stale-uploads", delete_stale_uploads, at=dt.time(4, 0))
