"""Pages of admission by the statute: the applicant's, the referee's and the secretariat's."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from tansiq.core.errors import TansiqError
from tansiq.core.listing import paginate
from tansiq.core.rules import require_rule
from tansiq.network import documents
from tansiq.network.forms.admission import (
    ApplicationForm,
    ApplicationQueueFilterForm,
    ApplicationStepForm,
    DocumentsForm,
    RefereeForm,
    ReferenceAnswerForm,
    StartApplicationForm,
)
from tansiq.network.models import Application
from tansiq.network.queries import admission as queries
from tansiq.network.queries import directory as directory_queries
from tansiq.network.queries import referees as referee_picker
from tansiq.network.services import admission
from tansiq.network.views.errors import form_error


@login_required
def organisation_applications(request, slug):
    """An organisation's applications, and where its owners and admins start a new one."""
    organisation = directory_queries.organisation_managed_by(request.user, slug)
    form = StartApplicationForm(
        request.POST or None, organisation=organisation, initial={"network": request.GET.get("network")}
    )
    if request.method == "POST" and form.is_valid():
        try:
            application = admission.start_application(
                by=request.user, organisation=organisation, network=form.cleaned_data["network"]
            )
        except TansiqError as error:
            form_error(form, error)
        else:
            return redirect("network:application", application.uuid)
    return render(
        request,
        "network/organisation_applications.html",
        {
            "organisation": organisation,
            "form": form,
            "applications": queries.applications_of(organisation),
            "references": queries.references_for(request.user),
        },
    )


@login_required
def application(request, uuid):
    """The applicant's page: where the application stands, and the draft form while it is a draft."""
    application, targets = queries.application_for(request.user, uuid)
    editable = request.user.has_perm("network.edit_draft", application)
    form = None
    if editable:
        if request.method == "POST" and "find" in request.POST:
            return _find_referees(request, application, targets)
        form = ApplicationForm(request.POST or None, request.FILES or None, application=application)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                admission.save_application(
                    application,
                    by=request.user,
                    category=data["category"],
                    representative_name=data["representative_name"],
                    motivation=data["motivation"],
                    referees=referee_picker.named_referees(request.user, data["referees"]),
                    board_resolution=data["board_resolution"] or None,
                    registration_certificate=data["registration_certificate"] or None,
                )
            except TansiqError as error:
                form_error(form, error)
            else:
                messages.success(request, _("The application has been saved."))
                return redirect("network:application", application.uuid)
    elif request.method == "POST":
        raise Http404
    return _application_page(request, application, targets, form=form)


def _find_referees(request, application, targets):
    """The picker's *Find* without JavaScript: the draft form comes back as it was sent, with the
    members the words find. Nothing is saved but the documents chosen, which are uploaded as the
    documents form would (a page drawn again cannot keep a file chosen in the browser)."""
    uploads = {kind: request.FILES[kind] for kind in admission.DOCUMENTS if kind in request.FILES}
    if uploads:
        try:
            application = admission.upload_documents(application, by=request.user, files=uploads)
        except TansiqError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The documents have been saved."))
    kept = {name: request.POST.get(name, "") for name in ("category", "representative_name", "motivation")}
    picker = referee_picker.pick(
        application,
        user=request.user,
        field=referee_picker.DRAFT,
        q=request.POST.get("q", ""),
        chosen=request.POST.getlist(referee_picker.DRAFT),
    )
    form = ApplicationForm(initial=kept, application=application)
    return _application_page(request, application, targets, form=form, picker=picker)


