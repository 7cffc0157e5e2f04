"""The benchmark's queries, drawn from the corpus by a fixed procedure, so that it cannot choose its easy cases.

Seeded and deterministic (the same corpus and seed give the same queries):

1. **Sample.** ``SAMPLE_REPLIES`` replies at random; their ``search_text`` (the cleaned, folded text the search
   reads) is where frequencies are estimated.
2. **Candidates.** From the question and reply of the first ``SOURCE_REPLIES`` of them: for every length 1 to 8,
   ``PER_LENGTH`` substrings of CJK runs at random positions (Traditional, as printed); every Latin token
   (a letter then letters or digits); and phrase candidates, a CJK substring of 4 to 6 characters cut in two
   words at a random point (``"AB CD"``).
3. **Estimate.** Each candidate's share of the sample (its folded spelling inside the text; a Latin token as a
   whole word, as the search matches it).
4. **Confirm.** For each (length, band) the ``CONFIRM`` candidates whose estimate is nearest the band's target
   are counted exactly with the portal's own search (``Reply.objects.search(term).count()``); the first whose
   count the band accepts (``Band.accepts``) is taken. A cell with none stays empty and the report says so.
5. **Compose.** Per band one query kind of all its lengths (``term 10%`` …); ``Simplified``: the folded
   (Simplified) spelling of a band term that has one; ``Latin``: a Latin token per band; ``two terms``,
   ``exclusion`` (``A -B``) and ``OR`` of band terms of 3 to 8 characters in fixed band pairs; ``phrase``: the
   quoted two words per band.
6. **Filters.** The second, fifth, eighth … query of each kind gets a filter, in turn year, head and member, each taken from a sampled reply.

The hits of a composed or filtered query are read from the API's exact ``count`` when it is measured.
"""

from __future__ import annotations

import math
import random
import re
import time
from dataclasses import asdict, dataclass, field

from replies.models import Reply
from search import fold
from tools.benchmark.bands import BANDS, COMPOSED_LENGTHS, LENGTHS, Band

SAMPLE_REPLIES = 1500
SOURCE_REPLIES = 60
PER_LENGTH = 2
CONFIRM = 2
CONFIRM_RARE = 4  # rare candidates are cheap to count, and most strings of a recombined corpus are not rare
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_LATIN = re.compile(r"(?<![A-Za-z0-9])[A-Za-z][A-Za-z0-9]+(?![A-Za-z0-9])")


TWO_TERMS = (("40%", "40%"), ("25%", "40%"), ("10%", "25%"), ("~1%", "40%"), ("≤0.01%", "25%"))
EXCLUSIONS = (("40%", "10%"), ("25%", "~1%"), ("10%", "40%"), ("40%", "25%"))
ALTERNATIVES = (("10%", "25%"), ("~1%", "~1%"), ("25%", "40%"), ("≤0.01%", "40%"))
FILTERS = ("year", "head", "member")


@dataclass(frozen=True)
class QueryKind:
    """One benchmark query: its kind, its URL parameters, its hits when known (else None) and how it was made."""

    name: str
    params: dict
    hits: int | None
    note: str

    def as_dict(self) -> dict:
        return asdict(self)


def document_frequency(term: str) -> int:
    return Reply.objects.search(term).count()


@dataclass
class Sample:
    texts: list[str]  # search_text of the sampled replies
    sources: list[str]  # question and reply, as printed, of the first SOURCE_REPLIES
    filters: list[dict]  # year, head and member of the same replies
    total: int


@dataclass
class Drawing:
    """What the procedure found: a term per (length, band) where one exists, and the composed queries."""

    total: int
    cells: dict = field(default_factory=dict)  # "length/band" -> {"term", "hits"} or None
    latin: dict = field(default_factory=dict)  # band -> {"term", "hits"} or None
    phrases: dict = field(default_factory=dict)  # band -> {"term", "hits"} or None
    counted: int = 0  # exact counts made
    seconds: float = 0.0
    queries: list[QueryKind] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {"total": self.total, "cells": self.cells, "latin": self.latin, "phrases": self.phrases,
                "counted": self.counted, "seconds": self.seconds}


