"""Admission documents: what an upload must be before it is stored, where it is stored, how it is read.

A file is judged by its content, not its name: a PDF starts with ``%PDF-``, an image must open in
Pillow as JPEG or PNG, and the name's extension (and the content type the sender declares, when it
declares one) must say the same thing the content does. Pages and API both call
``validate_document`` and ``download``: there is one check and one way out.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.http import FileResponse, Http404
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _

from tansiq.core.validators import MaxUploadSize

#: The documents an application carries, by field name. (The application form itself is the
#: online form, not an upload.)
KINDS = ("board_resolution", "registration_certificate")

ALLOWED = {"pdf": "pdf", "jpg": "jpeg", "jpeg": "jpeg", "png": "png"}
CONTENT_TYPES = {"pdf": "application/pdf", "jpeg": "image/jpeg", "png": "image/png"}
# What senders declare for each kind (older browsers and mail clients use the aliases).
DECLARED = {
    "pdf": {"application/pdf", "application/x-pdf"},
    "jpeg": {"image/jpeg", "image/jpg", "image/pjpeg"},
    "png": {"image/png", "image/x-png"},
}
# Declarations that say nothing about the content: a program that does not know sends these.
UNDECLARED = {"", "application/octet-stream", "binary/octet-stream", "application/x-download"}


class PrivateFileStorage(FileSystemStorage):
    """A sibling of MEDIA_ROOT that no URL serves: documents are read through a checking view."""

    def __init__(self) -> None:
        super().__init__(base_url=None)

    @cached_property
    def base_location(self) -> str:
        # Cleared with the other cached paths when MEDIA_ROOT changes (tests move it).
        return str(Path(settings.MEDIA_ROOT).parent / "private")


def private_storage() -> Storage:
    """The private store (``STORAGES["private"]``): on disk, a directory no URL serves; on S3, the
    bucket's private/ prefix, never made public. Its files reach people only through views that
    check permission first (``download``)."""
    return storages["private"]


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
    kind = ALLOWED[extension]
    declared = (getattr(file, "content_type", None) or "").split(";")[0].strip().lower()
    if sniff(file) != kind or (declared not in UNDECLARED and declared not in DECLARED[kind]):
        raise ValidationError(
            _("This file is not the PDF, JPEG or PNG its name says it is. Upload the original document."),
            code="file_content",
        )


def content_type_of(name: str) -> str:
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    return CONTENT_TYPES.get(ALLOWED.get(extension, ""), "application/octet-stream")


def download(application, kind: str) -> FileResponse:
    """One of an application's documents as an attachment, or 404 when there is none of that kind.

    The caller has already checked that the user may see the application (pages and API alike):
    this only shapes the answer so that a browser neither displays nor guesses the content.
    """
    if kind not in KINDS or not getattr(application, kind):
        raise Http404
    document = getattr(application, kind)
    response = FileResponse(
        document.open("rb"), as_attachment=True, filename=f"{kind}.{document.name.rsplit('.', 1)[-1]}"
    )
    response["Content-Type"] = content_type_of(document.name)
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
