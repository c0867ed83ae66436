"""How a page answers a ``TansiqError`` a service raised: a refusal by the rules is a 403, anything
else the user can correct is shown on the form, in a message, or in the row an htmx action swaps."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.utils.html import format_html

from tansiq.core.errors import Forbidden, TansiqError


def refuse_if_forbidden(error: TansiqError) -> None:
    # A refusal by the rules is a 403, never a form error a caller could take for a validation issue.
    if isinstance(error, Forbidden):
        raise PermissionDenied


def form_error(form, error: TansiqError) -> None:
    refuse_if_forbidden(error)
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


def htmx_error_row(error: TansiqError, *, columns: int) -> HttpResponse:
    """What an htmx row action answers when it fails: the row, replaced by the reason (htmx swaps
    only successful answers, so this one says 200 and carries the refusal in its text)."""
    return HttpResponse(
        format_html('<tr><td colspan="{}" class="text-danger" role="alert">{}</td></tr>', columns, str(error.message))
    )


def message_error(request, error: TansiqError) -> None:
    refuse_if_forbidden(error)
    messages.error(request, error.message)
