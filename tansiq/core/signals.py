from django.conf import settings
from django.core.management import call_command


def create_cache_table(**kwargs) -> None:
    """The database cache (rate limits) needs its table; `createcachetable` is idempotent."""
    if settings.CACHES["default"]["BACKEND"].endswith("DatabaseCache"):
        call_command("createcachetable", database=kwargs.get("using", "default"), verbosity=0)
