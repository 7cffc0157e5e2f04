"""Subject and keywords of a reply (replies.reading.subject): pure text in, plain data out, no database.

The hand-written gold set tests/data/subjects_gold.json was made by reading the questions. Its figures print with
    .venv/bin/python -m pytest tests/test_subject_keywords.py -q -s -k gold
A produced subject is *exact* when it equals the gold one and *acceptable* when it contains one of the gold's
key noun phrases (the thing asked about: 數碼港, 「人才清單」…); keyword overlap is the share of gold keywords
found among the produced ones.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from replies.importing.parser import decode_file, parse_file
from replies.reading.subject import SUBJECT_MAX, KeywordWeights, keywords_of, subject_of

ROOT = Path(__file__).resolve().parent.parent
GOLD = json.loads((ROOT / "tests" / "data" / "subjects_gold.json").read_text(encoding="utf-8"))["replies"]
LEADING_FORMULAS = ("就此", "請告知", "請提供", "請列出", "請當局", "請政府", "請問", "政府可否告知", "可否告知", "告知本會")
STOPWORDS = {"本會", "政府", "當局", "年度", "局方", "詳情", "開支"}


@pytest.fixture(scope="module")
def replies():
    path = ROOT / "fixtures" / "itib-2023-24.txt"
    return parse_file(decode_file(path.read_bytes()), "bundled").replies


@pytest.fixture(scope="module")
def weights(replies):
    return KeywordWeights.from_texts(f"{r.question}\n\n{r.reply}" for r in replies)


@pytest.fixture(scope="module")
def produced(replies, weights):
    return {r.serial: (subject_of(r.question), keywords_of(r.question, r.reply, weights)) for r in replies}


def test_every_bundled_reply_has_a_clean_subject(replies, produced):
    for reply in replies:
        subject = produced[reply.serial][0]
        assert 1 <= len(subject) <= SUBJECT_MAX, (reply.serial, subject)
        assert not subject.startswith(LEADING_FORMULAS), (reply.serial, subject)
        assert not re.search(r"[，,。；;：:︰、？?！!\s]$", subject), (reply.serial, subject)
        assert "…" not in subject[:-1], (reply.serial, subject)


def test_every_bundled_reply_has_three_to_six_keywords_from_its_text(replies, produced):
    for reply in replies:
        keywords = produced[reply.serial][1]
        assert 3 <= len(keywords) <= 6, (reply.serial, keywords)
        assert len(set(keywords)) == len(keywords), (reply.serial, keywords)
        for keyword in keywords:
            assert keyword in reply.question or keyword in reply.reply, (reply.serial, keyword)
            assert len(keyword) >= 2 and keyword not in STOPWORDS, (reply.serial, keyword)
            assert not re.fullmatch(r"[\d,.\-–/%]+|\d{4}(?:-\d{2})?年?度?|.*\d.*(?:億元|萬元)", keyword), keyword


def gold_figures(produced) -> dict:
    exact = sum(produced[g["serial"]][0] == g["subject"] for g in GOLD)
    acceptable = sum(any(key in produced[g["serial"]][0] for key in g["key"]) or produced[g["serial"]][0] == g["subject"]
                     for g in GOLD)
    wanted = sum(len(g["keywords"]) for g in GOLD)
    found = sum(keyword in produced[g["serial"]][1] for g in GOLD for keyword in g["keywords"])
    return {"replies": len(GOLD), "exact": exact, "acceptable": acceptable, "keywords_wanted": wanted,
            "keywords_found": found, "keyword_overlap": round(found / wanted, 3)}


def test_gold_set_is_large_spread_and_well_formed(replies):
    serials = [r.serial for r in replies]
    assert len(GOLD) >= 30
    positions = sorted(serials.index(g["serial"]) for g in GOLD)
    assert positions[0] < len(serials) // 10 and positions[-1] > len(serials) * 9 // 10
    for gold in GOLD:
        assert 1 <= len(gold["subject"]) <= SUBJECT_MAX and len(gold["keywords"]) >= 2 and gold["key"]


def test_gold_subjects_and_keywords(produced):
    figures = gold_figures(produced)
    print("\nsubject/keyword gold figures:", json.dumps(figures, ensure_ascii=False))
    assert figures["acceptable"] >= 0.8 * figures["replies"]
    assert figures["keyword_overlap"] >= 0.4


@pytest.mark.parametrize(
    "question, subject",
    [
        ("財政預算案提及，會展開籌備工作；就此，請告知本會：\n\n(1) 用於展開《香港智慧城市藍圖3.0》的開支預算及人手為何？\n\n"
         "(2) 計劃完成制定的時間表？", "用於展開《香港智慧城市藍圖3.0》的開支預算及人手"),
        ("政府預留款項。就此，政府可否告知本委員會：\n\na. 政府會否考慮為初創企業解決資金以外的營運問題；\n\nb. 其他？",
         "政府會否考慮為初創企業解決資金以外的營運問題"),
        ("請政府告知，在2020至2022年，每年度中生產力促進局資助多少項新的科技研發項目。",
         "每年度中生產力促進局資助多少項新的科技研發項目"),
        ("有關「科技人才入境計劃」政府可否告知本會：\n\n(a) 具體的計劃內容；\n\n(b) 過去共多少人？", "「科技人才入境計劃」：具體的計劃內容"),
        ("簡便通關安排\n\n行政長官表示會考慮，就此，政府可否告知本會，相關與內地的商討溝通的進度為何，預計何時公布？",
         "簡便通關安排：相關與內地的商討溝通的進度"),
        ("請局方告知本會這3年來，政府有何政策措施支援長者解決「數碼鴻溝」的問題，請詳列所涉及的開支及成效。",
         "政府有何政策措施支援長者解決「數碼鴻溝」的問題"),
    ],
)
def test_subject_is_the_first_ask_without_formulas(question, subject):
    assert subject_of(question) == subject


def test_long_ask_is_cut_at_a_clause_and_marked():
    question = ("就此，請告知本會：1. 有否就吸引內地及世界各地的創科領軍人才、科研團隊和企業，制訂政策及措施，"
                "以及預計吸納那個界別創科人才、團隊或企業，若有，詳情為何？\n\n2. 其他")
    assert subject_of(question) == "有否就吸引內地及世界各地的創科領軍人才、科研團隊和企業，制訂政策及措施…"


def test_a_name_in_brackets_is_never_cut():
    name = "「" + "數碼港創意微型基金及科技園創業培育計劃" + "」"
    subject = subject_of(f"請告知本會，過去推行{name}{name}{name}的開支為何？")
    assert len(subject) <= SUBJECT_MAX and subject.endswith("…")
    assert subject.count("「") == subject.count("」")


@pytest.mark.parametrize("question", ["？", "為何", "abc", "就此，請告知本會：", "  \n  一  "])
def test_subject_is_never_empty_for_a_non_empty_question(question):
    assert 1 <= len(subject_of(question)) <= SUBJECT_MAX


def test_empty_question_has_an_empty_subject():
    assert subject_of("") == "" and subject_of("  \n ") == ""


def test_weights_round_trip_through_json(weights, replies):
    restored = KeywordWeights.from_json(json.loads(json.dumps(weights.to_json(), ensure_ascii=False)))
    for reply in replies[:20]:
        assert keywords_of(reply.question, reply.reply, restored) == keywords_of(reply.question, reply.reply, weights)


def test_keywords_put_names_first_and_keep_the_printed_form(weights):
    question = "請告知本會，「創科實習計劃」在2023-24年度的開支及受惠學生人數為何？"
    reply = "「創科實習計劃」資助大學生到科技公司實習。2023-24年度，計劃預算為3億元，受惠學生約8 200名。實習機會。"
    keywords = keywords_of(question, reply, weights)
    assert keywords[0] == "創科實習計劃"
    assert not {"2023-24", "3億元", "本會", "年度"} & set(keywords)


def test_keywords_of_an_empty_text_are_empty(weights):
    assert keywords_of("", "", weights) == []
    assert keywords_of("", "", KeywordWeights.from_texts([])) == []
