"""Assignment runs for big events: the optimal assignment of an opportunity's applicants to its
shifts, reviewed and adjusted by the coordinator, then published.

``run_assignment`` solves the problem the database holds now (``queries.assignments``) with
``assignment.solve`` and keeps the pairs as a draft (an earlier draft is discarded). ``move`` and
``remove`` adjust the draft under the same rules as the solver (the person asked for the shift and
passes its gates, a free seat, one shift per time slot). ``publish`` turns the pairs into accepted
bookings, declines the other shifts the applicants asked for, sets each application accepted or
declined, and tells each volunteer; a run published before is superseded (one published run per
opportunity). Same input, same output: the solver is deterministic and rows and columns are read in
a fixed order.
"""

from __future__ import annotations

import math

import numpy as np
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tansiq.core import audit
from tansiq.core.email import send_to_user
from tansiq.core.errors import Conflict, TansiqError
from tansiq.core.rules import require
from tansiq.volunteers.assignment import solve
from tansiq.volunteers.models import Application, AssignmentRun, Booking, Opportunity
from tansiq.volunteers.queries.assignments import ASKED, Problem, assignment_problem

MAX_PER_PERSON_LIMIT = 20


def run_assignment(opportunity: Opportunity, *, by, max_per_person: int = 1) -> AssignmentRun:
    """Solve the assignment of the current applicants and keep it as a draft for review."""
    require(by, "volunteers.assign_shifts", opportunity)
    if not 1 <= max_per_person <= MAX_PER_PERSON_LIMIT:
        raise TansiqError(
            _("Choose between 1 and %(limit)s shifts per person.") % {"limit": MAX_PER_PERSON_LIMIT},
            field="max_per_person",
        )
    problem = assignment_problem(opportunity)
    if not problem.applications or not problem.shifts:
        raise Conflict(_("There is nothing to assign: no current applicant, or no shift to come."))
    chosen = solve(problem.score, problem.capacity, problem.slot, max_per_person)
    with transaction.atomic():
        Opportunity.objects.select_for_update().filter(pk=opportunity.pk).first()
        _supersede(opportunity, AssignmentRun.State.DRAFT, by=by)
        run = AssignmentRun.objects.create(
            opportunity=opportunity,
            max_per_person=max_per_person,
            pairs=[[problem.applications[i].pk, problem.shifts[j].pk] for i, j in chosen],
            total_score=_total(problem, chosen),
            created_by=by,
        )
        audit.record("create", by=by, obj=run, changes={"pairs": len(chosen), "applicants": len(problem.applications)})
    return run


def _supersede(opportunity: Opportunity, state: str, *, by) -> None:
    """The opportunity's runs in ``state`` are discarded (a newer one takes their place), audited."""
    for earlier in AssignmentRun.objects.filter(opportunity=opportunity, state=state):
        earlier.state = AssignmentRun.State.DISCARDED
        earlier.save(update_fields=["state"])
        audit.record("transition", by=by, obj=earlier, from_state=state, to_state=AssignmentRun.State.DISCARDED)


def _total(problem: Problem, chosen) -> float:
    return round(float(sum(problem.score[i, j] for i, j in chosen)), 6)


def _draft(run: AssignmentRun) -> AssignmentRun:
    locked = AssignmentRun.objects.select_for_update().get(pk=run.pk)
    if locked.state != AssignmentRun.State.DRAFT:
        raise Conflict(_("Only a draft assignment can be changed."))
    return locked


def _indexed(problem: Problem, pairs) -> list[tuple[int, int]]:
    """The run's pairs as (row, column) of the problem; pairs whose application or shift has left
    the problem since (withdrawn, cancelled) are dropped."""
    rows = {a.pk: i for i, a in enumerate(problem.applications)}
    columns = {s.pk: j for j, s in enumerate(problem.shifts)}
    return [(rows[a], columns[s]) for a, s in pairs if a in rows and s in columns]


