"""The import's fast paths give exactly what their plain definitions give.

Indexing was made several times faster (docs/BENCHMARKS.md, "Import"); matching must not move by a byte, so
each shortcut is checked here against the straightforward code it replaces: the Python jieba package's words, the
general tsvector literal, normalising every field for every column, and testing every word for a swap.
"""

from __future__ import annotations

import random
import re
import tempfile
import warnings
from functools import lru_cache
from pathlib import Path
from types import SimpleNamespace

from django.conf import settings
from hypothesis import HealthCheck, example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from replies.importing.bulk import _record_view
from replies.importing.parser import decode_file, parse_file
from replies.search_index import search_columns, weighted_fields
from search import (
    build_search_text,
    match_lexemes,
    normalise_for_search,
    rank_positions,
    rank_vector_literal,
    tsvector_literal,
)
from search.common_strings import CommonStrings
from search.segment import DICTIONARY_PATH, block_words, segment, split_blocks
from search.tokens import _CJK_CHAR, _PIECE, MAX_POSITION, MAX_TOKEN_CHARS, normalised_rank_words, quote_lexeme
from tools.corpus.synth import _CJK_WORD, SWAP_PROBABILITY, CorpusSource, synth_replies

# Characters that exercise every branch: block and non-block CJK (Extension A, U+9FD6 and later, Extension
# B, compatibility), digits and their separators, whitespace of every kind, invisible characters, quotes
# and backslashes, full width, jieba's block punctuation (+#&._%-) and a lone surrogate.
ALPHABET = (
    "數碼港科學園创新科技局答覆的了和在有資助計劃研究發展二〇二三\u3400\u4db5\u9fd6\u9fef\uf90a\u2f00"
    "\U00020000\U0002a700" + "0123456789" * 3 + " ,\u00a0\u2009\u202f\t\n\r\x0b\x85\u3000，。、「」"
    "\u200b\ufeff\u00ad\ufe0fAbcXyZéİ-._%#&+'\\\"$()ＡＢ１２３\ud800\x00"
)
texts = st.text(alphabet=ALPHABET, max_size=120)
# Common strings (search/common_strings.py) a text of ALPHABET or a bundled reply may contain, overlapping ones
# included: the index adds each one a text contains as a lexeme.
COMMON = frozenset({"数码港", "码港科", "科学园", "创新科技", "新科技局", "资助计划", "研究发展", "二〇二三", "政府资讯科技总监"})
_LATIN_COMPOUND = re.compile(r"[a-z0-9][-_.]+[a-z0-9]")
FAST = hypothesis_settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@lru_cache(maxsize=1)
def bundled_replies():
    return parse_file(decode_file(Path(settings.BUNDLED_REPLY_FILES[0]).read_bytes()), "bundled").replies


@lru_cache(maxsize=1)
def source() -> CorpusSource:
    return CorpusSource(bundled_replies(), seed=3)


def reference_columns(reply) -> tuple[str, str, str, str]:
    """search_columns as first written: every field normalised for each column, general literals."""
    fields = weighted_fields(reply)
    search_text = build_search_text(text for _, text in fields)
    meta_text = build_search_text(text for weight, text in fields if weight == "A")
    return (
        search_text,
        tsvector_literal(match_lexemes(search_text) | {s for s in COMMON if s in search_text}),
        tsvector_literal(match_lexemes(meta_text) | {s for s in COMMON if s in meta_text}),
        tsvector_literal(rank_positions(fields)),
    )


def reply_of(member: str, question: str, reply: str, programme: str = "") -> SimpleNamespace:
    programmes = [SimpleNamespace(number=1, name=programme)] if programme else []
    return SimpleNamespace(
        member=SimpleNamespace(name=member), head=SimpleNamespace(name="創新科技"),
        programmes=SimpleNamespace(all=lambda: programmes), subhead_code="", subhead_title="",
        controlling_officer_title="署長", controlling_officer_name="黃志光", director_of_bureau="局長",
        question=question, reply=reply,
    )


