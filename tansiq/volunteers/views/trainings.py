"""Trainings' pages: the public list and detail (enrol, withdraw), the organiser's new training,
attendance sheet and completions, the volunteer's qualifications, and an organisation's document
check for one of its applicants."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tansiq.core.errors import TansiqError
from tansiq.core.exports import export_format, export_response
from tansiq.core.listing import filtered, paginate
from tansiq.network.views.errors import form_error, message_error
from tansiq.volunteers.forms.trainings import DocumentCheckForm, SessionFormSet, TrainingFilterForm, TrainingForm
from tansiq.volunteers.queries import profiles as profile_queries
from tansiq.volunteers.queries import trainings as queries
from tansiq.volunteers.services import trainings as services


def trainings(request):
    """Every training (public): filters, pages, CSV/XLSX."""
    listed, filter_form = filtered(request, queries.trainings(), TrainingFilterForm)
    fmt = export_format(request)
    if fmt:
        return _export(fmt, listed)
    organisations = profile_queries.organisations_coordinated_by(request.user) if request.user.is_authenticated else []
    context = {
        "page_obj": paginate(request, listed),
        "filter_form": filter_form,
        "organisations": organisations,
    }
    template = "volunteers/trainings/_rows.html" if request.htmx else "volunteers/trainings/list.html"
    return render(request, template, context)


def _export(fmt: str, listed) -> HttpResponse:
    headers = [
        _("Title"),
        _("Kind"),
        _("Organisation"),
        _("Starts"),
        _("Ends"),
        _("Places"),
        _("Enrolled"),
        _("Online"),
    ]
    rows = (
        [
            training.title,
            training.get_kind_display(),
            training.organisation.name if training.organisation else _("The network"),
            training.first_session,
            training.last_session,
            training.capacity if training.capacity is not None else "",
            training.taken,
            _("Yes") if training.remote else _("No"),
        ]
        for training in listed
    )
    return export_response(fmt, name="trainings", headers=headers, rows=rows)


def training(request, uuid):
    found = queries.training_by_uuid(uuid)
    context = {
        "training": found,
        "sessions": found.sessions.all(),
        "enrolment": queries.own_enrolment(request.user, found),
        "places_left": None if found.capacity is None else max(found.capacity - found.taken, 0),
        "ended": found.last_session is not None and found.last_session <= timezone.now(),
        "organiser": request.user.is_authenticated and request.user.has_perm("volunteers.organise_training", found),
    }
    return render(request, "volunteers/trainings/detail.html", context)


@login_required
def new_training(request, slug=None):
    """A new training for an organisation (``slug``) or, without one, for the secretariat."""
    organisation = None
    if slug is not None:
        from tansiq.network.queries.directory import organisation_for

        organisation, _editable = organisation_for(request.user, slug)
    if not request.user.has_perm("volunteers.create_training", organisation):
        raise PermissionDenied
    data = request.POST if request.method == "POST" else None
    form, sessions = TrainingForm(data), SessionFormSet(data, prefix="sessions")
    if request.method == "POST" and form.is_valid() and sessions.is_valid():
        try:
            created = services.create_training(
                organisation, by=request.user, values=form.values(), sessions=sessions.sessions()
            )
        except TansiqError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The training has been created."))
            return redirect("volunteers:training", created.uuid)
    return render(
        request,
        "volunteers/trainings/form.html",
        {"form": form, "sessions": sessions, "organisation": organisation},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_POST
def enrol(request, uuid):
    found = queries.training_by_uuid(uuid)
    try:
        services.enrol(found, by=request.user)
    except TansiqError as error:
        message_error(request, error)
    else:
        messages.success(request, _("You are enrolled."))
    return redirect("volunteers:training", found.uuid)


@login_required
@require_POST
def withdraw(request, uuid):
    found = queries.training_by_uuid(uuid)
    enrolment = queries.own_enrolment(request.user, found)
    if enrolment is None:
        raise Http404
    try:
        services.withdraw(enrolment, by=request.user)
    except TansiqError as error:
        message_error(request, error)
    else:
        messages.success(request, _("You have left the training."))
    return redirect("volunteers:training", found.uuid)


@login_required
def attendance(request, uuid):
    """The organiser's sheet: one column per session, one row per enrolment; completions."""
    found = queries.organised_training(request.user, uuid)
    if request.method == "POST":
        session = found.sessions.filter(pk=request.POST.get("session") or 0).first()
        if session is None:
            raise Http404
        # Only the rows the sheet showed (one page of it); the service refuses ids not enrolled.
        listed = {int(pk) for pk in request.POST.getlist("listed") if pk.isdigit()}
        present = {pk: f"present-{pk}" in request.POST for pk in sorted(listed)}
        try:
            services.record_attendance(session, by=request.user, present=present)
        except TansiqError as error:
            message_error(request, error)
        else:
            messages.success(request, _("The attendance has been recorded."))
        return redirect("volunteers:training_attendance", found.uuid)
    fmt = export_format(request)
    sessions, rows = queries.attendance_sheet(found)
    if fmt:
        headers = [_("Volunteer"), _("State"), *[str(session.starts_at.date()) for session in sessions], _("Attended")]
        return export_response(
            fmt,
            name=f"attendance-{found.uuid.hex[:8]}",
            headers=headers,
            rows=(
                [
                    row["enrolment"].profile.display_name,
                    row["enrolment"].get_state_display(),
                    *[{True: _("Present"), False: _("Absent"), None: ""}[p] for p in row["present"]],
                    row["attended"],
                ]
                for row in rows
            ),
        )
    page = paginate(request, rows, per_page=50)
    columns = [
        {"session": session, "marks": [(row["enrolment"], row["present"][i]) for row in page.object_list]}
        for i, session in enumerate(sessions)
    ]
    return render(
        request,
        "volunteers/trainings/attendance.html",
        {"training": found, "sessions": sessions, "columns": columns, "page_obj": page},
    )


