"""What waits for a person's action: a registry apps fill from ``AppConfig.ready()``.

A provider is a callable that takes the signed-in user and returns ``Item``s (possibly none)::

    actions.register_provider("network", network_items)

The signed-in home page lists every provider's items, nearest deadline first (items without one
last). Core never imports the apps that provide them. Providers must be cheap: the home page has a
budget of ten queries for everything, so a provider answers in one or two queries and none at all
for a person it has nothing for.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.utils.functional import Promise

URGENT_DAYS = 7  # a deadline this close (or past) is shown as urgent


@dataclass(frozen=True)
class Item:
    title: str | Promise
    url: str
    kind: str | Promise  # what sort of task, shown as a label ("Reference request")
    deadline: dt.date | None = None
    detail: str | Promise = ""
    urgent: bool = False  # the provider's say; a deadline within URGENT_DAYS is urgent anyway

    def status(self, today: dt.date) -> str:
        """``overdue``, ``soon`` (urgent) or ``""``."""
        if self.deadline is not None and self.deadline < today:
            return "overdue"
        if self.urgent or (self.deadline is not None and (self.deadline - today).days <= URGENT_DAYS):
            return "soon"
        return ""


_providers: dict[str, Callable[..., Iterable[Item]]] = {}
_cache_keys: dict[str, Callable[..., list[str]]] = {}


def register_provider(
    name: str, provider: Callable[..., Iterable[Item]], *, cache_keys: Callable[..., list[str]] | None = None
) -> None:
    """``cache_keys(user)`` (optional): the cache keys the provider reads for ``user``; the home page
    fetches them with the figures' in one statement before any provider runs."""
    _providers[name] = provider
    if cache_keys is not None:
        _cache_keys[name] = cache_keys


def unregister_provider(name: str) -> None:
    _providers.pop(name, None)
    _cache_keys.pop(name, None)


def cache_keys_for(user) -> list[str]:
    if not getattr(user, "is_authenticated", False):
        return []
    return [key for name, keys_of in _cache_keys.items() if name in _providers for key in keys_of(user)]


def items_for(user) -> list[Item]:
    """Everything the providers list for ``user``, nearest deadline first; nothing for a visitor."""
    if not getattr(user, "is_authenticated", False):
        return []
    items: list[Item] = []
    for name in sorted(_providers):
        items.extend(_providers[name](user))
    return sorted(items, key=lambda item: (item.deadline is None, item.deadline or dt.date.max, str(item.title)))
