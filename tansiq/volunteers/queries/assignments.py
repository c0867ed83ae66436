"""The assignment problem of an opportunity, read from the database for ``assignment.solve``.

People are the opportunity's current applications (submitted, shortlisted, waitlisted or accepted;
a confirmed volunteer keeps their seat and is not re-assigned), shifts its shifts still to come.
Each (person, shift) is scored by the matching module's own score (``matching.volunteers_for`` with
the shift's time as the opportunity's weekly slots), ``nan`` where the person did not ask for the
shift or does not pass a gate (a qualification not held or expired, the minimum age, a programme for
one gender). The applicant chose this opportunity, so the distance they will travel and their
remote/on-site wish are not gates here (they still count in the score). Overlapping shifts share a
time slot: the solver gives a person at most one of them (decision 0041).
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

import numpy as np
from django.http import Http404
from django.utils import timezone
from scipy import sparse

from tansiq.volunteers import matching
from tansiq.volunteers.models import Application, AssignmentRun, Booking, Level, Opportunity, Shift, VolunteerProfile
from tansiq.volunteers.queries.trainings import valid_qualification_ids

APPLICANTS = (
    Application.State.SUBMITTED,
    Application.State.SHORTLISTED,
    Application.State.WAITLISTED,
    Application.State.ACCEPTED,
)
ASKED = (Booking.State.REQUESTED, Booking.State.WAITLISTED, Booking.State.OFFERED, Booking.State.ACCEPTED)
LEVELS = {Level.BASIC: 1, Level.GOOD: 2, Level.FLUENT: 3}
GENDERS = {"female": matching.WOMEN, "male": matching.MEN}
WEEKDAYS = {"mon": 0, "tue": 1, "wed": 2, "thu": 3, "fri": 4, "sat": 5, "sun": 6}
PARTS = {part: index for index, part in enumerate(matching.PARTS)}


@dataclass
class Problem:
    """Rows: ``applications``; columns: ``shifts``; ``score``/``capacity``/``slot`` as ``solve``
    takes them; ``asked`` is true where the application asked for the shift."""

    applications: list[Application]
    shifts: list[Shift]
    score: np.ndarray
    capacity: np.ndarray
    slot: np.ndarray
    asked: np.ndarray

    def row_of(self, application_id: int) -> int | None:
        return next((i for i, a in enumerate(self.applications) if a.pk == application_id), None)

    def column_of(self, shift_id: int) -> int | None:
        return next((j for j, s in enumerate(self.shifts) if s.pk == shift_id), None)


def opportunity_to_assign(user, uuid) -> Opportunity:
    """An opportunity whose shifts ``user`` may assign, or 404 (no hint that it exists)."""
    found = Opportunity.objects.select_related("organisation").filter(uuid=uuid).first()
    if found is None or not user.has_perm("volunteers.assign_shifts", found):
        raise Http404
    return found


def runs_of(opportunity: Opportunity):
    return AssignmentRun.objects.filter(opportunity=opportunity).order_by("-created_at", "-pk")


def current_run(opportunity: Opportunity) -> AssignmentRun | None:
    """The draft under review, else the published run, else none."""
    runs = runs_of(opportunity)
    return (
        runs.filter(state=AssignmentRun.State.DRAFT).first() or runs.filter(state=AssignmentRun.State.PUBLISHED).first()
    )


def time_slots(shifts: list[Shift]) -> np.ndarray:
    """One slot id per shift: shifts whose times overlap (directly or through a chain) share one."""
    slot = np.zeros(len(shifts), dtype=np.int64)
    order = sorted(range(len(shifts)), key=lambda j: (shifts[j].starts_at, shifts[j].pk))
    current, end = -1, None
    for j in order:
        if end is None or shifts[j].starts_at >= end:
            current, end = current + 1, shifts[j].ends_at
        else:
            end = max(end, shifts[j].ends_at)
        slot[j] = current
    return slot


def weekly_mask(starts_at: dt.datetime) -> int:
    """The matching module's weekly bit of a time: its weekday and part of the day."""
    local = timezone.localtime(starts_at)
    part = 0 if local.hour < 12 else 1 if local.hour < 17 else 2
    return 1 << (local.weekday() * len(matching.PARTS) + part)


def availability_mask(slots: list[str]) -> int:
    mask = 0
    for slot in slots:
        day, _sep, part = slot.partition("-")
        if day in WEEKDAYS and part in PARTS:
            mask |= 1 << (WEEKDAYS[day] * len(matching.PARTS) + PARTS[part])
    return mask


def _bits(names, vocabulary: tuple[str, ...]) -> int:
    index = {name: bit for bit, name in enumerate(vocabulary)}
    return sum(1 << index[name] for name in set(names) if name in index)


def _float(value) -> float:
    return float(value) if value is not None else math.nan


