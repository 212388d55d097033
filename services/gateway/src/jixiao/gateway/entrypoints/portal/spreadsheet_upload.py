"""A spreadsheet posted to a desk page (field `file`): the content and its format, or why it
cannot be taken, in the reader's language. Shared by the scheme desk's table imports and the
departments' score sheets."""
from __future__ import annotations

from pathlib import PurePosixPath

from flask import request
from flask_babel import gettext

from jixiao.common.spreadsheets import FORMATS


def posted_spreadsheet(max_bytes: int) -> tuple[bytes, str, str]:
    """(content, format, problem): the problem is "" when the file can be read; the size is
    checked by reading at most one byte more than `max_bytes`."""
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        return b"", "", gettext("Choose a file to upload.")
    file_format = PurePosixPath(upload.filename).suffix.lower().lstrip(".")
    if file_format not in FORMATS:
        return b"", file_format, gettext("Upload a spreadsheet: an .xlsx or .csv file.")
    content = upload.read(max_bytes + 1)
    if len(content) > max_bytes:
        return b"", file_format, gettext("The file is too large.")
    return content, file_format, ""
