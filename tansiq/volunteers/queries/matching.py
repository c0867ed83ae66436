"""The matching module's arrays built from the database, and the two questions asked of them.

``opportunity_arrays()`` holds every public opportunity still taking volunteers (full ones stay in,
gated by ``open``); ``volunteer_arrays()`` every volunteer profile. Both are built once and kept in
the process, valid while a small token in the shared cache lives: any change of what they hold
forgets the token (``caching.forget_*``), so every process rebuilds on its next question. Skills
are matched by name, case and spacing aside; languages by code; causes by their code;
qualifications by the first 64 the platform defines (a mask of 64 bits).
"""

from __future__ import annotations

import datetime as dt
import json
import uuid
from collections import defaultdict

import numpy as np
from django.core.cache import cache
from django.db.models import CharField, Count, FloatField, Q, TextField, Value
from django.db.models.functions import Cast
from django.utils import timezone
from scipy import sparse

from tansiq.volunteers import caching, matching
from tansiq.volunteers.models import (
    Application,
    Booking,
    Cause,
    HeldQualification,
    Level,
    Opportunity,
    OpportunitySkill,
    Qualification,
    Shift,
    VolunteerLanguage,
    VolunteerProfile,
    VolunteerSkill,
)

LEVELS = {Level.BASIC: 1, Level.GOOD: 2, Level.FLUENT: 3}
GENDERS = {"": matching.ANY, "female": matching.WOMEN, "male": matching.MEN}
BITS = 64
BATCH = 20_000  # rows read at a time from the large tables


def skill_key(name: str) -> str:
    return " ".join(name.casefold().split())


def week_bit(moment: dt.datetime) -> int:
    """The bit of ``matching``'s weekly mask for a time (in the platform's time zone)."""
    local = timezone.localtime(moment)
    part = 0 if local.hour < 12 else 1 if local.hour < 17 else 2
    return local.weekday() * len(matching.PARTS) + part


def availability_mask(slots) -> int:
    """A profile's availability ("sat-morning", …) as a weekly mask."""
    mask = 0
    for slot in slots:
        day, _sep, part = str(slot).partition("-")
        if day in matching.DAYS and part in matching.PARTS:
            mask |= 1 << (matching.DAYS.index(day) * len(matching.PARTS) + matching.PARTS.index(part))
    return mask


class _Bits:
    """Names to bit positions (at most 64; later names are left out of the mask)."""

    def __init__(self, names) -> None:
        self.names = tuple(dict.fromkeys(names))[:BITS]
        self.index = {name: bit for bit, name in enumerate(self.names)}

    def mask(self, names) -> int:
        value = 0
        for name in names:
            bit = self.index.get(name)
            if bit is not None:
                value |= 1 << bit
        return value


def _causes() -> _Bits:
    return _Bits(Cause.objects.order_by("pk").values_list("slug", flat=True))


def _qualifications() -> _Bits:
    return _Bits(Qualification.objects.order_by("pk").values_list("pk", flat=True))


def _languages(codes) -> _Bits:
    """The languages met in the data; the platform's own three first, so their bits never move."""
    return _Bits(["ar", "en", "ms", *sorted(set(codes))])


_built: dict[str, tuple[str, str, object]] = {}


def _kept(kind: str, key: str, build):
    token = cache.get(key)
    if token is None:
        token = uuid.uuid4().hex
        cache.set(key, token, caching.MATCHING_SECONDS)
    held = _built.get(kind)
    if held is not None and held[0] == key and held[1] == token:
        return held[2]
    arrays = build()
    _built[kind] = (key, token, arrays)
    return arrays


def opportunity_arrays() -> matching.Opportunities:
    return _kept("opportunities", caching.opportunities_arrays_key(), build_opportunity_arrays)


def volunteer_arrays() -> matching.Volunteers:
    return _kept("volunteers", caching.volunteers_arrays_key(), build_volunteer_arrays)


def _float(value) -> float:
    return float(value) if value is not None else np.nan


