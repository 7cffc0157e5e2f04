"""A table's header: the printed header lines made into one label per column.

Header lines are read as *fragments* (the pieces a line shows, between the PDF's gaps). Fragments that are one
label cut over several lines are joined (words.continues), but a label that ends as labels end (數目, 比率, a
unit or a note's mark in brackets: words.ends_label) takes only a bracket, a mark or a particle more; a bracket
closed at the start of a line that goes on to the next label is cut there (``開支)全職`` is the end of
``(包括員工開支)`` and the sub-label 全職).

When the last header line shows several fragments under labels above (``全職 | 兼職``, ``數目 | 比率 | …``,
``年份 | 2020 | 2021 | …``) the header has two levels and each column is labelled ``上級（下級）``. The
sub-labels sit under every label above in turn when they divide evenly; when one label above carries them all
(ITIB010: only the contract staff are counted full-time and part-time), it is the rightmost label whose
columns hold counts, since that is what such breakdowns split.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from unicodedata import normalize
from typing import Callable, Sequence

from replies.tables.cells import Line, is_year
from replies.tables.words import continues, continues_complete, ends_label, joined, unclosed

_AS_AT = re.compile(r"^(?:截至|截止|於)\S*\d{4}年")
_CLOSER_THEN_TEXT = re.compile(r"^(.*?[)）])(\S.*)$")
_AFTER_BRACKET = re.compile(r"[)）](?=[\u4e00-\u9fffA-Za-z])")  # a closed bracket, then a word


@dataclass(frozen=True)
class Fragment:
    text: str
    line: int  # which header line it was printed on
    alone: bool = True  # the only fragment of its line: a line of several shows where its columns are
    last: bool = True  # the last fragment of its line: the only one a wrapped line below can continue


def fragments(lines: Sequence[Line]) -> list[Fragment]:
    found: list[Fragment] = []
    for number, line in enumerate(lines):
        alone = len(line.segments) == 1
        for position, segment in enumerate(line.segments, start=1):
            last = position == len(line.segments)
            if found and unclosed(_label_so_far(found)) > 0 and (cut := _CLOSER_THEN_TEXT.match(segment)):
                found.append(Fragment(cut.group(1), number, False, False))
                found.append(Fragment(cut.group(2), number, False, last))
            else:
                found.append(Fragment(segment, number, alone, last))
    return found


def _label_so_far(found: list[Fragment]) -> str:
    """The text of the label the last fragment belongs to, as far as brackets go."""
    text = ""
    for fragment in reversed(found):
        text = fragment.text + text
        if unclosed(text) <= 0 or fragment.line != found[-1].line:
            break
    return text


def split_levels(found: list[Fragment]) -> tuple[list[Fragment], list[Fragment]]:
    """(upper, lower) fragments: the lower level is the last line's fragments when that line shows two or more
    after the rest of a label above, and lines above it exist."""
    if not found:
        return [], []
    last = found[-1].line
    lower = [f for f in found if f.line == last]
    upper = [f for f in found if f.line != last]
    if lower and upper and unclosed("".join(f.text for f in upper)) > 0:
        upper.append(lower.pop(0))  # "開支)" closes the label above
    if len(lower) < 2 or not upper:
        return found, []
    return upper, lower


def joined_labels(found: list[Fragment]) -> list[list[Fragment]]:
    """Fragments grouped into labels by the joining rules alone, and one more: a fragment that is how other
    labels of the header end (``學校數目`` under ``合資格``, beside ``獲批學校數目``) is the end of the label above."""
    labels: list[list[Fragment]] = []
    endings = {f.text for f in found}
    for fragment in found:
        previous = labels[-1] if labels else None
        ends_others = any(other != fragment.text and other.endswith(fragment.text) for other in endings)
        if previous and fragment.line != previous[-1].line and (
                _continues(_text(previous), fragment.text) or (ends_others and fragment.alone)):
            previous.append(fragment)
        elif previous and unclosed(_text(previous)) > 0:
            previous.append(fragment)
        else:
            labels.append([fragment])
    return labels


def _continues(label: str, fragment: str) -> bool:
    """``fragment``, on the line below, is the rest of ``label`` (words.continues), unless the label is complete
    (words.ends_label) and the fragment neither a bracket nor a particle."""
    return continues_complete(fragment) if ends_label(label) else continues(label, fragment)


def _text(label: list[Fragment]) -> str:
    return joined(fragment.text for fragment in label)


def squeeze(labels: list[list[Fragment]], count: int) -> list[list[Fragment]] | None:
    """Join the shortest neighbouring pair printed on different lines until ``count`` labels remain: narrow
    columns are the ones whose labels wrap. A label that ends as labels end (``數目``, ``(萬元)``) takes no more."""
    labels = [list(label) for label in labels]
    while len(labels) > count:
        pairs = [(len(_text(a)) + len(_text(b)), i) for i, (a, b) in enumerate(zip(labels, labels[1:]))
                 if a[-1].line != b[0].line and a[-1].last and b[0].alone and not ends_label(_text(a))]
        if not pairs:
            return None
        _, index = min(pairs)
        labels[index : index + 2] = [labels[index] + labels[index + 1]]
    return labels


@dataclass(frozen=True)
class Header:
    labels: list[str]
    forced: int  # labels joined only to reach the column count (squeeze): the fewer, the surer


def build(lines: Sequence[Line], width: int, counts: Callable[[int], bool], text_labels: bool) -> Header | None:
    """``width`` labels for the header lines, or None when they cannot be fitted.

    ``counts(column)`` says whether a column holds plain counts; ``text_labels`` whether the first column holds
    row labels (then a header one label short has a blank corner)."""
    labels, lower = _levels(tuple(lines))
    if lower:
        subs = [f.text for f in lower]
        natural = _two_levels([_text(label) for label in labels], subs, width, counts, text_labels)
        if natural is not None:
            return Header(natural, 0)
        squeezed = squeeze(labels, width - len(subs) + 1)
        fitted = squeezed and _two_levels([_text(label) for label in squeezed], subs, width, counts, text_labels)
        return Header(fitted, len(labels) - len(squeezed)) if fitted else None
    if len(labels) > width and (spread := _years_over_repeats(labels, width)):
        return Header(spread, 0)
    if _spanning_title(labels, width, text_labels):
        title = _text(labels[0])
        return Header(["", *(f"{title}（{_text(label)}）" for label in labels[1:])], 0)
    forced = 0
    if len(labels) > width:
        squeezed = squeeze(labels, width) or labels
        forced, labels = len(labels) - len(squeezed), squeezed
    texts = [_text(label) for label in labels]
    if not forced and _row_label_under_labels(labels):
        return None
    if len(texts) == width:
        return Header(texts, forced)
    if len(texts) == width - 1 and (unglued := _unglued(texts)):
        return Header(unglued, forced)
    if len(texts) == width - 1 and text_labels:
        return Header(["", *texts], forced)
    return None


def _unglued(texts: list[str]) -> list[str] | None:
    """The labels with the one label that reads as two split in two, for a header one label short: a label that
    ends as labels end, then another (``投資或其他收入(億元)開支(億元)``: a PDF's extraction lost the gap between
    two columns' labels). None unless exactly one label has exactly one such cut."""
    cuts = [(index, cut) for index, text in enumerate(texts) for cut in _label_cuts(text)]
    if len(cuts) != 1:
        return None
    index, cut = cuts[0]
    return [*texts[:index], texts[index][:cut], texts[index][cut:], *texts[index + 1:]]


def _label_cuts(text: str) -> list[int]:
    """Where ``text`` can be cut into two whole labels: after a closed bracket (a unit), before a word that is
    a whole label of its own (not a bracket, a note's mark or a particle)."""
    return [match.end() for match in _AFTER_BRACKET.finditer(text, 0, len(text) - 1)
            if ends_label(text[: match.end()]) and ends_label(text[match.end():])
            and not continues_complete(text[match.end():])]


@lru_cache(maxsize=64)
def _levels(lines: tuple[Line, ...]) -> tuple[list[list[Fragment]], list[Fragment]]:
    """The upper labels (joined by the rules) and the lower fragments: the same whatever the column count, so
    worked out once per header while the counts are tried."""
    upper, lower = split_levels(fragments(lines))
    return joined_labels(upper), lower


def _row_label_under_labels(labels: list[list[Fragment]]) -> bool:
    """A lone line under a line of several labels, continuing none of them (``汽車科技研發中心`` under the
    years), is the first row's label or a section, not a header cell."""
    last = labels[-1]
    return (len(labels) > 1 and len(last) == 1 and last[0].alone and not labels[-2][-1].alone
            and labels[-2][-1].line == last[0].line - 1)


def _years_over_repeats(labels: list[list[Fragment]], width: int) -> list[str] | None:
    """Years printed first, over sub-labels printed again under each (``2020-21年度`` ``2021-22年度`` …, then
    ``基金下的分目細項`` over the row labels, then ``修訂預算(百萬元)`` ``實際開支金額(百萬元)`` ``修訂預算(百萬元)`` …):
    each year spans the sub-labels from one print of the first sub-label to the next, and each column is
    labelled ``年度（下級）``. The row labels' label may have been joined to the first sub-label (the rules cannot
    tell where it ends); a label that ends with another label of the header is cut there."""
    texts = [_text(label) for label in labels]
    years = next((count for count, text in enumerate(texts) if not is_year(normalize("NFKC", text))), 0)
    if years < 2 or len(texts) - years < 3:
        return None
    corner, subs = _corner_and_subs(labels[years:], texts[years + 1:])
    starts = [index for index, sub in enumerate(subs) if sub == subs[0]]
    if len(subs) != width - 1 or len(starts) != years or len(set(subs)) == len(subs):
        return None
    spans = [*starts[1:], len(subs)]
    return [corner, *(f"{texts[year]}（{sub}）" for year, (start, stop) in enumerate(zip(starts, spans))
                      for sub in subs[start:stop])]


def _corner_and_subs(labels: list[list[Fragment]], later: list[str]) -> tuple[str, list[str]]:
    """The row labels' label and the sub-labels, cutting the first label before the fragments that print one of
    the later labels again (``基金下的分目細項`` + ``修訂`` ``預算`` ``(百萬元)``)."""
    first = labels[0]
    for cut in range(1, len(first)):
        if _text(first[cut:]) in later:
            return _text(first[:cut]), [_text(first[cut:]), *later]
    return _text(first), later


def _spanning_title(labels: list[list[Fragment]], width: int, text_labels: bool) -> bool:
    """A date line over the labels ("截至2020年12月31日" over the age bands) spans them all."""
    return (len(labels) == width and text_labels and len(labels) > 2
            and bool(_AS_AT.match(_text(labels[0]))) and labels[0][0].alone)


def _two_levels(upper: list[str], lower: list[str], width: int, counts: Callable[[int], bool],
                text_labels: bool) -> list[str] | None:
    corner_options = [(upper[:1], upper[1:], lower)]  # the first label above stands over the row labels
    if not is_year(lower[0]) and len(lower) == width:
        corner_options.append((lower[:1], upper, lower[1:]))  # "年份" under the labels, over the row labels
    if text_labels:
        corner_options.append(([""], upper, lower))  # nothing printed over the row labels
    corner_options.append(([], upper, lower))
    for corner, parents, subs in corner_options:
        labels = _spread(parents, subs, width - len(corner), len(corner), counts)
        if labels is not None:
            return corner + labels
    return None


def _spread(parents: list[str], subs: list[str], width: int, offset: int, counts) -> list[str] | None:
    if not parents:
        return None
    if len(subs) == width and len(subs) % len(parents) == 0 and len(subs) > len(parents):
        step = len(subs) // len(parents)
        return [f"{parents[i // step]}（{sub}）" for i, sub in enumerate(subs)]
    if len(parents) - 1 + len(subs) != width or len(subs) < 2:
        return None
    for carrier in reversed(range(len(parents))):
        columns = range(offset + carrier, offset + carrier + len(subs))
        if all(counts(column) for column in columns):
            return [*parents[:carrier], *(f"{parents[carrier]}（{sub}）" for sub in subs), *parents[carrier + 1:]]
    return None
