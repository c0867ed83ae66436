"""Forms of the admission pages: starting an application, its fields, documents, referees, the
secretariat's queue and steps. The services check again.
"""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tansiq.network.models import (
    Application,
    Network,
    NetworkMembership,
    Organisation,
)
from tansiq.network.queries.referees import MAX_CHOSEN


class StartApplicationForm(forms.Form):
    network = forms.ModelChoiceField(label=_("Network"), queryset=Network.objects.none(), to_field_name="slug")

    def __init__(self, *args, organisation: Organisation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["network"].queryset = Network.objects.exclude(
            memberships__organisation=organisation, memberships__status=NetworkMembership.Status.ADMITTED
        )


class SlugsField(forms.Field):
    """Several organisations named by their slugs (repeated values of one name), in the order sent."""

    widget = forms.MultipleHiddenInput

    def to_python(self, value) -> list[str]:
        values = value if isinstance(value, list | tuple) else [value] if value else []
        slugs = list(dict.fromkeys(str(item).strip() for item in values if str(item).strip()))
        if len(slugs) > MAX_CHOSEN or any(len(slug) > 100 for slug in slugs):
            raise forms.ValidationError(_("Referees must be member organisations of the network."))
        return slugs


class ApplicationForm(forms.Form):
    """The application as the applicant fills it in; the service checks the documents' content."""

    category = forms.ChoiceField(label=_("Category applied for"), choices=NetworkMembership.Category.choices)
    representative_name = forms.CharField(
        label=_("Representative"), max_length=200, help_text=_("The person the board resolution names.")
    )
    motivation = forms.CharField(
        label=_("Why the organisation wishes to join"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    board_resolution = forms.FileField(
        label=_("Board resolution naming the representative"),
        required=False,
        help_text=_("PDF, JPEG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    registration_certificate = forms.FileField(
        label=_("Registration certificate"),
        required=False,
        help_text=_("PDF, JPEG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    # Drawn by the referee picker (network/_referee_picker.html), not by the form: the chosen
    # members' slugs. Which of them may be referees is the service's to judge, with its reason.
    referees = SlugsField(label=_("Referee member organisations"), required=False)

    def __init__(self, *args, application, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["referees"].help_text = _("Choose %(count)s.") % {"count": application.network.referees_required}
        self.initial.setdefault("category", application.category)
        self.initial.setdefault("representative_name", application.representative_name)
        self.initial.setdefault("motivation", application.motivation)


class DocumentsForm(forms.Form):
    """The documents alone, for the applicant's editors (owners and admins have the whole form)."""

    board_resolution = forms.FileField(
        label=_("Board resolution naming the representative"),
        required=False,
        help_text=_("PDF, JPEG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )
    registration_certificate = forms.FileField(
        label=_("Registration certificate"),
        required=False,
        help_text=_("PDF, JPEG or PNG."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.jpg,.jpeg,.png"}),
    )

    def clean(self):
        data = super().clean()
        if not any(data.get(name) for name in self.fields):
            raise forms.ValidationError(_("Choose a document to upload."))
        return data

    def files_to_store(self) -> dict:
        return {name: upload for name, upload in self.cleaned_data.items() if upload}


class RefereeForm(forms.Form):
    """Another referee in place of one that declined. The picker offers those the statute allows; the
    service judges whatever is sent, so a refusal names its reason (declined, already named …)."""

    # Drawn by the referee picker (network/_referee_picker.html): radio buttons for the members that
    # the words typed find, never the whole list.
    organisation = forms.CharField(
        label=_("Member organisation"),
        max_length=100,
        error_messages={"required": _("Choose a member organisation.")},
    )


class ReferenceAnswerForm(forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[("confirm", _("We vouch for this organisation")), ("decline", _("We decline"))],
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Required when you decline."),
    )


class ApplicationQueueFilterForm(forms.Form):
    state = forms.ChoiceField(label=_("Step"), required=False)
    network = forms.ModelChoiceField(
        label=_("Network"), required=False, queryset=Network.objects.all(), to_field_name="slug", empty_label=_("All")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)

        self.fields["state"].choices = [("", _("All")), *Application.State.choices[1:]]

    def apply(self, applications: QuerySet) -> QuerySet:
        if self.cleaned_data.get("state"):
            applications = applications.filter(state=self.cleaned_data["state"])
        if self.cleaned_data.get("network"):
            applications = applications.filter(network=self.cleaned_data["network"])
        return applications


class ApplicationStepForm(forms.Form):
    """One step of the workflow, chosen among the targets the user may take (``allowed_targets``)."""

    target = forms.ChoiceField(
        label=_("Next step"),
        error_messages={
            # The usual cause: another member of the secretariat moved the application meanwhile.
            "invalid_choice": _("This step is no longer open: the application has moved on. Reload the page."),
            "required": _("Choose the next step."),
        },
    )
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2})
    )
    votes_for = forms.IntegerField(label=_("Votes for"), required=False, min_value=0)
    votes_against = forms.IntegerField(label=_("Votes against"), required=False, min_value=0)
    votes_abstain = forms.IntegerField(label=_("Abstentions"), required=False, min_value=0)
    category = forms.ChoiceField(label=_("Category"), required=False, choices=NetworkMembership.Category.choices)

    def __init__(self, *args, targets: list[str], **kwargs):
        super().__init__(*args, **kwargs)

        labels = dict(Application.State.choices)
        self.fields["target"].choices = [(target, labels[target]) for target in targets]

    def votes(self) -> tuple[int, int, int] | None:
        data = self.cleaned_data
        values = (data.get("votes_for"), data.get("votes_against"), data.get("votes_abstain"))
        if all(value is None for value in values):
            return None
        return tuple(value or 0 for value in values)