def _application_page(request, application, targets, *, form=None, documents_form=None, referee_form=None, picker=None):
    """The applicant's page with whichever forms this person may use now (bound ones keep their errors).

    ``picker`` is a referee picker already filled (a search without JavaScript); otherwise each form
    that names referees gets one with the referees chosen so far and nothing searched.
    """
    user = request.user
    if documents_form is None and form is None and user.has_perm("network.upload_draft_document", application):
        documents_form = DocumentsForm()
    references = list(application.references.select_related("organisation"))
    places = admission.open_referee_places(application)
    if referee_form is None and places and user.has_perm("network.replace_referee", application):
        referee_form = RefereeForm()
    chosen = {}  # each picker on the page, with the slugs checked in it
    if form is not None:
        chosen[referee_picker.DRAFT] = (
            form.data.getlist(referee_picker.DRAFT)
            if form.is_bound
            else [reference.organisation.slug for reference in references]
        )
    if referee_form is not None:
        chosen[referee_picker.REPLACEMENT] = (
            referee_form.data.getlist(referee_picker.REPLACEMENT) if referee_form.is_bound else []
        )
    pickers = {
        field: picker
        if picker is not None and picker.field == field
        else referee_picker.pick(application, user=user, field=field, chosen=slugs)
        for field, slugs in chosen.items()
    }
    bound = any(f is not None and f.is_bound for f in (form, documents_form, referee_form))
    return render(
        request,
        "network/application.html",
        {
            "application": application,
            "steps": admission.steps_of(application),
            "references": references,
            "form": form,
            "documents_form": documents_form,
            "referee_form": referee_form,
            "referee_places": places,
            "referees_picker": pickers.get(referee_picker.DRAFT),
            "replacement_picker": pickers.get(referee_picker.REPLACEMENT),
            "may_submit": Application.State.SUBMITTED in targets,
            "may_withdraw": Application.State.WITHDRAWN in targets,
            "reviewer": user.has_perm("network.review_application", application),
        },
        status=400 if bound else 200,
    )


@login_required
@require_GET
def application_referee_choices(request, uuid):
    """The referee picker's members for the words typed: the list alone for htmx, the page without
    JavaScript. Only to those who may name the referees now: the applicant's owners and admins, in
    the draft (``field=referees``) or while a declined referee's place is open (``field=organisation``)."""
    application, targets = queries.application_for(request.user, uuid)
    field = request.GET.get("field", referee_picker.DRAFT)
    if field == referee_picker.REPLACEMENT:
        allowed = admission.open_referee_places(application) > 0 and request.user.has_perm(
            "network.replace_referee", application
        )
    elif field == referee_picker.DRAFT:
        allowed = request.user.has_perm("network.edit_draft", application)
    else:
        allowed = False
    if not allowed:
        raise Http404
    picker = referee_picker.pick(
        application, user=request.user, field=field, q=request.GET.get("q", ""), chosen=request.GET.getlist(field)
    )
    if request.htmx:
        return render(request, "network/_referee_choices.html", {"picker": picker, "swap": True})
    if field == referee_picker.DRAFT:
        return _application_page(
            request, application, targets, form=ApplicationForm(application=application), picker=picker
        )
    return _application_page(request, application, targets, referee_form=RefereeForm(), picker=picker)


@login_required
@require_POST
def application_documents(request, uuid):
    """Editors (and owners and admins) of the applicant upload documents of the draft."""
    application, targets = queries.application_for(request.user, uuid)
    if not request.user.has_perm("network.upload_draft_document", application):
        raise Http404
    form = DocumentsForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            admission.upload_documents(application, by=request.user, files=form.files_to_store())
        except TansiqError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The documents have been saved."))
            return redirect("network:application", application.uuid)
    return _application_page(request, application, targets, documents_form=form)


@login_required
@require_POST
def application_referee(request, uuid):
    """After a decline, the applicant's owners or admins name another referee."""
    application, targets = queries.application_for(request.user, uuid)
    if not request.user.has_perm("network.replace_referee", application):
        raise Http404
    if "find" in request.POST:
        # The picker's Find without JavaScript: the members the words find, nothing named yet.
        picker = referee_picker.pick(
            application,
            user=request.user,
            field=referee_picker.REPLACEMENT,
            q=request.POST.get("q", ""),
            chosen=request.POST.getlist(referee_picker.REPLACEMENT),
        )
        return _application_page(request, application, targets, referee_form=RefereeForm(), picker=picker)
    form = RefereeForm(request.POST)
    if form.is_valid():
        organisation = (
            directory_queries.organisations_visible_to(request.user)
            .filter(slug=form.cleaned_data["organisation"])
            .first()
        )
        try:
            reference, _created = admission.name_another_referee(
                application, by=request.user, organisation=organisation
            )
        except TansiqError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("%(organisation)s has been asked to confirm or decline.")
                % {"organisation": reference.organisation.name},
            )
            return redirect("network:application", application.uuid)
    return _application_page(request, application, targets, referee_form=form)


