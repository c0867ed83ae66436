"""The demo's applications to volunteering opportunities, in every state: submitted, shortlisted,
accepted (with seats), waitlisted (one offered a freed place), declined, confirmed, withdrawn and
cancelled, with answers to the organisations' questions and a few ratings after attended shifts.

It applies to the opportunities already loaded (those of organisations that the demo's
``fatimah.zahra`` keeps first, so her roster has something to show), and creates three of its own
when none exist yet. Deterministic (a fixed seed), idempotent (nothing is added twice), and bulk
inserted: a few hundred rows.
"""

from __future__ import annotations

import datetime as dt
import random
import secrets

from django.db.models import Case, IntegerField, Value, When
from django.utils import timezone

OPPORTUNITIES = 20  # opportunities given applications
PER_OPPORTUNITY = 8  # applicants each (one of every state)

# Opportunities of its own when the demo has none yet: (sector, title ar/en/ms, description
# ar/en/ms, question ar/en/ms).
OWN = [
    (
        "community",
        ("إفطار صائم في الحي", "Neighbourhood iftar", "Iftar komuniti kejiranan"),
        (
            "تحضير وجبات الإفطار وتوزيعها على العمال والأسر في رمضان.",
            "Prepare and serve iftar meals for workers and families during Ramadan.",
            "Menyediakan dan menghidangkan juadah iftar untuk pekerja dan keluarga pada bulan Ramadan.",
        ),
        ("هل سبق لك التطوع في توزيع الوجبات؟", "Have you served meals before?", "Pernahkah anda menghidang makanan?"),
    ),
    (
        "education",
        ("دروس تقوية للطلاب", "Homework club tutors", "Tutor kelab kerja rumah"),
        (
            "مساعدة طلاب المرحلة الإعدادية في الرياضيات واللغة العربية بعد الدوام.",
            "Help lower-secondary pupils with mathematics and Arabic after school.",
            "Membantu murid menengah rendah dalam matematik dan bahasa Arab selepas sekolah.",
        ),
        ("ما المواد التي يمكنك تدريسها؟", "Which subjects can you teach?", "Subjek apakah yang boleh anda ajar?"),
    ),
    (
        "environment",
        ("تنظيف الشاطئ", "Beach clean-up", "Gotong-royong pantai"),
        (
            "حملة صباحية لجمع النفايات البلاستيكية وفرزها على الشاطئ.",
            "A morning drive to collect and sort plastic waste on the beach.",
            "Program pagi untuk mengutip dan mengasingkan sisa plastik di pantai.",
        ),
        ("هل يمكنك إحضار قفازات؟", "Can you bring gloves?", "Bolehkah anda membawa sarung tangan?"),
    ),
]

ANSWERS = {
    "ar": ["نعم، تطوعت في رمضان الماضي.", "نعم، بكل سرور.", "لدي خبرة في العمل مع الشباب."],
    "en": ["Yes, last Ramadan at our mosque.", "Yes, happily.", "I coached the school's football team."],
    "ms": ["Ya, pada Ramadan yang lalu.", "Ya, dengan senang hati.", "Saya pernah menjadi fasilitator belia."],
}
MOTIVATIONS = {
    "ar": "أرغب في خدمة مجتمعي والتعرف على أشخاص جدد.",
    "en": "I want to give back to my community and meet new people.",
    "ms": "Saya ingin menyumbang kepada komuniti dan berkenalan dengan orang baharu.",
}
COMMENTS = {
    "ar": "تنظيم ممتاز وفريق متعاون.",
    "en": "Well organised and a welcoming team.",
    "ms": "Tersusun rapi dan pasukan yang mesra.",
}


