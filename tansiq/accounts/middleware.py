from __future__ import annotations

import zoneinfo

from django.conf import settings
from django.contrib import messages
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


# Paths a staff member without MFA may still open: setting MFA up, signing out, static files.
_MFA_EXEMPT_SEGMENTS = ("/accounts/", "/static/", "/media/", "/healthz", "/api/", "/i18n/")


class StaffMFAMiddleware:
    """Platform staff must turn on two-factor authentication before doing anything else."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            settings.TANSIQ_REQUIRE_STAFF_MFA
            and user is not None
            and user.is_authenticated
            and getattr(user, "is_platform_staff", False)
            and not any(segment in request.path_info for segment in _MFA_EXEMPT_SEGMENTS)
        ):
            from allauth.mfa.utils import is_mfa_enabled

            if not is_mfa_enabled(user):
                messages.warning(
                    request, _("Your role requires two-factor authentication. Please turn it on to continue.")
                )
                return redirect("mfa_activate_totp")
        return self.get_response(request)
