"""Forms of opportunities and shifts, and the public search's filters (the page, its exports and
the API read the same ``OpportunitySearchForm``)."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import get_language_info
from django.utils.translation import gettext_lazy as _

from tansiq.core.countries import country_choices
from tansiq.core.errors import TansiqError
from tansiq.volunteers.forms.profiles import SPOKEN_LANGUAGES
from tansiq.volunteers.models import Cause, Level, Opportunity, Qualification
from tansiq.volunteers.queries.opportunities import contacts_for
from tansiq.volunteers.services.opportunities import FIELDS, check_values

SKILL_ROWS = 5
QUESTION_ROWS = 10


def _language_choices():
    return [(code, get_language_info(code)["name_translated"]) for code in SPOKEN_LANGUAGES]


class OpportunityForm(forms.ModelForm):
    languages = forms.MultipleChoiceField(
        label=_("Languages spoken on it"), required=False, widget=forms.CheckboxSelectMultiple
    )
    questions_text = forms.CharField(
        label=_("Questions for applicants"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One question a line."),
    )
    qualifications = forms.ModelMultipleChoiceField(
        label=_("Qualifications required"),
        queryset=Qualification.objects.all(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Opportunity
        fields = [name for name in FIELDS if name not in ("languages", "questions")]
        widgets = {
            "description_ar": forms.Textarea(attrs={"rows": 4, "dir": "rtl"}),
            "description_en": forms.Textarea(attrs={"rows": 4, "dir": "ltr"}),
            "description_ms": forms.Textarea(attrs={"rows": 4, "dir": "ltr"}),
            "title_ar": forms.TextInput(attrs={"dir": "rtl"}),
            "title_en": forms.TextInput(attrs={"dir": "ltr"}),
            "title_ms": forms.TextInput(attrs={"dir": "ltr"}),
        }
        labels = {
            "title_ar": _("Title in Arabic"),
            "title_en": _("Title in English"),
            "title_ms": _("Title in Malay"),
            "description_ar": _("Description in Arabic"),
            "description_en": _("Description in English"),
            "description_ms": _("Description in Malay"),
        }

    def __init__(self, *args, organisation, language: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        for code in ("ar", "en", "ms"):
            self.fields[f"title_{code}"].required = False
            self.fields[f"description_{code}"].required = False
        self.fields["languages"].choices = _language_choices()
        self.fields["country"] = forms.ChoiceField(
            label=_("Country"), choices=[("", "—"), *country_choices(language)], required=False
        )
        self.fields["contact"].queryset = contacts_for(organisation)
        self.fields["sector"].queryset = Cause.objects.all()
        if self.instance.pk:
            self.initial["languages"] = self.instance.languages
            self.initial["questions_text"] = "\n".join(self.instance.questions)
            self.initial["qualifications"] = list(self.instance.qualifications.all())

    def clean(self):
        data = super().clean()
        questions = [line.strip() for line in data.get("questions_text", "").splitlines() if line.strip()]
        if len(questions) > QUESTION_ROWS:
            self.add_error("questions_text", _("Ask at most %(count)s questions.") % {"count": QUESTION_ROWS})
        data["questions"] = questions
        if not self.errors:
            # The service's own rules (a title, a description, a place), shown beside their field.
            try:
                check_values(self.values())
            except TansiqError as error:
                self.add_error(error.field if error.field in self.fields else None, str(error.message))
        return data

    def values(self) -> dict:
        data = self.cleaned_data
        values = {name: data.get(name) for name in FIELDS if name not in ("languages", "questions")}
        for name in ("title_ar", "title_en", "title_ms", "description_ar", "description_en", "description_ms"):
            values[name] = (values[name] or "").strip()
        values["languages"] = list(data.get("languages", []))
        values["questions"] = data.get("questions", [])
        values["country"] = data.get("country") or ""
        return values


class OpportunitySkillForm(forms.Form):
    name = forms.CharField(label=_("Skill"), max_length=120, required=False)
    level = forms.ChoiceField(label=_("Level"), choices=Level.choices, initial=Level.GOOD)
    required = forms.BooleanField(label=_("Required (otherwise preferred)"), required=False, initial=True)


OpportunitySkillFormSet = forms.formset_factory(OpportunitySkillForm, extra=SKILL_ROWS, max_num=SKILL_ROWS)


def skill_rows(formset) -> list[tuple[str, str, bool]]:
    return [
        (form.cleaned_data["name"].strip(), form.cleaned_data["level"], form.cleaned_data["required"])
        for form in formset.forms
        if form.cleaned_data.get("name", "").strip()
    ]


def skill_initial(opportunity) -> list[dict] | None:
    if opportunity is None or not opportunity.pk:
        return None
    return [{"name": row.name, "level": row.level, "required": row.required} for row in opportunity.skills.all()]


class ShiftForm(forms.Form):
    starts_at = forms.DateTimeField(
        label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    ends_at = forms.DateTimeField(
        label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    )
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=10_000, initial=5)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)
    weekly_until = forms.DateField(
        label=_("Repeat every week until"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Leave empty for a single shift."),
    )

    def clean(self):
        data = super().clean()
        starts, ends = data.get("starts_at"), data.get("ends_at")
        if starts and ends and ends <= starts:
            self.add_error("ends_at", _("A shift ends after it starts."))
        if starts and starts <= timezone.now():
            self.add_error("starts_at", _("A new shift starts in the future."))
        return data


class ShiftChangeForm(forms.Form):
    capacity = forms.IntegerField(label=_("Places"), min_value=1, max_value=10_000)
    place = forms.CharField(label=_("Place"), max_length=300, required=False)


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)


class MoveForm(forms.Form):
    """A step of the workflow; a reason where the step asks for one (returning, cancelling)."""

    state = forms.ChoiceField(label=_("Next step"), choices=Opportunity.State.choices)
    reason = forms.CharField(
        label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000, required=False
    )


class OpportunitySearchForm(forms.Form):
    """The public search's filters: words, sector, country, remote, language."""

    q = forms.CharField(label=_("Words"), required=False, max_length=200)
    sector = forms.ChoiceField(label=_("Sector"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)
    remote = forms.ChoiceField(
        label=_("Where"),
        required=False,
        choices=[("", _("On site or remote")), ("yes", _("Remote only")), ("no", _("On site only"))],
    )
    language = forms.ChoiceField(label=_("Language"), required=False)

    def __init__(self, *args, language: str = "en", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("All sectors")), *Cause.objects.values_list("slug", "name")]
        self.fields["country"].choices = [("", _("All countries")), *country_choices(language)]
        self.fields["language"].choices = [("", _("Any language")), *_language_choices()]

    def apply(self, found):
        data = self.cleaned_data
        words = data.get("q", "").split()
        for word in words[:8]:
            found = found.filter(
                Q(title_ar__icontains=word)
                | Q(title_en__icontains=word)
                | Q(title_ms__icontains=word)
                | Q(description_ar__icontains=word)
                | Q(description_en__icontains=word)
                | Q(description_ms__icontains=word)
                | Q(organisation__name_ar__icontains=word)
                | Q(organisation__name_en__icontains=word)
                | Q(organisation__name_ms__icontains=word)
                | Q(city__icontains=word)
            )
        if data.get("sector"):
            found = found.filter(sector__slug=data["sector"])
        if data.get("country"):
            found = found.filter(country=data["country"])
        if data.get("remote") == "yes":
            found = found.filter(remote=True)
        elif data.get("remote") == "no":
            found = found.filter(remote=False)
        if data.get("language"):
            # Languages are a short JSON list of codes: "ar" matches the quoted code only.
            found = found.filter(languages__icontains=f'"{data["language"]}"')
        return found


def shift_values(form) -> dict:
    data = form.cleaned_data
    return {
        "starts_at": data["starts_at"],
        "ends_at": data["ends_at"],
        "capacity": data["capacity"],
        "place": data.get("place", "").strip(),
        "weekly_until": data.get("weekly_until"),
    }
