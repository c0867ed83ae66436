"""Opportunities: the public search and page, the organisation's list and forms, shifts, the
secretariat's review queue, recommendations for a volunteer and candidates for an opportunity."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tansiq.core import i18n
from tansiq.core.countries import country_name
from tansiq.core.errors import TansiqError
from tansiq.core.exports import export_format, export_response
from tansiq.core.listing import paginate
from tansiq.core.templatetags.tansiq import num
from tansiq.core.workflow import allowed_targets
from tansiq.network import worldmap
from tansiq.network.views.errors import form_error, message_error
from tansiq.volunteers.forms.opportunities import (
    MoveForm,
    OpportunityForm,
    OpportunitySearchForm,
    OpportunitySkillFormSet,
    ShiftChangeForm,
    ShiftForm,
    shift_values,
    skill_initial,
    skill_rows,
)
from tansiq.volunteers.models import Opportunity
from tansiq.volunteers.queries import matching as matching_queries
from tansiq.volunteers.queries import opportunities as queries
from tansiq.volunteers.queries import profiles as profile_queries
from tansiq.volunteers.services import opportunities as services

PAGE_SIZE = 25
MAP_MIN_COUNTRIES = 2  # one country is a list, not a map


def _export_rows(found):
    for opportunity in found.iterator(chunk_size=500):
        yield (
            opportunity.title_ar,
            opportunity.title_en,
            opportunity.title_ms,
            opportunity.organisation.name,
            opportunity.sector.name if opportunity.sector_id else "",
            opportunity.get_state_display(),
            _("Remote") if opportunity.remote else "",
            country_name(opportunity.country) if opportunity.country else "",
            opportunity.city,
            opportunity.published_at,
        )


def _export(fmt: str, found, *, name: str):
    headers = [
        _("Title in Arabic"),
        _("Title in English"),
        _("Title in Malay"),
        _("Organisation"),
        _("Sector"),
        _("State"),
        _("Remote"),
        _("Country"),
        _("City"),
        _("Published"),
    ]
    return export_response(fmt, name=name, headers=headers, rows=_export_rows(found))


def _world_map(request, found) -> str:
    from django.db.models import Count

    counts = {
        code: count for code, count in found.order_by().values_list("country").annotate(count=Count("pk")) if code
    }
    if len(counts) < MAP_MIN_COUNTRIES:
        return ""
    context = {"request": request}
    breaks = worldmap.class_breaks(counts)
    titles = {
        code: ngettext("%(country)s: %(count)s opportunity", "%(country)s: %(count)s opportunities", count)
        % {"country": country_name(code), "count": num(context, count)}
        for code, count in counts.items()
    }
    ranked = sorted(counts, key=lambda code: -counts[code])
    labels = worldmap.Labels(
        title=_("Opportunities by country"),
        description=i18n.join_list(titles[code] for code in ranked[:10]),
        legend_title=_("Opportunities"),
        ranges=[num(context, lo) if lo == hi else f"{num(context, lo)}–{num(context, hi)}" for lo, hi in breaks],
        empty=_("No opportunities"),
        countries=titles,
    )
    svg = worldmap.render(counts, breaks=breaks, labels=labels, rtl=translation.get_language_bidi())
    return mark_safe(svg)  # noqa: S308 - every text in it is escaped by worldmap


def search(request):
    """The public search: opportunities still taking volunteers (and full ones), filtered."""
    form = OpportunitySearchForm(request.GET or None, language=request.LANGUAGE_CODE)
    found = queries.searchable_opportunities()
    if form.is_bound and form.is_valid():
        found = form.apply(found)
    fmt = export_format(request)
    if fmt:
        return _export(fmt, found, name="opportunities")
    page = paginate(request, found.prefetch_related(queries.upcoming_shifts_prefetch()), per_page=PAGE_SIZE)
    context = {"filter_form": form, "page_obj": page}
    if request.htmx:
        return render(request, "volunteers/opportunities/_results.html", context)
    context["world_map"] = _world_map(request, found)
    context["has_profile"] = request.user.is_authenticated and profile_queries.has_profile(request.user)
    return render(request, "volunteers/opportunities/search.html", context)


def _apply_url(opportunity) -> str:
    """The application page, where it exists (a page of its own, built apart)."""
    try:
        return reverse("volunteers:apply", args=[opportunity.uuid])
    except NoReverseMatch:
        return ""


def detail(request, uuid):
    opportunity = queries.opportunity_for(request.user, uuid)
    user = request.user
    manages = user.has_perm("volunteers.manage_opportunity", opportunity)
    targets = [
        (target, Opportunity.State(target).label)
        for target in allowed_targets(opportunity, user)
        if target != Opportunity.State.CANCELLED
    ]
    return render(
        request,
        "volunteers/opportunities/detail.html",
        {
            "opportunity": opportunity,
            # Ten to a page: a big event's dozens of shifts would make the page endless on a phone.
            "shifts": (shifts := paginate(request, queries.shifts_of(opportunity, upcoming_only=True), per_page=10)),
            "page_obj": shifts,
            "manages": manages,
            "may_change": user.has_perm("volunteers.change_opportunity", opportunity),
            "may_cancel": user.has_perm("volunteers.cancel_opportunity", opportunity)
            and Opportunity.State.CANCELLED in allowed_targets(opportunity),
            "targets": targets,
            "reviews": user.has_perm("volunteers.review_opportunity") and opportunity.state == "in_review",
            "open": opportunity.state == Opportunity.State.PUBLISHED,
            "apply_url": _apply_url(opportunity),
            "language_names": [_language_name(code) for code in opportunity.languages],
        },
    )


def _language_name(code: str) -> str:
    try:
        return translation.get_language_info(code)["name_translated"]
    except KeyError:
        return code


@login_required
def organisation_opportunities(request, slug):
    organisation = queries.organisation_for_opportunities(request.user, slug)
    found = queries.opportunities_of(organisation)
    state = request.GET.get("state", "")
    if state in Opportunity.State.values:
        found = found.filter(state=state)
    fmt = export_format(request)
    if fmt:
        return _export(fmt, found, name=f"{organisation.slug}-opportunities")
    return render(
        request,
        "volunteers/opportunities/organisation.html",
        {
            "organisation": organisation,
            "page_obj": paginate(request, found, per_page=PAGE_SIZE),
            "states": Opportunity.State.choices,
            "state": state,
        },
    )


def _edit(request, organisation, opportunity):
    data = request.POST if request.method == "POST" else None
    form = OpportunityForm(data, instance=opportunity, organisation=organisation, language=request.LANGUAGE_CODE)
    skills = OpportunitySkillFormSet(data, prefix="skills", initial=skill_initial(opportunity))
    if request.method == "POST" and form.is_valid() and skills.is_valid():
        try:
            if opportunity is None:
                opportunity = services.create_opportunity(
                    organisation,
                    by=request.user,
                    values=form.values(),
                    skills=skill_rows(skills),
                    qualifications=form.cleaned_data["qualifications"],
                )
                messages.success(request, _("The opportunity has been saved as a draft. Now add its shifts."))
                return redirect("volunteers:opportunity_shifts", opportunity.uuid)
            services.update_opportunity(
                opportunity,
                by=request.user,
                values=form.values(),
                skills=skill_rows(skills),
                qualifications=form.cleaned_data["qualifications"],
            )
        except TansiqError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The opportunity has been saved."))
            return redirect("volunteers:opportunity", opportunity.uuid)
    return render(
        request,
        "volunteers/opportunities/edit.html",
        {"form": form, "skills": skills, "organisation": organisation, "opportunity": opportunity},
    )


@login_required
def create(request, slug):
    return _edit(request, queries.organisation_for_opportunities(request.user, slug), None)


@login_required
def edit(request, uuid):
    opportunity = queries.opportunity_managed_by(request.user, uuid, permission="volunteers.change_opportunity")
    return _edit(request, opportunity.organisation, opportunity)


@login_required
def shifts(request, uuid):
    """The opportunity's shifts (all of them, with places taken) and the form that adds some."""
    opportunity = queries.opportunity_managed_by(request.user, uuid)
    may_change = request.user.has_perm("volunteers.change_opportunity", opportunity)
    form = ShiftForm(request.POST or None)
    if request.method == "POST":
        if not may_change:
            raise PermissionDenied
        if form.is_valid():
            try:
                added = services.add_shifts(opportunity, by=request.user, **shift_values(form))
            except TansiqError as error:
                form_error(form, error)
            else:
                messages.success(
                    request,
                    ngettext("%(count)s shift has been added.", "%(count)s shifts have been added.", len(added))
                    % {"count": num({"request": request}, len(added))},
                )
                return redirect("volunteers:opportunity_shifts", opportunity.uuid)
    return render(
        request,
        "volunteers/opportunities/shifts.html",
        {
            "opportunity": opportunity,
            "shifts": queries.shifts_of(opportunity),
            "form": form,
            "may_change": may_change,
        },
    )


