"""Ranking: a hit in the question or by the asking member first, whole words before characters that merely sit
side by side, more hits before fewer; and judged queries with their precision at 10."""

from __future__ import annotations

from collections import Counter

import pytest

from replies.models import Reply
from search import normalise_for_search
from tests.search_oracle import save_indexed_reply

pytestmark = pytest.mark.django_db


def ranked(q: str) -> list[Reply]:
    return list(Reply.objects.search(q).by_relevance().select_related("member"))


def test_a_members_name_lists_their_own_questions_first():
    counts = Counter(Reply.objects.values_list("member__name", flat=True))
    for name, count in counts.items():
        results = ranked(name)
        assert {r.member.name for r in results[:count]} == {name}, name


def test_replies_about_cyberport_come_before_passing_mentions():
    results = ranked("數碼港")
    in_question = [normalise_for_search("數碼港") in normalise_for_search(r.question) for r in results]
    assert in_question.count(True) == 15 and len(results) == 52
    assert in_question == sorted(in_question, reverse=True)  # every question hit before any reply-only hit


# Judged relevance: a reply is relevant to a topic when its QUESTION asks about it (in any of the wordings
# listed); for a member's name, when that member asked it. Precision is taken at k = min(10, relevant replies
# among the results): a reply that only mentions the topic in passing is a true result but not a relevant one,
# so with 5 relevant results the measure asks whether those 5 come first.
JUDGED_TOPICS = {
    "數碼港": ["數碼港"],
    "智方便": ["智方便", "iAM Smart"],
    "人工智能": ["人工智能", "AI", "ChatGPT"],
    "1823": ["1823"],
    "科學園": ["科學園", "科技園"],
    "超算中心": ["超算", "超級計算"],
    "網絡安全": ["網絡安全", "網絡保安", "網絡攻擊"],
    "區塊鏈": ["區塊鏈", "Web3"],
    "大灣區": ["大灣區"],
}
JUDGED_MEMBERS = ["葛珮帆", "吳永嘉", "邱達根", "容海恩"]


def judged_relevant(q: str, reply: Reply) -> bool:
    if q in JUDGED_MEMBERS:
        return reply.member.name == q
    question = normalise_for_search(reply.question)
    return any(normalise_for_search(word) in question for word in JUDGED_TOPICS[q])


def precision_at_10(q: str) -> float:
    judged = [judged_relevant(q, r) for r in ranked(q)]
    k = min(10, sum(judged))
    assert k > 0, f"{q}: no relevant result to judge"
    return sum(judged[:k]) / k


def test_precision_at_10_of_judged_queries():
    scores = {q: precision_at_10(q) for q in [*JUDGED_TOPICS, *JUDGED_MEMBERS]}
    print("\nprecision@10 (at min(10, relevant results)):")
    for q, score in scores.items():
        print(f"  {q}: {score:.2f}")
    mean = sum(scores.values()) / len(scores)
    print(f"  mean: {mean:.2f}")
    assert len(scores) >= 8
    # 區塊鏈 scores 0.4: questions about Web3 are judged relevant, but they say 區塊鏈 only in the reply, and
    # search does not know synonyms; every other query is at 0.8 or better.
    assert mean >= 0.9 and sum(score >= 0.8 for score in scores.values()) >= len(scores) - 1


def synthetic(results: list[Reply]) -> list[str]:
    """The synthetic replies among the results, in rank order (the real ones may match too)."""
    return [r.serial for r in results if r.serial.startswith("TEST")]


def test_a_whole_word_outranks_characters_across_a_word_boundary():
    save_indexed_reply("TEST901", "甲乙", "本局的社會計劃已推出。")  # 會計 sits across 社會 / 計劃
    save_indexed_reply("TEST902", "甲乙", "本局的會計制度已更新。")  # 會計 is a word
    assert synthetic(ranked("會計")) == ["TEST902", "TEST901"]


def test_more_hits_outrank_fewer():
    save_indexed_reply("TEST903", "甲乙", "量子科技一次。")
    save_indexed_reply("TEST904", "甲乙", "量子科技。量子科技。量子科技。")
    assert synthetic(ranked("量子科技")) == ["TEST904", "TEST903"]


def test_a_question_hit_outranks_many_reply_hits():
    save_indexed_reply("TEST905", "甲乙", "量子科技。" * 50)
    save_indexed_reply("TEST906", "量子科技的開支？", "沒有。")
    assert synthetic(ranked("量子科技")) == ["TEST906", "TEST905"]


def test_above_the_full_rank_limit_question_hits_come_first_then_newest(monkeypatch, client):
    """Ranking tens of thousands of matches by ts_rank takes seconds, so above FULL_RANK_LIMIT the order is
    coarser: replies with the word in the question first, then newest first, and the listing says so."""
    monkeypatch.setattr("replies.querysets.FULL_RANK_LIMIT", 20)
    monkeypatch.setattr("replies.views.FULL_RANK_LIMIT", 20)
    results = list(Reply.objects.search("數碼港").by_relevance().select_related("year"))
    in_question = [normalise_for_search("數碼港") in normalise_for_search(r.question) for r in results]
    assert len(results) == 52 and in_question == sorted(in_question, reverse=True)
    expected = sorted(results, key=lambda r: (not in_question[results.index(r)], r.serial))  # one year: by serial
    assert [r.serial for r in results] == [r.serial for r in expected]

    page = client.get("/en/replies/", {"q": "數碼港"}).content.decode()
    assert "More than 20 replies match, so they are ordered by where your words appear" in page
    assert "ordered by where your words" not in client.get("/en/replies/", {"q": "InnoHK"}).content.decode()
    assert "ordered by where your words" not in client.get("/en/replies/", {"q": "數碼港", "ordering": "serial"}).content.decode()


def test_up_to_the_full_rank_limit_every_match_is_ranked():
    """The same search below the limit: more mentions first within the question hits (not serial order)."""
    results = list(Reply.objects.search("數碼港").by_relevance())
    question_hits = [r for r in results if normalise_for_search("數碼港") in normalise_for_search(r.question)]
    assert [r.serial for r in question_hits] != sorted(r.serial for r in question_hits)
