"""Real queries a journalist would type, with their counts, and the tricky cases of the search issue.

Every count is checked twice: against the number written here (read off the replies) and against the
independent substring scan of tests.search_oracle.
"""

from __future__ import annotations

import pytest

from replies.models import Reply
from tests.search_oracle import containing, containing_literally, corpus, found_by_search

pytestmark = pytest.mark.django_db

EXPECTED_COUNTS = {
    # organisations and offices
    "香港生產力促進局": 30, "創新科技署": 76, "資科辦": 50, "效率促進辦公室": 25, "香港科技園公司": 21,
    "科學園": 21,
    # schemes and topics
    "智方便": 49, "數碼港": 52, "InnoHK": 10, "人工智能": 63, "網絡安全": 11, "區塊鏈": 19, "大灣區": 35,
    # members (who asked) and officers (who signed)
    "葛珮帆": 7, "吳永嘉": 19, "孫東": 1, "黃志光": 106, "麥德偉": 95, "潘婷婷": 62,
    # numbers and English terms
    "1823": 13, "2023-24": 141, "AI": 2, "5G": 8, "Web3": 15, "ChatGPT": 1, "Smart": 2, "iamsmart.gov.hk": 14,
    "1 300": 14, "1300": 14, "1,300": 14,
    # fragments across jieba words and mixed runs
    "字經濟": 13, "工智能超算中": 13, "Web3生態圈": 15, "中學IT創新實驗室": 18,
}


@pytest.mark.parametrize("q, count", EXPECTED_COUNTS.items())
def test_real_queries_find_their_counted_replies(q, count):
    """Quoted, each finds exactly its own replies; unquoted too, unless it is an alias (then also its group's)."""
    found = found_by_search(f'"{q}"')
    assert len(found) == count
    assert found == containing_literally(q)
    assert found_by_search(q) == containing(q)


@pytest.mark.parametrize("simplified, traditional", [("数码港", "數碼港"), ("数碼港", "數碼港"), ("智方便", "智方便"),
                                                      ("资科办", "資科辦"), ("香港生产力促进局", "香港生產力促進局"),
                                                      ("ＡＩ", "AI"), ("web3", "Web3")])
def test_either_script_and_width_is_one_query(simplified, traditional):
    assert found_by_search(simplified) == found_by_search(traditional) != set()


def replies_whose_text_has(substring: str) -> set[str]:
    """Plain substring anywhere (no token edges): what a naive LIKE search would return."""
    return {fields.serial for fields, texts in corpus() if any(substring in text for text in texts)}


def test_latin_words_match_whole_tokens_only():
    assert found_by_search("AI") == {"ITIB097", "ITIB204"}
    assert len(replies_whose_text_has("ai")) == 4  # e.g. inside "email": not an AI reply
    assert len(found_by_search("Smart")) == 2
    assert len(replies_whose_text_has("smart")) > 14  # iamsmart.gov.hk does not match Smart
    assert found_by_search("Smart").isdisjoint(found_by_search("iamsmart.gov.hk") - found_by_search("Smart"))


@pytest.mark.parametrize("q, same_as", [('"數碼港', "數碼港"), ('數碼港"', "數碼港"), ("(數碼港)", "數碼港"),
                                         ("數碼港 AND 科學園", "數碼港 科學園"), ("數碼港 OR", "數碼港"),
                                         ("OR 數碼港", "數碼港"), ("數碼港 -", "數碼港"), ("數碼港 &", "數碼港")])
def test_malformed_queries_are_read_leniently(q, same_as):
    assert found_by_search(q) == found_by_search(same_as)


@pytest.mark.parametrize("q", ["OR", "-", "((", "&", "AND", '""', "。", "\x00", "  "])
def test_queries_without_a_term_show_everything(q):
    assert Reply.objects.search(q).count() == 263


def test_exclusion_and_or():
    assert found_by_search("數碼港 -科學園") == containing("數碼港", excluding=("科學園",))
    assert len(found_by_search("數碼港 -科學園")) == 41
    assert found_by_search("數碼港 OR 科學園") == containing("數碼港") | containing("科學園")
    assert len(found_by_search("數碼港 OR 科學園")) == 62
    assert found_by_search("數碼港 科學園") == containing("數碼港", "科學園")
    assert len(found_by_search("數碼港 科學園")) == 11
    assert found_by_search("-數碼港") == set()


def test_a_phrase_keeps_its_spaces_and_punctuation():
    assert found_by_search('"iAM Smart"') == containing_literally("iAM Smart")
    assert found_by_search('"iAM Smart"') != set()


def test_the_number_1300_is_found_however_it_was_printed():
    texts = [t for fields, texts in corpus() if fields.serial in found_by_search("1300") for t in fields.raw_fields]
    assert any("1 300" in t for t in texts)  # printed with a thin space in at least one reply


def test_terms_may_match_in_different_fields():
    both = found_by_search("葛珮帆 數碼港")
    assert len(both) == 1
    assert both == containing("葛珮帆", "數碼港")
    assert all(Reply.objects.get(serial=s).member.name == "葛珮帆" for s in both)