def draw_sample(rng: random.Random) -> Sample:
    ids = list(Reply.objects.order_by("pk").values_list("pk", flat=True))
    picked = rng.sample(ids, min(SAMPLE_REPLIES, len(ids)))
    texts = dict(Reply.objects.filter(pk__in=picked).values_list("pk", "search_text"))
    rows = {row["pk"]: row for row in Reply.objects.filter(pk__in=picked[:SOURCE_REPLIES])
            .values("pk", "question", "reply", "year__label", "head__number", "member__name")}
    sources = [rows[pk]["question"] + "\n" + rows[pk]["reply"] for pk in picked[:SOURCE_REPLIES]]
    filters = [{"year": rows[pk]["year__label"], "head": rows[pk]["head__number"], "member": rows[pk]["member__name"]}
               for pk in picked[:SOURCE_REPLIES]]
    return Sample([texts[pk] for pk in picked], sources, filters, len(ids))


def cjk_candidates(sample: Sample, rng: random.Random) -> dict[int, list[str]]:
    """Substrings of CJK runs per length, at random positions of the source replies (in drawing order)."""
    found: dict[int, list[str]] = {length: [] for length in LENGTHS}
    for text in sample.sources:
        runs = _CJK_RUN.findall(text)
        for length in LENGTHS:
            long_enough = [run for run in runs if len(run) >= length]
            for _ in range(PER_LENGTH if long_enough else 0):
                run = rng.choice(long_enough)
                start = rng.randrange(len(run) - length + 1)
                if run[start : start + length] not in found[length]:
                    found[length].append(run[start : start + length])
    return found


def phrase_candidates(sample: Sample, rng: random.Random) -> list[str]:
    """Two words quoted: a CJK substring of 4 to 6 characters cut at a random point."""
    found = []
    for text in sample.sources:
        runs = [run for run in _CJK_RUN.findall(text) if len(run) >= 4]
        if runs:
            run = rng.choice(runs)
            length = min(len(run), rng.randint(4, 6))
            start = rng.randrange(len(run) - length + 1)
            cut = rng.randint(2, length - 2)
            found.append(f"{run[start : start + cut]} {run[start + cut : start + length]}")
    return sorted(set(found), key=found.index)


def latin_candidates(sample: Sample) -> list[str]:
    found = [token for text in sample.sources for token in _LATIN.findall(text)]
    return sorted(set(found), key=found.index)


def estimated_share(candidate: str, texts: list[str]) -> float:
    if _LATIN.fullmatch(candidate):
        pattern = re.compile(rf"(?<![a-z0-9]){re.escape(candidate.lower())}(?![a-z0-9])")
        return sum(1 for text in texts if pattern.search(text)) / len(texts)
    needle = fold(candidate.replace(" ", ""))
    return sum(1 for text in texts if needle in text) / len(texts)


class Picker:
    """Confirms candidates by their exact count, nearest estimate first, and remembers every count it made."""

    def __init__(self, sample: Sample, drawing: Drawing):
        self.sample, self.drawing = sample, drawing
        self.estimates: dict[str, float] = {}

    def pick(self, candidates: list[str], band: Band, as_query=lambda term: term) -> dict | None:
        floor = 0.5 / len(self.sample.texts)
        for term in candidates:
            if term not in self.estimates:
                self.estimates[term] = estimated_share(term, self.sample.texts)
        plausible = [term for term in candidates if self._plausible(self.estimates[term], band)]
        plausible.sort(key=lambda term: abs(math.log(max(self.estimates[term], floor) / band.share)))
        for term in plausible[: CONFIRM_RARE if band.low == 0 else CONFIRM]:
            hits = document_frequency(as_query(term))
            self.drawing.counted += 1
            if band.accepts(hits, self.sample.total):
                return {"term": term, "hits": hits}
        return None

    def _plausible(self, estimate: float, band: Band) -> bool:
        if band.low == 0:  # found in its own source reply only, or in no more sampled replies than the band allows
            return estimate * len(self.sample.texts) <= 1 + band.high * len(self.sample.texts)
        return band.low / 2 <= estimate <= min(1.0, band.high * 1.5)


