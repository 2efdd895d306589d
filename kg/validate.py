"""Validate the store: the SHACL shapes (pySHACL) and the ``queries/checks/*-violation.rq`` checks.

``validate`` runs ``ontology/shapes.ttl`` with pySHACL over the union of the article graphs and
the gazetteer graph (the actors' types and codes live there), with ``ontology/diplomacy.ttl`` as
the ontology graph and RDFS inference, as the shapes' header says; then every check query of
the registry (``kg.queries``) over the store, each row a violation.

The RDFS entailments are computed here (``rdfs_entailments``) rather than by pySHACL's
``inference="rdfs"`` (owlrl): the types from domains, ranges and superclasses and the triples of
superproperties, which is what the shapes can see, in a tenth of a second where owlrl takes
seconds on the seed store (and adds copies of literals with invented language tags).

Each violation carries the evidence behind its focus node: the sentences, with their article's
file name, that the node's ``dip:evidence`` spans quote, or, for a node without evidence of its
own (an actor, say), the evidence of the facts that refer to it in the article graphs that say
something of it.

``validate(store, graph)`` validates one article's graph (with the gazetteer) instead: the
shapes see that article alone; the checks run over the store, as they are written for it, and
keep the rows whose focus node the article's graph says something of.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Any

import pyshacl
from rdflib import RDF, RDFS, Graph, URIRef
from rdflib.namespace import SH
from rdflib.plugins.sparql import prepareQuery
from rdflib.plugins.sparql.sparql import Query
from rdflib.term import BNode, Literal, Node

from kg import iris
from kg.errors import DkgError
from kg.queries import NamedQuery, registry
from kg.resources import ontology_file
from kg.store import Store

__all__ = [
    "SHACL",
    "Report",
    "ValidationError",
    "Violation",
    "check_queries",
    "evidence",
    "format_report",
    "rdfs_entailments",
    "report_data",
    "validate",
]

SHACL = "shacl"
"""The ``source`` of a violation found by the SHACL shapes (a check's is its name)."""

ARTICLE_GRAPHS = iris.BASE + "graph/article/"

# The engine binds only projected variables (SEP-0007), so the queries project their parameters.
# The sentences behind a node: its own evidence spans (or itself, when it is one).
_EVIDENCE = """
PREFIX dip: <https://w3id.org/dkg/ontology#>
SELECT DISTINCT ?focus ?file ?sentence WHERE {
  { ?focus dip:evidence ?ev } UNION { ?focus a dip:Evidence . BIND (?focus AS ?ev) }
  ?ev dip:text ?sentence ;
      dip:inArticle ?article .
  ?article dip:sourceFile ?file .
}
ORDER BY ?file ?sentence
"""

# The sentences of the facts that refer to a node, in the article graphs that say something of it
# (not an article's every sentence: provenance links are not references).
_REFERRING_EVIDENCE = """
PREFIX dip: <https://w3id.org/dkg/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
SELECT DISTINCT ?focus ?g ?articleGraphs ?file ?sentence WHERE {
  GRAPH ?g {
    ?focus ?p ?o .
    ?fact ?q ?focus ;
          dip:evidence ?ev .
    FILTER (?q NOT IN (prov:wasDerivedFrom, dip:inArticle, dip:evidence))
    ?ev dip:text ?sentence ;
        dip:inArticle ?article .
    ?article dip:sourceFile ?file .
  }
  FILTER (STRSTARTS(STR(?g), ?articleGraphs))
}
ORDER BY ?file ?sentence
"""

_DESCRIBED = "SELECT ?focus ?p WHERE { ?focus ?p ?o } LIMIT 1"
_TRIPLES = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"


class ValidationError(DkgError):
    """Validation cannot run: the shapes or the ontology do not parse, or the article is not in the store."""


@dataclass(frozen=True)
class Violation:
    """One problem found, with what it is about and the sentences behind it.

    ``source`` is ``"shacl"`` or the check's name (``checks/same-actor-violation``); ``shape``
    the SHACL shape (``dsh:SummitShape``; the node shape owning a property shape) or the check's
    name; ``constraint`` the SHACL constraint component (``sh:MinCountConstraintComponent``),
    empty for a check; ``path`` the result path, if any; ``value`` the offending value, or a
    check row's other columns as ``name=value``. ``focus`` is the focus node's IRI (a check's
    first IRI column), empty when a check row has none. ``evidence`` pairs each article file
    name with a sentence of it, sorted.
    """

    source: str
    focus: str
    shape: str
    constraint: str
    path: str
    message: str
    value: str
    evidence: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Report:
    """The violations found (sorted: SHACL first, then by check), the checks run and the graph validated."""

    violations: tuple[Violation, ...]
    checks: tuple[str, ...]
    graph: str = ""  # the article graph validated; empty for the whole store

    @property
    def conforms(self) -> bool:
        """True when nothing was found."""
        return not self.violations

    @property
    def counts(self) -> dict[str, int]:
        """Number of violations by source: ``shacl`` first, then each check that found some, by name."""
        return dict(sorted(Counter(v.source for v in self.violations).items(), key=lambda kv: (kv[0] != SHACL, kv[0])))


# -- pySHACL --------------------------------------------------------------------------


@lru_cache(maxsize=64)
def _prepared(text: str) -> Query:
    return prepareQuery(text)


class _DataGraph(Graph):
    """An rdflib graph that parses each SPARQL text once.

    pySHACL runs a SPARQL-based constraint once per focus node, with the same text each time
    and ``$this`` bound; rdflib would parse it every time (about 35 ms).
    """

    def query(self, query_object: Any, *args: Any, **kwargs: Any) -> Any:
        if isinstance(query_object, str):
            query_object = _prepared(query_object)
        return super().query(query_object, *args, **kwargs)


def _parse(name: str) -> Graph:
    path = ontology_file(name)
    try:
        return Graph().parse(path, format="turtle")
    except FileNotFoundError as exc:
        raise ValidationError(f"{path}: not found") from exc
    except Exception as exc:  # rdflib raises several parser error types
        raise ValidationError(f"{path}: does not parse: {exc}") from exc


def rdfs_entailments(data: Graph, ontology: Graph) -> set[tuple[Node, Node, Node]]:
    """The RDFS entailments of ``data`` under ``ontology`` that are not in ``data``.

    Rules rdfs2, rdfs3 (types from ``rdfs:domain``, ``rdfs:range``), rdfs7 (a triple for each
    superproperty, by ``rdfs:subPropertyOf`` chains) and rdfs9 (types from ``rdfs:subClassOf``
    chains), with the named classes and properties of the ontology.
    """

    def closed(term: Node, relation: URIRef) -> set[URIRef]:
        return {t for t in ontology.transitive_objects(term, relation) if isinstance(t, URIRef)}

    properties = {p: closed(p, RDFS.subPropertyOf) for p in set(data.predicates())}
    domains = {p: {d for q in supers for d in ontology.objects(q, RDFS.domain) if isinstance(d, URIRef)}
               for p, supers in properties.items()}
    ranges = {p: {r for q in supers for r in ontology.objects(q, RDFS.range) if isinstance(r, URIRef)}
              for p, supers in properties.items()}
    typed: set[tuple[Node, URIRef]] = set()
    found: set[tuple[Node, Node, Node]] = set()
    for s, p, o in data:
        found.update((s, q, o) for q in properties[p] if q != p)
        typed.update((s, d) for d in domains[p])
        if not isinstance(o, Literal):
            typed.update((o, r) for r in ranges[p])
        if p == RDF.type and isinstance(o, URIRef):
            typed.add((s, o))
    superclasses: dict[URIRef, set[URIRef]] = {}
    for node, cls in typed:
        if cls not in superclasses:
            superclasses[cls] = closed(cls, RDFS.subClassOf)
        found.update((node, RDF.type, c) for c in superclasses[cls])
    return {t for t in found if t not in data}


def _data(store: Store, graph: URIRef | None) -> _DataGraph:
    """The triples to validate: the article graphs (or the one asked for) and the gazetteer."""
    data = _DataGraph()
    add = data.add
    if graph is None:
        for s, p, o, g in store.quads():
            if g == iris.GAZETTEER_GRAPH or str(g).startswith(ARTICLE_GRAPHS):
                add((s, p, o))
        return data
    for name in (graph, iris.GAZETTEER_GRAPH):
        for row in store.select(_TRIPLES, graph=name)[1]:
            add((row[0], row[1], row[2]))  # type: ignore[arg-type]
    return data


def _curie(shapes: Graph, node: Node | None) -> str:
    if node is None:
        return ""
    if isinstance(node, URIRef):
        try:
            return shapes.namespace_manager.curie(node, generate=False)
        except (KeyError, ValueError):
            return str(node)
    return str(node)


def _path(shapes: Graph, results: Graph, node: Node | None) -> str:
    """A SHACL path as SPARQL property-path text (``dip:participant``, ``(owl:sameAs|^owl:sameAs)*/dip:code``)."""
    if node is None or isinstance(node, URIRef) or isinstance(node, Literal):
        return _curie(shapes, node)
    items = list(results.items(node)) if results.value(node, RDF.first) is not None else []
    if items:
        return "/".join(_path(shapes, results, item) for item in items)
    for predicate, template in ((SH.inversePath, "^{}"), (SH.zeroOrMorePath, "({})*"),
                                (SH.oneOrMorePath, "({})+"), (SH.zeroOrOnePath, "({})?")):
        inner = results.value(node, predicate)
        if inner is not None:
            return template.format(_path(shapes, results, inner))
    alternatives = results.value(node, SH.alternativePath)
    if alternatives is not None:
        return "|".join(_path(shapes, results, item) for item in results.items(alternatives))
    return str(node)


def _shape_name(shapes: Graph, shape: Node | None) -> str:
    """The named shape a result comes from: the node shape itself, or the one owning a property shape."""
    if isinstance(shape, BNode):
        owner = next(shapes.subjects(SH.property, shape), None)
        if owner is not None:
            return _curie(shapes, owner)
        return "(anonymous shape)"
    return _curie(shapes, shape)


_Found = tuple[str, Node | None, dict[str, str]]  # source, focus node, the other fields of a Violation


def _shacl(store: Store, graph: URIRef | None, inference: str) -> Iterator[_Found]:
    """Each pySHACL validation result."""
    shapes = _parse("shapes.ttl")
    ontology = _parse("diplomacy.ttl")
    data = _data(store, graph)
    if inference == "rdfs":
        for triple in rdfs_entailments(data, ontology):
            data.add(triple)  # type: ignore[arg-type]
        inference = "none"
    elif inference.startswith("pyshacl-"):
        inference = inference.removeprefix("pyshacl-")
    _, results, _ = pyshacl.validate(data, shacl_graph=shapes, ont_graph=ontology, inference=inference,
                                     inplace=True, abort_on_first=False, allow_warnings=False)
    assert isinstance(results, Graph)
    for result in results.subjects(RDF.type, SH.ValidationResult):
        focus = results.value(result, SH.focusNode)
        messages = sorted(str(m) for m in results.objects(result, SH.resultMessage))
        component = results.value(result, SH.sourceConstraintComponent)
        value = results.value(result, SH.value)
        yield SHACL, focus, {
            "shape": _shape_name(shapes, results.value(result, SH.sourceShape)),
            "constraint": _curie(shapes, component),
            "path": _path(shapes, results, results.value(result, SH.resultPath)),
            "message": " ".join(messages) or f"fails {_curie(shapes, component)}",
            "value": "" if value is None else str(value),
        }


# -- checks -----------------------------------------------------------------------------


def _message(query: NamedQuery) -> str:
    return query.answers.replace("Must return no rows.", "").strip()


def check_queries() -> list[NamedQuery]:
    """The ``checks/*-violation`` queries of the registry, by name."""
    return [q for name, q in registry().items() if name.startswith("checks/") and name.endswith("-violation")]


def _described(store: Store, focus: Node, graph: URIRef) -> bool:
    return bool(store.select(_DESCRIBED, {"focus": focus}, graph=graph)[1])


def _checks(store: Store, queries: Iterable[NamedQuery], graph: URIRef | None) -> Iterator[_Found]:
    """Each row of each check; with ``graph``, the rows whose focus node that graph describes."""
    for query in queries:
        names, rows = store.select(query.text)
        for row in rows:
            at = next((i for i, node in enumerate(row) if isinstance(node, URIRef)), None)
            focus = None if at is None else row[at]
            if graph is not None and focus is not None and not _described(store, focus, graph):
                continue  # a row about another article's graph
            value = " ".join(f"{name}={node}" for i, (name, node) in enumerate(zip(names, row, strict=True))
                             if i != at and node is not None)
            yield query.name, focus, {"shape": query.name, "constraint": "", "path": "",
                                      "message": _message(query), "value": value}


# -- evidence ---------------------------------------------------------------------------


def evidence(store: Store, focus: Node, graph: URIRef | None = None) -> tuple[tuple[str, str], ...]:
    """The (article file name, sentence) pairs behind ``focus``, sorted.

    Its own evidence spans (or itself, when it is an evidence span); failing those, the evidence
    of the facts that refer to it in the article graphs that say something of it. ``graph``
    restricts both to one article's graph.
    """
    _, rows = store.select(_EVIDENCE, {"focus": focus}, graph=graph)
    if not rows:
        bindings: dict[str, Node] = {"focus": focus, "articleGraphs": Literal(ARTICLE_GRAPHS)}
        if graph is not None:
            bindings["g"] = graph
        _, rows = store.select(_REFERRING_EVIDENCE, bindings)
    return tuple(sorted({(str(row[-2]), str(row[-1])) for row in rows}))


# -- the whole ----------------------------------------------------------------------------


def validate(store: Store, graph: URIRef | None = None, inference: str = "rdfs") -> Report:
    """Run the SHACL shapes and the checks over the store (or one article ``graph``); report what they find.

    ``inference`` is ``"rdfs"`` (the entailments of ``rdfs_entailments``, the default), ``"none"``,
    or ``"pyshacl-"`` and a value of pySHACL's own ``inference`` option (``"pyshacl-rdfs"``: owlrl).

    Raises ``ValidationError`` when ``graph`` is not in the store or the shapes do not parse, and
    ``StoreError`` / ``QueryError`` when a check cannot run.
    """
    if graph is not None and graph not in store.graphs():
        raise ValidationError(f"no graph {graph} in the store {store.path}: import the article first")
    queries = check_queries()
    found: list[Violation] = []
    sentences: dict[Node, tuple[tuple[str, str], ...]] = {}
    for source, focus, fields in chain(_shacl(store, graph, inference), _checks(store, queries, graph)):
        if focus is not None and focus not in sentences:
            sentences[focus] = evidence(store, focus, graph)
        found.append(Violation(source=source, focus="" if focus is None else str(focus),
                               evidence=sentences[focus] if focus is not None else (), **fields))
    found.sort(key=lambda v: (v.source != SHACL, v.source, v.shape, v.focus, v.path, v.value, v.message))
    return Report(tuple(found), tuple(q.name for q in queries), "" if graph is None else str(graph))


def report_data(report: Report) -> dict[str, Any]:
    """The report as JSON-ready data: ``conforms``, ``graph``, ``checks``, ``counts``, ``violations``."""
    return {
        "conforms": report.conforms,
        "graph": report.graph or None,
        "checks": list(report.checks),
        "counts": report.counts,
        "violations": [
            {"source": v.source, "focus": v.focus or None, "shape": v.shape, "constraint": v.constraint or None,
             "path": v.path or None, "message": v.message, "value": v.value or None,
             "evidence": [{"file": file, "sentence": sentence} for file, sentence in v.evidence]}
            for v in report.violations
        ],
    }


def format_report(report: Report) -> str:
    """The report for people: each violation with its message, focus node and evidence; then a summary line."""
    lines: list[str] = []
    for v in report.violations:
        where = " ".join(part for part in (v.shape if v.shape != v.source else "", v.path) if part)
        lines.append(f"[{v.source}]" + (f" {where}" if where else ""))
        lines.append(f"  {v.message}")
        lines.append(f"  focus: {v.focus or '(none)'}")
        if v.value:
            lines.append(f"  value: {v.value}")
        if v.evidence:
            for file, sentence in v.evidence:
                lines.append(f"  evidence: {file}: {sentence}")
        else:
            lines.append("  evidence: (none found)")
    scope = f"graph {report.graph}" if report.graph else "the store"
    if report.conforms:
        lines.append(f"no violations in {scope} (SHACL shapes and {len(report.checks)} checks)")
    else:
        counts = ", ".join(f"{source} {n}" for source, n in report.counts.items())
        lines.append(f"{len(report.violations)} violations in {scope} ({counts})")
    return "\n".join(lines)
