"""The demo's volunteering hours: shifts that took place with check-ins and check-outs, hours
approved, waiting and declined, certificates issued by organisations (one revoked), and the
networks' tiers (500 and 1 000 hours), with two long-serving volunteers past the first.

Uses the past shifts with accepted places already in the demo; when there are too few (the
opportunities of the demo are loaded by another module), it creates a few opportunities of its own
at the organisations the demo people act for. Deterministic (a fixed seed, fixed dates relative to
the day it is loaded) and idempotent: loading twice adds nothing.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

TIERS = [
    (500, "متطوع فضي", "Silver volunteer", "Sukarelawan Perak"),
    (1000, "متطوع ذهبي", "Gold volunteer", "Sukarelawan Emas"),
]

# Demo people who keep volunteering for their organisation (owners: they approve hours).
COORDINATORS = ["mariam.alkuwari", "fatimah.zahra", "ahmad.kamal", "nurul.huda", "aylin.demir"]

OPPORTUNITIES = [
    (
        ("بنك الطعام: فرز التبرعات", "Food bank: sorting donations", "Bank makanan: menyusun sumbangan"),
        (
            "فرز المواد الغذائية المتبرع بها وتجهيز السلال للأسر المستحقة.",
            "Sort donated food and pack baskets for families in need.",
            "Menyusun makanan yang didermakan dan membungkus bakul untuk keluarga yang memerlukan.",
        ),
        "community-support",
    ),
    (
        ("دروس التقوية لطلاب المرحلة الإعدادية", "Homework club for middle-school pupils", "Kelab kerja rumah"),
        (
            "مساعدة الطلاب في الرياضيات والعلوم واللغة الإنجليزية بعد الدوام المدرسي.",
            "Help pupils with mathematics, science and English after school.",
            "Membantu murid dalam matematik, sains dan bahasa Inggeris selepas waktu sekolah.",
        ),
        "education",
    ),
]

NOTES = [
    "ساعدت في تنظيم المستودع.",
    "Helped at the registration desk.",
    "Membantu di kaunter pendaftaran.",
    "Prepared the workshop room.",
    "رافقت كبار السن في الزيارة.",
]
DECLINE_REASONS = [
    "لم تكن هناك مناوبة في هذا اليوم.",
    "The hours were already counted from the check-in.",
]


def _at(day: dt.date, hour: int) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


def _tiers() -> None:
    from tansiq.network.models import Network
    from tansiq.volunteers.models import Tier

    for network in Network.objects.order_by("pk"):
        for hours, ar, en, ms in TIERS:
            Tier.objects.get_or_create(
                network=network,
                min_hours=hours,
                defaults={"name": ar, "name_ar": ar, "name_en": en, "name_ms": ms},
            )


def _own_opportunities(rng: random.Random, organisations, volunteers, today: dt.date) -> None:
    """A few opportunities with past and coming shifts and confirmed volunteers, at each organisation."""
    from tansiq.volunteers.models import Application, Booking, Cause, Opportunity, Shift

    def token() -> str:
        return f"{rng.getrandbits(192):048x}"[:43]

    causes = {cause.slug: cause for cause in Cause.objects.all()}
    pool = list(volunteers)
    for organisation in organisations:
        for titles, descriptions, sector in OPPORTUNITIES:
            opportunity = Opportunity.objects.create(
                organisation=organisation,
                title=titles[0],
                title_ar=titles[0],
                title_en=titles[1],
                title_ms=titles[2],
                description=descriptions[0],
                description_ar=descriptions[0],
                description_en=descriptions[1],
                description_ms=descriptions[2],
                sector=causes.get(sector),
                state=Opportunity.State.PUBLISHED,
                published_at=_at(today - dt.timedelta(days=90), 9),
                country=organisation.country,
                city=organisation.city,
                languages=["ar", "en"],
            )
            shifts = [
                Shift(
                    opportunity=opportunity,
                    starts_at=_at(today + dt.timedelta(days=offset), 9),
                    ends_at=_at(today + dt.timedelta(days=offset), 13),
                    capacity=10,
                    checkin_token=token(),
                )
                for offset in (-63, -42, -21, -7, 7, 14)
            ]
            Shift.objects.bulk_create(shifts)
            applications = Application.objects.bulk_create(
                Application(opportunity=opportunity, profile=profile, state=Application.State.CONFIRMED)
                for profile in rng.sample(pool, 8)
            )
            Booking.objects.bulk_create(
                Booking(application=application, shift=shift, state=Booking.State.ACCEPTED, code=token())
                for application in applications
                for shift in Shift.objects.filter(opportunity=opportunity)
            )


def load(*, domain: str, stdout=None) -> bool:
    """Create the demo's hours, certificates and tiers once; False when they are already there."""
    from django.db.models import Q
    from django.utils import timezone, translation

    from tansiq.accounts.models import User
    from tansiq.core import certificates
    from tansiq.core.models import Certificate
    from tansiq.network.models import Membership
    from tansiq.volunteers.models import Booking, HoursEntry, VolunteerProfile
    from tansiq.volunteers.services.hours import (
        approved_hours_between,
        first_approved_day,
        remember_all_work_waiting,
    )

    _tiers()
    if Certificate.objects.filter(kind="volunteers.hours").exists():
        return False
    volunteers = list(
        VolunteerProfile.objects.filter(user__email__startswith="volunteer", user__volunteer_acceptances__isnull=False)
        .distinct()
        .order_by("pk")
        .select_related("user")
    )
    if not volunteers:
        return False
    rng = random.Random(1447)
    today = timezone.localdate()
    people = {user.email.split("@")[0]: user for user in User.objects.filter(email__endswith=f"@{domain}")}
    memberships = (
        Membership.objects.filter(user__in=[people[name] for name in COORDINATORS if name in people])
        .select_related("organisation", "user")
        .order_by("user__email", "organisation__slug")
    )
    organisations = list(dict.fromkeys(membership.organisation for membership in memberships))
    past = Booking.objects.filter(
        state=Booking.State.ACCEPTED,
        shift__ends_at__lt=timezone.now(),
        application__state__in=("accepted", "confirmed"),
    )
    if past.count() < 20 and organisations:
        _own_opportunities(rng, organisations, volunteers, today)

    # Check-ins and check-outs of the shifts that took place; the hours they gave.
    entries = []
    bookings = list(
        past.select_related("shift__opportunity__organisation", "application__profile").order_by(
            "shift__starts_at", "pk"
        )
    )
    for index, booking in enumerate(bookings):
        shift = booking.shift
        if index % 11 == 5:
            booking.attendance = Booking.Attendance.NO_SHOW
            continue
        booking.checked_in_at = shift.starts_at + dt.timedelta(minutes=rng.choice([-10, -5, 0, 5, 12]))
        booking.attendance = Booking.Attendance.ATTENDED
        if index % 17 == 3 and shift.ends_at.date() >= today - dt.timedelta(days=8):
            booking.checkout_missing_flagged_at = shift.ends_at + dt.timedelta(hours=16)  # the daily job's flag
            continue
        booking.checked_out_at = shift.ends_at - dt.timedelta(minutes=rng.choice([0, 0, 15, 30]))
        worked = booking.checked_out_at - booking.checked_in_at
        hours = min(Decimal(int(worked.total_seconds() // 900)) / 4, Decimal(str(shift.hours)))
        recent = shift.starts_at.date() >= today - dt.timedelta(days=10)
        entries.append(
            HoursEntry(
                profile=booking.application.profile,
                booking=booking,
                organisation=shift.opportunity.organisation,
                opportunity=shift.opportunity,
                date=timezone.localdate(shift.starts_at),
                hours=hours,
                source=HoursEntry.Source.CHECK_IN,
                state=HoursEntry.State.PENDING if recent else HoursEntry.State.APPROVED,
                decided_at=None if recent else shift.ends_at + dt.timedelta(days=1),
            )
        )
    Booking.objects.bulk_update(
        bookings, ["checked_in_at", "checked_out_at", "attendance", "checkout_missing_flagged_at"], batch_size=500
    )
    # Hours volunteers reported with a note: some waiting, some declined (they stay on record).
    for index, booking in enumerate(bookings[: min(len(bookings), 24)]):
        shift = booking.shift
        declined = index % 4 == 0
        entries.append(
            HoursEntry(
                profile=booking.application.profile,
                organisation=shift.opportunity.organisation,
                opportunity=shift.opportunity,
                date=timezone.localdate(shift.starts_at) + dt.timedelta(days=1),
                hours=Decimal(rng.choice([1, 1.5, 2, 3])),
                note=NOTES[index % len(NOTES)],
                source=HoursEntry.Source.REPORTED,
                state=HoursEntry.State.DECLINED if declined else HoursEntry.State.PENDING,
                decline_reason=DECLINE_REASONS[index % len(DECLINE_REASONS)] if declined else "",
                decided_at=_at(today, 10) if declined else None,
            )
        )
    # Two long-serving volunteers past the first tier: two years of weekly days at one organisation.
    if organisations:
        for profile, organisation in zip(volunteers[:2], organisations, strict=False):
            for week in range(110):
                day = today - dt.timedelta(days=14 + 7 * week)
                entries.append(
                    HoursEntry(
                        profile=profile,
                        organisation=organisation,
                        date=day,
                        hours=Decimal(5),
                        note=NOTES[week % len(NOTES)],
                        source=HoursEntry.Source.RECORDED,
                        state=HoursEntry.State.APPROVED,
                        decided_at=_at(day, 18),
                    )
                )
    HoursEntry.objects.bulk_create(entries, batch_size=500)

    # Certificates: each organisation certifies its most active volunteers; one is revoked.
    issued = []
    owners = {
        membership.organisation_id: membership.user
        for membership in memberships.filter(Q(role="owner") | Q(role="admin"))
    }
    approved = HoursEntry.objects.filter(state=HoursEntry.State.APPROVED, profile__isnull=False)
    for organisation in organisations:
        owner = owners.get(organisation.pk)
        if owner is None:
            continue
        top = (
            approved.filter(organisation=organisation)
            .values_list("profile", flat=True)
            .order_by("profile")
            .distinct()[:3]
        )
        for profile in VolunteerProfile.objects.filter(pk__in=list(top)).select_related("user").order_by("pk"):
            start, end = first_approved_day(profile, organisation), today - dt.timedelta(days=1)
            total, _opportunities = approved_hours_between(profile, organisation, start, end)
            with_language = profile.user.language
            with translation.override(with_language):
                name = str(organisation.name)
            issued.append(
                certificates.issue(
                    kind="volunteers.hours",
                    holder=profile.user,
                    holder_name=profile.display_name,
                    organisation_name=name,
                    facts={"hours": float(total), "start": start, "end": end, "opportunity": ""},
                    by=owner,
                    signatory_name=owner.display_name,
                    signatory_title={"ar": "رئيس مجلس الإدارة", "ms": "Pengerusi"}.get(with_language, "Chair"),
                    language=with_language,
                    source=organisation,
                )
            )
    if issued:
        first = issued[0]
        certificates.revoke(first, by=first.issued_by, reason="Issued for the wrong period; a new one replaces it.")
    remember_all_work_waiting()  # the coordinators' "needs my action", once the demo is committed
    if stdout is not None:
        stdout.write(f"  {len(entries)} hours entries, {len(issued)} certificates")
    return True
