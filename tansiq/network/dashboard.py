"""The registry's header link and home-page figure (registered from NetworkConfig.ready())."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tansiq.core.dashboard import Card, NavLink, Section, register_card, register_nav, register_section
from tansiq.core.rules import is_secretariat
from tansiq.network.caching import network_stats_key
from tansiq.network.queries.directory import acting_for, default_network_slug, network_stats
from tansiq.network.rules import MANAGERS, is_unit_admin


def _has_network(request) -> bool:
    return default_network_slug() is not None


def _is_secretariat(request) -> bool:
    # The predicate itself, not user.has_perm(): no permission tables read for a header link.
    return request.user.is_authenticated and is_secretariat(request.user)


def _keeps_units(request) -> bool:
    """The secretariat and unit admins (one cached lookup) see the link to the units page."""
    return _is_secretariat(request) or (request.user.is_authenticated and is_unit_admin(request.user))


def _members(request) -> Card | None:
    slug = default_network_slug()
    if slug is None:
        return None
    # Figures computed from the register, never typed.
    stats = network_stats(slug=slug)
    return Card(
        title=_("Member organisations"),
        value=stats.members,
        icon="buildings",
        url=reverse("network:directory", args=[slug]),
        # A national council's members all come from one country: no "from 1 country".
        caption=(
            ngettext("from %(shown)s country", "from %(shown)s countries", stats.countries) % {"shown": stats.countries}
            if stats.countries > 1
            else ""
        ),
    )


def _signed_in(request) -> bool:
    return request.user.is_authenticated


def _my_organisations(request) -> Section | None:
    """The signed-in home page's "My organisations": roles and networks' states (two queries)."""
    if not request.user.is_authenticated:
        return None
    return Section(
        "network/_home_my_organisations.html", {"memberships": acting_for(request.user), "managers": MANAGERS}
    )


def _members_keys(request) -> list[str]:
    slug = default_network_slug()
    return [network_stats_key(None, slug=slug)] if slug else []


def register() -> None:
    register_nav(
        "network.members",
        NavLink(
            label=_("Members"),
            url_name="network:members",
            order=20,
            visible=_has_network,
            sections=("network:network", "network:directory", "network:committee", "network:organisation"),
        ),
    )
    register_nav(
        "network.applications",
        NavLink(
            label=_("Applications"),
            url_name="network:application_queue",
            order=21,
            visible=_is_secretariat,
            sections=("network:application", "network:application_review"),
            manage=True,
        ),
    )
    register_nav(
        "network.units",
        NavLink(
            label=_("Units"),
            url_name="network:default_units",
            order=22,
            visible=_keeps_units,
            sections=("network:units", "network:unit"),
            manage=True,
        ),
    )
    register_nav(
        "network.my_organisations",
        NavLink(
            label=_("My organisations"),
            url_name="network:my_organisations",
            order=10,
            visible=_signed_in,
            sections=("network:register_organisation",),
            account=True,
        ),
    )
    register_card("network.members", _members, order=5, cache_keys=_members_keys)
    register_section("network.my_organisations", _my_organisations, order=10)
