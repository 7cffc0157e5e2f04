"""The admin's upload: check a file, keep it while the clerk reads its preview, import it on confirmation.

The reading, the preview and the saving are the command's own (reply_file.py, preview.py, save.py), so an
upload imports exactly what ``manage.py import_replies`` would.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from replies.importing.preview import ImportPreview, preview_import
from replies.importing.records import ParsedFile
from replies.importing.reply_file import parse_reply_file
from replies.importing.save import ImportSummary, file_digest, save_parsed_file
from replies.models import SourceFile, UploadedReplyFile

# A preview nobody confirmed is dropped when a later upload comes in, so abandoned files do not pile up.
ABANDONED_AFTER = timedelta(days=1)


@dataclass
class CheckedUpload:
    upload: UploadedReplyFile
    preview: ImportPreview


class DiscrepanciesNotAccepted(ValueError):
    """The file's index disagrees with its bodies and the clerk did not accept importing it as it is."""


def upload_name(name: str) -> str:
    """The browser's file name without any folder part, short enough for SourceFile.name."""
    return Path(name.replace("\\", "/")).name[:300] or "upload"


def check_and_keep(name: str, data: bytes, user) -> CheckedUpload:
    """Parse first, store after: a file that is not a reply file raises PdfError or ParseError, stores nothing."""
    name = upload_name(name)
    parsed = parse_reply_file(name, data)
    preview = preview_import(parsed, name)
    UploadedReplyFile.objects.filter(
        source_file__isnull=True, uploaded_at__lt=timezone.now() - ABANDONED_AFTER
    ).delete()
    upload = UploadedReplyFile.objects.create(name=name, sha256=file_digest(data), content=bytes(data), uploaded_by=user)
    return CheckedUpload(upload, preview)


def pending_upload(pk: int) -> UploadedReplyFile | None:
    return UploadedReplyFile.objects.filter(pk=pk, source_file__isnull=True).first()


def import_upload(upload: UploadedReplyFile, *, allow_discrepancies: bool = False) -> ImportSummary:
    """The command's import, and the upload marked as the kept source file, in one transaction."""
    parsed: ParsedFile = parse_reply_file(upload.name, bytes(upload.content))
    if parsed.discrepancies and not allow_discrepancies:
        raise DiscrepanciesNotAccepted(len(parsed.discrepancies))
    with transaction.atomic():
        summary = save_parsed_file(parsed, source_name=upload.name, digest=upload.sha256)
        upload.source_file = SourceFile.objects.get(name=upload.name)
        upload.imported_at = timezone.now()
        upload.save(update_fields=["source_file", "imported_at"])
    return summary
