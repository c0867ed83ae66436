"""Forms of applications: applying, confirming, rating, and the roster's filters and decisions.
The pages and the API validate through the same forms."""

from __future__ import annotations

from django import forms
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from tansiq.volunteers.models import Application, Shift

RATINGS = [(value, str(value)) for value in range(1, 6)]


class ShiftChoice(forms.ModelMultipleChoiceField):
    """The shifts to choose from; the page renders each with its dates and free places
    (``volunteers/applications/_shift_choices.html``)."""

    def label_from_instance(self, obj) -> str:
        return formats.date_format(timezone.localtime(obj.starts_at), "DATETIME_FORMAT")


class ApplyForm(forms.Form):
    shifts = ShiftChoice(
        label=_("Shifts"), queryset=Shift.objects.none(), widget=forms.CheckboxSelectMultiple, required=True
    )
    motivation = forms.CharField(label=_("Why I want to help"), required=False, max_length=2000, widget=forms.Textarea)
    waitlist = forms.BooleanField(
        label=_("Put me on the waiting list"),
        required=False,
        help_text=_("For a full shift: you are offered a place when one is freed."),
    )

    def __init__(self, *args, shifts=None, questions=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["shifts"].queryset = shifts if shifts is not None else Shift.objects.none()
        self.questions = list(questions)
        for index, question in enumerate(self.questions):
            self.fields[f"answer_{index}"] = forms.CharField(
                label=question, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
            )

    def answers(self) -> list[str]:
        return [self.cleaned_data[f"answer_{index}"] for index in range(len(self.questions))]

    def application_values(self) -> dict:
        """What ``services.applications.apply`` takes from the form."""
        data = self.cleaned_data
        return {
            "shifts": list(data["shifts"]),
            "answers": self.answers(),
            "motivation": data["motivation"],
            "waitlist": data["waitlist"],
        }

    def answer_fields(self):
        return [self[f"answer_{index}"] for index in range(len(self.questions))]


class ConfirmForm(forms.Form):
    agreement = forms.BooleanField(label=_("I have read and accept the organisation's volunteer agreement."))

    def __init__(self, *args, agreement_text: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        if not agreement_text:
            self.fields["agreement"].required = False
            self.fields["agreement"].widget = forms.HiddenInput()


class RateForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Rating"), choices=RATINGS, coerce=int, widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment"), required=False, max_length=2000, widget=forms.Textarea)


class WithdrawForm(forms.Form):
    reason = forms.CharField(label=_("Reason (optional)"), required=False, max_length=1000)


class RosterFilter(forms.Form):
    """The roster's filters (a GET form), also the API's."""

    state = forms.ChoiceField(label=_("State"), required=False)
    shift = forms.ModelChoiceField(label=_("Shift"), required=False, queryset=Shift.objects.none())

    def __init__(self, *args, opportunity=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All states")), *Application.State.choices]
        if opportunity is not None:
            self.fields["shift"].queryset = opportunity.shifts.order_by("starts_at", "pk")
        self.fields["shift"].label_from_instance = lambda shift: formats.date_format(
            timezone.localtime(shift.starts_at), "DATETIME_FORMAT"
        )
        self.fields["shift"].empty_label = _("All shifts")


DECISIONS = [
    ("shortlist", _("Shortlist")),
    ("accept", _("Accept")),
    ("waitlist", _("Put on the waiting list")),
    ("decline", _("Decline")),
]


class DecideForm(forms.Form):
    """A decision for one or several applications of the roster."""

    decision = forms.ChoiceField(label=_("Decision"), choices=DECISIONS)
    applications = forms.ModelMultipleChoiceField(
        label=_("Applications"), queryset=Application.objects.none(), to_field_name="uuid"
    )

    def __init__(self, *args, opportunity=None, **kwargs):
        super().__init__(*args, **kwargs)
        if opportunity is not None:
            self.fields["applications"].queryset = Application.objects.filter(opportunity=opportunity)
