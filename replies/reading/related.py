"""What specific things a reply is about (the scheme, project, organisation or facility), and which other replies
are about the same things (issue 15, part 2: related replies).

Pure: text in, plain data out. ``subject_names`` runs at import and reindex and its result is stored (with a GIN
index), so the reply page only fetches the replies sharing a name and calls ``related`` to rank them: a shared
name counts by its rarity in the corpus, so two replies on 微電子研發院 relate while two that merely both name
創新科技署 do not, and a reply on a subject nobody else asked about gets no filler.
"""

from __future__ import annotations

import bisect
import itertools
import math
import re
from collections.abc import Callable
from functools import lru_cache

from search.aliases import read_groups
from search.fold import fold
from search.segment import DICTIONARY_PATH, words

MAX_NAMES = 12
QUESTION_WEIGHT = 3.0  # a name the question asks about outweighs one the reply mentions in passing
# Quoted names are the surest; heads and bureaus (創新科技署) are mostly who answers, seldom what is asked about.
KIND_WEIGHTS = {"quoted": 2.0, "dictionary": 1.5, "pattern": 1.0, "head": 0.5}
# Sharing only a name found in more than this share of the corpus does not make two replies related.
COMMON_SHARE = 0.05
MIN_SCORE = math.log(1 / COMMON_SHARE)
POSITION_DECAY = 0.8  # a reply's 4th name counts half as much as its first

ALIASES_PATH = DICTIONARY_PATH.parent / "aliases.txt"
_CJK = "\u4e00-\u9fff"
_QUOTED = re.compile(r"[「『《]\s*([^「」『』《》\n，。；？！]{2,24}?)\s*[」』》]")
_LATIN_WORD = r"[A-Za-z][A-Za-z0-9]*(?:[.\-][A-Za-z0-9]+)*"
_LATIN = re.compile(rf"(?<![A-Za-z0-9]){_LATIN_WORD}(?: {_LATIN_WORD}){{0,3}}(?![A-Za-z0-9])")  # iAM Smart
_PARENTHESISED = re.compile(r"[(（][^()（）]*[)）]")  # 生物醫藥科技培育計劃(Incu-bio): the name without its gloss
_HEADING = re.compile(r"[：:]|總目|綱領")  # a quoted heading, not a name
# Endings of proper names written without quotes: 先進製造業中心, 微電子研發院, 大學科技初創企業資助計劃.
_SUFFIXES = ("計劃", "基金", "中心", "園", "辦公室", "局", "署", "公司", "平台", "平臺", "研發院", "研究院", "學院", "研究所")
_SUFFIX = re.compile("|".join(sorted(_SUFFIXES, key=len, reverse=True)))
_RUN_BEFORE = re.compile(f"[{_CJK}A-Za-z0-9+.]{{1,12}}$")
MIN_PATTERN_REPEATS = 2  # an unquoted name must recur in question and reply: once may be a clause cut wrongly

# Words that name a kind of thing, not one thing: never names on their own.
GENERIC = frozenset(
    """計劃 基金 政府 本局 本會 局方 當局 創新科技 創新及科技 創科 科技 研發 中心 平台 平臺 公司 辦公室 委員會 專員
    資助計劃 培育計劃 培訓計劃 試用計劃 試驗計劃 實習計劃 外展計劃 先導計劃 試點計劃 工作計劃 研究計劃 支援計劃
    該計劃 此計劃 有關計劃 相關計劃 上述計劃 兩項計劃 各項計劃 新計劃 研究中心 研發中心 數據中心 聯絡中心 科技園
    科學園區 工業園 創新園 政府總部 局長辦公室 決策局 政策局 各局 各政策局 部門 研究院 研發院 大學 沒有指定 資助金
    財政預算案 預算案 施政報告 演辭 藍圖 創新及科技局 一站式""".split()
)
# Programme and head labels of the dictionary (tag nt) that are headings, not subjects; people are never names.
_LABEL_ENDINGS = ("局長", "署長", "秘書長", "總監", "有限")
_LATIN_STOPWORDS = frozenset("kpi kpis covid stem steam it ai and of the hk app apps limited ltd".split())


