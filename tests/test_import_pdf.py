"""Importing a reply PDF (tests/data/itib-2023-24-sample.pdf, made by tools/reply_pdfs.py from 30 bundled replies
with python-docx and LibreOffice) gives the records the bundled text gives; a dry run changes nothing; broken PDFs
are refused in one line and leave the database as it was."""

from __future__ import annotations

import io
import re

import pytest
from django.core.management import CommandError, call_command
from PIL import Image

from replies.importing.parser import parse_file
from replies.importing.cleaning import KNOWN_CELL_SEPARATOR, clean_section
from replies.importing.pdf import _joined_cell, _one_header_row, read_reply_file, with_pdf_pages
from replies.models import Reply, SourceFile
from replies.tables import tables_of
from search import normalise_for_search
from tools.live_server import ROOT

PDF = ROOT / "tests" / "data" / "itib-2023-24-sample.pdf"
BROKEN = ROOT / "tests" / "data" / "broken"
FIELDS = ("question_serial", "member", "legco_reference", "head_number", "head_name", "subhead_code",
          "subhead_title", "programmes", "controlling_officer_title", "controlling_officer_name", "director_of_bureau")
PUBLIC = ("field", "caption", "header", "rows", "notes", "reconstructed")


def normalised(text: str) -> str:
    """search's normalisation, then no whitespace: the PDF and the text differ only in spaces by punctuation."""
    return re.sub(r"\s+", "", normalise_for_search(text))


def prose(text: str, tables: list[dict]) -> str:
    """The paragraphs of a field that no table was read from (their table is compared as a table)."""
    covered = {n for table in tables for n in range(table["chunks"][0], table["chunks"][1] + 1)}
    return normalised("".join(p for n, p in enumerate(text.split("\n\n")) if n not in covered))


def public(table: dict) -> dict:
    """The table as shown, its texts after search's normalisation (docs/SEARCH.md), as the issue compares text:
    the PDF's fonts give 金 where the text has its compatibility form U+F90A, and a note the generator printed as
    a paragraph (``# | 只備英文版本``) loses the space before the Chinese that the text's note kept."""
    def normal(value):
        return normalise_for_search(value) if isinstance(value, str) else [normal(item) for item in value]
    return {key: table[key] if key in ("field", "reconstructed") else normal(table[key]) for key in PUBLIC}


@pytest.fixture(scope="module")
def from_pdf():
    text, pages = read_reply_file(PDF, PDF.read_bytes())
    return with_pdf_pages(parse_file(text, PDF.name), pages), pages


@pytest.fixture(scope="module")
def from_text():
    bundled = ROOT / "fixtures" / "itib-2023-24.txt"
    return {r.serial: r for r in parse_file(bundled.read_text(encoding="utf-8"), bundled.name).replies}


def test_every_reply_of_the_pdf_matches_the_bundled_text(from_pdf, from_text):
    parsed, _ = from_pdf
    assert len(parsed.replies) == 30 and not parsed.discrepancies
    assert {"ITIB010", "ITIB111", "ITIB190", "ITIB205"} <= {r.serial for r in parsed.replies}
    for got in parsed.replies:
        want = from_text[got.serial]
        assert [getattr(got, f) for f in FIELDS] == [getattr(want, f) for f in FIELDS], got.serial
        want_tables, got_tables = (tables_of(r.question, r.reply) for r in (want, got))
        assert normalised(got.question) == normalised(want.question), got.serial
        assert prose(got.reply, [t for t in got_tables if t["field"] == "reply"]) == prose(
            want.reply, [t for t in want_tables if t["field"] == "reply"]), got.serial
        assert [public(t) for t in got_tables] == [public(t) for t in want_tables], got.serial


def test_source_page_is_the_printed_page_where_the_reply_starts(from_pdf):
    parsed, _ = from_pdf
    pages = [r.source_page for r in parsed.replies]
    assert pages[0] == 1 and pages == sorted(set(pages))
    assert parsed.year == "2023-24" and parsed.session == 17


@pytest.mark.django_db
def test_import_command_reads_the_pdf():
    count = Reply.objects.count()  # the bundled text's replies, seeded: the PDF's 30 update theirs
    call_command("import_replies", str(PDF), stdout=io.StringIO())
    assert Reply.objects.count() == count
    reply = Reply.objects.get(serial="ITIB190")
    assert reply.source_file == PDF.name and reply.source_page > 1 and reply.tables


