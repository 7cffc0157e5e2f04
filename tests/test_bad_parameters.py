"""Every page and export with invalid parameters answers 400 or 404 with a message naming what was wrong."""

from __future__ import annotations

from urllib.parse import quote

import pytest

pytestmark = pytest.mark.django_db

NUL = "%00"
TEN_THOUSAND = quote("數" * 10_000)
# The pages that read the listing's filters, in both languages (the API has no /en/ variant).
FILTERED_PAGES = [
    f"{prefix}{path}"
    for prefix in ("", "/en")
    for path in ("/replies/", "/replies/export.csv", "/replies/export.xlsx", "/replies/export.json",
                 "/replies/export.docx", "/replies/feed/")
] + ["/api/replies/"]
BAD_FILTERS = [  # (query string, the parameter the answer must name)
    ("head=forty-seven", "head"),
    ("head=1000000000000", "head"),
    ("head=-1", "head"),
    ("programme=one", "programme"),
    ("ordering=cheapest", "ordering"),
    ("year=1800-1", "year"),
    ("year=2023-2024", "year"),
    (f"q={TEN_THOUSAND}", "q"),
    *[(f"{name}=a{NUL}b", name) for name in ("q", "year", "member", "head", "programme", "subhead", "ordering")],
]
PAGED = ["/replies/", "/en/replies/", "/api/replies/"]
BAD_PAGES = ["page=0", "page=-1", "page=abc", f"page={NUL}", "page=1.5"]


