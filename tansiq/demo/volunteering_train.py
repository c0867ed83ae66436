"""The demo's capacity building and big event: a first-aid course (with completions that grant the
first-aid qualification), an upcoming workshop of the network, a first-aid-gated opportunity, and a
congress (muktamar) needing about 150 volunteers over 40 shifts, whose assignment run is published.

Deterministic (fixed seeds; dates relative to the day it is loaded, so the congress is always to
come) and idempotent: loading twice adds nothing.
"""

from __future__ import annotations

import base64
import datetime as dt
import random
from decimal import Decimal

CONGRESS_SLOTS = 20  # two parallel shifts each (hall ushers, registration desk): 40 shifts
CONGRESS_SEATS = 4  # per shift: 160 places for about 150 applicants, who ask for four shifts each
APPLICANTS = 150

FIRST_AID = ("first-aid", "الإسعافات الأولية", "First aid", "Pertolongan cemas", 730)
CLEARANCE = ("police-clearance", "شهادة حسن السيرة والسلوك", "Police clearance", "Sijil kelakuan baik", 365)


def _token(rng: random.Random) -> str:
    return base64.urlsafe_b64encode(rng.randbytes(32)).rstrip(b"=").decode()


def _organisation(domain: str, person: str, country: str):
    from tansiq.network.models import Membership

    found = (
        Membership.objects.filter(user__email=f"{person}@{domain}", organisation__country=country)
        .select_related("organisation")
        .order_by("organisation__pk")
        .first()
    )
    return found.organisation if found else None


def _qualification(slug, ar, en, ms, days, kind):
    from tansiq.volunteers.models import Qualification

    found, _created = Qualification.objects.get_or_create(
        slug=slug, defaults={"name": ar, "name_ar": ar, "name_en": en, "name_ms": ms, "valid_days": days, "kind": kind}
    )
    return found


