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


def group_names(user) -> set[str]:
    """The names of the user's groups (platform roles), read once per user object.

    Shares the ``rules`` package's cache attribute, so ``is_group_member`` predicates, role checks
    and search audiences together cost one query a request.
    """
    if not getattr(user, "is_authenticated", False):
        return set()
    if not hasattr(user, "_group_names_cache"):
        user._group_names_cache = set(user.groups.values_list("name", flat=True))
    return user._group_names_cache


def forget_group_names(user) -> None:
    """After changing a user's groups on this very object (tests, the back office)."""
    user.__dict__.pop("_group_names_cache", None)
