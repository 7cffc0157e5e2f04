"""What a question asked, in one line of at most 40 characters, taken from the question's own words.

A question is a preamble (a speech quoted, a scheme described) followed by a formula (就此，請告知本會：) and
one or more asks, often numbered ((一), 1., a.). The subject is the first ask, cleaned:

1. the ask: the text of the first numbered ask; without numbering, what follows the first formula; without a
   formula, the first sentence that asks something (會否, 有否, 為何, 多少, ？ …), from the clause that asks
   (with the clause before it when the asking clause has no topic of its own: "…的工作，是否仍按目標…");
2. within it, the first sentence, up to the first clause that ends in a question word, before any
   follow-up (若有，詳情為何 / 如否 / 另請列出);
3. formulas at its start (請告知本會, 政府可否告知本會, 請提供, 請列出, 局方, 當局), a leading clause that only
   names a period (過去三年, 在2023-24年度) and a trailing question word (為何, 分別如何, 是多少) are dropped;
4. longer than 40: elaboration clauses (包括…, 例如…) go first, then whole clauses from the end, marked "…";
   a single clause still too long is cut at a jieba word boundary outside 「」 and 《》.

Keywords (KeywordWeights, keywords_of) live in replies.reading.keywords and are re-exported here.
"""

from __future__ import annotations

import re

from search.fold import fold
from search.segment import words

from .keywords import KeywordWeights, dictionary_tags, keywords_of  # noqa: F401 (keywords: this module's interface)

SUBJECT_MAX = 40
ELLIPSIS = "…"
SHORT_ASK = 12  # an ask this short may lack its object

# A numbered ask starts a paragraph or follows a clause end: (一) (1) (a) 1. 1) a. a)
_ASK_NUMBER = re.compile(
    r"(?:^|(?<=[\n：:︰；;。？?]))[ \t]*(?:[(（][ \t]*(?:[一二三四五六七八九十]{1,3}|\d{1,2}|[a-zA-Z]|[ivx]{1,4})[ \t]*[)）]|[一二三四五六七八九十]{1,3}、"
    r"|(?:\d{1,2}|[a-zA-Z])[ \t]*(?:[.．、]|[)）])(?!\d))"
)
# The words that hand over to the asks; the first one marks where the asks begin.
HANDOVERS = (
    r"就此", r"就上述", r"請問", r"請(?:提供|列出|詳列|說明)", r"請當局", r"請局方", r"請政府",
    r"(?:請|可否|能否)[^，。：:？?\n]{0,10}?告知(?:本會|本委員會|本局|)", r"(?:政府|當局|局方)?可否告知(?:本會|本委員會)?",
    r"(?:以列表形式)?告知(?:本會|本委員會)",
)
# Words that only introduce an ask, dropped at its start (the handovers and a few more).
FORMULAS = HANDOVERS + (
    r"承接問題[(（]?[一二三四五六七八九十\d]*[)）]?", r"另請", r"另外", r"此外", r"請", r"局方", r"當局", r"政府當局",
    r"(?:以|按)(?:分項|按年|列表|表列|明細)(?:形式|方式)?", r"列出", r"告知", r"現時", r"目前", r"有關", r"關於",
)
_HANDOVER = re.compile("(?:" + "|".join(HANDOVERS) + ")")
_LEADING_FILLER = re.compile(r"^(?:[\s，,：:︰。.；;、)）]|" + "|".join(FORMULAS) + r")+")
_TOPIC = re.compile(r"(?:^|[。，：:\n])(?:就|有關|關於)([^，。：:\n就]{2,24}?)[，,]?(?:政府|當局|局方)?(?:可否|能否|請)")
_QUOTED = re.compile(r"「([^「」\n]{2,20})」")
_NAME = re.compile(r"「[^「」\n]{1,20}」|《[^《》\n]{1,30}》")  # longer runs in 「」 are quotations, not names
_HEADING = re.compile(r"^([^\s，,。：:；;？?]{2,20})\n\n")  # a title line above the question: 簡便通關安排
_REFERRING = re.compile(r"^(?:相關|有關|該|此|上述|這|本)")
_SENTENCE_END = re.compile(r"[。？?！!；;\n]")
_CLAUSE = re.compile(r"(?<=[，,；;、：:︰])")
_ASKING = re.compile(r"會否|有否|是否|能否|可否|有沒有|為何|如何|多少|何時|甚麼|什麼|哪|？|\?")
_TOPICLESS = re.compile(r"^(?:是否|會否|有否|能否|可否|有沒有|有何|如何)")
_REPORTING = re.compile(r"表示|提到|提及|指出|宣布|公布|根據|預算案|演辭|施政報告")
_QUESTION_TAIL = re.compile(
    r"(?:分別|大概|具體)?(?:為何|如何|為甚麼|為什麼|是甚麼|是什麼|是多少|為多少|有多少|怎樣|是)[？?。]?$"
)
_FOLLOW_UP = re.compile(r"^(?:若|如有|如會|如否|如是|如沒有|如果|倘若|否則|詳情為何|請|另請|另外)")
_ELABORATION = re.compile(r"^(?:包括|例如|譬如|如：|特別是|尤其|即)")
_PARENTHETICAL = re.compile(r"[(（][^()（）]*[)）]")
_PERIOD_CHARS = re.compile(r"[\d０-９一二三四五六七八九十兩零〇\-–—／/至及年度月日個財政過去最近上今來未直截止為時的在於自由這中內間以期]+")
_TRAILING = re.compile(r"[\s，,；;、：:︰。.？?！!]+$|(?:以及|及|和|與|或|的)$")