@login_required
@require_POST
def complete(request, uuid):
    found = queries.organised_training(request.user, uuid)
    enrolment = queries.enrolment_of(found, request.POST.get("enrolment", ""))
    try:
        if request.POST.get("outcome") == "not_completed":
            services.mark_not_completed(enrolment, by=request.user)
        else:
            services.complete(enrolment, by=request.user, require_all_sessions=bool(request.POST.get("all_sessions")))
    except TansiqError as error:
        message_error(request, error)
    else:
        messages.success(request, _("The outcome has been recorded."))
    return redirect("volunteers:training_attendance", found.uuid)


@login_required
def qualifications(request):
    """The volunteer's qualifications (expired ones shown as expired) and trainings."""
    profile = profile_queries.own_profile(request.user)
    return render(
        request,
        "volunteers/trainings/qualifications.html",
        {
            "profile": profile,
            "qualifications": queries.qualifications_of(profile),
            "enrolments": queries.own_enrolments(request.user),
        },
    )


@login_required
def document_check(request, slug, uuid):
    """An organisation records a document it checked for one of its applicants."""
    from tansiq.network.queries.directory import organisation_for

    organisation, _editable = organisation_for(request.user, slug)
    profile = profile_queries.volunteer_for(request.user, uuid)
    if not request.user.has_perm("volunteers.check_document", (organisation, profile)):
        raise Http404
    form = DocumentCheckForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.record_document_check(
                organisation,
                profile,
                form.cleaned_data["qualification"],
                by=request.user,
                checked_on=form.cleaned_data["checked_on"],
            )
        except TansiqError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The document check has been recorded."))
            return redirect("volunteers:volunteer", profile.uuid)
    return render(
        request,
        "volunteers/trainings/document_check.html",
        {"form": form, "organisation": organisation, "profile": profile},
    )
