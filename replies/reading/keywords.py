"""The 3 to 6 terms that set a reply apart from the others, found in its own text.

Candidates are jieba's nouns (accurate mode, with the domain dictionary; NOUN_TAGS) of the folded question and reply,
mapped back to the printed (Traditional) form by position, since folding keeps every character in place, plus
every name printed in 「」. A candidate is dropped when it is a formula or generic budget word (STOPWORDS), has a
digit but no letter of a word (years, amounts, 2023-24), ends in a unit (億元, 萬元, 名, 宗), is a single character,
or occurs in more than COMMON_SHARE of the corpus's replies (so common it sets nothing apart).

Each candidate is weighted by tf-idf: √count × ln(N / df), counting an occurrence in the question twice
(the question says what the reply is about), with df from KeywordWeights built over the corpus. Names come
first: 「」 names and the domain dictionary's scheme/organisation/programme words (tags nz, nt), then the other
words, each group by weight. A word seen only inside an already chosen name adds nothing and is skipped
(科技券 inside 科技券計劃委員會 is kept only if it also stands alone).
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable
from functools import lru_cache

from search.fold import fold
from search.segment import DICTIONARY_PATH, tagged_words

KEYWORDS_MIN, KEYWORDS_MAX = 3, 6
NAMES_MAX = 4  # at most this many names, so a reply listing 17 schemes still shows what else it is about
COMMON_SHARE = 0.25
NAME_IDF_MIN = math.log(5)  # a name in more than a fifth of the replies (the bureau's own) ranks as a word
COMPOUND_WORDS = 4
MENTIONS_MIN = 2  # a term said once in the reply (or not in the question) fills in only when too few remain
QUESTION_WEIGHT = 2

# Formulas and generic words of budget questions and replies (folded when compared).
STOPWORDS = frozenset(fold(word) for word in """
本會 本委員會 政府 當局 局方 特區政府 年度 財政年度 詳情 原因 為何 如何 多少 甚麼 什麼 告知 請 提供 列出 分別
會否 有否 是否 如有 如否 若有 若否 開支 人手 預算 工作 措施 計劃 項目 推動 發展 進行 相關 有關 包括 以及 其中
過去 現時 目前 未來 今年 去年 明年 來年 本港 香港 我們 透過 方面 情況 進一步 繼續 提升 支援 推行 推出 主要
就此 上述 綱領 財政預算案 預算案 演辭 問題 答覆 回覆 部門 決策局 局 署 涉及 所需 具體 數字 數目 時間表 成效
本局 司長 人士 人員 員工 數量 指標 一共 代表 方式 內容 範疇 事宜 安排 資料
""".split())
# jieba's parts of speech that name things: nouns, verbal nouns, places, schemes and organisations, abbreviations,
# Latin words. Verbs, adverbs, pronouns, times and person names (nr) are left out.
NOUN_TAGS = frozenset({"n", "vn", "ns", "nt", "nz", "j", "eng"})
_UNIT = re.compile(r"(?:億元|萬元|千元|百萬元|元|名|宗|個|項|次|間|人|%|％|年|月|日)$")
_HAS_DIGIT = re.compile(r"[0-9０-９〇零一二三四五六七八九十百千萬億兩]")
_HAS_WORD_LETTER = re.compile(r"[a-zA-Z\u4e00-\u9fff]")
_NUMERAL_ONLY = re.compile(r"^[0-9０-９.,%\-–/／〇零一二三四五六七八九十百千萬億兩第多餘約個年月日度至]+$")
_QUOTED = re.compile(r"「([^「」《》\n]{2,20})」|《([^「」《》\n]{2,20})》")
_QUOTABLE = re.compile(r"[^「」《》\n]{2,20}")  # what _QUOTED can find inside its brackets


class KeywordWeights:
    """Document frequencies of candidate terms (folded) over a corpus: one text per reply."""

    def __init__(self, documents: int, frequencies: dict[str, int]):
        self.documents = documents
        self.frequencies = frequencies

    @classmethod
    def from_texts(cls, texts: Iterable[str]) -> KeywordWeights:
        return cls.from_terms(candidate_terms(text) for text in texts)

    @classmethod
    def from_terms(cls, term_sets: Iterable[set[str]]) -> KeywordWeights:
        """From the ``candidate_terms`` of each text (computed elsewhere, e.g. by the import's workers)."""
        counts: Counter[str] = Counter()
        documents = 0
        for terms in term_sets:
            documents += 1
            counts.update(terms)
        return cls(documents, dict(counts))

    def to_json(self) -> dict:
        """Terms in one reply only are left out: an unknown term is weighed as in one reply anyway."""
        kept = {term: count for term, count in sorted(self.frequencies.items()) if count > 1}
        return {"documents": self.documents, "frequencies": kept}

    @classmethod
    def from_json(cls, data: dict) -> KeywordWeights:
        return cls(int(data.get("documents", 0)), {str(k): int(v) for k, v in dict(data.get("frequencies", {})).items()})

    def idf(self, term: str) -> float:
        """ln(N / df); 0 for a term in more than COMMON_SHARE of the replies (it sets nothing apart)."""
        documents = max(self.documents, 1)
        frequency = max(self.frequencies.get(_folded(term), 0), 1)
        if documents >= 20 and frequency > COMMON_SHARE * documents:
            return 0.0
        return math.log((documents + 1) / frequency)


def keywords_of(question: str, reply: str, weights: KeywordWeights) -> list[str]:
    """Up to KEYWORDS_MAX printed terms of this reply: names first, then other words, each by tf-idf."""
    text = f"{question or ''}\n\n{reply or ''}"
    counts = Counter(_candidates(reply or ""))
    for term in _candidates(question or ""):
        counts[term] += QUESTION_WEIGHT
    scored = [(term, n, math.sqrt(n) * weights.idf(term)) for term, n in counts.items()]
    repeated = sorted(((t, s) for t, n, s in scored if s > 0 and n >= MENTIONS_MIN), key=_by_weight)
    once = sorted(((t, s) for t, n, s in scored if s > 0 and n < MENTIONS_MIN), key=_by_weight)
    quoted = {quoted or titled for quoted, titled in _QUOTED.findall(text)}
    names = [(t, s) for t, s in repeated if weights.idf(t) >= NAME_IDF_MIN and _is_name(t, text, quoted)]
    others = [(t, s) for t, s in repeated if (t, s) not in names]
    chosen: list[str] = []
    for group, limit in ((names, NAMES_MAX), (others, KEYWORDS_MAX), (once, KEYWORDS_MIN)):
        for term, _score in group:
            if len(chosen) >= limit:
                break
            if not _only_inside(term, chosen, text):
                chosen.append(term)
    return chosen[:KEYWORDS_MAX]


def candidate_terms(text: str | None) -> set[str]:
    """The distinct candidate terms of one text, folded: what KeywordWeights counts once per reply."""
    return {_folded(term) for term in _candidates(text or "")}


def _by_weight(scored: tuple[str, float]) -> tuple[float, str]:
    return (-scored[1], scored[0])


def _candidates(text: str) -> list[str]:
    """Every candidate occurrence, printed form: jieba's nouns mapped back by position, runs of nouns that
    recur in the text as one term (創科+領軍+人才 -> 創科領軍人才), and 「」《》 names."""
    found: list[str] = []
    run: list[str] = []
    position = 0
    for word, tag in [*tagged_words(fold(text)), ("", "x")]:  # every word of every reply: kept lean
        end = position + len(word)
        if tag in NOUN_TAGS and (printed := text[position:end]).strip():
            position = end
            run.append(printed)
            if _is_candidate(printed):
                found.append(printed)
            continue
        position = end
        if run:
            if len(run) >= 2:
                found.extend(_recurring_compound(run, text))
            run = []
    names = (quoted or titled for quoted, titled in _QUOTED.findall(text))
    found.extend(name for name in names if _is_candidate(name))
    return found


def _recurring_compound(run: list[str], text: str) -> list[str]:
    """A run of 2 to COMPOUND_WORDS nouns said at least twice in the text is a term of its own."""
    compound = "".join(run)
    if 2 <= len(run) <= COMPOUND_WORDS and len(compound) <= 12 and text.count(compound) >= 2:
        return [compound] if _is_candidate(compound) else []
    return []


@lru_cache(maxsize=1 << 16)
def _folded(term: str) -> str:
    """``fold`` of a candidate term, remembered: the same terms recur in reply after reply."""
    return fold(term)


@lru_cache(maxsize=1 << 16)
def _is_candidate(term: str) -> bool:
    """(Remembered, like _folded.) Two characters or more, a word letter, not a stopword, a number, a year or an amount with its unit."""
    term = term.strip()
    if len(term) < 2 or not _HAS_WORD_LETTER.search(term) or _folded(term) in STOPWORDS:
        return False
    if _NUMERAL_ONLY.match(term) or re.search(r"[\s，。、；：？！,;:?!()（）|]", term):
        return False
    return not (_HAS_DIGIT.search(term) and _UNIT.search(term))


def _is_name(term: str, text: str, quoted: set[str]) -> bool:
    """A 「」 name in this text, or a domain dictionary word tagged nz (scheme, organisation) or nt. ``quoted``:
    the names _QUOTED finds in the text, which are exactly the terms it could find there written in 「」 or 《》
    (one set lookup instead of two searches of the text for each term)."""
    if _QUOTABLE.fullmatch(term):
        in_brackets = term in quoted
    else:
        in_brackets = f"「{term}」" in text or f"《{term}》" in text
    return in_brackets or dictionary_tags().get(_folded(term)) in ("nz", "nt")


def _only_inside(term: str, chosen: list[str], text: str) -> bool:
    """True when the term is already chosen, or every occurrence of it is part of a chosen longer term."""
    if term in chosen:
        return True
    containing = [name for name in chosen if term in name]
    if not containing:
        return False
    return text.count(term) <= sum(text.count(name) * name.count(term) for name in containing)


@lru_cache(maxsize=1)
def dictionary_tags() -> dict[str, str]:
    """The domain dictionary's folded words and their tags (nr, nt, nz)."""
    tags: dict[str, str] = {}
    if DICTIONARY_PATH.is_file():
        for line in DICTIONARY_PATH.read_text(encoding="utf-8").splitlines():
            if line.strip():
                word, _frequency, tag = line.rsplit(" ", 2)
                tags[word] = tag
    return tags