def build_opportunity_arrays() -> matching.Opportunities:
    """Every opportunity published or full, with the weekly mask of its shifts still to come that
    have a free place (``open``: at least one)."""
    from tansiq.volunteers.queries.opportunities import SEARCHABLE_STATES

    now = timezone.now()
    rows = list(
        Opportunity.objects.filter(state__in=SEARCHABLE_STATES)
        .order_by("pk")
        .values_list(
            "pk",
            "organisation_id",
            "sector__slug",
            "languages",
            "min_age",
            "gender",
            "remote",
            "latitude",
            "longitude",
        )
    )
    position = {row[0]: i for i, row in enumerate(rows)}
    n = len(rows)
    when = np.zeros(n, dtype=np.uint32)
    shifts = (
        Shift.objects.filter(opportunity__state__in=SEARCHABLE_STATES, cancelled=False, starts_at__gt=now)
        .annotate(taken=Count("bookings", filter=Q(bookings__state__in=Booking.SEAT_STATES)))
        .values_list("opportunity_id", "starts_at", "capacity", "taken")
    )
    for opportunity_id, starts_at, capacity, taken in shifts.iterator(chunk_size=BATCH):
        if taken < capacity and opportunity_id in position:
            when[position[opportunity_id]] |= np.uint32(1 << week_bit(starts_at))
    skill_rows = OpportunitySkill.objects.filter(opportunity__state__in=SEARCHABLE_STATES).values_list(
        "opportunity_id", "name", "required"
    )
    vocabulary_skills: dict[str, int] = {}
    required: list[tuple[int, int]] = []
    preferred: list[tuple[int, int]] = []
    for opportunity_id, name, is_required in skill_rows.iterator(chunk_size=BATCH):
        if opportunity_id not in position:
            continue
        column = vocabulary_skills.setdefault(skill_key(name), len(vocabulary_skills))
        (required if is_required else preferred).append((position[opportunity_id], column))
    held_by: dict[int, list[int]] = defaultdict(list)
    through = Opportunity.qualifications.through.objects.filter(opportunity__state__in=SEARCHABLE_STATES)
    for opportunity_id, qualification_id in through.values_list("opportunity_id", "qualification_id"):
        held_by[opportunity_id].append(qualification_id)
    causes, qualifications = _causes(), _qualifications()
    languages = _languages(code for row in rows for code in (row[3] or []))
    width = max(len(vocabulary_skills), 1)
    return matching.Opportunities(
        id=[row[0] for row in rows],
        organisation=[row[1] for row in rows],
        sector=[causes.index.get(row[2], -1) if row[2] else -1 for row in rows],
        required=_ones(required, n, width),
        preferred=_ones(preferred, n, width),
        languages=np.array([languages.mask(row[3] or []) for row in rows], dtype=np.uint64),
        qualifications=np.array([qualifications.mask(held_by.get(row[0], ())) for row in rows], dtype=np.uint64),
        min_age=[row[4] or 0 for row in rows],
        gender=[GENDERS.get(row[5], matching.ANY) for row in rows],
        remote=[row[6] for row in rows],
        latitude=[_float(row[7]) if not row[6] else np.nan for row in rows],
        longitude=[_float(row[8]) if not row[6] else np.nan for row in rows],
        when=when,
        open=when != 0,
        vocabulary=matching.Vocabulary(
            skills=tuple(vocabulary_skills),
            languages=languages.names,
            causes=causes.names,
            qualifications=qualifications.names,
        ),
    )


def _ones(pairs: list[tuple[int, int]], n: int, width: int) -> sparse.csr_array:
    if not pairs:
        return sparse.csr_array((n, width), dtype=np.float32)
    rows, cols = np.array(pairs).T
    matrix = sparse.coo_array((np.ones(rows.size, dtype=np.float32), (rows, cols)), shape=(n, width)).tocsr()
    matrix.data[:] = 1  # a skill listed twice counts once
    return matrix


def _born(day: dt.date | None) -> int:
    return day.year * 10000 + day.month * 100 + day.day if day else 0


