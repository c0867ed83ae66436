from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tansiq.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        from tansiq.core import audit, dashboard, signals

        audit.connect_admin_log()
        dashboard.register_card("core.audit_recent", dashboard.recent_changes_card, order=900)
        from django.db.backends.signals import connection_created

        from tansiq.core.middleware import install_query_counter

        connection_created.connect(install_query_counter, dispatch_uid="tansiq-query-counter")
        post_migrate.connect(signals.create_cache_table, sender=self)
