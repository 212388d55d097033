"""Work reports (述职报告): what a file must be to be stored.

"各被考核单位要…形成高质量述职报告": a unit's leadership team, or one of its leaders, hands in a
report for a period as a file. The file is accepted when:

- it is not empty and at most ``MAX_BYTES`` (10 MiB);
- its name, without any folder part, has 1–200 characters and no control characters, and
  ends in ``.pdf`` or ``.docx`` (case does not matter);
- its content is what the name says: a PDF starts with ``%PDF-``; a DOCX is a ZIP archive
  holding ``[Content_Types].xml`` and ``word/document.xml`` (only the archive's directory is
  read, nothing is unpacked). A ``.doc`` or ``.docx`` that is really something else is refused.

Its media type follows from the check, and it is kept with the SHA-256 of its bytes, so a
copy can be checked against the stored one. Pure functions, no storage.
"""
from __future__ import annotations

import hashlib
import io
import unicodedata
import zipfile
from dataclasses import dataclass

MAX_BYTES = 10 * 1024 * 1024
MAX_NAME = 200
PDF = "application/pdf"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
_KINDS = {".pdf": PDF, ".docx": DOCX}
_DOCX_PARTS = ("[Content_Types].xml", "word/document.xml")


class ReportRefused(ValueError):
    """The file cannot be stored: `field` names the request field, the message says why."""

    def __init__(self, field: str, problem: str):
        super().__init__(f"{field}: {problem}")
        self.field = field
        self.problem = problem


@dataclass(frozen=True)
class CheckedReport:
    file_name: str
    media_type: str
    size_bytes: int
    sha256: str


def file_name_of(name: str) -> str:
    """The name without folder parts, checked."""
    base = name.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not base:
        raise ReportRefused("file_name", "is required (e.g. 述职报告.pdf)")
    if len(base) > MAX_NAME:
        raise ReportRefused("file_name", f"at most {MAX_NAME} characters")
    if any(unicodedata.category(ch).startswith("C") for ch in base):
        raise ReportRefused("file_name", "must not contain control characters")
    return base


def check(file_name: str, content: bytes) -> CheckedReport:
    """The stored report's name, media type, size and digest; ReportRefused otherwise."""
    name = file_name_of(file_name)
    suffix = "." + name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if suffix not in _KINDS:
        raise ReportRefused("file_name", f"{name}: a work report must be a .pdf or .docx file")
    if not content:
        raise ReportRefused("content", "the file is empty")
    if len(content) > MAX_BYTES:
        raise ReportRefused("content", f"the file has {len(content):,} bytes; at most {MAX_BYTES:,} (10 MiB)")
    media_type = _KINDS[suffix]
    if media_type == PDF and not content.startswith(b"%PDF-"):
        raise ReportRefused("content", f"{name} is not a PDF file (it does not start with %PDF-)")
    if media_type == DOCX and not _is_docx(content):
        raise ReportRefused("content", f"{name} is not a Word (.docx) document")
    return CheckedReport(name, media_type, len(content), hashlib.sha256(content).hexdigest())


def _is_docx(content: bytes) -> bool:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return False
    return all(part in names for part in _DOCX_PARTS)