@lru_cache(maxsize=1)
def python_jieba():
    """The Python package jieba with the domain dictionary: the segmenter the portal used before jieba-rs, which
    the rank words must still follow."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # jieba imports pkg_resources, deprecated in newer setuptools
        import jieba
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = tempfile.gettempdir()
    with DICTIONARY_PATH.open("rb") as words:
        tokenizer.load_userdict(words)
    return tokenizer


def python_rank_words(text: str) -> list[str]:
    """What normalised_rank_words gave with the Python package, block by block."""
    words = []
    for index, piece in enumerate(split_blocks(text)):
        if index % 2:
            words += [part for word in python_jieba().cut_for_search(piece, HMM=True) for part in _PIECE.findall(word)]
        else:
            words += _CJK_CHAR.findall(piece)
    return [word[:MAX_TOKEN_CHARS] for word in words]


def assert_same_rank_words(text: str) -> None:
    """The same rank words as the Python package in the same order, except that a Latin compound (wi-fi) is also
    yielded whole by jieba-rs (wi-fi, data.gov.hk), so its parts may come twice: there only the set of words is the same."""
    ours, reference = normalised_rank_words(text), python_rank_words(text)
    if _LATIN_COMPOUND.search(text):
        assert set(ours) == set(reference)
    else:
        assert ours == reference


def test_rank_words_are_python_jiebas_on_every_bundled_field():
    for record in bundled_replies():
        for _, text in weighted_fields(_record_view(record)):
            assert_same_rank_words(normalise_for_search(text))


@FAST
@given(texts)
@example("数码港培育计划 2023-24 iamsmart.gov.hk 1 300")
@example("\u9fd6\u9fd6\u3400 数码")
@example("免费wi-fi服务 e-service.html")
@example("0.0b")
def test_chinese_rank_words_are_python_jiebas(text):
    """On any text the Chinese rank words are the Python package's, in order. Runs of Latin letters and digits
    that its HMM cuts may be cut otherwise by jieba-rs (0.0b: 0, 0b rather than 0, 0, b), beside the compounds
    above: real replies show none of those but the compounds (the test above)."""
    text = normalise_for_search(text)
    assert chinese(normalised_rank_words(text)) == chinese(python_rank_words(text))


def chinese(words: list[str]) -> list[str]:
    return [word for word in words if _CJK_CHAR.search(word)]


def test_segment_cuts_block_by_block():
    """``segment`` gives each block's words in order and the text between blocks as jieba yields it."""
    text = "数码港培育计划（2023-24）：  iamsmart.gov.hk"
    assert segment(text) == [*block_words("数码港培育计划"), "（", *block_words("2023-24"), "）", "：", " ", " ",
                             *block_words("iamsmart.gov.hk")]


def test_search_columns_are_the_reference_columns_for_real_and_synthetic_replies():
    replies = [_record_view(record) for record in bundled_replies()]
    replies += [_record_view(synthetic.record) for synthetic in synth_replies(source(), 3, 2490, 2510, 20_000)]
    for reply in replies:  # synthetic reply 2500 is 30,000+ characters: rank positions get clamped
        assert search_columns(reply, CommonStrings(COMMON)) == reference_columns(reply)


@FAST
@given(texts, texts, texts, texts)
@example("1  300 葛珮帆", "1\u200b 300數碼港", "it's a \\ test", "")
def test_search_columns_are_the_reference_columns(member, question, reply, programme):
    record = reply_of(member, question, reply, programme)
    assert search_columns(record, CommonStrings(COMMON)) == reference_columns(record)


def test_rank_vector_literal_past_the_position_limit():
    long_text = normalise_for_search("數碼港 研究 " * (MAX_POSITION // 2 + 50))
    fields = [("A", "陳振英"), ("B", "創新科技"), ("D", long_text)]
    assert rank_vector_literal(fields) == tsvector_literal(rank_positions(fields, normalised=True))
    short = [("A", "陳振英"), ("D", normalise_for_search("研究 " * 300))]  # 300 positions: cut to 256
    assert rank_vector_literal(short) == tsvector_literal(rank_positions(short, normalised=True))


@FAST
@given(st.sets(texts, max_size=30))
@example({"", "a"})
@example({"x" * 600, "b"})
@example({"it's", "a\\b", "c"})
@example({"\ud800", "d"})
def test_plain_lexeme_literal_is_the_general_one(lexemes):
    general = " ".join(quote_lexeme(lexeme) for lexeme in sorted(lexemes) if _acceptable(lexeme))
    assert tsvector_literal(lexemes) == general


def _acceptable(lexeme: str) -> bool:
    try:
        return bool(lexeme) and "\x00" not in lexeme and len(lexeme.encode("utf-8")) <= 2046
    except UnicodeEncodeError:
        return False


def test_word_swaps_are_those_of_testing_every_word():
    swapper = source().swapper
    for index, paragraph in enumerate(source().replies[:200]):
        expected_rng, rng = random.Random(index), random.Random(index)
        expected = []
        for word in paragraph:
            if _CJK_WORD.match(word) and expected_rng.random() < SWAP_PROBABILITY:
                word = swapper.draw(expected_rng, len(word)) or word
            expected.append(word)
        assert swapper.rewrite(rng, paragraph) == "".join(expected)
        assert rng.random() == expected_rng.random()  # the same random numbers were drawn
