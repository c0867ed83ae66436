"""Assertions shared by permission tests."""

from __future__ import annotations

from collections.abc import Iterable


def assert_refused(
    client, user, requests: Iterable[str | tuple[str, str] | tuple[str, str, dict]], *, allowed=(302, 401, 403, 404)
) -> None:
    """Each request (a URL for GET, (method, url), or (method, url, body) for an API call whose body
    is sent as JSON) is refused to ``user`` (None = a visitor).

    Refused means: redirected to sign in (visitors only), 401, 403 or 404, and never a 200 that
    would show or change something.
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
        if status not in allowed:
            failures.append(f"{method.upper()} {url}: {status}")
    assert not failures, f"Not refused to {user or 'a visitor'}:\n" + "\n".join(failures)


def with_mfa(user):
    """Give ``user`` a TOTP authenticator, as platform staff must have before doing anything."""
    from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret

    TOTP.activate(user, generate_totp_secret())
    return user
