"""What a request costs in statements, for the API, the exports and the feed (the pages are in test_views.py).

Each figure was measured before the search's state moved into one object (replies.reply_search), so these
tests prove the move changed nothing a benchmark depends on; a search of a term of 3 to 8 CJK characters now
first asks which of its terms are common strings (one statement: replies.querysets.proven). 數碼港 matches 52 of
the bundled replies, a common string (search/common_strings.py: the GIN index proves it); 區塊鏈 matches 19, too
few to be one, so its matches are confirmed by reading texts and pinned by id, after its meta hits are counted
(they decide whether the tier is read while pinning; the count is remembered, hence the fixture below).
"""

from __future__ import annotations

import pytest

from replies.querysets import _meta_hits

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("alias_table_read")]


@pytest.fixture(autouse=True)
def no_remembered_meta_hits():
    """Each test starts with no term's meta hits remembered (replies.querysets._meta_hits, kept ten minutes per
    process), so a count never depends on which test ran before."""
    _meta_hits.cache_clear()

SEARCH = {"q": "數碼港"}
RARE_SEARCH = {"q": "區塊鏈"}


def fetch(client, path: str, params: dict) -> int:
    """GET, reading a streamed body to its end (its statements run while it streams); the status code."""
    response = client.get(path, params)
    if getattr(response, "streaming", False):
        b"".join(response.streaming_content)
    else:
        response.content  # noqa: B018
    return response.status_code


@pytest.mark.parametrize(
    ("params", "statements"),
    [
        # every reply: the COUNT (the table alone), the page's ids from the serial index, the page, its programmes
        ({}, 4),
        ({"page": 2}, 4),
        # the common strings among the terms, the COUNT, the page's ids by relevance, the page, its programmes
        (SEARCH, 5),
        ({**SEARCH, "page": 2}, 5),
        # the common strings, the terms' meta hits (whether the tier is read while pinning), the matches' ids pinned
        # (the count is the ids'), the page's ids, the page, programmes
        (RARE_SEARCH, 6),
        # a member's id, then the count read with the page's ids (count(*) OVER ()), the page, its programmes
        ({"member": "吳永嘉"}, 4),
    ],
)
def test_an_api_page_costs_a_fixed_number_of_statements(client, django_assert_num_queries, params, statements):
    with django_assert_num_queries(statements):
        assert fetch(client, "/api/replies/", params) == 200


def test_one_reply_from_the_api_costs_five_statements(client, django_assert_num_queries):
    # the reply with its year, member and head; its programmes; its related replies: how common each of its
    # subject names is, the replies sharing its specific ones, the chosen ones with their year and member
    with django_assert_num_queries(5):
        assert fetch(client, "/api/replies/2023-24/ITIB001/", {}) == 200


# Without q: the COUNT, then (except Word, built whole) a savepoint, the setting that asks for a plan giving the
# first rows soonest, a server-side cursor and the release; inside, JSON prefetches each chunk's programmes, CSV
# and XLSX read each chunk's table counts and programme ids and, once, every programme's name. XLSX then measures
# the tables' size and reads the replies with tables (savepoint, setting, cursor, release) for its Tables sheet.
# With q: which of its terms are common strings first, and no setting (a search is planned as it comes, see
# columns.streamed).
EXPORT_STATEMENTS = {"csv": 7, "json": 6, "xlsx": 12, "docx": 3}
CURSOR_SETTINGS = {"csv": 1, "json": 1, "xlsx": 2, "docx": 0}


@pytest.mark.parametrize("format", sorted(EXPORT_STATEMENTS))
@pytest.mark.parametrize("params", [{}, SEARCH], ids=["everything", "search"])
def test_an_export_of_a_listing_costs_a_fixed_number_of_statements(client, django_assert_num_queries, format, params):
    search_statements = 1 - CURSOR_SETTINGS[format] if params else 0
    with django_assert_num_queries(EXPORT_STATEMENTS[format] + search_statements):
        assert fetch(client, f"/replies/export.{format}", params) == 200


@pytest.mark.parametrize(
    ("params", "statements"),
    [
        # the listing's COUNT, checked once for a bad filter and again for the feed; the files' import dates;
        # the entries; their programmes
        ({}, 5),
        # and the matches' ids, read before each COUNT
        (SEARCH, 7),
    ],
)
def test_a_feed_costs_a_fixed_number_of_statements(client, django_assert_num_queries, params, statements):
    with django_assert_num_queries(statements):
        assert fetch(client, "/replies/feed/", params) == 200