@login_required
@require_POST
def application_submit(request, uuid):
    application, _targets = queries.application_for(request.user, uuid)
    try:
        application = admission.submit_application(application, by=request.user)
    except TansiqError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The application has been submitted. The referees have been asked to confirm."))
    return redirect("network:application", application.uuid)


@login_required
@require_POST
def application_withdraw(request, uuid):
    application, targets = queries.application_for(request.user, uuid)
    if Application.State.WITHDRAWN not in targets:
        raise Http404
    try:
        admission.withdraw_application(application, by=request.user, reason=request.POST.get("reason", ""))
    except TansiqError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The application has been withdrawn."))
    return redirect("network:application", application.uuid)


@login_required
def application_document(request, uuid, kind):
    """A document, for the applicant's people and the secretariat only: never a public address."""
    application, _targets = queries.application_for(request.user, uuid)
    return documents.download(application, kind)


@login_required
def reference(request, uuid):
    """The referee organisation's page: confirm or decline the reference addressed to it."""
    reference = queries.reference_for(request.user, uuid)
    answerable = request.user.has_perm("network.answer_pending_reference", reference)
    form = ReferenceAnswerForm(request.POST or None) if answerable else None
    if request.method == "POST":
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                admission.answer_reference(
                    reference,
                    by=request.user,
                    confirm=form.cleaned_data["answer"] == "confirm",
                    reason=form.cleaned_data["reason"],
                )
            except TansiqError as error:
                form_error(form, error)
            else:
                messages.success(request, _("Thank you: your answer has been recorded."))
                return redirect("network:reference", reference.uuid)
    return render(request, "network/reference.html", {"reference": reference, "form": form})


@require_rule("network.view_application_queue")
def application_queue(request):
    """The secretariat's queue of applications, by step."""
    applications = queries.application_queue(request.user)
    form = ApplicationQueueFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        applications = form.apply(applications)
    page = paginate(request, applications, per_page=25)
    context = {"page_obj": page, "filter_form": form}
    template = "network/_application_rows.html" if request.htmx else "network/application_queue.html"
    return render(request, template, context)


@login_required
def application_review(request, uuid):
    """The secretariat's page: the statute checks, computed, and the steps it may take next."""
    application, targets = queries.application_for(request.user, uuid)
    if not request.user.has_perm("network.review_application", application):
        raise Http404
    form = ApplicationStepForm(request.POST or None, targets=targets)
    if request.method == "POST":
        if not targets:
            raise Http404
        if form.is_valid():
            data = form.cleaned_data
            try:
                admission.move_application(
                    application,
                    to=data["target"],
                    by=request.user,
                    reason=data["reason"],
                    votes=form.votes(),
                    category=data["category"] or None,
                )
            except TansiqError as error:
                form_error(form, error)
            else:
                messages.success(request, _("The application has moved on."))
                return redirect("network:application_review", application.uuid)
    voting = any(target in (Application.State.ADMITTED, Application.State.REJECTED) for target in targets)
    return render(
        request,
        "network/application_review.html",
        {
            "application": application,
            "checks": admission.statute_checks(application),
            "referee_places": admission.open_referee_places(application),
            "steps": admission.steps_of(application),
            "references": application.references.select_related("organisation"),
            "targets": [(value, label) for value, label in form.fields["target"].choices],
            "form": form,
            "voting": voting,
        },
        status=200 if not form.errors else 400,
    )