def load(*, domain: str, stdout=None) -> bool:
    """Create the demo's applications once; return False when they are already there."""
    from tansiq.volunteers.models import Acceptance, Application, Booking, VolunteerProfile

    if Application.objects.filter(profile__user__email__endswith=f"@{domain}").exists():
        return False
    opportunities = _opportunities(domain)
    adults = list(
        VolunteerProfile.objects.filter(user__email__startswith="volunteer", user__email__endswith=f"@{domain}")
        .filter(user__in=Acceptance.objects.values("user"))
        .select_related("user")
        .order_by("pk")
    )
    if not opportunities or len(adults) < PER_OPPORTUNITY:
        return False
    rng = random.Random(1447)
    now = timezone.now()
    State, Seat = Application.State, Booking.State
    # (application state, booking state of its first shift, of its other shifts)
    plan = [
        (State.SUBMITTED, Seat.REQUESTED),
        (State.SHORTLISTED, Seat.REQUESTED),
        (State.ACCEPTED, Seat.ACCEPTED),
        (State.CONFIRMED, Seat.ACCEPTED),
        (State.WAITLISTED, Seat.WAITLISTED),
        (State.DECLINED, Seat.DECLINED),
        (State.WITHDRAWN, Seat.WITHDRAWN),
        (State.CONFIRMED, Seat.ACCEPTED),
    ]
    applications, seats = [], []
    for index, opportunity in enumerate(opportunities):
        shifts = list(opportunity.shifts.filter(cancelled=False).order_by("starts_at", "pk")[:3])
        if not shifts:
            continue
        chosen = rng.sample(adults, PER_OPPORTUNITY)
        questions = list(opportunity.questions or [])
        for number, (profile, (state, seat)) in enumerate(zip(chosen, plan, strict=True)):
            language = profile.user.language if profile.user.language in ANSWERS else "en"
            if opportunity.state == opportunity.State.CANCELLED:
                state, seat = State.CANCELLED, Seat.CANCELLED
            application = Application(
                opportunity=opportunity,
                profile=profile,
                state=state,
                motivation=MOTIVATIONS[language],
                answers=[{"question": q, "answer": ANSWERS[language][number % 3]} for q in questions],
                agreement_accepted_at=now - dt.timedelta(days=2) if state == State.CONFIRMED else None,
            )
            applications.append(application)
            asked = shifts[: 1 + (number % len(shifts))]
            for shift in asked:
                seats.append((application, shift, seat))
        # The first opportunity's waitlisted volunteer is offered a freed place.
        if index == 0:
            seats = [
                (app, shift, Seat.OFFERED if app.state == State.WAITLISTED and shift == shifts[0] else seat)
                for app, shift, seat in seats
            ]
    seats = _within_capacity(seats, applications)
    Application.objects.bulk_create(applications)
    bookings = []
    for application, shift, seat in seats:
        past = shift.ends_at < now
        attended = past and seat == Seat.ACCEPTED
        bookings.append(
            Booking(
                application=application,
                shift=shift,
                state=seat,
                code=secrets.token_urlsafe(32),
                offer_expires_at=min(now + dt.timedelta(hours=36), shift.starts_at) if seat == Seat.OFFERED else None,
                attendance=Booking.Attendance.ATTENDED if attended else "",
                checked_in_at=shift.starts_at if attended else None,
                checked_out_at=shift.ends_at if attended else None,
            )
        )
    Booking.objects.bulk_create(bookings)
    _offer_deadlines(applications)
    _ratings(applications, rng)
    if stdout is not None:
        stdout.write(f"  {len(applications)} volunteer applications")
    return True


def _within_capacity(seats: list, applications: list) -> list:
    """No shift past its capacity (counting seats other demo modules already booked): a seat past
    it waits on the list instead, and an application left without a seat is waitlisted."""
    from tansiq.volunteers.models import Application, Booking

    taken = {}
    for shift_id in {shift.pk for _application, shift, _seat in seats}:
        taken[shift_id] = Booking.objects.filter(shift_id=shift_id, state__in=Booking.SEAT_STATES).count()
    kept = []
    for application, shift, seat in seats:
        if seat in Booking.SEAT_STATES:
            if taken[shift.pk] >= shift.capacity:
                seat = Booking.State.WAITLISTED
            else:
                taken[shift.pk] += 1
        kept.append((application, shift, seat))
    seated = {id(application) for application, _shift, seat in kept if seat == Booking.State.ACCEPTED}
    for application in applications:
        if application.state in (Application.State.ACCEPTED, Application.State.CONFIRMED) and (
            id(application) not in seated
        ):
            application.state, application.agreement_accepted_at = Application.State.WAITLISTED, None
    return kept


