from django.db import migrations

from tansiq.core.search.backends import RunSQLOn, postgres


class Migration(migrations.Migration):
    """PostgreSQL: each row's eras beside its tsvector, in one GIN index, so that a search reads the
    newest matches first (tansiq/core/search/backends/postgres.py). Nothing changes on SQLite."""

    dependencies = [("search", "0001_initial")]

    operations = [
        RunSQLOn("postgresql", [*postgres.ERAS_UPGRADE_SQL, *postgres.INSTALL_SQL], migrations.RunSQL.noop),
    ]
