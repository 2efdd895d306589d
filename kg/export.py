"""Export the store: RDF files (TriG, N-Quads, Turtle, JSON-LD), the actor network, counts.

``export_rdf`` writes the quads with Oxigraph's own serializers, streaming from the store;
``actor_network`` projects the actors and what ties them onto a networkx graph, which
``export_network`` writes as GraphML or GEXF (for Gephi); ``stats`` counts typed nodes, facts
per article and per language. Every file is written to a temporary file beside the target and
renamed, so a failure leaves no half-written file, and the same store gives the same bytes.
"""

from __future__ import annotations

import os
import secrets
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any

import networkx as nx
import pyoxigraph as ox
from networkx.readwrite.gexf import GEXFWriter
from rdflib import URIRef
from rdflib.term import Node

from kg import iris
from kg.errors import InputError
from kg.remote import RemoteStore
from kg.store import Store
from kg.vocab import PREFIXES

RDF_FORMATS = ("trig", "nquads", "turtle", "jsonld")
NETWORK_FORMATS = ("graphml", "gexf")
_OX_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS, "turtle": ox.RdfFormat.TURTLE,
               "jsonld": ox.RdfFormat.JSON_LD}
RELATION_KINDS = ("cooperation", "alliance", "partnership", "conflict", "sanction")
"""Edge attributes counting the relations of each type between two actors."""
EDGE_COUNTS = ("shared_events", "agreements", *RELATION_KINDS)
"""Every edge of ``actor_network`` carries these integer counts, and ``weight``, their sum."""

_PREFIX = """PREFIX dip: <https://w3id.org/dkg/ontology#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX dcterms: <http://purl.org/dc/terms/>
"""

# Actors taking part in facts: participants and attendees of events, parties of agreements,
# actors of relations, with their code, kind, labels and Wikidata id.
_ACTORS = _PREFIX + """
SELECT ?actor (SAMPLE(?c) AS ?code) (SAMPLE(?k) AS ?kind) (MIN(?en) AS ?label_en) (MIN(?ko) AS ?label_ko)
       (SAMPLE(?w) AS ?wikidata) WHERE {
  { SELECT DISTINCT ?actor WHERE { ?fact dip:participant|dip:attendee|dip:party|dip:relationActor ?actor } }
  BIND (IF(EXISTS { ?actor a dip:State }, "state",
           IF(EXISTS { ?actor a dip:Person }, "person", "organization")) AS ?k)
  OPTIONAL { ?actor dip:code ?c }
  OPTIONAL { ?actor rdfs:label ?en FILTER (LANG(?en) = "en") }
  OPTIONAL { ?actor rdfs:label ?ko FILTER (LANG(?ko) = "ko") }
  OPTIONAL { ?actor dip:wikidata ?w }
}
GROUP BY ?actor
"""

# For each pair of actors (?a before ?b) and each kind of tie, the number of distinct facts
# holding both: events both take part in, agreements both are parties to, relations by type.
_TIES = _PREFIX + """
SELECT ?a ?b ?kind (COUNT(DISTINCT ?fact) AS ?n) WHERE {
  {
    ?fact dip:participant|dip:attendee ?a . ?fact dip:participant|dip:attendee ?b .
    BIND ("shared_events" AS ?kind)
  } UNION {
    ?fact dip:party ?a , ?b .
    BIND ("agreements" AS ?kind)
  } UNION {
    VALUES (?class ?kind) {
      (dip:Cooperation "cooperation") (dip:Alliance "alliance") (dip:Partnership "partnership")
      (dip:Conflict "conflict") (dip:Sanction "sanction")
    }
    ?fact a ?class ; dip:relationActor ?a , ?b .
  }
  FILTER (STR(?a) < STR(?b))
}
GROUP BY ?a ?b ?kind
"""

# Article graphs are the graphs holding a dip:Article; facts are counted by their top class.
_ARTICLES = _PREFIX + """
SELECT ?g ?file (SAMPLE(?t) AS ?title) (MAX(STR(?d)) AS ?date) (SAMPLE(?l) AS ?lang) WHERE {
  GRAPH ?g {
    ?article a dip:Article ; dip:sourceFile ?file .
    OPTIONAL { ?article dcterms:title ?t }
    OPTIONAL { ?article dcterms:date ?d }
    OPTIONAL { ?article dcterms:language ?l }
  }
}
GROUP BY ?g ?file
"""

