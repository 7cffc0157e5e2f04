"""Annex tables (replies/tables/numbered.py): an annex's long list is read as one row per numbered entry (or
project), its cells in the header's columns, whatever paragraphs and lines the extraction cut it into.

Facts checked by reading fixtures/itib-2023-24.txt; the whole-field property reuses test_tables' lossless check.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from replies.tables.numbered_header import read_labels, with_subs
from replies.tables.reconstruct import tables_of_field
from replies.tables.regions import annex_regions, chunks, regions
from tests.table_gold import bundled_fields, bundled_tables
from tests.test_tables import region_losses

STORES = ["Apple App Store", "Google Play Store", "Huawei App Gallery"]
ITIB190_HEADER = ["編號", "局／部門(註)", "名稱", "開發費用", "每年維護費用", "截至2023年1月31日的總下載次數",
                  *(f"於各商店所得評分（{store}）" for store in STORES), "開發及維護企業所在地"]


def annex_tables(serial: str):
    """The tables of the reply's annex regions, in order."""
    spans = {(region.first, region.last) for region in annex_regions(chunks(bundled_fields()[(serial, "reply")]))}
    return [table for table in bundled_tables()[(serial, "reply")] if table.chunks in spans]


def row(tables, first_cell: str, column: int = 0):
    return next(list(cells) for table in tables for cells in table.rows if cells[column] == first_cell)


def test_every_app_of_the_itib190_annex_is_one_row_of_a_reconstructed_table():
    tables = annex_tables("ITIB190")
    assert all(table.reconstructed for table in tables)
    assert [cells[0] for table in tables for cells in table.rows] == [f"{n}." for n in range(1, 120)]
    assert tables[0].caption.startswith("附件 各局／部門的流動應用程式的資料")
    assert list(tables[0].header) == ITIB190_HEADER


def test_a_row_printed_over_paragraphs_and_lines_is_read_into_its_columns():
    tables = annex_tables("ITIB190")
    assert row(tables, "5.") == ["5.", "屋宇署", "窗安無事", "2,618,000元", "70,000元", "2 500(2022年5月推出)",
                                 "5.0", "未有評分", "未有評分", "本地"]
    assert row(tables, "7.") == ["7.", "土木工程拓展署", "香港地質", "由內部開發，不涉及額外開支。",
                                 "調配內部資源維護，不涉及額外開支。", "35 000", "3.9", "4.4", "未有評分", "本地"]
    assert row(tables, "10.")[3:5] == ["包括在公司註冊處的核心系統升級工程內。",
                                       "包括在公司註冊處的核心系統維護成本中。由於並非獨立項目，相關開支不能分拆。"]


def test_notes_under_the_rows_end_a_table_and_the_header_printed_after_them_starts_the_next():
    tables = annex_tables("ITIB190")
    before = next(table for table in tables if table.rows[-1][0] == "115.")
    after = next(table for table in tables if table.rows[0][0] == "116.")
    assert before.notes[0] == "註：以英文名稱開首排列"
    assert after.chunks[0] > before.chunks[1]
    assert list(after.header) == ["編號", "局／部門", *ITIB190_HEADER[2:]]  # printed there without (註)
    assert row([after], "119.")[:4] == ["119.", "香港電台", "RTHK Vox #", "380,000元"]


def test_cells_the_extraction_glued_together_are_cut_apart():
    tables = annex_tables("ITIB201")
    assert row(tables, "7.") == ["7.", "土木工程拓展署", "香港地質", "由內部開發，不涉及額外開支。",
                                 "調配內部資源維護，不涉及額外開支。"]
    assert row(tables, "16.") == ["16.", "教育局", "ApL應用學習", "217,000元", "調配內部資源維護，不涉及額外開支。"]
    assert row(tables, "39.") == ["39.", "香港郵政", "香港郵政", "328,000元", "調配內部資源維護，不涉及額外開支。"]


def test_annexes_printed_in_one_paragraph_are_tables_of_one_region():
    annex_b, annex_c = annex_tables("ITIB201")[1:]
    assert annex_b.chunks == annex_c.chunks
    assert annex_b.caption.startswith("附件B") and annex_c.caption.startswith("附件C")
    assert list(annex_c.header) == ["編號", "局／部門", "名稱", "截至2023年1月31日的總下載次數"]
    assert list(annex_c.rows[4]) == ["5.", "政府資訊科技總監辦公室", "智方便", "超過1 800 000人已登記「智方便」"]


def test_a_letter_spaced_annex_is_read_as_printed():
    apps = annex_tables("ITIB257")[1]
    assert list(apps.header[-3:]) == ["更新次數", "推出日期", "截至2023年1月31日的總下載次數"]
    assert list(apps.rows[1]) == ["2.", "政府資訊科技總監辦公室", "安心出行", "3,000,000元", "900,000元",
                                  "13,100,000元", "40", "2020年11月", "9 500 000"]
    assert list(apps.rows[12][3:6]) == ["應用程式的研發和維護及升級的相關開支約為1,300,000元。", "", ""]


