from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "tansiq.core"
    label = "core"
    verbose_name = _("Platform")

    def ready(self) -> None:
        import datetime as dt

        from tansiq.core import audit, dashboard, schedule, signals, thirdparty
        from tansiq.core.tasks import cull_cache

        thirdparty.name_apps()

        audit.connect_admin_log()
        dashboard.register_card("core.audit_recent", dashboard.recent_changes_card, order=900)
        from django.core.signals import request_finished
        from django.db.backends.signals import connection_created

        from tansiq.core.middleware import drop_faulty_connections, install_query_counter

        connection_created.connect(install_query_counter, dispatch_uid="tansiq-query-counter")
        request_finished.connect(drop_faulty_connections, dispatch_uid="tansiq-drop-faulty-connections")
        post_migrate.connect(signals.create_cache_table, sender=self)
        schedule.daily("core.cull-cache", cull_cache, at=dt.time(3, 30))
        from tansiq.core import notify

        schedule.daily("core.notify-digest", notify.send_daily_digests, at=dt.time(6, 30))
        from django.contrib.auth.signals import user_logged_in

        user_logged_in.connect(notify.count_unread_on_sign_in, dispatch_uid="tansiq-unread-on-sign-in")
        from tansiq.core.cache import read_on_every_request
        from tansiq.core.search.backends.postgres import NEWEST_KEY
        from tansiq.core.search.services import VERSION_KEY

        read_on_every_request(dashboard.SITE_CACHE_KEY, VERSION_KEY, NEWEST_KEY, notify.unread_keys_of_reader)
        from django.db.models.signals import post_delete, post_save

        from tansiq.core.models import SiteIdentity

        post_save.connect(signals.forget_site_identity, sender=SiteIdentity, dispatch_uid="tansiq-site-identity")
        post_delete.connect(signals.forget_site_identity, sender=SiteIdentity, dispatch_uid="tansiq-site-identity-d")