@login_required
@require_POST
def change_shift(request, uuid, pk):
    opportunity = queries.opportunity_managed_by(request.user, uuid, permission="volunteers.change_opportunity")
    shift = queries.shift_of(opportunity, pk)
    form = ShiftChangeForm(request.POST)
    if not form.is_valid():
        messages.error(request, " ".join(str(m) for errors in form.errors.values() for m in errors))
    else:
        try:
            services.change_shift(shift, by=request.user, **form.cleaned_data)
        except TansiqError as error:
            message_error(request, error)
        else:
            messages.success(request, _("The shift has been saved."))
    return redirect("volunteers:opportunity_shifts", opportunity.uuid)


@login_required
@require_POST
def cancel_shift(request, uuid, pk):
    opportunity = queries.opportunity_managed_by(request.user, uuid, permission="volunteers.change_opportunity")
    shift = queries.shift_of(opportunity, pk)
    try:
        services.cancel_shift(shift, by=request.user, reason=request.POST.get("reason", ""))
    except TansiqError as error:
        message_error(request, error)
    else:
        messages.success(request, _("The shift has been cancelled; its volunteers have been told."))
    return redirect("volunteers:opportunity_shifts", opportunity.uuid)


@login_required
@require_POST
def move(request, uuid):
    """A step of the workflow (publish, submit, return, close, reopen, complete, archive, cancel)."""
    opportunity = queries.opportunity_for(request.user, uuid)
    if not queries.may_move(request.user, opportunity):
        raise Http404
    form = MoveForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose the next step."))
        return redirect("volunteers:opportunity", opportunity.uuid)
    try:
        services.move_opportunity(
            opportunity, by=request.user, to=form.cleaned_data["state"], reason=form.cleaned_data["reason"]
        )
    except TansiqError as error:
        message_error(request, error)
    else:
        messages.success(request, _("The opportunity is now: %(state)s.") % {"state": opportunity.get_state_display()})
    return redirect("volunteers:opportunity", opportunity.uuid)


