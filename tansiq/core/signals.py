from django.conf import settings
from django.core.management import call_command


def create_cache_table(**kwargs) -> None:
    """The database cache (rate limits) needs its table; `createcachetable` is idempotent."""
    if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        call_command("createcachetable", database=kwargs.get("using", "default"), verbosity=0)


def forget_site_identity(**kwargs) -> None:
    """The header's name and logo changed (back office, demo loader, shell): read them afresh."""
    from django.core.cache import cache

    from tansiq.core.dashboard import SITE_CACHE_KEY

    cache.delete(SITE_CACHE_KEY)
