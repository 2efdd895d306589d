"""Failures of the process, not of the input: an import killed midway, two processes on one store,
a query that runs too long.

A killed import leaves whole articles only, and running it again completes it without
duplicates; a second process waits for the store (``--wait``) or is told it is in use; a query
past ``--timeout`` is stopped and leaves the store as it was.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from kg import iris
from kg.cli import cli
from kg.errors import StoreError
from kg.importer import import_paths
from kg.store import Store

ROOT = Path(__file__).resolve().parents[1]
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"  # billions of rows on the seeds


def _graphs(path: Path) -> dict[str, set[Any]]:
    """Each article graph's quads (the ontology's blank nodes get new labels on each load: left out)."""
    graphs: dict[str, set[Any]] = {}
    with Store(path) as store:
        for quad in store.quads():
            if quad[3] != iris.ONTOLOGY_GRAPH:
                graphs.setdefault(str(quad[3]), set()).add(quad)
    return graphs


# Small batches, each written by the bulk loader: an import of the test corpus is many bulk writes.
SMALL_BULK_BATCHES = ("import kg.store\n"
                      "kg.store.BATCH_ARTICLES, kg.store.BATCH_TRIPLES, kg.store.BULK_QUADS = 8, 2000, 500")


def _dkg(*args: str, setup: str = "") -> subprocess.Popen[str]:
    command = [sys.executable, "-c", f"{setup}\nfrom kg.cli import main; main()", *args]
    return subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.fixture(scope="module")
def reference(mixed_corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, set[Any]]:
    path = tmp_path_factory.mktemp("reference") / "store"
    with Store(path) as store:
        import_paths(store, [mixed_corpus])
    return _graphs(path)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_an_import_killed_midway_leaves_whole_articles_and_completes_on_rerun(
        mixed_corpus: Path, tmp_path: Path, reference: dict[str, set[Any]], jobs: str) -> None:
    store = tmp_path / "store"
    process = _dkg("--store", str(store), "import", str(mixed_corpus), "--no-progress", "--jobs", jobs,
                   setup=SMALL_BULK_BATCHES)
    assert process.stdout is not None
    stored = [process.stdout.readline() for _ in range(3)]  # the first batch is written
    assert all(line.startswith("imported   ") for line in stored)
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    assert process.returncode == -signal.SIGKILL
    after_kill = _graphs(store)  # the store opens
    articles = [g for g in after_kill if "/graph/article/" in g]
    assert 3 <= len(articles) < len([g for g in reference if "/graph/article/" in g])  # killed midway
    for graph in articles:  # each article whole: exactly what an uninterrupted import writes
        assert after_kill[graph] == reference[graph], graph
    result = CliRunner().invoke(cli, ["--store", str(store), "import", str(mixed_corpus), "--no-progress"])
    lines = result.stdout.splitlines()
    assert sum(line.startswith("unchanged  ") for line in lines) == len(articles)
    assert _graphs(store) == reference  # complete, nothing twice


def test_a_second_process_is_told_the_store_is_in_use_or_waits(tmp_path: Path) -> None:
    store = tmp_path / "store"
    holder = subprocess.Popen([sys.executable, "-c", "import sys, time\nfrom pathlib import Path\n"
                               "from kg.store import Store\nwith Store(Path(sys.argv[1])):\n"
                               "    print('open', flush=True)\n    time.sleep(float(sys.argv[2]))\n",
                               str(store), "3"], stdout=subprocess.PIPE, text=True,
                              env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert holder.stdout is not None and holder.stdout.readline() == "open\n"
    runner = CliRunner()
    refused = runner.invoke(cli, ["--store", str(store), "stats"])
    assert refused.exit_code == 2
    assert f"{store}: store in use by another process" in refused.stderr and "--wait SECONDS" in refused.stderr
    started = time.monotonic()
    with pytest.raises(StoreError, match="after waiting 0.5 s"):
        Store(store, wait=0.5)
    assert time.monotonic() - started >= 0.5
    waited = runner.invoke(cli, ["--store", str(store), "--wait", "60", "stats"])
    assert waited.exit_code == 0, waited.output
    assert holder.wait() == 0


def test_a_reader_waiting_for_an_import_sees_all_of_it(mixed_corpus: Path, tmp_path: Path,
                                                      reference: dict[str, set[Any]]) -> None:
    store = tmp_path / "store"
    importer = _dkg("--store", str(store), "import", str(mixed_corpus), "--no-progress")
    assert importer.stdout is not None and importer.stdout.readline().startswith("imported")
    reader = CliRunner().invoke(cli, ["--store", str(store), "--wait", "120", "query", "-e",
                                      "SELECT (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?a a dip:Article } }",
                                      "--format", "csv"])
    importer.communicate()
    assert reader.exit_code == 0, reader.output
    assert reader.stdout.splitlines()[1] == str(sum("/graph/article/" in g for g in reference))


def test_a_query_past_its_timeout_is_stopped_and_changes_nothing(seeded_store_path: Path, tmp_path: Path) -> None:
    runner = CliRunner()
    store = tmp_path / "store"
    import shutil

    shutil.copytree(seeded_store_path, store)
    before = _graphs(store)
    started = time.monotonic()
    slow = runner.invoke(cli, ["--store", str(store), "query", "-e", SLOW, "--timeout", "1"])
    assert slow.exit_code == 2
    assert "ran longer than 1 s and was stopped (--timeout)" in slow.stderr
    assert time.monotonic() - started < 30
    update = ("INSERT { GRAPH <urn:x:g> { ?a <urn:x:p> ?c } } WHERE { GRAPH ?x { ?a ?b ?c } GRAPH ?y { ?d ?e ?f } "
              "GRAPH ?z { ?g ?h ?i } FILTER (STR(?c) != CONCAT(STR(?f), STR(?i))) }")  # hours, then every triple
    stopped = runner.invoke(cli, ["--store", str(store), "query", "-e", update, "--update", "--timeout", "1"])
    assert stopped.exit_code == 2 and "was stopped" in stopped.stderr
    assert _graphs(store) == before  # the store opens, unchanged
    quick = runner.invoke(cli, ["--store", str(store), "query", "events", "--format", "json", "--timeout", "60"])
    plain = runner.invoke(cli, ["--store", str(store), "query", "events", "--format", "json"])
    assert quick.exit_code == plain.exit_code == 0 and quick.stdout == plain.stdout and '"event"' in quick.stdout
    bad = runner.invoke(cli, ["--store", str(store), "query", "-e", "SELECT ?x WHERE {", "--timeout", "60"])
    assert bad.exit_code == 2 and "dkg: " in bad.stderr  # an error in the child comes back as itself
    inserted = runner.invoke(cli, ["--store", str(store), "query", "-e",
                                   "INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:p> 1 } }", "--update",
                                   "--timeout", "60"])
    assert inserted.exit_code == 0 and "update done" in inserted.stderr
    assert "urn:x:g" in _graphs(store)
