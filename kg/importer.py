"""Import articles into the store: read, extract, build RDF, replace the article's graph.

An article whose text and metadata are unchanged since it was last imported
(same content hash and extractor) is skipped. A file that cannot be used is
reported and the import goes on with the others. A JSON lines file holds many
articles: each is imported into its own graph and has its own report (its path
``FILE#ID``), and each bad line is reported (``line N: problem``) while the other
lines are imported. Problems that did not stop a file being read (broken front
matter, an impossible date) are warnings on its report.

Articles are written in batches (the store's ``batch_size``: ``BATCH_ARTICLES`` articles or
``BATCH_TRIPLES`` triples for a SPARQL server, larger batches for the embedded store, whose bulk
loader costs less in big writes; and the rest at the end), each batch all or none
(``Store.replace_graphs``), so the store holds each article whole or not at all. A batch that
cannot be written is written again article by article, each in its own transaction, so that an article
the store refuses fails alone (reported with the store's error) while the others are
stored; when the store keeps failing, the rest of the batch is reported failed
without more tries. A writer thread writes one batch while the next is built.

With ``jobs`` > 1, worker processes read one-article files and extract facts
ahead of the importer, a bounded number of articles at a time; resolving meetings,
building RDF and writing follow the input's order, so the store is the same
whatever the number of jobs. Memory stays bounded whatever the input: JSON lines
are read as a stream, and reports are passed on (``on_report``) as they become
final.
"""

from __future__ import annotations

import hashlib
import multiprocessing
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
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
from kg.read import MAX_BYTES, Article, holds_many_articles, iter_article_files, read_article, read_articles
from kg.resolve import Resolver, stored_reports
from kg.resources import gazetteer_dir, ontology_file
from kg.store import Store
from kg.vocab import DIP

# A batch is written (all or none) when it holds this many articles or triples, unless the store asks
# for other sizes (``Store.batch_size``). One update request a batch for a SPARQL server; replacing
# existing graphs gets slower per quad in large batches, and a failed batch is written again one by one.
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
    size: int = 0  # UTF-8 bytes of the article's text, when it was read

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
    reports: dict[URIRef, list[int]] = field(default_factory=dict)  # graph -> the reports its writing decides
    triples: int = 0

    def decides(self, graph: URIRef, index: int) -> None:
        self.reports.setdefault(graph, []).append(index)


@dataclass
class _Task:
    """An article (or a one-article file still to read) on its way: read and extracted, maybe in a worker."""

    index: int  # of the report it decides
    path: Path  # the file it comes from
    label: str
    item: Article | Path
    stored: str | None  # the content hash the store held for its graph when it was handed out
    future: Future[list[_Done]] | None = None  # the chunk of articles it went to a worker with
    slot: int = 0  # its place in that chunk
    attempts: int = 0  # worker processes that died while it was handed out
    failure: str = ""  # why it cannot be finished


# Worker processes (``jobs`` > 1) read one-article files and extract, a chunk of articles a task;
# the importer's process reads JSON lines, resolves, builds RDF and writes, in the order of the
# input, so that the store ends the same whatever the number of jobs. Each worker loads the
# gazetteer once.
_WORKER_GAZETTEER: Gazetteer | None = None
_Done = tuple[Article | InputError, Extraction | None] | str  # what became of an article; a str: what went wrong


def _init_worker(gazetteer: Gazetteer | None) -> None:
    global _WORKER_GAZETTEER
    _WORKER_GAZETTEER = gazetteer or default_gazetteer()


def _read_and_extract(item: Article | Path, overrides: Mapping[str, Any] | None, max_bytes: int,
                      stored: str | None, gazetteer: Gazetteer | None = None
                      ) -> tuple[Article | InputError, Extraction | None]:
    """Read ``item`` if it is a file, and extract its facts unless its content hash is ``stored``."""
    if isinstance(item, Path):
        try:
            item = read_article(item, overrides, max_bytes=max_bytes)
        except InputError as exc:
            return exc, None
    if stored is not None and build.article_hash(item) == stored:
        return item, None
    return item, extract_article(item, gazetteer or _WORKER_GAZETTEER)


def _read_and_extract_chunk(items: list[tuple[Article | Path, str | None]], overrides: Mapping[str, Any] | None,
                            max_bytes: int) -> list[_Done]:
    """``_read_and_extract`` for each item (in a worker); an article that meets a bug does not take
    the others of its chunk with it: its error, as text, takes its place."""
    done: list[_Done] = []
    for item, stored in items:
        try:
            done.append(_read_and_extract(item, overrides, max_bytes, stored))
        except Exception as exc:
            done.append(_cannot(exc))
    return done


