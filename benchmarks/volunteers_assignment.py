"""Optimal assignment of 5 000 applicants to a big event's 500 shifts (budget ≤ 5 s).

Pure computation (``tansiq.volunteers.assignment.solve``), no database. The event is generated
deterministically (seeded): 500 shifts in 100 time slots (5 shifts in parallel), 5–15 seats each
(about 5 000 seats); each applicant chose 50 of the 500 shifts (10 %; the rest are ``nan``), with
scores in [0, 1] as the matching gives them, at most 4 shifts per person. The solve is timed on 5
different events (3 with ``--quick``); the figure is the slowest (p95 of so few is the maximum).
A denser event, every applicant eligible for 30 % of the shifts, is reported beside it without a
budget, to show how the time grows with the number of allowed pairs.
"""

from __future__ import annotations

import time

import numpy as np

from benchmarks._harness import Result, percentile
from tansiq.volunteers.assignment import solve

PEOPLE = 5_000
SHIFTS = 500
SLOTS = 100
MAX_PER_PERSON = 4
BUDGET_S = 5.0


def synthetic_event(seed: int, *, chosen: float = 0.10) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Scores (people × shifts, nan where not chosen), seats per shift and time slot of each shift."""
    rng = np.random.default_rng(seed)
    score = rng.random((PEOPLE, SHIFTS)).round(3)
    score[rng.random((PEOPLE, SHIFTS)) >= chosen] = np.nan
    capacity = rng.integers(5, 16, SHIFTS)
    slot = np.repeat(np.arange(SLOTS), SHIFTS // SLOTS)
    return score, capacity, slot


def _measure(events: list[int], chosen: float) -> tuple[list[float], dict]:
    times, details = [], {}
    for seed in events:
        score, capacity, slot = synthetic_event(seed, chosen=chosen)
        started = time.perf_counter()
        pairs = solve(score, capacity, slot, MAX_PER_PERSON)
        times.append(time.perf_counter() - started)
        details = {"pairs_allowed": int(np.count_nonzero(~np.isnan(score))), "seats": int(capacity.sum())}
        details["assigned"] = len(pairs)
    return times, details


def run(ctx) -> list[Result]:
    events = list(range(1, 4 if ctx.quick else 6))
    ctx.log(f"volunteers_assignment: {PEOPLE:,} applicants, {SHIFTS} shifts, {len(events)} events")
    rows = []
    for chosen, budget in ((0.10, BUDGET_S), (0.30, None)):
        times, details = _measure(events, chosen)
        worst = percentile(times, 95)
        what = f"assignment: {PEOPLE:,} applicants, {SHIFTS} shifts, {chosen:.0%} pairs allowed"
        row = Result.measured(what, "-", round(worst, 2), "s", budget, p50_s=round(percentile(times, 50), 2), **details)
        row.extra = f"p50 {percentile(times, 50):.2f} s, {details['pairs_allowed']:,} pairs"
        rows.append(row)
    return rows
