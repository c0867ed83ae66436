"""Forms of an assignment run: how many shifts a person may take, and an adjustment of the draft."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tansiq.volunteers.services.assignments import MAX_PER_PERSON_LIMIT


class RunForm(forms.Form):
    max_per_person = forms.IntegerField(
        label=_("Shifts per person at most"), min_value=1, max_value=MAX_PER_PERSON_LIMIT, initial=1
    )


class MoveForm(forms.Form):
    """Move a person of the draft from one shift to another, or remove them (no target shift)."""

    application = forms.IntegerField(label=_("Volunteer"), min_value=1)
    from_shift = forms.IntegerField(label=_("From shift"), min_value=1)
    to_shift = forms.IntegerField(label=_("To shift"), min_value=1, required=False)
