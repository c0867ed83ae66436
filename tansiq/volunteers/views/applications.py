"""Applications: applying, the volunteer's "My applications", and the organisation's roster."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tansiq.core.errors import TansiqError
from tansiq.core.exports import export_response
from tansiq.core.listing import paginate
from tansiq.network.views.errors import form_error, message_error
from tansiq.volunteers.forms.applications import (
    ApplyForm,
    ConfirmForm,
    DecideForm,
    RateForm,
    RosterFilter,
    WithdrawForm,
)
from tansiq.volunteers.queries import applications as queries
from tansiq.volunteers.queries.profiles import own_profile
from tansiq.volunteers.services import applications as services

PAGE_SIZE = 25


@login_required
def apply(request, uuid):
    """The application form; a volunteer who may not apply sees why (and where to fix it)."""
    opportunity = queries.opportunity_to_apply(uuid)
    profile = own_profile(request.user)
    existing = opportunity.applications.filter(profile=profile).first() if profile else None
    if existing is not None:
        messages.info(request, _("You have already applied to this opportunity."))
        return redirect("volunteers:my_applications")
    refusal = None
    try:
        services.check_gates(profile, opportunity, request.user)
    except TansiqError as error:
        refusal = error
    form = ApplyForm(
        request.POST if request.method == "POST" and refusal is None else None,
        shifts=queries.open_shifts(opportunity),
        questions=opportunity.questions or [],
    )
    if form.is_bound and form.is_valid():
        try:
            _application, created = services.apply(opportunity, by=request.user, **form.application_values())
        except TansiqError as error:
            form_error(form, error)
        else:
            if created:
                messages.success(request, _("Your application has been sent to the organisation."))
            else:
                messages.info(request, _("You have already applied to this opportunity."))
            return redirect("volunteers:my_applications")
    return render(
        request,
        "volunteers/applications/apply.html",
        {"opportunity": opportunity, "form": form, "refusal": refusal, "profile": profile},
    )


@login_required
def my_applications(request):
    page = paginate(request, queries.applications_of(request.user), per_page=PAGE_SIZE)
    return render(
        request,
        "volunteers/applications/mine.html",
        {"page_obj": page, "rate_form": RateForm(), "withdraw_form": WithdrawForm()},
    )


@login_required
def application(request, uuid):
    """One application: its volunteer sees it; so do the organisation's coordinators, who decide."""
    found = queries.application_for(request.user, uuid)
    coordinator = request.user.has_perm("volunteers.decide_application", found)
    return render(
        request,
        "volunteers/applications/detail.html",
        {
            "application": found,
            "coordinator": coordinator,
            "mine": found.profile.user_id == request.user.pk,
            "rate_form": RateForm(),
            "can_see_profile": request.user.has_perm("volunteers.see_volunteer", found.profile),
        },
    )


@login_required
@require_POST
def withdraw(request, uuid):
    found = queries.own_application(request.user, uuid)
    form = WithdrawForm(request.POST)
    try:
        services.withdraw(found, by=request.user, reason=form.data.get("reason", "")[:1000])
    except TansiqError as error:
        message_error(request, error)
    else:
        messages.success(request, _("You have withdrawn your application."))
    return redirect("volunteers:my_applications")


@login_required
def confirm(request, uuid):
    """The volunteer confirms an accepted place, accepting the organisation's agreement."""
    found = queries.own_application(request.user, uuid)
    settings = getattr(found.opportunity.organisation, "volunteering_settings", None)
    agreement_text = settings.agreement_text if settings is not None else ""
    form = ConfirmForm(request.POST or None, agreement_text=agreement_text)
    if request.method == "POST" and form.is_valid():
        try:
            services.confirm(found, by=request.user, agreement_accepted=bool(form.cleaned_data.get("agreement")))
        except TansiqError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Your place is confirmed. Thank you!"))
            return redirect("volunteers:my_applications")
    return render(
        request,
        "volunteers/applications/confirm.html",
        {"application": found, "form": form, "agreement_text": agreement_text},
    )


