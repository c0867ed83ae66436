"""The one exception type for errors a user can cause.

Services raise it with a translated message; views turn it into a form error or a message, the API
into a 400/409 with the same text (see ``tansiq.api``).
"""

from __future__ import annotations


class TansiqError(Exception):
    """A refusal the user can understand and act on. ``message`` is a (lazy) translated string."""

    status = 400
    code = "invalid"

    def __init__(self, message, *, code: str | None = None, field: str | None = None) -> None:
        super().__init__(str(message))
        self.message = message
        self.field = field
        if code:
            self.code = code

    @property
    def fields(self) -> dict[str, list[str]]:
        """The messages by field, as the API reports them."""
        return {self.field: [str(self.message)]} if self.field else {}


class Conflict(TansiqError):
    """The object changed or is in a state that forbids this (stale form, wrong workflow state)."""

    status = 409
    code = "conflict"


class Forbidden(TansiqError):
    status = 403
    code = "forbidden"


class Invalid(TansiqError):
    """Values the form (or validator) that defines them refuses: one message list per field."""

    status = 422
    code = "invalid"

    def __init__(self, message, *, errors: dict[str, list[str]]) -> None:
        super().__init__(message)
        self.errors = errors

    @property
    def fields(self) -> dict[str, list[str]]:
        return self.errors


def validated(form_class, data: dict, *, instance=None, partial: bool = False, **kwargs):
    """``form_class`` bound to ``data`` and valid, or ``Invalid`` with the form's messages.

    An API write goes through the same form as the page that makes the same change, so both have
    one definition of what is valid. With ``partial`` (a PATCH), the fields ``data`` leaves out keep
    the values the form would show for ``instance``.
    """
    if partial:
        unbound = form_class(instance=instance, **kwargs) if instance is not None else form_class(**kwargs)
        data = {**{name: unbound[name].value() for name in unbound.fields}, **data}
    form = form_class(data=data, instance=instance, **kwargs) if instance is not None else form_class(data, **kwargs)
    return valid(form)


def valid(form):
    """``form`` (already bound) if valid, or ``Invalid`` with its messages, as ``validated`` answers
    for a form the caller had to adjust before validating it."""
    from django.utils.translation import gettext as _

    if not form.is_valid():
        errors = {name: [str(message) for message in messages] for name, messages in form.errors.items()}
        raise Invalid(_("Some values are not valid."), errors=errors)
    return form
