"""Build the jieba domain dictionary (fixtures/search_dictionary.txt) from the bundled reply files.

    python -m search.dictionary fixtures/*.txt > fixtures/search_dictionary.txt

Words are written FOLDED, because jieba runs on folded text, one per line as ``word freq tag`` (jieba's
user-dictionary format, which has no comments): member and officer names (nr), heads, bureaus and
programmes (nt), and scheme and organisation names (nz): the curated list below plus every 「…」 name that
occurs at least twice. Rebuild it and run the reindex command when the files change; the dictionary only
affects ranking, never which replies match.
"""

from __future__ import annotations

import re
import sys
from collections import Counter
from collections.abc import Iterable
from pathlib import Path

from .fold import fold

FREQUENCY = 2000  # high enough that jieba keeps these words whole, e.g. 数码港 rather than 数码 + 港

CURATED_NAMES = (
    "智方便", "數碼港", "科學園", "InnoHK", "數字政策辦公室", "創新科技署", "創科署", "效率促進辦公室",
    "香港生產力促進局", "生產力局", "香港科技園公司", "科技園公司", "香港應用科技研究院", "應科院",
    "香港應用科技研究院有限公司",
    "政府資訊科技總監辦公室", "資科辦", "創新科技及工業局", "創科局", "創新及科技基金", "創科基金",
    "數碼港培育計劃", "創科培育計劃", "科技券", "一網通辦", "新型工業化", "再工業化", "超算中心",
    "人工智能", "人工智能超算中心", "數字經濟", "智慧城市", "智慧政府", "區塊鏈", "大灣區", "北部都會區",
    "港深創科園", "河套", "研究人才庫", "創科實習計劃", "初創企業", "網絡安全", "大數據", "雲端",
)
_MIN_QUOTED = 2  # a 「…」 name must occur at least this often
_STOPWORDS = {"計劃", "基金", "委員會", "專員", "試用計劃", "培訓計劃", "外展計劃", "沒有指定"}

_ASKED_BY = re.compile(r"提問人：\s*(\S+?)議員")
_LABELLED = re.compile(  # header lines of a reply, and of a controlling officer's report
    r"^[ \t]*(?:(?:總目|綱領|局長|管制人員)：|总目[ \t]+\d+[ \t]+–|纲领\(\d+\)[ \t])[ \t]*(.+)$", re.M
)
_QUOTED = re.compile(r"「([^」\n]{2,20})」")
_NUMBERING = re.compile(r"\(\d+\)|\d+|–")
_OFFICER = re.compile(r"(.+?)\((.+?)\)")
_JIEBA_WORD = re.compile(r"[\u4e00-\u9fd5a-z0-9+#&._%-]+")  # what jieba can hold as one word


def dictionary_lines(texts: Iterable[str]) -> list[str]:
    """Sorted ``word freq tag`` lines for the given raw reply files."""
    tagged: dict[str, str] = {}
    for text in texts:
        compact = re.sub(r"[ \t\u3000]+", "", text)
        for name in _member_names(compact):
            tagged.setdefault(name, "nr")
        for name in _labelled_names(text):
            tagged.setdefault(name, "nt")
        for name in _quoted_names(compact):
            tagged.setdefault(name, "nz")
    for name in CURATED_NAMES:
        tagged.setdefault(name, "nz")
    words: dict[str, str] = {}
    for name, tag in tagged.items():
        word = fold(name)
        if 2 <= len(word) <= 24 and _JIEBA_WORD.fullmatch(word):
            words.setdefault(word, tag)
    return [f"{word} {FREQUENCY} {tag}" for word, tag in sorted(words.items())]


def _member_names(compact: str) -> set[str]:
    rows = re.findall(r"^[A-Z]+\d{3}\d+?(\D+?)\d", compact, re.M)
    asked = _ASKED_BY.findall(compact)
    return {name for name in rows + asked if 2 <= len(name) <= 6}


def _labelled_names(text: str) -> set[str]:
    """Heads, programmes, officer titles and names: split on colons, commas and numbering."""
    names: set[str] = set()
    for value in (re.sub(r"[ \t\u3000]+", "", v) for v in _LABELLED.findall(text)):
        officer = _OFFICER.fullmatch(value)
        parts = [officer.group(1), officer.group(2)] if officer else [value]
        for part in parts:
            for piece in re.split(r"[：:︰，,、]", _NUMBERING.sub("，", part)):
                if 2 <= len(piece) <= 20 and piece not in _STOPWORDS and not re.search(r"[()]", piece):
                    names.add(piece)
    return names


def _quoted_names(compact: str) -> set[str]:
    counts = Counter(_QUOTED.findall(compact))
    return {name for name, n in counts.items() if n >= _MIN_QUOTED and name not in _STOPWORDS}


def main(paths: list[str]) -> int:
    texts = [Path(path).read_text(encoding="utf-8") for path in paths]
    sys.stdout.write("".join(line + "\n" for line in dictionary_lines(texts)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
