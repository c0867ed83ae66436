"""Platform-wide predicates, and the one way views, API and services ask them.

Apps combine these predicates with their own in their ``rules.py``; a service calls ``require``, a
view is decorated with ``require_rule``.
"""

import functools
from collections.abc import Callable

import rules
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from tansiq.core.errors import Forbidden

is_secretariat = rules.is_superuser | rules.is_group_member("secretariat")
is_analyst = rules.is_group_member("analyst")
is_verifier = rules.is_group_member("verifier")
is_judge = rules.is_group_member("judge")

rules.add_perm("core.view_audit_log", is_secretariat)
rules.add_perm("core.export_audit_log", is_secretariat)

# The back office: the secretariat keeps the calendar and the site identity, reads the audit log
# and the task queue. Superusers keep everything else (Django's own permissions).
for codename in ("view", "add", "change", "delete"):
    rules.add_perm(f"core.{codename}_hijrimonthstart", is_secretariat)
rules.add_perm("core.view_siteidentity", is_secretariat)
rules.add_perm("core.change_siteidentity", is_secretariat)
rules.add_perm("core.view_auditentry", is_secretariat)
rules.add_perm("core.view_scheduledrun", is_secretariat)
rules.add_perm("django_tasks_database.view_dbtaskresult", is_secretariat)

# Certificates (tansiq.core.certificates): the secretariat, the holder for their own PDF, and
# whomever the certificate's kind allows (the organisation that issued it, an award's owner).


def _kind_allows(hook: str):
    @rules.predicate(name=f"certificate kind allows {hook}")
    def predicate(user, certificate) -> bool:
        from tansiq.core.certificates import kind_of

        if certificate is None or not getattr(user, "is_authenticated", False):
            return False
        allows = getattr(kind_of(certificate), hook)
        return bool(allows and allows(user, certificate))

    return predicate


@rules.predicate
def holds_certificate(user, certificate) -> bool:
    return (
        certificate is not None
        and getattr(user, "is_authenticated", False)
        and certificate.holder_id is not None
        and certificate.holder_id == user.pk
    )


rules.add_perm("core.issue_certificate", is_secretariat | _kind_allows("can_issue"))
rules.add_perm("core.revoke_certificate", is_secretariat | _kind_allows("can_revoke"))
rules.add_perm("core.download_certificate", holds_certificate | is_secretariat | _kind_allows("can_download"))
rules.add_perm("core.view_certificate", is_secretariat)


def require(user, permission: str, obj=None) -> None:
    """Raise ``Forbidden`` (a TansiqError) unless ``user`` holds ``permission`` (on ``obj``)."""
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
