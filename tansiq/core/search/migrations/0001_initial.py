from django.db import migrations, models

from tansiq.core.search.backends import RunSQLOn, postgres, sqlite


class Migration(migrations.Migration):
    initial = True

    dependencies = []

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("kind", models.CharField(max_length=50, verbose_name="kind")),
                ("key", models.CharField(max_length=100, verbose_name="key")),
                ("url", models.CharField(blank=True, max_length=500, verbose_name="address")),
                ("title", models.TextField(verbose_name="title")),
                ("body", models.TextField(blank=True, verbose_name="text")),
                ("language", models.CharField(blank=True, max_length=8, verbose_name="language")),
                (
                    "visibility",
                    models.CharField(
                        choices=[
                            ("public", "Everyone"),
                            ("network", "Members of the network"),
                            ("organisation", "Members of the organisation"),
                            ("staff", "Platform staff"),
                        ],
                        default="public",
                        max_length=12,
                        verbose_name="visible to",
                    ),
                ),
                ("organisation_id", models.BigIntegerField(blank=True, null=True, verbose_name="organisation")),
                ("network_id", models.BigIntegerField(blank=True, null=True, verbose_name="network")),
                ("country", models.CharField(blank=True, max_length=2, verbose_name="country")),
                ("date", models.DateField(blank=True, null=True, verbose_name="date")),
                ("title_terms", models.TextField(blank=True)),
                ("body_terms", models.TextField(blank=True)),
                ("indexed_at", models.DateTimeField(auto_now=True, verbose_name="indexed")),
            ],
            options={
                "verbose_name": "search document",
                "verbose_name_plural": "search documents",
                "db_table": "search_document",
                "constraints": [models.UniqueConstraint(fields=("kind", "key"), name="search_document_kind_key")],
            },
        ),
        # The full-text structures, on each database its own (see tansiq/core/search/backends/).
        RunSQLOn("sqlite", list(sqlite.INSTALL_SQL), list(sqlite.UNINSTALL_SQL)),
        RunSQLOn("postgresql", list(postgres.INSTALL_SQL), list(postgres.UNINSTALL_SQL)),
    ]
