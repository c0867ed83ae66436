"""Forms of trainings: the organiser's training with its sessions, the list's filter, a document
check."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tansiq.volunteers.models import Qualification, Training
from tansiq.volunteers.services.trainings import TRAINING_FIELDS

SESSION_ROWS = 4


class TrainingForm(forms.ModelForm):
    class Meta:
        model = Training
        fields = TRAINING_FIELDS
        widgets = {
            "title_ar": forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
            "title_en": forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
            "title_ms": forms.TextInput(attrs={"dir": "ltr", "lang": "ms"}),
            "description_ar": forms.Textarea(attrs={"rows": 3, "dir": "rtl", "lang": "ar"}),
            "description_en": forms.Textarea(attrs={"rows": 3, "dir": "ltr", "lang": "en"}),
            "description_ms": forms.Textarea(attrs={"rows": 3, "dir": "ltr", "lang": "ms"}),
        }
        labels = {
            "title_ar": _("Title in Arabic"),
            "title_en": _("Title in English"),
            "title_ms": _("Title in Malay"),
            "description_ar": _("Description in Arabic"),
            "description_en": _("Description in English"),
            "description_ms": _("Description in Malay"),
        }

    def clean(self):
        data = super().clean()
        if not any((data.get(f"title_{code}") or "").strip() for code in ("ar", "en", "ms")):
            self.add_error("title_ar", _("Give the training a title in at least one language."))
        if not data.get("remote") and not (data.get("place") or "").strip():
            self.add_error("place", _("Give the place, or mark the training as online."))
        return data

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class SessionForm(forms.Form):
    starts_at = forms.DateTimeField(label=_("Starts"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    ends_at = forms.DateTimeField(label=_("Ends"), widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))

    def clean(self):
        data = super().clean()
        if data.get("starts_at") and data.get("ends_at") and data["ends_at"] <= data["starts_at"]:
            self.add_error("ends_at", _("A session must end after it starts."))
        return data


class BaseSessionFormSet(forms.BaseFormSet):
    def clean(self):
        if any(self.errors):
            return
        if not self.sessions():
            raise forms.ValidationError(_("Add at least one session."))

    def sessions(self) -> list:
        return [
            (form.cleaned_data["starts_at"], form.cleaned_data["ends_at"])
            for form in self.forms
            if form.cleaned_data.get("starts_at") and form.cleaned_data.get("ends_at")
        ]


SessionFormSet = forms.formset_factory(SessionForm, formset=BaseSessionFormSet, extra=SESSION_ROWS, max_num=50)


class TrainingFilterForm(forms.Form):
    WHEN = (("upcoming", _("Upcoming")), ("past", _("Past")))

    q = forms.CharField(label=_("Title"), required=False, max_length=100)
    when = forms.ChoiceField(label=_("When"), required=False, choices=[("", _("All")), *WHEN])
    online = forms.ChoiceField(
        label=_("Online or in person"),
        required=False,
        choices=[("", _("All")), ("yes", _("Online")), ("no", _("In person"))],
    )

    def apply(self, found: QuerySet) -> QuerySet:
        data = self.cleaned_data
        if data.get("q"):
            term = data["q"].strip()
            found = found.filter(
                Q(title_ar__icontains=term) | Q(title_en__icontains=term) | Q(title_ms__icontains=term)
            )
        now = timezone.now()
        if data.get("when") == "upcoming":
            found = found.filter(last_session__gt=now)
        elif data.get("when") == "past":
            found = found.filter(last_session__lte=now)
        if data.get("online"):
            found = found.filter(remote=data["online"] == "yes")
        return found


class DocumentCheckForm(forms.Form):
    qualification = forms.ModelChoiceField(
        label=_("Qualification"), queryset=Qualification.objects.filter(kind=Qualification.Kind.DOCUMENT)
    )
    checked_on = forms.DateField(label=_("Checked on"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
