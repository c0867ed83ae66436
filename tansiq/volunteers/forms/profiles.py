"""The volunteer's forms: profile (with a date of birth in either calendar), guardian, filters."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from tansiq.core.countries import country_choices
from tansiq.core.i18n import MONTHS, from_hijri
from tansiq.volunteers.models import (
    AVAILABILITY_SLOTS,
    DAY_PARTS,
    WEEKDAYS,
    Cause,
    Level,
    OrganisationSettings,
    VolunteerProfile,
)

#: Saudi records that lack the day and month of birth carry 1 Rajab (month 7, day 1) in their place.
RAJAB = 7

LANGUAGE_ROWS = 4
SKILL_ROWS = 5


def _availability_choices():
    labels = {
        f"{day}-{part}": f"{day_label} · {part_label}" for day, day_label in WEEKDAYS for part, part_label in DAY_PARTS
    }
    return [(slot, labels[slot]) for slot in AVAILABILITY_SLOTS]


#: Languages a volunteer may list (their names come translated with Django).
SPOKEN_LANGUAGES = ("ar", "en", "ms", "fr", "ur", "id", "tr", "bn", "hi", "ta", "zh-hans", "fa", "es", "ru", "sw")


def _language_choices():
    return [("", "—"), *[(code, get_language_info(code)["name_translated"]) for code in SPOKEN_LANGUAGES]]


class ProfileForm(forms.ModelForm):
    birth_date = forms.DateField(
        label=_("Date of birth (Gregorian)"), required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    hijri_day = forms.IntegerField(label=_("Day"), required=False, min_value=1, max_value=30)
    hijri_month = forms.TypedChoiceField(label=_("Month"), required=False, coerce=int, empty_value=None)
    hijri_year = forms.IntegerField(label=_("Year (Hijri)"), required=False, min_value=1343, max_value=1500)
    identity_number = forms.CharField(
        label=_("Identity number"),
        required=False,
        max_length=40,
        help_text=_("Stored encrypted; shown masked. Leave empty to keep the one on record."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "dir": "ltr"}),
    )
    availability = forms.MultipleChoiceField(
        label=_("When I am usually free"), required=False, widget=forms.CheckboxSelectMultiple
    )
    causes = forms.ModelMultipleChoiceField(
        label=_("Causes I care about"),
        queryset=Cause.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = VolunteerProfile
        fields = [
            "legal_name",
            "name_arabic",
            "name_latin",
            "birth_calendar",
            "gender",
            "nationality",
            "country",
            "city",
            "latitude",
            "longitude",
            "mode",
            "travel_km",
            "emergency_name",
            "emergency_phone",
            "discoverable",
        ]
        widgets = {"birth_calendar": forms.RadioSelect}

    def __init__(self, *args, language: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        months = MONTHS.get(language, MONTHS["en"])
        self.fields["hijri_month"].choices = [("", "—"), *[(index, name) for index, name in enumerate(months, 1)]]
        countries = [("", "—"), *country_choices(language)]
        self.fields["nationality"] = forms.ChoiceField(label=_("Nationality"), choices=countries)
        self.fields["country"] = forms.ChoiceField(label=_("Country of residence"), choices=countries)
        self.fields["availability"].choices = _availability_choices()
        self.fields["gender"].help_text = _("Asked only for programmes that require it.")
        profile = self.instance
        if profile.pk:
            self.initial["nationality"], self.initial["country"] = profile.nationality, profile.country
            self.initial["availability"] = profile.availability
            self.initial["causes"] = list(profile.causes.all())
            if profile.birth_calendar == VolunteerProfile.Calendar.HIJRI and profile.birth_date_hijri:
                year, month, day = (int(part) for part in profile.birth_date_hijri.split("-"))
                self.initial.update(hijri_year=year, hijri_month=month, hijri_day=day)
            if profile.identity_number_encrypted:
                self.fields["identity_number"].help_text = _("On record: %(masked)s. Leave empty to keep it.") % {
                    "masked": profile.identity_number_masked
                }

    def clean_identity_number(self):
        value = "".join(self.cleaned_data.get("identity_number", "").split())
        if value and not value.replace("-", "").isalnum():
            raise forms.ValidationError(_("Enter the number with letters, digits and dashes only."))
        return value

    def clean(self):
        data = super().clean()
        calendar = data.get("birth_calendar")
        if calendar == VolunteerProfile.Calendar.HIJRI:
            year, month, day = data.get("hijri_year"), data.get("hijri_month"), data.get("hijri_day")
            if not (year and month):
                self.add_error("hijri_year", _("Give at least the year and the month of birth in the Hijri calendar."))
                return data
            # A record without the day of birth carries 1 Rajab; a missing day is taken as the 1st.
            day = day or 1
            try:
                data["birth_date"] = from_hijri(year, month, day)
            except ValueError:
                self.add_error(
                    "hijri_day",
                    _("This Hijri month has only 29 days in the Umm al-Qura calendar. Check the day of birth."),
                )
                return data
            data["birth_date_hijri"] = f"{year:04d}-{month:02d}-{day:02d}"
        elif calendar == VolunteerProfile.Calendar.GREGORIAN:
            if not data.get("birth_date"):
                self.add_error("birth_date", _("Give your date of birth."))
                return data
            data["birth_date_hijri"] = ""
        birth = data.get("birth_date")
        if birth and not (dt.date(1900, 1, 1) <= birth <= timezone.localdate()):
            self.add_error("birth_date", _("Check the date of birth: it cannot be in the future."))
        if (data.get("latitude") is None) != (data.get("longitude") is None):
            self.add_error("longitude", _("Give both the latitude and the longitude, or neither."))
        return data

    def profile_values(self) -> dict:
        data = self.cleaned_data
        values = {name: data[name] for name in self.Meta.fields}
        values["birth_date"] = data["birth_date"]
        values["birth_date_hijri"] = data.get("birth_date_hijri", "")
        values["availability"] = list(data["availability"])
        return values


class LanguageForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), required=False)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices, initial=Level.GOOD)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = _language_choices()


class SkillForm(forms.Form):
    name = forms.CharField(label=_("Skill"), max_length=120, required=False)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices, initial=Level.GOOD)


LanguageFormSet = forms.formset_factory(LanguageForm, extra=LANGUAGE_ROWS, max_num=LANGUAGE_ROWS)
SkillFormSet = forms.formset_factory(SkillForm, extra=SKILL_ROWS, max_num=SKILL_ROWS)


def rows_of(formset, key: str) -> list[tuple[str, str]]:
    return [
        (form.cleaned_data[key].strip(), form.cleaned_data["level"])
        for form in formset.forms
        if form.cleaned_data.get(key, "").strip()
    ]


class GuardianForm(forms.Form):
    guardian_name = forms.CharField(label=_("Guardian's name"), max_length=200)
    guardian_contact = forms.CharField(label=_("Guardian's phone or e-mail"), max_length=200)
    consent = forms.BooleanField(
        label=_("My guardian has read the charter and agrees that I volunteer."), required=True
    )


class FinderForm(forms.Form):
    """Filters of the discoverable volunteers list (a GET form)."""

    cause = forms.ChoiceField(label=_("Cause"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args, language: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["cause"].choices = [("", _("All causes")), *Cause.objects.values_list("slug", "name")]
        self.fields["country"].choices = [("", _("All countries")), *country_choices(language)]


class OrganisationSettingsForm(forms.ModelForm):
    class Meta:
        model = OrganisationSettings
        fields = ["licence_number", "licence_expires_on", "agreement_text", "hours_approvers"]
        widgets = {"licence_expires_on": forms.DateInput(attrs={"type": "date"}), "hours_approvers": forms.RadioSelect}


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("I understand that my volunteer profile, my identity number and my acceptances are erased for good."),
        required=True,
    )