def build_volunteer_arrays() -> matching.Volunteers:
    """Every volunteer profile, with the qualifications valid today."""
    today = timezone.localdate()
    rows = list(
        # Places as floats and the availability as its JSON text: a million rows skip the Decimal
        # and JSON conversions (the same few availability texts recur; each is parsed once).
        VolunteerProfile.objects.order_by("pk")
        .annotate(
            latitude_f=Cast("latitude", FloatField()),
            longitude_f=Cast("longitude", FloatField()),
            availability_text=Cast("availability", TextField()),
        )
        .values_list(
            "pk",
            "birth_date",
            "gender",
            "mode",
            "latitude_f",
            "longitude_f",
            "travel_km",
            "availability_text",
            "discoverable",
        )
    )
    masks: dict[str | None, int] = {}
    for row in rows:
        if row[7] not in masks:
            masks[row[7]] = availability_mask(json.loads(row[7]) if row[7] else [])
    position = {row[0]: i for i, row in enumerate(rows)}
    n = len(rows)
    languages = _languages(VolunteerLanguage.objects.values_list("language", flat=True).distinct())
    language_masks = np.zeros(n, dtype=np.uint64)
    for profile_id, code in VolunteerLanguage.objects.values_list("profile_id", "language").iterator(BATCH):
        bit = languages.index.get(code)
        if bit is not None and profile_id in position:
            language_masks[position[profile_id]] |= np.uint64(1 << bit)
    causes = _causes()
    cause_masks = np.zeros(n, dtype=np.uint64)
    links = VolunteerProfile.causes.through.objects.values_list("volunteerprofile_id", "cause__slug")
    for profile_id, slug in links.iterator(BATCH):
        bit = causes.index.get(slug)
        if bit is not None and profile_id in position:
            cause_masks[position[profile_id]] |= np.uint64(1 << bit)
    qualifications = _qualifications()
    qualification_masks = np.zeros(n, dtype=np.uint64)
    valid = HeldQualification.objects.filter(granted_on__lte=today).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )
    for profile_id, qualification_id in valid.values_list("profile_id", "qualification_id").iterator(BATCH):
        bit = qualifications.index.get(qualification_id)
        if bit is not None and profile_id in position:
            qualification_masks[position[profile_id]] |= np.uint64(1 << bit)
    vocabulary_skills: dict[str, int] = {}
    entries: list[tuple[int, int, int]] = []
    for profile_id, name, level in VolunteerSkill.objects.values_list("profile_id", "name", "level").iterator(BATCH):
        if profile_id in position:
            column = vocabulary_skills.setdefault(skill_key(name), len(vocabulary_skills))
            entries.append((position[profile_id], column, LEVELS.get(level, 2)))
    width = max(len(vocabulary_skills), 1)
    if entries:
        r, c, v = np.array(entries).T
        skills = sparse.coo_array((v.astype(np.float32), (r, c)), shape=(n, width)).tocsr()
        skills.sum_duplicates()
        skills.data = np.minimum(skills.data, matching.TOP_LEVEL)
    else:
        skills = sparse.csr_array((n, width), dtype=np.float32)
    mode = np.array([row[3] for row in rows], dtype=object)
    return matching.Volunteers(
        id=[row[0] for row in rows],
        skills=skills,
        languages=language_masks,
        causes=cause_masks,
        qualifications=qualification_masks,
        born=[_born(row[1]) for row in rows],
        gender=[GENDERS.get(row[2], matching.ANY) for row in rows],
        on_site=mode != VolunteerProfile.Mode.REMOTE,
        remote=mode != VolunteerProfile.Mode.ON_SITE,
        latitude=[_float(row[4]) for row in rows],
        longitude=[_float(row[5]) for row in rows],
        max_km=[float(row[6]) if row[6] else np.inf for row in rows],
        available=[masks[row[7]] for row in rows],
        discoverable=[row[8] for row in rows],
        vocabulary=matching.Vocabulary(
            skills=tuple(vocabulary_skills),
            languages=languages.names,
            causes=causes.names,
            qualifications=qualifications.names,
        ),
    )


def _own_rows(profile: VolunteerProfile, today: dt.date) -> list[tuple[str, str, str]]:
    """The profile's languages, skills, causes and qualifications valid today, in one statement:
    (kind, name, level) rows."""
    text = CharField()

    def tagged(found, kind: str, name, level="level"):
        return (
            found.order_by()
            .annotate(
                row_kind=Value(kind, output_field=text),
                row_name=Cast(name, output_field=text),
                row_level=Value("", output_field=text) if level is None else Cast(level, output_field=text),
            )
            .values_list("row_kind", "row_name", "row_level")
        )

    held = HeldQualification.objects.filter(profile=profile, granted_on__lte=today).filter(
        Q(expires_on__isnull=True) | Q(expires_on__gte=today)
    )
    return list(
        tagged(VolunteerLanguage.objects.filter(profile=profile), "language", "language").union(
            tagged(VolunteerSkill.objects.filter(profile=profile), "skill", "name"),
            tagged(
                VolunteerProfile.causes.through.objects.filter(volunteerprofile=profile), "cause", "cause__slug", None
            ),
            tagged(held, "qualification", "qualification_id", None),
            all=True,
        )
    )


