"""Bulk writes: big batches of new articles go through Oxigraph's bulk loader, still all or none.

The bulk loader is not a transaction: what it has written stays when it stops midway. The store
names the batch's graphs in a journal before the write and removes the journal after it; a write
that fails is undone at once, and one cut short by a killed process is undone when the store is
next opened (``Store.recovered``; the command line says so).
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from rdflib import Literal, URIRef
from rdflib.term import Node

import kg.store
from conftest import ARTICLES, ROOT
from kg import iris
from kg.cli import cli
from kg.errors import StoreError
from kg.importer import import_paths
from kg.store import JOURNAL, Store

Quad = tuple[Node, Node, Node, Node]
P = URIRef("urn:dkg-test:p")


def _graph(n: int) -> URIRef:
    return iris.article_graph(f"bulk-{n:03d}.txt")


def _content(n: int, size: int = 40) -> list[tuple[Node, Node, Node]]:
    return [(URIRef(f"urn:dkg-test:s{n}-{i}"), P, Literal(f"{n}/{i} 한국어")) for i in range(size)]


def _quads(store: Store) -> set[Quad]:
    """Every quad but the ontology's (its blank nodes get new labels on each parse)."""
    return {q for q in store.quads() if q[3] != iris.ONTOLOGY_GRAPH}


class _Watching:
    """An Oxigraph store that notes which of its write methods are called."""

    def __init__(self, inner: Any, names: tuple[str, ...]) -> None:
        self.inner, self.names, self.calls = inner, names, list[str]()

    def __getattr__(self, name: str) -> Any:
        if name in self.names:
            self.calls.append(name)
        return getattr(self.inner, name)


def _use(patch: pytest.MonkeyPatch, engine: object) -> None:
    """Make every ``Store`` use ``engine`` as its Oxigraph store (until ``patch`` is undone)."""
    patch.setattr(Store, "_ox", property(lambda self: engine))


