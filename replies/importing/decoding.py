"""Bytes to text: only UTF-8 is accepted, and a file in Big5 or GBK is named as such with the fix."""

from __future__ import annotations

import re

from .records import ParseError

_BINARY = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")


def decode_file(data: bytes) -> str:
    """The file's text.  Only UTF-8 is accepted: Big5, GBK or binary data raise ParseError."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise ParseError(
            line,
            f"not UTF-8 text (byte 0x{data[error.start]:02x} at offset {error.start}): "
            f"expected the UTF-8 text extracted from the PDF{_legacy_encoding_hint(data)}",
        ) from None
    reject_binary(text)
    return text


def _legacy_encoding_hint(data: bytes) -> str:
    """Name Big5 or GBK when the whole file reads as plain text in exactly one of them, and say how to convert it."""
    readable = []
    for name in ("Big5", "GBK"):
        try:
            text = data.decode(name)
        except UnicodeDecodeError:
            continue
        if not _BINARY.search(text):
            readable.append(name)
    if len(readable) != 1:
        return ""
    return f"; the file reads as {readable[0]}: convert it first, e.g. iconv -f {readable[0].upper()} -t UTF-8"


def reject_binary(text: str, allowed: str = "") -> None:
    """ParseError at the first control character; `allowed` ones pass (the PDF import's cell separator, which
    decode_file still refuses in a text file)."""
    match = next((found for found in _BINARY.finditer(text) if found.group() not in allowed), None)
    if match:
        line = text.count("\n", 0, match.start()) + 1
        raise ParseError(
            line, f"not UTF-8 text: control character U+{ord(match.group()):04X} (binary data?), expected plain text"
        )
