"""The fast import paths: RDF built as a set of triples, terms converted once, articles written in batches.

Batched import stores the same quads as article-by-article import; a batch that cannot be written
is written again article by article, so that an article the store refuses fails alone (its old
graph kept) and, when the store keeps failing, the rest of the batch fails without being tried;
the unchanged check works after and within a batch; reported triple counts are distinct triples.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from rdflib import Graph, URIRef
from rdflib.term import Node

import kg.store
from conftest import SEED_000, SEED_004
from kg import build, iris
from kg.extract import extract_article
from kg.gazetteer import default
from kg.importer import FileReport, ensure_reference_graphs, import_paths
from kg.read import read_article
from kg.store import Store
from kg.vocab import DIP

Quad = tuple[Node, Node, Node, Node]
LINES_PER_ARTICLE = 8


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """About twenty short articles cut from the seeds (facts and actors recur across them)."""
    folder = tmp_path_factory.mktemp("pieces")
    for seed, date in ((SEED_000, "2025-01-16"), (SEED_004, "2024-05-26")):
        lines = [line for line in seed.read_text(encoding="utf-8").splitlines() if line.strip()]
        for i in range(0, len(lines), LINES_PER_ARTICLE):
            body = "\n\n".join(lines[i:i + LINES_PER_ARTICLE])
            path = folder / f"{seed.stem[:3]}_{i:03d}.md"
            path.write_text(f"---\ndate: {date}\nlang: ko\n---\n\n{body}\n", encoding="utf-8")
    return folder


def _quads(store: Store) -> set[Quad]:
    """Every quad but the ontology's (its blank nodes get new labels on each parse)."""
    return {q for q in store.quads() if q[3] != iris.ONTOLOGY_GRAPH}


def _graph(store: Store, graph: URIRef) -> set[Quad]:
    return {q for q in store.quads() if q[3] == graph}


def _graph_of(report: FileReport) -> URIRef:
    return iris.article_graph(Path(report.path).name)


def _import(path: Path, folders: list[Path], **options: Any) -> tuple[list[FileReport], set[Quad]]:
    with Store(path) as store:
        reports = import_paths(store, folders, **options)
        return reports, _quads(store)


