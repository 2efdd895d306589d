"""`dkg export` and `dkg stats` on the seeds store: RDF re-parsed, the actor network re-read, counts
checked against direct SPARQL counts, byte-identical re-exports, errors that leave no file."""

from __future__ import annotations

import itertools
import json
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner
from rdflib import BNode, Dataset, Graph, Literal, URIRef
from rdflib.graph import DATASET_DEFAULT_GRAPH_ID
from rdflib.term import Node

from conftest import SEED_000, SEED_004
from kg import iris
from kg.cli import cli
from kg.errors import InputError
from kg.export import EDGE_COUNTS, _write_atomically, export_rdf
from kg.store import Store

DIP = "PREFIX dip: <https://w3id.org/dkg/ontology#>\n"
KOR = str(iris.actor("KOR", "state"))
JPN = str(iris.actor("JPN", "state"))
ARTICLE_GRAPHS = [iris.article_graph(SEED_000.name), iris.article_graph(SEED_004.name)]
XSD_STRING = URIRef("http://www.w3.org/2001/XMLSchema#string")
RDFLIB_FORMAT = {"trig": "trig", "nquads": "nquads", "jsonld": "json-ld", "turtle": "turtle"}


def invoke(store: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--store", str(store), *args])
    return result.exit_code, result.output


def select(store_path: Path, query: str, graph: URIRef | None = None,
           bindings: dict[str, Node] | None = None) -> list[list[Node | None]]:
    """Rows of a direct query; the store is opened only for it (the CLI opens it too)."""
    with Store(store_path) as store:
        return store.select(DIP + query, bindings, graph=graph)[1]


def number(store_path: Path, query: str, graph: URIRef | None = None,
           bindings: dict[str, Node] | None = None) -> int:
    return int(str(select(store_path, query, graph, bindings)[0][-1]))


def export(store_path: Path, target: Path, fmt: str, *extra: str) -> Path:
    code, out = invoke(store_path, "export", "--format", fmt, "-o", str(target), *extra)
    assert code == 0, out
    assert f"wrote {target}" in out
    return target


def parsed_dataset(path: Path, fmt: str) -> Dataset:
    ds = Dataset()
    ds.parse(path, format=RDFLIB_FORMAT[fmt])
    return ds


def named_graphs(ds: Dataset) -> set[Node]:
    return {g.identifier for g in ds.graphs() if g.identifier != DATASET_DEFAULT_GRAPH_ID and len(g)}


def _plain(term: Node) -> Node:
    """``"x"^^xsd:string`` as ``"x"``: the same RDF 1.1 literal, which rdflib keeps apart."""
    if isinstance(term, Literal) and term.datatype == XSD_STRING:
        return Literal(str(term))
    return term


def ground(rows: Iterable[tuple[Node, ...]]) -> set[tuple[Node, ...]]:
    """Triples or quads without blank nodes (parsers relabel those), literals normalised."""
    return {tuple(_plain(x) for x in row) for row in rows if not any(isinstance(x, BNode) for x in row)}


# -- RDF -------------------------------------------------------------------------------------------
@pytest.mark.parametrize("fmt", ["trig", "nquads", "jsonld"])
def test_dataset_formats_keep_every_quad_and_the_named_graphs(seeded_store_path: Path, tmp_path: Path,
                                                              fmt: str) -> None:
    target = export(seeded_store_path, tmp_path / f"all.{fmt}", fmt)
    with Store(seeded_store_path) as store:
        total, graphs = store.count(), set(store.graphs())
        stored = ground((s, p, o, g) for s, p, o, g in store.quads())
    ds = parsed_dataset(target, fmt)
    quads = list(ds.quads((None, None, None, None)))
    assert len(quads) == total
    assert named_graphs(ds) == graphs and len(graphs) == 4
    assert ground((s, p, o, g.identifier if isinstance(g, Graph) else g) for s, p, o, g in quads) == stored


def test_turtle_is_the_union_of_the_graphs_as_distinct_triples(seeded_store_path: Path, tmp_path: Path) -> None:
    target = export(seeded_store_path, tmp_path / "all.ttl", "turtle")
    distinct = number(seeded_store_path, "SELECT (COUNT(*) AS ?n) WHERE { SELECT DISTINCT ?s ?p ?o WHERE "
                                         "{ GRAPH ?g { ?s ?p ?o } } }")
    with Store(seeded_store_path) as store:
        quads = store.count()
        stored = ground((s, p, o) for s, p, o, _ in store.quads())
    graph = Graph().parse(target, format="turtle")
    assert len(graph) == distinct < quads  # some triples (people's types) sit in two graphs
    assert ground(graph) == stored


@pytest.mark.parametrize("fmt", ["trig", "nquads", "jsonld", "turtle"])
def test_one_article_exports_only_its_graph(seeded_store_path: Path, tmp_path: Path, fmt: str) -> None:
    graph = ARTICLE_GRAPHS[1]
    target = export(seeded_store_path, tmp_path / f"one.{fmt}", fmt, "--article", SEED_004.name)
    in_graph = number(seeded_store_path, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }", graph=graph)
    assert in_graph > 100
    if fmt == "turtle":
        assert len(Graph().parse(target, format="turtle")) == in_graph
    else:
        ds = parsed_dataset(target, fmt)
        assert named_graphs(ds) == {graph}
        assert len(list(ds.quads((None, None, None, None)))) == in_graph
    # a path to the article file names it as well as its file name does
    again = export(seeded_store_path, tmp_path / f"again.{fmt}", fmt, "--article", str(SEED_004))
    assert again.read_bytes() == target.read_bytes()


def test_library_returns_the_number_written(seeded_store: Store, tmp_path: Path) -> None:
    assert export_rdf(seeded_store, tmp_path / "a.nq", "nquads") == seeded_store.count()
    with pytest.raises(InputError, match="unknown RDF format 'xml'"):
        export_rdf(seeded_store, tmp_path / "a.xml", "xml")


# -- the actor network --------------------------------------------------------------------------
def expected_ties(store_path: Path) -> tuple[set[str], dict[tuple[str, str], dict[str, int]]]:
    """Actors and per-pair counts computed in Python from plain (fact, kind, actor) rows."""
    rows = select(store_path, """
        SELECT DISTINCT ?fact ?kind ?actor WHERE {
          { ?fact dip:participant|dip:attendee ?actor BIND ("shared_events" AS ?kind) }
          UNION { ?fact dip:party ?actor BIND ("agreements" AS ?kind) }
          UNION { ?fact dip:relationActor ?actor ; a ?class .
                  VALUES ?class { dip:Cooperation dip:Alliance dip:Partnership dip:Conflict dip:Sanction }
                  BIND (LCASE(STRAFTER(STR(?class), "#")) AS ?kind) }
        }""")
    members: dict[tuple[str, str], set[str]] = defaultdict(set)
    actors = set()
    for fact, kind, actor in rows:
        members[(str(fact), str(kind))].add(str(actor))
        actors.add(str(actor))
    edges: dict[tuple[str, str], dict[str, int]] = defaultdict(lambda: dict.fromkeys(EDGE_COUNTS, 0))
    for (_, kind), group in members.items():
        for a, b in itertools.combinations(sorted(group), 2):
            edges[(a, b)][kind] += 1
    return actors, edges


@pytest.mark.parametrize("fmt", ["graphml", "gexf"])
def test_network_files_hold_the_actors_and_their_counted_ties(seeded_store_path: Path, tmp_path: Path,
                                                              fmt: str) -> None:
    target = export(seeded_store_path, tmp_path / f"net.{fmt}", fmt)
    graph = nx.read_graphml(target) if fmt == "graphml" else nx.read_gexf(target)
    actors, edges = expected_ties(seeded_store_path)
    assert set(graph.nodes) == actors
    kor = graph.nodes[KOR]
    assert (kor["code"], kor["kind"], kor["label_en"], kor["label_ko"]) == ("KOR", "state", "South Korea", "한국")
    assert kor["wikidata"].startswith("Q")
    kinds = Counter(d["kind"] for _, d in graph.nodes(data=True))
    assert kinds["state"] > 5 and kinds["person"] >= 2 and kinds["organization"] >= 1

    shared = number(seeded_store_path, "SELECT ?a ?b (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e dip:participant ?a , ?b }"
                                       " GROUP BY ?a ?b", bindings={"a": URIRef(KOR), "b": URIRef(JPN)})
    tie = graph.edges[KOR, JPN]
    assert tie["shared_events"] == shared >= 1
    assert {(min(a, b), max(a, b)) for a, b in graph.edges} == set(edges)
    for a, b, data in graph.edges(data=True):
        want = edges[(min(a, b), max(a, b))]
        assert {k: int(data[k]) for k in EDGE_COUNTS} == want, (a, b)
        assert int(data["weight"]) == sum(want.values())


def test_every_export_is_byte_identical_when_repeated(seeded_store_path: Path, tmp_path: Path) -> None:
    for fmt in ("trig", "nquads", "turtle", "jsonld", "graphml", "gexf"):
        first = export(seeded_store_path, tmp_path / f"1.{fmt}", fmt).read_bytes()
        second = export(seeded_store_path, tmp_path / f"2.{fmt}", fmt).read_bytes()
        assert first == second and len(first) > 1000, fmt
    assert b"lastmodifieddate" not in (tmp_path / "1.gexf").read_bytes()


# -- stats ---------------------------------------------------------------------------------------
def test_stats_counts_match_direct_queries(seeded_store_path: Path) -> None:
    code, out = invoke(seeded_store_path, "stats", "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    with Store(seeded_store_path) as store:
        assert data["quads"] == store.count() and data["graphs"] == len(store.graphs()) == 4
    assert [a["source"] for a in data["articles"]] == [SEED_000.name, SEED_004.name]
    assert [a["lang"] for a in data["articles"]] == ["ko", "ko"]
    assert [a["date"] for a in data["articles"]] == ["2025-01-16", "2024-05-26"]
    direct = {
        "events": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x dip:participant ?a }",
        "agreements": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x dip:party ?a }",
        "relations": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x dip:relationActor ?a }",
        "people": "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { ?x a dip:Person }",
    }
    for article, graph in zip(data["articles"], ARTICLE_GRAPHS, strict=True):
        assert article["graph"] == str(graph) and article["title"]
        for kind, query in direct.items():
            assert article[kind] == number(seeded_store_path, query, graph=graph), (article["source"], kind)
        assert article["events"] > 0 and article["agreements"] > 0
    [ko] = data["languages"]
    assert ko["lang"] == "ko" and ko["articles"] == 2
    events = number(seeded_store_path, "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { GRAPH ?g { ?x dip:participant ?a "
                                       "FILTER (STRSTARTS(STR(?g), 'https://w3id.org/dkg/id/graph/article/')) } }")
    assert ko["events"] == events
    summits = number(seeded_store_path, "SELECT (COUNT(DISTINCT ?x) AS ?n) WHERE { GRAPH ?g { ?x a dip:Summit "
                                        "FILTER (STRSTARTS(STR(?g), 'https://w3id.org/dkg/id/graph/article/')) } }")
    assert data["classes"]["Summit"] == summits > 0
    assert data["classes"]["Article"] == 2 and "State" not in data["classes"]  # states live in the gazetteer


