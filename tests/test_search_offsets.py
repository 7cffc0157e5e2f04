"""search.offsets must rebuild exactly the offsets of normalise_with_offsets, so that a snippet marked from the
stored normalised text is the snippet marked after normalising the original again."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from replies.highlighting import SNIPPET_WIDTH
from replies.models import Reply
from search import highlight, normalise_for_search, parse_query
from search.normalise import normalise_with_offsets
from search.offsets import offsets_for

# The characters normalisation treats apart: spaces of every kind, controls, invisibles, number separators
# (the full-width comma and the ideographic space are not), full-width digits and letters, letters whose
# lower case is ASCII or two characters, compatibility ideographs, and the scripts a search crosses.
TRICKY = list(
    " \t\n\r\x0b\x0c\x85\u2028\u3000\u00a0\u2009\u202f\x00\x1f\x7f\u200b\ufeff\u00ad\ufe0f,，.．、"
    "0123456789０１２３９abcXYZＡｚ\u212aİ$%-()\uf9ca數碼港数码港答覆科學園〇"
)
PIECES = ["1", "22", "300", "1 300", "1,300", "１，３００", "1\u3000300", "1\u00a0000", "4.5 000", "web3 000", "$28,808,000",
          " ", "  ", "\n", "\u200b", "數", "a", "K", "．"]
TEXTS = (
    st.text(alphabet=st.sampled_from(TRICKY), max_size=60)
    | st.lists(st.sampled_from(PIECES), max_size=12).map("".join)  # grouped numbers and their look-alikes
    | st.text(max_size=40)
)
QUERIES = ["數碼港", "数码港", "1300", "1 300", "a", "k", "xyz", "，", "答复", "港 a", "0", "流", "科學園 OR 1"]


def assert_same_offsets(text: str) -> None:
    normalised, offsets = normalise_with_offsets(text)
    rebuilt = offsets_for(text, normalised)
    assert rebuilt is not None
    assert [rebuilt[i] for i in range(len(normalised))] == offsets


@settings(max_examples=600, deadline=None)
@given(TEXTS)
def test_offsets_are_those_of_normalising_again(text):
    assert_same_offsets(text)


@settings(max_examples=300, deadline=None)
@given(TEXTS, st.sampled_from(QUERIES))
def test_snippets_and_marks_are_the_same_from_the_stored_text(text, q):
    query, normalised = parse_query(q), normalise_for_search(text)
    assert highlight(text, query, normalised=normalised) == highlight(text, query)
    assert highlight(text, query, snippet=True, width=20, normalised=normalised) == highlight(
        text, query, snippet=True, width=20
    )


# Long texts with ideographs between the tricky pieces, so that a map of a prefix (``through``) is cut in them.
LONG_TEXTS = st.lists(TEXTS | st.sampled_from(["數碼港答覆科學園" * 6, "科學園"]), min_size=2, max_size=12).map("".join)


@settings(max_examples=400, deadline=None)
@given(LONG_TEXTS, st.integers(min_value=0))
def test_a_map_of_a_prefix_gives_the_offsets_up_to_the_last_character_asked(text, through):
    normalised, offsets = normalise_with_offsets(text)
    if not normalised:
        return
    through %= len(normalised)
    rebuilt = offsets_for(text, normalised, through=through)
    assert rebuilt is not None
    assert through < rebuilt.length <= len(normalised)
    assert [rebuilt[i] for i in range(through + 1)] == offsets[: through + 1]


def test_a_snippet_near_the_start_of_a_long_reply_maps_only_a_prefix():
    text = "答覆：數碼港的開支。\n" + "科學園 1 300 人次\n" * 3000
    normalised = normalise_for_search(text)
    assert offsets_for(text, normalised, through=5).length < len(normalised) // 100
    assert highlight(text, parse_query("數碼港"), snippet=True, width=20, normalised=normalised) == highlight(
        text, parse_query("數碼港"), snippet=True, width=20
    )


def test_a_stored_text_that_does_not_fit_is_not_used():
    text = "數碼港 1 300 web3"
    assert offsets_for(text, normalise_for_search(text) + "x") is None
    stale = "web3 1300 数码港"  # as long, but the hit's characters are elsewhere: the original is normalised again
    assert highlight(text, parse_query("數碼港"), normalised=stale) == "<mark>數碼港</mark> 1 300 web3"


@pytest.mark.django_db
def test_every_bundled_reply_is_marked_the_same_from_its_search_text():
    queries = [parse_query(q) for q in ("數碼港", "的", "2023", "1 300", "科技 OR 創新", "政府 -香港", "ai", "，")]
    for reply in Reply.objects.only("question", "reply", "search_text"):
        lines = reply.search_text.split("\n")
        for text, normalised in ((reply.question, lines[1]), (reply.reply, lines[-1])):
            assert_same_offsets(text)
            for query in queries:
                assert highlight(text, query, snippet=True, width=SNIPPET_WIDTH, normalised=normalised) == highlight(
                    text, query, snippet=True, width=SNIPPET_WIDTH
                ), (reply.pk, query)
