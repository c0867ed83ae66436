"""The coordinator's assignment page of an opportunity: run the solver, review the proposal per shift
and per person, move or remove someone, publish or discard."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tansiq.core.errors import TansiqError
from tansiq.core.exports import export_format, export_response
from tansiq.core.listing import paginate
from tansiq.network.views.errors import message_error
from tansiq.volunteers.forms.assignments import MoveForm, RunForm
from tansiq.volunteers.queries import assignments as queries
from tansiq.volunteers.services import assignments as services


@login_required
def assignment(request, uuid):
    opportunity = queries.opportunity_to_assign(request.user, uuid)
    run = queries.current_run(opportunity)
    if request.method == "POST":
        _act(request, opportunity, run)
        return redirect("volunteers:assignment", opportunity.uuid)
    problem = queries.assignment_problem(opportunity)
    shifts, people = _proposal(problem, run)
    fmt = export_format(request)
    if fmt and run is not None:
        rows = (
            [shift["shift"].starts_at, shift["shift"].ends_at, application.profile.display_name]
            for shift in shifts
            for application in shift["people"]
        )
        return export_response(
            fmt,
            name=f"assignment-{opportunity.uuid.hex[:8]}",
            headers=[_("Shift starts"), _("Shift ends"), _("Volunteer")],
            rows=rows,
        )
    return render(
        request,
        "volunteers/assignments/assignment.html",
        {
            "opportunity": opportunity,
            "run": run,
            "page_obj": paginate(request, shifts),
            "people": people,
            "run_form": RunForm(initial={"max_per_person": run.max_per_person if run else 1}),
            "applicants": len(problem.applications),
        },
    )


def _act(request, opportunity, run) -> None:
    action = request.POST.get("action")
    try:
        if action == "run":
            form = RunForm(request.POST)
            if not form.is_valid():
                raise TansiqError(form.errors["max_per_person"][0])
            services.run_assignment(opportunity, by=request.user, max_per_person=form.cleaned_data["max_per_person"])
            messages.success(request, _("A proposed assignment is ready for review."))
        elif run is None or action not in ("move", "publish", "discard"):
            raise TansiqError(_("Run the assignment first."))
        elif action == "move":
            form = MoveForm(request.POST)
            if not form.is_valid():
                raise TansiqError(_("Choose the volunteer and the shifts."))
            services.move(
                run,
                by=request.user,
                application_id=form.cleaned_data["application"],
                from_shift=form.cleaned_data["from_shift"],
                to_shift=form.cleaned_data["to_shift"],
            )
            messages.success(request, _("The proposal has been changed."))
        elif action == "publish":
            services.publish(run, by=request.user)
            messages.success(request, _("The assignment has been published and the volunteers told."))
        else:
            services.discard(run, by=request.user)
            messages.success(request, _("The proposal has been discarded."))
    except TansiqError as error:
        message_error(request, error)


def _proposal(problem, run) -> tuple[list[dict], list[dict]]:
    """Per shift: who is on it and the free places; per person: their shifts, those they asked for."""
    pairs = {tuple(pair) for pair in run.pairs} if run else set()
    by_shift: dict[int, list] = {shift.pk: [] for shift in problem.shifts}
    by_person: dict[int, list] = {application.pk: [] for application in problem.applications}
    applications = {application.pk: application for application in problem.applications}
    shifts = {shift.pk: shift for shift in problem.shifts}
    for application_id, shift_id in sorted(pairs):
        if application_id in applications and shift_id in shifts:
            by_shift[shift_id].append(applications[application_id])
            by_person[application_id].append(shifts[shift_id])
    per_shift = [
        {
            "shift": shift,
            "people": by_shift[shift.pk],
            "free": max(int(problem.capacity[j]) - len(by_shift[shift.pk]), 0),
            "capacity": int(problem.capacity[j]),
        }
        for j, shift in enumerate(problem.shifts)
    ]
    per_person = []
    for i, application in enumerate(problem.applications):
        asked = [shift for j, shift in enumerate(problem.shifts) if problem.asked[i, j]]
        per_person.append({"application": application, "assigned": by_person[application.pk], "asked": asked})
    return per_shift, per_person
