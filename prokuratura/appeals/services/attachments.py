"""Attachments: checked by what the bytes are, not by the name, and stored through Django's storage API.

The sniffed type must be one the service accepts *and* agree with the file's extension, so a program renamed
to "letter.pdf" is refused. Limits come from the rules table (attachment_max_mb, attachment_max_count).
"""

from __future__ import annotations

import hashlib
import os
import zipfile
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils import timezone
from django.utils.translation import gettext as _

from prokuratura.core.actors import Actor, user_or_none

from ..models import Appeal, AppealAttachment
from ..rules import rule

# extension → the type its bytes must show
EXTENSION_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".tif": "image/tiff",
    ".tiff": "image/tiff",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".odt": "application/vnd.oasis.opendocument.text",
    ".doc": "application/msword",
    ".txt": "text/plain",
}


def _zip_kind(upload: UploadedFile) -> str | None:
    try:
        with zipfile.ZipFile(upload) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                mimetype = archive.read("mimetype").decode("ascii", "replace").strip()
                return mimetype if mimetype == "application/vnd.oasis.opendocument.text" else None
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return EXTENSION_TYPES[".docx"]
                if any(n.startswith("xl/") for n in names):
                    return EXTENSION_TYPES[".xlsx"]
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return None


def sniff_type(upload: UploadedFile) -> str | None:
    """The type the file's bytes show, or None when it is nothing the service accepts."""
    upload.seek(0)
    head = upload.read(4096)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head[:4] in (b"II*\x00", b"MM\x00*"):
        return "image/tiff"
    if head.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):
        return "application/msword"
    if head.startswith(b"PK\x03\x04"):
        kind = _zip_kind(upload)
        upload.seek(0)
        return kind
    if b"\x00" not in head:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError as exc:
            # A multi-byte character cut at the 4096-byte boundary is still text.
            if exc.start < len(head) - 4:
                return None
        return "text/plain"
    return None


@dataclass(frozen=True)
class CheckedFile:
    upload: UploadedFile
    name: str
    content_type: str
    size: int


def attachment_check(*, upload: UploadedFile) -> CheckedFile:
    """Refuse a file that is too large, of a type the service does not take, or disguised as another type."""
    name = os.path.basename(upload.name or "file")[:255]
    max_mb = rule("attachment_max_mb")
    if upload.size is None or upload.size > max_mb * 1024 * 1024:
        raise ValidationError(
            _("“%(name)s” is larger than %(max)d MB.") % {"name": name, "max": max_mb}, code="too_large"
        )
    if upload.size == 0:
        raise ValidationError(_("“%(name)s” is empty.") % {"name": name}, code="empty")
    expected = EXTENSION_TYPES.get(os.path.splitext(name)[1].lower())
    if expected is None:
        raise ValidationError(
            _(
                "“%(name)s”: only PDF, images (PNG, JPEG, TIFF), Word, OpenDocument, Excel and text files are accepted."
            )
            % {"name": name},
            code="type",
        )
    actual = sniff_type(upload)
    if actual != expected:
        raise ValidationError(
            _("“%(name)s” is not what its name says: its contents are not a %(ext)s file.")
            % {"name": name, "ext": os.path.splitext(name)[1].lower().lstrip(".").upper()},
            code="disguised",
        )
    return CheckedFile(upload=upload, name=name, content_type=expected, size=upload.size)


def attachments_check(*, uploads: list[UploadedFile], existing: int = 0) -> list[CheckedFile]:
    limit = rule("attachment_max_count")
    if existing + len(uploads) > limit:
        raise ValidationError(_("At most %(max)d files may be attached.") % {"max": limit}, code="too_many")
    checked, errors = [], []
    for upload in uploads:
        try:
            checked.append(attachment_check(upload=upload))
        except ValidationError as exc:
            errors.extend(exc.messages)
    if errors:
        raise ValidationError(errors)
    return checked


def attachment_store(*, appeal: Appeal, checked: CheckedFile, by: Actor) -> AppealAttachment:
    """Save one checked file (call inside the service's transaction)."""
    digest = hashlib.sha256()
    checked.upload.seek(0)
    for chunk in checked.upload.chunks():
        digest.update(chunk)
    checked.upload.seek(0)
    attachment = AppealAttachment(
        appeal=appeal,
        original_name=checked.name,
        content_type=checked.content_type,
        size=checked.size,
        sha256=digest.hexdigest(),
        uploaded_by=user_or_none(by),
        created_at=timezone.now(),
    )
    extension = os.path.splitext(checked.name)[1].lower()
    # The stored name is the digest, never the applicant's file name.
    attachment.file.save(f"{attachment.sha256[:32]}{extension}", checked.upload, save=False)
    attachment.save()
    return attachment
