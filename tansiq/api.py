"""One NinjaAPI at /api/v1/: auth, error shape, rate limits; each app mounts its router here.

Auth: the browser's session (with CSRF on writes) or a personal access token
(``Authorization: Bearer tsq_…``), read by ``accounts.middleware.ApiTokenMiddleware`` before any
other rule (staff MFA, language, time zone) so a token's holder is the same person as their session
on every operation, public reads included. A read-scope token may only read. Every error, whatever
raised it, has one shape: ``{"error": {"code": …, "message": …, "fields": {…}}}`` with the message
in the request's language, and the OpenAPI document lists it on every operation.

Shared by every operation: the JSON parser refuses text no database stores (lone surrogates, NUL)
with 422; ``Pages`` bounds page numbers (422 past ``MAX_PAGE``); ``RateLimit`` counts each caller's
requests atomically, keyed by the signed-in user (session or token) or else by the address
(docs/api.md).
"""

from __future__ import annotations

import logging
import math

from django.core.exceptions import PermissionDenied
from django.db import DatabaseError, IntegrityError, connection
from django.http import Http404, HttpRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, Throttled, ValidationError
from ninja.openapi.docs import DocsBase

from tansiq.core.apitools import (
    RateLimit,
    SafeParser,
    UTF8Renderer,
    session_auth,
    token_auth,
    with_error_responses,
)
from tansiq.core.errors import TansiqError


class TansiqAPI(NinjaAPI):
    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return with_error_responses(schema)


class VendoredSwagger(DocsBase):
    """Swagger UI from the vendored files (``make vendor``), booted by a static script: no CDN, and
    nothing inline for the site's Content-Security-Policy to block. Only this page loads it."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs):
        return render(request, "api/docs.html", {"api": api, "openapi_url": self.get_openapi_url(api, kwargs)})


api = TansiqAPI(
    title="Tansiq API",
    version="1",
    description="Programmatic access to a Tansiq network. Authenticate with the browser session or a "
    "personal access token (`Authorization: Bearer tsq_…`), created under Account → API tokens. "
    "Every error has one shape (`Error`); limits on requests are described in the documentation "
    "(docs/api.md).",
    auth=[token_auth, session_auth],
    renderer=UTF8Renderer(),
    parser=SafeParser(),
    throttle=[RateLimit("TANSIQ_API_RATE_ANON", "TANSIQ_API_RATE_USER")],
    docs=VendoredSwagger(),
    docs_url="/docs",
    urls_namespace="api",
)


def error(request, *, status: int, code: str, message: str, fields: dict | None = None):
    return api.create_response(
        request, {"error": {"code": code, "message": str(message), "fields": fields or {}}}, status=status
    )


@api.exception_handler(TansiqError)
def _tansiq_error(request, exc: TansiqError):
    return error(request, status=exc.status, code=exc.code, message=exc.message, fields=exc.fields)


@api.exception_handler(ValidationError)
def _validation_error(request, exc: ValidationError):
    fields: dict[str, list[str]] = {}
    for item in exc.errors:
        location = [str(part) for part in item.get("loc", ()) if part not in ("body", "query", "path", "payload")]
        fields.setdefault(".".join(location) or "__all__", []).append(_field_message(item))
    return error(request, status=422, code="invalid", message=_("Some values are not valid."), fields=fields)


def _field_message(item: dict) -> str:
    """Pydantic speaks English only: say the same thing in the request's language."""
    kind = item.get("type", "")
    if kind == "missing":
        return _("This field is required.")
    if kind.startswith(("date", "datetime", "time")):
        return _("Enter a valid date (YYYY-MM-DD).")
    if kind.startswith(("int", "float", "decimal")):
        return _("Enter a number.")
    if kind.startswith("bool"):
        return _("Enter true or false.")
    if kind == "value_error" and item.get("ctx", {}).get("choices"):
        return _("Choose one of: %(choices)s.") % {"choices": item["ctx"]["choices"]}
    if kind.startswith("string_too_long"):
        return _("This value is too long.")
    return _("Enter a valid value.")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):
    return error(request, status=401, code="unauthenticated", message=_("Sign in or send a valid access token."))


@api.exception_handler(AuthorizationError)
def _forbidden_token(request, exc: AuthorizationError):
    return error(request, status=403, code="forbidden", message=exc.message or _("You are not allowed to do this."))


@api.exception_handler(PermissionDenied)
def _permission_denied(request, exc):
    return error(request, status=403, code="forbidden", message=_("You are not allowed to do this."))


@api.exception_handler(Http404)
def _not_found(request, exc):
    return error(request, status=404, code="not_found", message=_("Not found."))


@api.exception_handler(Throttled)
def _throttled(request, exc: Throttled):
    response = error(
        request, status=429, code="rate_limited", message=_("Too many requests. Please wait and try again.")
    )
    if exc.wait is not None:
        response["Retry-After"] = str(max(1, math.ceil(exc.wait)))
    return response


@api.exception_handler(DatabaseError)
def _database_fault(request, exc: DatabaseError):
    """Locked past the busy timeout, disk full, read-only…: the JSON error shape, not an HTML page."""
    if isinstance(exc, IntegrityError):
        raise exc  # a bug, not a fault: Django's 500 handler answers (in the same JSON shape)
    logging.getLogger("django.request").error("API database fault: %s", request.path, exc_info=exc)
    connection.tansiq_faulty = True  # dropped when the request ends (tansiq.core.middleware)
    response = error(
        request,
        status=503,
        code="unavailable",
        message=_("The service is unavailable for a moment. Please try again shortly."),
    )
    response["Retry-After"] = "30"
    return response


@api.exception_handler(HttpError)
def _http_error(request, exc: HttpError):
    if isinstance(exc.__cause__, TansiqError):  # raised by the parser
        return _tansiq_error(request, exc.__cause__)
    return error(request, status=exc.status_code, code="error", message=str(exc))


api.add_router("/", "tansiq.core.api.router")
api.add_router("/", "tansiq.accounts.api.router")
api.add_router("/", "tansiq.core.search.api.router")
api.add_router("/", "tansiq.core.certificates.api.router")
api.add_router("/", "tansiq.network.api.registry.router")
api.add_router("/", "tansiq.volunteers.api.profiles.router")
api.add_router("/", "tansiq.volunteers.api.opportunities.router")
api.add_router("/", "tansiq.volunteers.api.applications.router")
api.add_router("/", "tansiq.volunteers.api.trainings.router")
api.add_router("/", "tansiq.volunteers.api.hours.router")
