"""Every write of opportunities and their shifts.

An opportunity moves draft → in review (where the network vets opportunities; the secretariat
publishes it or returns it to draft) → published → full (by itself, when every future shift is
full, and back when a place frees) / closed → completed → archived; it may be cancelled, with a
reason, from any state before completed: every application and booked place still open is then
cancelled and each volunteer told. Each change is audited.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.db import transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tansiq.core import audit, notify
from tansiq.core.errors import Conflict, TansiqError
from tansiq.core.rules import require
from tansiq.core.workflow import transition
from tansiq.volunteers import caching
from tansiq.volunteers.models import Application, Booking, Opportunity, OpportunitySkill, Shift

State = Opportunity.State

#: What the opportunity form sets directly on the model (titles and descriptions in three languages).
FIELDS = (
    "title_ar",
    "title_en",
    "title_ms",
    "description_ar",
    "description_en",
    "description_ms",
    "sector",
    "min_age",
    "gender",
    "languages",
    "remote",
    "country",
    "city",
    "address",
    "latitude",
    "longitude",
    "questions",
    "contact",
)
MAX_SHIFTS_IN_A_SERIES = 104  # two years of a weekly shift
NOTICE_KIND = "volunteers.opportunities"
REVIEW_KIND = "volunteers.opportunity_review"


def check_values(values: dict) -> None:
    """What every opportunity needs, whichever form or endpoint sends it."""
    if not any((values.get(f"title_{code}") or "").strip() for code in ("ar", "en", "ms")):
        raise TansiqError(_("Give the title in at least one language."), field="title_ar")
    if not any((values.get(f"description_{code}") or "").strip() for code in ("ar", "en", "ms")):
        raise TansiqError(_("Describe the opportunity in at least one language."), field="description_ar")
    if not values.get("remote") and not values.get("country"):
        raise TansiqError(_("Give the country of the place, or mark the opportunity as remote."), field="country")
    if (values.get("latitude") is None) != (values.get("longitude") is None):
        raise TansiqError(_("Give both the latitude and the longitude, or neither."), field="longitude")


def _apply(opportunity: Opportunity, values: dict) -> list[str]:
    changed = []
    for name in FIELDS:
        if name in values and getattr(opportunity, name) != values[name]:
            setattr(opportunity, name, values[name])
            changed.append(name)
    return changed


def _set_skills(opportunity: Opportunity, skills) -> None:
    opportunity.skills.all().delete()
    OpportunitySkill.objects.bulk_create(
        OpportunitySkill(opportunity=opportunity, name=name, level=level, required=required)
        for name, level, required in skills
    )


def create_opportunity(organisation, *, by, values: dict, skills=(), qualifications=()) -> Opportunity:
    """A draft opportunity of ``organisation``. ``skills`` are (name, level, required) triples."""
    require(by, "volunteers.manage_opportunities", organisation)
    check_values(values)
    with transaction.atomic():
        opportunity = Opportunity(organisation=organisation, created_by=by)
        _apply(opportunity, values)
        opportunity.save()
        _set_skills(opportunity, skills)
        opportunity.qualifications.set(qualifications)
        audit.record("create", by=by, obj=opportunity, changes={"fields": sorted(values)})
    return opportunity


def update_opportunity(opportunity: Opportunity, *, by, values: dict, skills=(), qualifications=()) -> Opportunity:
    """What the opportunity says, while it is a draft or open (not in review, nor once over)."""
    require(by, "volunteers.change_opportunity", opportunity)
    check_values(values)
    with transaction.atomic():
        locked = Opportunity.objects.select_for_update().get(pk=opportunity.pk)
        if locked.state not in Opportunity.CHANGEABLE_STATES:
            raise Conflict(_("This opportunity can no longer be changed."))
        changed = _apply(opportunity, values)
        opportunity.save()
        _set_skills(opportunity, skills)
        opportunity.qualifications.set(qualifications)
        audit.record("update", by=by, obj=opportunity, changes={"fields": sorted(changed)})
        caching.forget_opportunities_arrays()
    return opportunity


def add_shifts(
    opportunity: Opportunity,
    *,
    by,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    capacity: int,
    place: str = "",
    weekly_until: dt.date | None = None,
) -> list[Shift]:
    """One shift, or a weekly series of it up to ``weekly_until`` (inclusive)."""
    require(by, "volunteers.change_opportunity", opportunity)
    if ends_at <= starts_at:
        raise TansiqError(_("A shift ends after it starts."), field="ends_at")
    if ends_at - starts_at > dt.timedelta(hours=24):
        raise TansiqError(_("A shift lasts at most 24 hours; add one shift a day instead."), field="ends_at")
    if starts_at <= timezone.now():
        raise TansiqError(_("A new shift starts in the future."), field="starts_at")
    if capacity < 1:
        raise TansiqError(_("A shift has at least one place."), field="capacity")
    starts = [starts_at]
    if weekly_until is not None:
        if weekly_until < timezone.localtime(starts_at).date():
            raise TansiqError(_("The series ends after its first shift."), field="weekly_until")
        while timezone.localtime(starts[-1] + dt.timedelta(weeks=1)).date() <= weekly_until:
            starts.append(starts[-1] + dt.timedelta(weeks=1))
            if len(starts) > MAX_SHIFTS_IN_A_SERIES:
                raise TansiqError(
                    _("A series has at most %(count)s shifts.") % {"count": MAX_SHIFTS_IN_A_SERIES},
                    field="weekly_until",
                )
    length = ends_at - starts_at
    with transaction.atomic():
        shifts = Shift.objects.bulk_create(
            Shift(
                opportunity=opportunity,
                starts_at=start,
                ends_at=start + length,
                capacity=capacity,
                place=place,
                checkin_token=secrets.token_urlsafe(32),
            )
            for start in starts
        )
        audit.record(
            "add_shifts",
            by=by,
            obj=opportunity,
            changes={"shifts": len(shifts), "first": starts[0].isoformat(), "capacity": capacity},
        )
        caching.forget_opportunities_arrays()
        update_fullness(opportunity)
    return shifts


def change_shift(shift: Shift, *, by, capacity: int, place: str) -> Shift:
    """A shift's places (never fewer than the places already taken) and its place."""
    require(by, "volunteers.change_opportunity", shift.opportunity)
    with transaction.atomic():
        locked = Shift.objects.select_for_update().get(pk=shift.pk)
        taken = locked.bookings.filter(state__in=Booking.SEAT_STATES).count()
        if capacity < max(taken, 1):
            raise TansiqError(
                _("%(taken)s places are already taken: the shift needs at least as many.") % {"taken": taken},
                field="capacity",
            )
        changes = {"capacity": [locked.capacity, capacity]} if locked.capacity != capacity else {}
        if locked.place != place:
            changes["place"] = True
        locked.capacity, locked.place = capacity, place
        locked.save(update_fields=["capacity", "place"])
        audit.record("update", by=by, obj=locked, changes=changes)
        caching.forget_opportunities_arrays()
        update_fullness(shift.opportunity)
    return locked