def move(run: AssignmentRun, *, by, application_id: int, from_shift: int, to_shift: int | None) -> AssignmentRun:
    """Move one person of a draft from one shift to another (``to_shift``), or remove them from the
    shift (``None``). The target must be a shift they asked for and whose gates they pass, with a
    free seat, and not in a time slot where they already have a shift."""
    require(by, "volunteers.assign_shifts", run.opportunity)
    problem = assignment_problem(run.opportunity)
    with transaction.atomic():
        run = _draft(run)
        pairs = [tuple(pair) for pair in run.pairs]
        if (application_id, from_shift) not in pairs:
            raise TansiqError(_("This volunteer is not on that shift in this draft."), field="application")
        pairs.remove((application_id, from_shift))
        if to_shift is not None:
            i, j = problem.row_of(application_id), problem.column_of(to_shift)
            if i is None or j is None:
                raise TansiqError(_("Choose one of the shifts still to come."), field="to_shift")
            if not problem.asked[i, j]:
                raise TansiqError(_("This volunteer did not ask for that shift."), field="to_shift")
            if math.isnan(problem.score[i, j]):
                raise TansiqError(
                    _("This volunteer may not take that shift (a qualification, the age or the programme's rule)."),
                    field="to_shift",
                )
            indexed = _indexed(problem, pairs)
            if sum(1 for _row, column in indexed if column == j) >= problem.capacity[j]:
                raise TansiqError(_("That shift has no free place left."), field="to_shift")
            if any(row == i and problem.slot[column] == problem.slot[j] for row, column in indexed):
                raise TansiqError(_("This volunteer already has a shift at that time."), field="to_shift")
            pairs.append((application_id, to_shift))
        run.pairs = [list(pair) for pair in sorted(pairs)]
        run.total_score = _total(problem, _indexed(problem, pairs))
        run.save(update_fields=["pairs", "total_score"])
        audit.record(
            "update",
            by=by,
            obj=run,
            changes={"fields": ["pairs"], "application": application_id, "from": from_shift, "to": to_shift},
        )
    return run


def discard(run: AssignmentRun, *, by) -> AssignmentRun:
    require(by, "volunteers.assign_shifts", run.opportunity)
    with transaction.atomic():
        run = _draft(run)
        run.state = AssignmentRun.State.DISCARDED
        run.save(update_fields=["state"])
        audit.record(
            "transition", by=by, obj=run, from_state=AssignmentRun.State.DRAFT, to_state=AssignmentRun.State.DISCARDED
        )
    return run


def publish(run: AssignmentRun, *, by) -> AssignmentRun:
    """Seats for the pairs, declines for the rest of what the applicants asked for, one message each."""
    opportunity = run.opportunity
    require(by, "volunteers.assign_shifts", opportunity)
    problem = assignment_problem(opportunity)
    with transaction.atomic():
        Opportunity.objects.select_for_update().filter(pk=opportunity.pk).first()
        run = _draft(run)
        indexed = _indexed(problem, [tuple(pair) for pair in run.pairs])
        taken = np.bincount([j for _i, j in indexed], minlength=len(problem.shifts))
        if (taken > problem.capacity).any():
            raise Conflict(_("Places changed since this draft was made: run the assignment again."))
        chosen = {(problem.applications[i].pk, problem.shifts[j].pk) for i, j in indexed}
        bookings = Booking.objects.filter(application__in=problem.applications, shift__in=problem.shifts)
        accepted, declined = [], []
        for booking in bookings.filter(state__in=ASKED).only("pk", "application_id", "shift_id"):
            (accepted if (booking.application_id, booking.shift_id) in chosen else declined).append(booking.pk)
        Booking.objects.filter(pk__in=accepted).update(state=Booking.State.ACCEPTED, offer_expires_at=None)
        Booking.objects.filter(pk__in=declined).update(state=Booking.State.DECLINED, offer_expires_at=None)
        with_seat = {application_id for application_id, _shift in chosen}
        outcome = {}
        for application in problem.applications:
            state = Application.State.ACCEPTED if application.pk in with_seat else Application.State.DECLINED
            outcome[application.pk] = state
            if application.state != state:
                Application.objects.filter(pk=application.pk).update(state=state, decided_by=by, offer_expires_at=None)
                audit.record(
                    "transition",
                    by=by,
                    obj=application,
                    from_state=application.state,
                    to_state=state,
                    changes={"assignment_run": run.pk},
                )
        _supersede(opportunity, AssignmentRun.State.PUBLISHED, by=by)
        run.state, run.published_at = AssignmentRun.State.PUBLISHED, timezone.now()
        run.save(update_fields=["state", "published_at"])
        audit.record(
            "transition",
            by=by,
            obj=run,
            from_state=AssignmentRun.State.DRAFT,
            to_state=AssignmentRun.State.PUBLISHED,
            changes={"accepted": len(accepted), "declined": len(declined)},
        )
    shifts_of: dict[int, list] = {}
    by_pk = {shift.pk: shift for shift in problem.shifts}
    for application_id, shift_id in sorted(chosen):
        shifts_of.setdefault(application_id, []).append(by_pk[shift_id])
    for application in problem.applications:
        user = application.profile.user
        with translation.override(user.language):
            link = reverse("volunteers:profile")
        context = {
            "opportunity": opportunity,
            "shifts": shifts_of.get(application.pk, []),
            "accepted": outcome[application.pk] == Application.State.ACCEPTED,
            "link": link,
        }
        transaction.on_commit(
            lambda user=user, context=context: send_to_user(user, "volunteers/email/assignment_published", context)
        )
    return run
