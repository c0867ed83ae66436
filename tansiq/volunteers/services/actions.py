"""What applications ask of a person, for the signed-in home page ("needs my action").

- a volunteer: places offered to take before their deadline, accepted places to confirm;
- an organisation's owners and admins: applications to decide, one item per opportunity.

Most people have nothing here, and the home page has a budget: the ids of everyone who has
something (volunteers with a place to confirm or an offer to answer, coordinators of organisations
with applications to decide) are kept in the cache, the same entry for everyone, read with the home
page's one cache statement. A person not among them costs no query; one among them, two. The entry
is forgotten whenever an application or a booked shift changes (and lasts ``INVOLVED_SECONDS`` at
most, for changes made by bulk updates elsewhere).
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tansiq.core.actions import Item
from tansiq.network.models import Membership
from tansiq.volunteers.models import Application, Booking, Opportunity
from tansiq.volunteers.queries.applications import COORDINATORS, TO_DECIDE, coordinated_organisations

INVOLVED_KEY = "tansiq:volunteers:involved"
INVOLVED_SECONDS = 600


def cache_keys(user) -> list[str]:
    return [INVOLVED_KEY]


def forget_involved(**kwargs) -> None:
    transaction.on_commit(lambda: cache.delete(INVOLVED_KEY))


def involved() -> frozenset[int]:
    """The ids of the people who have something to do about applications."""
    found = cache.get(INVOLVED_KEY)
    if found is None:
        volunteers = Application.objects.filter(
            Q(state=Application.State.ACCEPTED) | Q(bookings__state=Booking.State.OFFERED)
        ).values_list("profile__user_id", flat=True)
        coordinators = Membership.objects.filter(
            role__in=COORDINATORS, organisation__volunteer_opportunities__applications__state__in=TO_DECIDE
        ).values_list("user_id", flat=True)
        found = frozenset(volunteers) | frozenset(coordinators)
        cache.set(INVOLVED_KEY, found, INVOLVED_SECONDS)
    return found


def items_for(user) -> list[Item]:
    if user.pk not in involved():
        return []
    return [*_volunteer_items(user), *_coordinator_items(user)]


def _volunteer_items(user) -> list[Item]:
    mine = (
        Application.objects.filter(profile__user=user)
        .filter(Q(state=Application.State.ACCEPTED) | Q(bookings__state=Booking.State.OFFERED))
        .select_related("opportunity")
        .annotate(offer_until=Min("bookings__offer_expires_at", filter=Q(bookings__state=Booking.State.OFFERED)))
        .order_by("pk")
        .distinct()
    )
    items = []
    for application in mine:
        if application.offer_until is not None:
            items.append(
                Item(
                    title=_("A place is offered to you: %(title)s") % {"title": application.opportunity.title},
                    url=reverse("volunteers:my_applications"),
                    kind=_("Place offered"),
                    deadline=timezone.localdate(application.offer_until),
                    urgent=True,
                )
            )
        if application.state == Application.State.ACCEPTED:
            items.append(
                Item(
                    title=_("Confirm your place: %(title)s") % {"title": application.opportunity.title},
                    url=reverse("volunteers:confirm", args=[application.uuid]),
                    kind=_("Place to confirm"),
                )
            )
    return items


def _coordinator_items(user) -> list[Item]:
    opportunities = (
        Opportunity.objects.filter(organisation__in=coordinated_organisations(user))
        .annotate(to_decide=Count("applications", filter=Q(applications__state__in=TO_DECIDE)))
        .filter(to_decide__gt=0)
        .order_by("pk")
    )
    return [
        Item(
            title=_("Applications to decide: %(title)s") % {"title": opportunity.title},
            detail=_("%(count)s waiting") % {"count": opportunity.to_decide},
            url=reverse("volunteers:roster", args=[opportunity.uuid]) + "?state=submitted",
            kind=_("Volunteer applications"),
        )
        for opportunity in opportunities
    ]