def applicants_as_volunteers(
    profiles: list[VolunteerProfile], vocabulary: matching.Vocabulary, qualification_bits: dict[int, int], today
) -> matching.Volunteers:
    """The applicants as the matching module's columns (distance and mode are no gates here)."""
    skill_index = {name: k for k, name in enumerate(vocabulary.skills)}
    held = valid_qualification_ids([profile.pk for profile in profiles], today=today)
    rows, cols, levels = [], [], []
    for i, profile in enumerate(profiles):
        for skill in profile.skills.all():
            k = skill_index.get(skill.name.strip().casefold())
            if k is not None:
                rows.append(i)
                cols.append(k)
                levels.append(LEVELS.get(skill.level, 2))
    count = len(profiles)
    skills = sparse.csr_array((levels, (rows, cols)), shape=(count, len(vocabulary.skills)))
    skills.sum_duplicates()
    return matching.Volunteers(
        id=[profile.pk for profile in profiles],
        skills=skills,
        languages=[_bits([row.language for row in p.languages.all()], vocabulary.languages) for p in profiles],
        causes=[_bits([cause.slug for cause in p.causes.all()], vocabulary.causes) for p in profiles],
        qualifications=[
            sum(bit for pk, bit in qualification_bits.items() if pk in held.get(p.pk, ())) for p in profiles
        ],
        born=[p.birth_date.year * 10000 + p.birth_date.month * 100 + p.birth_date.day for p in profiles],
        gender=[GENDERS.get(p.gender, matching.ANY) for p in profiles],
        on_site=np.ones(count, dtype=bool),
        remote=np.ones(count, dtype=bool),
        latitude=[_float(p.latitude) for p in profiles],
        longitude=[_float(p.longitude) for p in profiles],
        max_km=np.full(count, np.inf),
        available=[availability_mask(p.availability) for p in profiles],
        discoverable=np.ones(count, dtype=bool),
        vocabulary=vocabulary,
    )


def assignment_problem(opportunity: Opportunity, *, today: dt.date | None = None) -> Problem:
    """The opportunity's applicants, its shifts to come, and the score of each (person, shift)."""
    from tansiq.volunteers.models import Cause

    today = today or timezone.localdate()
    shifts = list(opportunity.shifts.filter(cancelled=False, ends_at__gt=timezone.now()).order_by("starts_at", "pk"))
    applications = list(
        opportunity.applications.filter(state__in=APPLICANTS)
        .select_related("profile", "profile__user")
        .prefetch_related("profile__skills", "profile__languages", "profile__causes")
        .order_by("pk")
    )
    people, columns = len(applications), len(shifts)
    column = {shift.pk: j for j, shift in enumerate(shifts)}
    row = {application.pk: i for i, application in enumerate(applications)}
    asked = np.zeros((people, columns), dtype=bool)
    for application_id, shift_id in Booking.objects.filter(
        application__in=applications, shift__in=shifts, state__in=ASKED
    ).values_list("application_id", "shift_id"):
        asked[row[application_id], column[shift_id]] = True
    # Seats already held by volunteers who confirmed (they are not re-assigned).
    held = dict.fromkeys(column, 0)
    for shift_id in Booking.objects.filter(
        shift__in=shifts, state=Booking.State.ACCEPTED, application__state=Application.State.CONFIRMED
    ).values_list("shift_id", flat=True):
        held[shift_id] += 1
    capacity = np.array([max(shift.capacity - held[shift.pk], 0) for shift in shifts], dtype=np.int64)
    score = np.full((people, columns), np.nan)
    if people and columns:
        asked_skills = list(opportunity.skills.all())
        vocabulary = matching.Vocabulary(
            skills=tuple(sorted({skill.name.strip().casefold() for skill in asked_skills})),
            languages=tuple(sorted(set(opportunity.languages))),
            causes=tuple(Cause.objects.order_by("position", "slug").values_list("slug", flat=True))[:64],
        )
        required = list(opportunity.qualifications.order_by("pk").values_list("pk", flat=True))[:64]
        qualification_bits = {pk: 1 << bit for bit, pk in enumerate(required)}
        volunteers = applicants_as_volunteers(
            [application.profile for application in applications], vocabulary, qualification_bits, today
        )
        skill_index = {name: k for k, name in enumerate(vocabulary.skills)}
        base = {
            "id": opportunity.pk,
            "organisation": opportunity.organisation_id,
            "sector": vocabulary.causes.index(opportunity.sector.slug)
            if opportunity.sector_id and opportunity.sector.slug in vocabulary.causes
            else -1,
            "required": tuple(skill_index[s.name.strip().casefold()] for s in asked_skills if s.required),
            "preferred": tuple(skill_index[s.name.strip().casefold()] for s in asked_skills if not s.required),
            "languages": _bits(opportunity.languages, vocabulary.languages),
            "qualifications": sum(qualification_bits.values()),
            "min_age": opportunity.min_age or 0,
            "gender": GENDERS.get(opportunity.gender, matching.ANY),
            "remote": opportunity.remote,
            "latitude": _float(opportunity.latitude),
            "longitude": _float(opportunity.longitude),
            "open": True,
        }
        for j, shift in enumerate(shifts):
            wanted = matching.Opportunity(**base, when=weekly_mask(shift.starts_at))
            for match in matching.volunteers_for(wanted, volunteers, today=today, limit=people):
                score[match.index, j] = max(match.score, 0.0)
    score[~asked] = np.nan
    return Problem(applications, shifts, score, capacity, time_slots(shifts), asked)


BIG_EVENT_SHIFTS = 10  # an opportunity with this many shifts to come is offered an assignment run


def big_events_of(user):
    """Opportunities with many shifts to come, of the organisations ``user`` manages (or every one
    for the secretariat): those whose coordinators would assign applicants with a run."""
    from django.db.models import Count, Q

    from tansiq.core.rules import is_secretariat

    found = Opportunity.objects.filter(
        state__in=(Opportunity.State.PUBLISHED, Opportunity.State.FULL, Opportunity.State.CLOSED)
    )
    if not is_secretariat.test(user):
        found = found.filter(organisation__people__user=user, organisation__people__role__in=("owner", "admin"))
    return (
        found.annotate(
            to_come=Count(
                "shifts", filter=Q(shifts__cancelled=False, shifts__ends_at__gt=timezone.now()), distinct=True
            )
        )
        .filter(to_come__gte=BIG_EVENT_SHIFTS)
        .select_related("organisation")
        .order_by("-to_come", "pk")[:20]
    )
