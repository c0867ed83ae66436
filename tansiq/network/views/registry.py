"""Registering a new organisation, and "My organisations": the ones a person acts for."""

from __future__ import annotations

import rules
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from tansiq.core.errors import TansiqError
from tansiq.network.forms.registry import RegistrationForm
from tansiq.network.queries import directory as queries
from tansiq.network.rules import MANAGERS
from tansiq.network.services import registry as services
from tansiq.network.views.errors import form_error


@login_required
def register_organisation(request):
    invites_owner = rules.has_perm("network.register_organisation_for_others", request.user)
    form = RegistrationForm(request.POST or None, invites_owner=invites_owner)
    if request.method == "POST" and form.is_valid():
        owner_email = form.cleaned_data.get("owner_email") or ""
        try:
            organisation = services.register_organisation(
                by=request.user,
                focus_areas=form.cleaned_data["focus_areas"],
                owner_email=owner_email,
                language=form.cleaned_data.get("language") or request.LANGUAGE_CODE,
                base_url=request.build_absolute_uri("/"),
                **form.registration_values(),
            )
        except TansiqError as error:
            form_error(form, error)
        else:
            if owner_email:
                messages.success(
                    request,
                    _("The organisation has been registered and %(email)s has been invited to be its owner.")
                    % {"email": owner_email},
                )
            else:
                messages.success(
                    request,
                    _("The organisation has been registered and you are its owner. Apply to a network to join it."),
                )
            return redirect("network:organisation", organisation.slug)
    # Organisations the reader may open are named; the others (not in a directory yet) are counted.
    visible = set(
        queries.organisations_visible_to(request.user)
        .filter(pk__in=[organisation.pk for organisation in form.duplicates])
        .values_list("pk", flat=True)
    )
    return render(
        request,
        "network/register.html",
        {
            "form": form,
            "duplicates": [organisation for organisation in form.duplicates if organisation.pk in visible],
            "unlisted_duplicates": len(form.duplicates) - len(visible),
        },
    )


@login_required
def my_organisations(request):
    return render(
        request,
        "network/my_organisations.html",
        {"memberships": queries.acting_for(request.user), "managers": MANAGERS},
    )
