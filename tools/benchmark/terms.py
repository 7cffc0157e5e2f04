"""Query terms for each benchmark kind, chosen by their measured document frequency in the corpus.

Candidates come from the real replies (jieba words and word pairs, random three-character strings of the
corpus); their document frequency is counted in the benchmark database with the portal's own search
(``Reply.objects.search(term).count()``, exact), and the candidate nearest the wanted frequency wins.
"""

from __future__ import annotations

import math
import random
import re
from collections import Counter
from dataclasses import asdict, dataclass

from django.db.models import Count

from replies.models import Reply
from search import fold

_CJK2 = re.compile(r"^[\u4e00-\u9fff]{2}$")
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]{3,}")
CANDIDATE_WORDS = 120
CANDIDATE_PHRASES = 30
CANDIDATE_RARE = 60


@dataclass(frozen=True)
class QueryKind:
    """One benchmark query: its name, its URL parameters and the hits it had when chosen."""

    name: str
    params: dict
    hits: int
    note: str

    def as_dict(self) -> dict:
        return asdict(self)


def document_frequency(term: str) -> int:
    return Reply.objects.search(term).count()


def nearest(candidates: list[str], wanted: float, frequencies: dict[str, int]) -> str:
    """The candidate whose frequency is nearest ``wanted`` on a log scale (terms that match nothing lose)."""
    for term in candidates:
        if term not in frequencies:
            frequencies[term] = document_frequency(term)
    usable = [term for term in candidates if frequencies[term] > 0] or candidates  # a tiny corpus: take any
    return min(usable, key=lambda term: (abs(math.log(max(frequencies[term], 0.5) / wanted)), term))


def word_candidates(segmented_paragraphs) -> tuple[list[str], list[str]]:
    """The most frequent two-character words and two-word (four-character) phrases of the real corpus."""
    words, pairs = Counter(), Counter()
    for paragraph in segmented_paragraphs:
        for first, second in zip(paragraph, paragraph[1:]):
            if _CJK2.match(first) and _CJK2.match(second):
                pairs[first + second] += 1
        words.update(word for word in paragraph if _CJK2.match(word))
    return _spread(words, CANDIDATE_WORDS), _spread(pairs, CANDIDATE_PHRASES)


def _spread(counter: Counter, how_many: int) -> list[str]:
    """Candidates spread over the whole frequency range (not only the top), in a stable order."""
    ranked = [item for item, _ in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))]
    top, rest = ranked[: how_many // 2], ranked[how_many // 2 :]
    step = max(1, len(rest) // (how_many - how_many // 2))
    return top + rest[::step][: how_many - how_many // 2]


def rare_candidates(seed: int) -> list[str]:
    """Three- and four-character strings cut from random replies of the corpus (so each has at least one hit)."""
    rng = random.Random(f"rare/{seed}")
    total = Reply.objects.count()
    ids = Reply.objects.order_by("pk").values_list("pk", flat=True)
    picked = sorted({rng.randrange(total) for _ in range(CANDIDATE_RARE)})
    texts = [Reply.objects.filter(pk=ids[offset]).values_list("reply", flat=True).first() or "" for offset in picked]
    found = []
    for text in texts:
        runs = _CJK_RUN.findall(text)
        if runs:
            run = rng.choice(runs)
            length = min(len(run), rng.choice((3, 4)))
            start = rng.randrange(len(run) - length + 1)
            found.append(run[start : start + length])
    return sorted(set(found))


def choose_kinds(segmented_paragraphs, seed: int = 1) -> list[QueryKind]:
    """The eight query kinds of the benchmark, for this corpus."""
    total = Reply.objects.count()
    frequencies: dict[str, int] = {}
    words, phrases = word_candidates(segmented_paragraphs)
    rare = nearest(rare_candidates(seed), 10, frequencies)
    mid = nearest(words, max(total * 0.01, 2), frequencies)
    common = nearest(words, total * 0.5, frequencies)
    second = nearest([w for w in words if w != mid], max(total * 0.2, 2), frequencies)
    phrase = nearest(phrases, max(total * 0.01, 2), frequencies)
    convertible = [word for word in words if fold(word) != word]
    simplified = fold(nearest(convertible, max(total * 0.01, 2), frequencies))
    two_terms = f"{mid} {second}"
    member, member_hits = _top_member()
    head, programme, head_hits = _top_head_programme()
    return [
        QueryKind("rare term", {"q": rare}, frequencies[rare], "~10 hits"),
        QueryKind("mid term", {"q": mid}, frequencies[mid], "~1% of replies"),
        QueryKind("common term", {"q": common}, frequencies[common], "~50% of replies"),
        QueryKind("two terms", {"q": two_terms}, document_frequency(two_terms), "mid AND ~20% term"),
        QueryKind("phrase", {"q": f'"{phrase}"'}, frequencies[phrase], "two words, quoted, ~1%"),
        QueryKind("Simplified", {"q": simplified}, document_frequency(simplified), "Simplified spelling, ~1%"),
        QueryKind("member + query", {"member": member, "q": common}, Reply.objects.filter(member__name=member)
                  .search(common).count(), f"busiest member ({member_hits} replies) + common term"),
        QueryKind("head + programme", {"head": head, "programme": programme}, head_hits,
                  "busiest head and programme, no query"),
    ]


def _top_member() -> tuple[str, int]:
    row = Reply.objects.values("member__name").annotate(n=Count("pk")).order_by("-n", "member__name").first()
    return row["member__name"], row["n"]


def _top_head_programme() -> tuple[int, int, int]:
    through = Reply.programmes.through.objects
    row = (through.values("programme__head__number", "programme__number").annotate(n=Count("reply_id"))
           .order_by("-n", "programme__head__number", "programme__number").first())
    return row["programme__head__number"], row["programme__number"], row["n"]
