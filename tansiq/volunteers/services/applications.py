"""Applications to opportunities: applying, the organisation's decisions, seats, waitlist offers,
confirmation, withdrawal and ratings.

An application holds one ``Booking`` per shift asked for. A seat is taken by an accepted booking
and held by one offered to a waitlisted volunteer (``Booking.SEAT_STATES``); every change that takes
seats locks the shift rows first (in id order, so two decisions never wait on each other) and
counts the seats under the lock, so concurrent acceptances never fill a shift past its capacity.
A freed seat goes to the first waitlisted booking of a reviewed application, as an offer open for
the network's ``VolunteeringPolicy.offer_hours``; an offer not answered in time passes to the next
(``expire_offers``, run by the scheduler several times a day and safe to run at any time).

Each function checks the rule, changes inside a transaction, audits (the application's steps
through core.workflow, the bookings' with core.audit) and notifies after commit.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from tansiq.core import audit, notify
from tansiq.core.errors import Conflict, TansiqError
from tansiq.core.rules import require
from tansiq.core.tasks import background
from tansiq.core.workflow import transition
from tansiq.network.models import Membership
from tansiq.volunteers.models import (
    Application,
    Booking,
    Opportunity,
    Shift,
    VolunteeringPolicy,
    VolunteerProfile,
)
from tansiq.volunteers.services.opportunities import update_fullness

State = Application.State
Seat = Booking.State
OPEN_TO_APPLY = (Opportunity.State.PUBLISHED, Opportunity.State.FULL)
# Applications the organisation has reviewed: their waitlisted bookings may be offered a freed seat.
REVIEWED = (State.ACCEPTED, State.WAITLISTED, State.CONFIRMED)
DEFAULT_OFFER_HOURS = 48
COORDINATORS = (Membership.Role.OWNER, Membership.Role.ADMIN)


def _when(shift: Shift) -> str:
    return formats.date_format(timezone.localtime(shift.starts_at), "DATETIME_FORMAT")


# --- Gates ------------------------------------------------------------------------------------------


def check_gates(profile: VolunteerProfile | None, opportunity: Opportunity, user) -> None:
    """Refuse, with the reason, a volunteer who may not apply to ``opportunity`` (whatever shifts)."""
    from tansiq.volunteers.queries.profiles import agreements_to_accept

    if opportunity.state not in OPEN_TO_APPLY:
        raise Conflict(_("This opportunity is not open to applications."), code="not_open")
    if profile is None:
        raise TansiqError(_("Create your volunteer profile before applying."), code="profile_missing")
    if profile.is_minor and not profile.has_guardian_consent:
        raise TansiqError(
            _("Volunteers under 18 need their guardian's consent on record before applying."), code="guardian"
        )
    if agreements_to_accept(user):
        raise TansiqError(
            _("Accept the current privacy notice and volunteering charter before applying."), code="agreements"
        )
    if opportunity.min_age and profile.age() < opportunity.min_age:
        raise TansiqError(
            _("This opportunity is for volunteers aged %(age)s or over.") % {"age": opportunity.min_age}, code="age"
        )
    if opportunity.gender and profile.gender != opportunity.gender:
        message = (
            _("This programme is open to women only.")
            if opportunity.gender == Opportunity.Gender.WOMEN
            else _("This programme is open to men only.")
        )
        raise TansiqError(message, code="gender")


def _check_qualifications(profile: VolunteerProfile, opportunity: Opportunity, until: dt.date) -> None:
    """Every qualification the opportunity requires, held and valid until the last chosen shift."""
    held = {row.qualification_id: row for row in profile.qualifications.all()}
    for qualification in opportunity.qualifications.all():
        found = held.get(qualification.pk)
        if found is None:
            raise TansiqError(
                _("This opportunity requires “%(name)s”, which you do not hold.") % {"name": qualification.name},
                code="qualification",
            )
        if not found.is_valid_on(until):
            raise TansiqError(
                _("Your “%(name)s” is not valid on %(date)s: it expires on %(expiry)s.")
                % {
                    "name": qualification.name,
                    "date": formats.date_format(until, "DATE_FORMAT"),
                    "expiry": formats.date_format(found.expires_on, "DATE_FORMAT"),
                },
                code="qualification",
            )


def _overlapping(profile: VolunteerProfile, shifts: Sequence[Shift]) -> tuple[Shift, Shift] | None:
    """A chosen shift and a shift the volunteer is already booked on (accepted or offered) at the
    same time, if any."""
    window = Q()
    for shift in shifts:
        window |= Q(shift__starts_at__lt=shift.ends_at, shift__ends_at__gt=shift.starts_at)
    booked = (
        Booking.objects.filter(window, application__profile=profile, state__in=Booking.SEAT_STATES)
        .filter(application__state__in=Application.OPEN)
        .select_related("shift__opportunity")
    )
    for other in booked:
        for shift in shifts:
            if other.shift.starts_at < shift.ends_at and shift.starts_at < other.shift.ends_at:
                return shift, other.shift
    return None


def seats_taken(shift_ids: Iterable[int]) -> dict[int, int]:
    from django.db.models import Count

    rows = (
        Booking.objects.filter(shift_id__in=list(shift_ids), state__in=Booking.SEAT_STATES)
        .values("shift_id")
        .annotate(taken=Count("pk"))
    )
    return {row["shift_id"]: row["taken"] for row in rows}


def _locked_shifts(shift_ids: Iterable[int]) -> dict[int, Shift]:
    """The shifts, locked for this transaction in id order (PostgreSQL; SQLite's write lock
    serialises the transaction as a whole)."""
    return {shift.pk: shift for shift in Shift.objects.select_for_update().filter(pk__in=sorted(set(shift_ids)))}


# --- Applying ---------------------------------------------------------------------------------------


def apply(
    opportunity: Opportunity,
    *,
    by,
    shifts: Sequence[Shift],
    answers: Sequence[str] = (),
    motivation: str = "",
    waitlist: bool = False,
) -> tuple[Application, bool]:
    """``by`` applies to ``opportunity`` for ``shifts`` with an answer to each of its questions.

    Refused with the reason: an opportunity not open, a gate (profile, guardian, agreements, age,
    gender, a qualification missing or expiring before the shift), no shift or one not open, a
    shift overlapping one the volunteer is already booked on, a full shift unless ``waitlist`` (the
    booking then waits for a freed seat). Submitting again returns the application already made
    (``created`` False), whatever its state: one application per volunteer and opportunity.
    """
    from tansiq.volunteers.queries.profiles import own_profile

    profile = own_profile(by)
    if profile is not None:
        existing = Application.objects.filter(opportunity=opportunity, profile=profile).first()
        if existing is not None:
            return existing, False
    check_gates(profile, opportunity, by)
    shifts = sorted({shift.pk: shift for shift in shifts}.values(), key=lambda shift: (shift.starts_at, shift.pk))
    if not shifts:
        raise TansiqError(_("Choose at least one shift."), field="shifts")
    now = timezone.now()
    for shift in shifts:
        if shift.opportunity_id != opportunity.pk or shift.cancelled or shift.starts_at <= now:
            raise TansiqError(_("The shift of %(when)s is no longer open.") % {"when": _when(shift)}, field="shifts")
    _check_qualifications(profile, opportunity, max(timezone.localdate(shift.ends_at) for shift in shifts))
    clash = _overlapping(profile, shifts)
    if clash is not None:
        raise TansiqError(
            _("The shift of %(when)s overlaps one you are already booked on (%(other)s).")
            % {"when": _when(clash[0]), "other": clash[1].opportunity.title},
            field="shifts",
        )
    questions = list(opportunity.questions or [])
    answers = [str(answer).strip() for answer in answers]
    if len(answers) != len(questions) or not all(answers):
        raise TansiqError(_("Answer every question of the organisation."), field="answers")
    try:
        with transaction.atomic():
            locked = _locked_shifts(shift.pk for shift in shifts)
            taken = seats_taken(locked)
            full = [shift for shift in shifts if taken.get(shift.pk, 0) >= locked[shift.pk].capacity]
            if full and not waitlist:
                raise TansiqError(
                    _("The shift of %(when)s is full. Tick “Put me on the waiting list” to wait for a freed place.")
                    % {"when": _when(full[0])},
                    field="waitlist",
                    code="full",
                )
            application = Application.objects.create(
                opportunity=opportunity,
                profile=profile,
                motivation=motivation.strip(),
                answers=[{"question": q, "answer": a} for q, a in zip(questions, answers, strict=True)],
            )
            Booking.objects.bulk_create(
                Booking(
                    application=application,
                    shift=shift,
                    code=_new_code(),
                    state=Seat.WAITLISTED if shift in full else Seat.REQUESTED,
                )
                for shift in shifts
            )
            audit.record(
                "apply", by=by, obj=application, changes={"shifts": [shift.pk for shift in shifts], "full": len(full)}
            )
    except IntegrityError:
        # The same volunteer's second submission, a moment after the first: the first one stands.
        existing = Application.objects.filter(opportunity=opportunity, profile=profile).first()
        if existing is None:
            raise
        return existing, False
    transaction.on_commit(lambda: _notify_coordinators(application, "volunteers/email/application_received"))
    return application, True


def _new_code() -> str:
    return secrets.token_urlsafe(32)


# --- The organisation decides -----------------------------------------------------------------------


def shortlist(application: Application, *, by) -> Application:
    with transaction.atomic():
        application = _locked(application)
        transition(application, to=State.SHORTLISTED, by=by)
        _decided(application, by)
    return application


def _decided(application: Application, by) -> None:
    Application.objects.filter(pk=application.pk).update(decided_by=by, updated_at=timezone.now())


def accept(application: Application, *, by, shifts: Iterable[Shift] | None = None) -> Application:
    """Accept the application for ``shifts`` (default: every shift asked for). Each gets a seat if
    one is free, else waits on the list; the shifts asked for and not accepted are declined. The
    application is accepted when it has a seat, waitlisted otherwise."""
    require(by, "volunteers.decide_application", application)
    with transaction.atomic():
        application = _locked(application)
        if application.state not in (State.SUBMITTED, State.SHORTLISTED, State.WAITLISTED):
            raise Conflict(
                _("This application is %(state)s: it cannot be accepted.")
                % {"state": application.get_state_display().lower()}
            )
        bookings = list(application.bookings.filter(state__in=(Seat.REQUESTED, Seat.WAITLISTED)))
        chosen = {shift.pk for shift in shifts} if shifts is not None else {b.shift_id for b in bookings}
        if not chosen & {booking.shift_id for booking in bookings}:
            raise TansiqError(_("Choose at least one of the shifts asked for."), field="shifts")
        locked = _locked_shifts(booking.shift_id for booking in bookings)
        taken = seats_taken(locked)
        for booking in bookings:
            if booking.shift_id not in chosen:
                booking.state = Seat.DECLINED
            elif taken.get(booking.shift_id, 0) < locked[booking.shift_id].capacity:
                booking.state = Seat.ACCEPTED
                taken[booking.shift_id] = taken.get(booking.shift_id, 0) + 1
            else:
                booking.state = Seat.WAITLISTED
        Booking.objects.bulk_update(bookings, ["state"])  # no signals: fullness refreshed below
        _places_changed(application.opportunity_id)
        seated = any(booking.state == Seat.ACCEPTED for booking in bookings)
        target = State.ACCEPTED if seated else State.WAITLISTED
        if application.state != target:
            transition(application, to=target, by=by)
        _decided(application, by)
        audit.record(
            "seats",
            by=by,
            obj=application,
            changes={"bookings": [[booking.shift_id, booking.state] for booking in bookings]},
        )
    transaction.on_commit(lambda: _notify_volunteer(application, "volunteers/email/application_decided"))
    return application


def put_on_waitlist(application: Application, *, by) -> Application:
    with transaction.atomic():
        application = _locked(application)
        transition(application, to=State.WAITLISTED, by=by)
        application.bookings.filter(state=Seat.REQUESTED).update(state=Seat.WAITLISTED)
        _decided(application, by)
    transaction.on_commit(lambda: _notify_volunteer(application, "volunteers/email/application_decided"))
    return application


def decline(application: Application, *, by, reason: str = "") -> Application:
    """Decline the application; the seats it held go to the waiting list."""
    with transaction.atomic():
        application = _locked(application)
        transition(application, to=State.DECLINED, by=by, reason=reason)
        freed = _release(application, to=Seat.DECLINED)
        _decided(application, by)
        offered = _offer_freed(freed)
    transaction.on_commit(lambda: _notify_volunteer(application, "volunteers/email/application_decided"))
    _notify_offers(offered)
    return application


DECISIONS = {
    "shortlist": shortlist,
    "accept": accept,
    "waitlist": put_on_waitlist,
    "decline": decline,
}


@dataclass
class BulkResult:
    done: list[Application]
    refused: list[tuple[Application, str]]


def decide_many(applications: Iterable[Application], *, by, decision: str) -> BulkResult:
    """One decision for each of ``applications``: each one on its own (one refused does not undo
    the others); what was refused comes back with the reason."""
    if decision not in DECISIONS:
        raise TansiqError(_("Choose a decision."), field="decision")
    result = BulkResult([], [])
    for application in applications:
        try:
            result.done.append(DECISIONS[decision](application, by=by))
        except TansiqError as error:
            result.refused.append((application, str(error.message)))
    return result


# --- The volunteer's side -------------------------------------------------------------------------


def confirm(application: Application, *, by, agreement_accepted: bool) -> Application:
    """The volunteer confirms an accepted place: accepts the organisation's agreement (when it has
    one) and, under 18, has their guardian's consent on record."""
    require(by, "volunteers.confirm_application", application)
    settings = getattr(application.opportunity.organisation, "volunteering_settings", None)
    if settings is not None and settings.agreement_text and not agreement_accepted:
        raise TansiqError(_("Accept the organisation's volunteer agreement to confirm."), field="agreement")
    if application.profile.is_minor and not application.profile.has_guardian_consent:
        raise TansiqError(_("Volunteers under 18 need their guardian's consent on record before confirming."))
    with transaction.atomic():
        application = _locked(application)
        application.agreement_accepted_at = timezone.now()
        transition(application, to=State.CONFIRMED, by=by, extra_fields=["agreement_accepted_at", "updated_at"])
    transaction.on_commit(lambda: _notify_coordinators(application, "volunteers/email/application_confirmed"))
    return application


