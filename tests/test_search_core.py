"""Unit tests of the pure search core: exact outputs for folding, normalisation, lexemes, literals,
query parsing and highlighting. Property and corpus-wide tests are in test_search_core_properties.py."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from search import (
    build_search_text,
    fold,
    highlight,
    is_cjk,
    make_term,
    match_lexemes,
    normalise_for_search,
    normalise_with_offsets,
    parse_query,
    rank_positions,
    rank_words,
    term_lexemes,
    tsquery_literal,
    tsvector_literal,
)
from search.query import MAX_QUERY_CHARS, MAX_TERM_LEXEMES, MAX_TERMS, Term
from search.tokens import lexemes_prove_match

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "itib-2023-24.txt"


# --- fold ---------------------------------------------------------------------------------------------


def test_fold_traditional_simplified_and_mixed_spellings_agree():
    assert fold("數碼港") == fold("数码港") == fold("数碼港") == "数码港"


@pytest.mark.parametrize(
    "text, folded",
    [
        ("ＡＢＣ１２３\u3000ｘ", "abc123 x"),  # full width to half width, ideographic space to space
        ("Web3 InnoHK", "web3 innohk"),
        ("İstanbul", "İstanbul"),  # "İ".lower() has two characters: kept
        ("答覆 回覆", "答复 回复"),  # phrase-only conversion, folded everywhere
        ("著名 穿著 憑藉 瞭解", "着名 穿着 凭借 了解"),
        ("峯 綫 衞 裏", "峰 线 卫 里"),  # Hong Kong variants
        ("\uf90a\uf9ca", "金流"),  # compatibility ideographs from PDF extraction
        ("\u2f8f", "行"),  # Kangxi radical
        ("𠀀𧵳", "𠀀䞌"),  # astral: kept, or converted one to one
        ("a\ud800b\x00", "a\ud800b\x00"),  # lone surrogate and NUL pass through
    ],
)
def test_fold_examples(text, folded):
    assert fold(text) == folded
    assert len(fold(text)) == len(text)


def test_fold_keeps_the_length_of_the_whole_corpus_file():
    text = CORPUS.read_text(encoding="utf-8")
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded[1000:1300] == fold(text[1000:1300])  # per character: fragments fold alike


def test_fold_is_idempotent_on_every_bmp_and_extension_a_ideograph():
    chars = "".join(chr(c) for c in [*range(0x3400, 0x4DC0), *range(0x4E00, 0xA000)])
    folded = fold(chars)
    assert len(folded) == len(chars)
    assert fold(folded) == folded


# --- normalise ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, normalised",
    [
        ("數 碼港", "数码港"),  # whitespace next to CJK is an artefact
        ("Web3 生態圈", "web3生态圈"),
        ("smart \n  city", "smart city"),
        (" 約 1 300間 ", "约1300间"),  # digit groups join
        ("1,300萬元", "1300万元"),
        ("22 195 545", "22195545"),
        ("$28,808,000", "$28808000"),
        ("2018 171", "2018 171"),  # a year and a count: the first group has four digits
        ("100\t100", "100 100"),  # table columns: a tab is not a thousands separator
        ("100  100", "100 100"),  # nor are two spaces
        ("1，300", "1,300"),  # the full-width comma is punctuation
        ("4.5 000", "4.5 000"),  # no joining after a decimal point
        ("web3 000", "web3 000"),  # nor after a letter
        ("數\u200b碼\ufe00港", "数码港"),  # zero-width and variation selectors vanish
        ("a\x00b\x07c", "a b c"),  # control characters are whitespace
        ("行\u3000政", "行政"),
        ("第 17 節  ITIB - 第 2 頁", "第17节itib -第2页"),
    ],
)
def test_normalise_examples(text, normalised):
    assert normalise_for_search(text) == normalised


def test_offsets_point_at_the_original_characters():
    text = " 約 1 300間 數 碼港"
    normalised, offsets = normalise_with_offsets(text)
    assert normalised == "约1300间数码港"
    assert [text[i] for i in offsets] == list("約1300間數碼港")


def test_search_text_joins_normalised_fields_with_newlines():
    assert build_search_text(["陳振英", None, "數 碼港  Web3 Smart"]) == "陈振英\n\n数码港web3 smart"


def test_cjk_definition():
    assert all(is_cjk(c) for c in "數〇㐀𠀀\uf90a⾏")
    assert not any(is_cjk(c) for c in "，。「」、・あア한ㄅa1 ")


# --- lexemes ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, lexemes",
    [
        ("数码港", {"数", "码", "港", "数码", "码港"}),
        ("iamsmart.gov.hk", {"iamsmart", "gov", "hk"}),
        ("2023-24年度", {"2023", "24", "年", "度", "年度"}),
        ("约1300间", {"约", "间", "1300"}),
        ("「智方便」，好", {"智", "方", "便", "智方", "方便", "好"}),  # punctuation splits runs
        ("web3生态圈 5g", {"web3", "5g", "生", "态", "圈", "生态", "态圈"}),
        ("café ñ", {"caf"}),  # non-ASCII letters are not token characters
        ("𠀀字", {"𠀀", "字", "𠀀字"}),
    ],
)
def test_match_lexemes(text, lexemes):
    assert match_lexemes(text) == lexemes


def test_long_tokens_are_cut_on_both_sides():
    token = "x" * 150
    assert match_lexemes(token) == {"x" * 100}
    assert term_lexemes(token) == ["x" * 100]
    assert not lexemes_prove_match(token)


@pytest.mark.parametrize(
    "term, lexemes, proven",
    [
        ("港", ["港"], True),
        ("港口", ["港口"], True),
        ("数码港", ["数码", "码港"], False),
        ("web3", ["web3"], True),
        ("web3生态圈", ["web3", "生态", "态圈"], False),
        ("中学it创新实验室", ["中学", "it", "创新", "新实", "实验", "验室"], False),
        ("2023-24", ["2023", "24"], False),
        ("哈哈哈", ["哈哈"], False),
        ("&", [], False),
    ],
)
def test_term_lexemes_and_proof(term, lexemes, proven):
    assert term_lexemes(term) == lexemes
    assert lexemes_prove_match(term) is proven


# --- tsvector / tsquery literals ----------------------------------------------------------------------


def test_tsvector_literal_without_positions_is_sorted_unique_and_quoted():
    assert tsvector_literal(["港", "a", "港", "it's", "back\\slash", ""]) == "'a' 'back\\\\slash' 'it''s' '港'"


def test_tsvector_literal_with_positions_weights_and_postgres_limits():
    entries = {
        "a": [(3, "B"), (1, "D"), (3, "A"), (0, "A"), 99999, (2, "x")],
        "b": list(range(1, 301)),
        "y" * 2047: [1],  # PostgreSQL rejects words over 2046 bytes: left out, not sent
        "bad\ud800": [1],
    }
    literal = tsvector_literal(entries)
    assert literal.startswith("'a':1A,2,3A,16383 'b':1,2,3,")
    assert literal.endswith(",255,256")
    assert "y" * 2047 not in literal and "bad" not in literal


def test_tsquery_literal():
    assert tsquery_literal(["web3", "生态", "web3"]) == "'web3' & '生态'"
    assert tsquery_literal(["a", "b"], "|") == "'a' | 'b'"
    assert tsquery_literal([]) == ""
    with pytest.raises(ValueError):
        tsquery_literal(["a"], "; DROP")


# --- rank words ---------------------------------------------------------------------------------------


def test_rank_words_use_the_domain_dictionary_in_search_mode():
    assert rank_words("數碼港培育計劃") == ["数码", "培育", "计划", "数码港", "数码港培育计划"]
    assert rank_words("智方便") == ["方便", "智方便"]
    assert "香港生产力促进局" in rank_words("香港生產力促進局")
    # a Latin compound is also yielded whole, so its parts count twice (search/segment.py)
    assert rank_words("iamsmart.gov.hk 的 Web3") == ["iamsmart", "gov", "hk", "iamsmart", "gov", "hk", "的", "web3"]
    assert rank_words("") == []


def test_rank_positions_number_words_in_field_order():
    entries = rank_positions([("A", "數碼港"), ("D", "數碼港 培育")])
    assert entries == {"数码": [(1, "A"), (3, "D")], "数码港": [(2, "A"), (4, "D")], "培育": [(5, "D")]}
    assert tsvector_literal(entries) == "'培育':5 '数码':1A,3 '数码港':2A,4"


# --- query parsing ------------------------------------------------------------------------------------


def only_term(q: str) -> Term:
    query = parse_query(q)
    assert len(query.clauses) == 1 and len(query.clauses[0].terms) == 1, query
    return query.clauses[0].terms[0]


@pytest.mark.parametrize(
    "q, folded, lexemes, needs_verify, regex",
    [
        ("字經濟", "字经济", ("字经", "经济"), True, "字经济"),
        ("工智能超算中", "工智能超算中", ("工智", "智能", "能超", "超算", "算中"), True, "工智能超算中"),
        ("港", "港", ("港",), False, "港"),
        ("數碼", "数码", ("数码",), False, "数码"),
        ("Web3生態圈", "web3生态圈", ("web3", "生态", "态圈"), True, "(?<![a-z0-9])web3生态圈"),
        ("中學IT創新實驗室", "中学it创新实验室", ("中学", "it", "创新", "新实", "实验", "验室"), True, "中学it创新实验室"),
        ("AI", "ai", ("ai",), False, "(?<![a-z0-9])ai(?![a-z0-9])"),
        ("5G", "5g", ("5g",), False, "(?<![a-z0-9])5g(?![a-z0-9])"),
        ("1823", "1823", ("1823",), False, "(?<![a-z0-9])1823(?![a-z0-9])"),
        ("1 300", "1300", ("1300",), False, "(?<![a-z0-9])1300(?![a-z0-9])"),
        ("1,300", "1300", ("1300",), False, "(?<![a-z0-9])1300(?![a-z0-9])"),
        ("2023-24", "2023-24", ("2023", "24"), True, r"(?<![a-z0-9])2023\-24(?![a-z0-9])"),
        ("iamsmart.gov.hk", "iamsmart.gov.hk", ("iamsmart", "gov", "hk"), True,
         r"(?<![a-z0-9])iamsmart\.gov\.hk(?![a-z0-9])"),
        ("𠀀", "𠀀", ("𠀀",), False, "𠀀"),
        ("(AI),", "ai", ("ai",), False, "(?<![a-z0-9])ai(?![a-z0-9])"),  # edge punctuation trimmed
        ("「智方便」", "智方便", ("智方", "方便"), True, "智方便"),
    ],
)
def test_query_terms(q, folded, lexemes, needs_verify, regex):
    term = only_term(q)
    assert (term.folded, term.lexemes, term.needs_verify, term.verify_regex) == (folded, lexemes, needs_verify, regex)
    assert not term.negated and not term.is_phrase


def test_phrases_keep_inner_spaces_as_texts_do():
    latin = only_term('"Smart   City"')
    assert (latin.folded, latin.is_phrase, latin.original) == ("smart city", True, "Smart   City")
    assert latin.verify_regex == "(?<![a-z0-9])smart city(?![a-z0-9])"
    assert only_term('"數碼港 培育計劃"').folded == "数码港培育计划"
    assert only_term('"(AI)"').verify_regex == r"\(ai\)"  # a phrase is literal
    unclosed = only_term('"數碼港 培育')
    assert (unclosed.folded, unclosed.is_phrase) == ("数码港培育", True)


def test_every_regex_metacharacter_is_escaped():
    term = make_term(r"a.b*c+d?e(f)g[h]i{j}k|l^m$n\o#p&q~r-s", is_phrase=True)
    regex = term.verify_regex
    assert regex == (
        r"(?<![a-z0-9])a\.b\*c\+d\?e\(f\)g\[h\]i\{j\}k\|l\^m\$n\\o\#p\&q\~r\-s(?![a-z0-9])"
    )
    assert re.search(regex, "x a.b*c+d?e(f)g[h]i{j}k|l^m$n\\o#p&q~r-s!")


def test_and_or_and_exclusion_structure():
    query = parse_query("數碼港 AI OR 人工智能 -Web3 AND 科學園")
    assert [[t.original for t in c.terms] for c in query.clauses] == [["數碼港"], ["AI", "人工智能"], ["Web3"], ["科學園"]]
    assert [c.negated for c in query.clauses] == [False, False, True, False]
    assert query.display() == "數碼港 (AI OR 人工智能) -Web3 科學園"
    assert [t.folded for t in query.positive_terms] == ["数码港", "ai", "人工智能", "科学园"]
    assert [t.folded for t in query.negated_terms] == ["web3"]


@pytest.mark.parametrize(
    "q, shown",
    [
        ("OR a OR OR b OR", "(a OR b)"),
        ("-a OR b", "-a b"),  # OR only joins positive terms
        ("a OR -b", "a -b"),
        ("a or b", "a or b"),  # lower-case "or" is a word
        ("a OR & OR b", "(a OR b)"),  # a dropped term keeps the pending OR
        ("數碼港 数码港 數碼港", "數碼港"),  # the same folded term once
        ("--a", "-a"),
        ('-"a b"', '-"a b"'),
        ("ＡＩ ＯＲ 人工智能", "(ＡＩ OR 人工智能)"),
    ],
)
def test_operator_edge_cases(q, shown):
    assert parse_query(q).display() == shown


@pytest.mark.parametrize(
    "q",
    ["", "   ", '"', '""', "OR", "AND", "-", "- -", "((", "&", "\x00\x07\x1b", "\ud800", "\udfff\ud800", "。，、"],
)
def test_malformed_queries_are_empty_and_never_raise(q):
    query = parse_query(q)
    assert query.is_empty and not query.matches_nothing and query.clauses == ()
    assert query.matches("anything")


@pytest.mark.parametrize("q", [None, 123, b"\xff\xfe\xe6\x95\xb8", "\ud800數碼港\udfff", '"數碼港', "((數碼港"])
def test_lenient_inputs(q):
    query = parse_query(q)
    assert "\ud800" not in query.original and "\udfff" not in query.original


def test_only_exclusions_match_nothing():
    query = parse_query("-數碼港 -AI")
    assert query.is_empty and query.matches_nothing
    assert not query.matches("科学园")


def test_sql_fragments_are_just_words():
    query = parse_query("'; DROP TABLE replies; -- \\x' OR 1=1")
    assert [t.folded for t in query.positive_terms] == ["drop", "table", "replies", "x", "1=1"]
    assert all(not t.negated for t in query.positive_terms)
    assert [t.verify_regex for t in query.clauses[-1].terms] == [
        "(?<![a-z0-9])x(?![a-z0-9])",
        r"(?<![a-z0-9])1\=1(?![a-z0-9])",
    ]


def test_long_queries_are_capped_and_reported():
    huge = parse_query("數" * 10_000)
    assert huge.truncated and len(huge.original) == MAX_QUERY_CHARS
    term = huge.clauses[0].terms[0]
    assert len(term.folded) == MAX_QUERY_CHARS and len(term.lexemes) == 1  # 数数 once
    many = parse_query(" ".join(f"w{i}" for i in range(40)))
    assert many.truncated and len(many.positive_terms) == MAX_TERMS
    assert not parse_query("數碼港").truncated


def test_long_terms_filter_on_a_spread_of_lexemes_and_verify():
    text = "科學園和數碼港作為香港的創科旗艦一直致力為初創企業提供基礎設施培育計劃及一站式的支援服務"
    term = only_term(text)
    assert len(term.lexemes) == MAX_TERM_LEXEMES and term.needs_verify
    assert term.lexemes[0] == "科学" and term.lexemes[-1] == "服务"


def test_query_matches_is_exact_containment_with_token_edges():
    text = normalise_for_search("He said AI. iamsmart.gov.hk 透過數 碼港 Web3生態圈 約 1 300間 5G")
    assert parse_query("AI").matches(text)
    assert not parse_query("said AI smart").matches(text)  # smart is inside iamsmart: no token
    assert parse_query("数码港 web3 5g 1300 iamsmart").matches(text)
    assert not parse_query("300").matches(text)
    assert parse_query("nothing OR 碼港").matches(text)
    assert not parse_query("數碼港 -web3").matches(text)
    assert not parse_query("AIs").matches(text) and not parse_query("sai").matches(text)


def test_rank_words_of_a_query():
    query = parse_query("數碼港培育計劃 -智方便 AI")
    assert query.rank_words() == ["数码", "培育", "计划", "数码港", "数码港培育计划", "ai"]
    assert query.rank_tsquery().startswith("'数码' | '培育'")


# --- highlight ----------------------------------------------------------------------------------------


def test_highlight_across_scripts():
    assert highlight("透過數碼港推動", parse_query("数码港")) == "透過<mark>數碼港</mark>推動"


@pytest.mark.parametrize(
    "text, q, html",
    [
        ("透過數 碼港推動", "數碼港", "透過<mark>數 碼港</mark>推動"),  # across an artefact space
        ("約 1 300間及 1,300 和 1300", "1300", "約 <mark>1 300</mark>間及 <mark>1,300</mark> 和 <mark>1300</mark>"),
        ("AI said iamsmart Smart", "ai smart", "<mark>AI</mark> said iamsmart <mark>Smart</mark>"),
        ("數碼港培育計劃", "數碼港 碼港培育", "<mark>數碼港培育</mark>計劃"),  # overlapping hits merge
        ("哈哈哈", "哈哈", "<mark>哈哈哈</mark>"),  # overlapping matches of one term
        ("<b>數碼港</b> & Co", "數碼港", "&lt;b&gt;<mark>數碼港</mark>&lt;/b&gt; &amp; Co"),
        ("數碼港與科學園", "-數碼港 科學園", "數碼港與<mark>科學園</mark>"),  # exclusions are not marked
        ("Web3生態圈", "web3生态圈", "<mark>Web3生態圈</mark>"),
        ("沒有", "數碼港", "沒有"),
        ("", "數碼港", ""),
    ],
)
def test_highlight_examples(text, q, html):
    assert highlight(text, parse_query(q)) == html


def test_snippet_without_hit_is_the_start_of_the_text():
    assert highlight("甲乙丙丁戊己庚", parse_query("數碼港"), snippet=True, width=4) == "甲乙丙丁…"
    assert highlight("甲乙", parse_query("數碼港"), snippet=True, width=4) == "甲乙"


def test_snippet_cuts_around_the_hit_and_collapses_whitespace():
    text = "甲" * 100 + "數碼港\n\n推動" + "乙" * 100
    snippet = highlight(text, parse_query("數碼港"), snippet=True, width=20)
    assert snippet == "…甲甲甲甲甲<mark>數碼港</mark> 推動乙乙乙乙乙乙乙乙…"


def test_snippet_prefers_the_window_with_most_hits_then_the_earliest():
    text = "港" + "甲" * 50 + "港乙港乙港" + "丙" * 50 + "港丁港丁港"
    snippet = highlight(text, parse_query("港"), snippet=True, width=12)
    assert snippet == "…甲甲甲<mark>港</mark>乙<mark>港</mark>乙<mark>港</mark>丙丙丙丙…"


def test_snippet_never_cuts_a_hit():
    text = "甲" * 30 + "人工智能超算中心" + "乙" * 30
    snippet = highlight(text, parse_query("人工智能超算中心"), snippet=True, width=4)
    assert snippet == "…甲<mark>人工智能超算中心</mark>…"


@pytest.mark.parametrize(
    "text, expected",
    [
        ("12，345 678", ("12,345678", [0, 1, 2, 3, 4, 5, 7, 8, 9])),  # the full-width comma is no separator
        ("1\u3000300 000", ("1 300000", [0, 1, 2, 3, 4, 6, 7, 8])),
        ("a \u200b b", ("a b", [0, 1, 4])),  # an invisible character inside a space run
        ("數 \u200b 碼 港 AI  \t 5G", ("数码港ai 5g", [0, 4, 6, 8, 9, 10, 14, 15])),
        (" \n 1 300 元\u3000\u3000人 ", ("1300元人", [3, 5, 6, 7, 9, 12])),
        ("x\x00y", ("x y", [0, 1, 2])),
    ],
)
def test_normalise_with_offsets_at_special_characters(text, expected):
    assert normalise_with_offsets(text) == expected
