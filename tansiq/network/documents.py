"""Admission documents: what an upload must be before it is stored, and where it is stored.

A file is judged by its content, not its name: a PDF starts with ``%PDF-``, an image must open in
Pillow as JPEG or PNG, and the name's extension must say the same thing the content does.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from tansiq.core.validators import MaxUploadSize

ALLOWED = {"pdf": "pdf", "jpg": "jpeg", "jpeg": "jpeg", "png": "png"}
CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}


class PrivateFileStorage(FileSystemStorage):
    """A sibling of MEDIA_ROOT that no URL serves: documents are read through a checking view."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @cached_property
    def base_location(self) -> str:
        # Cleared with the other cached paths when MEDIA_ROOT changes (tests move it).
        return str(Path(settings.MEDIA_ROOT).parent / "private")


@cache
def _file_storage() -> PrivateFileStorage:
    return PrivateFileStorage()


def private_storage() -> Storage:
    # An object store without public ACLs is private already (signed, expiring URLs are never handed
    # out here); on a plain disk the files go outside MEDIA_ROOT.
    if getattr(settings, "S3_BUCKET", ""):
        return default_storage
    return _file_storage()


def sniff(file) -> str | None:
    """``pdf``, ``jpeg`` or ``png`` by content, or None."""
    file.seek(0)
    head = file.read(8)
    file.seek(0)
    if head.startswith(b"%PDF-"):
        return "pdf"
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(file) as image:
            kind = (image.format or "").lower()
            image.verify()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        return None
    finally:
        file.seek(0)
    return kind if kind in ("jpeg", "png") else None


def validate_document(file) -> None:
    """Refuse anything but a PDF, JPEG or PNG that is what its name says, within the size limit."""
    MaxUploadSize()(file)
    name = getattr(file, "name", "") or ""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in ALLOWED:
        raise ValidationError(_("Upload a PDF, JPEG or PNG file."), code="file_type")
    if sniff(file) != ALLOWED[extension]:
        raise ValidationError(
            _("This file is not the PDF, JPEG or PNG its name says it is. Upload the original document."),
            code="file_content",
        )


def content_type_of(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return CONTENT_TYPES.get(ALLOWED.get(extension, ""), "application/octet-stream")