def withdraw(application: Application, *, by, reason: str = "") -> Application:
    """The volunteer withdraws: the shifts not yet worked are released and their seats offered to
    the waiting list."""
    with transaction.atomic():
        application = _locked(application)
        transition(application, to=State.WITHDRAWN, by=by, reason=reason)
        freed = _release(application, to=Seat.WITHDRAWN)
        offered = _offer_freed(freed)
    transaction.on_commit(lambda: _notify_coordinators(application, "volunteers/email/application_withdrawn"))
    _notify_offers(offered)
    return application


def withdraw_all(profile: VolunteerProfile, *, by) -> int:
    """Withdraw every open application of the volunteer (before their data is erased); how many."""
    found = list(Application.objects.filter(profile=profile, state__in=Application.OPEN).order_by("pk"))
    for application in found:
        withdraw(application, by=by, reason="erase")
    return len(found)


def take_offer(booking: Booking, *, by) -> Booking:
    """The volunteer takes the seat offered to them, before the offer's deadline."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("application__profile").get(pk=booking.pk)
        application = booking.application
        require(by, "volunteers.take_place", application)
        if booking.state != Seat.OFFERED:
            raise Conflict(_("This place is no longer offered to you."))
        if booking.offer_expires_at and booking.offer_expires_at <= timezone.now():
            raise Conflict(_("This offer has expired: the place has gone to the next volunteer waiting."))
        if application.state not in REVIEWED:
            raise Conflict(_("This application is closed."))
        # The offered seat is held for this booking: taking it cannot fill the shift past capacity.
        booking.state, booking.offer_expires_at = Seat.ACCEPTED, None
        booking.save(update_fields=["state", "offer_expires_at"])
        if application.state == State.WAITLISTED:
            transition(application, to=State.ACCEPTED, by=by)
        _sync_offer_deadline(application)
        audit.record("take_offer", by=by, obj=application, changes={"shift": booking.shift_id})
    transaction.on_commit(lambda: _notify_coordinators(application, "volunteers/email/offer_taken"))
    return booking


def decline_offer(booking: Booking, *, by) -> Booking:
    """The volunteer lets the offered seat go: it is offered to the next volunteer waiting."""
    with transaction.atomic():
        booking = Booking.objects.select_for_update().select_related("application__profile").get(pk=booking.pk)
        require(by, "volunteers.take_place", booking.application)
        if booking.state != Seat.OFFERED:
            raise Conflict(_("This place is no longer offered to you."))
        offered = _lapse(booking, by=by, why="decline_offer")
    _notify_offers(offered)
    return booking


def expire_offers(now: dt.datetime | None = None) -> int:
    """Offers whose deadline passed go to the next volunteer waiting; how many lapsed. Each booking
    is locked and re-checked, so running this often, or twice at once, changes nothing twice."""
    now = now or timezone.now()
    lapsed = 0
    for pk in Booking.objects.filter(state=Seat.OFFERED, offer_expires_at__lte=now).values_list("pk", flat=True):
        with transaction.atomic():
            booking = Booking.objects.select_for_update().filter(pk=pk, state=Seat.OFFERED).first()
            if booking is None or booking.offer_expires_at is None or booking.offer_expires_at > now:
                continue
            offered = _lapse(booking, by=None, why="offer_expired")
            lapsed += 1
        _notify_offers(offered)
    return lapsed


def _lapse(booking: Booking, *, by, why: str) -> list[Booking]:
    """The offered seat is declined (by the volunteer, or by the clock); the application is declined
    when nothing of it remains open; the seat goes to the next volunteer waiting."""
    booking.state, booking.offer_expires_at = Seat.DECLINED, None
    booking.save(update_fields=["state", "offer_expires_at"])
    application = _locked(booking.application)
    audit.record(why, by=by, obj=application, changes={"shift": booking.shift_id})
    still_open = application.bookings.filter(state__in=(Seat.ACCEPTED, Seat.OFFERED, Seat.WAITLISTED)).exists()
    if application.state == State.WAITLISTED and not still_open:
        transition(application, to=State.DECLINED, by=by, check_permission=False, reason=why)
    _sync_offer_deadline(application)
    return _offer_freed([booking.shift_id])


# --- Seats freed and offered ----------------------------------------------------------------------


def _release(application: Application, *, to: str) -> list[int]:
    """Release the application's shifts not yet worked; the shifts whose seat was freed."""
    open_bookings = application.bookings.filter(
        state__in=(Seat.REQUESTED, Seat.ACCEPTED, Seat.OFFERED, Seat.WAITLISTED), checked_in_at=None
    )
    freed = list(open_bookings.filter(state__in=Booking.SEAT_STATES).values_list("shift_id", flat=True))
    open_bookings.update(state=to, offer_expires_at=None)
    Application.objects.filter(pk=application.pk).update(offer_expires_at=None)
    if freed:
        _places_changed(application.opportunity_id)
    return freed


