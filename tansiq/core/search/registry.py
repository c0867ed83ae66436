"""What apps make searchable, and who belongs where: two registries filled from ``AppConfig.ready()``.

An app that owns searchable things registers each kind once::

    from tansiq.core.search import register

    register(
        "organisation",
        Organisation,
        build=lambda org: {"title": org.name, "body": org.description, "url": org.get_absolute_url(),
                           "language": org.language, "visibility": "public", "country": org.country,
                           "network_id": org.network_id, "organisation_id": org.pk},
        queryset=lambda: Organisation.objects.select_related("network"),
        label=_("Organisations"),
    )

``build(obj)`` returns the keyword arguments of ``index_document`` (``title``, ``body``, ``url``,
``language``, ``visibility`` and facets), or None when the object must not be found (a draft).
The indexed title holds every name (all are searched); ``title=lambda obj: obj.name`` names the
object in the reader's language in the results instead (one query per kind and page of results).
Saves and deletes of the model re-index the object after the transaction commits, in a
background task; ``tansiq reindex`` rebuilds a kind from ``queryset()``.

Core cannot know who belongs to which network or organisation, so the app that does registers an
audience provider: ``register_audience_provider(func)``, ``func(user) -> (network_ids,
organisation_ids)``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial

from django.db import transaction
from django.db.models import Model, QuerySet
from django.db.models.signals import post_delete, post_save
from django.utils.functional import Promise

AudienceProvider = Callable[[object], tuple[Iterable[int], Iterable[int]]]


@dataclass(frozen=True)
class Searchable:
    kind: str
    model: type[Model]
    build: Callable[[Model], dict | None]
    queryset: Callable[[], QuerySet]
    key: Callable[[Model], str]
    label: str | Promise
    title: Callable[[Model], str] | None = None


_searchables: dict[str, Searchable] = {}
_audience_providers: list[AudienceProvider] = []


def _pk(obj: Model) -> str:
    return str(obj.pk)


def register(
    kind: str,
    model: type[Model],
    *,
    build: Callable[[Model], dict | None],
    queryset: Callable[[], QuerySet] | None = None,
    key: Callable[[Model], str] = _pk,
    label: str | Promise | None = None,
    title: Callable[[Model], str] | None = None,
) -> None:
    """Make ``model`` searchable as ``kind`` (see the module's docstring)."""
    if not kind or len(kind) > 50:
        raise ValueError(f"A search kind is a short name, not {kind!r}")
    if kind in _searchables and _searchables[kind].model is not model:
        raise ValueError(f"Search kind {kind!r} is already registered for {_searchables[kind].model.__name__}")
    _searchables[kind] = Searchable(
        kind=kind,
        model=model,
        build=build,
        queryset=queryset or model._default_manager.all,
        key=key,
        label=label or model._meta.verbose_name_plural,
        title=title,
    )
    post_save.connect(_saved, sender=model, dispatch_uid=f"tansiq-search-save:{kind}", weak=False)
    post_delete.connect(_deleted, sender=model, dispatch_uid=f"tansiq-search-delete:{kind}", weak=False)


def unregister(kind: str) -> None:
    """Forget ``kind`` (tests); its documents stay until ``remove_document`` or a reindex."""
    searchable = _searchables.pop(kind, None)
    if searchable is not None:
        post_save.disconnect(sender=searchable.model, dispatch_uid=f"tansiq-search-save:{kind}")
        post_delete.disconnect(sender=searchable.model, dispatch_uid=f"tansiq-search-delete:{kind}")


def searchable(kind: str) -> Searchable | None:
    return _searchables.get(kind)


def searchables() -> list[Searchable]:
    return sorted(_searchables.values(), key=lambda item: item.kind)


def kind_label(kind: str) -> str | Promise:
    found = _searchables.get(kind)
    return found.label if found else kind


def _kinds_of(model: type[Model]) -> list[Searchable]:
    return [item for item in _searchables.values() if item.model is model]


def _saved(sender, instance, using, **kwargs) -> None:
    from tansiq.core.search.tasks import refresh_document

    for item in _kinds_of(sender):
        transaction.on_commit(partial(refresh_document.enqueue, item.kind, str(instance.pk)), using=using)


def _deleted(sender, instance, using, **kwargs) -> None:
    from tansiq.core.search.tasks import drop_document

    for item in _kinds_of(sender):
        # The key is read now: after the commit the object is gone.
        transaction.on_commit(partial(drop_document.enqueue, item.kind, item.key(instance)), using=using)


# --- audiences -------------------------------------------------------------------------------------


def register_audience_provider(provider: AudienceProvider) -> None:
    """``provider(user) -> (network_ids, organisation_ids)``: the ones ``user`` is a member of."""
    if provider not in _audience_providers:
        _audience_providers.append(provider)


def unregister_audience_provider(provider: AudienceProvider) -> None:
    if provider in _audience_providers:
        _audience_providers.remove(provider)


def audience_providers() -> list[AudienceProvider]:
    return list(_audience_providers)
