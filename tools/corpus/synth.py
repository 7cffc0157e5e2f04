"""Synthetic replies made from the bundled real ones (pure: no Django, no database).

Every synthetic reply takes its paragraphs from random real questions and replies, swaps about one CJK word in
ten for another word of the corpus of the same length (drawn by the word's frequency, so term frequencies stay
natural), and gets a year (20 years), a bureau with its serial prefix, a head, programmes and a member.

Two vocabularies (``VOCABULARY_CHOICES``): ``bureaux`` (the default) then replaces, in a reply of any bureau but
the technology one, every technology-specific word by a word of that bureau's own vocabulary
(``tools.corpus.vocabulary``), so term frequencies spread as over 20 bureaux; ``technology`` keeps every reply
in the technology bureau's words (智方便 in about a third of the replies): the worst case. Both draw the same
paragraphs and swaps (the bureau words come from a random stream of their own), so a reply differs between the
two only in its technology words.

Reply ``i`` of seed ``s`` depends only on ``(s, i)``: any chunking of the range, in any process, gives the same
corpus.
"""

from __future__ import annotations

import bisect
import itertools
import logging
import random
import re
from collections import Counter
from dataclasses import dataclass
from functools import cached_property
from typing import NamedTuple

from tools.corpus.vocabulary import TECHNOLOGY_BUREAU, BureauVocabulary, TechnologyTerms, vocabularies
from tools.corpus.bureaux import (
    BUREAUX,
    FIRST_YEAR,
    GIVEN_NAME_CHARS,
    PROGRAMME_NAMES,
    SURNAMES,
    YEARS,
)
from replies.importing.records import ProgrammeRef, ReplyRecord

MEMBERS = 90
SWAP_PROBABILITY = 0.1
LONG_REPLY_EVERY = 5000  # reply i is very long when i % LONG_REPLY_EVERY == LONG_REPLY_EVERY // 2
LONG_REPLY_CHARS = 30_000
VOCABULARY_CHOICES = ("bureaux", "technology")
_CJK_WORD = re.compile(r"^[\u4e00-\u9fff]{2,}$")  # single characters are particles: swapping them reads as noise


class SynthReply(NamedTuple):
    """A reply and its year label: the (year, record) pairs replies.importing.bulk saves."""

    year: str
    record: ReplyRecord


def year_labels() -> list[str]:
    return [f"{year}-{(year + 1) % 100:02d}" for year in range(FIRST_YEAR, FIRST_YEAR + YEARS)]


class WordSwapper:
    """Replaces CJK words of two or more characters by others of the same length, drawn by corpus frequency."""

    def __init__(self, counts: Counter):
        self.by_length: dict[int, tuple[list[str], list[int]]] = {}
        for word, count in sorted(counts.items(), key=lambda item: (-item[1], item[0])):
            if not _CJK_WORD.match(word):
                continue
            words, cumulative = self.by_length.setdefault(len(word), ([], []))
            words.append(word)
            cumulative.append((cumulative[-1] if cumulative else 0) + count)
        self._plans: dict[tuple[str, ...], tuple[tuple[int, ...], tuple[tuple[int, int], ...]]] = {}
        self.technology: TechnologyTerms | None = None  # set by use_bureau_words
        self.technology_words: frozenset[str] = frozenset()

    def use_bureau_words(self, technology: TechnologyTerms) -> None:
        """Find the technology words in each paragraph, and among the words a swap may draw."""
        self.technology = technology
        self.technology_words = frozenset(word for words, _ in self.by_length.values() for word in words
                                          if technology.matches(word))

    def draw(self, rng: random.Random, length: int) -> str | None:
        bucket = self.by_length.get(length)
        if not bucket:
            return None
        words, cumulative = bucket
        return words[bisect.bisect_right(cumulative, rng.random() * cumulative[-1])]

    def _plan(self, words: tuple[str, ...]) -> tuple[tuple[int, ...], tuple[tuple[int, int], ...]]:
        """The swappable words and the technology words' token ranges of a source paragraph, found once."""
        plan = self._plans.get(words)
        if plan is None:
            swappable = tuple(i for i, word in enumerate(words) if _CJK_WORD.match(word))
            plan = self._plans[words] = (swappable, self.technology.spans(words) if self.technology else ())
        return plan

    def rewrite(self, rng: random.Random, words: tuple[str, ...],
                bureau: tuple[BureauVocabulary, random.Random] | None = None) -> str:
        """The paragraph with some words swapped, and its technology words replaced by the bureau's when
        ``bureau`` (its vocabulary and its own random stream) is given. Only swappable words draw random numbers,
        in order, so looking them up once per source paragraph gives the same text as testing every word each
        time. A swap keeps a word's length, so the technology ranges found in the source still hold."""
        swappable, technology = self._plan(words)
        out = list(words)
        for i in swappable:
            if rng.random() < SWAP_PROBABILITY:
                out[i] = self.draw(rng, len(out[i])) or out[i]
                if bureau and out[i] in self.technology_words:
                    out[i] = bureau[0].draw(bureau[1])
        if bureau:
            vocabulary, bureau_rng = bureau
            for first, stop in technology:
                out[first : stop] = [vocabulary.draw(bureau_rng)] + [""] * (stop - first - 1)
        return "".join(out)


