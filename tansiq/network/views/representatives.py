"""Pages where an organisation's admins keep its contacts and name its representatives.

Every page asks the same ``rules`` predicates as the services and the API (through
``queries/representatives.py``, which answers 404 to anyone who may not act); every write is a
function of ``services/contacts.py`` or ``services/representatives.py``.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tansiq.core.errors import TansiqError
from tansiq.core.exports import export_format, export_response
from tansiq.core.listing import filtered, paginate
from tansiq.network.forms.representatives import (
    ContactFilterForm,
    ContactForm,
    RepresentativeInvitationForm,
    RepresentativesForm,
)
from tansiq.network.queries import representatives as found
from tansiq.network.services import contacts as manage
from tansiq.network.services import people as people_services
from tansiq.network.services import representatives as representatives_services
from tansiq.network.views.errors import form_error, htmx_error_row, refuse_if_forbidden


@login_required
def contacts(request, slug):
    """The organisation's contacts: filter, page through, export, and add one beside the list."""
    organisation = found.organisation_with_contacts_of(request.user, slug)
    listed, filter_form = filtered(request, found.contacts_of(organisation), ContactFilterForm)
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            manage.add_contact(organisation, by=request.user, **form.values())
        except TansiqError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The contact has been added."))
            return redirect("network:contacts", organisation.slug)
    fmt = export_format(request)
    if fmt:
        return _export_contacts(fmt, organisation, listed)
    context = {
        "organisation": organisation,
        "page_obj": paginate(request, listed),
        "filter_form": filter_form,
        "form": form,
    }
    template = "network/manage/_contact_rows.html" if request.htmx and request.method == "GET" else None
    return render(request, template or "network/manage/contacts.html", context, status=400 if form.errors else 200)


def _export_contacts(fmt: str, organisation, contacts) -> HttpResponse:
    # Only people who keep the contacts reach this: the download is bound to them, like the page.
    headers = [_("Name"), _("Role or position"), _("E-mail address"), _("Phone"), _("Who may see it")]
    rows = (
        [contact.name, contact.role, contact.email, contact.phone, contact.get_visibility_display()]
        for contact in contacts
    )
    return export_response(fmt, name=f"{organisation.slug}-contacts", headers=headers, rows=rows)


@login_required
def contact_edit(request, slug, uuid):
    organisation = found.organisation_with_contacts_of(request.user, slug)
    contact = found.contact_of(organisation, uuid)
    form = ContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        try:
            manage.update_contact(contact, by=request.user, version=form.cleaned_data["version"] or 0, **form.values())
        except TansiqError as error:
            form_error(form, error)
        else:
            messages.success(request, _("The contact has been saved."))
            return redirect("network:contacts", organisation.slug)
    return render(
        request,
        "network/manage/contact_edit.html",
        {"organisation": organisation, "contact": contact, "form": form},
        status=400 if form.errors else 200,
    )


@login_required
@require_POST
def contact_delete(request, slug, uuid):
    organisation = found.organisation_with_contacts_of(request.user, slug)
    contact = found.contact_of(organisation, uuid)
    version = request.POST.get("version")
    try:
        manage.delete_contact(contact, by=request.user, version=int(version) if version and version.isdigit() else None)
    except TansiqError as error:
        refuse_if_forbidden(error)
        if request.htmx:
            return htmx_error_row(error, columns=4)
        messages.error(request, error.message)
    else:
        if request.htmx:
            # The row disappears in place; nothing else on the page changes.
            return HttpResponse("")
        messages.success(request, _("The contact has been deleted."))
    return redirect("network:contacts", organisation.slug)


def _representative_cards(request, organisation, memberships, *, bound=None):
    # One read of the people and one of the seats, whatever the number of networks.
    people = found.people_who_may_represent(organisation)
    seats = found.seats_by_network(organisation, memberships)
    cards = []
    for membership in memberships:
        forms = (bound or {}).get(membership.pk, {})
        cards.append(
            {
                "membership": membership,
                "form": forms.get("name") or RepresentativesForm(membership=membership, people=people),
                "invite": forms.get("invite")
                or RepresentativeInvitationForm(membership=membership, initial={"language": request.LANGUAGE_CODE}),
                "seats": seats[membership.network_id],
            }
        )
    return cards


def _render_representatives(request, organisation, memberships, *, bound=None, status=200):
    return render(
        request,
        "network/manage/representatives.html",
        {"organisation": organisation, "cards": _representative_cards(request, organisation, memberships, bound=bound)},
        status=status,
    )


@login_required
def representatives(request, slug):
    organisation, memberships = found.organisation_represented_by(request.user, slug)
    return _render_representatives(request, organisation, memberships)


@login_required
@require_POST
def name_representatives(request, slug, uuid):
    organisation, memberships = found.organisation_represented_by(request.user, slug)
    membership = found.membership_to_represent(memberships, uuid)
    form = RepresentativesForm(request.POST, membership=membership, people=found.people_who_may_represent(organisation))
    if form.is_valid():
        try:
            representatives_services.name_representatives(
                membership,
                by=request.user,
                representative=form.cleaned_data["representative"],
                alternate=form.cleaned_data["alternate"],
                expected=form.expected(),
            )
        except TansiqError as error:
            form_error(form, error)
        else:
            messages.success(
                request,
                _("The representatives in %(network)s have been saved.") % {"network": membership.network.name},
            )
            return redirect("network:representatives", organisation.slug)
    return _render_representatives(
        request, organisation, memberships, bound={membership.pk: {"name": form}}, status=400
    )


@login_required
@require_POST
def invite_representative(request, slug, uuid):
    organisation, memberships = found.organisation_represented_by(request.user, slug)
    membership = found.membership_to_represent(memberships, uuid)
    form = RepresentativeInvitationForm(request.POST, membership=membership)
    if form.is_valid():
        try:
            people_services.invite_representative(
                membership, by=request.user, base_url=request.build_absolute_uri("/"), **form.cleaned_data
            )
        except TansiqError as error:
            form_error(form, error)
        else:
            messages.success(
                request, _("The invitation has been sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("network:representatives", organisation.slug)
    return _render_representatives(
        request, organisation, memberships, bound={membership.pk: {"invite": form}}, status=400
    )
