"""A reply's tables as a reader meets them: real tables in place of the extracted lines on the reply page, each
table as a CSV file, search marks inside cells, and the tables whose columns could not be recovered said so."""

from __future__ import annotations

import csv
import io

import pytest
from lxml import html as lxml_html

from replies.exports.streams import spreadsheet_safe

from replies.models import Reply
from tests.search_oracle import save_indexed_reply

pytestmark = pytest.mark.django_db

ITIB010 = "/replies/2023-24/ITIB010/"
ITIB010_HEADER = ["年度", "實際公務員人數", "實際非公務員合約僱員人數（全職）", "實際非公務員合約僱員人數（兼職）",
                  "員工薪酬開支", "營運開支(包括員工開支)"]
ITIB010_ROW = ["2019-20", "8", "440", "120", "1.34億元", "1.68億元"]
NOTICE = "未能還原此表的欄位，現按擷取所得的原文顯示。"


def page(client, path: str, **params) -> str:
    response = client.get(path, params)
    assert response.status_code == 200, response.content[:300]
    return response.content.decode()


def figures(html: str) -> list:
    """The reply's tables, each a <figure> with its table (or its lines), notes, CSV link and source lines."""
    return lxml_html.fromstring(html).xpath('//figure[@class="data-figure"]')


def text(element) -> str:
    return " ".join(element.text_content().split())


def header(figure) -> list[str]:
    return [text(cell) for cell in figure.xpath(".//thead/tr/*")]


def body(figure) -> list[list[tuple[str, str]]]:
    """Each row's cells as (how the cell is marked up, its text): 'th row', 'td number' or 'td'."""
    return [[(" ".join(filter(None, (cell.tag, cell.get("scope"), cell.get("class")))), text(cell)) for cell in row]
            for row in figure.xpath(".//tbody/tr")]


def guarded(rows: list[list[str]]) -> list[list[str]]:
    """Cells as a CSV file carries them: one a spreadsheet would run as a formula ("-資訊科技") starts with '."""
    return [[spreadsheet_safe(cell) for cell in row] for row in rows]


def csv_rows(client, path: str) -> list[list[str]]:
    response = client.get(path)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    content = b"".join(response.streaming_content).decode("utf-8")
    assert content.startswith("\ufeff")  # Excel opens UTF-8 Chinese only with the byte order mark
    return list(csv.reader(io.StringIO(content[1:])))


def test_itib010_shows_a_real_table_in_place_of_its_extracted_lines(client, api):
    html = page(client, ITIB010)
    [figure] = figures(html)
    _, reply = api(f"/api{ITIB010}")
    [caption] = figure.xpath(".//table/caption")
    assert text(caption).startswith("(一) 1823於過去4個年度") and text(caption).endswith("如下：")
    assert [cell.get("scope") for cell in figure.xpath(".//thead/tr/th")] == ["col"] * 6
    assert header(figure) == ITIB010_HEADER
    row = body(figure)[0]
    assert row == [("th row", "2019-20"), *[("td number", cell) for cell in ITIB010_ROW[1:]]]
    [scroll] = figure.xpath('./div[@class="table-scroll"]')
    assert (scroll.get("tabindex"), scroll.get("role"), scroll.get("aria-labelledby")) == ("0", "region", caption.get("id"))
    [link] = figure.xpath(".//a[text()='下載此表（CSV）']")
    assert link.get("href") == "/replies/2023-24/ITIB010/tables/1.csv"
    assert text(figure.xpath(".//details/summary")[0]) == "原文各行"
    assert figure.xpath(".//details/pre")[0].text_content() == "\n".join(reply["tables"][0]["source_lines"])
    # the caption and the lines are not shown a second time as paragraphs or loose rows
    assert html.count("1823於過去4個年度") == 1
    assert 'class="text-rows"' not in html


def test_an_empty_header_label_is_a_blank_corner_not_a_column_heading(client):
    first = figures(page(client, "/replies/2023-24/ITIB205/"))[0]
    assert header(first) == ["", "場地數目", "熱點數目"]
    assert [cell.tag for cell in first.xpath(".//thead/tr/*")] == ["td", "th", "th"]


@pytest.mark.parametrize("serial", ["ITIB010", "ITIB205", "ITIB043"])
def test_every_table_downloads_as_csv_with_the_apis_header_and_rows(client, api, serial):
    _, reply = api(f"/api/replies/2023-24/{serial}/")
    assert reply["tables"]
    for number, table in enumerate(reply["tables"], 1):
        path = f"/replies/2023-24/{serial}/tables/{number}.csv"
        assert csv_rows(client, path) == guarded(([table["header"]] if table["header"] else []) + table["rows"])
        response = client.get(path)
        assert response["Content-Disposition"] == f'attachment; filename="2023-24-{serial}-table-{number}.csv"'


def test_itib010s_csv_holds_its_header_and_the_row_as_printed(client):
    rows = csv_rows(client, "/replies/2023-24/ITIB010/tables/1.csv")
    assert rows[0] == ITIB010_HEADER
    assert ITIB010_ROW in rows


def test_search_terms_are_marked_inside_cells_and_the_caption(client):
    assert '<td class="number"><mark>440</mark></td>' in page(client, ITIB010, q="440")
    marked = figures(page(client, ITIB010, q="2019-20"))[0]
    assert lxml_html.tostring(marked.xpath(".//tbody/tr/th")[0], encoding="unicode") == (
        '<th scope="row"><mark>2019-20</mark></th>')
    assert [text(mark) for mark in marked.xpath(".//caption/mark")] == ["2019-20"]


