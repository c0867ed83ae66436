"""Every write of volunteers' work: check-in and check-out by QR code, attendance, hours reported
and decided, certificates of hours, and the calendar feed's secret.

Each function checks the rule, changes inside a transaction and writes an audit entry; the
notifications leave after commit (``core.notify`` queues the e-mail that way).
"""

from __future__ import annotations

import datetime as dt
import secrets
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Min, Sum
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tansiq.core import audit, certificates, notify
from tansiq.core.errors import Conflict, TansiqError
from tansiq.core.rules import require
from tansiq.volunteers.models import Application, Booking, CalendarFeed, HoursEntry, Shift, VolunteerProfile

# The volunteer may check in from this long before the shift starts until it ends.
CHECK_IN_OPENS = dt.timedelta(hours=2)
MAX_HOURS_A_DAY = Decimal(24)
HOURS_KIND = "volunteers.hours"
CHECKOUT_KIND = "volunteers.checkout"
HOURS_DECIDED_KIND = "volunteers.hours_decided"
CERTIFICATE_KIND = "volunteers.certificate"

HOLDS_A_PLACE = (Application.State.ACCEPTED, Application.State.CONFIRMED)


# --- What waits for coordinators (kept in the cache for the home page) ---------------------------------


def remember_work_waiting(organisation_ids) -> None:
    """After commit: recompute, for each coordinator of these organisations, the hours they may
    approve and the check-outs missing, and keep it in the cache where the home page reads it."""
    from django.core.cache import cache

    from tansiq.network.models import Membership
    from tansiq.network.rules import EDITORS
    from tansiq.volunteers.queries.hours import waiting_key, waiting_summary

    ids = sorted({pk for pk in organisation_ids if pk})

    def refresh() -> None:
        people = {
            membership.user
            for membership in Membership.objects.filter(organisation_id__in=ids, role__in=EDITORS).select_related(
                "user"
            )
        }
        cache.set_many({waiting_key(user): waiting_summary(user) for user in people}, timeout=None)

    if ids:
        transaction.on_commit(refresh)


def remember_all_work_waiting() -> None:
    """Every organisation with hours waiting or a check-out missing (the daily job, the demo)."""
    pending = HoursEntry.objects.filter(state=HoursEntry.State.PENDING).values_list("organisation_id", flat=True)
    missing = Booking.objects.filter(
        checkout_missing_flagged_at__isnull=False, checked_out_at__isnull=True
    ).values_list("shift__opportunity__organisation_id", flat=True)
    remember_work_waiting({*pending.distinct(), *missing.distinct()})


# --- Check-in and check-out ---------------------------------------------------------------------------


def rotate_checkin_token(shift: Shift, *, by) -> Shift:
    """A new QR code for the shift (the old one, perhaps photographed and shared, stops working)."""
    require(by, "volunteers.coordinate_shifts", shift)
    with transaction.atomic():
        shift.checkin_token = secrets.token_urlsafe(32)
        shift.save(update_fields=["checkin_token"])
        audit.record("update", by=by, obj=shift, changes={"fields": ["checkin_token"]})
    return shift


def _locked_booking(**lookup) -> Booking | None:
    return (
        Booking.objects.select_for_update(of=("self",))
        .select_related("shift__opportunity__organisation", "application__profile__user")
        .filter(**lookup)
        .first()
    )


def _check_may_attend(booking: Booking, now: dt.datetime) -> None:
    if booking.state != Booking.State.ACCEPTED or booking.application.state not in HOLDS_A_PLACE:
        raise Conflict(_("This volunteer has no accepted place on this shift."), field="code")
    if booking.shift.cancelled:
        raise Conflict(_("This shift is cancelled."), field="code")
    if now < booking.shift.starts_at - CHECK_IN_OPENS:
        raise Conflict(_("Check-in opens two hours before the shift starts."), field="code")


