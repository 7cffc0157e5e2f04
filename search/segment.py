"""jieba word segmentation with the domain dictionary, initialised once and quietly.

Words only rank results; they never decide whether a reply matches, so a segmentation mistake costs order,
never recall.
"""

from __future__ import annotations

import logging
import tempfile
import threading
import warnings
from pathlib import Path

DICTIONARY_PATH = Path(__file__).resolve().parent.parent / "fixtures" / "search_dictionary.txt"

_lock = threading.Lock()
_tokenizer = None


def segment(folded_text: str) -> list[str]:
    """jieba's words for already folded text (the dictionary is folded too), in search mode: a long word
    also yields the dictionary words inside it (数码港培育计划 -> 数码, 数码港, 培育, 计划, 数码港培育计划),
    so a query for 数码港 still ranks a reply that mentions 数码港培育计划."""
    if not folded_text:
        return []
    return list(_segmenter().cut_for_search(folded_text, HMM=True))


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
