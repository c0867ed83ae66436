"""One way for views, API and services to ask the ``rules`` predicates."""

from __future__ import annotations

import functools
from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied

from tansiq.core.errors import Forbidden


def require(user, permission: str, obj=None) -> None:
    """Raise ``Forbidden`` (a TansiqError) unless ``user`` holds ``permission`` (on ``obj``)."""
    from django.utils.translation import gettext as _

    if user is None or not user.has_perm(permission, obj):
        raise Forbidden(_("You are not allowed to do this."))


def require_rule(permission: str) -> Callable:
    """View decorator: visitors go to the login page, signed-in users without the rule get 403."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorate
