"""A reply file's bytes as a ParsedFile: the one reading path the command and the admin's upload share."""

from __future__ import annotations

from pathlib import Path

from replies.importing.parser import parse_file
from replies.importing.pdf import read_reply_file, with_pdf_pages
from replies.importing.records import ParsedFile


def parse_reply_file(name: str, data: bytes) -> ParsedFile:
    """Parse a PDF or its extracted text; raises PdfError or ParseError for a file that is not a reply file."""
    text, pages = read_reply_file(Path(name), data)
    parsed = parse_file(text, name)
    if pages is not None:
        with_pdf_pages(parsed, pages)
    return parsed
