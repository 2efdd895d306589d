"""The embedded store: an on-disk Oxigraph database used through rdflib (oxrdflib).

One named graph per article plus the reference graphs (ontology, gazetteer).
Replacing an article's graph removes the old one, then adds the new one in one
transaction, so the store holds each article whole or not at all. Queries run
on Oxigraph's own engine with values bound by the engine (SEP-0007
substitutions), over the union of all graphs unless one graph is asked for.
"""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from pathlib import Path
from types import TracebackType
from typing import cast

import pyoxigraph as ox
from oxrdflib._converter import from_ox, to_ox
from rdflib import Dataset, Graph, URIRef
from rdflib.term import Node

from kg.errors import StoreError

DEFAULT_STORE = Path(".store")
_OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal


def _ox_iri(iri: URIRef) -> ox.NamedNode:
    return ox.NamedNode(str(iri))


def _ox_term(node: Node) -> _OxTerm:
    return cast(_OxTerm, to_ox(node))


def _rdf(term: object) -> Node:
    return cast(Node, from_ox(term))  # type: ignore[arg-type]


def store_path(option: str | Path | None) -> Path:
    """The store folder: the option, else ``$DKG_STORE``, else ``./.store``."""
    return Path(option or os.environ.get("DKG_STORE") or DEFAULT_STORE)


class Store:
    """An open embedded store. Use as a context manager."""

    def __init__(self, path: Path) -> None:
        self.path = path
        path.mkdir(parents=True, exist_ok=True)
        self.dataset = Dataset(store="Oxigraph")
        try:
            self.dataset.open(str(path))
        except OSError as exc:
            message = str(exc)
            if "lock" in message.lower():
                raise StoreError(f"{path}: store in use by another process ({message})") from exc
            raise StoreError(f"{path}: cannot open store: {message}") from exc

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

    def replace_graph(self, graph: URIRef, content: Graph) -> None:
        """Make ``graph`` hold exactly ``content``: drop it, then add all triples in one transaction."""
        context = _ox_iri(graph)
        quads = [ox.Quad(cast(ox.NamedNode, _ox_term(s)), cast(ox.NamedNode, _ox_term(p)), _ox_term(o), context)
                 for s, p, o in content]
        try:
            if self._ox.contains_named_graph(context):
                self._ox.remove_graph(context)
            self._ox.extend(quads)
        except OSError as exc:
            raise StoreError(f"{self.path}: cannot write graph {graph}: {exc}") from exc

    def remove_graph(self, graph: URIRef) -> bool:
        """Drop ``graph``; return whether it existed."""
        context = _ox_iri(graph)
        if not self._ox.contains_named_graph(context):
            return False
        self._ox.remove_graph(context)
        return True

    def quads(self) -> Iterator[tuple[Node, Node, Node, Node]]:
        """Every quad of the store as rdflib terms (for export and tests)."""
        for q in self._ox.quads_for_pattern(None, None, None, None):
            yield _rdf(q.subject), _rdf(q.predicate), _rdf(q.object), _rdf(q.graph_name)

    # -- queries --------------------------------------------------------------
    def select(self, query: str, bindings: Mapping[str, Node] | None = None,
               graph: URIRef | None = None) -> tuple[list[str], list[list[Node | None]]]:
        """Run a SELECT query; return its variable names and rows of rdflib terms.

        ``bindings`` are bound by the engine, never pasted into the text.
        ``graph`` restricts the default graph to one named graph.
        """
        substitutions: dict[ox.Variable, _OxTerm | ox.Triple] = {
            ox.Variable(k): _ox_term(v) for k, v in (bindings or {}).items()
        }
        try:
            if graph is None:
                result = self._ox.query(query, use_default_graph_as_union=True, substitutions=substitutions)
            else:
                result = self._ox.query(query, default_graph=_ox_iri(graph), substitutions=substitutions)
        except SyntaxError as exc:
            raise StoreError(f"query does not parse: {exc}") from exc
        except (RuntimeError, ValueError) as exc:
            raise StoreError(f"query failed: {exc}") from exc
        if not isinstance(result, ox.QuerySolutions):
            raise StoreError("not a SELECT query")
        names = [v.value for v in result.variables]
        rows = [[_rdf(sol[name]) if sol[name] is not None else None for name in names] for sol in result]
        return names, rows

    def count(self) -> int:
        """Number of quads."""
        return len(self._ox)