def volunteer_row(profile: VolunteerProfile, vocabulary: matching.Vocabulary) -> matching.Volunteer:
    """One profile as ``matching.Volunteer``, in the opportunities' vocabulary."""
    skills_index = {name: k for k, name in enumerate(vocabulary.skills)}
    found: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for kind, name, level in _own_rows(profile, timezone.localdate()):
        found[kind].append((name, level))
    skills: dict[int, int] = {}
    for name, level in found["skill"]:
        column = skills_index.get(skill_key(name))
        if column is not None:
            skills[column] = max(skills.get(column, 0), LEVELS.get(level, 2))
    return matching.Volunteer(
        skills=skills,
        languages=_Bits(vocabulary.languages).mask(name for name, _level in found["language"]),
        causes=_Bits(vocabulary.causes).mask(name for name, _level in found["cause"]),
        qualifications=_Bits(vocabulary.qualifications).mask(int(name) for name, _level in found["qualification"]),
        born=_born(profile.birth_date),
        gender=GENDERS.get(profile.gender, matching.ANY),
        on_site=profile.mode != VolunteerProfile.Mode.REMOTE,
        remote=profile.mode != VolunteerProfile.Mode.ON_SITE,
        latitude=_float(profile.latitude),
        longitude=_float(profile.longitude),
        max_km=float(profile.travel_km) if profile.travel_km else np.inf,
        available=availability_mask(profile.availability or []),
    )


def opportunity_row(opportunity: Opportunity, vocabulary: matching.Vocabulary) -> matching.Opportunity:
    """One opportunity as ``matching.Opportunity``, in the volunteers' vocabulary."""
    from tansiq.volunteers.queries.opportunities import shifts_of

    skills_index = {name: k for k, name in enumerate(vocabulary.skills)}
    required, preferred = [], []
    for row in opportunity.skills.all():
        column = skills_index.get(skill_key(row.name))
        (required if row.required else preferred).append(-1 if column is None else column)
    when = 0
    for shift in shifts_of(opportunity, upcoming_only=True):
        if shift.free:
            when |= 1 << week_bit(shift.starts_at)
    causes = _Bits(vocabulary.causes)
    sector = causes.index.get(opportunity.sector.slug, -1) if opportunity.sector_id else -1
    # A skill no volunteer holds still counts as asked for: it is a column nobody has.
    return matching.Opportunity(
        id=opportunity.pk,
        organisation=opportunity.organisation_id,
        sector=sector,
        required=tuple(k for k in required if k >= 0),
        preferred=tuple(k for k in preferred if k >= 0),
        languages=_Bits(vocabulary.languages).mask(opportunity.languages or []),
        qualifications=_Bits(vocabulary.qualifications).mask(q.pk for q in opportunity.qualifications.all()),
        min_age=opportunity.min_age or 0,
        gender=GENDERS.get(opportunity.gender, matching.ANY),
        remote=opportunity.remote,
        latitude=np.nan if opportunity.remote else _float(opportunity.latitude),
        longitude=np.nan if opportunity.remote else _float(opportunity.longitude),
        when=when,
        open=when != 0,
    )


def profile_of(user) -> VolunteerProfile | None:
    """The user's profile alone (``volunteer_row`` reads its lists in one statement)."""
    return VolunteerProfile.objects.filter(user=user).first()


def recommendations_for(profile: VolunteerProfile, *, limit: int = 10) -> list[tuple[Opportunity, matching.Match]]:
    """The best open opportunities for the volunteer (those applied to left out), spread across
    organisations, with their reasons."""
    arrays = opportunity_arrays()
    if not len(arrays):
        return []
    applied = set(Application.objects.filter(profile=profile).values_list("opportunity_id", flat=True))
    found = matching.opportunities_for(
        volunteer_row(profile, arrays.vocabulary), arrays, today=timezone.localdate(), limit=limit + len(applied)
    )
    found = [match for match in found if match.id not in applied][:limit]
    objects = Opportunity.objects.select_related("organisation", "sector").in_bulk([match.id for match in found])
    return [(objects[match.id], match) for match in found if match.id in objects]


def candidates_for(opportunity: Opportunity, *, limit: int = 20) -> list[tuple[VolunteerProfile, matching.Match]]:
    """The best volunteers for the opportunity among the discoverable ones and those who applied
    to it, with their reasons."""
    arrays = volunteer_arrays()
    if not len(arrays):
        return []
    applied = set(Application.objects.filter(opportunity=opportunity).values_list("profile_id", flat=True))
    include = np.isin(arrays.id, np.fromiter(applied, dtype=np.int64, count=len(applied)))
    found = matching.volunteers_for(
        opportunity_row(opportunity, arrays.vocabulary),
        arrays,
        today=timezone.localdate(),
        limit=limit,
        include=include,
    )
    objects = VolunteerProfile.objects.in_bulk([match.id for match in found])
    # Visibility is asked again on the rows themselves: the arrays may be a moment old.
    shown = []
    for match in found:
        profile = objects.get(match.id)
        if profile is not None and (profile.discoverable or profile.pk in applied):
            profile.applied = profile.pk in applied
            shown.append((profile, match))
    return shown