_FACT_KINDS = """
  VALUES (?top ?kind) { (dip:Event "events") (dip:Agreement "agreements") (dip:Relation "relations")
                        (dip:Person "people") }
  ?class rdfs:subClassOf* ?top .
"""

_FACTS_PER_GRAPH = _PREFIX + """
SELECT ?g ?kind (COUNT(DISTINCT ?x) AS ?n) WHERE {
  GRAPH ?g { ?article a dip:Article . ?x a ?class }
""" + _FACT_KINDS + """
}
GROUP BY ?g ?kind
"""

_FACTS_PER_LANGUAGE = _PREFIX + """
SELECT ?lang ?kind (COUNT(DISTINCT ?x) AS ?n) WHERE {
  GRAPH ?g { ?article a dip:Article . OPTIONAL { ?article dcterms:language ?l } ?x a ?class }
  BIND (COALESCE(STR(?l), "") AS ?lang)
""" + _FACT_KINDS + """
}
GROUP BY ?lang ?kind
"""

_CLASSES = _PREFIX + """
SELECT ?class (COUNT(DISTINCT ?x) AS ?n) WHERE {
  GRAPH ?g { ?article a dip:Article . ?x a ?class }
}
GROUP BY ?class
"""


# -- writing files atomically ------------------------------------------------------------------
def _write_atomically(path: Path, write: Callable[[IO[bytes]], None]) -> None:
    """Call ``write`` on a temporary file beside ``path``, then rename it to ``path``.

    Raises ``InputError`` naming ``path`` when it cannot be written; no file is left behind. The
    error is raised without the ``OSError`` chained to it: the frames of that traceback may hold
    the Oxigraph store, whose database stays locked as long as anything refers to it.
    """
    path = Path(path)
    tmp: Path | None = None
    problem = ""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        candidate = path.parent / f".{path.name}.{secrets.token_hex(6)}.tmp"
        # os.open with O_EXCL, not mkstemp: the file gets the usual permissions (umask), not 0600
        fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        tmp = candidate
        with os.fdopen(fd, "wb") as out:
            write(out)
        os.replace(tmp, path)
        tmp = None
    except OSError as exc:
        problem = f"cannot write: {exc.strerror or exc}"
    finally:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
    if problem:
        raise InputError(path, problem)


# -- RDF -------------------------------------------------------------------------------------
def article_graph_iri(store: Store, name: str) -> URIRef:
    """The named graph of the article imported from the file ``name`` (a path gives its file name).

    Raises ``InputError`` when the store holds no such article, listing the ones it holds.
    """
    graph = iris.article_graph(Path(name).name)
    if graph not in store.graphs():
        known = sorted(a.source for a in stats(store).articles)
        listed = ", ".join(known[:10]) + (" ..." if len(known) > 10 else "") if known else "none"
        raise InputError(f"--article {name}", f"no article of that name in the store (articles: {listed})")
    return graph


def export_rdf(store: Store, path: Path, fmt: str, graph: URIRef | None = None) -> int:
    """Write the store's quads to ``path`` as ``fmt`` (trig, nquads, turtle or jsonld); return the count.

    TriG, N-Quads and JSON-LD keep the named graphs; Turtle writes the union of the graphs as
    distinct triples. With ``graph``, only that graph is written (still named in the quad formats).
    The quads stream from the store to the file, except the union for Turtle, which the engine
    deduplicates (a CONSTRUCT). Raises ``InputError`` for an unknown format or an unwritable path.
    """
    if fmt not in _OX_FORMATS:
        raise InputError(path, f"unknown RDF format {fmt!r}; expected one of {', '.join(RDF_FORMATS)}")
    rdf_format = _OX_FORMATS[fmt]
    written = 0

    def counted(items: Iterator[Any]) -> Iterator[Any]:
        nonlocal written
        for item in items:
            written += 1
            yield item

    def write(out: IO[bytes]) -> None:
        nonlocal written
        if isinstance(store, RemoteStore):  # no Oxigraph store to dump: the quads come through SPARQL
            if rdf_format.supports_datasets:
                ox.serialize(counted(store.ox_quads(graph)), out, rdf_format, prefixes=PREFIXES)
            elif graph is not None:
                ox.serialize(counted(q.triple for q in store.ox_quads(graph)), out, rdf_format, prefixes=PREFIXES)
            else:
                ox.serialize(counted(store.ox_triples()), out, rdf_format, prefixes=PREFIXES)
            return
        oxs = store._ox  # Store offers no public dump; the serializers want Oxigraph's own store
        if graph is not None:
            context = ox.NamedNode(str(graph))
            if rdf_format.supports_datasets:
                ox.serialize(counted(oxs.quads_for_pattern(None, None, None, context)), out, rdf_format,
                             prefixes=PREFIXES)
            else:
                ox.serialize(counted(q.triple for q in oxs.quads_for_pattern(None, None, None, context)), out,
                             rdf_format, prefixes=PREFIXES)
        elif rdf_format.supports_datasets:
            oxs.dump(out, rdf_format, prefixes=PREFIXES)
            written = len(oxs)
        else:
            triples = oxs.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True)
            assert isinstance(triples, ox.QueryTriples)
            ox.serialize(counted(iter(triples)), out, rdf_format, prefixes=PREFIXES)

    _write_atomically(path, write)
    return written


