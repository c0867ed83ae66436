"""Authentication backends: Django's and allauth's, with permissions from ``rules`` alone.

Tansiq grants nothing through Django's permission tables: platform roles are groups whose powers
are ``rules`` predicates, and superusers hold every permission before any backend is asked. The
stock backends would still read two permission tables the first time a page asks a question whose
answer is no (the header does on every page), so here they say at once that the tables grant
nothing. See docs/decisions/0015-permissions-from-rules-only.md.
"""

from __future__ import annotations

from allauth.account.auth_backends import AuthenticationBackend as AllauthBackend
from django.contrib.auth.backends import ModelBackend as DjangoModelBackend


class NoTablePermissions:
    def get_user_permissions(self, user_obj, obj=None) -> set[str]:
        return set()

    def get_group_permissions(self, user_obj, obj=None) -> set[str]:
        return set()

    def get_all_permissions(self, user_obj, obj=None) -> set[str]:
        return set()

    def has_perm(self, user_obj, perm, obj=None) -> bool:
        return False

    def has_module_perms(self, user_obj, app_label) -> bool:
        return False

    def with_perm(self, perm, is_active=True, include_superusers=True, obj=None):
        from django.contrib.auth import get_user_model

        users = get_user_model()._default_manager
        if include_superusers:
            return users.filter(is_superuser=True, is_active=True) if is_active else users.filter(is_superuser=True)
        return users.none()


class ModelBackend(NoTablePermissions, DjangoModelBackend):
    """Password sign-in as Django's, no permissions from tables."""


class AuthenticationBackend(NoTablePermissions, AllauthBackend):
    """allauth's e-mail sign-in, no permissions from tables."""