@login_required
@require_POST
def answer_offer(request, uuid, shift):
    booking = queries.offered_booking(request.user, uuid, shift)
    take = request.POST.get("answer") == "take"
    try:
        if take:
            services.take_offer(booking, by=request.user)
        else:
            services.decline_offer(booking, by=request.user)
    except TansiqError as error:
        message_error(request, error)
    else:
        messages.success(
            request, _("The place is yours.") if take else _("You have let the place go to the next volunteer.")
        )
    return redirect("volunteers:my_applications")


@login_required
@require_POST
def rate(request, uuid):
    found = queries.application_for(request.user, uuid)
    side = "volunteer" if found.profile.user_id == request.user.pk else "organisation"
    form = RateForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give a rating from 1 to 5."))
    else:
        try:
            services.rate(
                found,
                by=request.user,
                side=side,
                rating=form.cleaned_data["rating"],
                comment=form.cleaned_data["comment"],
            )
        except TansiqError as error:
            message_error(request, error)
        else:
            messages.success(request, _("Thank you for your rating."))
    if side == "volunteer":
        return redirect("volunteers:my_applications")
    return redirect("volunteers:application", found.uuid)


@login_required
def rosters(request):
    """The opportunities of the organisations the user coordinates, with applications to decide."""
    page = paginate(request, queries.rosters_of(request.user), per_page=PAGE_SIZE)
    return render(request, "volunteers/applications/rosters.html", {"page_obj": page})


ROSTER_HEADERS = (
    lambda: _("Volunteer"),
    lambda: _("Application"),
    lambda: _("Shift starts"),
    lambda: _("Shift ends"),
    lambda: _("Place"),
    lambda: _("Attendance"),
    lambda: _("Applied"),
)


@login_required
def roster(request, uuid):
    """An opportunity's applications: filters by state and shift, bulk decisions, CSV/XLSX."""
    opportunity = queries.opportunity_for_roster(request.user, uuid)
    filters = RosterFilter(request.GET or None, opportunity=opportunity)
    values = filters.cleaned_data if filters.is_valid() else {}
    found = queries.roster(opportunity, state=values.get("state", ""), shift=values.get("shift"))
    fmt = request.GET.get("export")
    if fmt in ("csv", "xlsx"):
        return export_response(
            fmt,
            name=f"roster-{opportunity.uuid.hex[:8]}",
            headers=[header() for header in ROSTER_HEADERS],
            rows=queries.roster_rows(found),
        )
    form = DecideForm(request.POST or None, opportunity=opportunity)
    if request.method == "POST":
        if form.is_valid():
            result = services.decide_many(
                form.cleaned_data["applications"], by=request.user, decision=form.cleaned_data["decision"]
            )
            if result.done:
                messages.success(request, _("%(count)s applications updated.") % {"count": len(result.done)})
            for refused, reason in result.refused:
                messages.error(request, f"{refused.profile.display_name}: {reason}")
            return redirect(request.get_full_path())
        messages.error(request, _("Choose a decision and at least one application."))
    page = paginate(request, found, per_page=PAGE_SIZE)
    return render(
        request,
        "volunteers/applications/roster.html",
        {
            "opportunity": opportunity,
            "filters": filters,
            "page_obj": page,
            "shifts": queries.shifts_of(opportunity),
            "decisions": DecideForm.base_fields["decision"].choices,
        },
    )


@login_required
@require_POST
def decide(request, uuid):
    """One decision on one application, from its page."""
    found = queries.application_for(request.user, uuid)
    decision = request.POST.get("decision", "")
    if decision not in services.DECISIONS:
        messages.error(request, _("Choose a decision."))
    else:
        try:
            services.DECISIONS[decision](found, by=request.user)
        except TansiqError as error:
            message_error(request, error)
        else:
            messages.success(request, _("The application has been updated."))
    return redirect("volunteers:application", found.uuid)
