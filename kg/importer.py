"""Import articles into the store: read, extract, build RDF, replace the article's graph.

An article whose text and metadata are unchanged since it was last imported
(same content hash and extractor) is skipped. A file that cannot be used is
reported and the import goes on with the others.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SDO

from kg import build, iris
from kg.errors import InputError
from kg.extract import Extraction, extract_article
from kg.gazetteer import Gazetteer
from kg.gazetteer import default as default_gazetteer
from kg.read import iter_article_files, read_article
from kg.resources import gazetteer_dir, ontology_file
from kg.store import Store
from kg.vocab import DIP


@dataclass(frozen=True)
class FileReport:
    """What happened to one file."""

    path: str
    status: str  # "imported", "unchanged" or "failed"
    error: str = ""
    people: int = 0
    meetings: int = 0
    agreements: int = 0
    relations: int = 0
    triples: int = 0

    def line(self) -> str:
        """One line for the import summary."""
        if self.status == "failed":
            return f"FAILED     {self.path}: {self.error}"
        if self.status == "unchanged":
            return f"unchanged  {self.path}"
        return (f"imported   {self.path}: {self.meetings} meetings, {self.agreements} agreements, "
                f"{self.relations} relations, {self.people} people ({self.triples} triples)")


def _digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for path in paths:
        h.update(path.read_bytes())
    return h.hexdigest()


def _refresh(store: Store, graph_iri: URIRef, digest: str, make: Callable[[], Graph]) -> None:
    """Replace a reference graph when the files it is made from changed."""
    if store.graph_hash(graph_iri, graph_iri, SDO.sha256) == digest:
        return
    content = make()
    content.add((graph_iri, SDO.sha256, Literal(digest)))
    store.replace_graph(graph_iri, content)


def ensure_reference_graphs(store: Store, gazetteer: Gazetteer) -> None:
    """Load the ontology and the gazetteer into their own graphs when they changed."""
    ontology = ontology_file("diplomacy.ttl")
    _refresh(store, iris.ONTOLOGY_GRAPH, _digest([ontology]), lambda: Graph().parse(ontology, format="turtle"))
    tables = sorted(gazetteer_dir().glob("*.tsv"))
    _refresh(store, iris.GAZETTEER_GRAPH, _digest(tables), lambda: build.gazetteer_graph(gazetteer))


def import_file(store: Store, path: Path, gazetteer: Gazetteer,
                overrides: Mapping[str, Any] | None = None) -> FileReport:
    """Import one file; never raises for a bad file, reports it instead."""
    try:
        article = read_article(path, overrides)
    except InputError as exc:
        return FileReport(str(path), "failed", exc.problem if not exc.line else f"line {exc.line}: {exc.problem}")
    graph_iri = iris.article_graph(article.source)
    if store.graph_hash(graph_iri, iris.article(article.source), DIP.contentHash) == build.article_hash(article):
        return FileReport(str(path), "unchanged")
    extraction = extract_article(article, gazetteer)
    content = build.article_graph(extraction, gazetteer)
    store.replace_graph(graph_iri, content)
    return _report(str(path), extraction, len(content))


def _report(path: str, x: Extraction, triples: int) -> FileReport:
    return FileReport(path, "imported", "", len({p.key or p.name_ko or p.name_en for p in x.people}),
                      len(x.meetings), len(x.agreements), len(x.relations), triples)


def import_paths(store: Store, paths: Iterable[Path], overrides: Mapping[str, Any] | None = None,
                 gazetteer: Gazetteer | None = None) -> list[FileReport]:
    """Import every article file under ``paths``; one report per file."""
    gazetteer = gazetteer or default_gazetteer()
    ensure_reference_graphs(store, gazetteer)
    reports: list[FileReport] = []
    try:
        files = list(iter_article_files(paths))
    except InputError as exc:
        return [FileReport(exc.path, "failed", exc.problem)]
    for path in files:
        reports.append(import_file(store, path, gazetteer, overrides))
    return reports
