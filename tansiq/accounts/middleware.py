from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.shortcuts import redirect
from django.utils import timezone, translation
from django.utils.translation import gettext as _


class LocaleMiddleware(DjangoLocaleMiddleware):
    """The language comes from the URL, then the signed-in user's preference, then cookie/browser."""

    def process_request(self, request):
        if translation.get_language_from_path(request.path_info) is None:
            user = getattr(request, "user", None)
            preferred = getattr(user, "language", "") if user is not None and user.is_authenticated else ""
            if preferred in dict(settings.LANGUAGES):
                translation.activate(preferred)
                request.LANGUAGE_CODE = preferred
                return
        super().process_request(request)

    def process_response(self, request, response):
        response = super().process_response(request, response)
        # The language a person last chose by URL is remembered for their next visit to "/".
        from_path = translation.get_language_from_path(request.path_info)
        if from_path and request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME) != from_path:
            response.set_cookie(
                settings.LANGUAGE_COOKIE_NAME,
                from_path,
                max_age=365 * 24 * 3600,
                samesite=settings.LANGUAGE_COOKIE_SAMESITE,
                secure=settings.LANGUAGE_COOKIE_SECURE,
                httponly=True,
            )
        return response


class UserTimezoneMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.time_zone:
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        return self.get_response(request)


def _api_error(status: int, code: str, message) -> JsonResponse:
    return JsonResponse(
        {"error": {"code": code, "message": str(message), "fields": {}}},
        status=status,
        json_dumps_params={"ensure_ascii": False},
    )


class ApiTokenMiddleware:
    """A personal access token (``Authorization: Bearer tsq_…`` on /api/) makes its holder
    ``request.user`` before any other rule is asked, so the staff MFA rule, the time zone, the
    cache's per-reader keys, the rate limit and every read treat a token's holder as their session
    does.

    A token that is not valid is a 401, and a read-only token's write a 403, whatever the operation.
    Placed after the locale middleware (an API client's ``Accept-Language`` decides the language);
    the session is neither read nor changed.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        if request.path_info.startswith("/api/") and header[:7].lower() == "bearer ":
            from tansiq.accounts.services import authenticate_token

            token = authenticate_token(header[7:].strip())
            if token is None:
                return _api_error(401, "unauthenticated", _("Sign in or send a valid access token."))
            request.user = token.user
            request.token = token
            if token.scope == "read" and request.method not in ("GET", "HEAD", "OPTIONS"):
                message = _("This token may only read. Create a read-write token to make changes.")
                return _api_error(403, "forbidden", message)
        return self.get_response(request)


# What a staff member without MFA may still open: turning MFA on (allauth asks for the password
# again first), signing in and out, static files and the health check. Matched on the start of the
# path after the language prefix, so /admin/accounts/… is not mistaken for /accounts/….
_MFA_EXEMPT_PREFIXES = (
    "/accounts/2fa/",
    "/accounts/reauthenticate/",
    "/accounts/login/",
    "/accounts/logout/",
    "/accounts/confirm-email/",
)
_MFA_EXEMPT_ROOTS = ("/static/", "/media/", "/healthz", "/i18n/")


def _without_language(path: str) -> str:
    language = translation.get_language_from_path(path)
    return path[len(language) + 1 :] if language else path


class StaffMFAMiddleware:
    """Platform staff must turn on two-factor authentication before doing anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and not request.path_info.startswith(_MFA_EXEMPT_ROOTS)
            and not _without_language(request.path_info).startswith(_MFA_EXEMPT_PREFIXES)
        ):
            from tansiq.accounts.services import staff_without_mfa

            if staff_without_mfa(user):
                message = _("Your role requires two-factor authentication. Please turn it on to continue.")
                if request.path_info.startswith("/api/"):
                    return _api_error(403, "mfa_required", message)
                messages.warning(request, message)
                return redirect("mfa_activate_totp")
        return self.get_response(request)
