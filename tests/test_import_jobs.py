"""Parallel import (``--jobs``): the same store as one job, reports streamed in order, bounded look-ahead.

The corpus is ``mixed_corpus`` (conftest): real text in one-article files and a JSON lines file.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from conftest import SEED_000, SEED_004
from kg import iris
from kg.cli import cli
from kg.gazetteer import default
from kg.importer import BatchImporter, FileReport, _read_and_extract_chunk, ensure_reference_graphs, import_paths
from kg.read import MAX_BYTES, read_article
from kg.store import Store

ROOT = Path(__file__).resolve().parents[1]


def _import(path: Path, corpus: Path, **options: Any) -> tuple[list[FileReport], set[Any]]:
    with Store(path) as store:
        reports = import_paths(store, [corpus], **options)
        return reports, {q for q in store.quads() if q[3] != iris.ONTOLOGY_GRAPH}


def test_two_jobs_store_what_one_job_stores(mixed_corpus: Path, tmp_path: Path) -> None:
    corpus = mixed_corpus
    one, expected = _import(tmp_path / "one", corpus)
    two, quads = _import(tmp_path / "two", corpus, jobs=2, batch_articles=3)
    assert len(one) >= 45 and sum(r.status == "imported" for r in one) >= 40
    assert two == one
    assert quads == expected
    failed = {r.path: r.error for r in two if r.status == "failed"}
    assert failed == {f"{corpus / 'wire.jsonl.gz'}": failed[f"{corpus / 'wire.jsonl.gz'}"],
                      f"{corpus / 'zz_binary.txt'}": failed[f"{corpus / 'zz_binary.txt'}"]}
    assert "line 31" in failed[f"{corpus / 'wire.jsonl.gz'}"] and "binary" in failed[f"{corpus / 'zz_binary.txt'}"]
    again, same = _import(tmp_path / "two", corpus, jobs=2)
    assert same == expected
    assert {r.status for r in again} == {"unchanged", "failed"}


def test_reports_are_passed_on_in_input_order_once_final(mixed_corpus: Path, tmp_path: Path) -> None:
    seen: list[FileReport] = []
    with Store(tmp_path / "db") as store:
        reports = import_paths(store, [mixed_corpus], jobs=2, batch_articles=4, on_report=seen.append)
    assert seen == reports
    assert "pending" not in {r.status for r in seen}
    assert all(r.size > 0 for r in seen if r.status != "failed")


def test_the_look_ahead_is_bounded(mixed_corpus: Path, tmp_path: Path) -> None:
    files = sorted(p for p in mixed_corpus.iterdir() if p.suffix == ".md")
    passed: list[int] = []
    with Store(tmp_path / "db") as store:
        ensure_reference_graphs(store, default())
        with BatchImporter(store, default(), jobs=2, batch_articles=3,
                           on_report=lambda r: passed.append(1)) as importer:
            for i, path in enumerate(files, 1):
                importer.add(path)
                assert len(importer._tasks) <= 2 * importer.AHEAD_PER_JOB
                assert i - sum(passed) <= 2 * importer.AHEAD_PER_JOB + 2 * 3  # handed out, built, being written
    assert sum(passed) == len(files)


@pytest.mark.parametrize("noticed", [False, True], ids=["at-once", "once-the-pool-knows"])
def test_a_worker_that_dies_is_replaced(mixed_corpus: Path, tmp_path: Path, noticed: bool) -> None:
    files = sorted(p for p in mixed_corpus.iterdir() if p.suffix == ".md")
    with Store(tmp_path / "db") as store:
        ensure_reference_graphs(store, default())
        with BatchImporter(store, default(), jobs=2) as importer:
            first = importer.CHUNK + 1  # a chunk sent to a worker, and the next one waiting to fill
            for path in files[:first]:
                importer.add(path)
            pool = importer._pool
            assert pool is not None
            victim = next(iter(pool._processes))  # type: ignore[attr-defined]
            os.kill(victim, signal.SIGKILL)
            if noticed:  # the pool has seen the death and refuses new work: the next hand-out must cope
                deadline = time.monotonic() + 30
                while not pool._broken and time.monotonic() < deadline:  # type: ignore[attr-defined]
                    time.sleep(0.01)
                assert pool._broken  # type: ignore[attr-defined]
            for path in files[first:]:
                importer.add(path)
        assert importer._pool is None
        assert [r.status for r in importer.reports] == ["imported"] * len(files)
        assert len([g for g in store.graphs() if "/article/" in str(g)]) == len(files)


def test_articles_go_to_the_workers_in_chunks(mixed_corpus: Path, tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    chunks: list[int] = []
    submit = ProcessPoolExecutor.submit

    def counting(pool: ProcessPoolExecutor, fn: Any, /, *args: Any, **kwargs: Any) -> Any:
        chunks.append(len(args[0]))
        return submit(pool, fn, *args, **kwargs)

    monkeypatch.setattr(ProcessPoolExecutor, "submit", counting)
    reports, _ = _import(tmp_path / "db", mixed_corpus, jobs=2)
    handed_out = sum(1 for r in reports if "line 31" not in r.error)  # the bad line never goes to a worker
    size = BatchImporter.CHUNK
    assert size > 1 and sum(chunks) == handed_out
    assert chunks == [size] * (handed_out // size) + ([handed_out % size] if handed_out % size else [])


def test_an_article_that_breaks_extraction_fails_alone_in_its_chunk() -> None:
    good = read_article(SEED_004)
    broken = replace(good, text=None)  # type: ignore[arg-type]  # as a bug in the extractor would
    done = _read_and_extract_chunk([(good, None), (broken, None), (SEED_000, None)], None, MAX_BYTES)
    assert [type(d).__name__ for d in done] == ["tuple", "str", "tuple"]
    assert str(done[1]).startswith("cannot read or extract: AttributeError")
    first, third = done[0], done[2]
    assert isinstance(first, tuple) and first[1] is not None and first[1].meetings
    assert isinstance(third, tuple) and third[1] is not None and third[1].article.source == SEED_000.name


def test_cli_jobs_progress_and_quiet(mixed_corpus: Path, tmp_path: Path) -> None:
    runner, corpus = CliRunner(), mixed_corpus
    store = str(tmp_path / "db")
    result = runner.invoke(cli, ["--store", store, "import", str(corpus), "--jobs", "2", "-q", "--progress"])
    assert result.exit_code == 2, result.output  # the bad line and the binary file
    out = result.stdout
    assert "imported   " not in out  # quiet: failures and warnings only
    assert out.count("FAILED") == 2
    summary = out.strip().splitlines()[-1]
    assert summary.startswith(f"{sum(1 for _ in corpus.glob('*.md')) + 30 + 2} articles: ")
    assert " failed in " in summary and " articles/s, " in summary and " MB/s of text); store " in summary
    assert re.search(r"\r58 articles \[\d\d:\d\d, +[\d.]+ articles/s\]", result.stderr)  # JSON lines: no total
    again = runner.invoke(cli, ["--store", store, "import", str(corpus), "--no-progress", "--jobs", "0"])
    assert "unchanged  " in again.stdout and again.stderr == ""
    pieces = sorted(str(p) for p in corpus.glob("*.md"))
    bar = runner.invoke(cli, ["--store", str(tmp_path / "db2"), "import", *pieces, "--progress"]).stderr
    assert re.search(rf"100%\|█+\| {len(pieces)}/{len(pieces)} \[[\d:]+<[\d:]+, +[\d.]+ articles/s\]", bar)


def test_lines_appear_as_batches_are_written(mixed_corpus: Path, tmp_path: Path) -> None:
    """The import prints an article's line once it is stored, not at the end (read from a pipe)."""
    env, corpus = {**os.environ, "PYTHONPATH": str(ROOT)}, mixed_corpus
    # the embedded store's batches would hold the whole corpus: the importer's own sizes make three
    small_batches = "import kg.store; kg.store.BATCH_ARTICLES, kg.store.BATCH_TRIPLES = 1, 1"
    command = [sys.executable, "-c", f"{small_batches}\nfrom kg.cli import main; main()", "--store",
               str(tmp_path / "db"), "import", str(corpus), "--no-progress"]
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=env)
    assert process.stdout is not None
    first = process.stdout.readline()
    assert first.startswith("imported   ") and process.poll() is None  # still importing the rest
    rest = process.stdout.read()
    assert process.wait() == 2 and "articles: " in rest.splitlines()[-1]
