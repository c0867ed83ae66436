from __future__ import annotations

from allauth.account.forms import SignupForm as AllauthSignupForm
from django import forms
from django.utils.translation import gettext_lazy as _

from tansiq.accounts.models import PersonalAccessToken, User
from tansiq.core.forms import NameField


class SignupForm(AllauthSignupForm):
    display_name = NameField(
        label=_("Your name"),
        max_length=150,
        help_text=_("As colleagues in the network know you."),
        widget=forms.TextInput(attrs={"autocomplete": "name", "dir": "auto"}),
    )
    field_order = ["display_name", "email", "password1", "password2"]


def _timezone_choices():
    from django.utils import translation

    from tansiq.core.i18n import timezone_choices

    return timezone_choices(translation.get_language() or "en")


class ProfileForm(forms.ModelForm):
    time_zone = forms.ChoiceField(label=_("Time zone"), choices=_timezone_choices)

    class Meta:
        model = User
        fields = ["display_name", "language", "time_zone", "show_hijri", "hijri_region", "digits"]
        widgets = {"display_name": forms.TextInput(attrs={"dir": "auto", "autocomplete": "name"})}
        field_classes = {"display_name": NameField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        current = self.instance.time_zone if self.instance else ""
        choices = list(_timezone_choices())
        if current and current not in dict(choices):
            choices.insert(0, (current, current))
        self.fields["time_zone"].choices = choices

    def clean_hijri_region(self):
        value = (self.cleaned_data.get("hijri_region") or "").strip().upper()
        if value and (len(value) != 2 or not value.isascii() or not value.isalpha()):
            raise forms.ValidationError(_("Enter a two-letter country code, such as MY or SA."))
        return value


class TokenForm(forms.Form):
    name = NameField(
        label=_("Name"), max_length=100, help_text=_("What the token is for, e.g. “monthly report script”.")
    )
    scope = forms.ChoiceField(label=_("Access"), choices=PersonalAccessToken.Scope.choices, initial="read")
    expires_in_days = forms.TypedChoiceField(
        label=_("Expires"),
        coerce=int,
        empty_value=None,
        required=False,
        choices=[(30, _("in 30 days")), (90, _("in 90 days")), (365, _("in a year")), ("", _("never"))],
        initial=90,
    )
