"""jieba word segmentation with the domain dictionary, initialised once and quietly.

Words only rank results; they never decide whether a reply matches, so a segmentation mistake costs order,
never recall.

Indexing segments every field of every reply, so this is the import's hottest code. ``segment`` gives exactly
what ``jieba.Tokenizer.cut_for_search(text, HMM=True)`` gives, but lets the words be remembered: jieba cuts a
text into blocks (runs of ``_BLOCK`` characters) and segments each block on its own, so search.tokens keeps a
block's rank words in an LRU (clauses, names and boilerplate recur across replies). The dictionary never
changes once the tokenizer is built, so remembered words never go stale.
"""

from __future__ import annotations

import logging
import re
import tempfile
import threading
import warnings
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
    """Search-mode words of one block, as jieba's own cut_for_search gives them (with its HMM for unknown
    words). Callers remember a block's words (search.tokens keeps an LRU), so each block is cut once."""
    return tuple(_segmenter().cut_for_search(block, HMM=True))


def words(folded_text: str) -> list[str]:
    """jieba's words in accurate mode (each character in one word, no HMM guesses): where word boundaries
    fall, e.g. whether a printed line was cut inside a word (replies/tables/words.py)."""
    return _segmenter().lcut(folded_text, HMM=False)


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