def _opportunities(domain: str) -> list:
    """The opportunities to apply to: open or completed ones, those of the organisations
    fatimah.zahra keeps first; three of this module's own when the demo has none."""
    from tansiq.network.models import Organisation
    from tansiq.volunteers.models import Opportunity

    kept = Organisation.objects.filter(
        people__user__email=f"fatimah.zahra@{domain}", people__role__in=("owner", "admin")
    ).values("pk")
    states = (
        Opportunity.State.PUBLISHED,
        Opportunity.State.FULL,
        Opportunity.State.CLOSED,
        Opportunity.State.COMPLETED,
    )
    found = list(
        Opportunity.objects.filter(state__in=states)
        .annotate(hers=Case(When(organisation__in=kept, then=Value(0)), default=Value(1), output_field=IntegerField()))
        .order_by("hers", "pk")[:OPPORTUNITIES]
    )
    if found:
        return found
    organisation = Organisation.objects.filter(pk__in=kept).order_by("pk").first()
    return _own(organisation) if organisation is not None else []


def _own(organisation) -> list:
    from tansiq.volunteers.models import Cause, Opportunity, Shift

    causes = {cause.slug: cause for cause in Cause.objects.all()}
    today = timezone.localdate()
    created = []
    for index, (sector, titles, descriptions, questions) in enumerate(OWN):
        opportunity = Opportunity.objects.create(
            organisation=organisation,
            sector=causes.get(sector),
            state=Opportunity.State.PUBLISHED,
            published_at=timezone.now() - dt.timedelta(days=20),
            title=titles[0],
            title_ar=titles[0],
            title_en=titles[1],
            title_ms=titles[2],
            description=descriptions[0],
            description_ar=descriptions[0],
            description_en=descriptions[1],
            description_ms=descriptions[2],
            languages=["ar", "en"],
            country=str(organisation.country),
            city=organisation.city or "",
            questions=[questions[1]],
        )
        for offset in (-14, 7 + index, 14 + index):
            starts = timezone.make_aware(dt.datetime.combine(today + dt.timedelta(days=offset), dt.time(16, 0)))
            Shift.objects.create(
                opportunity=opportunity,
                starts_at=starts,
                ends_at=starts + dt.timedelta(hours=3),
                capacity=4,
                checkin_token=secrets.token_urlsafe(32),
            )
        created.append(opportunity)
    return created


def _offer_deadlines(applications: list) -> None:
    from django.db.models import Min

    from tansiq.volunteers.models import Application, Booking

    offered = (
        Booking.objects.filter(application__in=[a.pk for a in applications], state=Booking.State.OFFERED)
        .values("application_id")
        .annotate(until=Min("offer_expires_at"))
    )
    for row in offered:
        Application.objects.filter(pk=row["application_id"]).update(offer_expires_at=row["until"])


def _ratings(applications: list, rng: random.Random) -> None:
    from tansiq.volunteers.models import Application, Booking

    attended = set(
        Booking.objects.filter(
            application__in=[a.pk for a in applications], attendance=Booking.Attendance.ATTENDED
        ).values_list("application_id", flat=True)
    )
    rated = []
    for application in applications:
        if application.pk in attended and application.state == Application.State.CONFIRMED:
            language = application.profile.user.language if application.profile.user.language in COMMENTS else "en"
            application.volunteer_rating = rng.choice([4, 5, 5])
            application.volunteer_comment = COMMENTS[language]
            application.organisation_rating = rng.choice([4, 5])
            rated.append(application)
    Application.objects.bulk_update(
        rated, ["volunteer_rating", "volunteer_comment", "organisation_rating"], batch_size=500
    )
