"""Aliases: the names one body, scheme, fund or place goes by (full Chinese name, Chinese short forms, English name,
acronym), so that an unquoted term that is one of them finds every reply naming the body by any of them.

Pure: no Django, no database. ``AliasTable`` is the plain data the query parser expands terms with
(search/query.py); replies/aliases.py reads it from the database. ``definitions`` mines the definitions a text
makes itself ("政府資訊科技總監辦公室（資科辦）"); ``read_groups`` reads the reviewed list of fixtures/aliases.txt.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence

from .chars import CJK_CLASS
from .normalise import normalise_for_search

# folded form -> every form of its group, as written (the form itself included)
AliasTable = Mapping[str, tuple[str, ...]]

FORM_SEPARATOR = " | "
MIN_SHORT, MAX_SHORT = 2, 6  # a Chinese short form: 2 to 6 CJK characters
MAX_FULL = 20  # longer runs before a bracket are sentences, not names
# A definition: a run of CJK characters, then a bracket (full or half width, a space allowed before it) holding
# the short form, optionally in quotes, spaces allowed inside. The run is matched from its first character only
# (the leftmost match starts there anyway): trying every later start of a long run again made the import's
# alias mining quadratic in the run's length.
_DEFINITION = re.compile(
    rf"(?<![{CJK_CLASS}])([{CJK_CLASS}]+)[ \t]*[（(][ \t]*[「“\"]?"
    rf"([{CJK_CLASS}]{{{MIN_SHORT},{MAX_SHORT}}}|[A-Z][A-Z0-9]{{1,5}})"
    r"[」”\"]?[ \t]*[）)]"
)
_CJK_CHAR = re.compile(f"[{CJK_CLASS}]")
# Full names must recur: a name met once, in its own definition, is as likely a clause cut at a wrong place.
MIN_FULL_COUNT = 2
# Of the endings of the run before the bracket that could be the name, the longest that occurs nearly as often as
# the most frequent one is the name: "根據政府資訊科技總監辦公室" occurs once, "政府資訊科技總監辦公室" throughout.
FULL_SHARE = 0.8
MIN_FULL_FOR_ACRONYM = 5


def fold_form(form: str) -> str:
    """The key of a form: normalised as texts are, so Simplified and full-width input meet it."""
    return normalise_for_search(form)


def alias_table(groups: Iterable[Sequence[str]]) -> dict[str, tuple[str, ...]]:
    """The table of these groups of forms. A form in two groups is left out of both (it would join two bodies);
    a group left with fewer than two forms is dropped."""
    owners: dict[str, set[int]] = {}
    groups = [list(dict.fromkeys(group)) for group in groups]
    for number, group in enumerate(groups):
        for form in group:
            owners.setdefault(fold_form(form), set()).add(number)
    table: dict[str, tuple[str, ...]] = {}
    for number, group in enumerate(groups):
        kept, seen = [], set()
        for form in group:
            key = fold_form(form)
            if key and len(owners[key]) == 1 and key not in seen:
                kept.append(form)
                seen.add(key)
        if len(kept) > 1:
            table.update({fold_form(form): tuple(kept) for form in kept})
    return table


def kind_of(form: str, position: int) -> str:
    """full, short, english or acronym: a group's first Chinese form is its full name (as written in the list and
    in a definition), later ones are short forms; Latin forms with a space are English names."""
    if re.search(f"[{CJK_CLASS}]", form):
        return "full" if position == 0 else "short"
    return "english" if " " in form.strip() else "acronym"


def read_groups(text: str) -> list[list[str]]:
    """The groups of fixtures/aliases.txt: one a line, forms separated by " | "; "#" starts a comment line."""
    groups = []
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            groups.append([form.strip() for form in line.split("|") if form.strip()])
    return groups


def definitions(text: str) -> list[tuple[str, str]]:
    """The (full name, short form) pairs ``text`` defines, as written, each once, kept only when unambiguous: a
    short form defined for two different names is left out.

    Conservative rules: the short form is 2-6 CJK characters, each in the name in order and not all together (a
    short form inside the name adds nothing: 委員會 in 數字化經濟發展委員會), or a Latin acronym of 2-6 capitals
    and digits; the name is the ending of the run before the bracket chosen by how often it occurs
    (``_full_name``), at least MIN_FULL_COUNT times."""
    counts: dict[str, int] = {}
    found: dict[str, Counter] = {}
    for match in _DEFINITION.finditer(text):
        run, short = match.group(1), match.group(2)
        before = text[match.start() - 1] if match.start() else ""
        full = _full_name(run, short, text, counts, enumerated=before == "、")
        if full:
            found.setdefault(short, Counter())[full] += 1
    pairs = [(name, short) for short, names in found.items() if (name := _one_name(names))]
    acronyms = Counter(name for name, short in pairs if _is_acronym(short))
    return [(name, short) for name, short in pairs if not (_is_acronym(short) and acronyms[name] > 1)]


def _one_name(names: Counter) -> str | None:
    """The name a short form was defined for: the longest, when every other is an ending of it (生產力促進局 of
    香港生產力促進局), else None (two bodies). Two acronyms for one name show a name cut short (認可合作組織 for
    APAC and ILAC): ``definitions`` leaves both out."""
    longest = max(names, key=len)
    return longest if all(longest.endswith(name) for name in names) else None


def _is_acronym(short: str) -> bool:
    return re.fullmatch(f"[{CJK_CLASS}]+", short) is None


def _full_name(run: str, short: str, text: str, counts: dict[str, int], *, enumerated: bool) -> str | None:
    """The name ``short`` abbreviates at the end of ``run``, or None."""
    acronym = _is_acronym(short)
    shortest = MIN_FULL_FOR_ACRONYM if acronym else len(short) + 1
    endings = [run[start:] for start in range(max(0, len(run) - MAX_FULL), len(run) - shortest + 1)]
    if not acronym:
        endings = [ending for ending in endings if _in_order(short, ending) and short not in ending]
    if not endings:
        return None
    for ending in endings:
        if ending not in counts:
            counts[ending] = text.count(ending)
    most = max(counts[ending] for ending in endings)
    name = next(ending for ending in endings if counts[ending] >= FULL_SHARE * most)  # longest first
    if counts[name] < MIN_FULL_COUNT or (acronym and enumerated and name == run):
        return None  # an item of an enumeration (科學、科技、工程和數學（STEM）) is not the whole name
    if acronym and not _stands_alone(name, text):
        return None  # an acronym's name must stand on its own somewhere: 性產品認證 (CCC) is a word cut in half
    return name


def _stands_alone(name: str, text: str) -> bool:
    """Whether ``name`` occurs in ``text`` somewhere not right after a CJK character (found with str.find: a
    regular expression starting with a look-behind tried every position of the imported file's text)."""
    start = text.find(name)
    while start >= 0:
        if start == 0 or not _CJK_CHAR.fullmatch(text[start - 1]):
            return True
        start = text.find(name, start + 1)
    return False


def _in_order(short: str, name: str) -> bool:
    """Whether every character of ``short`` is in ``name``, in order (資科辦 in 政府資訊科技總監辦公室)."""
    rest = iter(name)
    return all(char in rest for char in short)