def _do_check_in(booking: Booking, *, by, now: dt.datetime, how: str) -> Booking:
    _check_may_attend(booking, now)
    if booking.checked_out_at is not None:
        raise Conflict(_("This code has already been used to check in and out."), field="code")
    if booking.checked_in_at is not None:
        raise Conflict(_("This volunteer is already checked in."), field="code")
    if now > booking.shift.ends_at:
        raise Conflict(_("This shift has ended: record attendance instead."), field="code")
    booking.checked_in_at = now
    booking.save(update_fields=["checked_in_at"])
    audit.record("transition", by=by, obj=booking, from_state="accepted", to_state="checked_in", changes={"how": how})
    return booking


def check_in(shift: Shift, code: str, *, by, now: dt.datetime | None = None) -> Booking:
    """The coordinator scans (or types) a volunteer's code for ``shift``.

    Refused: a code that is no booked shift's (forged), one for another shift, a place not accepted,
    a second check-in, a code already used to check in and out.
    """
    require(by, "volunteers.coordinate_shifts", shift)
    with transaction.atomic():
        return _do_check_in(_booking_by_code(shift, code), by=by, now=now or timezone.now(), how="volunteer's code")


def _booking_by_code(shift: Shift, code: str) -> Booking:
    """The booked shift whose code the coordinator scanned, locked; a forged code or one for
    another shift is refused."""
    code = (code or "").strip()
    booking = _locked_booking(code=code) if code else None
    if booking is None:
        raise TansiqError(_("This code is not valid."), field="code")
    if booking.shift_id != shift.pk:
        raise Conflict(_("This code is for another shift."), field="code")
    return booking


def _own_booking_by_token(token: str, user) -> Booking:
    """The volunteer's own booked shift on the shift whose code they scanned, locked."""
    booking = _locked_booking(shift=shift_for_token(token), application__profile__user=user)
    if booking is None:
        raise Conflict(_("You have no place on this shift."), field="code")
    return booking


def check_in_with_shift_code(token: str, *, by, now: dt.datetime | None = None) -> Booking:
    """The volunteer scans the shift's code (``Shift.checkin_token``) and checks in themselves."""
    with transaction.atomic():
        return _do_check_in(_own_booking_by_token(token, by), by=by, now=now or timezone.now(), how="shift's code")


def shift_for_token(token: str) -> Shift:
    """The shift whose current check-in code this is; a forged or rotated code is refused."""
    token = (token or "").strip()
    shift = (
        Shift.objects.select_related("opportunity__organisation").filter(checkin_token=token).first() if token else None
    )
    if shift is None:
        raise TansiqError(_("This code is not valid."), field="code")
    return shift


