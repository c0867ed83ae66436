"""Reads of volunteers' work (shifts, check-ins, hours, certificates, tiers), scoped to the reader."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.http import Http404
from django.utils import timezone

from tansiq.volunteers.models import Application, Booking, HoursEntry, Opportunity, Shift, Tier, VolunteerProfile

HOURS_KIND = "volunteers.hours"
HOLDS_A_PLACE = (Application.State.ACCEPTED, Application.State.CONFIRMED)


# --- The organisation's side -------------------------------------------------------------------------


def organisations_coordinated(user):
    """Organisations whose shifts the user coordinates (owner, admin or editor)."""
    from tansiq.network.models import Organisation
    from tansiq.network.rules import EDITORS

    return Organisation.objects.filter(people__user=user, people__role__in=EDITORS).distinct().order_by("slug")


def organisation_for(user, slug: str, permission: str = "volunteers.coordinate_shifts"):
    """The organisation, or 404 to anyone who does not coordinate (or approve hours for) it."""
    from tansiq.network.queries.directory import organisation_for as visible_organisation

    organisation, _editable = visible_organisation(user, slug)
    if not user.has_perm(permission, organisation):
        raise Http404
    return organisation


def shifts_of(organisation, *, missing_only: bool = False):
    """The organisation's shifts with their seats taken and check-ins, soonest first."""
    found = Shift.objects.filter(opportunity__organisation=organisation, cancelled=False)
    if missing_only:
        found = found.filter(
            bookings__checked_in_at__isnull=False,
            bookings__checked_out_at__isnull=True,
            bookings__checkout_missing_flagged_at__isnull=False,
        ).distinct()
    return (
        found.select_related("opportunity")
        .annotate(
            taken=Count("bookings", filter=Q(bookings__state=Booking.State.ACCEPTED), distinct=True),
            checked_in=Count("bookings", filter=Q(bookings__checked_in_at__isnull=False), distinct=True),
        )
        .order_by("-starts_at", "pk")
    )


def shift_for(user, opportunity_uuid, pk: int) -> Shift:
    """A shift its organisation's coordinators may run, or 404 (no hint that it exists)."""
    shift = (
        Shift.objects.select_related("opportunity__organisation")
        .filter(opportunity__uuid=opportunity_uuid, pk=pk)
        .first()
    )
    if shift is None or not user.has_perm("volunteers.coordinate_shifts", shift):
        raise Http404
    return shift


def roster_of(shift: Shift):
    """Who holds a place on the shift, with their check-in state."""
    return (
        Booking.objects.filter(shift=shift, state=Booking.State.ACCEPTED, application__state__in=HOLDS_A_PLACE)
        .select_related("application__profile")
        .order_by("application__profile__legal_name", "pk")
    )


def booking_on(shift: Shift, pk) -> Booking:
    booking = Booking.objects.select_related("shift__opportunity__organisation").filter(shift=shift, pk=pk).first()
    if booking is None:
        raise Http404
    return booking


def hours_of_organisation(organisation):
    return HoursEntry.objects.filter(organisation=organisation).select_related("profile", "opportunity", "decided_by")


def hours_entries_for(user, ids) -> list[HoursEntry]:
    """The entries among ``ids`` the user may decide on (others are silently left out)."""
    entries = HoursEntry.objects.filter(pk__in=ids).select_related("organisation", "profile")
    return [entry for entry in entries if user.has_perm("volunteers.approve_hours", entry)]


def hours_entry_for(user, pk) -> HoursEntry:
    entry = HoursEntry.objects.select_related("organisation", "profile").filter(pk=pk).first()
    if entry is None or not user.has_perm("volunteers.approve_hours", entry):
        raise Http404
    return entry


def volunteers_to_certify(organisation):
    """Volunteers with approved hours at the organisation: their total and their first day."""
    from django.db.models import Max, Min

    return (
        VolunteerProfile.objects.filter(
            hours_entries__organisation=organisation, hours_entries__state=HoursEntry.State.APPROVED
        )
        .annotate(
            approved=Sum("hours_entries__hours"),
            first_day=Min("hours_entries__date"),
            last_day=Max("hours_entries__date"),
        )
        .order_by("legal_name", "pk")
    )


def certified_volunteer(organisation, uuid) -> VolunteerProfile:
    profile = volunteers_to_certify(organisation).filter(uuid=uuid).select_related("user").first()
    if profile is None:
        raise Http404
    return profile


