"""Explained matching of volunteers and opportunities (pure: numpy and SciPy, no Django).

Two questions, one score (docs/decisions/0032-matching-score.md):

- ``opportunities_for(volunteer, opportunities, today=…)``: the best open opportunities for one
  volunteer, spread across organisations (at most ``per_organisation`` of one organisation until
  every other organisation's best are shown);
- ``volunteers_for(opportunity, volunteers, today=…)``: the best discoverable volunteers for one
  opportunity.

Gates come first (an opportunity with no free seat on any shift, a qualification not held, below the
minimum age, a programme for one gender, remote or on site against the volunteer's wish, farther than
the volunteer will travel); what passes is scored in [0, 1] from skills (required and preferred,
weighted by level), languages, distance (haversine, decaying), the weekly availability that overlaps
the open shifts, and causes. Each ``Match`` carries its reasons as data — ``("languages", ("ar",
"ms"))``, ``("skills", 2, 3)``, ``("distance_km", 12)``, ``("remote",)``, ``("free", (("sat",
"morning"),))``, ``("cause", "education")`` — that the pages render in the reader's language.

The many side is a dataclass of arrays (``Opportunities``, ``Volunteers``), built once from the
database and reused: one column per attribute, sets as bit masks (languages, causes, qualifications,
the weekly 7 × 3 availability grid) and skills as sparse rows (levels 1–3), so a question is a few
vectorised passes over the columns.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import numpy as np
from scipy import sparse

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
PARTS = ("morning", "afternoon", "evening")
WEEK = len(DAYS) * len(PARTS)  # bit d * 3 + p of a weekly mask: day d, part of day p

WEIGHTS = {"skills": 0.30, "availability": 0.20, "distance": 0.20, "languages": 0.15, "cause": 0.15}
PREFERRED = 0.5  # a preferred skill counts half a required one
TOP_LEVEL = 3  # skill levels run 1 (beginner) … 3 (expert)
DECAY_KM = 20.0  # the distance score halves every DECAY_KM × ln 2 ≈ 14 km
EARTH_KM = 6371.0088
ANY, WOMEN, MEN = 0, 1, 2  # an opportunity's gender rule; a volunteer's gender (0: not given)
POOL = 50  # candidates per place asked for, among which organisations are spread


@dataclass(frozen=True)
class Vocabulary:
    """The names behind the indexes: skill k, language bit b, cause bit c (and qualification bit q,
    where the caller keeps one)."""

    skills: tuple[str, ...]
    languages: tuple[str, ...]
    causes: tuple[str, ...]
    qualifications: tuple = ()


@dataclass(frozen=True)
class Match:
    """One recommendation: the row in the arrays, its id, its score in [0, 1], and why."""

    index: int
    id: int
    score: float
    reasons: tuple[tuple, ...]


def _column(value, dtype) -> np.ndarray:
    return np.ascontiguousarray(value, dtype=dtype)


@dataclass(frozen=True, eq=False)
class Opportunities:
    """Open opportunities as columns (one row each). ``when`` is the weekly mask of the shifts that
    still have a free seat; ``open`` is false when every shift is full; ``sector`` is a cause bit or
    −1; ``latitude``/``longitude`` in degrees (nan for remote); ``min_age`` 0 for none."""

    id: np.ndarray
    organisation: np.ndarray
    sector: np.ndarray
    required: sparse.csr_array  # rows × skills, 1 where the skill is required
    preferred: sparse.csr_array  # rows × skills, 1 where the skill is preferred
    languages: np.ndarray
    qualifications: np.ndarray
    min_age: np.ndarray
    gender: np.ndarray
    remote: np.ndarray
    latitude: np.ndarray
    longitude: np.ndarray
    when: np.ndarray
    open: np.ndarray
    vocabulary: Vocabulary
    _derived: dict = field(init=False, repr=False)

    def __post_init__(self) -> None:
        columns = {
            "id": np.int64,
            "organisation": np.int64,
            "sector": np.int8,
            "languages": np.uint64,
            "qualifications": np.uint64,
            "min_age": np.int16,
            "gender": np.int8,
            "remote": bool,
            "latitude": np.float64,
            "longitude": np.float64,
            "when": np.uint32,
            "open": bool,
        }
        _set_columns(self, columns)
        required = sparse.csr_array(self.required, dtype=np.float32)
        preferred = sparse.csr_array(self.preferred, dtype=np.float32)
        object.__setattr__(self, "required", required)
        object.__setattr__(self, "preferred", preferred)
        wanted = np.diff(required.indptr) + PREFERRED * np.diff(preferred.indptr)
        object.__setattr__(
            self,
            "_derived",
            {
                "wanted": wanted.astype(np.float32),
                "count": (np.diff(required.indptr) + np.diff(preferred.indptr)).astype(np.int32),
                "place": _place(self.latitude, self.longitude),
                "slots": np.bitwise_count(self.when).astype(np.float32),
            },
        )

    def __len__(self) -> int:
        return self.id.size

    def row(self, i: int) -> Opportunity:
        return Opportunity(
            id=int(self.id[i]),
            organisation=int(self.organisation[i]),
            sector=int(self.sector[i]),
            required=tuple(int(k) for k in self.required[[i]].indices),
            preferred=tuple(int(k) for k in self.preferred[[i]].indices),
            languages=int(self.languages[i]),
            qualifications=int(self.qualifications[i]),
            min_age=int(self.min_age[i]),
            gender=int(self.gender[i]),
            remote=bool(self.remote[i]),
            latitude=float(self.latitude[i]),
            longitude=float(self.longitude[i]),
            when=int(self.when[i]),
            open=bool(self.open[i]),
        )


@dataclass(frozen=True, eq=False)
class Volunteers:
    """Volunteers as columns (one row each). ``born`` is the date of birth as YYYYMMDD (0 unknown);
    ``skills`` holds levels 1–3; ``available`` the weekly mask; ``max_km`` inf when any distance;
    ``discoverable`` true when they opted in to being found by organisations."""

    id: np.ndarray
    skills: sparse.csr_array  # rows × skills, the level where held
    languages: np.ndarray
    causes: np.ndarray
    qualifications: np.ndarray
    born: np.ndarray
    gender: np.ndarray
    on_site: np.ndarray
    remote: np.ndarray
    latitude: np.ndarray
    longitude: np.ndarray
    max_km: np.ndarray
    available: np.ndarray
    discoverable: np.ndarray
    vocabulary: Vocabulary
    _derived: dict = field(init=False, repr=False)

    def __post_init__(self) -> None:
        columns = {
            "id": np.int64,
            "languages": np.uint64,
            "causes": np.uint64,
            "qualifications": np.uint64,
            "born": np.int32,
            "gender": np.int8,
            "on_site": bool,
            "remote": bool,
            "latitude": np.float64,
            "longitude": np.float64,
            "max_km": np.float64,
            "available": np.uint32,
            "discoverable": bool,
        }
        _set_columns(self, columns)
        skills = sparse.csr_array(self.skills, dtype=np.float32)
        held = skills.copy()
        held.data[:] = 1
        object.__setattr__(self, "skills", skills)
        object.__setattr__(self, "_derived", {"held": held, "place": _place(self.latitude, self.longitude)})

    def __len__(self) -> int:
        return self.id.size

    def row(self, i: int) -> Volunteer:
        levels = self.skills[[i]]
        return Volunteer(
            skills={int(k): int(level) for k, level in zip(levels.indices, levels.data, strict=True)},
            languages=int(self.languages[i]),
            causes=int(self.causes[i]),
            qualifications=int(self.qualifications[i]),
            born=int(self.born[i]),
            gender=int(self.gender[i]),
            on_site=bool(self.on_site[i]),
            remote=bool(self.remote[i]),
            latitude=float(self.latitude[i]),
            longitude=float(self.longitude[i]),
            max_km=float(self.max_km[i]),
            available=int(self.available[i]),
        )


@dataclass(frozen=True)
class Volunteer:
    """One volunteer asking for recommendations (the fields of a ``Volunteers`` row)."""

    skills: dict[int, int]  # skill index → level 1–3
    languages: int
    causes: int
    qualifications: int
    born: int
    gender: int
    on_site: bool
    remote: bool
    latitude: float
    longitude: float
    max_km: float
    available: int


@dataclass(frozen=True)
class Opportunity:
    """One opportunity looking for volunteers (the fields of an ``Opportunities`` row)."""

    id: int
    organisation: int
    sector: int
    required: tuple[int, ...]
    preferred: tuple[int, ...]
    languages: int
    qualifications: int
    min_age: int
    gender: int
    remote: bool
    latitude: float
    longitude: float
    when: int
    open: bool


def _set_columns(table, columns: dict) -> None:
    length = np.asarray(table.id).size
    for name, dtype in columns.items():
        value = _column(getattr(table, name), dtype)
        if value.shape != (length,):
            raise ValueError(f"{name} must have one entry per row ({length}), not shape {value.shape}")
        object.__setattr__(table, name, value)


def _place(latitude, longitude) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Latitude and longitude in radians and the cosine of the latitude, for the haversine."""
    phi = np.radians(latitude)
    return phi, np.radians(longitude), np.cos(phi)


