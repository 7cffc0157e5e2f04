"""jieba word segmentation with the domain dictionary, initialised once and quietly.

Words only rank results; they never decide whether a reply matches, so a segmentation mistake costs order,
never recall.

Indexing segments every field of every reply, so this is the import's hottest code. ``segment`` gives exactly
what ``jieba.Tokenizer.cut_for_search(text, HMM=True)`` gives, but faster:

* jieba cuts a text into blocks (runs of ``_BLOCK`` characters) and segments each block on its own, so the
  words of a block can be remembered (search.tokens keeps a block's rank words in an LRU): clauses, names
  and boilerplate recur across replies;
* the best path through a block's word graph is computed in one backward pass (``_best_ends``) instead of
  jieba's separate graph and route passes, with the same floating-point sums and the same tie-break.

The dictionary never changes once the tokenizer is built, so remembered words never go stale.
"""

from __future__ import annotations

import logging
import math
import re
import tempfile
import threading
import warnings
from functools import lru_cache
from pathlib import Path

DICTIONARY_PATH = Path(__file__).resolve().parent.parent / "fixtures" / "search_dictionary.txt"
BLOCK_CACHE_SIZE = 1 << 17  # distinct blocks whose words are remembered per process (about 60 MB at most)

# jieba's own block pattern (jieba.re_han_default) and whitespace pattern (jieba.re_skip_default).
_BLOCK = re.compile("([\u4e00-\u9fd5a-zA-Z0-9+#&\\._%\\-]+)")
_WHITESPACE = re.compile("(\r\n|\\s)")

_lock = threading.Lock()
_tokenizer = None


def segment(folded_text: str) -> list[str]:
    """jieba's words for already folded text (the dictionary is folded too), in search mode: a long word
    also yields the dictionary words inside it (数码港培育计划 -> 数码, 数码港, 培育, 计划, 数码港培育计划),
    so a query for 数码港 still ranks a reply that mentions 数码港培育计划."""
    words: list[str] = []
    for index, piece in enumerate(split_blocks(folded_text)):
        words.extend(block_words(piece) if index % 2 else _other_words(piece))
    return words


def split_blocks(text: str) -> list[str]:
    """The text cut as jieba cuts it: the odd items are the blocks it segments, the even items (possibly
    empty) the text between them."""
    return _BLOCK.split(text)


def _other_words(piece: str) -> list[str]:
    """What jieba yields for text between blocks: each whitespace piece whole, every other character alone."""
    words: list[str] = []
    for part in _WHITESPACE.split(piece):
        if _WHITESPACE.match(part):
            words.append(part)
        else:
            words.extend(part)
    return words


def block_words(block: str) -> tuple[str, ...]:
    """Search-mode words of one block: each word of the best path, preceded by its dictionary 2- and 3-grams
    (jieba's cut_for_search)."""
    freq = _segmenter().FREQ
    words: list[str] = []
    for word in _path_words(block):
        size = len(word)
        if size > 2:
            words.extend(gram for gram in map(word.__getitem__, _slices(size, 2)) if freq.get(gram))
            if size > 3:
                words.extend(gram for gram in map(word.__getitem__, _slices(size, 3)) if freq.get(gram))
        words.append(word)
    return tuple(words)


@lru_cache(maxsize=64)
def _slices(size: int, width: int) -> tuple[slice, ...]:
    return tuple(slice(start, start + width) for start in range(size - width + 1))


def _path_words(block: str) -> list[str]:
    """The words of the best path (jieba's accurate mode with HMM): runs of single characters that are not a
    dictionary word themselves go to jieba's HMM (finalseg), which may join them into new words."""
    ends = _best_ends(block)
    words: list[str] = []
    start = 0
    single = ""  # the current run of one-character steps
    while start < len(block):
        stop = ends[start] + 1
        if stop - start == 1:
            single += block[start]
        else:
            if single:
                words.extend(_unknown_run(single))
                single = ""
            words.append(block[start:stop])
        start = stop
    if single:
        words.extend(_unknown_run(single))
    return words


def _best_ends(sentence: str) -> list[int]:
    """For every start index, the last index of the first word on the most probable path (jieba's get_DAG
    and calc fused): the same sums in the same order, and among equal scores the longest word."""
    tokenizer = _segmenter()
    freq, log_total = tokenizer.FREQ, math.log(tokenizer.total)
    size = len(sentence)
    scores = [0.0] * (size + 1)
    ends = [0] * size
    for start in range(size - 1, -1, -1):
        best, best_end = None, start
        end, fragment = start, sentence[start]
        while end < size:
            count = freq.get(fragment)
            if count is None:
                break
            if count:
                score = math.log(count) - log_total + scores[end + 1]
                if best is None or score >= best:
                    best, best_end = score, end
            end += 1
            fragment = sentence[start : end + 1]
        if best is None:  # not a dictionary word: one character with count 1
            best = math.log(1) - log_total + scores[start + 1]
        scores[start], ends[start] = best, best_end
    return ends


@lru_cache(maxsize=1 << 14)
def _unknown_run(run: str) -> tuple[str, ...]:
    """jieba's handling of a run of single characters: one character or a dictionary word stays as single
    characters; anything else is cut by the HMM."""
    if len(run) == 1:
        return (run,)
    if _segmenter().FREQ.get(run):
        return tuple(run)
    from jieba import finalseg

    return tuple(finalseg.cut(run))


def load_dictionary() -> None:
    """Load jieba and the domain dictionary now (about a second), e.g. before forking worker processes."""
    _segmenter()


def _segmenter():
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                _tokenizer = _build_tokenizer(DICTIONARY_PATH)
    return _tokenizer


def _build_tokenizer(dictionary: Path):
    """A private jieba.Tokenizer: its own state, its cache in the temp dir, no log lines on stderr."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # jieba imports pkg_resources, deprecated in newer setuptools
        import jieba
    logging.getLogger("jieba").setLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.tmp_dir = tempfile.gettempdir()
    tokenizer.initialize()
    if dictionary.is_file():
        with dictionary.open("rb") as words:
            tokenizer.load_userdict(words)
    else:
        logging.getLogger(__name__).warning("search dictionary %s not found", dictionary)
    return tokenizer