def subject_names(question: str, reply: str) -> list[str]:
    """The specific names the reply is about, as printed, most important first, at most MAX_NAMES: quoted names,
    the dictionary's scheme and organisation names and recurring proper names, weighted to the question."""
    scores: dict[str, float] = {}
    first_seen: dict[str, int] = {}
    printed: dict[str, str] = {}  # folded -> the first printed form, so 資料一線通 and 資料一缐通 are one name
    for order, (name, weight) in enumerate(_weighted_names(question or "", reply or "")):
        key = printed.setdefault(fold(canonical(name)), canonical(name))
        scores[key] = scores.get(key, 0.0) + weight
        first_seen.setdefault(key, order)
    _share_with_longer(scores)
    ranked = sorted(scores, key=lambda name: (-scores[name], first_seen[name]))
    return ranked[:MAX_NAMES]


def related(
    names: list[str],
    candidates: list[tuple[int, list[str]]],
    name_counts: dict[str, int],
    total: int,
    limit: int = 5,
) -> list[tuple[int, list[str]]]:
    """Up to ``limit`` (id, shared names) of the candidates, best first (ties by id). Each shared name scores its
    rarity (log of total over its count) times the weights of its positions in both lists; a candidate needs
    more than MIN_SCORE, which one name in more than COMMON_SHARE of the corpus never reaches alone."""
    own_positions = {name: position for position, name in enumerate(names)}
    scored: list[tuple[float, int, list[str]]] = []
    for candidate_id, candidate_names in candidates:
        shared, score = [], 0.0
        for position, name in enumerate(dict.fromkeys(candidate_names)):
            if name in own_positions:
                weight = position_weight(own_positions[name]) * position_weight(position)
                score += rarity(name_counts.get(name, 1), total) * weight
                shared.append(name)
        if score > MIN_SCORE:
            shared.sort(key=own_positions.__getitem__)
            scored.append((score, candidate_id, shared))
    scored.sort(key=lambda item: (-item[0], item[1]))
    return [(candidate_id, shared) for _, candidate_id, shared in scored[: max(limit, 0)]]


def rarity(count: int, total: int) -> float:
    """How telling a shared name is: the log of how much rarer than "in every reply" it is (0 when in all)."""
    return math.log(max(total, 1) / min(max(count, 1), max(total, 1)))


def position_weight(position: int) -> float:
    """How much a name at this position of a reply's list counts: 1 for the first, POSITION_DECAY times less
    for each later one, so what a reply is mainly about outweighs what it mentions in passing."""
    return POSITION_DECAY ** min(max(position, 0), MAX_NAMES - 1)


def canonical(name: str) -> str:
    """The printed name standing for all the forms of its alias group (港深創科園 -> 港深創新及科技園), so replies
    naming one body by different forms share it."""
    return _alias_canonicals().get(fold(name), name)


def _weighted_names(question: str, reply: str) -> list[tuple[str, float]]:
    """Every occurrence of a candidate name in the question, then in the reply, with its weight. Unquoted
    pattern names must recur in question and reply together, and never count inside a known name."""
    texts = ((QUESTION_WEIGHT, question), (1.0, reply))
    found = [_known_names(text) for _, text in texts]
    patterns = [_pattern_names(text, spans) for text, (_, spans) in zip((question, reply), found)]
    counts: dict[str, int] = {}
    for occurrences in patterns:
        for _, name in occurrences:
            counts[name] = counts.get(name, 0) + 1
    weighted: list[tuple[str, float]] = []
    for (text_weight, _), (known, _), occurrences in zip(texts, found, patterns):
        recurring = [(start, name, "pattern") for start, name in occurrences if counts[name] >= MIN_PATTERN_REPEATS]
        for _, name, kind in sorted(known + recurring, key=lambda item: item[0]):
            weighted.append((name, text_weight * KIND_WEIGHTS[kind]))
    return weighted