def cancel_shift(shift: Shift, *, by, reason: str) -> Shift:
    """Cancel one shift: its booked places are cancelled and each volunteer told."""
    opportunity = shift.opportunity
    require(by, "volunteers.change_opportunity", opportunity)
    if not reason.strip():
        raise TansiqError(_("Please give a reason."), field="reason")
    with transaction.atomic():
        locked = Shift.objects.select_for_update().get(pk=shift.pk)
        if locked.cancelled:
            raise Conflict(_("This shift is already cancelled."))
        locked.cancelled = True
        locked.save(update_fields=["cancelled"])
        affected = list(
            Booking.objects.filter(shift=locked)
            .exclude(state__in=(Booking.State.DECLINED, Booking.State.WITHDRAWN, Booking.State.CANCELLED))
            .select_related("application__profile__user")
        )
        Booking.objects.filter(pk__in=[booking.pk for booking in affected]).update(state=Booking.State.CANCELLED)
        audit.record("cancel", by=by, obj=locked, reason=reason, changes={"bookings": len(affected)})
        users = {booking.application.profile.user for booking in affected}
        _tell(
            users, "volunteers/email/shift_cancelled", {"opportunity": opportunity, "shift": locked, "reason": reason}
        )
        caching.forget_opportunities_arrays()
        update_fullness(opportunity)
    return locked


def move_opportunity(opportunity: Opportunity, *, by, to: str, reason: str = "") -> Opportunity:
    """Take one edge of the workflow (cancelling has its own function: it carries notices).

    Submitting or publishing needs at least one shift still to come; returning a submitted
    opportunity to its organisation needs a reason.
    """
    if to == State.CANCELLED:
        return cancel_opportunity(opportunity, by=by, reason=reason)
    if (
        to in (State.IN_REVIEW, State.PUBLISHED)
        and opportunity.state in (State.DRAFT, State.CLOSED)
        and not opportunity.shifts.filter(cancelled=False, starts_at__gt=timezone.now()).exists()
    ):
        raise TansiqError(_("Add at least one shift still to come first."), field="state")
    returning = opportunity.state == State.IN_REVIEW and to == State.DRAFT
    extra = []
    if to == State.PUBLISHED and opportunity.published_at is None:
        opportunity.published_at = timezone.now()
        extra.append("published_at")
    with transaction.atomic():
        transition(opportunity, to=to, by=by, reason=reason, require_reason=returning, extra_fields=extra)
        caching.forget_opportunities_arrays()
        if opportunity.state == State.PUBLISHED:
            update_fullness(opportunity)
        if to == State.IN_REVIEW:
            _tell_secretariat(opportunity)
        elif returning or (to == State.PUBLISHED and by is not None and by.has_perm("volunteers.review_opportunity")):
            _tell_organisation(opportunity, reason=reason)
    return opportunity