def load(*, domain: str, stdout=None) -> bool:
    """Create the trainings, the gated opportunity and the congress once; False when already there."""
    from django.utils import timezone

    from tansiq.accounts.models import User
    from tansiq.volunteers.models import (
        Enrolment,
        HeldQualification,
        Qualification,
        SessionAttendance,
        Training,
        TrainingSession,
        VolunteerProfile,
    )

    if Training.objects.filter(title_en="First aid for volunteers").exists():
        return False
    doha = _organisation(domain, "mariam.alkuwari", "QA")
    kuala_lumpur = _organisation(domain, "hafiz.rahman", "MY")
    coordinator = User.objects.filter(email=f"hafiz.rahman@{domain}").first()
    trainer = User.objects.filter(email=f"mariam.alkuwari@{domain}").first()
    profiles = list(
        VolunteerProfile.objects.filter(user__email__startswith="volunteer", user__email__endswith=f"@{domain}")
        .select_related("user")
        .order_by("user__email")
    )
    if doha is None or kuala_lumpur is None or not profiles:
        return False
    rng = random.Random(1446)
    first_aid = _qualification(*FIRST_AID, Qualification.Kind.TRAINING)
    clearance = _qualification(*CLEARANCE, Qualification.Kind.DOCUMENT)

    # A course that ended last November: twenty enrolled, sixteen completed and hold first aid.
    course = Training.objects.create(
        organisation=doha,
        kind=Training.Kind.COURSE,
        title="الإسعافات الأولية للمتطوعين",
        title_ar="الإسعافات الأولية للمتطوعين",
        title_en="First aid for volunteers",
        title_ms="Pertolongan cemas untuk sukarelawan",
        description_ar="ثلاث جلسات عملية مع الهلال الأحمر: الإنعاش القلبي الرئوي، والنزيف، والحروق، والإخلاء الآمن.",
        description_en="Three practical sessions: CPR, bleeding, burns and safe evacuation.",
        description_ms="Tiga sesi amali: CPR, pendarahan, luka terbakar dan pemindahan selamat.",
        grants=first_aid,
        capacity=24,
        place="الدوحة — مركز التدريب",
    )
    year = timezone.localdate().year - 1
    sessions = TrainingSession.objects.bulk_create(
        TrainingSession(
            training=course,
            starts_at=timezone.make_aware(dt.datetime(year, 11, 8 + 7 * week, 9)),
            ends_at=timezone.make_aware(dt.datetime(year, 11, 8 + 7 * week, 13)),
        )
        for week in range(3)
    )
    trainees = profiles[200:220]
    enrolments = Enrolment.objects.bulk_create(
        Enrolment(
            training=course,
            profile=profile,
            enrolled_at=timezone.make_aware(dt.datetime(year, 10, 20, 12)),
            state=Enrolment.State.COMPLETED if index < 16 else Enrolment.State.NOT_COMPLETED,
            completed_on=dt.date(year, 11, 23) if index < 16 else None,
        )
        for index, profile in enumerate(trainees)
    )
    SessionAttendance.objects.bulk_create(
        SessionAttendance(enrolment=enrolment, session=session, present=index < 16 or rng.random() < 0.5)
        for index, enrolment in enumerate(enrolments)
        for session in sessions
    )
    HeldQualification.objects.bulk_create(
        HeldQualification(
            profile=enrolment.profile,
            qualification=first_aid,
            granted_on=enrolment.completed_on,
            expires_on=enrolment.completed_on + dt.timedelta(days=first_aid.valid_days),
            granted_by=trainer,
            enrolment=enrolment,
        )
        for enrolment in enrolments[:16]
    )
    # One qualification held long ago has expired: it shows as expired and gates nothing.
    HeldQualification.objects.create(
        profile=profiles[230],
        qualification=first_aid,
        granted_on=dt.date(year - 3, 3, 1),
        expires_on=dt.date(year - 1, 3, 1),
    )
    HeldQualification.objects.create(
        profile=profiles[201], qualification=clearance, granted_on=dt.date(year, 12, 1), granted_by=trainer
    )

    # The network's own workshop, to come: open for enrolment.
    today = timezone.localdate()
    workshop = Training.objects.create(
        organisation=None,
        kind=Training.Kind.WORKSHOP,
        title="إدارة المتطوعين في الفعاليات الكبرى",
        title_ar="إدارة المتطوعين في الفعاليات الكبرى",
        title_en="Managing volunteers at large events",
        title_ms="Mengurus sukarelawan di acara besar",
        description_en="A half-day online workshop for shift leaders: briefing, check-in and safety.",
        description_ar="ورشة عمل عن بُعد لنصف يوم لقادة المناوبات: الإحاطة، وتسجيل الحضور، والسلامة.",
        description_ms="Bengkel dalam talian separuh hari untuk ketua syif: taklimat, daftar masuk dan keselamatan.",
        capacity=40,
        remote=True,
    )
    start = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=21), dt.time(10)))
    TrainingSession.objects.create(training=workshop, starts_at=start, ends_at=start + dt.timedelta(hours=3))
    Enrolment.objects.bulk_create(Enrolment(training=workshop, profile=profile) for profile in profiles[240:252])

    _gated_opportunity(doha, first_aid, rng, today)
    _congress(kuala_lumpur, coordinator, profiles[:APPLICANTS], rng, today)
    if stdout is not None:
        stdout.write("  Trainings, a first-aid-gated opportunity, and a congress assigned over 40 shifts")
    return True


