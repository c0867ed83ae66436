from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tansiq.core.search.parsing import MAX_QUERY_LENGTH, TOO_LONG


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        required=False,
        max_length=MAX_QUERY_LENGTH,
        error_messages={"max_length": TOO_LONG},
    )
    kind = forms.CharField(required=False, max_length=50, widget=forms.HiddenInput)
    country = forms.CharField(required=False, max_length=2, widget=forms.HiddenInput)

    def clean_q(self) -> str:
        # A NUL byte cannot reach the database; any other text is the parser's business.
        return self.cleaned_data["q"].replace("\x00", " ").strip()

    def clean_country(self) -> str:
        return self.cleaned_data["country"].upper()