def _shift_length_hours(booking: Booking, checked_in: dt.datetime, checked_out: dt.datetime) -> Decimal:
    """Hours between check-in and check-out, capped at the shift's length, to the quarter hour
    below (at least a quarter)."""
    worked = min(checked_out - checked_in, booking.shift.ends_at - booking.shift.starts_at)
    quarters = max(1, int(worked.total_seconds() // 900))
    return min(Decimal(quarters) / 4, MAX_HOURS_A_DAY)


def _check_out(booking: Booking, *, by, now: dt.datetime, how: str) -> Booking:
    if booking.checked_in_at is None:
        raise Conflict(_("This volunteer has not checked in."), field="code")
    if booking.checked_out_at is not None:
        raise Conflict(_("This code has already been used to check in and out."), field="code")
    booking.checked_out_at = now
    booking.attendance = Booking.Attendance.ATTENDED
    booking.save(update_fields=["checked_out_at", "attendance"])
    entry = HoursEntry.objects.create(
        profile=booking.application.profile,
        booking=booking,
        organisation=booking.shift.opportunity.organisation,
        opportunity=booking.shift.opportunity,
        date=timezone.localdate(booking.shift.starts_at),
        hours=_shift_length_hours(booking, booking.checked_in_at, now),
        source=HoursEntry.Source.CHECK_IN,
    )
    audit.record(
        "transition",
        by=by,
        obj=booking,
        from_state="checked_in",
        to_state="checked_out",
        changes={"how": how, "hours": str(entry.hours)},
    )
    remember_work_waiting([entry.organisation_id])
    return booking


def check_out(shift: Shift, code: str, *, by, now: dt.datetime | None = None) -> Booking:
    """The coordinator scans the volunteer's code again as they leave: a pending hours entry is
    created from the check-in time, capped at the shift's length."""
    require(by, "volunteers.coordinate_shifts", shift)
    with transaction.atomic():
        return _check_out(_booking_by_code(shift, code), by=by, now=now or timezone.now(), how="volunteer's code")


def check_out_with_shift_code(token: str, *, by, now: dt.datetime | None = None) -> Booking:
    with transaction.atomic():
        return _check_out(_own_booking_by_token(token, by), by=by, now=now or timezone.now(), how="shift's code")


def record_attendance(booking: Booking, attendance: str, *, by, now: dt.datetime | None = None) -> Booking:
    """The coordinator records that the volunteer came or did not come (once the shift has begun)."""
    require(by, "volunteers.coordinate_shifts", booking)
    if attendance not in (Booking.Attendance.ATTENDED, Booking.Attendance.NO_SHOW):
        raise TansiqError(_("Choose attended or did not come."), field="attendance")
    now = now or timezone.now()
    with transaction.atomic():
        booking = _locked_booking(pk=booking.pk)
        if booking.state != Booking.State.ACCEPTED:
            raise Conflict(_("This volunteer has no accepted place on this shift."))
        if now < booking.shift.starts_at:
            raise Conflict(_("Attendance is recorded once the shift has begun."))
        if attendance == Booking.Attendance.NO_SHOW and booking.checked_in_at is not None:
            raise Conflict(_("This volunteer checked in: they cannot be marked as absent."))
        before = booking.attendance
        booking.attendance = attendance
        booking.save(update_fields=["attendance"])
        audit.record("transition", by=by, obj=booking, from_state=before or "unknown", to_state=attendance)
    return booking


def flag_missing_checkouts(*, now: dt.datetime | None = None) -> int:
    """The daily job: a volunteer who checked in to a shift that ended before today and never
    checked out is flagged once, and the organisation's coordinators are told. Safe to run often."""
    from tansiq.network.models import Membership
    from tansiq.network.rules import EDITORS

    now = now or timezone.now()
    start_of_today = timezone.make_aware(dt.datetime.combine(timezone.localdate(now), dt.time.min))
    flagged = 0
    with transaction.atomic():
        missing = list(
            Booking.objects.select_for_update(of=("self",))
            .filter(
                checked_in_at__isnull=False,
                checked_out_at__isnull=True,
                checkout_missing_flagged_at__isnull=True,
                shift__ends_at__lt=start_of_today,
            )
            .select_related("shift__opportunity__organisation")
        )
        by_organisation: dict = {}
        for booking in missing:
            booking.checkout_missing_flagged_at = now
            booking.save(update_fields=["checkout_missing_flagged_at"])
            by_organisation.setdefault(booking.shift.opportunity.organisation, []).append(booking)
            flagged += 1
        for organisation, bookings in by_organisation.items():
            people = Membership.objects.filter(
                organisation=organisation, role__in=EDITORS, user__is_active=True
            ).select_related("user")
            for membership in people:
                with translation.override(membership.user.language):
                    link = reverse("volunteers:organisation_shifts", args=[organisation.slug]) + "?missing=1"
                notify.notify(
                    membership.user,
                    CHECKOUT_KIND,
                    template="volunteers/email/checkout_missing",
                    context={"organisation": organisation, "count": len(bookings), "link": link},
                    url=link,
                    obj=organisation,
                )
        remember_work_waiting(organisation.pk for organisation in by_organisation)
    return flagged


# --- Hours ----------------------------------------------------------------------------------------------


def report_hours(profile: VolunteerProfile, *, by, opportunity, date: dt.date, hours: Decimal, note: str) -> HoursEntry:
    """The volunteer reports hours given to an opportunity they hold a place with, with a note.

    Refused: a date in the future, more than 24 hours, more than the shift's length when a shift
    of theirs falls on that day, and a second report for a shift already counted.
    """
    require(by, "volunteers.change_own_profile", profile)
    note = (note or "").strip()
    hours = Decimal(hours)
    if not note:
        raise TansiqError(_("Say what you did in a short note."), field="note")
    if date > timezone.localdate():
        raise TansiqError(_("Hours cannot be reported for a day still to come."), field="date")
    if hours <= 0:
        raise TansiqError(_("Give a number of hours greater than zero."), field="hours")
    if hours > MAX_HOURS_A_DAY:
        raise TansiqError(_("A day has at most 24 hours."), field="hours")
    if not Application.objects.filter(profile=profile, opportunity=opportunity, state__in=HOLDS_A_PLACE).exists():
        raise TansiqError(
            _("You can report hours only for an opportunity where you have a place."), field="opportunity"
        )
    with transaction.atomic():
        bookings = [
            booking
            for booking in Booking.objects.select_for_update(of=("self",))
            .select_related("shift")
            .filter(application__profile=profile, shift__opportunity=opportunity, state=Booking.State.ACCEPTED)
            if timezone.localdate(booking.shift.starts_at) == date
        ]
        booking = bookings[0] if bookings else None
        if booking is not None:
            if hours > Decimal(str(round(booking.shift.hours, 2))):
                raise TansiqError(_("That is longer than the shift you had that day."), field="hours")
            if booking.hours.exclude(state=HoursEntry.State.DECLINED).exists():
                raise Conflict(_("Hours for this shift are already recorded."), field="date")
        entry = HoursEntry.objects.create(
            profile=profile,
            booking=booking,
            organisation=opportunity.organisation,
            opportunity=opportunity,
            date=date,
            hours=hours.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP),
            note=note,
            source=HoursEntry.Source.REPORTED,
        )
        audit.record("create", by=by, obj=entry, changes={"hours": str(entry.hours), "date": date.isoformat()})
        remember_work_waiting([entry.organisation_id])
    return entry


def _notify_decided(entries: list[HoursEntry]) -> None:
    by_profile: dict = {}
    for entry in entries:
        if entry.profile is not None:
            by_profile.setdefault(entry.profile, []).append(entry)
    for profile, decided in by_profile.items():
        user = profile.user
        with translation.override(user.language):
            link = reverse("volunteers:my_hours")
        notify.notify(
            user,
            HOURS_DECIDED_KIND,
            template="volunteers/email/hours_decided",
            context={"entries": decided, "link": link},
            url=link,
            obj=decided[0],
        )


def approve_hours(entries, *, by) -> list[HoursEntry]:
    """Approve pending hours (one or many at once). Nobody approves their own hours; an entry
    already decided is left as it is (a bulk approval may race another approver)."""
    ids = [entry.pk for entry in entries]
    approved = []
    now = timezone.now()
    with transaction.atomic():
        for entry in (
            HoursEntry.objects.select_for_update(of=("self",)).select_related("profile__user").filter(pk__in=ids)
        ):
            require(by, "volunteers.approve_hours", entry)
            if entry.profile is not None and entry.profile.user_id == by.pk:
                raise TansiqError(_("You cannot approve your own hours."))
            if entry.state != HoursEntry.State.PENDING:
                continue
            entry.state, entry.decided_by, entry.decided_at = HoursEntry.State.APPROVED, by, now
            entry.save(update_fields=["state", "decided_by", "decided_at"])
            audit.record("transition", by=by, obj=entry, from_state="pending", to_state="approved")
            approved.append(entry)
        _notify_decided(approved)
        remember_work_waiting(entry.organisation_id for entry in approved)
    return approved


def decline_hours(entry: HoursEntry, *, by, reason: str) -> HoursEntry:
    """Decline pending hours with a reason; the entry stays on record, declined."""
    require(by, "volunteers.approve_hours", entry)
    reason = (reason or "").strip()
    if not reason:
        raise TansiqError(_("Say why these hours are declined."), field="reason")
    with transaction.atomic():
        entry = HoursEntry.objects.select_for_update(of=("self",)).select_related("profile__user").get(pk=entry.pk)
        if entry.profile is not None and entry.profile.user_id == by.pk:
            raise TansiqError(_("You cannot decide on your own hours."))
        if entry.state != HoursEntry.State.PENDING:
            raise Conflict(_("These hours have already been decided."))
        entry.state, entry.decided_by, entry.decided_at = HoursEntry.State.DECLINED, by, timezone.now()
        entry.decline_reason = reason
        entry.save(update_fields=["state", "decided_by", "decided_at", "decline_reason"])
        audit.record("transition", by=by, obj=entry, from_state="pending", to_state="declined", reason=reason)
        _notify_decided([entry])
        remember_work_waiting([entry.organisation_id])
    return entry


# --- Certificates of hours --------------------------------------------------------------------------------


def approved_hours_between(profile, organisation, start: dt.date, end: dt.date) -> tuple[Decimal, list[str]]:
    """Approved hours of ``profile`` with ``organisation`` from ``start`` to ``end`` (inclusive),
    and the opportunities' ids they were given to."""
    found = HoursEntry.objects.filter(
        profile=profile, organisation=organisation, state=HoursEntry.State.APPROVED, date__range=(start, end)
    )
    total = found.aggregate(total=Sum("hours"))["total"] or Decimal(0)
    return total, sorted({str(pk) for pk in found.values_list("opportunity_id", flat=True) if pk})


def first_approved_day(profile, organisation) -> dt.date | None:
    return HoursEntry.objects.filter(
        profile=profile, organisation=organisation, state=HoursEntry.State.APPROVED
    ).aggregate(first=Min("date"))["first"]


def issue_hours_certificate(
    organisation,
    profile: VolunteerProfile,
    *,
    by,
    start: dt.date,
    end: dt.date,
    signatory_name: str = "",
    signatory_title: str = "",
):
    """The organisation certifies the hours it approved for ``profile`` over a period, in the
    volunteer's language, in its own name and its signatory's."""
    from tansiq.volunteers.models import Opportunity

    require(by, "volunteers.approve_hours", organisation)
    if start > end:
        raise TansiqError(_("The period must end on or after its first day."), field="end")
    if end > timezone.localdate():
        raise TansiqError(_("The period cannot end in the future."), field="end")
    total, opportunity_ids = approved_hours_between(profile, organisation, start, end)
    if total <= 0:
        raise TansiqError(_("There are no approved hours in this period."), field="start")
    language = profile.user.language
    with translation.override(language):
        organisation_name = organisation.name
        titles = [str(opportunity.title) for opportunity in Opportunity.objects.filter(pk__in=opportunity_ids)]
    with transaction.atomic():
        certificate = certificates.issue(
            kind=HOURS_KIND,
            holder=profile.user,
            holder_name=profile.display_name,
            organisation_name=organisation_name,
            facts={
                "hours": float(total),
                "start": start,
                "end": end,
                "opportunity": titles[0] if len(titles) == 1 else "",
            },
            by=by,
            signatory_name=signatory_name or getattr(by, "display_name", ""),
            signatory_title=signatory_title,
            language=language,
            source=organisation,
        )
        with translation.override(language):
            link = reverse("volunteers:dashboard")
        notify.notify(
            profile.user,
            CERTIFICATE_KIND,
            template="volunteers/email/certificate_issued",
            context={"certificate": certificate, "link": link},
            url=link,
            obj=certificate,
        )
    return certificate


# --- The calendar feed ----------------------------------------------------------------------------------


def renew_calendar_feed(user, *, by) -> CalendarFeed:
    """A new secret address for the user's calendar of shifts; the previous one stops working."""
    if by is None or by.pk != user.pk:
        raise TansiqError(_("You are not allowed to do this."), code="forbidden")
    with transaction.atomic():
        feed, created = CalendarFeed.objects.select_for_update().get_or_create(
            user=user, defaults={"token": secrets.token_urlsafe(32)}
        )
        if not created:
            feed.token = secrets.token_urlsafe(32)
            feed.save(update_fields=["token"])
        audit.record("create" if created else "update", by=by, obj=feed, changes={"what": "calendar address"})
    return feed


def revoke_calendar_feed(user, *, by) -> None:
    if by is None or by.pk != user.pk:
        raise TansiqError(_("You are not allowed to do this."), code="forbidden")
    with transaction.atomic():
        for feed in CalendarFeed.objects.filter(user=user):
            audit.record("delete", by=by, obj=feed, changes={"what": "calendar address"})
            feed.delete()
