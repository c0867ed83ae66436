"""What applications ask of a person, for the signed-in home page ("needs my action").

- a volunteer: places offered to take before their deadline, accepted places to confirm;
- an organisation's owners and admins: applications to decide, one item per opportunity.

Two queries for a person with nothing to do (their offers and places; the opportunities of the
organisations they keep).
"""

from __future__ import annotations

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tansiq.core.actions import Item
from tansiq.volunteers.models import Application, Booking, Opportunity
from tansiq.volunteers.queries.applications import TO_DECIDE, coordinated_organisations


def items_for(user) -> list[Item]:
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