@login_required
def review_queue(request):
    if not request.user.has_perm("volunteers.review_opportunity"):
        raise PermissionDenied
    page = paginate(request, queries.review_queue(request.user), per_page=PAGE_SIZE)
    return render(request, "volunteers/opportunities/review_queue.html", {"page_obj": page})


@login_required
def recommended(request):
    """The page "Recommended for you" (or, for htmx, its list): the best open opportunities for the
    volunteer's profile."""
    profile = matching_queries.profile_of(request.user)
    found = matching_queries.recommendations_for(profile) if profile is not None else []
    template = "volunteers/_recommendations.html" if request.htmx else "volunteers/opportunities/recommended.html"
    return render(
        request,
        template,
        {"profile": profile, "recommendations": found, "cause_names": _sector_names(o for o, _m in found)},
    )


def _sector_names(opportunities) -> dict[str, str]:
    """The causes a match may name (its opportunity's sector), already read with the opportunities."""
    return {o.sector.slug: o.sector.name for o in opportunities if o.sector_id}


@login_required
def candidates(request, uuid):
    """The best volunteers for an opportunity: those who applied and those who chose to be found."""
    opportunity = queries.opportunity_managed_by(request.user, uuid, permission="volunteers.see_candidates")
    return render(
        request,
        "volunteers/opportunities/candidates.html",
        {
            "opportunity": opportunity,
            "candidates": matching_queries.candidates_for(opportunity),
            "cause_names": _sector_names([opportunity]),
        },
    )
