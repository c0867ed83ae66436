"""Assertions shared by permission tests."""

from __future__ import annotations

from collections.abc import Iterable

# A page or operation reserved to a role (the audit log, the admission queue, the member import),
# or a change the rules refuse on an object the caller may see: there is nothing to hide, so 403.
ROLE_REFUSED = (302, 401, 403)


def assert_refused(
    client, user, requests: Iterable[str | tuple[str, str] | tuple[str, str, dict]], *, allowed=(302, 401, 404)
) -> None:
    """Each request (a URL for GET, (method, url), or (method, url, body) for an API call whose body
    is sent as JSON) is refused to ``user`` (None = a visitor).

    Refused means: redirected to sign in (visitors only), 401 (visitors only), or 404 — an object
    outside the caller's scope is answered exactly as one that does not exist, never 403, which
    would tell that it exists. Pass ``allowed=(403,)`` for a change the rules refuse on an object
    the caller may see.
    """
    client.logout()
    if user is not None:
        client.force_login(user)
    failures = []
    for item in requests:
        method, url, *body = ("get", item) if isinstance(item, str) else item
        if body:
            response = getattr(client, method.lower())(url, body[0], content_type="application/json")
        else:
            response = getattr(client, method.lower())(url)
        status = response.status_code
        if status == 302:
            location = response.get("Location", "")
            if user is not None or "/accounts/login/" not in location:
                failures.append(f"{method.upper()} {url}: redirected to {location}")
            continue
        if status == 401 and user is not None:
            failures.append(f"{method.upper()} {url}: 401 to someone signed in")
        elif status not in allowed:
            failures.append(f"{method.upper()} {url}: {status}")
    assert not failures, f"Not refused to {user or 'a visitor'}:\n" + "\n".join(failures)


def with_mfa(user):
    """Give ``user`` a TOTP authenticator, as platform staff must have before doing anything."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    return user