def subject_of(question: str) -> str:
    """The first ask of ``question`` in at most SUBJECT_MAX characters; never empty for a non-empty question."""
    text = re.sub(r"(?<!\n)\n(?!\n)", "", (question or "").strip())
    if not text:
        return ""
    preamble, ask = _first_ask(text)
    for candidate in (ask, _first_sentence(text), text):
        subject = _shorten(_with_topic(_with_full_name(_clean(candidate), text), preamble))
        if subject:
            return subject
    return _cut_at_word(text, SUBJECT_MAX - 1) + ELLIPSIS


def _with_full_name(ask: str, text: str) -> str:
    """A short reference to a 「」 name of the question is written out: 先導計劃 -> 「數碼轉型支援先導計劃」."""
    for name in _QUOTED.findall(text):
        if name in ask:
            return ask
        for start in range(1, len(name) - 2):
            if name[start:] in ask:
                return ask.replace(name[start:], f"「{name}」", 1)
    return ask


def _with_topic(ask: str, preamble: str) -> str:
    """A short or referring ask that names nothing (具體的計劃內容, 相關詳情) is prefixed with the question's
    topic: the X of 就X／有關X before the handover, else the question's own heading line, else the preamble's
    first 「」 name, else its first scheme name (nz)."""
    if not ask or _names_something(ask) or (len(ask) > SHORT_ASK and not _REFERRING.match(ask)):
        return ask
    topic = _topic_of(preamble)
    return ask if not topic or topic in ask else f"{topic}：{ask}"


def _names_something(text: str) -> bool:
    """A 「」《》 name or a scheme, organisation or programme of the domain dictionary (nz, nt)."""
    return bool(_NAME.search(text)) or any(dictionary_tags().get(fold(w)) in ("nz", "nt") for w in _words_of(text))


def _topic_of(text: str) -> str:
    stated = _TOPIC.search(text)
    if stated and not _REFERRING.match(stated.group(1)):
        return _strip_tail(stated.group(1))
    heading = _HEADING.match(text)
    if heading:
        return heading.group(1)
    quoted = _QUOTED.search(text)
    if quoted:
        return f"「{quoted.group(1)}」"
    return next((word for word in _words_of(text) if dictionary_tags().get(fold(word)) == "nz"), "")


def _words_of(text: str) -> list[str]:
    """jieba's words of ``text`` in their printed form (folding keeps every character in place)."""
    printed, position = [], 0
    for word in words(fold(text)):
        printed.append(text[position : position + len(word)])
        position += len(word)
    return printed


