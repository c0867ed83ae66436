"""Forms of volunteers' work: a code scanned or typed, hours reported, decided, certified, filtered."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tansiq.volunteers.models import HoursEntry

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class CodeForm(forms.Form):
    """A volunteer's code, read by the camera or typed from the volunteer's phone."""

    code = forms.CharField(
        label=_("Volunteer's code"),
        max_length=100,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "off", "dir": "ltr"}),
    )
    direction = forms.ChoiceField(
        label=_("Action"),
        choices=(("in", _("Check in")), ("out", _("Check out"))),
        initial="in",
        widget=forms.RadioSelect,
    )


class AttendanceForm(forms.Form):
    booking = forms.IntegerField(widget=forms.HiddenInput)
    attendance = forms.ChoiceField(
        label=_("Attendance"),
        choices=(("attended", _("Attended")), ("no_show", _("Did not come"))),
    )


class ReportHoursForm(forms.Form):
    opportunity = forms.ModelChoiceField(label=_("Opportunity"), queryset=None, empty_label=None)
    date = forms.DateField(label=_("Date"), widget=DATE)
    hours = forms.DecimalField(
        label=_("Hours"), max_digits=5, decimal_places=2, min_value=Decimal("0.25"), max_value=Decimal(24)
    )
    note = forms.CharField(label=_("What you did"), max_length=1000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, opportunities: QuerySet, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["opportunity"].queryset = opportunities
        self.fields["opportunity"].to_field_name = "uuid"


class DeclineForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000, widget=forms.Textarea(attrs={"rows": 2}))


class BulkApproveForm(forms.Form):
    entries = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True)

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["entries"].choices = [(pk, pk) for pk in choices]


class CertificateForm(forms.Form):
    start = forms.DateField(label=_("From"), widget=DATE)
    end = forms.DateField(label=_("To"), widget=DATE)
    signatory_name = forms.CharField(label=_("Signatory"), max_length=200)
    signatory_title = forms.CharField(label=_("Signatory's title"), max_length=200, required=False)


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), max_length=1000)


class HoursFilterForm(forms.Form):
    """The organisation's hours list, its exports and the API's filters."""

    state = forms.ChoiceField(label=_("State"), required=False)
    source = forms.ChoiceField(label=_("Source"), required=False)
    start = forms.DateField(label=_("From"), required=False, widget=DATE)
    end = forms.DateField(label=_("To"), required=False, widget=DATE)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All")), *HoursEntry.State.choices]
        self.fields["source"].choices = [("", _("All")), *HoursEntry.Source.choices]

    def apply(self, entries: QuerySet) -> QuerySet:
        data = self.cleaned_data
        if data.get("state"):
            entries = entries.filter(state=data["state"])
        if data.get("source"):
            entries = entries.filter(source=data["source"])
        if data.get("start"):
            entries = entries.filter(date__gte=data["start"])
        if data.get("end"):
            entries = entries.filter(date__lte=data["end"])
        return entries