def _known_names(text: str) -> tuple[list[tuple[int, str, str]], list[tuple[int, int]]]:
    """Quoted names and dictionary names in ``text`` as (start, printed name, kind), and the spans they cover."""
    found: list[tuple[int, str, str]] = []
    spans: list[tuple[int, int]] = []
    for match in _QUOTED.finditer(text):
        name = _PARENTHESISED.sub("", re.sub(r"\s+", " ", match.group(1))).strip()
        if _is_specific(name) and not _HEADING.search(name):
            found.append((match.start(1), name, "quoted"))
            spans.append(match.span(1))
    folded = fold(text)
    for match in _dictionary_pattern().finditer(folded):
        kind = "head" if match.group(0) in _head_names() else "dictionary"
        found.append((match.start(), text[match.start() : match.end()], kind))
        spans.append(match.span())
    return found, spans


def _pattern_names(text: str, known_spans: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """Unquoted proper names ending in a suffix of _SUFFIXES, and Latin names (Web3, iAM Smart), outside known
    names (工業局 inside 創新科技及工業局 is not a name of its own)."""
    occurrences: list[tuple[int, str]] = []
    for match in _SUFFIX.finditer(text):
        run = _RUN_BEFORE.search(text, max(0, match.start() - 12), match.start())
        if run:
            name = _trim_to_name(run.group(0)) + match.group(0)
            if _is_specific(name) and len(name) > len(match.group(0)) + 1:
                occurrences.append((match.end() - len(name), name))
    for match in _LATIN.finditer(text):
        name = match.group(0)
        if len(name) >= 3 and name.lower() not in _LATIN_STOPWORDS and re.search(r"[A-Z0-9]", name):
            occurrences.append((match.start(), name))
    inside = _within(known_spans)
    return [(start, name) for start, name in occurrences if not inside(start, start + len(name))]


def _within(spans: list[tuple[int, int]]) -> Callable[[int, int], bool]:
    """A test whether (start, end) lies inside one of ``spans``: the furthest end of the spans starting at or
    before ``start`` is enough (one bisection, not a look at every span for every occurrence)."""
    ordered = sorted(spans)
    lows = [low for low, _ in ordered]
    furthest = list(itertools.accumulate((high for _, high in ordered), max))

    def inside(start: int, end: int) -> bool:
        before = bisect.bisect_right(lows, start)
        return before > 0 and furthest[before - 1] >= end

    return inside


@lru_cache(maxsize=1 << 14)  # the same runs before 計劃 and 中心 recur across replies
def _trim_to_name(run: str) -> str:
    """The end of ``run`` that belongs to the name: jieba's words back from the suffix, stopping at a word that
    starts a clause (verbs, particles, measure words) rather than names something."""
    kept: list[str] = []
    folded_words = words(fold(run))
    position = len(run)
    for index in range(len(folded_words) - 1, -1, -1):
        word = folded_words[index]
        if not _inside_name(word, folded_words[index - 1] if index else "", bool(kept)):
            break
        position -= len(word)
        kept.append(word)
    return run[position:]


def _inside_name(word: str, before: str, kept: bool) -> bool:
    """Whether ``word`` still belongs to the name being read backwards: a content word, a character that names
    use (園, 港), or 及 between two content words (康樂及文化事務署, 納米及先進材料研發院)."""
    if word == "及":
        return kept and len(before) > 1 and before not in _CLAUSE_WORDS
    if len(word) == 1:
        return kept and word in _NAME_CHARACTERS
    return word not in _CLAUSE_WORDS and re.fullmatch(f"[{_CJK}A-Za-z0-9+.]+", word) is not None


# Folded words that end a name's left edge: verbs and function words before a name (推行「…」, 設立…中心).
_CLAUSE_WORDS = frozenset(
    fold(word)
    for word in """推行 推出 設立 興建 成立 透過 通過 協助 支援 包括 有關 相關 該 此 其 這 各 每 以及 以 及 和 與 在 為
    於 由 向 將 把 對 會 已 並 等 第二個 一所 一個 所有 其他 上述 繼續 推動 發展 優化 資助 參與 申請 進行 提供 加強
    現時 目前 當局 政府 例如 建議 如 即 本港 香港特區 營運 管理 監察 監督 籌備 落成 啟用 位於 擴展""".split()
)
# Single characters that belong inside names (港深創科園 is cut 港深 / 創科 / 園 by some dictionaries).
_NAME_CHARACTERS = frozenset(fold("港深園中院局署港"))


@lru_cache(maxsize=1 << 14)
def _is_specific(name: str) -> bool:
    """A name, not a generic word, a sentence quoted from a speech or a number."""
    if not name or name in GENERIC or fold(name) in _generic_folded() or len(name) < 2:
        return False
    if re.search("預算案|施政報告|演辭", name) or re.fullmatch(r"[\d\s.,%()（）\-–/]+", name):
        return False
    return any(ch.isalpha() for ch in name)


def _share_with_longer(scores: dict[str, float]) -> None:
    """A name inside a longer name of the same reply (超算中心 in 人工智能超算中心) keeps only the score of its own
    occurrences, but at least half the longer name's, so it ranks just after it and still matches replies that
    use only the short form."""
    names = sorted(scores, key=len, reverse=True)
    for index, longer in enumerate(names):
        for shorter in names[index + 1 :]:
            if shorter != longer and shorter in longer:
                own = scores[shorter] - scores[longer]
                scores[shorter] = max(own, scores[longer] / 2)


@lru_cache(maxsize=1)
def _dictionary_names() -> dict[str, str]:
    """The domain dictionary's scheme and organisation names (folded) with their tags."""
    names: dict[str, str] = {}
    for line in DICTIONARY_PATH.read_text(encoding="utf-8").splitlines():
        parts = line.rsplit(" ", 2)
        if len(parts) == 3 and _dictionary_name(parts[0], parts[2]):
            names[parts[0]] = parts[2]
    for form, full in _alias_canonicals().items():  # 創科及工業局 is known as 創新科技及工業局 is
        if re.search(f"[{_CJK}]", form) and len(form) >= 2:
            names.setdefault(form, names.get(fold(full), "nz"))
    return names


@lru_cache(maxsize=1)
def _dictionary_pattern() -> re.Pattern[str]:
    """One alternation of the dictionary names, longest first, so 人工智能超算中心 wins over 人工智能."""
    names = sorted(_dictionary_names(), key=len, reverse=True)
    return re.compile("|".join(re.escape(name) for name in names) or r"(?!)")


@lru_cache(maxsize=1)
def _head_names() -> frozenset[str]:
    """Heads and bureaus (the dictionary's nt organisations), folded."""
    return frozenset(name for name, tag in _dictionary_names().items() if tag == "nt")


def _dictionary_name(word: str, tag: str) -> bool:
    """nz words are names; nt words are heads, programmes and officers: only organisations count."""
    if word in _generic_folded() or len(word) < 2:
        return False
    if tag == "nz":
        return True
    return tag == "nt" and word.endswith(tuple(fold(s) for s in _SUFFIXES)) and not word.endswith(
        tuple(fold(s) for s in _LABEL_ENDINGS)
    )


@lru_cache(maxsize=1)
def _generic_folded() -> frozenset[str]:
    return frozenset(fold(word) for word in GENERIC)


@lru_cache(maxsize=1)
def _alias_canonicals() -> dict[str, str]:
    """Folded form -> the first (full Chinese) form of its group in fixtures/aliases.txt."""
    if not ALIASES_PATH.is_file():
        return {}
    table: dict[str, str] = {}
    for group in read_groups(ALIASES_PATH.read_text(encoding="utf-8")):
        for form in group:
            table.setdefault(fold(form), group[0])
    return table
