from __future__ import annotations

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tansiq.network.countries import country_choices
from tansiq.network.models import (
    SOCIAL_NETWORKS,
    WORKING_LANGUAGES,
    Committee,
    FocusArea,
    Membership,
    Network,
    NetworkMembership,
    Organisation,
)
from tansiq.network.queries.directory import DirectoryFilters, directory_choices
from tansiq.network.queries.referees import MAX_CHOSEN

# Arabic readers know these services by their Arabic names (فيسبوك، يوتيوب …).
SOCIAL_LABELS = {
    "facebook": _("Facebook"),
    "x": _("X (Twitter)"),
    "instagram": _("Instagram"),
    "youtube": _("YouTube"),
    "linkedin": _("LinkedIn"),
    "telegram": _("Telegram"),
}


def _all_countries() -> list[tuple[str, str]]:
    return [("", _("All")), *country_choices()]


class DirectoryFilterForm(forms.Form):
    # Searched in the index (names in every language, acronym, description, city), like the global search.
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    country = forms.ChoiceField(label=_("Country"), required=False)
    type = forms.ChoiceField(label=_("Type"), required=False)
    focus = forms.ChoiceField(label=_("Focus area"), required=False)
    committee = forms.ChoiceField(label=_("Committee"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, network, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = staff
        # Choices from caches: the bar is drawn from a cache too, and checking a choice costs no query.
        focus, committees = directory_choices(network)
        # A callable: the 250 countries are only listed when a country is chosen or the bar is drawn.
        self.fields["country"].choices = _all_countries
        self.fields["type"].choices = [("", _("All")), *Organisation.Type.choices]
        self.fields["focus"].choices = [("", _("All")), *focus]
        self.fields["committee"].choices = [("", _("All")), *committees]
        self.fields["category"].choices = [("", _("All")), *NetworkMembership.Category.choices]
        if staff:
            self.fields["status"].choices = [("", _("All")), *NetworkMembership.Status.choices]
        else:
            # Visitors and members see admitted members only: no status to choose.
            del self.fields["status"]

    def filters(self) -> DirectoryFilters:
        """The valid choices as the directory's filters; an invalid one is shown beside its field and
        left out, the others still apply (nothing when the form is not bound)."""
        if not self.is_bound:
            return DirectoryFilters()
        self.is_valid()  # cleaned_data keeps the valid fields; errors go to the others
        data = self.cleaned_data
        return DirectoryFilters(
            q=(data.get("q") or "").strip(),
            country=data.get("country") or "",
            type=data.get("type") or "",
            focus=data.get("focus") or "",
            committee=data.get("committee") or "",
            category=data.get("category") or "",
            status=(data.get("status") or "") if self.staff else "",
        )


class OrganisationForm(forms.ModelForm):
    """The profile as an editor changes it. ``version`` makes a stale form detectable."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    working_languages = forms.MultipleChoiceField(
        label=_("Working languages"), required=False, choices=WORKING_LANGUAGES, widget=forms.CheckboxSelectMultiple
    )
    focus_areas = forms.ModelMultipleChoiceField(
        label=_("Focus areas"), required=False, queryset=FocusArea.objects.all(), widget=forms.CheckboxSelectMultiple
    )

    class Meta:
        model = Organisation
        fields = [
            "name_ar",
            "name_en",
            "name_ms",
            "legal_name",
            "acronym",
            "type",
            "country",
            "region",
            "city",
            "address",
            "latitude",
            "longitude",
            "registry",
            "registration_number",
            "year_founded",
            "focus_areas",
            "working_languages",
            "logo",
            "description_ar",
            "description_en",
            "description_ms",
            "staff_count",
            "volunteer_count",
            "agm_date",
            "licence_expiry",
        ]
        widgets = {
            "address": forms.Textarea(attrs={"rows": 2}),
            "description_ar": forms.Textarea(attrs={"rows": 3, "dir": "rtl", "lang": "ar"}),
            "description_en": forms.Textarea(attrs={"rows": 3, "dir": "ltr", "lang": "en"}),
            "description_ms": forms.Textarea(attrs={"rows": 3, "dir": "ltr", "lang": "ms"}),
            "agm_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "licence_expiry": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()
        self.fields["name_ar"].required = True
        for network in SOCIAL_NETWORKS:
            self.fields[f"social_{network}"] = forms.URLField(
                label=SOCIAL_LABELS[network], required=False, assume_scheme="https"
            )
            self.initial.setdefault(f"social_{network}", (self.instance.social_links or {}).get(network, ""))
        self.initial.setdefault("version", self.instance.version)
        self.initial.setdefault("website", self.instance.website)

    def profile_values(self) -> dict:
        """The cleaned values the service takes (social links gathered into one mapping)."""
        data = self.cleaned_data
        values = {name: data[name] for name in [*self.Meta.fields, "website"] if name != "focus_areas"}
        if "logo" not in self.changed_data:
            values.pop("logo")
        elif data["logo"] is False:
            values["logo"] = ""
        values["social_links"] = {
            network: data[f"social_{network}"] for network in SOCIAL_NETWORKS if data.get(f"social_{network}")
        }
        return values


class InvitationForm(forms.Form):
    email = forms.EmailField(label=_("E-mail address"))
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices, initial=Membership.Role.EDITOR)
    language = forms.ChoiceField(
        label=_("Language of the invitation"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
    )


class RoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=Membership.Role.choices)


class StatusChangeForm(forms.Form):
    to = forms.ChoiceField(label=_("New status"))
    on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000)

    def __init__(self, *args, targets: list[str], **kwargs):
        super().__init__(*args, **kwargs)
        labels = dict(NetworkMembership.Status.choices)
        self.fields["to"].choices = [(target, labels[target]) for target in targets]


class SeatForm(forms.Form):
    organisation = forms.ModelChoiceField(label=_("Member organisation"), queryset=Organisation.objects.none())

    def __init__(self, *args, committee: Committee, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            network_memberships__network=committee.network_id,
            network_memberships__status=NetworkMembership.Status.ADMITTED,
        ).exclude(committee_seats__committee=committee)


# --- Admission ----------------------------------------------------------------------------------


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
        from tansiq.network.models import Application

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
        from tansiq.network.models import Application

        labels = dict(Application.State.choices)
        self.fields["target"].choices = [(target, labels[target]) for target in targets]

    def votes(self) -> tuple[int, int, int] | None:
        data = self.cleaned_data
        values = (data.get("votes_for"), data.get("votes_against"), data.get("votes_abstain"))
        if all(value is None for value in values):
            return None
        return tuple(value or 0 for value in values)
