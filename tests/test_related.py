"""Related replies (issue 15, part 2): the names a reply is about, and the replies sharing them.

No database: the bundled file is parsed directly. The quality test judges the suggestions for every bundled
reply against tests/data/related_judgements.json, written by reading the file (see its header).
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from replies.importing.decoding import decode_file
from replies.importing.parser import parse_file
from replies.reading.related import MAX_NAMES, related, subject_names

ROOT = Path(__file__).resolve().parent.parent
BUNDLED = ROOT / "fixtures" / "itib-2023-24.txt"
JUDGEMENTS = Path(__file__).resolve().parent / "data" / "related_judgements.json"
COUNTED_PER_REPLY = 5  # a reply page shows 5, so recall counts at most 5 judged related replies per reply
MIN_PRECISION = 0.85
MIN_RECALL = 0.80


@pytest.fixture(scope="module")
def corpus() -> dict[str, list[str]]:
    """serial -> subject_names of every bundled reply."""
    replies = parse_file(decode_file(BUNDLED.read_bytes()), BUNDLED.name).replies
    return {reply.serial: subject_names(reply.question, reply.reply) for reply in replies}


@pytest.fixture(scope="module")
def suggestions(corpus) -> dict[str, list[tuple[str, list[str]]]]:
    """serial -> (serial, shared names) suggested, computed as the page will: candidates share a name."""
    serials = sorted(corpus)
    number = {serial: index for index, serial in enumerate(serials)}
    counts = Counter(name for names in corpus.values() for name in set(names))
    result = {}
    for serial, names in corpus.items():
        candidates = [
            (number[other], corpus[other]) for other in serials if other != serial and set(corpus[other]) & set(names)
        ]
        result[serial] = [(serials[i], shared) for i, shared in related(names, candidates, counts, len(serials))]
    return result


def test_suggestions_against_judgements(suggestions):
    judged = json.loads(JUDGEMENTS.read_text(encoding="utf-8"))["judgements"]
    assert len(judged) >= 20
    right = suggested = found = wanted = 0
    for serial, judgement in judged.items():
        expected = set(judgement["related"])
        got = [other for other, _ in suggestions[serial]]
        right += sum(other in expected for other in got)
        suggested += len(got)
        found += min(COUNTED_PER_REPLY, sum(other in expected for other in got))
        wanted += min(COUNTED_PER_REPLY, len(expected))
    precision, recall = right / suggested, found / wanted
    print(f"\nrelated replies on {len(judged)} judged replies: precision {precision:.3f} ({right}/{suggested}), "
          f"recall {recall:.3f} ({found}/{wanted})")
    assert precision >= MIN_PRECISION
    assert recall >= MIN_RECALL


def test_unique_subjects_get_no_filler(suggestions):
    judged = json.loads(JUDGEMENTS.read_text(encoding="utf-8"))["judgements"]
    lonely = [serial for serial, judgement in judged.items() if not judgement["related"]]
    assert lonely, "the judgements include replies on subjects nobody else asked about"
    for serial in ("ITIB043", "ITIB135"):  # 管理參議主任職系, 香港太空館
        assert serial in lonely and suggestions[serial] == []


def test_names_of_a_bundled_reply(corpus):
    assert corpus["ITIB121"][0] == "微電子研發院"
    assert corpus["ITIB193"][0] == "多功能智慧燈柱試驗計劃"
    assert "港深創新及科技園" in corpus["ITIB013"][:2]  # 港深創科園, printed as its alias group's full name
    assert all(len(names) <= MAX_NAMES and len(names) == len(set(names)) for names in corpus.values())


def test_quoted_and_dictionary_names_are_printed_as_in_the_text():
    names = subject_names("請告知「科技券」的申請數目。", "「科技券」已批出21 365宗申請，生產力局推出「資助易」。")
    assert names[0] == "科技券"
    assert "資助易" in names and "香港生產力促進局" in names  # 生產力局: one of that body's names


def test_generic_words_are_not_names():
    names = subject_names("「計劃」和「基金」由政府推行，請告知本會「創新科技」的開支。", "本局會繼續推行有關計劃。")
    assert names == []


def test_the_question_outweighs_the_reply():
    names = subject_names("請告知「城市創科大挑戰」的開支。", "「智方便」「智方便」會在活動中使用。")
    assert names[:2] == ["城市創科大挑戰", "智方便"]


def test_empty_texts_have_no_names():
    assert subject_names("", "") == []
    assert related([], [(1, ["科技券"])], {"科技券": 3}, 100) == []


def test_a_rare_shared_name_relates():
    result = related(["微電子研發院", "創新科技署"], [(7, ["微電子研發院"])], {"微電子研發院": 9}, 263)
    assert result == [(7, ["微電子研發院"])]


def test_a_common_name_alone_does_not_relate():
    total = 1000
    counts = {"創新科技署": 60, "科技券": 4}  # 創新科技署 in 6 % of replies
    assert related(["創新科技署"], [(1, ["創新科技署"]), (2, ["創新科技署"])], counts, total) == []
    assert related(["創新科技署", "科技券"], [(1, ["創新科技署", "科技券"])], counts, total) == [
        (1, ["創新科技署", "科技券"])
    ]


def test_a_name_mentioned_in_passing_does_not_relate():
    counts = {"微電子研發院": 3, **{f"名稱{i}": 200 for i in range(11)}}
    passing = [f"名稱{i}" for i in range(11)] + ["微電子研發院"]  # its last name
    assert related(["微電子研發院"], [(5, passing)], counts, 1000) == []


def test_ties_are_broken_by_id_whatever_the_candidates_order():
    counts = {"科技券": 5, "資助易": 5}
    candidates = [(30, ["科技券", "資助易"]), (10, ["科技券", "資助易"]), (20, ["科技券", "資助易"])]
    forward = related(["科技券", "資助易"], candidates, counts, 500)
    backward = related(["科技券", "資助易"], list(reversed(candidates)), counts, 500)
    assert [reply_id for reply_id, _ in forward] == [10, 20, 30]
    assert forward == backward


def test_limit_and_order_by_score():
    counts = {"科技券": 5, "資助易": 5}
    candidates = [(1, ["資助易"]), (2, ["科技券", "資助易"]), (3, ["科技券"])]
    assert [reply_id for reply_id, _ in related(["科技券", "資助易"], candidates, counts, 500, limit=2)] == [2, 3]
    assert related(["科技券"], candidates, counts, 500, limit=0) == []
