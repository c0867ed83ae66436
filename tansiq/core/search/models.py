"""The search index: one row per searchable thing, whichever app owns it.

A row keeps what a hit shows (title, body, URL), what decides who may see it (visibility and the
owning organisation and network, as plain ids: core knows nothing of the network app's tables),
the facets, and the analysed text (``tansiq.core.text.analyze``) that the full-text structures of
each database are built from: an FTS5 table on SQLite, a tsvector column on PostgreSQL
(``tansiq.core.search.backends``).
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Everyone")
    NETWORK = "network", _("Members of the network")
    ORGANISATION = "organisation", _("Members of the organisation")
    STAFF = "staff", _("Platform staff")


class SearchDocument(models.Model):
    kind = models.CharField(_("kind"), max_length=50)
    key = models.CharField(_("key"), max_length=100)
    url = models.CharField(_("address"), max_length=500, blank=True)
    title = models.TextField(_("title"))
    body = models.TextField(_("text"), blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    visibility = models.CharField(_("visible to"), max_length=12, choices=Visibility.choices, default=Visibility.PUBLIC)
    organisation_id = models.BigIntegerField(_("organisation"), null=True, blank=True)
    network_id = models.BigIntegerField(_("network"), null=True, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    # Index terms, space-separated, in order: what both backends match against.
    title_terms = models.TextField(blank=True)
    body_terms = models.TextField(blank=True)
    indexed_at = models.DateTimeField(_("indexed"), auto_now=True)

    class Meta:
        db_table = "search_document"
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [models.UniqueConstraint(fields=["kind", "key"], name="search_document_kind_key")]

    def __str__(self) -> str:
        return f"{self.kind}:{self.key}"