@pytest.fixture
def unreconstructed():
    """(reply, number) of a bundled table whose columns could not be recovered; a made-up one when the
    reconstruction has become good enough to leave none."""
    for reply in Reply.objects.select_related("year").order_by("serial"):
        for number, table in enumerate(reply.tables, 1):
            if not table["reconstructed"]:
                return reply, number
    reply = save_indexed_reply("TBL001", "問題。", "數字如下：\n\n甲 乙\n丙 | 1")
    reply.tables = [made_table("reply", "數字如下：", [], [["甲 乙"], ["丙", "1"]], reconstructed=False,
                               source_lines=["甲 乙", "丙 | 1"], chunks=[0, 1])]
    reply.save()
    return reply, 1


def made_table(field, caption, header, rows, notes=(), reconstructed=True, source_lines=(), chunks=(0, 0)) -> dict:
    return {"field": field, "caption": caption, "header": header, "rows": rows, "notes": list(notes),
            "reconstructed": reconstructed, "source_lines": list(source_lines), "chunks": list(chunks)}


def test_a_table_whose_columns_were_lost_says_so_and_keeps_its_lines(client, unreconstructed):
    reply, number = unreconstructed
    table = reply.tables[number - 1]
    figure = lxml_html.fromstring(page(client, reply.get_absolute_url())).get_element_by_id(f"table-{number}")
    assert text(figure.xpath('.//p[@class="table-notice"]')[0]) == NOTICE
    lines = figure.xpath('.//div[@class="text-rows"]/div[@class="text-rows__row"]')
    assert [[text(cell) for cell in line.xpath("./span")] for line in lines] == table["rows"]
    assert figure.xpath(".//details/pre")[0].text_content() == "\n".join(table["source_lines"])
    assert not figure.xpath(".//table")
    link = f"/replies/{reply.year.label}/{reply.serial}/tables/{number}.csv"
    assert figure.xpath(".//a[text()='下載此表（CSV）']")[0].get("href") == link
    assert csv_rows(client, link) == guarded(table["rows"])


def test_tables_sharing_a_place_come_in_order_with_their_notes_and_numbers(client):
    """A made-up reply: two tables read from the same paragraphs, the first with a caption and notes, the
    second without a caption; the paragraphs around them stay where they were."""
    reply = save_indexed_reply("TBL002", "問題。", "第一段。\n\n數字如下：\n\n項目 | 數目\n甲 | 1\n\n註：以上為示例。\n\n最後一段。")
    reply.tables = [
        made_table("reply", "數字如下：", ["項目", "數目"], [["甲", "1"], ["=HYPERLINK(\"x\")", "2"]],
                   notes=["註：以上為示例。"], source_lines=["項目 | 數目", "甲 | 1"], chunks=[1, 3]),
        made_table("reply", "", ["", "數目"], [["", "3"]], source_lines=["3"], chunks=[1, 3]),
    ]
    reply.save()
    html = page(client, "/en" + reply.get_absolute_url(), q="示例")
    answer = lxml_html.fromstring(html).get_element_by_id("answer-heading").getparent()
    shown = [(child.tag, child.get("id") or text(child)) for child in answer.xpath("./div/*")]
    assert shown == [("p", "第一段。"), ("figure", "table-1"), ("figure", "table-2"), ("p", "最後一段。")]
    first, second = figures(html)
    assert text(first.xpath(".//caption")[0]) == "數字如下："
    assert lxml_html.tostring(first.xpath('.//p[@class="table-note"]')[0], encoding="unicode").strip() == (
        '<p class="table-note">註：以上為<mark>示例</mark>。</p>')
    assert text(second.xpath(".//caption")[0]) == "Table 2"
    assert body(second) == [[("td", ""), ("td number", "3")]]
    assert csv_rows(client, "/replies/2023-24/TBL002/tables/1.csv")[2] == ["'=HYPERLINK(\"x\")", "2"]


def test_the_interface_words_follow_the_language_and_the_text_follows_the_script(client):
    english = figures(page(client, "/en" + ITIB010))[0]
    [link] = english.xpath(".//a[text()='Download this table (CSV)']")
    assert link.get("href") == "/en/replies/2023-24/ITIB010/tables/1.csv"
    assert link.getparent().get("lang") == "en"
    assert text(english.xpath(".//summary")[0]) == "Source lines"
    client.cookies["script"] = "hans"
    simplified = figures(page(client, ITIB010))[0]
    assert header(simplified)[1] == "实际公务员人数"
    assert simplified.xpath(".//a/text()")[0] == "下载此表（CSV）"
    assert csv_rows(client, "/replies/2023-24/ITIB010/tables/1.csv")[0] == ITIB010_HEADER  # a file is as published


@pytest.mark.parametrize("path, message", [
    ("/en/replies/2023-24/ITIB010/tables/2.csv", "The reply ITIB010 has no table 2."),
    ("/en/replies/2023-24/ITIB010/tables/0.csv", "The reply ITIB010 has no table 0."),
    ("/en/replies/2023-24/ITIB010/tables/99999999999999999999999.csv", "has no table 99999999999999999999999."),
    ("/en/replies/2023-24/ITIB999/tables/1.csv", "There is no reply ITIB999 in the year 2023-24."),
    ("/en/replies/1999-00/ITIB010/tables/1.csv", "There is no reply ITIB010 in the year 1999-00."),
    ("/en/replies/2023-24/IT%00IB/tables/1.csv", "There is no reply"),
    ("/en/replies/2023-24/ITIB010/tables/one.csv", "Nothing is published at"),
    ("/replies/2023-24/ITIB010/tables/2.csv", "答覆 ITIB010 沒有第 2 個表。"),
])
def test_a_table_that_does_not_exist_is_a_404_page_saying_so(client, path, message):
    response = client.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")
    assert message in response.content.decode()