class _FailingWrites:
    """An Oxigraph store whose writes numbered in ``fail_at`` (from 1) fail inside Oxigraph's own transaction.

    ``extend`` gets quads that run out with an error midway; ``update`` gets the real request
    followed by an operation that fails after the drops and inserts have run.
    """

    def __init__(self, inner: Any, fail_at: set[int]) -> None:
        self.inner, self.fail_at, self.writes = inner, fail_at, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def _fails(self) -> bool:
        self.writes += 1
        return self.writes in self.fail_at

    def extend(self, quads: Any) -> None:
        if not self._fails():
            return self.inner.extend(quads)

        def cut() -> Iterator[Any]:
            for i, quad in enumerate(quads):
                if i == 10:
                    raise OSError("disk full (simulated)")
                yield quad

        return self.inner.extend(cut())

    def bulk_load(self, data: bytes, format: Any) -> None:  # noqa: A002 - the engine's own keyword
        """The bulk loader is no transaction: what it wrote before the error stays (the store undoes it)."""
        if not self._fails():
            return self.inner.bulk_load(data, format=format)
        lines = data.splitlines(keepends=True)
        self.inner.bulk_load(b"".join(lines[: len(lines) // 2]), format=format)
        raise OSError("disk full (simulated)")

    def update(self, text: str) -> None:
        if not self._fails():
            return self.inner.update(text)
        return self.inner.update(text + " ;\nDROP GRAPH <urn:dkg-test:missing>")


def _fail_write(monkeypatch: pytest.MonkeyPatch, store: Store, fail_at: set[int]) -> _FailingWrites:
    failing = _FailingWrites(store._ox, fail_at)
    monkeypatch.setattr(Store, "_ox", property(lambda self: failing))
    return failing


def test_batched_import_stores_what_article_by_article_import_stores(corpus: Path, tmp_path: Path) -> None:
    one_by_one, expected = _import(tmp_path / "one", [corpus], batch_articles=1)
    assert len(one_by_one) >= 12 and {r.status for r in one_by_one} == {"imported"}
    for options in ({"batch_articles": 4}, {"batch_triples": 500}, {}):
        reports, quads = _import(tmp_path / "_".join(map(str, options.items())), [corpus], **options)
        assert reports == one_by_one, options
        assert quads == expected, (options, len(quads ^ expected))


def test_replacing_graphs_in_a_batch_stores_the_same_quads(corpus: Path, tmp_path: Path) -> None:
    _, expected = _import(tmp_path / "fresh", [corpus])
    with Store(tmp_path / "replaced") as store:
        import_paths(store, [corpus], {"publisher": "Old Wire"})  # every graph exists, with other content
        assert any(str(q[2]) == "Old Wire" for q in store.quads())
        reports = import_paths(store, [corpus], batch_articles=5)  # drops and inserts in one update per batch
        assert {r.status for r in reports} == {"imported"}
        assert _quads(store) == expected


def test_reimport_after_a_batched_import_is_unchanged(corpus: Path, tmp_path: Path) -> None:
    with Store(tmp_path / "db") as store:
        import_paths(store, [corpus], batch_articles=3)
        before = set(store.quads())
        reports = import_paths(store, [corpus], batch_articles=3)
        assert {r.status for r in reports} == {"unchanged"}
        assert set(store.quads()) == before


def test_reported_triples_are_the_distinct_triples_of_the_graph(corpus: Path, tmp_path: Path) -> None:
    gazetteer = default()
    with Store(tmp_path / "db") as store:
        reports = import_paths(store, [corpus, SEED_000])
        for report in reports:
            content = build.article_graph(extract_article(read_article(Path(report.path)), gazetteer), gazetteer)
            as_graph = Graph()
            for triple in content:
                as_graph.add(triple)
            assert report.triples == len(content) == len(as_graph) == len(_graph(store, _graph_of(report)))


@pytest.mark.parametrize("bulk_quads", [10**9, 0], ids=["transactions", "bulk loader"])
def test_a_batch_that_fails_once_is_written_article_by_article(corpus: Path, tmp_path: Path, bulk_quads: int,
                                                              monkeypatch: pytest.MonkeyPatch) -> None:
    _, expected = _import(tmp_path / "fresh", [corpus])
    monkeypatch.setattr(kg.store, "BULK_QUADS", bulk_quads)
    with Store(tmp_path / "db") as store:
        ensure_reference_graphs(store, default())
        with monkeypatch.context() as patch:
            failing = _fail_write(patch, store, fail_at={2})  # the second batch, once
            reports = import_paths(store, [corpus], batch_articles=4)
        assert {r.status for r in reports} == {"imported"}
        batches = -(-len(reports) // 4)
        undo = 1 if bulk_quads == 0 else 0  # what the bulk loader wrote of the failed batch is removed (an update)
        assert failing.writes == batches + undo + 4  # then its four articles were written one by one
        assert _quads(store) == expected


class _Refusing:
    """An Oxigraph store that refuses, inside its transaction, every write holding one graph's quads."""

    def __init__(self, inner: Any, graph: URIRef) -> None:
        self.inner, self.graph, self.refused = inner, graph, 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    def extend(self, quads: Any) -> None:
        def checked() -> Iterator[Any]:
            for quad in quads:
                if quad.graph_name.value == str(self.graph):
                    self.refused += 1
                    raise ValueError("a term the store refuses (simulated)")
                yield quad
        return self.inner.extend(checked())

    def update(self, text: str) -> None:
        if f"GRAPH <{self.graph}> {{" in text:
            self.refused += 1
            text += " ;\nDROP GRAPH <urn:dkg-test:missing>"
        return self.inner.update(text)


def test_an_article_the_store_refuses_fails_alone(corpus: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(tmp_path / "db") as store:
        first = import_paths(store, [corpus])
        bad = _graph_of(first[5])
        old = _graph(store, bad)
        with monkeypatch.context() as patch:
            refusing = _Refusing(store._ox, bad)
            patch.setattr(Store, "_ox", property(lambda self: refusing))
            reports = import_paths(store, [corpus], {"publisher": "New Wire"}, batch_articles=4)
        assert refusing.refused == 2  # its batch, then itself alone
        assert [r.path for r in reports if r.status == "failed"] == [first[5].path]
        assert reports[5].error.startswith("not stored: ") and "graph " + str(bad) in reports[5].error
        assert {r.status for r in reports[:5] + reports[6:]} == {"imported"}
        assert _graph(store, bad) == old  # the old graph kept
        for report in reports[:5] + reports[6:]:
            assert any(str(q[2]) == "New Wire" for q in _graph(store, _graph_of(report)))


def test_a_store_that_keeps_failing_stops_being_tried(corpus: Path, tmp_path: Path,
                                                      monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(tmp_path / "db") as store:
        first = import_paths(store, [corpus])
        old = {_graph_of(r): _graph(store, _graph_of(r)) for r in first}
        with monkeypatch.context() as patch:
            failing = _fail_write(patch, store, fail_at={1, 2, 3})  # the first batch, and each of its articles
            reports = import_paths(store, [corpus], {"publisher": "New Wire"}, batch_articles=4)
        assert [r.status for r in reports[:4]] == ["failed"] * 4
        assert all(r.error.startswith("not stored: ") and "cannot write" in r.error for r in reports[:4])
        assert reports[3].error.startswith("not stored: writing its batch of 4 articles failed, and so did the")
        assert {r.status for r in reports[4:]} == {"imported"}
        assert failing.writes == 3 + -(-(len(reports) - 4) // 4)  # two articles tried alone, not four
        for report in reports:
            now = _graph(store, _graph_of(report))
            assert (now == old[_graph_of(report)]) == (report.status == "failed"), report.path
        again = import_paths(store, [corpus], {"publisher": "New Wire"})
        assert [r.path for r in again if r.status == "imported"] == [r.path for r in reports[:4]]


def _same_name(tmp_path: Path, *texts: str) -> list[Path]:
    """One folder per text, each holding ``x.md``: the same source (graph) read from several files."""
    folders = []
    for i, text in enumerate(texts):
        folder = tmp_path / f"copy{i}"
        folder.mkdir(parents=True)
        (folder / "x.md").write_text(f"---\ndate: 2024-05-26\nlang: ko\n---\n\n{text}\n", encoding="utf-8")
        folders.append(folder)
    return folders


def _stored_hash(store: Store) -> str | None:
    return store.graph_hash(iris.article_graph("x.md"), iris.article("x.md"), DIP.contentHash)


def test_the_same_source_twice_in_one_batch(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    text_a = SEED_004.read_text(encoding="utf-8")
    text_b = text_a.replace("26일 오후", "27일 오후")
    same, other = _same_name(tmp_path / "same", text_a, text_a), _same_name(tmp_path / "other", text_a, text_b)
    hash_of = {text: build.article_hash(read_article(folder / "x.md")) for text, folder in zip(
        (text_a, text_b), other, strict=True)}
    with Store(tmp_path / "db1") as store:  # identical twice: the second is unchanged
        assert [r.status for r in import_paths(store, same)] == ["imported", "unchanged"]
        assert _stored_hash(store) == hash_of[text_a]
    with Store(tmp_path / "db2") as store:  # different: the last one wins, as one by one
        reports = import_paths(store, other)
        assert [r.status for r in reports] == ["imported", "imported"]
        assert _stored_hash(store) == hash_of[text_b]
        assert [r.status for r in import_paths(store, other[1:])] == ["unchanged"]
        assert [r.status for r in import_paths(store, other)] == ["imported", "imported"]
    assert _import(tmp_path / "db3", other) == _import(tmp_path / "db4", other, batch_articles=1)
    with Store(tmp_path / "db5") as store:  # a failed batch fails the unchanged copy too
        ensure_reference_graphs(store, default())
        with monkeypatch.context() as patch:
            _fail_write(patch, store, fail_at={1, 2})  # the batch, and the article alone
            assert [r.status for r in import_paths(store, same)] == ["failed", "failed"]
        assert _stored_hash(store) is None and iris.article_graph("x.md") not in store.graphs()


def test_replace_graph_still_takes_an_rdflib_graph(tmp_path: Path) -> None:
    graph = URIRef(iris.BASE + "graph/article/handmade")
    content = Graph()
    content.add((URIRef(iris.BASE + "article/handmade"), DIP.sourceFile, build.date_literal("2024")))
    with Store(tmp_path / "db") as store:
        store.replace_graph(graph, content)
        store.replace_graph(graph, content)  # again, over the existing graph
        assert len(_graph(store, graph)) == 1 and store.graphs() == [graph]