# -- the actor network ------------------------------------------------------------------------
def _text(node: Node | None) -> str:
    return "" if node is None else str(node)


def actor_network(store: Store) -> nx.Graph:
    """The actors taking part in facts and the ties between them, as an undirected graph.

    Nodes are keyed by actor IRI with ``label`` (English name, else the code), ``code`` (the
    gazetteer code; for people the last segment of the IRI), ``kind`` (state, organization,
    person), ``label_en``, ``label_ko`` and ``wikidata`` (empty when unknown). An edge joins two
    actors tied by at least one fact and carries the counts ``EDGE_COUNTS`` (events both take part
    in as participants or attendees, agreements both are parties to, relations of each type) and
    ``weight``, their sum. Every attribute is a str or an int, as GraphML and GEXF need; nodes
    and edges are added in sorted order, so the same store gives the same graph.
    """
    _, actor_rows = store.select(_ACTORS)
    _, tie_rows = store.select(_TIES)
    graph = nx.Graph()
    for actor, code, kind, label_en, label_ko, wikidata in sorted(actor_rows, key=lambda r: str(r[0])):
        key = str(actor)
        code_text = _text(code) or key.rstrip("/").rsplit("/", 1)[-1]
        graph.add_node(key, label=_text(label_en) or code_text, code=code_text, kind=_text(kind),
                       label_en=_text(label_en), label_ko=_text(label_ko), wikidata=_text(wikidata))
    counts: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(EDGE_COUNTS, 0))
    for a, b, kind, n in tie_rows:
        counts[(str(a), str(b))][str(kind)] = int(str(n))
    for (left, right), edge in sorted(counts.items()):
        graph.add_edge(left, right, weight=sum(edge.values()), **edge)
    return graph


def export_network(store: Store, path: Path, fmt: str) -> nx.Graph:
    """Write ``actor_network(store)`` to ``path`` as GraphML or GEXF; return the graph.

    The GEXF writer's ``lastmodifieddate`` (today's date) is left out so that the file
    depends on the store alone. Raises ``InputError`` for an unknown format or an unwritable path.
    """
    if fmt not in NETWORK_FORMATS:
        raise InputError(path, f"unknown network format {fmt!r}; expected one of {', '.join(NETWORK_FORMATS)}")
    graph = actor_network(store)

    def write(out: IO[bytes]) -> None:
        if fmt == "graphml":
            nx.write_graphml_xml(graph, out, encoding="utf-8")
        else:
            writer = GEXFWriter(encoding="utf-8", prettyprint=True)
            writer.add_graph(graph)
            meta = writer.xml.find("meta")
            if meta is not None:
                meta.attrib.pop("lastmodifieddate", None)
            writer.write(out)

    _write_atomically(path, write)
    return graph


# -- counts ----------------------------------------------------------------------------------
FACT_KINDS = ("events", "agreements", "relations", "people")


@dataclass(frozen=True)
class ArticleStats:
    """One imported article and the facts its graph holds (distinct nodes of each kind)."""

    source: str
    title: str
    date: str
    lang: str
    graph: str
    events: int = 0
    agreements: int = 0
    relations: int = 0
    people: int = 0


