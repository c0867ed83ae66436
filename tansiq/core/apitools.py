"""What every operation of the API shares, whichever app defines it: the JSON parser, the
pagination, who is calling, the rate limit and the error shape. ``tansiq.api`` puts them together
in the one NinjaAPI; the apps' routers use ``Pages`` and ``signed_in_or_visitor`` from here.
"""

from __future__ import annotations

import json
import time

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Schema
from ninja.pagination import PageNumberPagination
from ninja.parser import Parser
from ninja.renderers import JSONRenderer
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import BaseThrottle

from tansiq.core.errors import Invalid


class UTF8Renderer(JSONRenderer):
    # Arabic stays readable and half the size when it is not \u-escaped.
    json_dumps_params = {"ensure_ascii": False}


# --- Input every operation shares -----------------------------------------------------------------


def unsafe_text(value) -> str | None:
    """The dotted path of the first string in ``value`` (parsed JSON) that no database stores: one
    with a lone surrogate (``\\ud800``, which UTF-8 cannot encode) or a NUL character; else None."""
    stack = [("", value)]
    while stack:
        path, item = stack.pop()
        if isinstance(item, str):
            if "\x00" in item or any("\ud800" <= char <= "\udfff" for char in item):
                return path or "__all__"
        elif isinstance(item, dict):
            stack.extend((f"{path}.{key}" if path else str(key), inner) for key, inner in item.items())
            stack.extend((path or "__all__", key) for key in item)
        elif isinstance(item, list):
            stack.extend((path, inner) for inner in item)
    return None


def _refuse_unsafe(value) -> None:
    field = unsafe_text(value)
    if field is not None:
        raise Invalid(
            _("Some values are not valid."),
            errors={field: [_("This text contains characters that are not allowed.")]},
        )


class SafeParser(Parser):
    """JSON bodies refusing text no database stores with 422 (a lone surrogate would otherwise fail
    when the value is encoded to be stored or shown, as a 500); query strings without NUL."""

    def parse_body(self, request: HttpRequest):
        data = json.loads(request.body)
        _refuse_unsafe(data)  # ninja reports a parser's error as its cause (see _http_error)
        return data

    def parse_querydict(self, data, list_fields, request: HttpRequest):
        # A NUL in a query string is read as U+FFFD, as Django reads bytes that are not UTF-8 there
        # (searches take it as text; PostgreSQL cannot compare a value holding NUL).
        result = super().parse_querydict(data, list_fields, request)
        return {
            key: [_without_nul(item) for item in value] if isinstance(value, list) else _without_nul(value)
            for key, value in result.items()
        }


def _without_nul(value):
    return value.replace("\x00", "\ufffd") if isinstance(value, str) else value


# Past this, a page number is refused (422): the offset it means would overflow the database's
# integers (a 500 before). No list here has anywhere near MAX_PAGE pages.
MAX_PAGE = 100_000


class Pages(PageNumberPagination):
    """The one pagination of the API: ``?page=`` from 1 to ``MAX_PAGE``, the last one empty if past
    the end."""

    class Input(Schema):
        page: int = Field(1, ge=1, le=MAX_PAGE)
        page_size: int | None = Field(None, ge=1, le=1000)


# --- Who is calling ---------------------------------------------------------------------------------


class TokenAuth(HttpBearer):
    """A personal access token, already checked by ``ApiTokenMiddleware`` (scope, expiry, staff MFA)."""

    def authenticate(self, request: HttpRequest, token: str):
        found = getattr(request, "token", None)
        return found.user if found is not None else None


class BrowserSession(SessionAuth):
    def authenticate(self, request: HttpRequest, key):
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


token_auth = TokenAuth()
session_auth = BrowserSession()


def signed_in_or_visitor(request: HttpRequest):
    """Authentication for operations visitors may use too: the token's holder or the signed-in
    user reads as themself (``ApiTokenMiddleware`` has made them ``request.user``), anyone else as a
    visitor. Kept on those operations (rather than ``auth=None``) so their OpenAPI entry says a
    token or the session is taken."""
    if getattr(request, "token", None) is not None:
        return request.user
    return session_auth(request) or True


# --- Rate limits -----------------------------------------------------------------------------------


class RateLimit(BaseThrottle):
    """One budget a caller: the signed-in user's (by session or token, whichever they use) or, for
    a visitor, their address's (``TANSIQ_API_RATE_USER``, ``TANSIQ_API_RATE_ANON``, read at each
    request). Counted on a fixed window with ``cache.add`` and ``cache.incr``, which each backend
    does atomically (the database cache with a compare-and-set, Redis with INCR, the in-memory
    cache under its lock), so concurrent requests cannot all read the same count and pass."""

    def __init__(
        self, anonymous: str = "TANSIQ_API_RATE_ANON", signed_in: str = "TANSIQ_API_RATE_USER", *, scope: str = "api"
    ) -> None:
        self.settings = {"anonymous": anonymous, "user": signed_in}
        self.scope = scope  # a budget of its own (a page's), counted apart from the API's
        self.retry_after: float | None = None

    @staticmethod
    def parse(rate: str) -> tuple[int, int]:
        """``"60/min"`` → (60, 60): requests, seconds."""
        count, period = rate.split("/")
        seconds = {"s": 1, "m": 60, "h": 3600, "d": 86400}[period.strip()[0].lower()]
        return int(count), seconds

    def key(self, request: HttpRequest) -> tuple[str, str]:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            return "user", f"user:{user.pk}"
        return "anonymous", f"ip:{self.get_ident(request)}"

    def allow_request(self, request: HttpRequest) -> bool:
        from django.conf import settings

        budget, ident = self.key(request)
        limit, period = self.parse(getattr(settings, self.settings[budget]))
        now = time.time()
        window = int(now // period)
        key = f"{self.scope}-rate:{ident}:{period}:{window}"
        cache.add(key, 0, period + 5)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, period + 5)
            count = 1
        self.retry_after = (window + 1) * period - now
        return count <= limit

    def wait(self) -> float | None:
        return self.retry_after


# --- The error shape, in responses and in the OpenAPI document ------------------------------------


class ErrorDetail(Schema):
    code: str
    message: str
    fields: dict[str, list[str]]


class ErrorOut(Schema):
    error: ErrorDetail


ERROR_RESPONSES = {
    400: "The request cannot be read, or a rule refuses the values",
    401: "No valid session or access token (or a token that is not valid)",
    403: "Not allowed: the rules refuse the change, a read-only token writes, or staff without MFA",
    404: "Not found, or not within what you may see",
    409: "Someone changed the object since you read it, or its state forbids this",
    422: "Values that are not valid (``fields`` says which), or a page number out of range",
    429: "Too many requests: wait the number of seconds in ``Retry-After``",
}


def with_error_responses(schema: dict) -> dict:
    """Every operation of ``schema`` documents the error responses with the one error schema."""
    components = schema.setdefault("components", {}).setdefault("schemas", {})
    error_schema = ErrorOut.model_json_schema(ref_template="#/components/schemas/{model}")
    components.update(error_schema.pop("$defs", {}))
    components["Error"] = error_schema
    for operations in schema.get("paths", {}).values():
        for operation in operations.values():
            responses = operation.setdefault("responses", {})
            for status, description in ERROR_RESPONSES.items():
                if status in responses or str(status) in responses:
                    continue
                response = {
                    "description": description,
                    "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}},
                }
                if status == 429:
                    response["headers"] = {
                        "Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}
                    }
                responses[status] = response
    return schema
