"""The volunteer's pages (profile, agreements, guardian) and the discoverable volunteers list."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tansiq.core.errors import TansiqError
from tansiq.core.exports import export_response
from tansiq.core.listing import paginate
from tansiq.network.views.errors import form_error, message_error
from tansiq.volunteers.forms.profiles import (
    EraseForm,
    FinderForm,
    GuardianForm,
    LanguageFormSet,
    OrganisationSettingsForm,
    ProfileForm,
    SkillFormSet,
    rows_of,
)
from tansiq.volunteers.models import Agreement
from tansiq.volunteers.queries import achievements as achievement_queries
from tansiq.volunteers.queries import assignments as assignment_queries
from tansiq.volunteers.queries import hours as hours_queries
from tansiq.volunteers.queries import opportunities as opportunity_queries
from tansiq.volunteers.queries import profiles as queries
from tansiq.volunteers.queries import trainings as training_queries
from tansiq.volunteers.services import profiles as services

PAGE_SIZE = 25


@login_required
def profile(request):
    own = queries.own_profile(request.user)
    coordinated = queries.organisations_coordinated_by(request.user)
    return render(
        request,
        "volunteers/profile.html",
        {
            "profile": own,
            "to_accept": queries.agreements_to_accept(request.user) if own else [],
            "acceptances": queries.acceptances_of(request.user) if own else [],
            "with_opportunities": opportunity_queries.organisations_with_opportunities(request.user),
            "qualifications": training_queries.qualifications_of(own),
            "big_events": assignment_queries.big_events_of(request.user),
            "network": achievement_queries.first_network(),
            "coordinated": coordinated,
            "tier": hours_queries.tier_of(own) if own else None,
            # Editors run shifts (check-in) without keeping the settings.
            "coordinating": hours_queries.organisations_coordinated(request.user).exclude(
                pk__in=coordinated.values("pk")
            ),
        },
    )


@login_required
def edit_profile(request):
    own = queries.own_profile(request.user)
    data = request.POST if request.method == "POST" else None
    form = ProfileForm(data, instance=own, language=request.LANGUAGE_CODE)
    languages = LanguageFormSet(
        data,
        prefix="languages",
        initial=[{"language": row.language, "level": row.level} for row in own.languages.all()] if own else None,
    )
    skills = SkillFormSet(
        data,
        prefix="skills",
        initial=[{"name": row.name, "level": row.level} for row in own.skills.all()] if own else None,
    )
    if request.method == "POST" and form.is_valid() and languages.is_valid() and skills.is_valid():
        try:
            services.save_profile(
                request.user,
                by=request.user,
                values=form.profile_values(),
                causes=form.cleaned_data["causes"],
                languages=rows_of(languages, "language"),
                skills=rows_of(skills, "name"),
                identity_number=form.cleaned_data["identity_number"] or None,
            )
        except TansiqError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Your volunteer profile has been saved."))
            return redirect("volunteers:profile")
    return render(
        request,
        "volunteers/profile_edit.html",
        {"form": form, "languages": languages, "skills": skills, "profile": own},
    )


@login_required
def agreements(request):
    """The texts in force: to read before creating a profile, to accept once it exists."""
    own = queries.own_profile(request.user)
    return render(
        request,
        "volunteers/agreements.html",
        {
            "profile": own,
            "to_accept": queries.agreements_to_accept(request.user),
            "acceptances": queries.acceptances_of(request.user),
            "needs_guardian": own is not None and own.is_minor and not own.has_guardian_consent,
        },
    )


@login_required
@require_POST
def accept(request, pk):
    own = queries.own_profile(request.user)
    if own is None:
        return redirect("volunteers:edit_profile")
    agreement = get_object_or_404(Agreement, pk=pk)
    try:
        services.accept_agreement(own, agreement, by=request.user)
    except TansiqError as error:
        message_error(request, error)
    else:
        messages.success(request, _("Thank you: your acceptance has been recorded."))
    return redirect("volunteers:agreements")


@login_required
def guardian(request):
    own = queries.own_profile(request.user)
    if own is None:
        return redirect("volunteers:edit_profile")
    form = GuardianForm(
        request.POST or None, initial={"guardian_name": own.guardian_name, "guardian_contact": own.guardian_contact}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.record_guardian_consent(
                own,
                by=request.user,
                name=form.cleaned_data["guardian_name"],
                contact=form.cleaned_data["guardian_contact"],
            )
        except TansiqError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Your guardian's consent has been recorded."))
            return redirect("volunteers:agreements")
    return render(request, "volunteers/guardian.html", {"form": form, "profile": own})


@login_required
def finder(request):
    if not request.user.has_perm("volunteers.find_volunteers"):
        raise PermissionDenied
    form = FinderForm(request.GET or None, language=request.LANGUAGE_CODE)
    filters = form.cleaned_data if form.is_valid() else {}
    found = queries.discoverable_volunteers(
        request.user, cause=filters.get("cause", ""), country=filters.get("country", "")
    )
    page = paginate(request, found, per_page=PAGE_SIZE)
    return render(request, "volunteers/finder.html", {"form": form, "page_obj": page})


@login_required
def volunteer(request, uuid):
    profile = queries.volunteer_for(request.user, uuid)
    return render(
        request,
        "volunteers/volunteer.html",
        {
            "profile": profile,
            "qualifications": training_queries.qualifications_of(profile),
            "checks_for": [
                organisation
                for organisation in queries.organisations_coordinated_by(request.user)
                if request.user.has_perm("volunteers.check_document", (organisation, profile))
            ],
        },
    )


@login_required
def my_data(request):
    """The volunteer's own data: download it (JSON or CSV) or erase it."""
    fmt = request.GET.get("format")
    if fmt in ("json", "csv"):
        data = queries.own_data(request.user)
        if fmt == "csv":
            return export_response(
                "csv",
                name="my-volunteer-data",
                headers=[_("Section"), _("Field"), _("Value")],
                rows=queries.own_data_rows(data),
            )
        response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 2})
        response["Content-Disposition"] = 'attachment; filename="my-volunteer-data.json"'
        response["Cache-Control"] = "private, no-store"
        return response
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.erase_volunteer_data(request.user, by=request.user)
        messages.success(request, _("Your volunteer data has been erased."))
        return redirect("volunteers:profile")
    return render(request, "volunteers/my_data.html", {"form": form, "profile": queries.own_profile(request.user)})


@login_required
def organisation_settings(request, slug):
    organisation = queries.organisation_for_settings(request.user, slug)
    form = OrganisationSettingsForm(request.POST or None, instance=queries.settings_of(organisation))
    if request.method == "POST" and form.is_valid():
        try:
            services.save_organisation_settings(organisation, by=request.user, **form.cleaned_data)
        except TansiqError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The volunteering settings have been saved."))
            return redirect("volunteers:organisation_settings", organisation.slug)
    return render(request, "volunteers/organisation_settings.html", {"organisation": organisation, "form": form})