def certificates_of_organisation(organisation):
    from django.contrib.contenttypes.models import ContentType

    from tansiq.core.models import Certificate

    return Certificate.objects.filter(
        kind=HOURS_KIND, content_type=ContentType.objects.get_for_model(organisation), object_id=str(organisation.pk)
    )


def certificate_of_organisation(organisation, code: str):
    certificate = certificates_of_organisation(organisation).filter(code=code).first()
    if certificate is None:
        raise Http404
    return certificate


WAITING_KEY = "tansiq:volunteers:waiting:{pk}"


def waiting_key(user) -> str:
    return WAITING_KEY.format(pk=user.pk)


def waiting_summary(user) -> dict:
    """``work_waiting_for`` as plain data for the cache: per organisation its slug, its name in
    each language and the count."""
    from django.conf import settings

    def rows(found):
        return [
            (
                organisation.slug,
                {code: getattr(organisation, f"name_{code}") or organisation.name for code, _n in settings.LANGUAGES},
                count,
            )
            for organisation, count in found
        ]

    to_approve, missing = work_waiting_for(user)
    return {"approve": rows(to_approve), "missing": rows(missing)}


def work_waiting_for(user) -> tuple[list[tuple], list[tuple]]:
    """For the home page's "needs my action", in two queries at most and none for someone who
    coordinates nothing: (organisation, pending hours) where the user approves hours, and
    (organisation, check-outs missing) where they coordinate shifts.

    The organisations and roles come from what the network's provider already read for the page
    (``organisations_of_person``), else from one query."""
    from tansiq.network.models import Membership
    from tansiq.network.queries.directory import KEPT_FOR_THE_PAGE
    from tansiq.network.rules import EDITORS, MANAGERS
    from tansiq.volunteers.models import OrganisationSettings

    kept = getattr(user, KEPT_FOR_THE_PAGE, None)
    if kept is not None:
        roles = {organisation: organisation.my_role for organisation in kept if organisation.my_role in EDITORS}
    else:
        memberships = Membership.objects.filter(user=user, role__in=EDITORS).select_related("organisation")
        roles = {membership.organisation: membership.role for membership in memberships}
    if not roles:
        return [], []
    by_pk = {organisation.pk: organisation for organisation in roles}
    pending = (
        HoursEntry.objects.filter(organisation__in=list(by_pk), state=HoursEntry.State.PENDING)
        .values_list("organisation", "organisation__volunteering_settings__hours_approvers")
        .annotate(count=Count("pk"))
        .order_by()
    )
    to_approve = []
    for pk, approvers, count in pending:
        allowed = EDITORS if approvers == OrganisationSettings.Approvers.EDITORS else MANAGERS
        if roles[by_pk[pk]] in allowed:
            to_approve.append((by_pk[pk], count))
    missing = (
        Booking.objects.filter(
            shift__opportunity__organisation__in=list(by_pk),
            checkout_missing_flagged_at__isnull=False,
            checked_out_at__isnull=True,
        )
        .values_list("shift__opportunity__organisation")
        .annotate(count=Count("pk"))
        .order_by()
    )
    return (
        sorted(to_approve, key=lambda row: row[0].slug),
        sorted(((by_pk[pk], count) for pk, count in missing), key=lambda row: row[0].slug),
    )


# --- The volunteer's side ---------------------------------------------------------------------------------


def own_hours(user):
    return HoursEntry.objects.filter(profile__user=user).select_related("opportunity", "organisation")


def opportunities_to_report(profile):
    """Opportunities where the volunteer holds a place: those they may report hours for."""
    return Opportunity.objects.filter(
        applications__profile=profile, applications__state__in=HOLDS_A_PLACE
    ).select_related("organisation")


def own_shifts(user):
    """The volunteer's places on shifts (accepted), with the opportunity and its organisation."""
    return (
        Booking.objects.filter(
            application__profile__user=user, state=Booking.State.ACCEPTED, application__state__in=HOLDS_A_PLACE
        )
        .select_related("shift__opportunity__organisation", "application")
        .order_by("shift__starts_at", "pk")
    )


def upcoming_shifts(user, *, limit: int | None = None):
    found = own_shifts(user).filter(shift__ends_at__gte=timezone.now(), shift__cancelled=False)
    return found[:limit] if limit else found


def own_booking_on(user, shift: Shift) -> Booking | None:
    return own_shifts(user).filter(shift=shift).first()


