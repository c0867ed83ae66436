"""Pages of an organisation's people: the list, roles, removal, and accepting an invitation."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tansiq.core.errors import TansiqError
from tansiq.network.forms.registry import (
    InvitationForm,
    RoleForm,
)
from tansiq.network.queries import directory as queries
from tansiq.network.services import people as services
from tansiq.network.views.errors import form_error


@login_required
def people(request, slug):
    organisation = queries.organisation_managed_by(request.user, slug)
    form = InvitationForm(request.POST or None, initial={"language": request.LANGUAGE_CODE})
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_person(
                organisation,
                by=request.user,
                base_url=request.build_absolute_uri("/"),
                **form.cleaned_data,
            )
        except TansiqError as error:
            form_error(form, error)
        else:
            messages.success(
                request, _("The invitation has been sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("network:people", organisation.slug)
    return render(
        request,
        "network/people.html",
        {
            "organisation": organisation,
            "form": form,
            "people": queries.people_of(organisation),
            "invitations": queries.pending_invitations_of(organisation),
            "roles": RoleForm.base_fields["role"].choices,
        },
    )


@login_required
@require_POST
def change_role(request, slug, person):
    organisation = queries.organisation_managed_by(request.user, slug)
    membership = queries.membership_of_person(request.user, organisation, person)
    form = RoleForm(request.POST)
    if form.is_valid():
        try:
            services.change_role(membership, by=request.user, role=form.cleaned_data["role"])
        except TansiqError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("The role has been changed."))
    return redirect("network:people", organisation.slug)


@login_required
@require_POST
def remove_person(request, slug, person):
    organisation = queries.organisation_managed_by(request.user, slug)
    membership = queries.membership_of_person(request.user, organisation, person)
    try:
        services.remove_person(membership, by=request.user)
    except TansiqError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(person)s no longer acts for the organisation.") % {"person": membership.user})
    return redirect("network:people", organisation.slug)


def accept_invitation(request, token):
    try:
        invitation = services.invitation_by_token(token)
    except TansiqError as error:
        return render(request, "network/invitation.html", {"error": error.message}, status=error.status)
    if request.method == "POST":
        if not request.user.is_authenticated:
            return redirect(f"{_login_url()}?next={request.path}")
        try:
            services.accept_invitation(token, by=request.user)
        except TansiqError as error:
            return render(request, "network/invitation.html", {"error": error.message}, status=error.status)
        messages.success(request, _("You now act for %(organisation)s.") % {"organisation": invitation.organisation})
        return redirect("network:organisation", invitation.organisation.slug)
    return render(request, "network/invitation.html", {"invitation": invitation})


def _login_url() -> str:

    return resolve_url(settings.LOGIN_URL)