@dataclass(frozen=True)
class LanguageStats:
    """The articles of one language and their facts (distinct nodes of each kind, over those articles)."""

    lang: str
    articles: int
    events: int = 0
    agreements: int = 0
    relations: int = 0
    people: int = 0


@dataclass(frozen=True)
class Stats:
    """What the store holds: quads and named graphs, typed nodes by class, facts by article and language.

    ``classes`` maps the local name of each ``rdf:type`` used in the article graphs to the number
    of distinct nodes of that type there (a full IRI stands in when two classes share a local name).
    """

    quads: int
    graphs: int
    classes: dict[str, int] = field(default_factory=dict)
    articles: tuple[ArticleStats, ...] = ()
    languages: tuple[LanguageStats, ...] = ()


def _local_name(iri: str) -> str:
    return iri.rsplit("#", 1)[-1] if "#" in iri else iri.rstrip("/").rsplit("/", 1)[-1]


def stats(store: Store) -> Stats:
    """Count what the store holds (see ``Stats``); articles sorted by file name, languages by code.

    Facts: events, agreements and relations are nodes typed with a subclass of ``dip:Event``,
    ``dip:Agreement`` or ``dip:Relation`` (through the ontology graph), people nodes typed
    ``dip:Person``; a fact reported by two articles counts once for its language.
    """
    _, class_rows = store.select(_CLASSES)
    local = [(_local_name(str(c)), str(c), int(str(n))) for c, n in class_rows]
    clashes = {name for name, _, _ in local if sum(1 for other, _, _ in local if other == name) > 1}
    classes = dict(sorted((iri if name in clashes else name, n) for name, iri, n in local))

    per_graph: dict[str, dict[str, int]] = defaultdict(dict)
    for g, kind, n in store.select(_FACTS_PER_GRAPH)[1]:
        per_graph[str(g)][str(kind)] = int(str(n))
    articles = sorted(
        (ArticleStats(source=str(file), title=_text(title), date=_text(date), lang=_text(lang), graph=str(g),
                      **per_graph.get(str(g), {}))
         for g, file, title, date, lang in store.select(_ARTICLES)[1]),
        key=lambda a: (a.source, a.graph))

    per_lang: dict[str, dict[str, int]] = defaultdict(dict)
    for lang, kind, n in store.select(_FACTS_PER_LANGUAGE)[1]:
        per_lang[_text(lang)][str(kind)] = int(str(n))
    article_count: dict[str, int] = defaultdict(int)
    for a in articles:
        article_count[a.lang] += 1
    languages = tuple(LanguageStats(lang=lang, articles=article_count[lang], **per_lang.get(lang, {}))
                      for lang in sorted(article_count))
    return Stats(quads=store.count(), graphs=len(store.graphs()), classes=classes, articles=tuple(articles),
                 languages=languages)


def format_stats(s: Stats) -> str:
    """``s`` as aligned text tables: totals, classes, articles, languages."""
    def table(header: list[str], rows: list[list[str]], right: set[int]) -> list[str]:
        widths = [max(len(str(c)) for c in col) for col in zip(header, *rows, strict=True)]

        def line(cells: list[str]) -> str:
            return "  ".join(c.rjust(w) if i in right else c.ljust(w)
                             for i, (c, w) in enumerate(zip(cells, widths, strict=True))).rstrip()
        return [line(header), line(["-" * w for w in widths]), *(line(r) for r in rows)]

    counts = list(FACT_KINDS)
    out = [f"quads   {s.quads}", f"graphs  {s.graphs}", f"articles {len(s.articles)}", "", "classes (article graphs)"]
    out += table(["class", "nodes"], [[name, str(n)] for name, n in s.classes.items()], {1})
    out += ["", "articles"]
    out += table(["source", "lang", "date", *counts, "title"],
                 [[a.source, a.lang, a.date, *(str(getattr(a, k)) for k in counts), a.title] for a in s.articles],
                 {3, 4, 5, 6})
    out += ["", "languages"]
    out += table(["lang", "articles", *counts],
                 [[lang.lang or "?", str(lang.articles), *(str(getattr(lang, k)) for k in counts)]
                  for lang in s.languages], {1, 2, 3, 4, 5})
    return "\n".join(out) + "\n"