def _gated_opportunity(organisation, first_aid, rng: random.Random, today: dt.date) -> None:
    from django.utils import timezone

    from tansiq.volunteers.models import Cause, Opportunity, Shift

    opportunity = Opportunity.objects.create(
        organisation=organisation,
        title="مسعفون متطوعون في ماراثون الدوحة",
        title_ar="مسعفون متطوعون في ماراثون الدوحة",
        title_en="Volunteer first-aiders at the Doha marathon",
        title_ms="Sukarelawan pertolongan cemas di maraton Doha",
        description="نقاط إسعاف على طول المسار بالتعاون مع الهلال الأحمر.",
        description_ar="نقاط إسعاف على طول المسار بالتعاون مع الهلال الأحمر.",
        description_en="First-aid posts along the route, with the Red Crescent.",
        description_ms="Pos pertolongan cemas di sepanjang laluan, bersama Bulan Sabit Merah.",
        sector=Cause.objects.filter(slug="health").first(),
        state=Opportunity.State.PUBLISHED,
        published_at=timezone.now(),
        min_age=18,
        languages=["ar", "en"],
        country="QA",
        city="الدوحة",
        address="كورنيش الدوحة",
        latitude=Decimal("25.295000"),
        longitude=Decimal("51.533000"),
    )
    opportunity.qualifications.add(first_aid)
    start = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=40), dt.time(5)))
    for post in range(3):
        Shift.objects.create(
            opportunity=opportunity,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=6),
            capacity=6,
            place=f"KM {10 * (post + 1)}",
            checkin_token=_token(rng),
        )


def _congress(organisation, coordinator, profiles, rng: random.Random, today: dt.date) -> None:
    from django.utils import timezone

    from tansiq.volunteers.models import Application, Booking, Cause, Opportunity, OpportunitySkill, Shift
    from tansiq.volunteers.services import assignments

    opportunity = Opportunity.objects.create(
        organisation=organisation,
        title="Muktamar Pertubuhan Islam",
        title_ar="مؤتمر المنظمات الإسلامية",
        title_en="Congress of Islamic Organisations",
        title_ms="Muktamar Pertubuhan Islam",
        description="Pendaftaran, tunjuk arah dan bantuan dewan sepanjang lima hari muktamar.",
        description_ar="التسجيل والإرشاد ومساعدة القاعة طوال أيام المؤتمر الخمسة.",
        description_en="Registration, ushering and hall support over the congress's five days.",
        description_ms="Pendaftaran, tunjuk arah dan bantuan dewan sepanjang lima hari muktamar.",
        sector=Cause.objects.filter(slug="religious-education").first() or Cause.objects.first(),
        state=Opportunity.State.PUBLISHED,
        published_at=timezone.now(),
        min_age=16,
        languages=["ms", "ar", "en"],
        country="MY",
        city="Kuala Lumpur",
        address="Pusat Dagangan Dunia Putra",
        latitude=Decimal("3.166700"),
        longitude=Decimal("101.691900"),
        contact=coordinator,
        created_by=coordinator,
    )
    OpportunitySkill.objects.bulk_create(
        [
            OpportunitySkill(opportunity=opportunity, name="Event organisation", required=True),
            OpportunitySkill(opportunity=opportunity, name="Translation", required=False),
        ]
    )
    first_day = today + dt.timedelta(days=(5 - today.weekday()) % 7 + 28)  # a Saturday four weeks on
    shifts = []
    for slot in range(CONGRESS_SLOTS):
        day, part = divmod(slot, 4)
        begins = timezone.make_aware(dt.datetime.combine(first_day + dt.timedelta(days=day), dt.time(8 + 3 * part)))
        for place in ("Dewan Merdeka", "Kaunter pendaftaran"):
            shifts.append(
                Shift(
                    opportunity=opportunity,
                    starts_at=begins,
                    ends_at=begins + dt.timedelta(hours=3),
                    capacity=CONGRESS_SEATS,
                    place=place,
                    checkin_token=_token(rng),
                )
            )
    shifts = Shift.objects.bulk_create(shifts)
    applications = Application.objects.bulk_create(
        Application(opportunity=opportunity, profile=profile, motivation="") for profile in profiles
    )
    bookings = []
    for application in applications:
        # Most ask for the days they can come: four shifts, often in the same slot's two places.
        for shift in rng.sample(shifts, 4):
            bookings.append(Booking(application=application, shift=shift, code=_token(rng)))
    Booking.objects.bulk_create(bookings, ignore_conflicts=True)
    if coordinator is not None:
        run = assignments.run_assignment(opportunity, by=coordinator, max_per_person=2)
        assignments.publish(run, by=coordinator)
