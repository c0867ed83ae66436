"""Forms of the contacts and representatives pages. The services check again."""

from __future__ import annotations

from html import escape

from django import forms
from django.conf import settings
from django.db.models import Q, QuerySet
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from tansiq.core.forms import NameField, PhoneField
from tansiq.network.models import Contact, Membership, NetworkMembership
from tansiq.network.services.representatives import ALTERNATE, REPRESENTATIVE


class ContactForm(forms.ModelForm):
    """A contact as an editor writes it; ``version`` makes a stale form detectable."""

    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Contact
        fields = ["name", "role", "email", "phone", "visibility"]
        labels = {
            "name": _("Name"),
            "role": _("Role or position"),
            "email": _("E-mail address"),
            "phone": _("Phone"),
            "visibility": _("Who may see it"),
        }
        help_texts = {
            "role": _("For example: secretary general, treasurer, press officer."),
            "phone": _("With the country code, for example +60 3 1234 5678."),
        }
        widgets = {
            "name": forms.TextInput(attrs={"dir": "auto", "autocomplete": "off"}),
            "role": forms.TextInput(attrs={"dir": "auto"}),
            "email": forms.EmailInput(attrs={"dir": "ltr"}),
            "phone": forms.TextInput(attrs={"dir": "ltr", "inputmode": "tel"}),
            "visibility": forms.RadioSelect,
        }
        field_classes = {"name": NameField, "role": NameField, "phone": PhoneField}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial.setdefault("version", self.instance.version)

    def values(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}


class ContactFilterForm(forms.Form):
    q = forms.CharField(label=_("Name, role or e-mail"), required=False, max_length=100)
    visibility = forms.ChoiceField(
        label=_("Who may see it"), required=False, choices=[("", _("All")), *Contact.Visibility.choices]
    )

    def apply(self, contacts: QuerySet) -> QuerySet:
        data = self.cleaned_data
        if data.get("q"):
            term = data["q"].strip()
            contacts = contacts.filter(Q(name__icontains=term) | Q(role__icontains=term) | Q(email__icontains=term))
        if data.get("visibility"):
            contacts = contacts.filter(visibility=data["visibility"])
        return contacts


class LongSelect(forms.Select):
    """A ``<select>`` of many options (a unit tree, an organisation's people) written in one pass.

    Django renders each option through its own template; with two hundred units that was most of a
    page's time. The markup is the same as Django's: name, id, the attributes the form templates add
    (classes, ``aria-*``), the selected option.
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        final = self.build_attrs(self.attrs, attrs)
        selected = {str(item) for item in self.format_value(value)}
        # escape() from the standard library, as Django's own calls it, without its lazy wrapper.
        options = "".join(
            f'<option value="{escape(key)}"{" selected" if key in selected else ""}>{escape(str(label))}</option>'
            for key, label in ((str(key), label) for key, label in self.choices)
        )
        return format_html('<select name="{}"{}>{}</select>', name, flatatt(final), SafeString(options))


class _OncePeople(ModelChoiceIterator):
    """The people read once per form set, not once per field (a page shows several such fields)."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for person in self.field.people():
            yield self.choice(person)


class PersonChoiceField(forms.ModelChoiceField):
    iterator = _OncePeople
    widget = LongSelect

    rows: list | None = None

    def people(self) -> list:
        return self.rows if self.rows is not None else list(self.queryset)

    def label_from_instance(self, obj) -> str:
        return f"{obj.get_full_name()} ({obj.email})" if obj.display_name else obj.email


class RepresentativesForm(forms.Form):
    """The member's representative and alternate in one network, chosen among its people."""

    representative = PersonChoiceField(
        label=_("Representative"), required=False, queryset=None, empty_label=_("Nobody named yet")
    )
    alternate = PersonChoiceField(
        label=_("Alternate representative"), required=False, queryset=None, empty_label=_("Nobody named yet")
    )
    # What the form was filled in against (compare-and-set in the service).
    expected_representative = forms.IntegerField(widget=forms.HiddenInput, required=False)
    expected_alternate = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, membership: NetworkMembership, people: QuerySet, **kwargs):
        kwargs.setdefault("prefix", f"m{membership.pk}")
        super().__init__(*args, **kwargs)
        self.membership = membership
        # ``people`` is one queryset shared by every form of the page: read once, then from its cache.
        rows = list(people)
        for name in ("representative", "alternate"):
            self.fields[name].queryset = people
            self.fields[name].rows = rows
            self.fields[name].widget.attrs["dir"] = "auto"
        self.initial.setdefault("representative", membership.representative_id)
        self.initial.setdefault("alternate", membership.alternate_id)
        self.initial.setdefault("expected_representative", membership.representative_id)
        self.initial.setdefault("expected_alternate", membership.alternate_id)

    def clean(self):
        data = super().clean()
        chosen, alternate = data.get("representative"), data.get("alternate")
        if chosen is not None and alternate is not None and chosen.pk == alternate.pk:
            self.add_error("alternate", _("The alternate must be someone other than the representative."))
        return data

    def expected(self) -> tuple[int | None, int | None]:
        return (self.cleaned_data.get("expected_representative"), self.cleaned_data.get("expected_alternate"))


class RepresentativeInvitationForm(forms.Form):
    """Invite someone who does not act for the organisation yet to take the seat."""

    email = forms.EmailField(label=_("E-mail address"), widget=forms.EmailInput(attrs={"dir": "ltr"}))
    seat = forms.ChoiceField(
        label=_("As"),
        choices=[(REPRESENTATIVE, _("Representative")), (ALTERNATE, _("Alternate representative"))],
        widget=forms.RadioSelect,
        initial=REPRESENTATIVE,
    )
    role = forms.ChoiceField(
        label=_("Role in the organisation"),
        choices=Membership.Role.choices,
        initial=Membership.Role.VIEWER,
        help_text=_("A representative needs no more than “viewer” to represent the organisation."),
    )
    language = forms.ChoiceField(label=_("Language of the invitation"), choices=settings.LANGUAGES)

    def __init__(self, *args, membership: NetworkMembership, **kwargs):
        kwargs.setdefault("prefix", f"i{membership.pk}")
        super().__init__(*args, **kwargs)