def _distance_km(one: tuple, many: tuple) -> np.ndarray:
    """Great-circle distance (haversine) from one place to many; nan where either is unknown."""
    phi, lam, cos_phi = one
    phis, lams, cos_phis = many
    a = np.sin((phis - phi) / 2) ** 2 + cos_phi * cos_phis * np.sin((lams - lam) / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))


def _yyyymmdd(day: dt.date) -> int:
    return day.year * 10000 + day.month * 100 + day.day


def _score(
    *, gate, skills_held, wanted, languages_v, languages_o, distance, remote, available, when, slots, causes, sector
):
    """The weighted score, −inf where a gate is closed (arrays broadcast: one side is a scalar)."""
    skills = np.where(wanted > 0, skills_held / (TOP_LEVEL * np.maximum(wanted, 1e-9)), 1.0)
    languages = np.where(languages_o == 0, 1.0, (languages_v & languages_o) != 0)
    near = np.where(remote, 1.0, np.nan_to_num(np.exp(-distance / DECAY_KM), nan=0.0))
    free = np.where(slots > 0, np.bitwise_count(available & when) / np.maximum(slots, 1), 1.0)
    cause = np.where(sector >= 0, (causes >> np.maximum(sector, 0).astype(np.uint64)) & np.uint64(1), 0)
    total = (
        WEIGHTS["skills"] * skills
        + WEIGHTS["languages"] * languages
        + WEIGHTS["distance"] * near
        + WEIGHTS["availability"] * free
        + WEIGHTS["cause"] * cause
    )
    return np.where(gate, total, -np.inf)


