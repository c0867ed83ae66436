from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class SearchConfig(AppConfig):
    name = "tansiq.core.search"
    label = "search"
    verbose_name = _("Search")

    def ready(self) -> None:
        from tansiq.core.search import backends

        # The full-text structures (FTS5 table and triggers, tsvector column and GIN index) are
        # created by migration 0001; a database built without migrations (the test suite's) gets
        # them here. Both are idempotent.
        post_migrate.connect(backends.install_after_migrate, sender=self, dispatch_uid="search-install")