def answer_text(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def names(text: str, parameter: str) -> bool:
    """The answer names the parameter: "(head)" on a page, the "head" key in the API's JSON."""
    return f"({parameter})" in text or f'"{parameter}"' in text or f"<code>{parameter}</code>" in text


@pytest.mark.parametrize("path", FILTERED_PAGES)
@pytest.mark.parametrize("query, parameter", BAD_FILTERS)
def test_a_bad_filter_is_a_400_naming_the_parameter(client, path, query, parameter):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400, (path, query)
    assert names(answer_text(response), parameter), (path, query)


PAGE_MESSAGES = {  # what the listing says about a bad page, in each language, and the API's key
    "/replies/": ("頁碼必須是整數", "沒有第"),
    "/en/replies/": ("The page must be a whole number", "There is no page"),
    "/api/replies/": ('"page"', '"detail"'),
}


def test_a_possible_year_without_replies_is_an_empty_result_like_an_unknown_member(client):
    """2022-23 could be imported one day: zero results, not an error."""
    assert client.get("/api/replies/?year=2022-23").json()["count"] == 0
    listing = client.get("/en/replies/?year=2022-23")
    assert listing.status_code == 200
    assert "ITIB001" not in listing.content.decode()


@pytest.mark.parametrize("year", ["1800-01", "2023-25", "2099-01"])
def test_a_year_that_cannot_be_a_financial_year_is_a_400(client, year):
    response = client.get(f"/en/replies/?year={year}")
    assert response.status_code == 400
    assert "A financial year is two consecutive years from 1997-98 on" in response.content.decode()
    api = client.get(f"/api/replies/?year={year}")
    assert api.status_code == 400 and "year" in api.json()


@pytest.mark.parametrize("path", PAGED)
@pytest.mark.parametrize("query", BAD_PAGES)
def test_a_bad_page_number_is_a_400_naming_page(client, path, query):
    response = client.get(f"{path}?{query}")
    assert response.status_code == 400
    assert any(message in answer_text(response) for message in PAGE_MESSAGES[path])


@pytest.mark.parametrize("path", PAGED)
def test_a_page_past_the_end_says_there_is_no_such_page(client, path):
    """The listing says how many pages there are (400); the API answers the documented 404."""
    response = client.get(f"{path}?page=1000000000")
    assert response.status_code in (400, 404)
    assert PAGE_MESSAGES[path][1] in answer_text(response)


@pytest.mark.parametrize("query", ["page_size=1000000", "page_size=0", "page_size=-5", f"page_size={NUL}"])
def test_the_api_page_size_is_capped_with_a_message(client, query):
    response = client.get(f"/api/replies/?{query}")
    assert response.status_code == 400
    assert "500" in str(response.json()["page_size"])


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("path", [
    "/heads/forty-seven/", "/heads/1000000000000/", "/heads/-1/", "/heads/999/",
    "/members/abc/", "/members/1000000000000/", "/members/0/",
    "/replies/1800-01/ITIB001/", "/replies/2023-24/ITIB999/", f"/replies/2023-24/ITIB001{NUL}/",
    f"/replies/{NUL}/ITIB001/", "/replies/export.pdf", "/set/export.pdf", "/nowhere/",
])
def test_an_unknown_page_is_a_404_page(client, prefix, path):
    response = client.get(prefix + path)
    assert response.status_code == 404
    assert "Traceback" not in response.content.decode()


@pytest.mark.parametrize("path, message", [
    ("/heads/1000000000000/", "1000000000000"),
    ("/members/1000000000000/", "1000000000000"),
    ("/replies/2023-24/ITIB999/", "ITIB999"),
])
def test_the_404_page_says_what_was_not_found(client, path, message):
    response = client.get("/en" + path)
    assert message in response.content.decode()


@pytest.mark.parametrize("path", [*FILTERED_PAGES, "/replies/2023-24/ITIB001/"])
@pytest.mark.parametrize("q", ["-數碼港", '-"iAM Smart" -AI'])
def test_a_query_of_exclusions_only_finds_nothing_with_a_head_chosen_or_not(client, path, q):
    """Excluding from everything is not a search: an empty listing, export or feed (a 500 once, in facets)."""
    for params in ({"q": q}, {"q": q, "head": "47", "programme": "1"}):
        response = client.get(path, params)
        assert response.status_code == 200, (path, params)
        if path.endswith("/replies/"):
            assert "ITIB001" not in answer_text(response)


@pytest.mark.parametrize("path", [*FILTERED_PAGES, "/replies/2023-24/ITIB001/"])
@pytest.mark.parametrize("q", ["w:t", "數碼港 OR 創科", "數碼港的"])
@pytest.mark.parametrize("filters", [{"programme": "2000"}, {"head": "999"}, {"member": "nobody"}])
def test_a_search_that_reads_texts_within_filters_that_match_nothing_finds_nothing(client, path, q, filters):
    """Filters naming no reply leave an empty set of replies to search (a 500 once, when the ids of a search that
    reads texts were pinned in relevance order: schemathesis found ``programme=2000&q=w:t``)."""
    response = client.get(path, {"q": q, **filters})
    assert response.status_code in (200, 400), (path, filters)
    if response.status_code == 200 and path.endswith("/replies/"):
        assert "ITIB0" not in answer_text(response)


@pytest.mark.parametrize("path", ["/api/replies/1800-01/ITIB001/", "/api/replies/2023-24/ITIB999/",
                                  f"/api/replies/2023-24/ITIB001{NUL}/", f"/api/replies/{NUL}/x/"])
def test_an_unknown_api_reply_is_a_json_404(client, path):
    response = client.get(path)
    assert response.status_code == 404
    assert response.json()["detail"]


@pytest.mark.parametrize("prefix", ["", "/en"])
@pytest.mark.parametrize("query", ["sort=cheapest", f"sort={NUL}"])
def test_an_unknown_member_sort_is_a_400_naming_sort(client, prefix, query):
    response = client.get(f"{prefix}/members/?{query}")
    assert response.status_code == 400
    assert "sort" in response.content.decode()


@pytest.mark.parametrize("path", ["/", "/en/", "/replies/2023-24/ITIB001/", "/members/", "/heads/47/", "/set/",
                                  "/downloads/", "/en/downloads/", "/api/schema/", "/api/replies/2023-24/ITIB001/"])
def test_pages_without_filters_ignore_unrelated_hostile_parameters(client, path):
    """A page that reads no filter answers as usual (never a 500) whatever else the query string holds."""
    junk = f"head=x&page=0&page_size=1000000&ordering=no&year=1800-01&member={NUL}&lang={NUL}&q={TEN_THOUSAND}"
    separator = "&" if "?" in path else "?"
    response = client.get(f"{path}{separator}{junk}")
    assert response.status_code in (200, 400)


@pytest.mark.parametrize("path", ["/replies/2023-24/ITIB001/", "/en/replies/2023-24/ITIB001/"])
def test_a_reply_page_with_a_bad_search_still_shows_the_reply(client, path):
    """Neighbours need a valid search; without one the reply is still shown rather than refused."""
    response = client.get(f"{path}?head=x&q={NUL}&ordering=no")
    assert response.status_code == 200
    assert "ITIB001" in response.content.decode()


def test_the_api_schema_refuses_an_unknown_format(client):
    response = client.get("/api/schema/?format=yaml-please")
    assert response.status_code == 404


def test_a_page_number_beyond_what_the_database_can_count_is_past_the_end(client):
    """The page's rows are read with OFFSET, a bigint: a larger page number is a 404 like any page past the end,
    not a database error."""
    for query in ("", "&ordering=serial", "&q=數碼港&ordering=member"):
        response = client.get(f"/api/replies/?page=11371515565128804204544{query}")
        assert response.status_code == 404, query
