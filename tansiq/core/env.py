"""Typed readers for ``TANSIQ_*`` environment variables.

Imported by settings before Django is configured. A malformed value stops the process
with a message that names the variable, rather than being silently replaced by a default.
"""

from __future__ import annotations

import os
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off"}


def _raw(name: str) -> str | None:
    return os.environ.get(name)


def env_str(name: str, default: str = "") -> str:
    value = _raw(name)
    return default if value is None else value.strip()


def env_bool(name: str, default: bool = False) -> bool:
    value = _raw(name)
    if value is None or not value.strip():
        # An empty value means "not set": TANSIQ_REQUIRE_STAFF_MFA= must not silently turn a guard off.
        return default
    lowered = value.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name} must be true or false, not {value!r}")


def env_int(name: str, default: int, *, minimum: int | None = None) -> int:
    value = _raw(name)
    if value is None or not value.strip():
        return default
    try:
        number = int(value.strip())
    except ValueError:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}") from None
    if minimum is not None and number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}, not {number}")
    return number


def env_list(name: str, default: list[str] | None = None) -> list[str]:
    value = _raw(name)
    if value is None:
        return list(default or [])
    return [item.strip() for item in value.split(",") if item.strip()]


def env_choice(name: str, choices: list[str], default: str) -> str:
    value = env_str(name, default).lower()
    if value not in choices:
        raise ImproperlyConfigured(f"{name} must be one of {', '.join(choices)}, not {value!r}")
    return value


def env_secret(name: str, default: str = "") -> str:
    """Read ``NAME``, or the contents of the file named by ``NAME_FILE`` (Docker/systemd secrets)."""
    file_name = _raw(f"{name}_FILE")
    if file_name:
        path = Path(file_name)
        if not path.is_file():
            raise ImproperlyConfigured(f"{name}_FILE points to {file_name!r}, which is not a readable file")
        return path.read_text(encoding="utf-8").strip()
    return env_str(name, default)


REDIS_SCHEMES = ("redis", "rediss", "unix")


def redis_url(name: str) -> str:
    """A Redis address (``redis://``, ``rediss://`` with TLS, ``unix://`` for a socket), or "" when
    unset; a password may come from ``NAME_FILE`` like any secret."""
    value = env_secret(name)
    scheme = value.split("://", 1)[0].lower() if "://" in value else ""
    if value and scheme not in REDIS_SCHEMES:
        shown = value.split("@")[-1]  # never echo a password
        raise ImproperlyConfigured(f"{name} must be a redis://, rediss:// or unix:// address, not {shown!r}")
    return value
