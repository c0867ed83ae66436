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


class Conflict(TansiqError):
    """The object changed or is in a state that forbids this (stale form, wrong workflow state)."""

    status = 409
    code = "conflict"


class Forbidden(TansiqError):
    status = 403
    code = "forbidden"
