"""Writes to the search index: one document, many documents, a whole kind rebuilt.

Every write analyses the text here, in Python, with ``tansiq.core.text.analyze``; the database's
full-text structures are built from the analysed columns by the database itself (triggers on
SQLite, a generated column on PostgreSQL), so nothing can write a document without its index.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.utils import timezone
from django.utils.functional import Promise

from tansiq.core.search.backends import backend_for
from tansiq.core.search.models import SearchDocument, Visibility
from tansiq.core.search.parsing import analysed
from tansiq.core.search.registry import Searchable, searchable

TITLE_JOINER = " · "  # between the parts (names) of a title given as a sequence

FACETS = frozenset({"organisation_id", "network_id", "country", "date"})
# PostgreSQL keeps no position past 16 383; both backends index the same first terms of a long text.
MAX_TITLE_TERMS = 200
MAX_INDEXED_TERMS = 16_000
_FIELDS = (
    "url",
    "title",
    "body",
    "language",
    "visibility",
    "organisation_id",
    "network_id",
    "country",
    "date",
    "title_terms",
    "body_terms",
    "indexed_at",
)


# A token that changes with every write to the index (``index_version``).
VERSION_KEY = "tansiq:search:version"


def index_version() -> str:
    """The index's current version: a token that changes whenever a document is written or removed.

    What a reader caches from a search is good while the token it read *before* searching is still
    current. Read it with the cached answer (``cache.get_many([VERSION_KEY, …])``) to save a query.
    """
    return cache.get(VERSION_KEY) or index_changed()


def index_changed() -> str:
    """A new version (called after every write, and again when the write's transaction commits)."""
    token = uuid.uuid4().hex
    cache.set(VERSION_KEY, token, None)
    return token


def _changed() -> None:
    index_changed()
    transaction.on_commit(index_changed)


def _check_url(url: str) -> str:
    # A hit's link is rendered in an href: only our own paths and web addresses, never javascript:.
    if url and not (url.startswith("/") and not url.startswith("//")) and not url.startswith(("https://", "http://")):
        raise ValueError(f"A search document's URL must be a path or an http(s) address, not {url[:40]!r}")
    return url


def document(
    kind: str,
    key: str,
    *,
    title: str | Sequence[str],
    body: str | Sequence[str] = "",
    language: str | None = None,
    url: str = "",
    visibility: str = Visibility.PUBLIC,
    **facets: Any,
) -> SearchDocument:
    """An unsaved ``SearchDocument`` with its text analysed.

    ``title`` and ``body`` are a text or a sequence of parts; parts are analysed one by one (so
    each is read as its own language) and stored joined ("·" in a title, blank lines in a body).
    """
    unknown = set(facets) - FACETS
    if unknown:
        raise TypeError(f"Unknown search facets: {', '.join(sorted(unknown))} (known: {', '.join(sorted(FACETS))})")
    if visibility not in Visibility.values:
        raise ValueError(f"Unknown visibility {visibility!r}: one of {', '.join(Visibility.values)}")
    title, title_terms = _text_and_terms(title, language, TITLE_JOINER)
    title_terms = title_terms[:MAX_TITLE_TERMS]
    body, body_terms = _text_and_terms(body, language, "\n\n")
    body_terms = body_terms[: MAX_INDEXED_TERMS - len(title_terms)]
    date = facets.get("date")
    if isinstance(date, dt.datetime):
        date = date.date()
    return SearchDocument(
        kind=kind,
        key=str(key),
        url=_check_url(url or ""),
        title=title,
        body=body,
        language=language or "",
        visibility=visibility,
        organisation_id=facets.get("organisation_id"),
        network_id=facets.get("network_id"),
        country=(facets.get("country") or "").upper()[:2],
        date=date,
        title_terms=" ".join(title_terms),
        body_terms=" ".join(body_terms),
        indexed_at=timezone.now(),
    )


def _text_and_terms(text: str | Sequence[str], language: str | None, joiner: str) -> tuple[str, list[str]]:
    """A text, or a sequence of parts each analysed on its own (names of one thing in English and
    Malay: the function words of one must not decide how the other's words are stemmed)."""
    if text is None or isinstance(text, str | Promise):
        text = str(text or "")
        return text, analysed(text, language)
    parts = [str(part) for part in text if part]
    return joiner.join(parts), [term for part in parts for term in analysed(part, language)]


def index_document(
    kind: str,
    key: str,
    *,
    title: str | Sequence[str],
    body: str | Sequence[str] = "",
    language: str | None = None,
    url: str = "",
    visibility: str = Visibility.PUBLIC,
    **facets: Any,
) -> None:
    """Add or replace the document ``(kind, key)``.

    ``language`` is the text's language ("ar", "ms", "en") when known; Latin-script text is
    otherwise read as Malay or English by its function words. ``visibility`` is one of public,
    network, organisation, staff; ``facets`` are ``organisation_id``, ``network_id``,
    ``country`` (ISO 3166 alpha-2) and ``date``.
    """
    index_documents(
        [dict(kind=kind, key=key, title=title, body=body, language=language, url=url, visibility=visibility, **facets)]
    )


def index_documents(documents: Iterable[dict[str, Any]], *, batch_size: int = 500) -> int:
    """Add or replace many documents (each a dict of ``index_document``'s arguments); returns how many."""
    done = 0
    for batch in _batches((document(**fields) for fields in documents), batch_size):
        # One upsert may not touch a row twice (PostgreSQL refuses): the last version of a key wins.
        batch = list({(doc.kind, doc.key): doc for doc in batch}.values())
        SearchDocument.objects.bulk_create(
            batch,
            update_conflicts=True,
            unique_fields=["kind", "key"],
            update_fields=list(_FIELDS),
        )
        done += len(batch)
    if done:
        _changed()
    return done


def remove_document(kind: str, key: str) -> None:
    """Remove the document ``(kind, key)``; nothing happens if there is none."""
    SearchDocument.objects.filter(kind=kind, key=str(key)).delete()
    _changed()


def _batches(items: Iterable, size: int) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


# --- registered kinds ------------------------------------------------------------------------------


def fields_of(item: Searchable, obj) -> dict[str, Any] | None:
    built = item.build(obj)
    if built is None:
        return None
    return {"kind": item.kind, "key": item.key(obj), **built}


def refresh(kind: str, pk: str) -> None:
    """Bring the document of one registered object up to date (idempotent)."""
    item = searchable(kind)
    if item is None:
        return
    obj = item.queryset().filter(pk=pk).first()
    if obj is None:
        gone = item.model._default_manager.filter(pk=pk).first()
        if gone is not None:  # still exists but no longer searchable (the queryset leaves it out)
            remove_document(kind, item.key(gone))
        return
    fields = fields_of(item, obj)
    if fields is None:
        remove_document(kind, item.key(obj))
    else:
        index_documents([fields])


def refresh_many(kind: str, pks: Iterable[str], *, batch_size: int = 500) -> int:
    """Bring the documents of many objects up to date at once (after a bulk write that sent no
    signals, e.g. an import); objects no longer searchable lose their document. Returns how many
    were indexed."""
    item = searchable(kind)
    if item is None:
        return 0
    done = dropped = 0
    for batch in _batches(iter(pks), batch_size):
        found = {str(obj.pk): obj for obj in item.queryset().filter(pk__in=batch)}
        built = {pk: fields_of(item, obj) for pk, obj in found.items()}
        fields = [fields for fields in built.values() if fields is not None]
        index_documents(fields, batch_size=batch_size)
        done += len(fields)
        # Out of the queryset, or refused by ``build``: no longer searchable (as ``refresh`` does).
        gone = item.model._default_manager.filter(pk__in=[pk for pk in batch if built.get(str(pk)) is None])
        keys = [str(item.key(obj)) for obj in gone]
        dropped += SearchDocument.objects.filter(kind=kind, key__in=keys).delete()[0]
    if done or dropped:
        _changed()
    return done


def rebuild(kind: str, *, batch_size: int = 500, progress: Callable[[int, int], None] | None = None) -> int:
    """Index every object of a registered kind again and drop documents of objects that are gone.

    Readers keep finding the old documents while the rebuild runs; stale ones go at the end.
    Works on a live site: each batch is read in full (by primary key, after the last one) before
    its short write transaction starts, so no read cursor stays open across a write (on SQLite,
    that turns another process's write into "database is locked"), and the lock is held for one
    batch at a time, never for the whole kind.
    """
    item = searchable(kind)
    if item is None:
        raise KeyError(kind)
    started = timezone.now()
    queryset = item.queryset().order_by("pk")
    total = queryset.count()
    done = 0
    if progress:
        progress(0, total)
    last = None
    while True:
        batch = list((queryset if last is None else queryset.filter(pk__gt=last))[:batch_size])
        if not batch:
            break
        last = batch[-1].pk
        fields = [built for built in (fields_of(item, obj) for obj in batch) if built is not None]
        with transaction.atomic():
            index_documents(fields, batch_size=batch_size)
        done += len(batch)
        if progress:
            progress(done, total)
    stale = SearchDocument.objects.filter(kind=kind, indexed_at__lt=started)
    while ids := list(stale.values_list("pk", flat=True)[:batch_size]):
        SearchDocument.objects.filter(pk__in=ids).delete()
    _changed()
    return done


def optimize() -> None:
    backend_for(connection).optimize(connection)
