"""Reads of opportunities and shifts, scoped to what the reader may see.

Anyone sees an opportunity once it is public (published, full, closed or completed); its
organisation's people and the secretariat see it in every state.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from tansiq.core import actions
from tansiq.core.rules import is_secretariat
from tansiq.network.models import Membership, Organisation
from tansiq.network.rules import EDITORS
from tansiq.volunteers import caching
from tansiq.volunteers.models import Booking, Opportunity, Shift

State = Opportunity.State
#: Shown in the public search: those still taking volunteers, and the full ones (a place may free).
SEARCHABLE_STATES = (State.PUBLISHED, State.FULL)


def _with_details(found):
    return found.select_related("organisation", "sector")


def searchable_opportunities():
    """The public search's opportunities (newest first)."""
    return _with_details(Opportunity.objects.filter(state__in=SEARCHABLE_STATES)).order_by("-published_at", "-pk")


def opportunity_for(user, uuid) -> Opportunity:
    """An opportunity the reader may see, or 404 (no hint that it exists)."""
    opportunity = (
        _with_details(Opportunity.objects.filter(uuid=uuid))
        .prefetch_related("skills", "qualifications")
        .select_related("contact")
        .first()
    )
    if opportunity is None or not user.has_perm("volunteers.see_opportunity", opportunity):
        raise Http404
    return opportunity


def opportunity_managed_by(user, uuid, *, permission: str = "volunteers.manage_opportunity") -> Opportunity:
    """An opportunity the user keeps for its organisation, or 404."""
    opportunity = opportunity_for(user, uuid)
    if not user.has_perm(permission, opportunity):
        raise Http404
    return opportunity


def shifts_of(opportunity: Opportunity, *, upcoming_only: bool = False):
    """The shifts with ``taken`` (places held) and ``free`` annotated."""
    found = opportunity.shifts.annotate(taken=Count("bookings", filter=Q(bookings__state__in=Booking.SEAT_STATES)))
    if upcoming_only:
        found = found.filter(cancelled=False, starts_at__gt=timezone.now())
    shifts = list(found.order_by("starts_at", "pk"))
    for shift in shifts:
        shift.free = 0 if shift.cancelled else max(shift.capacity - shift.taken, 0)
    return shifts


def shift_of(opportunity: Opportunity, pk: int) -> Shift:
    shift = opportunity.shifts.filter(pk=pk).first()
    if shift is None:
        raise Http404
    shift.opportunity = opportunity
    return shift


def organisations_with_opportunities(user):
    """Organisations whose opportunities the user keeps (owner, admin or editor)."""
    return Organisation.objects.filter(people__user=user, people__role__in=EDITORS).distinct().order_by("slug")


def organisation_for_opportunities(user, slug: str) -> Organisation:
    """The organisation whose opportunities the user keeps, or 404."""
    from tansiq.network.queries.directory import organisation_for

    organisation, _editable = organisation_for(user, slug)
    if not user.has_perm("volunteers.manage_opportunities", organisation):
        raise Http404
    return organisation


def opportunities_of(organisation: Organisation):
    """An organisation's opportunities in every state, with their shift counts, newest first."""
    return (
        Opportunity.objects.filter(organisation=organisation)
        .select_related("organisation", "sector")
        .annotate(shift_count=Count("shifts", filter=Q(shifts__cancelled=False)))
        .order_by("-created_at", "-pk")
    )


def review_queue(user):
    """Opportunities waiting for the secretariat's review, oldest first (none for anyone else)."""
    if not user.has_perm("volunteers.review_opportunity"):
        return Opportunity.objects.none()
    return _with_details(Opportunity.objects.filter(state=State.IN_REVIEW)).order_by("updated_at", "pk")


def contacts_for(organisation: Organisation):
    """Who may be named as an opportunity's contact person: the organisation's people."""
    from django.contrib.auth import get_user_model

    return (
        get_user_model()
        .objects.filter(pk__in=Membership.objects.filter(organisation=organisation).values("user_id"))
        .order_by("display_name", "pk")
    )


def upcoming_shifts_prefetch() -> Prefetch:
    return Prefetch(
        "shifts",
        queryset=Shift.objects.filter(cancelled=False, starts_at__gt=timezone.now()).order_by("starts_at"),
        to_attr="upcoming",
    )


def review_items(user) -> list[actions.Item]:
    """ "Needs my action" for the secretariat: opportunities waiting for review (a shared cache
    entry; one query when it is cold)."""
    if not is_secretariat(user):
        return []
    waiting = cache.get(caching.REVIEW_QUEUE_KEY)
    if waiting is None:
        found = Opportunity.objects.filter(state=State.IN_REVIEW).order_by("updated_at", "pk")[:20]
        waiting = [
            (str(uuid), {"ar": ar, "en": en, "ms": ms, "": title})
            for uuid, title, ar, en, ms in found.values_list("uuid", "title", "title_ar", "title_en", "title_ms")
        ]
        cache.set(caching.REVIEW_QUEUE_KEY, waiting, caching.REVIEW_QUEUE_SECONDS)
    language = get_language() or ""
    return [
        actions.Item(
            title=titles.get(language) or titles[""],
            url=reverse("volunteers:opportunity", args=[uuid]),
            kind=_("Opportunity to review"),
        )
        for uuid, titles in waiting
    ]


def review_cache_keys(user) -> list[str]:
    return [caching.REVIEW_QUEUE_KEY] if is_secretariat(user) else []


def may_move(user, opportunity: Opportunity) -> bool:
    """Whether the workflow's steps are the user's business at all (its organisation's keepers,
    the secretariat); anyone else is answered as if it did not exist."""
    return any(
        user.has_perm(rule, opportunity)
        for rule in ("volunteers.manage_opportunity", "volunteers.review_opportunity", "volunteers.cancel_opportunity")
    )
