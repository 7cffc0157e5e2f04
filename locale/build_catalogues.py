"""Fill the zh_Hant catalogue from zh_hant_translations.py and compile every .po to .mo, in pure Python.

Run after `manage.py makemessages -l zh_Hant -l en` (which needs GNU gettext, a developer's tool only):
    .venv/bin/python locale/build_catalogues.py
The compiled .mo files are committed, so the portal needs no gettext tools where it runs.
"""

from __future__ import annotations

import ast
import struct
import sys
from pathlib import Path

LOCALE = Path(__file__).resolve().parent
sys.path.insert(0, str(LOCALE))
from zh_hant_translations import TRANSLATIONS  # noqa: E402

ZH_PLURAL_FORMS = "nplurals=1; plural=0;"


def parse_po(text: str) -> list[dict]:
    """Entries as dicts: comments (list), and the keywords msgctxt, msgid, msgid_plural, msgstr, msgstr[n]."""
    entries, entry, keyword = [], None, None
    for line in text.splitlines() + [""]:
        stripped = line.strip()
        if not stripped:
            if entry:
                entries.append(entry)
            entry, keyword = None, None
            continue
        entry = entry or {"comments": []}
        if stripped.startswith("#"):
            entry["comments"].append(line)
        elif stripped.startswith('"'):
            entry[keyword] += ast.literal_eval(stripped)
        else:
            keyword, _, value = stripped.partition(" ")
            entry[keyword] = ast.literal_eval(value)
    return entries


def quote(value: str) -> str:
    return '"' + value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\t", "\\t") + '"'


def write_po(entries: list[dict]) -> str:
    blocks = []
    for entry in entries:
        lines = list(entry["comments"])
        for keyword, value in entry.items():
            if keyword != "comments":
                lines.append(f"{keyword} {quote(value)}")
        blocks.append("\n".join(lines))
    return "\n\n".join(blocks) + "\n"


def fill_zh_hant(entries: list[dict]) -> list[str]:
    """Put in every translation; returns the msgids still untranslated."""
    missing = []
    for entry in entries:
        msgid = entry.get("msgid", "")
        if not msgid:
            entry["msgstr"] = _with_plural_forms(entry["msgstr"])
            entry["comments"] = [c for c in entry["comments"] if not c.startswith("#, fuzzy")]
            continue
        entry["comments"] = [c for c in entry["comments"] if not c.startswith("#, fuzzy")]
        if "msgid_plural" in entry:
            translation = TRANSLATIONS.get((msgid, entry["msgid_plural"]))
            for key in [k for k in entry if k.startswith("msgstr[")]:
                del entry[key]
            entry["msgstr[0]"] = translation or ""
        else:
            translation = TRANSLATIONS.get(msgid)
            entry["msgstr"] = translation or ""
        if not translation:
            missing.append(msgid)
    return missing


def _with_plural_forms(header: str) -> str:
    lines = [line for line in header.split("\n") if line and not line.startswith("Plural-Forms:")]
    lines = [line.replace("CHARSET", "UTF-8") for line in lines]
    lines = ["Language: zh_Hant" if line.startswith("Language:") else line for line in lines]
    return "\n".join(lines + [f"Plural-Forms: {ZH_PLURAL_FORMS}"]) + "\n"


def compile_mo(entries: list[dict]) -> bytes:
    """GNU .mo bytes (little endian, no hash table); untranslated and fuzzy entries are left out."""
    messages = {}
    for entry in entries:
        if any(c.startswith("#, fuzzy") for c in entry["comments"]) and entry.get("msgid"):
            continue
        key = entry.get("msgid", "")
        if "msgid_plural" in entry:
            key += "\0" + entry["msgid_plural"]
            forms = [entry[k] for k in sorted(k for k in entry if k.startswith("msgstr["))]
            value = "\0".join(forms) if any(forms) else ""
        else:
            value = entry.get("msgstr", "")
        if "msgctxt" in entry:
            key = entry["msgctxt"] + "\x04" + key
        if value:
            messages[key.encode()] = value.encode()
    keys = sorted(messages)
    header_size = 7 * 4
    originals_at = header_size
    translations_at = originals_at + len(keys) * 8
    data_at = translations_at + len(keys) * 8
    originals, translations, data = [], [], b""
    for key in keys:
        originals.append((len(key), data_at + len(data)))
        data += key + b"\0"
    for key in keys:
        value = messages[key]
        translations.append((len(value), data_at + len(data)))
        data += value + b"\0"
    output = struct.pack("<7I", 0x950412DE, 0, len(keys), originals_at, translations_at, 0, 0)
    for length, offset in originals + translations:
        output += struct.pack("<2I", length, offset)
    return output + data


def main() -> int:
    zh_po = LOCALE / "zh_Hant" / "LC_MESSAGES" / "django.po"
    entries = parse_po(zh_po.read_text(encoding="utf-8"))
    missing = fill_zh_hant(entries)
    zh_po.write_text(write_po(entries), encoding="utf-8")
    for po in sorted(LOCALE.glob("*/LC_MESSAGES/*.po")):
        po.with_suffix(".mo").write_bytes(compile_mo(parse_po(po.read_text(encoding="utf-8"))))
        print(f"compiled {po.relative_to(LOCALE)}")
    for msgid in missing:
        print(f"untranslated: {msgid!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
