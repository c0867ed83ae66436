"""Volunteer matching: recommendations for one volunteer among 100 000 open opportunities (≤ 50 ms)
and candidates for one opportunity among 1 000 000 volunteers (≤ 200 ms).

Pure computation (``tansiq.volunteers.matching``), no database: the arrays are generated once,
deterministically (seeded), then each question is timed for 200 different volunteers or
opportunities (50 with ``--quick``; ``TANSIQ_BENCH_MATCHING_OPPORTUNITIES`` and
``TANSIQ_BENCH_MATCHING_VOLUNTEERS`` override the sizes). Volunteers and opportunities are spread
over the Gulf and Malaysia's cities within a few tens of kilometres, hold 0–6 of 120 skills, 1–3 of
8 languages, 1–4 of 16 causes; 20 % of opportunities are remote, 15 % gate on a qualification, 10 %
on a minimum age, 5 % on gender, 5 % are full; 30 % of volunteers are discoverable.

With ``TANSIQ_BENCH_MATCHING_DATABASE`` set to a database URL (one loaded with ``tansiq load_demo
--scale large``: 100 000 opportunities, 1 000 000 volunteers), the arrays are built from that
database by the pages' own code (``tansiq.volunteers.queries.matching``) instead, and the time the
build takes is reported beside the questions.
"""

from __future__ import annotations

import datetime as dt
import os
import time

import numpy as np
from scipy import sparse

from benchmarks._harness import Result, percentile
from tansiq.volunteers import matching

OPPORTUNITIES = 100_000
VOLUNTEERS = 1_000_000
RECOMMEND_BUDGET_MS = 50.0
CANDIDATES_BUDGET_MS = 200.0
TODAY = dt.date(2026, 12, 7)
SKILLS = 120
VOCABULARY = matching.Vocabulary(
    skills=tuple(f"skill-{k}" for k in range(SKILLS)),
    languages=("ar", "en", "ms", "fr", "ur", "id", "tr", "bn"),
    causes=tuple(f"cause-{c}" for c in range(16)),
)
CITIES = np.array(  # latitude, longitude
    [(24.71, 46.68), (21.49, 39.19), (25.20, 55.27), (25.29, 51.53), (29.38, 47.99), (3.14, 101.69), (5.41, 100.33)]
)


def _bits(rng, n: int, width: int, low: int, high: int) -> np.ndarray:
    """n masks with low…high distinct bits among ``width``."""
    masks = np.zeros(n, dtype=np.uint64)
    count = rng.integers(low, high + 1, n)
    for b in range(high):
        bit = rng.integers(0, width, n).astype(np.uint64)
        masks |= np.where(count > b, np.uint64(1) << bit, np.uint64(0))
    return masks


def _skills(rng, n: int, most: int, levels: bool) -> sparse.csr_array:
    count = rng.integers(0, most + 1, n)
    rows = np.repeat(np.arange(n), count)
    cols = rng.integers(0, SKILLS, rows.size)
    data = rng.integers(1, 4, rows.size) if levels else np.ones(rows.size)
    matrix = sparse.coo_array((data.astype(np.float32), (rows, cols)), shape=(n, SKILLS)).tocsr()
    matrix.sum_duplicates()
    matrix.data = np.minimum(matrix.data, 3) if levels else np.ones_like(matrix.data)
    return matrix


def _places(rng, n: int) -> tuple[np.ndarray, np.ndarray]:
    city = CITIES[rng.integers(0, len(CITIES), n)]
    return city[:, 0] + rng.normal(0, 0.2, n), city[:, 1] + rng.normal(0, 0.2, n)


def synthetic_opportunities(n: int, seed: int = 1) -> matching.Opportunities:
    rng = np.random.default_rng(seed)
    latitude, longitude = _places(rng, n)
    remote = rng.random(n) < 0.2
    latitude[remote] = longitude[remote] = np.nan
    return matching.Opportunities(
        id=np.arange(1, n + 1),
        organisation=rng.zipf(1.6, n) % 2000,
        sector=rng.integers(-1, 16, n),
        required=_skills(rng, n, 3, levels=False),
        preferred=_skills(rng, n, 2, levels=False),
        languages=_bits(rng, n, 8, 0, 2),
        qualifications=np.where(rng.random(n) < 0.15, _bits(rng, n, 20, 1, 1), 0),
        min_age=np.where(rng.random(n) < 0.1, 18, 0),
        gender=np.where(rng.random(n) < 0.05, rng.integers(1, 3, n), 0),
        remote=remote,
        latitude=latitude,
        longitude=longitude,
        when=_bits(rng, n, matching.WEEK, 1, 4).astype(np.uint32),
        open=rng.random(n) > 0.05,
        vocabulary=VOCABULARY,
    )


