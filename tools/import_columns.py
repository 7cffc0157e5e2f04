"""What the bulk import writes for a synthetic corpus, saved to a file, so two versions of the code can be compared
byte for byte (a faster import must write exactly the same columns). No database: the corpus-wide draw (common
strings, keyword weights) is made as ``bulk._corpus_draw`` makes it for an empty table, and every chunk goes
through ``bulk.columns_of_chunk``.

    cd TREE && python /path/to/tools/import_columns.py write --replies 2000 --out /tmp/a.pickle
    python tools/import_columns.py compare /tmp/a.pickle /tmp/b.pickle

TREE is the checkout whose code is measured (this file may live in another one).
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import time
from pathlib import Path

CHUNK = 250
SEED = 1


def write(replies: int, out: Path) -> None:
    sys.path.insert(0, os.getcwd())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    import django

    django.setup()
    from django.conf import settings

    from replies import common_strings
    from replies.importing import bulk
    from replies.importing.parser import decode_file, parse_file
    from replies.reading.fields import keyword_text
    from replies.reading.subject import KeywordWeights
    from replies.search_index import search_text_of
    from search.common_strings import CommonStrings
    from search.segment import load_dictionary
    from tools.corpus.synth import CorpusSource, synth_replies

    parsed = parse_file(decode_file(Path(settings.BUNDLED_REPLY_FILES[0]).read_bytes()), "bundled")
    source = CorpusSource(parsed.replies, SEED)
    chunks = [synth_replies(source, SEED, start, min(start + CHUNK, replies), replies)
              for start in range(0, replies, CHUNK)]
    load_dictionary()
    head = chunks[: -(-common_strings.SAMPLE_SIZE // CHUNK)]
    started = time.process_time()
    if hasattr(bulk, "_draw_inputs"):  # the draw's inputs computed by worker processes
        texts, terms = bulk._draw_inputs(head, 2)
        common, weights = common_strings.draw(texts), KeywordWeights.from_terms(terms)
    else:  # the code before that
        records = [record for chunk in head for _, record in chunk]
        common = common_strings.draw(search_text_of(bulk._record_view(record)) for record in records)
        weights = KeywordWeights.from_texts(keyword_text(record.question, record.reply) for record in records)
    drawn = time.process_time()
    bulk._use_draw(bulk.CorpusDraw(CommonStrings(common), weights))
    columns = [bulk.columns_of_chunk(chunk) for chunk in chunks]
    done = time.process_time()
    print(f"{os.getcwd()}: draw {drawn - started:.1f} CPU-s (this process), columns {done - drawn:.1f} CPU-s "
          f"({1000 * (done - drawn) / replies:.2f} ms a reply)")
    out.write_bytes(pickle.dumps({"common": sorted(common), "weights": weights.to_json(), "columns": columns}))


def compare(first: Path, second: Path) -> int:
    a, b = (pickle.loads(path.read_bytes()) for path in (first, second))
    for key in ("common", "weights"):
        if a[key] != b[key]:
            print(f"{key} differ")
            return 1
    rows_a = [row for chunk in a["columns"] for row in chunk]
    rows_b = [row for chunk in b["columns"] for row in chunk]
    if len(rows_a) != len(rows_b):
        print(f"{len(rows_a)} replies against {len(rows_b)}")
        return 1
    differing = [index for index, (x, y) in enumerate(zip(rows_a, rows_b)) if x != y]
    if differing:
        print(f"{len(differing)} of {len(rows_a)} replies differ, the first: {differing[0]}")
        return 1
    print(f"identical: {len(rows_a)} replies, {len(a['common'])} common strings, "
          f"{len(a['weights']['frequencies'])} keyword weights")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    commands = parser.add_subparsers(dest="command", required=True)
    writing = commands.add_parser("write")
    writing.add_argument("--replies", type=int, default=2000)
    writing.add_argument("--out", type=Path, required=True)
    comparing = commands.add_parser("compare")
    comparing.add_argument("files", type=Path, nargs=2)
    arguments = parser.parse_args()
    if arguments.command == "write":
        write(arguments.replies, arguments.out)
        return 0
    return compare(*arguments.files)


if __name__ == "__main__":
    sys.exit(main())