def _places_changed(opportunity_id: int) -> None:
    """Places were taken or freed by a bulk write (which sends no signal): once committed, the
    opportunity becomes full, or open again (``opportunities.update_fullness``)."""

    def refresh() -> None:
        opportunity = Opportunity.objects.filter(pk=opportunity_id).first()
        if opportunity is not None:
            update_fullness(opportunity)

    transaction.on_commit(refresh)


def _offer_hours(opportunity: Opportunity) -> int:
    policy = (
        VolunteeringPolicy.objects.filter(network__memberships__organisation_id=opportunity.organisation_id)
        .order_by("pk")
        .first()
    )
    return policy.offer_hours if policy is not None else DEFAULT_OFFER_HOURS


def _offer_freed(shift_ids: Iterable[int]) -> list[Booking]:
    """Offer each free seat of these shifts to the first waitlisted booking of a reviewed
    application (first come, first offered); the bookings offered."""
    offered: list[Booking] = []
    shift_ids = list(shift_ids)
    if not shift_ids:
        return offered
    now = timezone.now()
    locked = _locked_shifts(shift_ids)
    taken = seats_taken(locked)
    for shift in locked.values():
        if shift.cancelled or shift.starts_at <= now:
            continue
        free = shift.capacity - taken.get(shift.pk, 0)
        if free <= 0:
            continue
        waiting = (
            Booking.objects.filter(shift=shift, state=Seat.WAITLISTED, application__state__in=REVIEWED)
            .select_related("application__opportunity")
            .order_by("application__created_at", "pk")[:free]
        )
        for booking in waiting:
            hours = _offer_hours(booking.application.opportunity)
            booking.state = Seat.OFFERED
            booking.offer_expires_at = min(now + dt.timedelta(hours=hours), shift.starts_at)
            booking.save(update_fields=["state", "offer_expires_at"])
            _sync_offer_deadline(booking.application)
            audit.record(
                "offer",
                by=None,
                obj=booking.application,
                changes={"shift": shift.pk, "until": booking.offer_expires_at.isoformat()},
            )
            offered.append(booking)
    return offered