class _HalfWritten:
    """An Oxigraph store whose bulk writes stop midway: half the quads written, then an error (or
    the process killed); its updates (which remove graphs) fail too when ``updates_fail``."""

    def __init__(self, inner: Any, kill: bool = False, updates_fail: bool = False) -> None:
        self.inner, self.kill, self.updates_fail = inner, kill, updates_fail

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def bulk_load(self, data: bytes, format: Any) -> None:  # noqa: A002 - the engine's own keyword
        lines = data.splitlines(keepends=True)
        self.inner.bulk_load(b"".join(lines[: len(lines) // 2]), format=format)
        self.inner.flush()
        if self.kill:
            os.kill(os.getpid(), signal.SIGKILL)
        raise OSError("disk full (simulated)")

    def update(self, text: str) -> None:
        if self.updates_fail:
            raise OSError("disk gone (simulated)")
        return self.inner.update(text)


def test_bulk_writes_store_what_transactions_store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    stored = []
    for bulk_quads in (10**9, 0):  # every write a transaction; every write of new graphs bulk
        monkeypatch.setattr(kg.store, "BULK_QUADS", bulk_quads)
        path = tmp_path / f"db-{bulk_quads}"
        with Store(path) as store:
            watching = _Watching(store._ox, ("extend", "bulk_load", "bulk_extend"))
            with monkeypatch.context() as patch:
                _use(patch, watching)
                reports = import_paths(store, [ARTICLES], batch_articles=1)
            assert {r.status for r in reports} == {"imported"}
            assert set(watching.calls) == ({"bulk_load"} if bulk_quads == 0 else {"extend"})
            del watching  # the engine closes with its last reference
            assert not (path / JOURNAL).exists()
            stored.append(_quads(store))
    assert stored[0] == stored[1] and len(stored[0]) > 1000


def test_the_bulk_loader_stores_every_kind_of_term_as_a_transaction_does(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """The bulk loader reads N-Quads text: every term must come back as it went in."""
    from rdflib import XSD, BNode

    s = URIRef("urn:dkg-test:s")
    objects = [Literal('quote " back\\slash\nnew line\ttab\r\u2028'), Literal("한국어", lang="ko"),
               Literal("Seoul", lang="en-GB"), Literal("2024-05", datatype=XSD.gYearMonth), Literal(42),
               Literal("x", datatype=URIRef("urn:dkg-test:type")), URIRef("https://w3id.org/dkg/id/a?b=c#d"),
               Literal("emoji \U0001F600 and \x00 nul"), Literal(""), BNode("b0")]
    content = [(s, URIRef(f"urn:dkg-test:p{i}"), o) for i, o in enumerate(objects)]
    content.append((BNode("b0"), P, Literal("on a blank node")))
    stored = []
    for bulk_quads in (10**9, 0):
        monkeypatch.setattr(kg.store, "BULK_QUADS", bulk_quads)
        with Store(tmp_path / f"db-{bulk_quads}") as store:
            store.replace_graphs({_graph(1): content})
            quads = {q for q in store.quads() if q[3] == _graph(1)}
            blank = {q[2] for q in quads if q[1] == URIRef(f"urn:dkg-test:p{len(objects) - 1}")}
            assert len(blank) == 1 and {q[0] for q in quads if q[1] == P} == blank  # one blank node, still joined
            stored.append({q for q in quads if not isinstance(q[2], BNode) and not isinstance(q[0], BNode)})
    assert stored[0] == stored[1]
    assert sorted(str(q[2]) for q in stored[1]) == sorted(str(o) for o in objects[:-1])
    by_predicate = {q[1]: q[2] for q in stored[1]}
    assert by_predicate[URIRef("urn:dkg-test:p1")].language == "ko"
    assert by_predicate[URIRef("urn:dkg-test:p2")].language == "en-gb"  # the engine's case for tags
    assert by_predicate[URIRef("urn:dkg-test:p3")].datatype == XSD.gYearMonth


def test_only_big_writes_of_new_graphs_go_through_the_bulk_loader(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kg.store, "BULK_QUADS", 100)
    with Store(tmp_path / "db") as store:
        watching = _Watching(store._ox, ("extend", "bulk_load", "update"))
        _use(monkeypatch, watching)
        store.replace_graphs({_graph(1): _content(1, 99)})  # below the threshold: one transaction
        store.replace_graphs({_graph(2): _content(2, 60), _graph(3): _content(3, 60)})  # bulk
        store.replace_graphs({_graph(3): _content(3, 200)})  # replaces a graph: one update
        assert watching.calls == ["extend", "bulk_load", "update"]
        assert {q[3] for q in store.quads()} == {_graph(1), _graph(2), _graph(3)}
        assert len(_quads(store)) == 99 + 60 + 200


def test_a_bulk_write_that_fails_midway_leaves_nothing_of_it(tmp_path: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kg.store, "BULK_QUADS", 0)
    path = tmp_path / "db"
    with Store(path) as store:
        store.replace_graphs({_graph(1): _content(1)})
        before = _quads(store)
        token = store.answers.generation()
        with monkeypatch.context() as patch:
            half = _HalfWritten(store._ox)
            _use(patch, half)
            with pytest.raises(StoreError, match=r"cannot write 2 graphs \(nothing of it written\).*disk full"):
                store.replace_graphs({_graph(2): _content(2), _graph(3): _content(3)})
            del half  # the engine closes with its last reference
        assert _quads(store) == before
        assert not (path / JOURNAL).exists()
        assert store.answers.generation() != token  # answers kept before are stale all the same
    with Store(path) as store:
        assert store.recovered == ()
        assert _quads(store) == before


def test_a_bulk_write_whose_undo_fails_is_undone_when_the_store_is_next_opened(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(kg.store, "BULK_QUADS", 0)
    path = tmp_path / "db"
    with Store(path) as store:
        store.replace_graphs({_graph(1): _content(1)})
        before = _quads(store)
        with monkeypatch.context() as patch:
            half = _HalfWritten(store._ox, updates_fail=True)
            _use(patch, half)
            with pytest.raises(StoreError, match="removing what was written of it failed too.*next opened"):
                store.replace_graphs({_graph(2): _content(2), _graph(3): _content(3)})
            del half  # the engine closes with its last reference
        assert (path / JOURNAL).exists()
        assert _graph(2) in store.graphs() or _graph(3) in store.graphs()  # half of it is there
    with Store(path) as store:
        assert store.recovered == (_graph(2), _graph(3))
        assert _quads(store) == before
        assert not (path / JOURNAL).exists()


def test_a_killed_bulk_write_is_undone_when_the_store_is_next_opened(tmp_path: Path) -> None:
    path = tmp_path / "db"
    with Store(path) as store:
        import_paths(store, [ARTICLES])
        before = _quads(store)
        token = store.answers.generation()
    script = textwrap.dedent(f"""
        import sys
        sys.path[:0] = [{str(ROOT)!r}, {str(Path(__file__).parent)!r}]
        import kg.store
        from kg.store import Store
        from test_store_bulk import _HalfWritten, _content, _graph
        kg.store.BULK_QUADS = 0
        with Store(kg.store.Path({str(path)!r})) as store:
            half = _HalfWritten(store._ox, kill=True)
            Store._ox = property(lambda self: half)
            store.replace_graphs({{_graph(n): _content(n) for n in range(5)}})
        """)
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == -signal.SIGKILL, done.stderr
    assert (path / JOURNAL).exists()
    runner = CliRunner()
    result = runner.invoke(cli, ["--store", str(path), "query", "office-holders"])
    assert result.exit_code == 0, result.output
    assert "an earlier import was cut short while writing 5 articles" in result.stderr
    with Store(path) as store:
        assert store.recovered == ()  # undone once, by the first opening
        assert _quads(store) == before
        assert store.answers.generation() != token
        assert not (path / JOURNAL).exists()


def test_an_unreadable_journal_is_an_error_that_names_it(tmp_path: Path) -> None:
    path = tmp_path / "db"
    with Store(path) as store:
        store.replace_graphs({_graph(1): _content(1)})
    (path / JOURNAL).write_text("[not json", encoding="utf-8")
    with pytest.raises(StoreError, match=rf"{JOURNAL}: cannot read the journal of an unfinished write"):
        Store(path)
    (path / JOURNAL).unlink()
    with Store(path) as store:  # the failed opening closed the store again
        assert store.graphs() == [_graph(1)]


def test_the_embedded_store_takes_bigger_batches_than_a_server(tmp_path: Path) -> None:
    """Fewer, larger bulk writes leave the engine fewer files to merge; a server's request stays small."""
    from kg.gazetteer import default
    from kg.importer import BATCH_ARTICLES, BATCH_TRIPLES, BatchImporter
    from kg.remote import RemoteStore

    with Store(tmp_path / "db") as store:
        importer = BatchImporter(store, default())
        assert (importer.batch_articles, importer.batch_triples) == (kg.store.BATCH_ARTICLES, kg.store.BATCH_TRIPLES)
        assert kg.store.BATCH_TRIPLES >= 5 * BATCH_TRIPLES and kg.store.BATCH_TRIPLES > kg.store.BULK_QUADS
        explicit = BatchImporter(store, default(), batch_articles=3, batch_triples=500)
        assert (explicit.batch_articles, explicit.batch_triples) == (3, 500)
    server = RemoteStore("http://127.0.0.1:9/query")  # not contacted
    assert (BatchImporter(server, default()).batch_articles, BatchImporter(server, default()).batch_triples) == (
        BATCH_ARTICLES, BATCH_TRIPLES)
