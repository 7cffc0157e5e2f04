"""Brute-force properties of the search core on the real corpus.

The oracle is deliberately naive: a term is in a text when its normalised form occurs as a plain substring
whose Latin/digit edges are not glued to further letters or digits. The candidate filter (lexemes) must never
lose such a text, the verification regex must agree with the oracle exactly, and the lexemes alone must decide
whenever a term claims it needs no verification.
"""

from __future__ import annotations

import random
import re
from functools import lru_cache
from pathlib import Path

from search import highlight, hit_spans, make_term, match_lexemes, normalise_for_search, parse_query
from search.chars import ASCII_PUNCTUATION, is_token_char

CORPUS = Path(__file__).resolve().parent.parent / "fixtures" / "itib-2023-24.txt"
EXAMPLES = [
    "字經濟", "工智能超算中", "Web3生態圈", "中學IT創新實驗室", "數碼港", "数码港", "港", "AI", "Smart",
    "5G", "Web3", "1823", "1 300", "1,300", "2023-24", "iamsmart.gov.hk", "智方便", "InnoHK", "答复",
    '"數碼港 培育計劃"', "數碼港 -Web3", "科學園 OR 數碼港", "香港生產力促進局", "IT", "it", "ITIB001",
]
# The regex subset shared by Python `re` and PostgreSQL AREs that verify_regex_for may use.
_PUNCT = "".join(sorted(ASCII_PUNCTUATION)).replace("\\", "\\\\").replace("]", "\\]")
SAFE_REGEX = re.compile(
    r"(?:\(\?<!\[a-z0-9\]\))?(?:\\[" + _PUNCT + r"]|[^\\\[\](){}.*+?|^$#&~-])*(?:\(\?!\[a-z0-9\]\))?"
)


@lru_cache(maxsize=1)
def corpus_lines() -> list[str]:
    """Raw lines of the fixture with whitespace runs collapsed."""
    lines = (re.sub(r"\s+", " ", line).strip() for line in CORPUS.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if len(line) >= 2]


@lru_cache(maxsize=1)
def corpus_replies() -> list[list[str]]:
    """The fixture cut at each end-of-reply marker, each piece split into two 'fields' at 答覆：."""
    pieces = re.split(r"–\s*完\s*–", CORPUS.read_text(encoding="utf-8"))
    return [piece.split("答覆：", 1) for piece in pieces if piece.strip()]


def contains_with_token_edges(text: str, term: str) -> bool:
    """The oracle: a plain substring whose Latin/digit edges are whole-token edges."""
    start = text.find(term)
    while start >= 0:
        end = start + len(term)
        glued_before = is_token_char(term[0]) and start > 0 and is_token_char(text[start - 1])
        glued_after = is_token_char(term[-1]) and end < len(text) and is_token_char(text[end])
        if not glued_before and not glued_after:
            return True
        start = text.find(term, start + 1)
    return False


def random_fragment(rng: random.Random, line: str) -> str:
    start = rng.randrange(len(line))
    return line[start : start + rng.randint(1, 24)]


def check_term_against(term, text: str) -> bool:
    present = contains_with_token_edges(text, term.folded)
    assert term.matches(text) == present, (term, text)
    has_lexemes = set(term.lexemes) <= match_lexemes(text)
    if present:
        assert has_lexemes, (term, text)  # the candidate filter never loses a match
    if not term.needs_verify:
        assert has_lexemes == present, (term, text)  # "proven by lexemes" is really a proof
    return present


@lru_cache(maxsize=1)
def normalised_replies() -> list[list[str]]:
    return [[normalise_for_search(field) for field in fields] for fields in corpus_replies()]


def test_random_fragments_filter_and_verify_exactly():
    rng = random.Random(2023_24)
    lines = corpus_lines()
    found_in_own_line = tried = 0
    for _ in range(4000):
        line = rng.choice(lines)
        fragment = random_fragment(rng, line)
        phrase = make_term(fragment, is_phrase=True)
        if phrase is None:
            continue
        tried += 1
        assert SAFE_REGEX.fullmatch(phrase.verify_regex), phrase.verify_regex
        if check_term_against(phrase, normalise_for_search(line)):
            found_in_own_line += 1
        for other in rng.sample(lines, 3):
            check_term_against(phrase, normalise_for_search(other))
    assert tried > 3500 and found_in_own_line > 0.8 * tried


def test_plain_cjk_fragments_are_always_found_in_their_line():
    rng = random.Random(7)
    for _ in range(3000):
        line = rng.choice(corpus_lines())
        fragment = random_fragment(rng, line)
        term = make_term(fragment, is_phrase=True)
        text = normalise_for_search(line)
        if term is not None and term.folded in text and not any(map(is_token_char, term.folded)):
            assert set(term.lexemes) <= match_lexemes(text)
            assert term.matches(text)