def draw_queries(seed: int = 1) -> Drawing:
    """Run the procedure of the module's docstring on the current database."""
    started = time.perf_counter()
    rng = random.Random(f"queries/{seed}")
    sample = draw_sample(rng)
    drawing = Drawing(sample.total)
    picker = Picker(sample, drawing)
    by_length = cjk_candidates(sample, rng)
    for length in LENGTHS:
        for band in BANDS:
            drawing.cells[f"{length}/{band.name}"] = picker.pick(by_length[length], band)
    latin, phrases = latin_candidates(sample), phrase_candidates(sample, rng)
    for band in BANDS:
        drawing.latin[band.name] = picker.pick(latin, band)
        drawing.phrases[band.name] = picker.pick(phrases, band, as_query=lambda term: f'"{term}"')
    drawing.queries = with_filters(compose(drawing, rng), sample)
    drawing.seconds = round(time.perf_counter() - started, 1)
    return drawing


def band_terms(drawing: Drawing, band: str, lengths=LENGTHS) -> list[tuple[int, dict]]:
    return [(length, drawing.cells[f"{length}/{band}"]) for length in lengths if drawing.cells.get(f"{length}/{band}")]


def compose(drawing: Drawing, rng: random.Random) -> list[QueryKind]:
    """The query kinds of step 5 of the procedure, each a list of queries."""
    queries = []
    for band in BANDS:
        queries += [QueryKind(f"term {band.name}", {"q": cell["term"]}, cell["hits"], f"length {length}")
                    for length, cell in band_terms(drawing, band.name)]
    for band in BANDS:
        convertible = [(length, cell) for length, cell in band_terms(drawing, band.name)
                       if fold(cell["term"]) != cell["term"]]
        if convertible:
            length, cell = max(convertible, key=lambda item: (item[0] >= 3, -abs(item[0] - 4)))
            queries.append(QueryKind("Simplified", {"q": fold(cell["term"])}, cell["hits"],
                                     f"{band.name}, length {length}, Simplified spelling"))
    queries += [QueryKind("Latin", {"q": cell["term"]}, cell["hits"], band)
                for band, cell in drawing.latin.items() if cell]
    queries += [QueryKind("phrase", {"q": f'"{cell["term"]}"'}, cell["hits"], band)
                for band, cell in drawing.phrases.items() if cell]
    for name, pairs, joiner in (("two terms", TWO_TERMS, " "), ("exclusion", EXCLUSIONS, " -"),
                                ("OR", ALTERNATIVES, " OR ")):
        for first, second in pairs:
            pair = _two_terms(drawing, first, second, rng)
            if pair:
                queries.append(QueryKind(name, {"q": joiner.join(pair)}, None, f"{first} with {second}"))
    return queries


def _two_terms(drawing: Drawing, first: str, second: str, rng: random.Random) -> tuple[str, str] | None:
    """A term of each band, of 3 to 8 characters where there is one (any length otherwise), not the same."""
    picks = []
    for band in (first, second):
        terms = [cell["term"] for _, cell in band_terms(drawing, band, COMPOSED_LENGTHS) if cell["term"] not in picks]
        terms = terms or [cell["term"] for _, cell in band_terms(drawing, band) if cell["term"] not in picks]
        if not terms:
            return None
        picks.append(rng.choice(terms))
    return picks[0], picks[1]


def with_filters(queries: list[QueryKind], sample: Sample) -> list[QueryKind]:
    """The second, fifth, … query of each kind with a filter (year, head, member in turn) from a sampled reply."""
    filtered, seen = [], {}
    for number, query in enumerate(queries):
        position = seen[query.name] = seen.get(query.name, -1) + 1
        if position % 3 != 1:
            filtered.append(query)
            continue
        name = FILTERS[number % len(FILTERS)]
        value = sample.filters[number % len(sample.filters)][name]
        filtered.append(QueryKind(query.name, {**query.params, name: value}, None, f"{query.note}, {name} filter"))
    return filtered
