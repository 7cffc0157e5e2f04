"""Stored reply text becomes paragraphs, numbered parts, tables, or rows kept apart when columns are lost."""

from __future__ import annotations

from pathlib import Path

import pytest

from replies.programme_context import parse_report
from replies.text_layout import Paragraph, PlacedTable, Rows, Table, layout, placed

ROOT = Path(__file__).resolve().parent.parent


def test_paragraphs_are_split_on_blank_lines_and_blank_text_gives_nothing():
    assert layout("第一段。\n\n第二段。\n\n\n") == [Paragraph("第一段。"), Paragraph("第二段。")]
    assert layout("") == []
    assert layout(None) == []


@pytest.mark.parametrize(
    "text, label, rest",
    [
        ("(一) 1823的人手", "(一)", "1823的人手"),
        ("（二）投訴數字", "（二）", "投訴數字"),
        ("1. 政府將會", "1.", "政府將會"),
        ("2.及3. 合併答覆", "2.及3.", "合併答覆"),
        ("(a) first part", "(a)", "first part"),
        ("b) second", "b)", "second"),
        ("(iii) third", "(iii)", "third"),
        ("(1)人手", "(1)", "人手"),
    ],
)
def test_numbered_parts_carry_their_label(text, label, rest):
    assert layout(text) == [Paragraph(rest, label=label)]


@pytest.mark.parametrize("text", ["1.5億元用於", "2023-24年度", "0.9%", "App Store", "(一)"])
def test_numbers_and_words_that_are_not_labels_stay_in_the_text(text):
    assert layout(text) == [Paragraph(text)]


def test_a_block_whose_every_row_has_cells_is_a_table_and_short_rows_are_known():
    text = "所屬行業 | 宗數\n醫療器材 | 2\n總計 | 30"
    [table] = layout(text)
    assert table == Table((("所屬行業", "宗數"), ("醫療器材", "2"), ("總計", "30")))
    assert table.width == 2
    [spanning] = layout("自然 | 非自然\n年份 | 2020 | 2021")
    assert spanning.width == 3


def test_a_block_with_lines_that_lost_their_cells_is_kept_as_rows():
    text = "年度 | 實際公務員人數\n員工薪酬\n2019-20 | 8 | 1.34億元"
    assert layout(text) == [Rows((("年度", "實際公務員人數"), ("員工薪酬",), ("2019-20", "8", "1.34億元")))]


def test_a_single_line_with_cells_is_a_one_row_table():
    assert layout("合計 | 30") == [Table((("合計", "30"),))]


def test_tables_stand_in_place_of_the_paragraphs_they_cover_in_their_order():
    text = "引言。\n\n如下：\n\n甲 | 1\n\n註：說明。\n\n結語。\n\n乙 | 2"
    first, second, third = {"chunks": [1, 3]}, {"chunks": [1, 3]}, {"chunks": [5, 5]}
    assert placed(text, [(1, first), (2, second), (3, third)]) == [
        Paragraph("引言。"), PlacedTable(1, first), PlacedTable(2, second), Paragraph("結語。"), PlacedTable(3, third)]
    assert placed(text, []) == layout(text)


def test_a_table_placed_past_the_end_of_an_edited_text_is_still_shown_last():
    stale = {"chunks": [4, 6]}
    assert placed("只餘一段。", [(1, stale)]) == [Paragraph("只餘一段。"), PlacedTable(1, stale)]


def test_head_47_report_gives_each_programme_its_aim_and_matters():
    contexts = parse_report((ROOT / "fixtures" / "head47-cor-2024-25.txt").read_text(encoding="utf-8"))
    assert sorted(contexts) == [1, 2, 3]
    assert contexts[2].name == "资讯科技基建及标准"
    assert contexts[2].aim == "本纲领的宗旨是为香港提供所需的资讯科技基建、标准、法律架构和人才，以推动数码经济的蓬勃发展，使核心行业得以提升竞争力。"
    assert contexts[3].matters_intro == "二零二四至二五年度内，资科办将会："
    assert [len(contexts[n].matters) for n in (1, 2, 3)] == [10, 5, 10]
    assert contexts[3].matters[-1] == "继续支援数码港推行「智慧生活初创培育计划」。"


def test_report_sections_end_at_the_financial_tables_and_skip_page_headers():
    text = "纲领(1)：甲\n宗旨\n2 宗旨一。\n总目 47 – 页眉\n需要特别留意的事项\n6 将会：\n- 一项；\n纲领\n(1) 甲 1,038.4"
    [context] = parse_report(text).values()
    assert (context.aim, context.matters_intro, context.matters) == ("宗旨一。", "将会：", ("一项；",))