def test_unquoted_fragments_through_the_parser():
    rng = random.Random(135)
    lines = corpus_lines()
    for _ in range(3000):
        line = rng.choice(lines)
        fragment = random_fragment(rng, line).split(" ")[0]
        query = parse_query(fragment)
        for term in query.positive_terms + query.negated_terms:
            assert SAFE_REGEX.fullmatch(term.verify_regex), term.verify_regex
            check_term_against(term, normalise_for_search(line))
            check_term_against(term, normalise_for_search(rng.choice(lines)))


def simulated_sql(query, search_text: str, lexemes: set[str]) -> bool:
    """What the SQL layer will do: the GIN candidate filter, then regex verification when needed."""

    def hit(term) -> bool:
        return set(term.lexemes) <= lexemes and (not term.needs_verify or re.search(term.verify_regex, search_text))

    if query.matches_nothing:
        return False
    return all(any(map(hit, c.terms)) != c.negated for c in query.clauses)


def oracle(query, texts: list[str]) -> bool:
    """The naive answer for one reply, given its normalised fields."""
    if query.matches_nothing:
        return False

    def hit(term) -> bool:
        return any(contains_with_token_edges(text, term.folded) for text in texts)

    return all(any(map(hit, c.terms)) != c.negated for c in query.clauses)


def test_whole_corpus_search_has_recall_and_precision_one():
    replies = normalised_replies()
    assert len(replies) > 250  # 263 replies; a few end markers are broken by the PDF extraction
    index = []
    for fields in replies:
        search_text = "\n".join(fields)
        index.append((search_text, match_lexemes(search_text)))
    rng = random.Random(47)
    queries = EXAMPLES + [random_fragment(rng, rng.choice(corpus_lines())) for _ in range(150)]
    nonempty = 0
    for q in queries:
        query = parse_query(q)
        expected = {i for i, fields in enumerate(replies) if oracle(query, fields)}
        got = {i for i, (text, lexemes) in enumerate(index) if simulated_sql(query, text, lexemes)}
        assert got == expected, q
        nonempty += bool(expected)
    assert nonempty > 0.8 * len(queries)


def test_examples_find_what_they_should_in_the_corpus():
    texts = ["\n".join(fields) for fields in normalised_replies()]

    def count(q: str) -> int:
        query = parse_query(q)
        return sum(query.matches(text) for text in texts)

    for q in ["字經濟", "工智能超算中", "Web3生態圈", "中學IT創新實驗室", "5G", "Web3", "1823", "1 300", "1,300"]:
        assert count(q) > 0, q
    assert count("數碼港") == count("数码港") == count("数碼港")
    assert count("1 300") == count("1300") == count("1,300")
    assert count("答复") == count("答覆") > 200


def test_highlighting_agrees_with_matching_on_the_corpus():
    rng = random.Random(155)
    replies = corpus_replies()
    for _ in range(150):
        fields = rng.choice(replies)
        query = parse_query(random_fragment(rng, rng.choice(corpus_lines())).split(" ")[0])
        if query.is_empty:
            continue
        term = query.positive_terms[0]
        for field in fields:
            spans = hit_spans(field, query)
            assert bool(spans) == contains_with_token_edges(normalise_for_search(field), term.folded)
            for start, end in spans:
                assert term.folded in normalise_for_search(field[start:end])
            assert highlight(field, query).count("<mark>") == len(spans)


FUZZ_ALPHABET = (
    list("數碼港数码港科學園人工智能AIaiWeb3 5G1300,.-+\"“”()（）「」，。&|!~*:'\\$^")
    + ["OR", " OR ", "AND", "-", "ＡＩ", "\u3000", "\t", "\n", "\x00", "\x07", "\u200b", "\ufeff", "\ufe00"]
    + ["\ud800", "\udfff", "𠀀", "𧵳", "\uf90a", "İ", "ß", "é", "🙂", "\u0301"]
)


def random_garbage(rng: random.Random, size: int) -> str:
    return "".join(rng.choice(FUZZ_ALPHABET) for _ in range(rng.randint(0, size)))


def test_fuzzed_queries_and_texts_never_raise_and_highlighting_keeps_the_text():
    import html

    rng = random.Random(1823)
    for _ in range(1500):
        query = parse_query(random_garbage(rng, 30))
        text = random_garbage(rng, 60)
        assert query.matches(normalise_for_search(text)) in (True, False)
        for term in query.positive_terms + query.negated_terms:
            assert term.lexemes and SAFE_REGEX.fullmatch(term.verify_regex)
            assert "\ud800" not in term.folded + term.original and "\x00" not in term.folded
        marked = highlight(text, query)
        assert html.unescape(marked.replace("<mark>", "").replace("</mark>", "")) == text
        assert marked.count("<mark>") == marked.count("</mark>") and "<mark><mark>" not in marked
        highlight(text, query, snippet=True, width=rng.randint(-5, 40))
