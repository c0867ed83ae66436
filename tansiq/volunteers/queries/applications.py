"""Reads of applications, scoped: a volunteer sees their own; an organisation's owners and admins
see those made to its opportunities (and nobody else's)."""

from __future__ import annotations

from django.db.models import Count, F, Prefetch, Q, Value
from django.db.models.functions import Greatest
from django.http import Http404
from django.utils import timezone

from tansiq.volunteers.models import Application, Booking, Opportunity, Shift

State = Application.State
TO_DECIDE = (State.SUBMITTED, State.SHORTLISTED)
COORDINATORS = ("owner", "admin")


def _with_bookings(applications):
    return applications.select_related("opportunity__organisation", "profile").prefetch_related(
        Prefetch("bookings", queryset=Booking.objects.select_related("shift").order_by("shift__starts_at", "pk"))
    )


def applications_of(user):
    """The volunteer's own applications, newest first."""
    return _with_bookings(Application.objects.filter(profile__user=user)).order_by("-created_at", "-pk")


def own_application(user, uuid) -> Application:
    found = applications_of(user).filter(uuid=uuid).first()
    if found is None:
        raise Http404
    return found


def application_for(user, uuid) -> Application:
    """An application its volunteer or the organisation's coordinators may see; 404 to anyone else."""
    found = (
        _with_bookings(Application.objects.filter(uuid=uuid))
        .filter(Q(profile__user=user) | Q(opportunity__organisation__in=coordinated_organisations(user)))
        .first()
    )
    if found is None or not user.has_perm("volunteers.view_application", found):
        raise Http404
    return found


def coordinated_organisations(user):
    from tansiq.network.models import Organisation

    return Organisation.objects.filter(people__user=user, people__role__in=COORDINATORS)


def opportunity_for_roster(user, uuid) -> Opportunity:
    """An opportunity whose roster the user keeps; 404 otherwise (no hint that it exists)."""
    found = (
        Opportunity.objects.filter(uuid=uuid, organisation__in=coordinated_organisations(user))
        .select_related("organisation")
        .first()
    )
    if found is None or not user.has_perm("volunteers.view_roster", found):
        raise Http404
    return found


def roster(opportunity: Opportunity, *, state: str = "", shift: Shift | None = None):
    applications = Application.objects.filter(opportunity=opportunity)
    if state:
        applications = applications.filter(state=state)
    if shift is not None:
        applications = applications.filter(bookings__shift=shift)
    return _with_bookings(applications).select_related("profile__user").order_by("created_at", "pk").distinct()


def shifts_of(opportunity: Opportunity):
    """The opportunity's shifts with their places taken and free, and the bookings waiting."""
    taken = Count("bookings", filter=Q(bookings__state__in=Booking.SEAT_STATES))
    return opportunity.shifts.annotate(
        taken=taken,
        free=Greatest(F("capacity") - taken, Value(0)),
        waiting=Count("bookings", filter=Q(bookings__state=Booking.State.WAITLISTED)),
    ).order_by("starts_at", "pk")


def open_shifts(opportunity: Opportunity):
    """Shifts a volunteer may still ask for, with their free places."""
    return shifts_of(opportunity).filter(cancelled=False, starts_at__gt=timezone.now())


def opportunity_to_apply(uuid) -> Opportunity:
    found = Opportunity.objects.filter(uuid=uuid).select_related("organisation").first()
    if found is None or found.state in (Opportunity.State.DRAFT, Opportunity.State.IN_REVIEW):
        raise Http404
    return found


def rosters_of(user):
    """Opportunities of the organisations the user coordinates, with their applications to decide."""
    return (
        Opportunity.objects.filter(organisation__in=coordinated_organisations(user))
        .exclude(state=Opportunity.State.ARCHIVED)
        .select_related("organisation")
        .annotate(
            to_decide=Count("applications", filter=Q(applications__state__in=TO_DECIDE)),
            applied=Count("applications"),
        )
        .order_by("-to_decide", "-created_at", "pk")
    )


def offered_booking(user, uuid, shift_id: int) -> Booking:
    found = (
        Booking.objects.filter(application__uuid=uuid, application__profile__user=user, shift_id=shift_id)
        .select_related("application__profile", "shift")
        .first()
    )
    if found is None:
        raise Http404
    return found


def roster_rows(applications) -> list[list]:
    """One row per booked shift for the roster export: the volunteer's name (only volunteers who
    applied appear), state, shift, seat, attendance."""
    rows = []
    for application in applications:
        for booking in application.bookings.all():
            rows.append(
                [
                    application.profile.display_name,
                    application.get_state_display(),
                    booking.shift.starts_at,
                    booking.shift.ends_at,
                    booking.get_state_display(),
                    booking.get_attendance_display() if booking.attendance else "",
                    application.created_at,
                ]
            )
    return rows
