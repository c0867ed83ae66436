from __future__ import annotations

import datetime as dt
import re

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tansiq.core.i18n import ascii_digits
from tansiq.core.models import AuditEntry

# Embedding, override and isolate controls (LRE RLE PDF LRO RLO, LRI RLI FSI PDI): typed into a
# name they make it display as another ("‮gnp.exe"); the page isolates user text itself.
BIDI_CONTROLS = re.compile("[\u202a-\u202e\u2066-\u2069]")


def strip_bidi_controls(text: str) -> str:
    return BIDI_CONTROLS.sub("", text)


class GroupedCheckboxes(forms.CheckboxSelectMultiple):
    """Many checkboxes, in groups: each group a ``fieldset`` with its ``legend`` above it, the
    options in columns, and a box that narrows them by name (``app.js``; without JavaScript the box
    stays hidden and every option is shown). Give the field grouped choices:
    ``[(group label, [(value, label), …]), …]``."""

    template_name = "core/forms/grouped_checkboxes.html"


class NameField(forms.CharField):
    """A name or title: bidirectional override and isolate controls are removed."""

    def to_python(self, value):
        value = super().to_python(value)
        return strip_bidi_controls(value).strip() if isinstance(value, str) else value


class PhoneField(NameField):
    """A phone number, stored with ASCII digits whatever digits were typed (٠١٢ or ۰۱۲)."""

    def to_python(self, value):
        value = super().to_python(value)
        return ascii_digits(value) if isinstance(value, str) else value


class AuditFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    action = forms.ChoiceField(label=_("Action"), required=False, choices=[("", _("All")), *AuditEntry.Action.choices])
    object_type = forms.ModelChoiceField(
        label=_("Object type"),
        required=False,
        queryset=ContentType.objects.none(),
        empty_label=_("All"),
    )
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("Until"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        used = AuditEntry.objects.exclude(content_type=None).values("content_type").distinct()
        self.fields["object_type"].queryset = ContentType.objects.filter(pk__in=used).order_by("app_label", "model")

    def clean(self):
        data = super().clean()
        if data.get("since") and data.get("until") and data["since"] > data["until"]:
            self.add_error("until", _("The end date is before the start date."))
        return data

    def apply(self, queryset: QuerySet) -> QuerySet:
        data = self.cleaned_data
        if data.get("q"):
            term = data["q"]
            queryset = queryset.filter(
                Q(actor_label__icontains=term) | Q(object_repr__icontains=term) | Q(reason__icontains=term)
            )
        if data.get("action"):
            queryset = queryset.filter(action=data["action"])
        if data.get("object_type"):
            queryset = queryset.filter(content_type=data["object_type"])
        if data.get("since"):
            queryset = queryset.filter(at__date__gte=data["since"])
        if data.get("until"):
            queryset = queryset.filter(at__date__lt=data["until"] + dt.timedelta(days=1))
        return queryset


class InboxFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Show"), required=False, choices=[("", _("All")), ("unread", _("Unread")), ("read", _("Read"))]
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)

    def __init__(self, *args, **kwargs):
        from tansiq.core import notify

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("All")), *((kind.name, kind.label) for kind in notify.kinds())]

    def apply(self, queryset: QuerySet) -> QuerySet:
        data = self.cleaned_data
        if data.get("status") == "unread":
            queryset = queryset.filter(read_at=None)
        elif data.get("status") == "read":
            queryset = queryset.exclude(read_at=None)
        if data.get("kind"):
            queryset = queryset.filter(kind=data["kind"])
        return queryset


class NotificationPreferencesForm(forms.Form):
    """One choice per registered kind; security kinds are shown fixed (always e-mailed at once)."""

    def __init__(self, *args, current: dict[str, str], **kwargs):
        from tansiq.core import notify

        super().__init__(*args, **kwargs)
        self.security = []
        for kind in notify.kinds():
            if kind.security:
                self.security.append(kind)
                continue
            self.fields[kind.name] = forms.ChoiceField(
                label=kind.label,
                choices=notify.Delivery.choices,
                initial=current.get(kind.name, kind.default),
                widget=forms.RadioSelect,
                required=False,  # a kind left out keeps its current choice
            )


class CertificateCodeForm(forms.Form):
    code = forms.CharField(
        label=_("Certificate code"),
        max_length=60,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "dir": "ltr",
                "placeholder": "XXXXX-XXXXX-XXXXX-XXXXX-XXXXX",
            }
        ),
    )