def hours_by_month(profile, *, months: int = 12, today: dt.date | None = None) -> list[tuple[dt.date, Decimal]]:
    """Approved hours per month over the last ``months`` months (oldest first, empty months too)."""
    today = today or timezone.localdate()
    first = today.replace(day=1)
    for _step in range(months - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    totals = {
        row["month"].date() if hasattr(row["month"], "date") else row["month"]: row["total"]
        for row in HoursEntry.objects.filter(profile=profile, state=HoursEntry.State.APPROVED, date__gte=first)
        .annotate(month=TruncMonth("date"))
        .values("month")
        .annotate(total=Sum("hours"))
    }
    result, month = [], first
    for _step in range(months):
        result.append((month, plain_hours(totals.get(month, 0))))
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return result


def plain_hours(value) -> Decimal:
    """Hours as people write them: 12, 3.5, 0.25 (not 12.00 or 3.50), whatever the database returned."""
    value = Decimal(value or 0)
    return value.quantize(Decimal(1)) if value == value.to_integral_value() else value.normalize()


def approved_total(profile) -> Decimal:
    return HoursEntry.objects.filter(profile=profile, state=HoursEntry.State.APPROVED).aggregate(total=Sum("hours"))[
        "total"
    ] or Decimal(0)


def tier_of(profile) -> dict:
    """Cumulative approved hours, the highest tier reached and the next one, among the tiers of the
    networks whose member organisations approved the volunteer's hours."""
    from tansiq.network.models import NetworkMembership

    total = approved_total(profile)
    organisations = HoursEntry.objects.filter(profile=profile, state=HoursEntry.State.APPROVED).values(
        "organisation_id"
    )
    networks = NetworkMembership.objects.admitted().filter(organisation_id__in=organisations).values("network_id")
    tiers = list(Tier.objects.filter(network_id__in=networks).order_by("min_hours", "pk"))
    reached = [tier for tier in tiers if tier.min_hours <= total]
    ahead = [tier for tier in tiers if tier.min_hours > total]
    return {
        "total": plain_hours(total),
        "tier": reached[-1] if reached else None,
        "next": ahead[0] if ahead else None,
        "to_next": plain_hours(Decimal(ahead[0].min_hours) - total) if ahead else None,
    }


def own_certificates(user):
    from tansiq.core.models import Certificate

    return (
        Certificate.objects.filter(holder=user, kind=HOURS_KIND)
        if user.is_authenticated
        else Certificate.objects.none()
    )


def feed_user(token: str):
    """The person whose calendar address this is, or None."""
    from tansiq.volunteers.models import CalendarFeed

    feed = CalendarFeed.objects.select_related("user").filter(token=token).first() if token else None
    return feed.user if feed is not None and feed.user.is_active else None


def calendar_feed_of(user):
    from tansiq.volunteers.models import CalendarFeed

    return CalendarFeed.objects.filter(user=user).first()


def own_work_data(user) -> dict:
    """The volunteer's applications, booked shifts, hours and certificates, for their own download."""
    from tansiq.volunteers.queries.profiles import plain

    applications = Application.objects.filter(profile__user=user).select_related("opportunity__organisation")
    bookings = Booking.objects.filter(application__profile__user=user).select_related("shift__opportunity")
    return {
        "applications": [
            {
                "opportunity": str(application.opportunity.title),
                "organisation": str(application.opportunity.organisation.name),
                "state": application.state,
                "submitted": plain(application.created_at),
                "motivation": application.motivation,
                "answers": application.answers,
                "my_rating": application.volunteer_rating,
                "my_comment": application.volunteer_comment,
            }
            for application in applications
        ],
        "shifts": [
            {
                "opportunity": str(booking.shift.opportunity.title),
                "starts_at": plain(booking.shift.starts_at),
                "ends_at": plain(booking.shift.ends_at),
                "state": booking.state,
                "checked_in_at": plain(booking.checked_in_at),
                "checked_out_at": plain(booking.checked_out_at),
                "attendance": booking.attendance,
            }
            for booking in bookings
        ],
        "hours": [
            {
                "date": plain(entry.date),
                "hours": str(entry.hours),
                "organisation": str(entry.organisation.name),
                "opportunity": str(entry.opportunity.title) if entry.opportunity else "",
                "source": entry.source,
                "state": entry.state,
                "note": entry.note,
                "decline_reason": entry.decline_reason,
            }
            for entry in own_hours(user)
        ],
        "certificates": [
            {
                "code": certificate.code,
                "organisation": certificate.organisation_name,
                "issued_at": plain(certificate.issued_at),
                "revoked_at": plain(certificate.revoked_at),
                "facts": certificate.facts,
            }
            for certificate in own_certificates(user)
        ],
    }