def cancel_opportunity(opportunity: Opportunity, *, by, reason: str) -> Opportunity:
    """Cancel with a reason: every application and booked place still open is cancelled, and each
    volunteer who had applied is told why."""
    open_applications = (Application.State.WITHDRAWN, Application.State.DECLINED, Application.State.CANCELLED)
    open_bookings = (Booking.State.DECLINED, Booking.State.WITHDRAWN, Booking.State.CANCELLED)
    with transaction.atomic():
        opportunity.cancel_reason = reason.strip()
        transition(
            opportunity,
            to=State.CANCELLED,
            by=by,
            reason=reason,
            require_reason=True,
            extra_fields=["cancel_reason"],
        )
        affected = list(
            Application.objects.filter(opportunity=opportunity)
            .exclude(state__in=open_applications)
            .select_related("profile__user")
        )
        Application.objects.filter(pk__in=[row.pk for row in affected]).update(
            state=Application.State.CANCELLED, updated_at=timezone.now()
        )
        cancelled = (
            Booking.objects.filter(application__opportunity=opportunity)
            .exclude(state__in=open_bookings)
            .update(state=Booking.State.CANCELLED)
        )
        audit.record(
            "cancel_applications",
            by=by,
            obj=opportunity,
            changes={"applications": len(affected), "bookings": cancelled},
        )
        _tell(
            {row.profile.user for row in affected},
            "volunteers/email/opportunity_cancelled",
            {"opportunity": opportunity, "reason": reason},
        )
        caching.forget_opportunities_arrays()
    return opportunity


def update_fullness(opportunity: Opportunity) -> Opportunity:
    """Published → full when every shift still to come has all its places taken; full →
    published when one frees (or a shift is added). Safe to call after any change of places."""
    now = timezone.now()
    with transaction.atomic():
        current = Opportunity.objects.select_for_update().filter(pk=opportunity.pk).first()
        if current is None or current.state not in (State.PUBLISHED, State.FULL):
            return opportunity
        future = current.shifts.filter(cancelled=False, starts_at__gt=now).annotate(
            taken=Count("bookings", filter=Q(bookings__state__in=Booking.SEAT_STATES))
        )
        rows = list(future.values_list("capacity", "taken"))
        full = bool(rows) and all(taken >= capacity for capacity, taken in rows)
        target = State.FULL if full else State.PUBLISHED
        if current.state != target:
            transition(current, to=target, by=None, check_permission=False)
            opportunity.state = target
            caching.forget_opportunities_arrays()
    return opportunity


# --- Notices ----------------------------------------------------------------------------------------


def _link(opportunity: Opportunity) -> str:
    return reverse("volunteers:opportunity", args=[opportunity.uuid])


def _tell(users, template: str, context: dict) -> None:
    opportunity = context["opportunity"]
    link = _link(opportunity)
    for user in users:
        notify.notify(
            user, NOTICE_KIND, template=template, context={**context, "link": link}, url=link, obj=opportunity
        )


def _tell_secretariat(opportunity: Opportunity) -> None:
    from django.contrib.auth import get_user_model

    link = _link(opportunity)
    staff = get_user_model().objects.filter(groups__name="secretariat", is_active=True).distinct()
    for user in staff:
        notify.notify(
            user,
            REVIEW_KIND,
            template="volunteers/email/opportunity_submitted",
            context={"opportunity": opportunity, "link": link},
            url=link,
            obj=opportunity,
        )


def _tell_organisation(opportunity: Opportunity, *, reason: str) -> None:
    from tansiq.network.models import Membership
    from tansiq.network.rules import EDITORS

    link = _link(opportunity)
    people = Membership.objects.filter(organisation_id=opportunity.organisation_id, role__in=EDITORS).select_related(
        "user"
    )
    for membership in people:
        notify.notify(
            membership.user,
            REVIEW_KIND,
            template="volunteers/email/opportunity_reviewed",
            context={"opportunity": opportunity, "reason": reason, "link": link},
            url=link,
            obj=opportunity,
        )