def _sync_offer_deadline(application: Application) -> None:
    """The application shows its nearest open offer's deadline (none when no offer is open)."""
    first = (
        application.bookings.filter(state=Seat.OFFERED)
        .order_by("offer_expires_at")
        .values_list("offer_expires_at", flat=True)
        .first()
    )
    Application.objects.filter(pk=application.pk).update(offer_expires_at=first)


def _locked(application: Application) -> Application:
    """The application, locked (its row only: places are guarded by the shifts' locks)."""
    return (
        Application.objects.select_for_update(of=("self",))
        .select_related("opportunity__organisation", "profile")
        .get(pk=application.pk)
    )


# --- Ratings ------------------------------------------------------------------------------------------


def rate(application: Application, *, by, rating: int, comment: str = "", side: str) -> Application:
    """One side rates the other (1–5, a comment) once a shift of the application was attended.
    ``side`` is "volunteer" (the volunteer rates the organisation) or "organisation"."""
    permission = {"volunteer": "volunteers.rate_organisation", "organisation": "volunteers.rate_volunteer"}.get(side)
    if permission is None:
        raise TansiqError(_("Unknown field."), field="side")
    require(by, permission, application)
    if not isinstance(rating, int) or not 1 <= rating <= 5:
        raise TansiqError(_("Give a rating from 1 to 5."), field="rating")
    if not application.bookings.filter(attendance=Booking.Attendance.ATTENDED).exists():
        raise Conflict(_("Ratings open once a shift has been attended."))
    fields = (
        ("volunteer_rating", "volunteer_comment")
        if side == "volunteer"
        else ("organisation_rating", "organisation_comment")
    )
    with transaction.atomic():
        application = _locked(application)
        if getattr(application, fields[0]) is not None:
            raise Conflict(_("You have already rated this."))
        setattr(application, fields[0], rating)
        setattr(application, fields[1], comment.strip())
        application.save(update_fields=[*fields, "updated_at"])
        audit.record("rate", by=by, obj=application, changes={"side": side, "rating": rating})
    return application


