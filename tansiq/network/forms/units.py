"""Forms of the units pages. The services check again."""

from __future__ import annotations

from django import forms
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tansiq.core.forms import NameField
from tansiq.network.forms.representatives import LongSelect
from tansiq.network.models import Unit

# --- Units --------------------------------------------------------------------------------------


class UnitNamesForm(forms.Form):
    """A unit's names in the three languages and its kind (``version`` for renames)."""

    name_ar = NameField(
        label=_("Name in Arabic"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "rtl", "lang": "ar"}),
    )
    name_en = NameField(
        label=_("Name in English"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "ltr", "lang": "en"}),
    )
    name_ms = NameField(
        label=_("Name in Malay"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"dir": "ltr", "lang": "ms"}),
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=Unit.Kind.choices)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, unit: Unit | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if unit is not None:
            for name in ("name_ar", "name_en", "name_ms", "kind", "version"):
                self.initial.setdefault(name, getattr(unit, name))

    def clean(self):
        data = super().clean()
        if not any(data.get(name, "").strip() for name in ("name_ar", "name_en", "name_ms")):
            self.add_error("name_ar", _("Give the unit's name in at least one language."))
        return data

    def names(self) -> dict:
        return {name: self.cleaned_data[name] for name in ("name_ar", "name_en", "name_ms")}


class NewUnitForm(UnitNamesForm):
    parent = forms.ChoiceField(label=_("Part of"), required=False, widget=LongSelect)

    field_order = ["parent", "name_ar", "name_en", "name_ms", "kind"]

    def __init__(self, *args, places: list[tuple[str, str]], top: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("The network itself (top level)"))] if top else []
        self.fields["parent"].choices = [*choices, *places]
        self.fields["parent"].required = not top
        del self.fields["version"]


class MoveUnitForm(forms.Form):
    parent = forms.ChoiceField(label=_("Move under"), required=False, widget=LongSelect)
    version = forms.IntegerField(widget=forms.HiddenInput)

    def __init__(self, *args, unit: Unit, places: list[tuple[str, str]], top: bool, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("The network itself (top level)"))] if top else []
        self.fields["parent"].choices = [*choices, *places]
        self.fields["parent"].required = not top
        self.initial.setdefault("parent", unit.parent.slug if unit.parent_id else "")
        self.initial.setdefault("version", unit.version)


class UnitVersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput)
    reason = forms.CharField(
        label=_("Reason"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 2, "dir": "auto"})
    )


class UnitAdminForm(forms.Form):
    email = forms.EmailField(
        label=_("E-mail address of the new admin"),
        widget=forms.EmailInput(attrs={"dir": "ltr"}),
        help_text=_("They need an account on the platform."),
    )


class UnitMembersFilterForm(forms.Form):
    HERE, ELSEWHERE = "here", "elsewhere"

    q = forms.CharField(label=_("Name or acronym"), required=False, max_length=100)
    where = forms.ChoiceField(
        label=_("Show"),
        required=False,
        choices=[(HERE, _("Organisations in this unit")), (ELSEWHERE, _("Organisations you may place in it"))],
    )

    def here(self) -> bool:
        return not (self.is_bound and self.is_valid() and self.cleaned_data.get("where") == self.ELSEWHERE)

    def apply(self, memberships: QuerySet) -> QuerySet:
        term = (self.cleaned_data.get("q") or "").strip()
        if term:
            memberships = memberships.filter(
                Q(organisation__name_ar__icontains=term)
                | Q(organisation__name_en__icontains=term)
                | Q(organisation__name_ms__icontains=term)
                | Q(organisation__legal_name__icontains=term)
                | Q(organisation__acronym__icontains=term)
            )
        return memberships
