from __future__ import annotations

import functools

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from tansiq.core import i18n
from tansiq.core.countries import country_choices
from tansiq.core.forms import GroupedCheckboxes, NameField
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
from tansiq.network.queries.directory import DirectoryFilters, directory_choices, member_country_choices
from tansiq.network.search import probable_duplicates
from tansiq.network.services.registry import NAME_FIELDS, REGISTRATION_FIELDS

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


def _member_countries(network: Network, staff: bool) -> list[tuple[str, str]]:
    return [("", _("All")), *member_country_choices(network, staff=staff)]


class CountryFilterField(forms.ChoiceField):
    """Lists the countries it is given (those with members) and accepts any country: a country
    without members is a filter that finds nothing, not a mistake."""

    def valid_value(self, value) -> bool:
        return value in dict(country_choices())


class DirectoryFilterForm(forms.Form):
    # Searched in the index (names in every language, acronym, description, city), like the global search.
    q = forms.CharField(label=_("Search"), required=False, max_length=100)
    country = CountryFilterField(label=_("Country"), required=False)
    type = forms.ChoiceField(label=_("Type"), required=False)
    focus = forms.ChoiceField(label=_("Focus area"), required=False)
    committee = forms.ChoiceField(label=_("Committee"), required=False)
    category = forms.ChoiceField(label=_("Category"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)

    def __init__(self, *args, network: Network | None, staff: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.staff = staff
        # Choices from caches: the bar is drawn from a cache too, and checking a choice costs no query.
        focus, committees = directory_choices(network)
        # A callable: the countries are only listed when the bar is drawn (not when its lists come
        # from the cache). A network's directory lists the countries it has members in; across
        # networks (the API) every country.
        if network is None:
            self.fields["country"].choices = _all_countries
        else:
            self.fields["country"].choices = functools.partial(_member_countries, network, staff)
        self.fields["type"].choices = [("", _("All")), *Organisation.Type.choices]
        self.fields["focus"].choices = [("", _("All")), *focus]
        self.fields["committee"].choices = [("", _("All")), *committees]
        self.fields["category"].choices = [("", _("All")), *NetworkMembership.Category.choices]
        if staff:
            self.fields["status"].choices = [("", _("All")), *NetworkMembership.Status.choices]
        else:
            # Visitors and members see admitted members only: no status to choose.
            del self.fields["status"]

    def first_error(self) -> tuple[str, str] | None:
        """(field, message) of the first invalid filter, for the API, which refuses what the page
        shows beside the field and leaves out."""
        for name, errors in self.errors.items():
            return name, str(errors[0])
        return None

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


def _grouped_languages() -> list:
    platform = {code for code, _name in settings.LANGUAGES}
    ordered = sorted(WORKING_LANGUAGES, key=lambda item: i18n.collation_key(str(item[1])))
    return [
        (_("Languages of this platform"), [item for item in WORKING_LANGUAGES if item[0] in platform]),
        (_("Other languages"), [item for item in ordered if item[0] not in platform]),
    ]


def _grouped_focus_areas() -> list:
    """Sectors, then the Sustainable Development Goals in their own order (SDG 1 to 17)."""
    groups: dict[str, list] = {}
    for area in FocusArea.objects.all():
        groups.setdefault(area.kind, []).append((area.pk, area.name))
    sectors = sorted(groups.get(FocusArea.Kind.SECTOR, []), key=lambda item: i18n.collation_key(str(item[1])))
    labels = ((FocusArea.Kind.SECTOR, _("Sectors")), (FocusArea.Kind.SDG, _("Sustainable Development Goals")))
    return [
        (label, sectors if kind == FocusArea.Kind.SECTOR else groups[kind])
        for kind, label in labels
        if groups.get(kind)
    ]


class OrganisationForm(forms.ModelForm):
    """The profile as an editor changes it. ``version`` makes a stale form detectable."""

    version = forms.IntegerField(widget=forms.HiddenInput)
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https")
    working_languages = forms.MultipleChoiceField(
        label=_("Working languages"), required=False, choices=WORKING_LANGUAGES, widget=GroupedCheckboxes
    )
    focus_areas = forms.ModelMultipleChoiceField(
        label=_("Focus areas"), required=False, queryset=FocusArea.objects.all(), widget=GroupedCheckboxes
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
        field_classes = dict.fromkeys(("name_ar", "name_en", "name_ms", "legal_name", "acronym", "city"), NameField)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["country"].choices = country_choices()
        self.fields["name_ar"].required = True
        # Grouped (each group a fieldset under its legend) and in the reader's alphabetical order
        # within a group; what is valid stays the fields' choices and queryset.
        if "working_languages" in self.fields:  # not asked when registering (RegistrationForm)
            self.fields["working_languages"].widget.choices = _grouped_languages()
        self.fields["focus_areas"].widget.choices = _grouped_focus_areas()
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


class RegistrationForm(OrganisationForm):
    """A new organisation as whoever registers it describes it: the profile form's fields and
    checks (one definition of what is valid), fewer of them, and a name in any one language.

    A probable duplicate (same country, a similar name or the same acronym: ``search.probable_duplicates``)
    is refused once, with the organisations found in ``duplicates``; sent again with
    ``confirm_duplicate`` it is accepted. It warns, it never blocks. With ``invites_owner`` (the
    secretariat) it also asks for the e-mail address of the owner to invite.
    """

    version = None
    working_languages = None
    confirm_duplicate = forms.BooleanField(
        label=_("It is a different organisation: register it"), required=False, widget=forms.HiddenInput
    )

    class Meta(OrganisationForm.Meta):
        # The website is the profile form's own field (declared above the model's).
        fields = [*(name for name in REGISTRATION_FIELDS if name != "website"), "focus_areas"]

    def __init__(self, *args, invites_owner: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        for network in SOCIAL_NETWORKS:
            del self.fields[f"social_{network}"]
        self.fields["name_ar"].required = False
        self.fields["legal_name"].required = False
        self.fields["legal_name"].help_text = _("As registered. Leave it empty if it is the name above.")
        self.fields["country"].choices = [("", _("Choose a country")), *country_choices()]
        self.duplicates: list[Organisation] = []
        if invites_owner:
            self.fields["owner_email"] = forms.EmailField(
                label=_("E-mail address of its owner"),
                required=False,
                help_text=_("Leave it empty to become its owner yourself. Otherwise they are invited by e-mail."),
            )
            self.fields["language"] = forms.ChoiceField(
                label=_("Language of the invitation"), choices=settings.LANGUAGES, initial=settings.LANGUAGE_CODE
            )

    def clean(self):
        data = super().clean()
        names = [data.get(name) for name in NAME_FIELDS if data.get(name)]
        if not names:
            self.add_error("name_ar", _("Give the organisation's name in at least one language."))
            return data
        if data.get("country") and not data.get("confirm_duplicate"):
            self.duplicates = probable_duplicates(
                country=data["country"], names=[*names, data.get("legal_name") or ""], acronym=data.get("acronym", "")
            )
            if self.duplicates:
                self.fields["confirm_duplicate"].widget = forms.CheckboxInput()
                self.add_error(
                    "confirm_duplicate",
                    _(
                        "An organisation with a similar name or the same acronym is already registered in this "
                        "country. If yours is a different one, confirm it and register it."
                    ),
                )
        return data

    def registration_values(self) -> dict:
        """The cleaned values the service takes."""
        data = self.cleaned_data
        return {name: data[name] for name in REGISTRATION_FIELDS if name in data}


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