def test_a_department_printed_once_for_several_projects_is_blank_below():
    projects = annex_tables("ITIB042")[0]
    assert list(projects.header) == ["部門", "項目名稱", "技術應用", "預期成效", "預算金額(百萬元)"]
    assert [cells[0] for cells in projects.rows[:3]] == ["漁農自然護理署", "發展局古物古蹟辦事處", ""]
    assert row([projects], "香港警務處") == ["香港警務處", "虛擬貨幣分析平台", "機器學習／區塊鏈",
                                          "建立安全的虛擬貨幣交易環境", "6.0"]
    assert row([projects], "路政署")[2:4] == ["納米技術", "縮短道路封閉和維修地下公用設施所需的時間"]


def test_a_cell_continued_after_a_page_break_is_one_cell():
    """The fixture's 懲教署 project (lines 5770-5806): its name's last line ``石`` is glued to the next cell's
    first, ``自動化監察／``, and the name ends after the header printed again, ``壁監獄和大欖女懲教所)``."""
    projects = annex_tables("ITIB042")[0]
    index = next(i for i, cells in enumerate(projects.rows) if cells[0] == "懲教署")
    assert list(projects.rows[index]) == [
        "懲教署", "所有懲教院所保護室的「非接觸式生命體徵檢測系統」(包括：小欖精神病治療中心，荔枝角收押所，羅湖懲教所，"
        "白沙灣懲教所，壁屋懲教所，赤柱監獄，石壁監獄和大欖女懲教所)", "自動化監察／超寬頻無線通訊技術",
        "協助監察在囚人士的行為，確保懲教院所保護室的安全", "5.4"]
    assert projects.rows[index + 1][1] == "荔枝角收押所的「配備移動及位置追蹤功能的影像分析及監察系統」"


def test_a_project_that_names_the_department_above_is_no_department():
    funded = annex_tables("ITIB082")[1]
    assert list(funded.rows[-2]) == ["消防處", "消防員室內定位設備原型開發", "7.3"]
    assert list(funded.rows[-1]) == ["", "發展消防處人工智能航拍影像分析程式以協助山嶺搜救行動", "4.8"]


@pytest.mark.parametrize("lines, labels", [
    (["編號局／部門", "(註)", "名稱 | 開發成本 | 每年維護成本"], ["編號", "局／部門(註)", "名稱", "開發成本", "每年維護成本"]),
    (["編號局／部門名稱開發", "成本", "每年維護", "成本", "升級開支更新次數推出日期截至2023年1月31日的總下載次數"],
     ["編號", "局／部門", "名稱", "開發成本", "每年維護成本", "升級開支", "更新次數", "推出日期", "截至2023年1月31日的總下載次數"]),
    (["部門 | 項目名稱 | 預算開支金額", "(百萬元)"], ["部門", "項目名稱", "預算開支金額(百萬元)"]),
])
def test_header_labels_glued_or_cut_by_the_extraction_are_read_one_per_column(lines, labels):
    assert read_labels(lines) == (labels, [])


def test_store_names_under_a_label_share_it_among_as_many_columns_as_the_rows_show():
    labels, words = read_labels(["於各商店所得評分", "開發及維護企業所在地", "Apple", "App", "Store", "Google", "Play",
                                 "Store", "Huawei", "App", "Gallery"])
    assert with_subs(labels, words, 3) == [*ITIB190_HEADER[6:9], "開發及維護企業所在地"]
    assert with_subs(labels, words, 2) is None


def test_an_annex_of_prose_is_left_to_the_general_rules():
    paragraphs = chunks(bundled_fields()[("ITIB097", "reply")])
    assert "附件" in paragraphs and not any(region.annex for region in regions(paragraphs))


def test_an_annex_row_that_fits_only_by_breaking_a_rule_is_kept_as_source_lines():
    text = "附件\n\n編號 | 局／部門 | 名稱 | 開發費用\n1. | 屋宇署 | 窗安無事 | 38,000元\n2. | 屋宇署 | 小型工程錦囊 | 調配內部資源維護，不涉及"
    [table] = tables_of_field("reply", text)
    assert not table.reconstructed and table.header == ()
    assert table.source_lines[-1] == "2. | 屋宇署 | 小型工程錦囊 | 調配內部資源維護，不涉及"
    assert region_losses(text, [table]) == []


ANNEX_LINES = [line for serial in ("ITIB042", "ITIB190", "ITIB201", "ITIB257")
               for line in bundled_fields()[(serial, "reply")].split("\n")[-400:]]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(start=st.integers(0, len(ANNEX_LINES) - 1), size=st.integers(1, 80),
       dropped=st.sets(st.integers(0, 79), max_size=6))
def test_any_cut_of_an_annex_loses_no_character(start, size, dropped):
    """Whatever part of an annex a reply holds, with lines missing, its tables keep every character in order."""
    kept = [line for i, line in enumerate(ANNEX_LINES[start : start + size]) if i not in dropped]
    text = "附件\n" + "\n".join(kept)
    assert region_losses(text, tables_of_field("reply", text)) == []
