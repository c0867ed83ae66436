"""The home page's figure for volunteering: hours approved last year in the first network, linking
to its yearly achievements page (cached: a headline figure may be a few minutes old)."""

from __future__ import annotations

from django.core.cache import cache
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tansiq.core.dashboard import Card

CACHE_SECONDS = 600
HOURS_KEY = "tansiq:card:volunteer-hours"


def _figures() -> dict | None:
    from tansiq.volunteers.queries import achievements

    network = achievements.first_network()
    if network is None:
        return None
    found = achievements.achievements(network, achievements.default_year())
    return {"slug": network.slug, "hours": float(found.hours), "year": found.year}


def hours_card(request) -> Card | None:
    figures = cache.get(HOURS_KEY)
    if figures is None:
        figures = _figures() or {}
        cache.set(HOURS_KEY, figures, CACHE_SECONDS)
    if not figures:
        return None
    return Card(
        title=_("Volunteer hours last year"),
        value=round(figures["hours"]),
        icon="heart",
        url=reverse("volunteers:achievements", args=[figures["slug"]]),
        caption=_("The network's volunteering achievements"),
    )
