"""Import articles into the store: read, extract, build RDF, replace the article's graph.

An article whose text and metadata are unchanged since it was last imported
(same content hash and extractor) is skipped. A file that cannot be used is
reported and the import goes on with the others. A JSON lines file holds many
articles: each is imported into its own graph and has its own report (its path
``FILE#ID``), and each bad line is reported (``line N: problem``) while the other
lines are imported. Problems that did not stop a file being read (broken front
matter, an impossible date) are warnings on its report.

Articles are written in batches (``BATCH_ARTICLES`` articles or ``BATCH_TRIPLES``
triples, and the rest at the end), each batch in one store transaction: the
store holds each article whole or not at all, and a batch that cannot be written
leaves the store as it was and reports each of its files failed.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SDO

from kg import build, iris
from kg.errors import InputError, InputWarning, StoreError
from kg.extract import Extraction, extract_article
from kg.gazetteer import Gazetteer
from kg.gazetteer import default as default_gazetteer
from kg.read import MAX_BYTES, Article, iter_article_files, read_articles
from kg.resolve import Resolver, stored_reports
from kg.resources import gazetteer_dir, ontology_file
from kg.store import Store
from kg.vocab import DIP

# A batch is written (in one transaction) when it holds this many articles or triples. Oxigraph's
# transactional write costs about the same per quad whatever the batch (about 25 µs on the 2-core VM);
# replacing existing graphs gets slower per quad in large batches, and a failed batch fails all its files.
BATCH_ARTICLES = 20
BATCH_TRIPLES = 10_000


@dataclass(frozen=True)
class FileReport:
    """What happened to one file, or to one article of a file of many (``path`` is then ``FILE#ID``)."""

    path: str
    status: str  # "imported", "unchanged" or "failed"
    error: str = ""
    people: int = 0
    meetings: int = 0
    agreements: int = 0
    relations: int = 0
    triples: int = 0
    warnings: tuple[str, ...] = ()  # problems that did not stop it being read: "line 3: impossible date ..."

    def line(self) -> str:
        """One line for the import summary; warnings at its end."""
        if self.status == "failed":
            return f"FAILED     {self.path}: {self.error}"
        if self.status == "unchanged":
            line = f"unchanged  {self.path}"
        else:
            line = (f"imported   {self.path}: {self.meetings} meetings, {self.agreements} agreements, "
                    f"{self.relations} relations, {self.people} people ({self.triples} triples)")
        if self.warnings:
            count = f"{len(self.warnings)} warning{'s' if len(self.warnings) > 1 else ''}"
            line += f"; {count}: " + "; ".join(self.warnings)
        return line


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


@dataclass
class _Batch:
    """Articles built but not yet written: the content of each graph and the reports that depend on it."""

    graphs: dict[URIRef, set[build.Triple]] = field(default_factory=dict)
    hashes: dict[URIRef, str] = field(default_factory=dict)  # graph -> content hash of its article
    reports: list[int] = field(default_factory=list)  # indices of the reports this batch decides
    triples: int = 0


class BatchImporter:
    """Imports files one by one and writes whole articles in batches, each in one transaction.

    ``add`` returns the index of the file's (first) report in ``reports``; a report of a file in a
    batch not yet written says what will be written, and turns to "failed" (with the store's
    error) if the batch cannot be written. Call ``flush`` at the end (or use as a context
    manager). The unchanged check sees the articles of the pending batch: a file whose source
    is already pending with the same content is "unchanged"; with other content, the last wins.
    """

    def __init__(self, store: Store, gazetteer: Gazetteer, overrides: Mapping[str, Any] | None = None,
                 batch_articles: int = BATCH_ARTICLES, batch_triples: int = BATCH_TRIPLES, *,
                 max_bytes: int = MAX_BYTES) -> None:
        self.store = store
        self.gazetteer = gazetteer
        self.overrides = overrides
        self.max_bytes = max_bytes  # larger files (for JSON lines: lines) are refused
        self.batch_articles = max(1, batch_articles)
        self.batch_triples = batch_triples
        self.reports: list[FileReport] = []
        self._batch = _Batch()
        self._resolver: Resolver | None = None

    @property
    def resolver(self) -> Resolver:
        """Resolves meetings against the gazetteer, the store and this import's articles (made when needed)."""
        if self._resolver is None:
            self._resolver = Resolver(self.gazetteer, stored_reports(self.store))
        return self._resolver

    def __enter__(self) -> BatchImporter:
        return self

    def __exit__(self, *_: object) -> None:
        self.flush()

    def add(self, path: Path) -> int:
        """Read, check, extract and build the articles of one file; write the batch whenever it is full.

        Returns the index in ``reports`` of the file's first report. A file of one article has one
        report; a JSON lines file one per article or bad line, in order, read and written as a stream.
        """
        index = len(self.reports)
        for item in read_articles(path, self.overrides, max_bytes=self.max_bytes):
            if isinstance(item, InputError):
                self.reports.append(_failed(path, item))
            else:
                self.reports.append(self._prepare(item, _label(path, item)))
            if len(self._batch.graphs) >= self.batch_articles or self._batch.triples >= self.batch_triples:
                self.flush()
        return index

    def _prepare(self, article: Article, label: str) -> FileReport:
        warnings = tuple(_warning(label, w) for w in article.warnings)
        batch = self._batch
        graph_iri = iris.article_graph(article.source)
        content_hash = build.article_hash(article)
        if graph_iri in batch.hashes:
            stored: str | None = batch.hashes[graph_iri]
        else:
            stored = self.store.graph_hash(graph_iri, iris.article(article.source), DIP.contentHash)
        if stored == content_hash:
            if graph_iri in batch.hashes:  # unchanged only if the pending batch is written
                batch.reports.append(len(self.reports))
            return FileReport(label, "unchanged", warnings=warnings)
        extraction = extract_article(article, self.gazetteer)
        events = self.resolver.resolve(extraction)
        self.resolver.remember(extraction, events)
        content = build.article_graph(extraction, self.gazetteer, events)
        batch.triples += len(content) - len(batch.graphs.get(graph_iri, ()))
        batch.graphs[graph_iri] = content
        batch.hashes[graph_iri] = content_hash
        batch.reports.append(len(self.reports))
        return replace(_report(label, extraction, len(content)), warnings=warnings)

    def flush(self) -> None:
        """Write the pending batch in one transaction; on failure, report each of its files failed."""
        batch, self._batch = self._batch, _Batch()
        if not batch.graphs:
            return
        try:
            self.store.replace_graphs(batch.graphs)
        except StoreError as exc:
            error = f"not stored: writing its batch of {len(batch.reports)} files failed, none was written: {exc}"
            for i in batch.reports:
                self.reports[i] = replace(self.reports[i], status="failed", error=error)


def import_file(store: Store, path: Path, gazetteer: Gazetteer,
                overrides: Mapping[str, Any] | None = None, *, max_bytes: int = MAX_BYTES) -> FileReport:
    """Import one file and write it at once; never raises for a bad file, reports it instead.

    For a JSON lines file, this is the report of its first article (or bad line); ``import_paths``
    gives them all.
    """
    with BatchImporter(store, gazetteer, overrides, max_bytes=max_bytes) as importer:
        index = importer.add(path)
    return importer.reports[index]


def _label(path: Path, article: Article) -> str:
    """What a report calls an article: the path, with ``#ID`` for an article of a JSON lines file."""
    return str(path) + article.source[len(path.name):] if article.source.startswith(path.name) else str(path)


def _failed(path: Path, exc: InputError) -> FileReport:
    where = "" if exc.path == str(path) else f"{exc.path}: "
    return FileReport(str(path), "failed", where + (f"line {exc.line}: {exc.problem}" if exc.line else exc.problem))


def _warning(label: str, warning: InputWarning) -> str:
    """A warning for a report: ``line N: problem``, with the file's name when another file (a sidecar) has it."""
    where = "" if label == warning.path or label.startswith(warning.path + "#") else warning.path
    if warning.line is not None:
        where += (":" if where else "line ") + str(warning.line)
    return f"{where}: {warning.problem}" if where else warning.problem


def _report(path: str, x: Extraction, triples: int) -> FileReport:
    return FileReport(path, "imported", "", len({p.key or p.name_ko or p.name_en for p in x.people}),
                      len(x.meetings), len(x.agreements), len(x.relations), triples)


def import_paths(store: Store, paths: Iterable[Path], overrides: Mapping[str, Any] | None = None,
                 gazetteer: Gazetteer | None = None, batch_articles: int = BATCH_ARTICLES,
                 batch_triples: int = BATCH_TRIPLES, *, max_bytes: int = MAX_BYTES) -> list[FileReport]:
    """Import every article file under ``paths``, in batches; one report per file, in order.

    A JSON lines file has one report per article (and per bad line). A file larger than ``max_bytes``
    (a line of JSON lines larger than it) is refused.
    """
    gazetteer = gazetteer or default_gazetteer()
    ensure_reference_graphs(store, gazetteer)
    try:
        files = list(iter_article_files(paths))
    except InputError as exc:
        return [FileReport(exc.path, "failed", exc.problem)]
    with BatchImporter(store, gazetteer, overrides, batch_articles, batch_triples, max_bytes=max_bytes) as importer:
        for path in files:
            importer.add(path)
    return importer.reports


def remove_articles(store: Store, names: Iterable[str]) -> list[str]:
    """Take the articles ``names`` (file names, or paths: their file names count) out of the store.

    An article of a JSON lines file is named ``FILE#ID`` (``FILE#LINE`` when its line has no id).

    Each article's graph goes, and with it every fact, evidence and report that only it supported;
    facts other articles report stay in their graphs. All in one transaction. Raises ``InputError``
    naming the first article the store does not hold, and removes nothing then. Returns the file
    names removed.
    """
    present = set(store.graphs())
    sources = list(dict.fromkeys(_source_name(name, present) for name in names))
    for source in sources:
        if iris.article_graph(source) not in present:
            raise InputError(source, "no article of that name in the store (`dkg stats` lists them)")
    store.remove_graphs(iris.article_graph(source) for source in sources)
    return sources


def _source_name(name: str, present: set[URIRef]) -> str:
    """The source an article is stored under: the file name of a path, ``FILE#ID`` kept whole after it."""
    head, hash_, tail = name.partition("#")
    if hash_:
        source = Path(head).name + hash_ + tail
        if iris.article_graph(source) in present:
            return source
    return Path(name).name