def _gate(
    *,
    open_,
    qualifications_v,
    qualifications_o,
    age,
    min_age,
    gender_v,
    rule,
    remote,
    remote_ok,
    on_site_ok,
    distance,
    max_km,
):
    """Who may take what, before any score."""
    qualified = (qualifications_v & qualifications_o) == qualifications_o
    old_enough = (min_age <= 0) | (age >= min_age)
    gender = (rule == ANY) | (gender_v == rule)
    within = np.isinf(max_km) | (distance <= max_km)  # nan distance (no place) fails a finite limit
    where = np.where(remote, remote_ok, on_site_ok & within)
    return open_ & qualified & old_enough & gender & where


def _age(born, today: dt.date):
    return np.where(born > 0, (_yyyymmdd(today) - born) // 10000, -1)


def _top(score: np.ndarray, count: int) -> np.ndarray:
    """Rows of the ``count`` best scores (gated rows excluded), best first, ties by row."""
    count = min(count, int(np.count_nonzero(score > -np.inf)))
    if count == 0:
        return np.zeros(0, dtype=np.int64)
    best = np.argpartition(-score, count - 1)[:count] if count < score.size else np.arange(score.size)
    return best[np.lexsort((best, -score[best]))]


def opportunities_for(
    volunteer: Volunteer,
    opportunities: Opportunities,
    *,
    today: dt.date,
    limit: int = 10,
    per_organisation: int = 2,
) -> list[Match]:
    """The best open opportunities for ``volunteer``, no more than ``per_organisation`` from one
    organisation until the other organisations' best have been placed (among the best ``POOL × limit``)."""
    o = opportunities
    d = o._derived
    levels = np.zeros(o.required.shape[1], dtype=np.float32)
    has = np.zeros_like(levels)
    for skill, level in volunteer.skills.items():
        levels[skill], has[skill] = level, 1
    distance = _distance_km(_place(volunteer.latitude, volunteer.longitude), d["place"])
    gate = _gate(
        open_=o.open,
        qualifications_v=np.uint64(volunteer.qualifications),
        qualifications_o=o.qualifications,
        age=_age(np.int64(volunteer.born), today),
        min_age=o.min_age,
        gender_v=volunteer.gender,
        rule=o.gender,
        remote=o.remote,
        remote_ok=volunteer.remote,
        on_site_ok=volunteer.on_site,
        distance=distance,
        max_km=volunteer.max_km,
    )
    score = _score(
        gate=gate,
        skills_held=o.required @ levels + PREFERRED * (o.preferred @ levels),
        wanted=d["wanted"],
        languages_v=np.uint64(volunteer.languages),
        languages_o=o.languages,
        distance=distance,
        remote=o.remote,
        available=np.uint32(volunteer.available),
        when=o.when,
        slots=d["slots"],
        causes=np.uint64(volunteer.causes),
        sector=o.sector,
    )
    pool = _top(score, POOL * limit)
    rows = _spread(pool, o.organisation[pool], per_organisation)[:limit]
    held = o.required[rows] @ has + o.preferred[rows] @ has
    return [
        Match(
            index=int(i),
            id=int(o.id[i]),
            score=float(score[i]),
            reasons=_reasons(
                o.vocabulary,
                languages=int(o.languages[i]) & volunteer.languages,
                skills=(int(h), int(d["count"][i])),
                remote=bool(o.remote[i]),
                distance=float(distance[i]),
                free=int(o.when[i]) & volunteer.available,
                cause=int(o.sector[i]) if (volunteer.causes >> max(int(o.sector[i]), 0)) & 1 else -1,
            ),
        )
        for i, h in zip(rows, held, strict=True)
    ]


def volunteers_for(
    opportunity: Opportunity,
    volunteers: Volunteers,
    *,
    today: dt.date,
    limit: int = 20,
    include: np.ndarray | None = None,
) -> list[Match]:
    """The best volunteers for ``opportunity`` among those who are discoverable, or flagged in
    ``include`` (a boolean column: e.g. those who applied to this organisation)."""
    v = volunteers
    d = v._derived
    k = v.skills.shape[1]
    required = np.zeros(k, dtype=np.float32)
    required[list(opportunity.required)] = 1
    weights = required.copy()
    weights[list(opportunity.preferred)] += PREFERRED
    wanted = len(opportunity.required) + PREFERRED * len(opportunity.preferred)
    visible = v.discoverable if include is None else v.discoverable | include
    # The cheap gates first, over all rows; the rest only for those who pass them (a quarter or so).
    qualifications = np.uint64(opportunity.qualifications)
    cheap = visible & ((v.qualifications & qualifications) == qualifications)
    cheap &= v.remote if opportunity.remote else v.on_site
    if opportunity.gender != ANY:
        cheap &= v.gender == opportunity.gender
    if opportunity.min_age > 0:
        cheap &= _age(v.born, today) >= opportunity.min_age
    if not opportunity.open:
        cheap[:] = False
    passed = np.flatnonzero(cheap)
    phi, lam, cos_phi = d["place"]
    distance = _distance_km(
        _place(opportunity.latitude, opportunity.longitude), (phi[passed], lam[passed], cos_phi[passed])
    )
    gate = opportunity.remote | np.isinf(v.max_km[passed]) | (distance <= v.max_km[passed])
    score = np.full(len(v), -np.inf)
    score[passed] = _score(
        gate=gate,
        skills_held=(v.skills @ weights)[passed],
        wanted=np.float32(wanted),
        languages_v=v.languages[passed],
        languages_o=np.uint64(opportunity.languages),
        distance=distance,
        remote=opportunity.remote,
        available=v.available[passed],
        when=np.uint32(opportunity.when),
        slots=np.float32(int(opportunity.when).bit_count()),
        causes=v.causes[passed],
        sector=np.int8(opportunity.sector),
    )
    all_distance = np.full(len(v), np.nan)
    all_distance[passed] = distance
    distance = all_distance
    rows = _top(score, limit)
    wanted_count = len(opportunity.required) + len(opportunity.preferred)
    listed = required.copy()
    listed[list(opportunity.preferred)] += 1  # a skill both required and preferred counts twice, as listed
    held = d["held"][rows] @ listed if rows.size else np.zeros(0)
    sector = opportunity.sector
    return [
        Match(
            index=int(i),
            id=int(v.id[i]),
            score=float(score[i]),
            reasons=_reasons(
                v.vocabulary,
                languages=int(v.languages[i]) & opportunity.languages,
                skills=(int(h), wanted_count),
                remote=opportunity.remote,
                distance=float(distance[i]),
                free=int(v.available[i]) & opportunity.when,
                cause=sector if sector >= 0 and (int(v.causes[i]) >> sector) & 1 else -1,
            ),
        )
        for i, h in zip(rows, held, strict=True)
    ]


def _spread(rows: np.ndarray, organisation: np.ndarray, per_organisation: int) -> np.ndarray:
    """Reorder best-first ``rows`` so that each organisation's n-th best comes in round
    ``n // per_organisation``: one organisation fills at most ``per_organisation`` places a round."""
    if rows.size == 0:
        return rows
    order = np.lexsort((np.arange(rows.size), organisation))
    sorted_org = organisation[order]
    starts = np.r_[0, np.flatnonzero(sorted_org[1:] != sorted_org[:-1]) + 1]
    rank = np.empty(rows.size, dtype=np.int64)
    rank[order] = np.arange(rows.size) - np.repeat(starts, np.diff(np.r_[starts, rows.size]))
    return rows[np.lexsort((np.arange(rows.size), rank // max(per_organisation, 1)))]


def _reasons(vocabulary: Vocabulary, *, languages, skills, remote, distance, free, cause) -> tuple[tuple, ...]:
    reasons: list[tuple] = []
    shared = tuple(name for bit, name in enumerate(vocabulary.languages) if (languages >> bit) & 1)
    if shared:
        reasons.append(("languages", shared))
    if skills[1]:
        reasons.append(("skills", *skills))
    if remote:
        reasons.append(("remote",))
    elif not np.isnan(distance):
        reasons.append(("distance_km", round(distance)))
    slots = tuple((DAYS[bit // 3], PARTS[bit % 3]) for bit in range(WEEK) if (free >> bit) & 1)
    if slots:
        reasons.append(("free", slots))
    if cause >= 0:
        reasons.append(("cause", vocabulary.causes[cause]))
    return tuple(reasons)
