"""The embedded store: an on-disk Oxigraph database used through rdflib (oxrdflib).

One named graph per article plus the reference graphs (ontology, gazetteer).
Replacing graphs (one, or several articles at once) drops the old graphs and adds
the new content in one transaction, so the store holds each article whole or not
at all, and a batch of articles all or none (a batch of new articles written by the bulk loader,
which is not a transaction, is named in a journal first and removed if the write is cut short,
at once or when the store is next opened). Queries run on Oxigraph's own engine
with values bound by the engine (SEP-0007 substitutions), over the union of all
graphs unless one graph is asked for.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from types import TracebackType
from typing import TypeVar, cast

import pyoxigraph as ox
from oxrdflib._converter import from_ox, to_ox
from rdflib import Dataset, URIRef
from rdflib.term import Node

from kg.answers import FOLDER as ANSWERS
from kg.answers import AnswerCache
from kg.errors import StoreError
from kg.vocab import QUERY_PREFIXES

DEFAULT_STORE = Path(".store")
_OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
_OxSubject = ox.NamedNode | ox.BlankNode
Triple = tuple[Node, Node, Node]
_T = TypeVar("_T")
Solutions = tuple[list[str], list[list[Node | None]]]
_TERM_CACHE = 50_000  # converted terms kept between writes; emptied when it grows past this
# Oxigraph keeps what a transaction writes in memory until the store is flushed (about 0.7 GB per
# million quads here): writes flush every this many quads, so an import's memory stays bounded.
FLUSH_QUADS = 200_000
# A write of new graphs with at least this many quads goes through Oxigraph's bulk loader (it writes
# sorted files straight to disk: on this VM about half the time of a transaction and a fifth less CPU,
# out of Python's lock), made all-or-none by the journal below; smaller writes (one article) stay one
# transaction.
BULK_QUADS = 5_000
# The importer's batches for this store (articles, triples): big writes cost the bulk loader less
# (fewer, larger files for the engine to merge). Loading 10,000 articles' quads took 99 s of CPU in
# batches of 250 articles, 78 s in batches of 1,000 and 66 s in batches of 5,000, for about 0.3 GB
# and 1.8 GB more memory; batches of 20 cost 8 s a 1,000 articles more than batches of 250.
BATCH_ARTICLES = 1_000
BATCH_TRIPLES = 400_000
# The graphs a bulk write is adding, written before it starts and removed once it is done: a write
# cut short (an error, a killed process) is undone, now or when the store is next opened.
JOURNAL = "dkg-unfinished-write.json"


def _ox_iri(iri: URIRef) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def _ox_term(node: Node) -> _OxTerm:
    return cast(_OxTerm, to_ox(node))


@lru_cache(maxsize=1 << 16)
def _rdf(term: object) -> Node:
    """The rdflib term of an Oxigraph term; cached, as answers repeat their terms (codes, types, dates)
    and making an rdflib literal costs more than looking it up (rdflib terms are immutable)."""
    return cast(Node, from_ox(term))  # type: ignore[arg-type]


def _drop_and_insert(drop: Iterable[URIRef], contents: Mapping[URIRef, list[ox.Quad]]) -> str:
    """One SPARQL update (one transaction) that drops the graphs ``drop`` and inserts ``contents``.

    The terms are written by Oxigraph's serializer (N-Triples syntax, which SPARQL reads alike).
    """
    lines = [f"DROP SILENT GRAPH {_ox_iri(g)} ;" for g in drop]
    lines.append("INSERT DATA {")
    for graph, quads in contents.items():
        lines.append(f"GRAPH {_ox_iri(graph)} {{")
        lines.extend(f"{q.subject} {q.predicate} {q.object} ." for q in quads)
        lines.append("}")
    lines.append("}")
    return "\n".join(lines)


def _memo(cache: dict[Node, _T], convert: Callable[[Node], _T]) -> Callable[[Node], _T]:
    """``convert`` remembered in ``cache``, which is emptied first if it has grown past ``_TERM_CACHE``.

    IRIs of actors, classes and predicates and many literals repeat within and across articles,
    and converting an rdflib term costs more than a dictionary look-up.
    """
    if len(cache) > _TERM_CACHE:
        cache.clear()

    def converted(node: Node) -> _T:
        value = cache.get(node)
        if value is None:
            value = cache[node] = convert(node)
        return value

    return converted


def _nt(node: Node) -> str:
    return str(_ox_term(node))


def nquads_lines(graph: URIRef, triples: Iterable[Triple], names: dict[Node, str]) -> list[str]:
    """``triples`` in ``graph`` as N-Quads lines, each term in Oxigraph's own N-Triples form (which
    its loader reads back as the same term), remembered in ``names`` from one call to the next."""
    name = _memo(names, _nt)
    context = name(graph)
    return [f"{name(s)} {name(p)} {name(o)} {context} .\n" for s, p, o in triples]


def _what(contents: Mapping[URIRef, object]) -> str:
    return f"graph {next(iter(contents))}" if len(contents) == 1 else f"{len(contents)} graphs"


def _write_journal(path: Path, graphs: list[URIRef]) -> None:
    """Write the journal whole and durably before the write it announces begins."""
    scratch = path.with_name(f".{path.name}.{os.getpid()}")
    with open(scratch, "w", encoding="utf-8") as out:
        json.dump([str(g) for g in graphs], out)
        out.flush()
        os.fsync(out.fileno())
    os.replace(scratch, path)
    folder = os.open(path.parent, os.O_RDONLY)
    try:
        os.fsync(folder)
    finally:
        os.close(folder)


def store_path(option: str | Path | None) -> Path:
    """The store folder: the option, else ``$DKG_STORE``, else ``./.store``."""
    return Path(option or os.environ.get("DKG_STORE") or DEFAULT_STORE)


class Store:
    """An open embedded store. Use as a context manager."""

    def __init__(self, path: Path, wait: float = 0.0) -> None:
        """Open (or create) the store in ``path``.

        One process at a time has a store open: when another has it, this waits up to ``wait``
        seconds for it to be closed, then raises ``StoreError`` ("store in use").
        """
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.dataset = Dataset(store="Oxigraph")
        self._terms: dict[Node, _OxTerm] = {}
        self._names: dict[Node, str] = {}  # terms in N-Triples syntax, for the bulk loader
        self._unflushed = 0  # quads written since the last flush
        self.answers = AnswerCache(path / ANSWERS)  # answers kept between runs; a new generation before each write
        self.reuse_answers = True  # whether queries (kg.queries.execute) read and keep them; writes always renew
        deadline = time.monotonic() + max(0.0, wait)
        pause = 0.05
        while True:
            try:
                self.dataset.open(str(path))
                break
            except OSError as exc:
                message = str(exc)
                if "lock" not in message.lower():
                    raise StoreError(f"{path}: cannot open store: {message}") from exc
                if time.monotonic() >= deadline:
                    waited = f" after waiting {wait:g} s" if wait > 0 else ""
                    raise StoreError(f"{path}: store in use by another process{waited} (one process at a time "
                                     f"can open it; --wait SECONDS waits for it): {message}") from exc
                time.sleep(min(pause, max(0.0, deadline - time.monotonic())))
                pause = min(pause * 2, 1.0)
        self.recovered: tuple[URIRef, ...] = ()  # graphs of an interrupted bulk write, removed on opening
        try:
            self.recovered = self._undo_unfinished_write()
        except StoreError:
            self.dataset.close()
            raise

    @property
    def _ox(self) -> ox.Store:
        return self.dataset.store._inner  # type: ignore[attr-defined,no-any-return]

    def __enter__(self) -> Store:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Flush and close the database."""
        self.dataset.close()

    def _renew_answers(self) -> None:
        """Before a write: make the kept answers stale (``kg.answers``), or refuse the write."""
        try:
            self.answers.renew()
        except OSError as exc:
            raise StoreError(f"{self.path}: nothing written: {exc} (delete that folder and try again)") from exc

    def batch_size(self, articles: int, triples: int) -> tuple[int, int]:
        """How many articles and triples the importer should write at once, given its defaults:
        the embedded store takes larger batches (``BATCH_ARTICLES``, ``BATCH_TRIPLES``)."""
        return max(articles, BATCH_ARTICLES), max(triples, BATCH_TRIPLES)

    # -- graphs ---------------------------------------------------------------
    def graphs(self) -> list[URIRef]:
        """IRIs of the named graphs, sorted."""
        return sorted(URIRef(g.value) for g in self._ox.named_graphs() if isinstance(g, ox.NamedNode))

    def graph_hash(self, graph: URIRef, subject: URIRef, predicate: URIRef) -> str | None:
        """The hash that ``subject`` carries through ``predicate`` in ``graph``, if any."""
        quads = self._ox.quads_for_pattern(_ox_iri(subject), _ox_iri(predicate), None, _ox_iri(graph))
        for quad in quads:
            return str(_rdf(quad.object))
        return None

    def replace_graph(self, graph: URIRef, content: Iterable[Triple]) -> None:
        """Make ``graph`` hold exactly ``content`` (an rdflib ``Graph`` or triples), in one transaction."""
        self.replace_graphs({graph: content})

    def replace_graphs(self, contents: Mapping[URIRef, Iterable[Triple]]) -> None:
        """Make each graph hold exactly its content; all the graphs in one transaction.

        Atomic: if it raises, the store is as it was (old graphs kept, nothing new added). When
        none of the graphs exists yet, as in a first import, the quads go in with one ``extend``
        (one transaction), or, from ``BULK_QUADS`` quads on, through the bulk loader under a
        journal (``_bulk_add``: faster, and undone if cut short); otherwise one SPARQL
        update drops the existing graphs and inserts every graph's content (``DROP GRAPH``,
        ``INSERT DATA``: one request, one transaction). Either way the stored quads are the same
        (blank nodes, which only the ontology has, get new labels through the update). Raises
        ``StoreError`` when the store cannot be written.
        """
        self._renew_answers()
        try:
            given = {graph: content if isinstance(content, Collection) else list(content)
                     for graph, content in contents.items()}
            existing = [g for g in given if self._ox.contains_named_graph(_ox_iri(g))]
            size = sum(len(content) for content in given.values())
            if not existing and size >= BULK_QUADS:
                return self._bulk_add(given)
            quads = {graph: self._quads(graph, content) for graph, content in given.items()}
            if not existing:
                self._ox.extend(q for graph_quads in quads.values() for q in graph_quads)
            else:
                self._ox.update(_drop_and_insert(existing, quads))
            self._unflushed += size
            if self._unflushed >= FLUSH_QUADS:
                self._ox.flush()
                self._unflushed = 0
        except (OSError, RuntimeError, SyntaxError, ValueError) as exc:
            raise StoreError(f"{self.path}: cannot write {_what(contents)} (nothing of it written): {exc}") from exc

    def _bulk_add(self, contents: Mapping[URIRef, Collection[Triple]]) -> None:
        """Add new graphs with the bulk loader, all or none: the journal names them first, so that a
        write cut short is undone (here on an error, on the next opening after a killed process).

        The quads go to the loader as N-Quads text: Oxigraph parses and writes it without holding
        Python's lock (``bulk_extend``, given quad objects, holds it throughout), so the importer
        builds the next batch meanwhile, and writing the text costs less than making quad objects.
        """
        data = self._nquads(contents)
        journal = self.path / JOURNAL
        _write_journal(journal, list(contents))
        try:
            self._ox.bulk_load(data, format=ox.RdfFormat.N_QUADS)
            journal.unlink()
        except BaseException as exc:
            try:
                self._undo_unfinished_write()
            except StoreError as undo:
                raise StoreError(f"{self.path}: cannot write {_what(contents)}, and removing what was written of "
                                 f"it failed too ({undo}); it is removed when the store is next opened: "
                                 f"{exc}") from exc
            raise

    def _undo_unfinished_write(self) -> tuple[URIRef, ...]:
        """Remove the graphs of a bulk write the journal says is unfinished; return them."""
        journal = self.path / JOURNAL
        try:
            graphs = tuple(URIRef(g) for g in json.loads(journal.read_text(encoding="utf-8")))
        except FileNotFoundError:
            return ()
        except (OSError, ValueError, TypeError) as exc:
            raise StoreError(f"{journal}: cannot read the journal of an unfinished write ({exc}); it names the "
                             "graphs a write had begun to add: remove them (dkg remove), then this file") from exc
        try:
            self.remove_graphs(graphs)
        except StoreError as exc:
            raise StoreError(f"{journal}: cannot undo an unfinished write of {len(graphs)} graphs: {exc}") from exc
        try:
            journal.unlink()
        except OSError as exc:
            raise StoreError(f"{journal}: cannot remove the journal of an unfinished write: {exc}") from exc
        return graphs

    def _nquads(self, contents: Mapping[URIRef, Iterable[Triple]]) -> bytes:
        """``contents`` as N-Quads (``nquads_lines``), encoded a graph at a time: joined as one string,
        a batch's lines would be held twice more (as a list of lines, and as text of 2-4 bytes a
        character once one line holds Hangul), some 0.3 GB for a batch of 1,000 articles."""
        return b"".join("".join(nquads_lines(graph, content, self._names)).encode("utf-8")
                        for graph, content in contents.items())

    def _quads(self, graph: URIRef, content: Iterable[Triple]) -> list[ox.Quad]:
        """``content`` as Oxigraph quads in ``graph``, each term converted once (``_memo``)."""
        term = _memo(self._terms, _ox_term)
        context = _ox_iri(graph)
        return [ox.Quad(cast(_OxSubject, term(s)), cast(ox.NamedNode, term(p)), term(o), context)
                for s, p, o in content]

    def remove_graph(self, graph: URIRef) -> bool:
        """Drop ``graph``; return whether it existed."""
        context = _ox_iri(graph)
        if not self._ox.contains_named_graph(context):
            return False
        self._renew_answers()
        self._ox.remove_graph(context)
        return True

    def remove_graphs(self, graphs: Iterable[URIRef]) -> None:
        """Drop every graph of ``graphs`` in one transaction (one SPARQL update): all or none."""
        drops = [f"DROP SILENT GRAPH {_ox_iri(g)}" for g in graphs]
        if not drops:
            return
        self._renew_answers()
        try:
            self._ox.update(" ;\n".join(drops))
        except (OSError, RuntimeError) as exc:
            raise StoreError(f"{self.path}: cannot remove {len(drops)} graphs: {exc}") from exc

    def quads(self) -> Iterator[tuple[Node, Node, Node, Node]]:
        """Every quad of the store as rdflib terms (for export and tests)."""
        for q in self._ox.quads_for_pattern(None, None, None, None):
            yield _rdf(q.subject), _rdf(q.predicate), _rdf(q.object), _rdf(q.graph_name)

    def ox_quads(self, graph: URIRef | None = None) -> Iterator[ox.Quad]:
        """The quads of the store (or of ``graph``) as Oxigraph quads, in the store's index order
        (the same method of ``kg.remote.RemoteStore`` gets them through SPARQL, for export)."""
        return iter(self._ox.quads_for_pattern(None, None, None, None if graph is None else _ox_iri(graph)))

    def ox_triples(self) -> Iterator[ox.Triple]:
        """The distinct triples of the union of the graphs as Oxigraph triples (for export)."""
        result = self._ox.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
        assert isinstance(result, ox.QueryTriples)
        return iter(result)

    # -- queries --------------------------------------------------------------
    def query(self, query: str, bindings: Mapping[str, Node] | None = None,
              graph: URIRef | Sequence[URIRef] | None = None) -> Solutions | bool | list[Triple]:
        """Run a query of any form: SELECT gives ``(variables, rows)``, ASK a bool, CONSTRUCT and
        DESCRIBE a list of triples, all as rdflib terms.

        ``bindings`` are bound by the engine (SEP-0007 substitutions), never pasted into the text.
        The default graph is the union of every graph, or ``graph`` alone when given (the union of
        ``graph`` when it is a sequence of graphs; ``GRAPH`` patterns still see every graph). An update
        given here does not parse as a query and raises ``StoreError``: see ``update``.
        """
        substitutions: dict[ox.Variable, _OxTerm | ox.Triple] = {
            ox.Variable(k): _ox_term(v) for k, v in (bindings or {}).items()
        }
        try:
            if graph is None:
                result = self._ox.query(query, use_default_graph_as_union=True, substitutions=substitutions,
                                        prefixes=QUERY_PREFIXES)
            else:
                chosen: list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph] = (
                    [_ox_iri(graph)] if isinstance(graph, URIRef) else [_ox_iri(g) for g in graph])
                result = self._ox.query(query, default_graph=chosen, substitutions=substitutions,
                                        prefixes=QUERY_PREFIXES)
            if isinstance(result, ox.QuerySolutions):
                names = [v.value for v in result.variables]
                rows = [[_rdf(sol[name]) if sol[name] is not None else None for name in names] for sol in result]
                return names, rows
            if isinstance(result, ox.QueryBoolean):
                return bool(result)
            return [(_rdf(t.subject), _rdf(t.predicate), _rdf(t.object)) for t in result]
        except SyntaxError as exc:
            raise StoreError(f"query does not parse: {exc}") from exc
        except (OSError, RuntimeError, ValueError) as exc:
            raise StoreError(f"query failed: {exc}") from exc

    def select(self, query: str, bindings: Mapping[str, Node] | None = None,
               graph: URIRef | Sequence[URIRef] | None = None) -> Solutions:
        """Run a SELECT query; return its variable names and rows of rdflib terms (see ``query``)."""
        result = self.query(query, bindings, graph)
        if not isinstance(result, tuple):
            raise StoreError("not a SELECT query")
        return result

    def update(self, update: str) -> None:
        """Run a SPARQL update (INSERT, DELETE, LOAD, CLEAR, DROP...) in one transaction: all or nothing."""
        self._renew_answers()
        try:
            self._ox.update(update, prefixes=QUERY_PREFIXES)
        except SyntaxError as exc:
            raise StoreError(f"update does not parse: {exc}") from exc
        except (OSError, RuntimeError, ValueError) as exc:
            raise StoreError(f"{self.path}: update failed, nothing written: {exc}") from exc

    def count(self) -> int:
        """Number of quads."""
        return len(self._ox)