def synthetic_volunteers(n: int, seed: int = 2) -> matching.Volunteers:
    rng = np.random.default_rng(seed)
    latitude, longitude = _places(rng, n)
    born = rng.integers(1960, 2012, n) * 10000 + rng.integers(1, 13, n) * 100 + rng.integers(1, 29, n)
    return matching.Volunteers(
        id=np.arange(1, n + 1),
        skills=_skills(rng, n, 6, levels=True),
        languages=_bits(rng, n, 8, 1, 3),
        causes=_bits(rng, n, 16, 1, 4),
        qualifications=_bits(rng, n, 20, 0, 2),
        born=born,
        gender=rng.integers(0, 3, n),
        on_site=rng.random(n) < 0.9,
        remote=rng.random(n) < 0.6,
        latitude=latitude,
        longitude=longitude,
        max_km=np.where(rng.random(n) < 0.3, np.inf, rng.choice([10.0, 25.0, 50.0, 100.0], n)),
        available=_bits(rng, n, matching.WEEK, 2, 9).astype(np.uint32),
        discoverable=rng.random(n) < 0.3,
        vocabulary=VOCABULARY,
    )


def _timed(call, items) -> list[float]:
    times = []
    for item in items:
        started = time.perf_counter()
        call(item)
        times.append((time.perf_counter() - started) * 1000)
    return times


def _row(what: str, times: list[float], budget: float, size: int) -> Result:
    p50, p95 = percentile(times, 50), percentile(times, 95)
    row = Result.measured(what, "-", round(p95, 1), "ms", budget, p50_ms=round(p50, 2), size=size, runs=len(times))
    row.extra = f"p50 {p50:.1f} ms"
    return row


def run(ctx) -> list[Result]:
    opportunities_n = int(os.environ.get("TANSIQ_BENCH_MATCHING_OPPORTUNITIES") or OPPORTUNITIES)
    volunteers_n = int(os.environ.get("TANSIQ_BENCH_MATCHING_VOLUNTEERS") or VOLUNTEERS)
    runs = 50 if ctx.quick else 200
    ctx.log(f"volunteers_matching: {opportunities_n:,} opportunities, {volunteers_n:,} volunteers, {runs} runs")
    extra: list[Result] = []
    source = os.environ.get("TANSIQ_BENCH_MATCHING_DATABASE")
    if source:
        opportunities, volunteers, extra = _from_database(ctx, source)
        opportunities_n, volunteers_n = len(opportunities), len(volunteers)
        askers, wanted = _askers_from_database(opportunities, volunteers, runs)
    else:
        opportunities = synthetic_opportunities(opportunities_n)
        volunteers = synthetic_volunteers(volunteers_n)
        askers = [volunteers.row(i) for i in range(runs)]
        wanted = [opportunities.row(i) for i in range(runs)]
    for item in askers[:3]:  # warm-up: first-call costs are not what a page pays
        matching.opportunities_for(item, opportunities, today=TODAY)
    recommend = _timed(lambda v: matching.opportunities_for(v, opportunities, today=TODAY), askers)
    for item in wanted[:3]:
        matching.volunteers_for(item, volunteers, today=TODAY)
    candidates = _timed(lambda o: matching.volunteers_for(o, volunteers, today=TODAY), wanted)
    return [
        *extra,
        _row(
            f"matching: one volunteer, {opportunities_n:,} opportunities, p95",
            recommend,
            RECOMMEND_BUDGET_MS,
            opportunities_n,
        ),
        _row(
            f"matching: one opportunity, {volunteers_n:,} volunteers, p95",
            candidates,
            CANDIDATES_BUDGET_MS,
            volunteers_n,
        ),
    ]


def _from_database(ctx, url: str) -> tuple[matching.Opportunities, matching.Volunteers, list[Result]]:
    """The arrays as the pages build them, from the database at ``url`` (read only)."""
    os.environ["TANSIQ_DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tansiq.settings")
    import django

    django.setup()
    from tansiq.volunteers.queries import matching as built

    started = time.perf_counter()
    opportunities = built.build_opportunity_arrays()
    middle = time.perf_counter()
    volunteers = built.build_volunteer_arrays()
    done = time.perf_counter()
    ctx.log(f"volunteers_matching: arrays built from the database in {done - started:.1f} s")
    rows = [
        Result.measured(
            f"matching: arrays of {len(opportunities):,} opportunities from the database",
            "-",
            round(middle - started, 1),
            "s",
            None,
        ),
        Result.measured(
            f"matching: arrays of {len(volunteers):,} volunteers from the database",
            "-",
            round(done - middle, 1),
            "s",
            None,
        ),
    ]
    return opportunities, volunteers, rows


def _askers_from_database(opportunities, volunteers, runs: int):
    """Volunteers and opportunities asking, built as the pages build them: each in the other
    side's vocabulary (skills, languages and causes are matched by name)."""
    from tansiq.volunteers.models import Opportunity, VolunteerProfile
    from tansiq.volunteers.queries import matching as built

    step = max(len(volunteers) // runs, 1)
    profiles = VolunteerProfile.objects.filter(pk__in=[int(pk) for pk in volunteers.id[::step][:runs]])
    askers = [built.volunteer_row(profile, opportunities.vocabulary) for profile in profiles]
    step = max(len(opportunities) // runs, 1)
    found = Opportunity.objects.filter(pk__in=[int(pk) for pk in opportunities.id[::step][:runs]]).select_related(
        "sector"
    )
    wanted = [
        built.opportunity_row(opportunity, volunteers.vocabulary)
        for opportunity in found.prefetch_related("skills", "qualifications")
    ]
    return askers, wanted
