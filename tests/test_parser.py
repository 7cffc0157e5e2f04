"""The pure parser: the bundled session file, small synthetic files and malformed input.

No Django and no database.  Golden files pin whole records of a few replies; after a deliberate
change, regenerate them with `UPDATE_GOLDEN=1 pytest tests/test_parser.py` and read the diff
against the source text before committing.
"""

from __future__ import annotations

import dataclasses
import json
import os
import time
from pathlib import Path

import pytest

from replies.importing.cleaning import clean_section
from replies.importing.parser import decode_file, parse_file
from replies.importing.records import ParsedFile, ParseError, ProgrammeRef

TESTS = Path(__file__).parent
BUNDLED = TESTS.parent / "fixtures" / "itib-2023-24.txt"
GOLDEN = TESTS / "golden"
FSTB = TESTS / "data" / "fstb-tsy-2024-25.txt"
EDB = TESTS / "data" / "edb-2022-23.txt"
GOLDEN_SERIALS = ["ITIB001", "ITIB002", "ITIB010", "ITIB111", "ITIB237", "ITIB263"]


@pytest.fixture(scope="module")
def bundled() -> ParsedFile:
    return parse_file(decode_file(BUNDLED.read_bytes()), BUNDLED.name)


@pytest.fixture(scope="module")
def replies(bundled: ParsedFile) -> dict:
    return {reply.serial: reply for reply in bundled.replies}


def parse_text(text: str) -> ParsedFile:
    return parse_file(text, "synthetic.txt")


def fstb_text() -> str:
    return FSTB.read_text(encoding="utf-8")


# The bundled file ---------------------------------------------------------------------------


def test_bundled_file_parses_completely_without_discrepancy(bundled: ParsedFile):
    assert (bundled.year, bundled.session, bundled.bureau, bundled.serial_prefix) == (
        "2023-24",
        17,
        "創新科技及工業局局長",
        "ITIB",
    )
    assert len(bundled.index) == len(bundled.replies) == 263
    assert [reply.serial for reply in bundled.replies] == [f"ITIB{number:03d}" for number in range(1, 264)]
    assert len({reply.member for reply in bundled.replies}) == 58
    assert {reply.head_number for reply in bundled.replies} == {47, 111, 135, 155}
    assert bundled.discrepancies == []


def test_every_reply_equals_its_index_row(bundled: ParsedFile):
    index = {entry.serial: entry for entry in bundled.index}
    for reply in bundled.replies:
        entry = index[reply.serial]
        assert (reply.question_serial, reply.member, reply.head_number, reply.programmes) == (
            entry.question_serial,
            entry.member,
            entry.head_number,
            entry.programmes,
        ), reply.serial