def test_stats_text_is_aligned_tables(seeded_store_path: Path) -> None:
    code, out = invoke(seeded_store_path, "stats")
    assert code == 0, out
    lines = out.splitlines()
    rows = [line for line in lines if line.startswith((SEED_000.name, SEED_004.name))]
    assert len(rows) == 2 and all(" ko " in row for row in rows)
    header = next(line for line in lines if line.startswith("source"))
    assert rows[0].index(" ko ") == rows[1].index(" ko ") == header.index(" lang") and "events" in header
    assert any(line.startswith("quads") for line in lines) and any(line.startswith("Summit") for line in lines)


# -- errors --------------------------------------------------------------------------------------
def test_unknown_article_exits_2_and_writes_nothing(seeded_store_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "x.trig"
    code, out = invoke(seeded_store_path, "export", "-o", str(target), "--article", "nosuch.txt")
    assert code == 2 and "nosuch.txt" in out and SEED_000.name in out
    code, out = invoke(seeded_store_path, "export", "--format", "gexf", "-o", str(target), "--article", SEED_000.name)
    assert code == 2 and "--article" in out
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("fmt", ["nquads", "turtle", "graphml"])
def test_unwritable_output_exits_2_and_leaves_no_file(seeded_store_path: Path, tmp_path: Path, fmt: str) -> None:
    blocker = tmp_path / "plain-file"
    blocker.write_text("not a folder", encoding="utf-8")
    target = blocker / "out.data"
    code, out = invoke(seeded_store_path, "export", "--format", fmt, "-o", str(target))
    assert code == 2 and str(target) in out and "cannot write" in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plain-file"]
    with Store(seeded_store_path) as store:  # the failure kept no reference that locks the database
        assert store.count() > 0


def test_a_failed_write_keeps_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    target = tmp_path / "out.trig"
    target.write_text("old", encoding="utf-8")

    def half(out: object) -> None:
        out.write(b"half")  # type: ignore[attr-defined]
        raise OSError(28, "No space left on device")

    with pytest.raises(InputError, match="out.trig: cannot write: No space left on device"):
        _write_atomically(target, half)
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.trig"]
    # a directory in the way of the rename: the error names it, the temporary file is removed
    folder = tmp_path / "folder"
    (folder / "inner").mkdir(parents=True)
    with pytest.raises(InputError, match="folder"):
        _write_atomically(folder, lambda out: out.write(b"x"))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "out.trig"]