# --- Notifications ----------------------------------------------------------------------------------


def _coordinators(application: Application):
    return (
        get_user_model()
        .objects.filter(
            memberships__organisation_id=application.opportunity.organisation_id,
            memberships__role__in=COORDINATORS,
            is_active=True,
        )
        .distinct()
    )


def _notify_coordinators(application: Application, template: str) -> None:
    application = (
        Application.objects.select_related("opportunity__organisation", "profile").filter(pk=application.pk).first()
    )
    if application is None:  # withdrawn as its volunteer erased their data: nothing left to show
        return
    for user in _coordinators(application):
        with translation.override(user.language):
            link = reverse("volunteers:application", args=[application.uuid])
        notify.notify(
            user,
            "volunteers.roster",
            template=template,
            context={"application": application, "opportunity": application.opportunity, "link": link},
            url=link,
            obj=application,
        )


def _notify_volunteer(application: Application, template: str, booking: Booking | None = None) -> None:
    application = Application.objects.select_related("opportunity__organisation", "profile__user").get(
        pk=application.pk
    )
    user = application.profile.user
    with translation.override(user.language):
        link = reverse("volunteers:my_applications")
    notify.notify(
        user,
        "volunteers.applications",
        template=template,
        context={
            "application": application,
            "opportunity": application.opportunity,
            "booking": booking,
            "link": link,
        },
        url=link,
        obj=application,
    )


def _notify_offers(offered: list[Booking]) -> None:
    for booking in offered:
        transaction.on_commit(
            lambda booking=booking: _notify_volunteer(booking.application, "volunteers/email/place_offered", booking)
        )


@background()
def pass_on_expired_offers() -> int:
    """The scheduled job (several times a day): offers past their deadline go to the next volunteer."""
    return expire_offers()