@pytest.mark.parametrize("serial", GOLDEN_SERIALS)
def test_golden_records(replies: dict, serial: str):
    actual = json.loads(json.dumps(dataclasses.asdict(replies[serial])))
    path = GOLDEN / f"{serial}.json"
    if os.environ.get("UPDATE_GOLDEN"):
        path.write_text(json.dumps(actual, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
    assert actual == json.loads(path.read_text(encoding="utf-8"))


def test_question_of_itib001_reads_as_one_paragraph(replies: dict):
    assert replies["ITIB001"].question == (
        "財政司司長提及，將在今年年底舉辦「國際綠色科技周」，匯聚相關產業代表、企業及投資者。"
        "請提供，「國際綠色科技周」預計所需人手及開支預算清單？"
    )


def test_reply_without_its_serial_line_is_named_by_the_index(replies: dict):
    reply = replies["ITIB111"]
    assert (reply.question_serial, reply.line, reply.member) == (3095, 16042, "周浩鼎")


def test_header_values(replies: dict):
    assert replies["ITIB002"].question_serial == 482  # printed "0482"
    assert replies["ITIB104"].programmes == (ProgrammeRef(6, "資助金：香港生產力促進局，香港應用科技研究院有限公司"),)
    assert replies["ITIB238"].programmes == (ProgrammeRef(1, "政府內部資訊科技的使用"), ProgrammeRef(2, "資訊科技基建及標準"))
    assert replies["ITIB263"].programmes == ()  # 綱領： 沒有指定
    assert (replies["ITIB263"].subhead_code, replies["ITIB263"].subhead_title) == ("000", "運作開支")
    assert (replies["ITIB001"].subhead_code, replies["ITIB001"].subhead_title) == ("", "")
    assert replies["ITIB160"].member == "陳克勤"  # printed "陳克勤議員議員"


def test_one_head_is_one_name_whatever_its_colon(bundled: ParsedFile):
    names = {(reply.head_number, reply.head_name) for reply in bundled.replies}
    assert names == {
        (47, "政府總部：政府資訊科技總監辦公室"),
        (111, "創新及科技基金：創新及科技"),
        (135, "政府總部：創新科技及工業局"),
        (155, "政府總部：創新科技署"),
    }


def test_questions_and_replies_keep_no_page_furniture_or_markers(bundled: ParsedFile):
    for reply in bundled.replies:
        for text in (reply.question, reply.reply):
            assert text and text == text.strip(), reply.serial
            for marker in ("問題：", "提問人", "答覆：", "完  –", "– 完", "節 ITIB", "審核 2023", "答覆編號"):
                assert marker not in text, (reply.serial, marker)
            assert "\n\n\n" not in text, reply.serial


def test_annex_printed_after_the_end_mark_belongs_to_the_reply(replies: dict):
    assert "「城市創科大挑戰」優勝方案" in replies["ITIB097"].reply
    assert "業務類別 | 批出中小企業申請宗數" in replies["ITIB124"].reply  # a table displaced after "– 完 –"


def test_table_rows_stay_rows(replies: dict):
    assert "2020 | 1 536\n2021 | 3 787" in replies["ITIB124"].reply
    assert "香港應用科技研究院 | 392 | 258 | (66%)" in replies["ITIB125"].reply
    assert "2019-20 | 8 440 120 | 1.34億元 | 1.68億元" in replies["ITIB010"].reply


def test_source_pages(replies: dict, bundled: ParsedFile):
    # A footer "第 N 頁" begins page N: the replies printed right after one are known exactly.
    known = {"ITIB001": 1, "ITIB002": 2, "ITIB028": 48, "ITIB046": 88, "ITIB101": 215, "ITIB220": 464, "ITIB221": 465}
    assert {serial: replies[serial].source_page for serial in known} == known
    pages = [reply.source_page for reply in bundled.replies]
    assert pages == sorted(pages) and len(set(pages)) == len(pages)  # each reply starts a new page
    assert replies["ITIB010"].source_page <= 15  # the footer "第 16 頁" falls inside it


def test_parsing_is_fast():
    text = BUNDLED.read_text(encoding="utf-8")
    started = time.perf_counter()
    parse_file(text, BUNDLED.name)
    assert time.perf_counter() - started < 3


# Other sessions: nothing about ITIB is built in ---------------------------------------------


def test_year_serials_session_and_bureau_come_from_the_file():
    fstb = parse_text(fstb_text())
    assert (fstb.year, fstb.session, fstb.bureau, fstb.serial_prefix) == ("2024-25", 5, "財經事務及庫務局局長", "FSTB(Tsy)")
    assert [reply.serial for reply in fstb.replies] == ["FSTB(Tsy)001", "FSTB(Tsy)002", "FSTB(Tsy)003"]
    assert fstb.discrepancies == []
    edb = parse_text(EDB.read_text(encoding="utf-8"))  # its year is only in the replies' headers
    assert (edb.year, edb.session, edb.bureau, edb.serial_prefix) == ("2022-23", 8, "教育局局長", "EDB")
    assert [(reply.serial, reply.question_serial) for reply in edb.replies] == [("EDB045", 512), ("EDB046", 1033)]
    assert [reply.source_page for reply in edb.replies] == [1, 2]  # no footer at all: counted from page 1


def test_synthetic_file_records():
    first, second, third = parse_text(fstb_text()).replies
    assert (first.controlling_officer_title, first.controlling_officer_name) == ("財經事務及庫務局常任秘書長(庫務)", "黃大仙")
    assert first.question.endswith("(b) 有否就計劃諮詢國際投資者，並確保債券符合國際標準，例如the Green Bond Principles的要求？")
    assert first.reply == (
        "(a) 政府於2024年5月發行約1 300億元的綠色債券，所涉人手由庫務科現有人員承擔，並無獨立分項開支。"
        "過去兩年的發行額表列如下：\n\n"
        "年度 | 發行額(億元)\n2022-23 | 1 000\n2023-24 | 850\n總計 | 1 850\n\n"
        "(b) 政府已參考the International Capital Market Association的綠色債券原則，並會繼續與投資者保持溝通。"
    )  # the footer and the repeated page header inside (a) are gone
    assert (second.serial, second.line, second.head_name, second.programmes) == (
        "FSTB(Tsy)002",
        124,
        "政府總部：財經事務及庫務局(庫務科)",
        (),
    )
    assert third.programmes == (ProgrammeRef(2, "政府物流服務"), ProgrammeRef(3, "採購及合約管理"))
    assert third.reply.endswith("附件\n\n電子採購系統的資料可瀏覽以下網頁：\n\nhttps://www.example.gov.hk/e-procurement")
    assert [reply.source_page for reply in (first, second, third)] == [1, 3, 4]


def test_windows_line_endings_change_nothing():
    assert parse_text(fstb_text().replace("\n", "\r\n")) == parse_text(fstb_text())


def test_disagreements_with_the_index_are_reported():
    text = fstb_text().replace("提問人：陳大文議員 (立法會內部參考編號： 12)", "提問人：李小明議員 (立法會內部參考編號： 12)")
    text = text.replace("總目：  (188) 庫務署", "總目：  (147) 庫務署")
    discrepancies = parse_text(text).discrepancies
    assert discrepancies[0] == "FSTB(Tsy)001 (line 32): member is 李小明 in the reply but 陳大文 in the index (line 22)"
    assert discrepancies[1] == "FSTB(Tsy)003 (line 170): head is 147 in the reply but 188 in the index (line 26)"
    assert "FSTB(Tsy)003 (line 170): head 147 is named 庫務署" in discrepancies[2]
    assert len(discrepancies) == 3


# Text cleaning --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw_lines", "expected"),
    [
        (["創 科 生 態 系 統 日 趨 蓬 勃 。  "], "創科生態系統日趨蓬勃。"),
        (["累計約 1 300間企業，於 2021年 7月推出。  "], "累計約1 300間企業，於2021年7月推出。"),
        (
            ["政府會繼續與不同持份者保持溝通，包括參考國際組織如 the", "", "Government Accountability Office 的做法。  "],
            "政府會繼續與不同持份者保持溝通，包括參考國際組織如the Government Accountability Office的做法。",
        ),
        (
            ["就此，請告知本會：  ", "", " ", "", "(a) 開支為何；  ", "", "(一 ) 人手為何；  ", "", "(i) 何時完成？  "],
            "就此，請告知本會：\n\n(a) 開支為何；\n\n(一) 人手為何；\n\n(i) 何時完成？",
        ),
        (["1.及", "", "3. ", "", "科技園公司早於 2001年推出計劃。  "], "1.及3. 科技園公司早於2001年推出計劃。"),
        (
            ["年份  批出宗數  ", "", "2016 0 ", "", "2020 1 536 ", "", "總計  21 365 ", "", " ", "", "註：截至 2月底。  "],
            "年份 | 批出宗數\n2016 | 0\n2020 | 1 536\n總計 | 21 365\n\n註：截至2月底。",
        ),
        (
            ["資科辦會繼續推動各局和部門採用雲端服務及大數據分析，並預計於 2023-", "", "24年度內完成。  "],
            "資科辦會繼續推動各局和部門採用雲端服務及大數據分析，並預計於2023-24年度內完成。",
        ),
    ],
    ids=["chinese-spaces", "digit-groups", "latin-wrap", "numbered-parts", "joined-markers", "table", "hyphen-wrap"],
)
def test_clean_section(raw_lines: list[str], expected: str):
    assert clean_section(raw_lines) == expected


# Malformed input ------------------------------------------------------------------------------


def parse_error(text: str) -> ParseError:
    with pytest.raises(ParseError) as raised:
        parse_text(text)
    return raised.value


@pytest.mark.parametrize("text", ["", " \n\n  \n"])
def test_empty_file(text: str):
    error = parse_error(text)
    assert (error.line, error.message.split(":")[0]) == (1, "empty file")


def test_no_index_table():
    error = parse_error(fstb_text().replace("答覆編號 問題編號 議員姓名 總目 綱領", "目錄"))
    assert error.line == 42 and "no index table" in error.message  # the first reply


def test_body_cut_off_before_its_end_mark():
    text = fstb_text()
    error = parse_error(text[: text.rindex("– 完  –")])
    assert "truncated file" in error.message and "– 完 –" in error.message
    assert error.line == text[: text.rindex("– 完  –")].count("\n") + 1


def test_body_cut_off_in_its_question():
    text = fstb_text()
    error = parse_error(text[: text.rindex("政府物流服務署在推行")])
    assert "truncated file" in error.message and "提問人：" in error.message


def test_index_entries_without_a_body():
    text = fstb_text()
    error = parse_error(text[: text.index("第  5 節  FSTB(Tsy) - 第  3 頁")])
    assert (error.line, error.message) == (24, "truncated file: index entry FSTB(Tsy)002 has no reply body")


def test_question_serial_not_in_the_index():
    error = parse_error(fstb_text().replace("(問題編號： 0088)", "(問題編號： 9999)"))
    assert (error.line, error.message) == (124, "question serial 9999 is not in the index")


def test_duplicated_serial_in_the_replies():
    text = fstb_text().replace("FSTB(Tsy)003 \n\n 管制人員的答覆", "FSTB(Tsy)001 \n\n 管制人員的答覆")
    error = parse_error(text)
    assert (error.line, error.message) == (170, "duplicated serial FSTB(Tsy)001: the reply at line 32 has it too")


def test_duplicated_serial_in_the_index():
    text = fstb_text().replace("FSTB(Tsy)002 88 李小明 147", "FSTB(Tsy)001 88 李小明 147")
    error = parse_error(text)
    assert (error.line, error.message) == (24, "duplicated serial FSTB(Tsy)001 in the index (first at line 22)")


def test_unreadable_header_value():
    error = parse_error(fstb_text().replace("總目：  (188) 庫務署", "總目：  庫務署"))
    assert error.line == 184 and "(135) 政府總部：創新科技及工業局" in error.message


def test_binary_text_is_refused():
    error = parse_error("索引\n\x00\x01\x02PK\x03\x04")
    assert error.line == 2 and error.message.startswith("not UTF-8 text")


@pytest.mark.parametrize("encoding", ["big5", "gbk"])
def test_decode_file_refuses_chinese_legacy_encodings(encoding: str):
    with pytest.raises(ParseError) as raised:
        decode_file(fstb_text().encode(encoding, errors="replace"))
    assert raised.value.line == 2  # "索引", the first line with Chinese text
    assert raised.value.message.startswith("not UTF-8 text")


def test_decode_file_refuses_binary_data():
    with pytest.raises(ParseError) as raised:
        decode_file(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj")
    assert raised.value.line == 2 and raised.value.message.startswith("not UTF-8 text")
    with pytest.raises(ParseError) as raised:
        decode_file(b"ITIB001\n\x00\x00\x00")
    assert raised.value.line == 2


def test_decode_file_accepts_utf8_with_or_without_bom():
    text = fstb_text()
    assert decode_file(text.encode("utf-8")) == decode_file(b"\xef\xbb\xbf" + text.encode("utf-8")) == text
