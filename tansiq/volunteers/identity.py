"""A volunteer's identity number, encrypted at rest (Fernet, a key of its own purpose).

Only the volunteer's own export reads it in clear; every page shows it masked.
"""

from __future__ import annotations

from django.conf import settings

from tansiq.core.crypto import fernet
from tansiq.volunteers.models import VolunteerProfile

_IDENTITY_PURPOSE = "tansiq-volunteer-identity"


def _identity_fernet():
    return fernet(_IDENTITY_PURPOSE, settings.VOLUNTEER_DATA_KEY or None)


def encrypt_identity_number(number: str) -> str:
    return _identity_fernet().encrypt(number.encode()).decode()


def decrypt_identity_number(profile: VolunteerProfile) -> str:
    """The identity number in clear, for the volunteer's own export only."""
    if not profile.identity_number_encrypted:
        return ""
    return _identity_fernet().decrypt(profile.identity_number_encrypted.encode()).decode()
