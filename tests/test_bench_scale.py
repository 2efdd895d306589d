"""The scale benchmark's generator and its main() on a tiny dataset (nothing asserted about time)."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest

from bench import scale
from kg import iris
from kg.queries import execute, registry
from kg.store import Store
from kg.validate import validate

TINY = 10_000  # quads; the reference graphs alone are about 6,500
DIP = "https://w3id.org/dkg/ontology#"
MEETINGS = {"Summit", "MinisterialMeeting", "ViceMinisterialMeeting", "Talks", "Visit", "Conference"}
RELATIONS = {"Cooperation", "Alliance", "Partnership", "Conflict", "Sanction"}


@pytest.fixture(scope="module")
def dataset(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, scale.GenStats]:
    path = tmp_path_factory.mktemp("scale") / "tiny.nq"
    return path, scale.generate(TINY, path)


@pytest.fixture(scope="module")
def loaded(dataset: tuple[Path, scale.GenStats]) -> ox.Store:
    store = ox.Store()
    store.load(path=str(dataset[0]), format=ox.RdfFormat.N_QUADS)
    return store


@pytest.fixture(scope="module")
def embedded(dataset: tuple[Path, scale.GenStats], tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("scale-store") / "db"
    figures = scale.load_embedded(dataset[0], folder)
    assert figures["quads"] == dataset[1].quads
    return folder


def _select(store: ox.Store, text: str) -> list[ox.QuerySolution]:
    result = store.query(f"PREFIX dip: <{DIP}>\n{text}", use_default_graph_as_union=True)
    assert isinstance(result, ox.QuerySolutions)
    return list(result)


def test_same_seed_same_triples(dataset: tuple[Path, scale.GenStats], tmp_path: Path) -> None:
    path, stats = dataset
    again = scale.generate(TINY, tmp_path / "again.nq")
    assert again.sha256 == stats.sha256
    assert (tmp_path / "again.nq").read_bytes() == path.read_bytes()
    other = scale.generate(TINY, tmp_path / "other.nq", seed=7)
    assert other.sha256 != stats.sha256


def test_requested_size_is_met(dataset: tuple[Path, scale.GenStats], loaded: ox.Store) -> None:
    path, stats = dataset
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines)) == stats.quads == len(loaded)
    assert TINY <= stats.quads < TINY + 2_000  # it stops with the article that reaches the target
    assert stats.articles >= 5 and stats.bytes == path.stat().st_size


def test_graphs_are_shaped_like_an_import(dataset: tuple[Path, scale.GenStats], loaded: ox.Store) -> None:
    stats = dataset[1]
    graphs = {g.value for g in loaded.named_graphs() if isinstance(g, ox.NamedNode)}
    assert {str(iris.ONTOLOGY_GRAPH), str(iris.GAZETTEER_GRAPH)} <= graphs
    assert len(graphs) == stats.articles + 2
    # each article graph holds its own article, named as the importer names it, with PROV links
    rows = _select(loaded, "SELECT ?g ?article ?file WHERE { GRAPH ?g { ?article a dip:Article ; dip:sourceFile ?file ;"
                           " ^<http://www.w3.org/ns/prov#used> ?activity } }")
    assert len(rows) == stats.articles
    for row in rows:
        file = row["file"].value
        assert row["g"].value == str(iris.article_graph(file)) and row["article"].value == str(iris.article(file))
    # every evidence span points at the article of its own graph, with offsets and text
    stray = _select(loaded, "SELECT ?ev WHERE { GRAPH ?g { ?fact dip:evidence ?ev . ?ev dip:inArticle ?a ;"
                            " dip:text ?t ; dip:charStart ?s ; dip:charEnd ?e } ?a dip:sourceFile ?f"
                            " FILTER (STR(?g) != CONCAT(\"" + iris.BASE + "graph/article/\", STR(?f))) }")
    assert not stray
    # every type of meeting and relation, statuses before and after the fact, vague dates
    types = {r["c"].value.removeprefix(DIP) for r in _select(loaded, "SELECT DISTINCT ?c WHERE { ?x a ?c }")}
    assert MEETINGS | RELATIONS <= types
    codes = {r["c"].value for r in _select(loaded, "SELECT DISTINCT ?c WHERE { ?x dip:status/dip:statusCode ?c }")}
    assert {"planned", "held", "agreed"} <= codes
    assert _select(loaded, "SELECT ?x WHERE { ?x dip:dateEarliest ?e ; dip:dateLatest ?l } LIMIT 1")
    assert _select(loaded, "SELECT ?x WHERE { ?x dip:party ?p ; dip:agreedAt ?m } LIMIT 1")
    # facts recur across articles: some events are stated in several article graphs
    recurring = _select(loaded, "SELECT ?e (COUNT(DISTINCT ?g) AS ?n) WHERE { GRAPH ?g { ?e dip:participant ?p } }"
                                " GROUP BY ?e HAVING (COUNT(DISTINCT ?g) > 1)")
    assert recurring


def test_a_few_actors_dominate(loaded: ox.Store) -> None:
    rows = _select(loaded, "SELECT ?code WHERE { GRAPH ?g { ?e dip:participant ?a } ?a dip:code ?code }")
    counts = Counter(r["code"].value for r in rows)
    top = {code for code, _ in counts.most_common(5)}
    assert len(top & {"KOR", "USA", "JPN", "CHN", "PRK", "RUS"}) >= 4
    assert counts.most_common(1)[0][0] == "KOR"
    assert len(counts) > 20  # and a long tail of others from the gazetteer


def test_named_queries_return_rows(embedded: Path) -> None:
    """Every named query has rows on the generated data (with its defaults), and the checks hold."""
    with Store(embedded) as store:
        for name, query in registry().items():
            answer = execute(store, query)
            rows = getattr(answer, "rows", ())
            if name.startswith("checks/"):
                assert not rows, (name, rows[:3])
            else:
                assert rows, name


def test_shapes_and_checks_hold(embedded: Path) -> None:
    """``dkg validate`` on the generated data: the SHACL shapes (with RDFS inference) and the checks."""
    with Store(embedded) as store:
        report = validate(store)
    assert report.conforms, [(v.shape, v.path, v.focus, v.message) for v in report.violations[:5]]


def test_main_runs_end_to_end(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    json_file = tmp_path / "figures.json"
    code = scale.main(["--triples", str(TINY), "--no-server", "--no-views", "--runs", "2", "--timeout", "0.5",
                       "--queries", "relations", "people", "trilateral", "checks/same-actor-violation",
                       "--work-dir", str(tmp_path), "--json", str(json_file)])
    assert code == 0
    out = capsys.readouterr().out
    assert ("| query | rows | embedded ms (cpu) | engine ms | kept answer ms | server ms (server cpu) "
            "| rdflib ms (cpu) | rdflib / embedded (cpu) |") in out
    assert "| embedded |" in out and "| rdflib |" in out and "skipped (--no-server)" in out
    lines = {line.split(" | ")[0].lstrip("| "): line.split(" | ") for line in out.splitlines() if line.startswith("| ")}
    for name in ("relations", "people"):
        cells = lines[name]
        assert int(cells[1].replace(",", "")) > 0  # rows
        assert float(cells[2].replace(",", "").split()[0]) > 0  # embedded median
        assert float(cells[4].replace(",", "")) > 0  # the answer the store kept, asked again
        assert cells[5] == "skipped"  # server
    assert lines["trilateral"][6] == "timeout"  # rdflib: over --timeout, abandoned
    figures = json.loads(json_file.read_text(encoding="utf-8"))
    people = figures[0]["queries"]["people"]["embedded"]
    assert len(people["ms"]) == 2 and len(people["kept_ms"]) == 2, "cold runs bypass the kept answers"
    assert json_file.is_file() and list(tmp_path.glob("dkg-scale-*")) == []  # temporary files removed


def test_cold_runs_reach_the_engine_and_kept_runs_do_not(embedded: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Store(embedded) as store:
        calls = []
        original = store.query
        monkeypatch.setattr(store, "query", lambda *a, **k: calls.append(1) or original(*a, **k))
        sent: list[tuple[object, ...]] = []
        handle = scale._store_handler(store, engine=False)
        handle(("query", registry()["people"], {}, 3, 60.0), sent.append)
    labels = [m[1] for m in sent if m[0] == "run"]
    assert labels == ["user"] * 3 + ["kept"] * 3
    assert len(calls) == 3, "three cold runs; the last one's answer is kept, and the kept runs read it"
