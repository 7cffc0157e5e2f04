"""Smoke run of the benchmark with a tiny corpus: synthesis, synth_corpus into its own database, one measurement
pass (gunicorn, exports, load) and the report. No timing is asserted: the benchmark measures, the suite checks."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from portal.dburl import database_environment
from replies.importing.parser import decode_file, parse_file
from search import normalise_for_search
from search.passages import PASSAGE_MIN_CHARS
from tools.benchmark import report
from tools.benchmark.terms import document_frequency
from tools.corpus.synth import LONG_REPLY_CHARS, CorpusSource, synth_replies, year_labels
from tools.stats import percentile

SMOKE_REPLIES = 40


def bundled_records():
    return parse_file(decode_file(Path(settings.BUNDLED_REPLY_FILES[0]).read_bytes()), "bundled").replies


@pytest.fixture(scope="module")
def source():
    return CorpusSource(bundled_records(), seed=7)


def test_synthesis_is_deterministic_per_seed_and_index(source):
    whole = synth_replies(source, 7, 0, 30, 200_000)
    assert synth_replies(source, 7, 10, 20, 200_000) == whole[10:20]  # any chunking, same corpus
    assert synth_replies(source, 8, 0, 30, 200_000) != whole


def test_synthetic_corpus_spreads_over_years_bureaux_and_members(source):
    replies = synth_replies(source, 7, 0, 2000, 2000)
    keys = [(reply.year, reply.record.serial) for reply in replies]
    assert len(set(keys)) == len(keys)  # (year, serial) is unique, as the database requires
    assert {reply.year for reply in replies} == set(year_labels())
    assert len({reply.record.serial.rstrip("0123456789") for reply in replies}) >= 18
    assert len({reply.record.member for reply in replies}) >= 80


def test_bureau_vocabularies_spread_the_technology_terms(source):
    """Over 20 bureaux, 智方便 and 數碼港 belong to the technology bureau's share, not to a third of the corpus;
    the technology vocabulary keeps them everywhere (the worst case) and the same paragraphs otherwise."""
    technology = CorpusSource(bundled_records(), seed=7, vocabulary="technology")
    bureaux = synth_replies(source, 7, 0, 1000, 1000)
    worst = synth_replies(technology, 7, 0, 1000, 1000)

    def share(replies, term):
        return sum(term in reply.record.question + reply.record.reply for reply in replies) / len(replies)

    for term in ("智方便", "數碼港", "創新科技"):
        assert share(bureaux, term) < share(worst, term) / 5
    assert share(bureaux, "學校") > share(worst, "學校") and share(bureaux, "公共租住房屋") > 0.01
    same = [multi.record.reply == tech.record.reply for multi, tech in zip(bureaux, worst)]
    technology_bureau = [reply.record.serial.startswith("ITIB") for reply in bureaux]
    assert all(equal for equal, itib in zip(same, technology_bureau) if itib)  # ITIB keeps the real words
    assert sum(not equal for equal in same) > 0.9 * technology_bureau.count(False)


def test_a_few_replies_are_very_long(source):
    long_reply = synth_replies(source, 7, 2500, 2501, 20_000)[0]
    assert len(long_reply.record.reply) >= LONG_REPLY_CHARS


def test_the_benchmark_and_the_load_test_share_a_nearest_rank_percentile():
    ten = [float(value) for value in range(10, 0, -1)]
    assert [percentile(ten, share) for share in (0.0, 0.1, 0.5, 0.95, 1.0)] == [1.0, 1.0, 5.0, 10.0, 10.0]
    assert percentile([float(value) for value in range(1, 61)], 0.95) == 57.0  # 0.95 * 60 is rank 57, not 58
    assert percentile([], 0.5) == 0.0


@pytest.mark.django_db
def test_synth_corpus_refuses_the_portals_database():
    for name in ("portal", settings.DATABASES["default"]["NAME"]):
        with pytest.raises(CommandError, match="portal's own database"):
            call_command("synth_corpus", replies=5, database=name, stdout=io.StringIO())


@pytest.mark.django_db
def test_ilike_comparison_agrees_with_search_on_the_bundled_replies():
    from tools.benchmark.measure import index_vs_ilike
    from tools.benchmark.terms import QueryKind

    for term in ("數碼港", "創新科技", "智方便"):
        figure = index_vs_ilike(QueryKind("t", {"q": term}, 0, ""), repeat=1, ilike_repeat=1)
        assert figure["same_count"] and figure["index_count"] == document_frequency(term) > 0
        assert normalise_for_search(term)


@pytest.mark.django_db
def test_query_procedure_is_deterministic_and_covers_its_bands():
    """The drawing depends only on the corpus and the seed; every term it keeps is in its band by the portal's
    own exact count; and it composes every kind, some with filters."""
    from tools.benchmark.bands import BANDS
    from tools.benchmark.terms import draw_queries

    first, again = draw_queries(seed=1), draw_queries(seed=1)
    assert first.queries == again.queries and first.cells == again.cells
    total = first.total
    found = {band.name: 0 for band in BANDS}
    for key, cell in first.cells.items():
        length, band = key.split("/", 1)
        if cell:
            assert len(cell["term"]) == int(length) and cell["hits"] == document_frequency(cell["term"])
            assert next(b for b in BANDS if b.name == band).accepts(cell["hits"], total)
            found[band] += 1
    assert all(found.values()), found  # the bundled replies have a term of some length in every band
    kinds = {query.name for query in first.queries}
    assert {f"term {band.name}" for band in BANDS} | {"Simplified", "phrase", "two terms", "exclusion", "OR"} <= kinds
    filtered = [query for query in first.queries if set(query.params) - {"q"}]
    assert {key for query in filtered for key in query.params} >= {"q", "year", "head", "member"}
    assert draw_queries(seed=2).queries != first.queries


def test_bands_accept_what_they_say():
    from tools.benchmark.bands import BAND_BY_NAME

    assert BAND_BY_NAME["≤0.01%"].accepts(20, 200_000) and not BAND_BY_NAME["≤0.01%"].accepts(21, 200_000)
    assert BAND_BY_NAME["≤0.01%"].accepts(1, 263) and not BAND_BY_NAME["≤0.01%"].accepts(0, 263)
    assert BAND_BY_NAME["40%"].accepts(80_000, 200_000) and not BAND_BY_NAME["25%"].accepts(80_000, 200_000)
    assert not any(band.accepts(63_000, 200_000) for band in BAND_BY_NAME.values())  # between 25 % and 40 %


@pytest.fixture(scope="module")
def smoke_database(django_db_blocker):
    """A tiny synthetic corpus in its own database (dropped afterwards)."""
    name = f"bench_smoke_{settings.DATABASES['default']['NAME']}"[:60]
    with django_db_blocker.unblock():
        call_command("synth_corpus", replies=SMOKE_REPLIES, seed=3, database=name, workers=2, force=True,
                     stdout=io.StringIO())
    yield name
    with _server_connection("postgres") as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _server_connection(database: str) -> psycopg.Connection:
    config = settings.DATABASES["default"]
    return psycopg.connect(dbname=database, host=config["HOST"], port=config["PORT"] or None, user=config["USER"],
                           password=config["PASSWORD"] or None, autocommit=True)


@pytest.mark.slow
def test_synth_corpus_fills_its_own_database_and_reuses_it(smoke_database, django_db_blocker):
    with _server_connection(smoke_database) as connection:
        count, indexed = connection.execute(
            "SELECT count(*), count(*) FILTER (WHERE match_vector IS NOT NULL AND rank_vector IS NOT NULL "
            "AND search_text <> '') FROM replies_reply").fetchone()
        gin = connection.execute("SELECT count(*) FROM pg_indexes WHERE tablename IN ('replies_reply', "
                                 "'replies_passage') AND indexdef LIKE '%USING gin%'").fetchone()[0]
        long_replies, with_passages, passages_found = connection.execute(
            f"SELECT count(*) FILTER (WHERE length(search_text) > {PASSAGE_MIN_CHARS}), count(*) FILTER (WHERE "
            "has_passages), (SELECT count(DISTINCT reply_id) FROM replies_passage) FROM replies_reply").fetchone()
        # the reading columns are computed by the workers too (keyword weights drawn from the first replies)
        read = connection.execute("SELECT count(*) FROM replies_reply WHERE subject <> '' AND "
                                  "cardinality(keywords) > 0").fetchone()[0]
        # the common strings were drawn before the load, and every reply containing one carries its lexeme
        common, lacking = connection.execute(
            "SELECT count(*), (SELECT count(*) FROM replies_reply r, replies_commonstring c WHERE "
            "strpos(r.search_text, c.text) > 0 AND NOT r.match_vector @@ quote_literal(c.text)::tsquery) "
            "FROM replies_commonstring").fetchone()
    assert count == indexed == read == SMOKE_REPLIES
    assert common > 0 and lacking == 0
    assert gin == 4  # dropped for the load, rebuilt at the end (match, meta, passages, subject names)
    assert long_replies == with_passages == passages_found > 0
    rerun = subprocess.run([sys.executable, "manage.py", "synth_corpus", "--replies", str(SMOKE_REPLIES), "--seed",
                            "3", "--database", smoke_database], cwd=settings.BASE_DIR, capture_output=True, text=True)
    assert rerun.returncode == 0 and "reusing" in rerun.stdout


@pytest.mark.slow
def test_measurement_and_report_on_the_smoke_corpus(smoke_database, tmp_path):
    out = tmp_path / "result.json"
    env = {**os.environ, **database_environment(smoke_database), "DJANGO_STATIC_ROOT": str(tmp_path / "static")}
    subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], cwd=settings.BASE_DIR,
                   env={**env, "DJANGO_DEBUG": "0", "DJANGO_SECRET_KEY": "smoke"}, check=True)
    subprocess.run([sys.executable, "-m", "tools.benchmark.measure", "--out", str(out), "--repeats", "1",
                    "--load-seconds", "1", "--clients", "2"], cwd=settings.BASE_DIR, env=env, check=True)
    result = json.loads(out.read_text())
    assert result["replies"] == SMOKE_REPLIES
    assert all(figure["same_count"] for figure in result["ilike"].values())
    for page in ("api", "listing"):
        assert all(figure["statuses"] == [200] for figure in result["latency"][page].values())
    assert {result["exports"][extension]["status"] for extension in ("csv", "xlsx")} == {200}
    assert result["exports"]["replies"] == SMOKE_REPLIES and result["drawing"]["total"] == SMOKE_REPLIES
    assert all(figure["statuses"] == [report.EXPECTED_STATUS.get(kind, 200)] for kind, figure in result["pages"].items())
    assert result["load"]["requests"] > 0 and result["load"]["errors"] == 0
    result["import"] = json.loads((report_stats_path(smoke_database)).read_text())
    report.write([result], date="today", postgres="PostgreSQL", command="test", docs=tmp_path)
    written = (tmp_path / "BENCHMARKS.md").read_text()
    assert "## 40 replies" in written and "### Targets" in written and "### The ten slowest queries" in written
    ElementTree.parse(tmp_path / "bench-latency.svg")  # well-formed SVG


def report_stats_path(database: str) -> Path:
    from tools.corpus.build import stats_path

    return stats_path(database)