def _first_ask(text: str) -> tuple[str, str]:
    """(preamble, ask): the first numbered ask, else what follows the first handover formula, else the first
    asking sentence; the preamble is the text before it."""
    numbers = list(_ASK_NUMBER.finditer(text))
    if len(numbers) >= 2:
        return text[: numbers[0].start()], text[numbers[0].end() : numbers[1].start()]
    for handover in _HANDOVER.finditer(text):
        after = text[handover.end() :]
        if len(re.findall(r"[\u4e00-\u9fff]", after)) >= 4:
            return text[: handover.start()], after
    return _asking_sentence(text)


def _asking_sentence(text: str) -> tuple[str, str]:
    """The first sentence with a question word, from its asking clause (and the topic clause before it)."""
    offset = 0
    for sentence in re.split(r"(?<=[。？?！!\n])", text):
        clauses = _CLAUSE.split(sentence)
        for index, clause in enumerate(clauses):
            if _ASKING.search(clause):
                start = index
                if index and _TOPICLESS.match(clause) and not _REPORTING.search(clauses[index - 1]):
                    start = index - 1
                return text[: offset + len("".join(clauses[:start]))], "".join(clauses[start:])
        offset += len(sentence)
    return text, ""


def _first_sentence(text: str) -> str:
    return next((piece for piece in _SENTENCE_END.split(text) if piece.strip()), "")


def _clean(ask: str) -> str:
    """The ask up to its first question, without formulas, a leading period or a trailing question word."""
    ask = _PARENTHETICAL.sub("", ask.strip())
    ask = _LEADING_FILLER.sub("", _ASK_NUMBER.sub("", ask, count=1))
    sentence = _first_sentence(ask)
    kept: list[str] = []
    for clause in _CLAUSE.split(sentence):
        if kept and (_FOLLOW_UP.match(clause) or _ELABORATION.match(clause)):
            break
        if not kept and _is_period(clause):
            continue
        kept.append(_LEADING_FILLER.sub("", clause) if not kept else clause)
        if _QUESTION_TAIL.search(_TRAILING.sub("", clause)):
            break
    return _strip_tail("".join(kept))


def _is_period(clause: str) -> bool:
    """A clause that only names a period: 過去三年， / 在2023-24年度中， / 直至今時為止，"""
    bare = _TRAILING.sub("", clause)
    return bool(bare) and re.search(r"年|月|至今|為止", bare) is not None and not _PERIOD_CHARS.sub("", bare)


def _strip_tail(text: str) -> str:
    """Drop trailing punctuation, conjunctions and question words until nothing more changes."""
    previous = None
    while text != previous:
        previous = text
        text = _TRAILING.sub("", text)
        stripped = _QUESTION_TAIL.sub("", text)
        if stripped:
            text = stripped
    return text.strip()


def _shorten(text: str) -> str:
    """Fit into SUBJECT_MAX: drop elaboration clauses, then whole clauses, then cut at a word boundary."""
    if len(text) <= SUBJECT_MAX:
        return text
    clauses = _from_named_clause(_CLAUSE.split(text))
    kept = ""
    for clause in clauses:
        candidate = _strip_tail(kept + clause)
        if len(candidate) > SUBJECT_MAX - 1:
            break
        kept = kept + clause
    kept = _strip_tail(kept)
    if kept == _strip_tail("".join(clauses)) and len(kept) <= SUBJECT_MAX:
        return kept
    if not kept:
        kept = _cut_at_word(clauses[0], SUBJECT_MAX - 1)
    return kept + ELLIPSIS


def _from_named_clause(clauses: list[str]) -> list[str]:
    """Start at the first clause naming a 「」《》 name when the clauses before it leave it no room."""
    named = next((i for i, c in enumerate(clauses) if _NAME.search(c)), 0)
    if named and len("".join(clauses[: named + 1])) > SUBJECT_MAX - 1:
        return clauses[named:]
    return clauses


def _cut_at_word(text: str, limit: int) -> str:
    """The longest prefix of at most ``limit`` characters ending at a jieba word boundary outside a name."""
    inside = {i for name in _NAME.finditer(text) for i in range(name.start() + 1, name.end())}
    best, position = 0, 0
    for word in words(fold(text)):
        position += len(word)
        if position > limit:
            break
        if position not in inside:
            best = position
    return _TRAILING.sub("", text[:best]) or text[:limit]