def _cannot(exc: Exception) -> str:
    return f"cannot read or extract: {type(exc).__name__}: {exc}"


class BatchImporter:
    """Imports files one by one and writes whole articles in batches, each all or none.

    ``add`` returns the index of the file's (first) report in ``reports``; a report of a file in a
    batch not yet written says what will be written, and turns to "failed" (with the store's
    error) if the batch cannot be written. Call ``flush`` at the end (or use as a context
    manager). The unchanged check sees the articles of the pending batch: a file whose source
    is already pending with the same content is "unchanged"; with other content, the last wins.

    With ``jobs`` > 1, that many worker processes read and extract ahead (at most ``AHEAD_PER_JOB``
    articles each, so memory stays bounded whatever the input), handed out ``CHUNK`` articles at a
    time (each hand-out wakes the pool and pickles a message: 12 % of the importing process's time
    when articles went one by one); resolving, building and writing stay in this process and follow
    the input's order, so the store ends as with one job. A worker that dies is replaced and its
    articles handed out again; an article handed out when two workers died fails. ``on_report`` is
    called with each report once it is final (written, or failed), in the order of the input.
    """

    AHEAD_PER_JOB = 16
    CHUNK = 4

    def __init__(self, store: Store, gazetteer: Gazetteer, overrides: Mapping[str, Any] | None = None,
                 batch_articles: int | None = None, batch_triples: int | None = None, *,
                 max_bytes: int = MAX_BYTES, jobs: int = 1,
                 on_report: Callable[[FileReport], None] | None = None) -> None:
        self.store = store
        self.gazetteer = gazetteer
        self.overrides = overrides
        self.max_bytes = max_bytes  # larger files (for JSON lines: lines) are refused
        articles, triples = store.batch_size(BATCH_ARTICLES, BATCH_TRIPLES)
        self.batch_articles = max(1, articles if batch_articles is None else batch_articles)
        self.batch_triples = triples if batch_triples is None else batch_triples
        self.jobs = max(1, jobs)
        self.on_report = on_report
        self.reports: list[FileReport] = []
        self._final: list[bool] = []
        self._emitted = 0
        self._batch = _Batch()
        self._resolver: Resolver | None = None
        self._tasks: deque[_Task] = deque()
        self._unsent: list[_Task] = []  # handed out, waiting for a chunk to fill
        self._pool: ProcessPoolExecutor | None = None
        self._writer: ThreadPoolExecutor | None = None
        self._writing: _Batch | None = None  # the batch the writer thread has
        self._write_done: Future[None] | None = None

    @property
    def resolver(self) -> Resolver:
        """Resolves meetings against the gazetteer, the store and this import's articles (made when needed)."""
        if self._resolver is None:
            self._resolver = Resolver(self.gazetteer, stored_reports(self.store))
        return self._resolver

    def __enter__(self) -> BatchImporter:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        try:
            if kind is None:
                self.flush()
        finally:
            self.close()

    def close(self) -> None:
        """Stop the worker processes and the writer thread (a batch being written is finished; one
        pending is not written: ``flush`` does)."""
        if self._writer is not None:
            self._writer.shutdown(wait=True)
            self._writer = None
        if self._pool is not None:
            self._pool.shutdown(cancel_futures=True)
            self._pool = None

    def _workers(self) -> ProcessPoolExecutor:
        if self._pool is None:
            shipped = self.gazetteer is default_gazetteer()  # a worker loads it itself: cheaper than sending it
            self._pool = ProcessPoolExecutor(self.jobs, mp_context=multiprocessing.get_context("spawn"),
                                             initializer=_init_worker, initargs=(None if shipped else self.gazetteer,))
        return self._pool

    def add(self, path: Path) -> int:
        """Read, check, extract and build the articles of one file; write the batch whenever it is full.

        Returns the index in ``reports`` of the file's first report. A file of one article has one
        report; a JSON lines file one per article or bad line, in order, read and written as a stream.
        """
        index = len(self.reports)
        if not holds_many_articles(path):
            self._hand_out(_Task(index, path, str(path), path, self._stored(path.name)))
            return index
        for item in read_articles(path, self.overrides, max_bytes=self.max_bytes):
            if isinstance(item, InputError):
                self._decide(self._new_report(_failed(path, item)))
            else:
                self._hand_out(_Task(len(self.reports), path, _label(path, item), item, self._stored(item.source)))
        return index

    def _stored(self, source: str) -> str | None:
        return self.store.graph_hash(iris.article_graph(source), iris.article(source), DIP.contentHash)

    def _new_report(self, report: FileReport) -> int:
        self.reports.append(report)
        self._final.append(False)
        return len(self.reports) - 1

    def _decide(self, index: int) -> None:
        """The report at ``index`` is final: pass on every final report not yet passed on, in order."""
        self._final[index] = True
        while self._emitted < len(self.reports) and self._final[self._emitted]:
            if self.on_report is not None:
                self.on_report(self.reports[self._emitted])
            self._emitted += 1

    def _hand_out(self, task: _Task) -> None:
        self._new_report(FileReport(task.label, "pending"))
        self._tasks.append(task)
        if self.jobs > 1:
            self._unsent.append(task)
            if len(self._unsent) >= self.CHUNK:
                self._submit()
        while len(self._tasks) > (self.jobs * self.AHEAD_PER_JOB if self.jobs > 1 else 0):
            self._finish(self._tasks.popleft())

    def _submit(self, retry: bool = True) -> None:
        """Send the tasks waiting for a chunk to a worker, as one chunk."""
        tasks, self._unsent = self._unsent, []
        if not tasks:
            return
        try:
            future = self._workers().submit(_read_and_extract_chunk, [(t.item, t.stored) for t in tasks],
                                            self.overrides, self.max_bytes)
        except (BrokenProcessPool, OSError):
            # a worker died since the last hand-out, and the pool refuses new work (or, while it shuts
            # down, fails to start a process): new workers get these with every other unfinished task
            if not retry:
                raise
            return self._restart_workers(None)
        for slot, task in enumerate(tasks):
            task.future, task.slot = future, slot

    def _finish(self, task: _Task) -> None:
        """Take a task's article (read and extracted) into the batch, in input order."""
        if self.jobs > 1 and task.future is None and not task.failure:  # its chunk is not full: send it as it is
            self._submit()
        if task.failure:
            self.reports[task.index] = FileReport(task.label, "failed", task.failure)
            return self._decide(task.index)
        try:
            if task.future is None:
                done: _Done = _read_and_extract(task.item, self.overrides, self.max_bytes, task.stored,
                                                self.gazetteer)
            else:
                done = task.future.result()[task.slot]
        except BrokenProcessPool:
            self._restart_workers(task)
            return self._finish(task)
        except Exception as exc:  # a bug met by one article must not stop the others
            done = _cannot(exc)
        if isinstance(done, str):
            self.reports[task.index] = FileReport(task.label, "failed", done)
            return self._decide(task.index)
        item, extraction = done
        if isinstance(item, InputError):
            self.reports[task.index] = _failed(task.path, item)
            return self._decide(task.index)
        self._take(task.index, task.label, item, extraction)

    def _restart_workers(self, task: _Task | None) -> None:
        """A worker died: start new ones and hand out again what was handed out, failing what was twice."""
        if self._pool is not None:
            # The other workers go too: one waiting for work holds the queue's lock, and if the dead one
            # held it, the rest wait for it forever (Python before 3.12 leaves them running).
            processes: dict[int, multiprocessing.Process] = getattr(self._pool, "_processes", None) or {}
            for process in list(processes.values()):
                process.kill()
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
        again: list[_Task] = []
        for pending in (*((task,) if task is not None else ()), *self._tasks):
            future = pending.future
            if pending.failure or (future is not None and future.done() and not future.cancelled()
                                   and not isinstance(future.exception(), BrokenProcessPool)):
                continue  # failed already, or its chunk came back before the death
            if future is not None:  # it was with the workers (not waiting for its chunk)
                pending.attempts += 1
                pending.future = None
            if pending.attempts >= 2:
                pending.failure = "not read: the worker process reading it died, twice (out of memory?)"
            else:
                again.append(pending)
        for start in range(0, len(again), self.CHUNK):
            self._unsent = again[start:start + self.CHUNK]
            self._submit(retry=False)

    def _take(self, index: int, label: str, article: Article, extraction: Extraction | None) -> None:
        warnings = tuple(_warning(label, w) for w in article.warnings)
        size = len(article.text.encode("utf-8"))
        batch = self._batch
        graph_iri = iris.article_graph(article.source)
        content_hash = build.article_hash(article)
        # asked again: an earlier article of this import may have written this graph since
        depends = next((b for b in (batch, self._writing) if b is not None and graph_iri in b.hashes), None)
        stored = depends.hashes[graph_iri] if depends else \
            self.store.graph_hash(graph_iri, iris.article(article.source), DIP.contentHash)
        if stored == content_hash:
            self.reports[index] = FileReport(label, "unchanged", warnings=warnings, size=size)
            if depends:  # unchanged only if that batch is written
                depends.decides(graph_iri, index)
            else:
                self._decide(index)
            return
        if extraction is None:  # the worker found it unchanged against what the store held then
            extraction = extract_article(article, self.gazetteer)
        events = self.resolver.resolve(extraction)
        self.resolver.remember(extraction, events)
        content = build.article_graph(extraction, self.gazetteer, events)
        batch.triples += len(content) - len(batch.graphs.get(graph_iri, ()))
        batch.graphs[graph_iri] = content
        batch.hashes[graph_iri] = content_hash
        batch.decides(graph_iri, index)
        self.reports[index] = replace(_report(label, extraction, len(content)), warnings=warnings, size=size)
        if len(batch.graphs) >= self.batch_articles or batch.triples >= self.batch_triples:
            self._write()

    def flush(self) -> None:
        """Finish every article handed out, write the pending batch, and wait until it is written."""
        while self._tasks:
            self._finish(self._tasks.popleft())
        self._write()
        self._written()

    def _write(self) -> None:
        """Hand the pending batch to the writer thread, once the batch before it is written.

        Oxigraph writes without holding Python's lock, so the next batch is extracted and built
        while this one is written; at most one batch is being written and one being built.
        """
        batch, self._batch = self._batch, _Batch()
        self._written()
        if self._writer is None:
            self._writer = ThreadPoolExecutor(1, thread_name_prefix="dkg-writer")
        self._writing = batch
        self._write_done = self._writer.submit(self.store.replace_graphs, batch.graphs) if batch.graphs else None

    def _written(self) -> None:
        """Wait for the batch being written; its reports are then final.

        When the batch cannot be written, its articles are written one by one, each in its own
        transaction, so that an article the store refuses fails alone; after two articles in a
        row fail (the store or server is down, the disk full), the rest fail without trying.
        """
        batch, done = self._writing, self._write_done
        if batch is None:
            return
        self._writing = self._write_done = None
        try:
            if done is not None:
                done.result()
        except StoreError as exc:
            self._write_one_by_one(batch, exc)
        for i in sorted(i for indices in batch.reports.values() for i in indices):
            self._decide(i)

    def _write_one_by_one(self, batch: _Batch, batch_error: StoreError) -> None:
        failures = 0
        for graph, content in batch.graphs.items():
            if failures >= 2:
                error = (f"not stored: writing its batch of {len(batch.graphs)} articles failed, and so did "
                         f"the articles before it, one by one: {batch_error}")
            else:
                try:
                    self.store.replace_graphs({graph: content})
                    failures = 0
                    continue
                except StoreError as exc:
                    failures += 1
                    error = f"not stored: {exc}"
            for i in batch.reports.get(graph, ()):
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
                 gazetteer: Gazetteer | None = None, batch_articles: int | None = None,
                 batch_triples: int | None = None, *, max_bytes: int = MAX_BYTES, jobs: int = 1,
                 on_report: Callable[[FileReport], None] | None = None) -> list[FileReport]:
    """Import every article file under ``paths``, in batches; one report per file, in order.

    Batches hold ``batch_articles`` articles or ``batch_triples`` triples (default: the store's
    ``batch_size``). A JSON lines file has one report per article (and per bad line). A file larger than ``max_bytes``
    (a line of JSON lines larger than it) is refused. ``jobs`` > 1 reads and extracts in that many
    worker processes (the store ends the same). ``on_report`` gets each report as soon as it is
    final, in order.
    """
    gazetteer = gazetteer or default_gazetteer()
    ensure_reference_graphs(store, gazetteer)
    try:
        files = list(iter_article_files(paths))
    except InputError as exc:
        report = FileReport(exc.path, "failed", exc.problem)
        if on_report is not None:
            on_report(report)
        return [report]
    with BatchImporter(store, gazetteer, overrides, batch_articles, batch_triples, max_bytes=max_bytes, jobs=jobs,
                       on_report=on_report) as importer:
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
