"""`dkg query`: named queries, .rq files and -e text; graph selection; updates only with --update;
every output format read back by a parser of that format."""

from __future__ import annotations

import csv
import io
import json
import shutil
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner
from rdflib import Dataset, Graph, URIRef

from kg import iris
from kg.cli import cli
from kg.formats import width
from kg.queries import article_scope, registry, run
from kg.store import Store
from kg.vocab import DIP
from tests.conftest import SEED_000, SEED_004

SUMMIT = "2024-05-26"
SUMMITS = """PREFIX dip: <https://w3id.org/dkg/ontology#>
SELECT ?event ?date WHERE { ?event a dip:Summit ; dip:date ?date } ORDER BY ?date ?event"""


def invoke(store: Path, *args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, ["--store", str(store), *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture()
def store_copy(seeded_store_path: Path, tmp_path: Path) -> Path:
    """A copy of the seeded store that a test may change."""
    path = tmp_path / "db"
    shutil.copytree(seeded_store_path, path)
    return path


def quads(path: Path) -> set[tuple[object, ...]]:
    with Store(path) as store:
        return set(store.quads())


# -- ad-hoc queries ------------------------------------------------------------------------------

def test_expression_runs_over_the_union_of_the_article_graphs(seeded_store_path: Path) -> None:
    code, out, _ = invoke(seeded_store_path, "query", "-e", SUMMITS, "--format", "json")
    assert code == 0
    rows = json.loads(out)
    assert {"event", "date"} == set(rows[0])
    assert SUMMIT in {r["date"] for r in rows}


def test_expressions_need_no_prologue_for_the_project_prefixes(seeded_store_path: Path) -> None:
    query = "SELECT ?code WHERE { id:actor\\/state\\/KOR dip:code ?code ; rdfs:label ?l }"
    code, out, err = invoke(seeded_store_path, "query", "-e", query, "--format", "csv")
    assert code == 0, err
    assert set(out.splitlines()[1:]) == {"KOR"}


def test_a_query_file_without_header_and_one_with_parameters(seeded_store_path: Path, tmp_path: Path) -> None:
    plain = tmp_path / "summits.rq"
    plain.write_text(SUMMITS, encoding="utf-8")
    code, out, _ = invoke(seeded_store_path, "query", str(plain), "--format", "csv")
    assert code == 0 and out.startswith("event,date\n") and SUMMIT in out

    typed = tmp_path / "with-actor.rq"
    typed.write_text("# param: who actor KOR an actor\n# columns: event\n"
                     "PREFIX dip: <https://w3id.org/dkg/ontology#>\n"
                     "SELECT ?who ?event WHERE { ?event a dip:Summit ; dip:participant ?who }", encoding="utf-8")
    kor = json.loads(invoke(seeded_store_path, "query", str(typed), "--format", "json")[1])
    prk = json.loads(invoke(seeded_store_path, "query", str(typed), "--param", "who=PRK", "--format", "json")[1])
    assert kor and list(kor[0]) == ["event"]
    assert prk == []
    code, _, err = invoke(seeded_store_path, "query", str(typed), "--param", "whom=KOR")
    assert code == 2 and "has no parameter whom" in err and "parameters: who" in err


def test_usage_errors_name_the_problem(seeded_store_path: Path, tmp_path: Path) -> None:
    cases = [
        (("query",), "give a query name"),
        (("query", "events", "-e", SUMMITS), "one of them"),
        (("query", "no-such-query"), "no query named 'no-such-query'"),
        (("query", str(tmp_path / "absent.rq")), "absent.rq: no such query file"),
        (("query", "-e", "SELECT ?x WHERE {"), "query does not parse"),
        (("query", "events", "--param", "oops"), "expected NAME=VALUE"),
        (("query", "events", "--article", "absent.txt"), "no article 'absent.txt' in the store"),
        (("query", "events", "--article", SEED_000.name, "--graph", "urn:x"), "not both"),
        (("query", "events", "--format", "trig"), "for CONSTRUCT and DESCRIBE"),
        (("query", "-e", "CONSTRUCT WHERE { ?s a ?o }", "--format", "csv"), "use --format turtle or trig"),
    ]
    for args, message in cases:
        code, _, err = invoke(seeded_store_path, *args)
        assert code == 2, (args, err)
        assert message in err, (args, err)


# -- graph selection -------------------------------------------------------------------------------

def test_one_article_graph_on_request(seeded_store_path: Path) -> None:
    def events(*args: str) -> set[str]:
        code, out, err = invoke(seeded_store_path, "query", "events", "--format", "json", *args)
        assert code == 0, err
        return {" ".join(sorted(r["sources"].split())) for r in json.loads(out)}

    union = events()
    assert {SEED_000.name, SEED_004.name} <= {s for sources in union for s in sources.split()}
    only_004 = events("--article", SEED_004.name)
    assert only_004 == {SEED_004.name}
    graph = str(iris.article_graph(SEED_000.name))
    assert events("--graph", graph) == set()  # the actors' codes live in the gazetteer graph
    assert events("--graph", graph, "--graph", str(iris.GAZETTEER_GRAPH)) == {SEED_000.name}
    articles = ("SELECT ?file WHERE { ?a <https://w3id.org/dkg/ontology#sourceFile> ?file }")
    code, out, _ = invoke(seeded_store_path, "query", "-e", articles, "--graph", graph, "--format", "csv")
    assert code == 0 and out == f"file\n{SEED_000.name}\n"


def test_library_graph_argument_restricts_the_default_graph(seeded_store: Store) -> None:
    query = registry()["events"]
    alone = run(seeded_store, query, graph=article_scope(SEED_004.name))
    union = run(seeded_store, query)
    assert 0 < len(alone.rows) < len(union.rows)


# -- updates ---------------------------------------------------------------------------------------

UPDATES = [
    'INSERT DATA { <urn:x:a> <urn:x:b> "c" }',
    "DELETE WHERE { ?s a <https://w3id.org/dkg/ontology#Summit> }",
    "PREFIX dip: <https://w3id.org/dkg/ontology#>\n# a comment\nDELETE { ?s ?p ?o } WHERE { ?s ?p ?o }",
    "LOAD <file:///etc/hostname>",
    "CLEAR ALL",
    "DROP ALL",
    "drop graph <https://w3id.org/dkg/id/graph/gazetteer>",
    "WITH <urn:g> INSERT { <urn:a> <urn:b> <urn:c> } WHERE {}",
]


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused_without_update_and_change_nothing(store_copy: Path, tmp_path: Path,
                                                                update: str) -> None:
    before = quads(store_copy)
    code, _, err = invoke(store_copy, "query", "-e", update)
    assert code == 2 and "run only with --update" in err
    file = tmp_path / "change.rq"
    file.write_text(update, encoding="utf-8")
    assert invoke(store_copy, "query", str(file))[0] == 2
    assert quads(store_copy) == before


def test_an_update_runs_with_update(store_copy: Path) -> None:
    insert = 'INSERT DATA { GRAPH <urn:x:g> { <urn:x:a> <urn:x:b> "c" } }'
    code, _, err = invoke(store_copy, "query", "--update", "-e", insert)
    assert code == 0, err
    rows = json.loads(invoke(store_copy, "query", "-e", "SELECT ?o WHERE { <urn:x:a> ?p ?o }", "--format", "json")[1])
    assert rows == [{"o": "c"}]
    code, _, _ = invoke(store_copy, "query", "--update", "-e", "DROP GRAPH <urn:x:g>")
    assert code == 0
    with Store(store_copy) as store:
        assert URIRef("urn:x:g") not in store.graphs()
    code, _, err = invoke(store_copy, "query", "--update", "--article", SEED_000.name, "-e", "CLEAR DEFAULT")
    assert code == 2 and "names its graphs itself" in err


def test_a_failing_update_writes_nothing(store_copy: Path) -> None:
    before = quads(store_copy)
    code, _, err = invoke(store_copy, "query", "--update", "-e",
                          'INSERT DATA { <urn:x:a> <urn:x:b> "c" } ; LOAD <file:///no/such/file.ttl>')
    assert code == 2 and "nothing written" in err
    assert quads(store_copy) == before


# -- formats ---------------------------------------------------------------------------------------

def test_table_is_aligned_for_hangul(seeded_store_path: Path) -> None:
    """Hangul takes two terminal columns: the column after a Korean name starts at one width in every row."""
    query = ("PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\nSELECT ?label ?code WHERE { "
             "VALUES ?code { \"KOR\" \"JPN\" \"USA\" \"EU\" } ?a <https://w3id.org/dkg/ontology#code> ?code ; "
             "rdfs:label ?label . FILTER (LANG(?label) = \"ko\") } ORDER BY ?code")
    code, out, _ = invoke(seeded_store_path, "query", "-e", query)
    assert code == 0
    lines = out.splitlines()
    assert lines[-1] == "(4 rows)"
    assert "한국" in out and "일본" in out and "유럽연합" in out
    starts = {width(line[: line.rindex(" ") + 1]) for line in lines[2:-1]}
    assert starts == {width(lines[0][: lines[0].index("code")])}, out
    assert width(lines[1].split()[0]) == max(width(line.split()[0]) for line in lines[2:-1])


def test_every_row_format_reads_back_the_same_rows(seeded_store_path: Path) -> None:
    code, out, _ = invoke(seeded_store_path, "query", "events", "--format", "json")
    assert code == 0
    rows = json.loads(out)
    columns = list(rows[0])
    assert columns == "event type status date location participants people sources".split()
    expected = sorted(tuple(r[c] or "" for c in columns) for r in rows)

    for fmt, delimiter in (("csv", ","), ("tsv", "\t")):
        text = invoke(seeded_store_path, "query", "events", "--format", fmt)[1]
        table = list(csv.reader(io.StringIO(text), delimiter=delimiter))
        assert table[0] == columns
        assert sorted(tuple(r) for r in table[1:]) == expected

    for fmt, ox_format in (("sparql-json", ox.QueryResultsFormat.JSON), ("sparql-xml", ox.QueryResultsFormat.XML)):
        text = invoke(seeded_store_path, "query", "events", "--format", fmt)[1]
        parsed = ox.parse_query_results(text.encode("utf-8"), ox_format)
        assert isinstance(parsed, ox.QuerySolutions)
        assert [v.value for v in parsed.variables] == columns
        back = sorted(tuple(s[c].value if s[c] is not None else "" for c in columns) for s in parsed)
        assert back == expected
        typed = {s["event"] for s in ox.parse_query_results(text.encode("utf-8"), ox_format)}
        assert all(isinstance(t, ox.NamedNode) for t in typed)  # IRIs stay IRIs


def test_people_lists_keep_whole_names(seeded_store: Store) -> None:
    """A list column of names is split on "; ", so one name's words are never reordered."""
    rows = run(seeded_store, registry()["events"])
    people = {p for r in rows.rows for p in (r[6] or "").split("; ") if p}
    assert "Yoon Suk Yeol" in people and "Fumio Kishida" in people
    assert not any(name in people for name in ("Jinping Xi", "Eol Suk Yoon"))


def test_ask(seeded_store_path: Path) -> None:
    ask = "ASK { ?s a <https://w3id.org/dkg/ontology#Summit> }"
    assert invoke(seeded_store_path, "query", "-e", ask, "--format", "csv")[1] == "answer\ntrue\n"
    assert json.loads(invoke(seeded_store_path, "query", "-e", ask, "--format", "sparql-json")[1])["boolean"] is True
    xml = invoke(seeded_store_path, "query", "-e", ask.replace("Summit", "NoSuchClass"), "--format", "sparql-xml")[1]
    assert isinstance(ox.parse_query_results(xml.encode(), ox.QueryResultsFormat.XML), ox.QueryBoolean)
    assert ">false<" in xml


def test_construct_as_turtle_and_trig(seeded_store_path: Path) -> None:
    construct = ("PREFIX dip: <https://w3id.org/dkg/ontology#>\n"
                 "CONSTRUCT { ?e a dip:Summit ; dip:date ?d } WHERE { ?e a dip:Summit ; dip:date ?d }")
    code, turtle, _ = invoke(seeded_store_path, "query", "-e", construct)
    assert code == 0
    graph = Graph().parse(data=turtle, format="turtle")
    assert len(set(graph.subjects(None, DIP.Summit))) >= 2
    assert "@prefix dip:" in turtle

    code, trig, _ = invoke(seeded_store_path, "query", "-e", construct, "--format", "trig",
                           "--article", SEED_004.name)
    assert code == 0
    dataset = Dataset().parse(data=trig, format="trig")
    named = dataset.graph(iris.article_graph(SEED_004.name))
    assert len(named) > 0 and set(named) <= set(graph)

    describe = invoke(seeded_store_path, "query", "-e", f"DESCRIBE <{iris.actor('KOR', 'state')}>")[1]
    assert (iris.actor("KOR", "state"), DIP.code, None) in Graph().parse(data=describe, format="turtle")