class CorpusSource:
    """The real replies cut into segmented paragraphs, plus the people and places synthetic replies use."""

    def __init__(self, records: list[ReplyRecord], seed: int, vocabulary: str = "bureaux"):
        if vocabulary not in VOCABULARY_CHOICES:
            raise ValueError(f"vocabulary must be one of {VOCABULARY_CHOICES}, not {vocabulary!r}")
        tokenizer = _tokenizer()
        self.questions = [_segment(tokenizer, p) for r in records for p in _paragraphs(r.question)]
        self.replies = [_segment(tokenizer, p) for r in records for p in _paragraphs(r.reply)]
        self.reply_lengths = [len(_paragraphs(r.reply)) for r in records]
        counts = Counter(word for paragraph in self.questions + self.replies for word in paragraph)
        self.swapper = WordSwapper(counts)
        self.vocabulary = vocabulary
        self.bureau_words = vocabularies() if vocabulary == "bureaux" else {}
        if self.bureau_words:
            self.swapper.use_bureau_words(TechnologyTerms())
        self.members = _members(sorted({r.member for r in records}), random.Random(f"members/{seed}"))
        self.bureaux = _bureaux(random.Random(f"heads/{seed}"))

    @cached_property
    def years(self) -> list[str]:
        return year_labels()


@dataclass(frozen=True)
class SynthHead:
    prefix: str
    director: str
    number: int
    name: str
    officer_title: str
    officer_name: str
    programmes: tuple[ProgrammeRef, ...]


def _tokenizer():
    """jieba's plain (non-overlapping) segmentation, so words join back into the paragraph."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import jieba
    jieba.setLogLevel(logging.WARNING)
    return jieba.Tokenizer()


def _segment(tokenizer, paragraph: str) -> tuple[str, ...]:
    return tuple(tokenizer.cut(paragraph, HMM=False))


def _paragraphs(text: str) -> list[str]:
    return [part for part in text.split("\n\n") if part.strip()]


def _members(real: list[str], rng: random.Random) -> list[str]:
    """The real members, then made-up three-character names up to MEMBERS."""
    names = list(real)
    while len(names) < MEMBERS:
        name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN_NAME_CHARS, 2))
        if name not in names:
            names.append(name)
    return names[:MEMBERS]


def _bureaux(rng: random.Random) -> list[list[SynthHead]]:
    """The heads of every bureau (a bureau's heads share its serial prefix)."""
    bureaux = []
    for prefix, director, bureau_heads in BUREAUX:
        heads = []
        for number, name, officer_title in bureau_heads:
            picked = rng.sample(PROGRAMME_NAMES, rng.randint(2, 5))
            programmes = tuple(ProgrammeRef(position, title) for position, title in enumerate(picked, start=1))
            officer_name = rng.choice(SURNAMES) + "".join(rng.sample(GIVEN_NAME_CHARS, 2))
            heads.append(SynthHead(prefix, director, number, name, officer_title, officer_name, programmes))
        bureaux.append(heads)
    return bureaux


def synth_reply(source: CorpusSource, seed: int, index: int, total: int) -> SynthReply:
    """Reply ``index`` of a corpus of ``total`` replies (deterministic for (seed, index))."""
    rng = random.Random(f"{seed}/{index}")
    per_year = -(-total // len(source.years))
    year, position = divmod(index, per_year)
    head = rng.choice(source.bureaux[position % len(source.bureaux)])
    serial_number = position // len(source.bureaux) + 1
    member_number = rng.randrange(len(source.members))
    bureau = _bureau_words(source, head.prefix, seed, index)
    question = _text(source, rng, bureau, source.questions, rng.randint(1, 3))
    paragraphs = rng.choice(source.reply_lengths)
    long_reply = index % LONG_REPLY_EVERY == LONG_REPLY_EVERY // 2
    reply = _text(source, rng, bureau, source.replies, paragraphs, LONG_REPLY_CHARS if long_reply else 0)
    programmes = tuple(sorted(rng.sample(head.programmes, rng.choice((1, 1, 1, 2))), key=lambda ref: ref.number))
    subhead = rng.choice((("", ""), ("000", "運作開支"), ("700", "一般非經常開支")))
    record = ReplyRecord(
        serial=f"{head.prefix}{serial_number:03d}",
        question_serial=rng.randint(1, 7000),
        member=source.members[member_number],
        legco_reference=str(member_number + 1),
        head_number=head.number,
        head_name=head.name,
        subhead_code=subhead[0],
        subhead_title=subhead[1],
        programmes=programmes,
        controlling_officer_title=head.officer_title,
        controlling_officer_name=head.officer_name,
        director_of_bureau=head.director,
        question=question,
        reply=reply,
        source_file=f"synth-{source.years[year]}-{head.prefix}.txt",
        source_page=serial_number,
        line=0,
    )
    return SynthReply(source.years[year], record)


def _bureau_words(source: CorpusSource, prefix: str, seed: int, index: int):
    """The bureau's vocabulary and a random stream of its own (so the main stream, hence the paragraphs and
    swaps, are those of the technology corpus); None for the technology bureau or vocabulary."""
    if prefix == TECHNOLOGY_BUREAU or prefix not in source.bureau_words:
        return None
    return source.bureau_words[prefix], random.Random(f"{seed}/{index}/bureau")


def _text(source: CorpusSource, rng: random.Random, bureau, pool, paragraphs: int, min_chars: int = 0) -> str:
    parts: list[str] = []
    length = -2  # the separators: "\n\n" between paragraphs
    for count in itertools.count():
        if count >= paragraphs and length >= min_chars:
            break
        parts.append(source.swapper.rewrite(rng, rng.choice(pool), bureau))
        length += len(parts[-1]) + 2
    return "\n\n".join(parts)


def synth_replies(source: CorpusSource, seed: int, start: int, stop: int, total: int) -> list[SynthReply]:
    return [synth_reply(source, seed, index, total) for index in range(start, stop)]
