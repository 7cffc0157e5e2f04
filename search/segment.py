"""Word segmentation: jieba's dictionary and algorithm, run by jieba-rs (the ``rjieba`` binding), with the domain
dictionary, initialised once.

Words only rank results; they never decide whether a reply matches, so a segmentation mistake costs order,
never recall.

Indexing segments every field of every reply, so this is the import's hottest code. Why jieba-rs: it is jieba
(the same default dictionary, the same DAG, route and HMM for unknown words) compiled, about 13 times faster
than the Python package on the replies' blocks, which took a quarter of the import's CPU. On every field of the
bundled replies its search-mode words are the Python package's, except that a Latin compound joined by ``-``,
``_`` or ``.`` (wi-fi, data.gov.hk) is also yielded whole, so the rank words count its parts twice; on made-up
text a run of digits and letters may also be cut otherwise (0.0b), never a Chinese word
(tests/test_indexing_fast_paths.py). ``segment`` cuts a text into blocks as jieba does (runs of ``_BLOCK``
characters) and segments each block on its own, so search.tokens keeps a block's rank words in an LRU (clauses,
names and boilerplate recur across replies). The dictionary never changes once the segmenter is built, so
remembered words never go stale.
"""

from __future__ import annotations

import logging
import re
import threading
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
    """Search-mode words of one block, as jieba's cut_for_search gives them (with its HMM for unknown words).
    Callers remember a block's words (search.tokens keeps an LRU), so each block is cut once."""
    return tuple(_segmenter().cut_for_search(block, True))


def words(folded_text: str) -> list[str]:
    """jieba's words in accurate mode (each character in one word, no HMM guesses): where word boundaries
    fall, e.g. whether a printed line was cut inside a word (replies/tables/words.py)."""
    return _segmenter().cut(folded_text, False)


def load_dictionary() -> None:
    """Load the dictionaries now (a fraction of a second), e.g. before forking worker processes."""
    _segmenter()


def _segmenter():
    global _tokenizer
    if _tokenizer is None:
        with _lock:
            if _tokenizer is None:
                _tokenizer = _build_tokenizer(DICTIONARY_PATH)
    return _tokenizer


def _build_tokenizer(dictionary: Path):
    """jieba-rs with jieba's default dictionary (built in) and the domain dictionary's words added."""
    import rjieba

    tokenizer = rjieba.Jieba()
    if not dictionary.is_file():
        logging.getLogger(__name__).warning("search dictionary %s not found", dictionary)
        return tokenizer
    for line in dictionary.read_text(encoding="utf-8").splitlines():
        if line.strip():
            word, frequency, tag = line.rsplit(" ", 2)
            tokenizer.add_word(word, int(frequency), tag)
    return tokenizer


def tagged_words(folded_text: str) -> list[tuple[str, str]]:
    """``words`` with each word's part of speech from jieba's dictionary (n, v, nz, …; x when unknown):
    e.g. which words are nouns (replies/reading/keywords.py)."""
    return _segmenter().tag(folded_text, False)  # already a list of (word, tag)
