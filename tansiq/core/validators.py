"""Checks every upload passes before it is stored."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _


@deconstructible
class MaxUploadSize:
    """Refuse files larger than ``TANSIQ_MAX_UPLOAD_MB`` (read when validating, so tests can change it)."""

    def __call__(self, file) -> None:
        limit = settings.TANSIQ_MAX_UPLOAD_MB * 1024 * 1024
        if file.size > limit:
            raise ValidationError(
                _("The file is %(size)s MB; the largest allowed is %(limit)s MB."),
                code="file_too_large",
                params={"size": round(file.size / 1024 / 1024, 1), "limit": settings.TANSIQ_MAX_UPLOAD_MB},
            )

    def __eq__(self, other) -> bool:
        return isinstance(other, MaxUploadSize)
