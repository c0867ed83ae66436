"""Registries apps fill from ``AppConfig.ready()``: dashboard cards on the home page.

A card is a callable that takes the request and returns ``Card`` or None (nothing to show this
user). Cards must be cheap: one aggregate query each, because the home page has a query budget.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.core.cache import cache
from django.utils.functional import Promise


@dataclass(frozen=True)
class Card:
    title: str | Promise
    value: int | float | str
    icon: str = "bar-chart"
    url: str = ""
    caption: str | Promise = ""


_cards: dict[str, tuple[int, Callable]] = {}
_card_keys: dict[str, Callable] = {}


def register_card(name: str, provider: Callable, *, order: int = 100, cache_keys: Callable | None = None) -> None:
    """``cache_keys(request)`` (optional): the cache keys the card reads, fetched for all cards in
    one statement before any card runs (the database cache remembers them for the request)."""
    _cards[name] = (order, provider)
    if cache_keys is not None:
        _card_keys[name] = cache_keys


def card_cache_keys(request) -> list[str]:
    return [key for name, keys_of in _card_keys.items() if name in _cards for key in keys_of(request)]


def cards_for(request) -> list[Card]:
    result = []
    for _order, provider in sorted(_cards.values(), key=lambda item: item[0]):
        card = provider(request)
        if card is not None:
            result.append(card)
    return result


@dataclass(frozen=True)
class NavLink:
    label: str | Promise
    url_name: str
    order: int = 100
    visible: Callable | None = None  # request -> bool; None: everyone
    # View names (``app:view``) under which this link is the current section; default: its own.
    sections: tuple[str, ...] = ()
    # Work pages of the few who keep the register go in the header's "Manage" menu, so the header
    # stays on one line at 1280 px in every language.
    manage: bool = False
    # Pages about the person themselves go in the account menu (beside profile and notifications).
    account: bool = False


_nav: dict[str, NavLink] = {}


def register_nav(name: str, link: NavLink) -> None:
    """An app adds an entry to the header navigation (from its AppConfig.ready())."""
    _nav[name] = link


def nav_for(request) -> list[dict]:
    from django.urls import reverse

    current = getattr(getattr(request, "resolver_match", None), "view_name", "") or ""
    links = []
    for link in sorted(_nav.values(), key=lambda item: item.order):
        if link.visible is None or link.visible(request):
            active = current in (link.url_name, *link.sections)
            links.append(
                {
                    "label": link.label,
                    "url": reverse(link.url_name),
                    "active": active,
                    "manage": link.manage,
                    "account": link.account,
                }
            )
    return links


@dataclass(frozen=True)
class Section:
    """A part of the signed-in home page an app fills: ``template`` rendered with ``context``."""

    template: str
    context: dict


_sections: dict[str, tuple[int, Callable]] = {}


def register_section(name: str, provider: Callable, *, order: int = 100) -> None:
    """``provider(request)`` returns a ``Section`` or None (nothing for this person). Like cards,
    a section costs a query or two at most: the home page has a budget."""
    _sections[name] = (order, provider)


def sections_for(request) -> list[Section]:
    found = (provider(request) for _order, provider in sorted(_sections.values(), key=lambda item: item[0]))
    return [section for section in found if section is not None]


SITE_CACHE_KEY = "tansiq:site-identity"


def site_identity():
    """The header's network name and logo; cached, cleared when the secretariat edits it."""
    from tansiq.core.models import SiteIdentity

    identity = cache.get(SITE_CACHE_KEY)
    if identity is None:
        identity = SiteIdentity.objects.first() or False
        cache.set(SITE_CACHE_KEY, identity, 24 * 3600)  # forgotten when the secretariat edits it
    return identity or None


def recent_changes_card(request) -> Card | None:
    """For the secretariat: how many changes the audit log recorded in the last 30 days."""
    import datetime as dt

    from django.urls import reverse
    from django.utils import timezone
    from django.utils.translation import gettext_lazy as _

    from tansiq.core.models import AuditEntry

    if not request.user.has_perm("core.view_audit_log"):
        return None
    since = timezone.now() - dt.timedelta(days=30)
    return Card(
        title=_("Changes recorded"),
        value=AuditEntry.objects.filter(at__gte=since).count(),
        icon="journal-text",
        url=reverse("core:audit_log"),
        caption=_("in the last 30 days"),
    )
