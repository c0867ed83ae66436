"""Every write to accounts: profiles and personal access tokens."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tansiq.accounts.models import PersonalAccessToken, User, hash_token
from tansiq.core import audit
from tansiq.core.errors import Forbidden, TansiqError
from tansiq.core.rules import require

MAX_ACTIVE_TOKENS = 20
PROFILE_FIELDS = ("display_name", "language", "time_zone", "show_hijri", "hijri_region", "digits")


def update_profile(user: User, *, by: User, **values) -> User:
    """A person edits their own profile (preferences take effect on the next page)."""
    if by.pk != user.pk:
        require(by, "accounts.change_user", user)
    changed = {}
    for name, value in values.items():
        if name not in PROFILE_FIELDS:
            raise TansiqError(_("Unknown field."), field=name)
        if getattr(user, name) != value:
            changed[name] = {"from": getattr(user, name), "to": value}
            setattr(user, name, value)
    if not changed:
        return user
    user.full_clean(exclude=["password"])
    with transaction.atomic():
        user.save(update_fields=list(changed))
        # Field names only: the log outlives the profile and must not keep a person's old details.
        audit.record("update", by=by, obj=user, changes={"fields": sorted(changed)})
    return user


def create_token(
    user: User, *, by: User, name: str, scope: str, expires_in_days: int | None = None
) -> tuple[PersonalAccessToken, str]:
    """Create a token and return it with its raw value, which is shown once and never stored."""
    if by.pk != user.pk:
        raise TansiqError(_("You can only create tokens for yourself."))
    if staff_without_mfa(user):
        # A token would otherwise be a way round the rule that staff act only with MFA.
        raise Forbidden(
            _("Your role requires two-factor authentication. Please turn it on to continue."), code="mfa_required"
        )
    name = name.strip()
    if not name:
        raise TansiqError(_("Give the token a name so you can recognise it later."), field="name")
    if scope not in PersonalAccessToken.Scope.values:
        raise TansiqError(_("Choose read or read-write."), field="scope")
    with transaction.atomic():
        if PersonalAccessToken.objects.filter(user=user).active().count() >= MAX_ACTIVE_TOKENS:
            raise TansiqError(
                _("You already have %(count)d active tokens. Revoke one you no longer use first.")
                % {"count": MAX_ACTIVE_TOKENS}
            )
        raw = PersonalAccessToken.generate()
        token = PersonalAccessToken.objects.create(
            user=user,
            name=name[:100],
            scope=scope,
            token_hash=hash_token(raw),
            hint=raw[:8],
            expires_at=timezone.now() + dt.timedelta(days=expires_in_days) if expires_in_days else None,
        )
        audit.record("create", by=by, obj=token, changes={"scope": scope, "name": token.name})
    return token, raw


def revoke_token(token: PersonalAccessToken, *, by: User) -> PersonalAccessToken:
    require(by, "accounts.revoke_token", token)
    with transaction.atomic():
        token = PersonalAccessToken.objects.select_for_update().get(pk=token.pk)
        if token.revoked_at is None:
            token.revoked_at = timezone.now()
            token.save(update_fields=["revoked_at"])
            audit.record("update", by=by, obj=token, changes={"revoked": True})
    return token


def staff_without_mfa(user: User) -> bool:
    """Platform staff who have not turned on two-factor authentication, which their role requires."""
    from allauth.mfa.utils import is_mfa_enabled
    from django.conf import settings

    return bool(
        settings.TANSIQ_REQUIRE_STAFF_MFA
        and user.is_authenticated
        and getattr(user, "is_platform_staff", False)
        and not is_mfa_enabled(user)
    )


def authenticate_token(raw: str) -> PersonalAccessToken | None:
    """The active token with this raw value, or None. Records when it was last used (per minute)."""
    if not raw or not raw.startswith("tsq_") or len(raw) > 100:
        return None
    token = (
        PersonalAccessToken.objects.active()
        .select_related("user")
        .filter(token_hash=hash_token(raw), user__is_active=True)
        .first()
    )
    if token is None:
        return None
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        PersonalAccessToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token
