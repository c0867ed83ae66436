from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from tansiq.accounts import queries, services
from tansiq.accounts.forms import ProfileForm, TokenForm
from tansiq.accounts.models import User
from tansiq.core.errors import TansiqError


@login_required
def profile(request):
    # The form works on its own copy, so the service sees what actually changed.
    form = ProfileForm(request.POST or None, instance=User.objects.get(pk=request.user.pk))
    if request.method == "POST" and form.is_valid():
        values = {name: form.cleaned_data[name] for name in form.changed_data}
        user = services.update_profile(request.user, by=request.user, **values)
        # Saved in the language just chosen, so the confirmation and the next page are in it.
        with translation.override(user.language):
            messages.success(request, _("Your profile has been saved."))
            return redirect("accounts:profile")
    return render(request, "accounts/profile.html", {"form": form})


@login_required
def notification_preferences(request):
    """Per kind of notification: e-mail at once, in a daily digest, or not at all (security: always)."""
    from tansiq.core import notify
    from tansiq.core.forms import NotificationPreferencesForm

    form = NotificationPreferencesForm(request.POST or None, current=notify.preferences_of(request.user))
    if request.method == "POST" and form.is_valid():
        notify.set_preferences(request.user, form.cleaned_data)
        messages.success(request, _("Your notification preferences have been saved."))
        return redirect("accounts:notification_preferences")
    return render(request, "accounts/notification_preferences.html", {"form": form})


@login_required
def tokens(request):
    form = TokenForm(request.POST or None)
    new_token = None
    if request.method == "POST" and form.is_valid():
        try:
            token, raw = services.create_token(
                request.user,
                by=request.user,
                name=form.cleaned_data["name"],
                scope=form.cleaned_data["scope"],
                expires_in_days=form.cleaned_data["expires_in_days"],
            )
        except TansiqError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
        else:
            new_token = raw
            messages.success(
                request, _("Token “%(name)s” created. Copy it now: it will not be shown again.") % {"name": token.name}
            )
            form = TokenForm()
    return render(
        request,
        "accounts/tokens.html",
        {"form": form, "tokens": queries.tokens_of(request.user), "new_token": new_token},
    )


@login_required
@require_POST
def revoke_token(request, token_uuid):
    token = queries.token_of(request.user, token_uuid)
    if token is None:
        raise Http404
    services.revoke_token(token, by=request.user)
    messages.success(
        request, _("Token “%(name)s” revoked. Programs using it can no longer call the API.") % {"name": token.name}
    )
    return redirect("accounts:tokens")
