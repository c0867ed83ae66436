"""Symmetric encryption of small secrets kept in the database (Fernet, from ``cryptography``).

Each purpose has its own key, derived from a secret (by default the site's secret key), so a key
leaked for one purpose opens nothing else.
"""

from __future__ import annotations

import base64
import hashlib

from django.conf import settings


def fernet(purpose: str, secret: str | None = None):
    """The Fernet for ``purpose``, keyed by ``secret`` (default: ``SECRET_KEY``)."""
    from cryptography.fernet import Fernet

    key = hashlib.sha256(f"{purpose}:".encode() + (secret or settings.SECRET_KEY).encode()).digest()
    return Fernet(base64.urlsafe_b64encode(key))