@pytest.mark.django_db
def test_dry_run_reports_new_changed_and_unchanged_and_changes_nothing():
    before = list(Reply.objects.order_by("pk").values_list("pk", "source_file", "source_page", "reply"))
    out = io.StringIO()
    call_command("import_replies", str(PDF), "--dry-run", stdout=out)
    assert "new: 0" in out.getvalue() and "changed: 30" in out.getvalue()  # source file and pages differ
    assert list(Reply.objects.order_by("pk").values_list("pk", "source_file", "source_page", "reply")) == before
    assert not SourceFile.objects.filter(name=PDF.name).exists()
    call_command("import_replies", str(PDF), stdout=io.StringIO())
    Reply.objects.filter(serial="ITIB010").update(reply="edited by hand")
    out = io.StringIO()
    call_command("import_replies", str(PDF), "--dry-run", stdout=out)
    report = out.getvalue()
    assert "changed: 1 (ITIB010)" in report and "unchanged: 29" in report and "new: 0" in report
    assert "discrepancies between the index and the bodies: none" in report
    assert "tables kept as their source lines:" in report
    assert Reply.objects.get(serial="ITIB010").reply == "edited by hand"


def test_cells_the_pdf_drew_stay_cells():
    """A long or punctuated cell is not prose, an empty one keeps the columns in place (ends are left out)."""
    row = KNOWN_CELL_SEPARATOR.join(["", "投資或其他收入(億元)開支(億元)，註：截至2023年3月", "", "36.47", ""])
    assert clean_section(["", row, " "]) == "投資或其他收入(億元)開支(億元)，註：截至2023年3月 |  | 36.47"


def test_a_two_level_header_is_one_row_of_labels_from_the_merged_cells():
    rows = [["", "個案數目", None, "總計"], [None, "2020年", "2021年", None], ["查詢", "1", "2", "3"]]
    assert _one_header_row(rows) == [["", "個案數目（2020年）", "個案數目（2021年）", "總計"], ["查詢", "1", "2", "3"]]
    assert _one_header_row([["年度", "人數"], ["2020", "3"]]) == [["年度", "人數"], ["2020", "3"]]


def test_a_word_cut_because_it_did_not_fit_its_cell_is_joined_without_a_space():
    """Word prints the space it wraps at; a line of one word without it was cut inside that word."""
    assert _joined_cell("MyMapH\nK #") == "MyMapHK #"
    assert _joined_cell("RTHK \nNews #") == "RTHK News #"
    assert _joined_cell("Wi-Fi .HK\n#") == "Wi-Fi .HK #"
    assert _joined_cell("Reading \nTown 2及\nReading") == "Reading Town 2及Reading"


def image_only_pdf() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (300, 400), "white").save(buffer, "PDF")
    return buffer.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("name, make, message", [
    ("truncated.pdf", lambda: PDF.read_bytes()[: PDF.stat().st_size // 3], "damaged or truncated"),
    ("encrypted.pdf", lambda: (BROKEN / "encrypted.pdf").read_bytes(), "encrypted"),
    ("scan.pdf", image_only_pdf, "no text"),
    ("empty.pdf", lambda: b"", "empty file"),
    ("minutes.pdf", lambda: (BROKEN / "not-replies.pdf").read_bytes(), "no index table"),
])
def test_broken_pdfs_are_refused_in_one_line_and_change_nothing(tmp_path, name, make, message):
    call_command("import_replies", str(PDF), stdout=io.StringIO())
    before = list(Reply.objects.order_by("pk").values_list("pk", "serial", "reply", "source_page"))
    sources = list(SourceFile.objects.values_list("name", "sha256"))
    path = tmp_path / name
    path.write_bytes(make())
    with pytest.raises(CommandError) as error:
        call_command("import_replies", str(path), stdout=io.StringIO())
    text = str(error.value)
    assert "\n" not in text and str(path) in text and message in text and "nothing was imported" in text
    assert list(Reply.objects.order_by("pk").values_list("pk", "serial", "reply", "source_page")) == before
    assert list(SourceFile.objects.values_list("name", "sha256")) == sources
