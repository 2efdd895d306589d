"""`dkg validate` and kg.validate: the SHACL shapes and the *-violation checks over real imports and broken facts."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, PROV

from bench.quality.external import klue_sentences, plover_records
from conftest import eval_file
from kg import iris
from kg.cli import cli
from kg.gazetteer import default as default_gazetteer
from kg.importer import ensure_reference_graphs, import_paths
from kg.store import Store
from kg.validate import SHACL, Report, ValidationError, rdfs_entailments, report_data, validate
from kg.vocab import DIP

ID = iris.BASE
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
CHECKS = {"checks/fact-without-evidence-violation", "checks/held-after-publication-violation",
          "checks/same-actor-violation"}


def invoke(store: Path, *args: str) -> tuple[int, str]:
    result = CliRunner().invoke(cli, ["--store", str(store), "validate", *args])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return result.exit_code, result.output


def found(report: Report) -> set[tuple[str, str, str]]:
    """(source, shape or check, focus) of every violation."""
    return {(v.source, v.shape, v.focus) for v in report.violations}


def assert_well_formed(report: Report, files: set[str] | None = None) -> None:
    assert report.conforms == (not report.violations)
    assert sum(report.counts.values()) == len(report.violations)
    assert set(report.checks) >= CHECKS
    for v in report.violations:
        assert v.source == SHACL or v.source in report.checks, v
        assert v.message and v.shape, v
        assert v.focus or v.evidence, f"a violation names neither a focus node nor evidence: {v}"
        assert v.focus == "" or v.focus.startswith("https://"), v
        for file, sentence in v.evidence:
            assert sentence, v
            assert files is None or file in files, (file, v)
    data = report_data(report)
    assert json.loads(json.dumps(data)) == data
    assert len(data["violations"]) == len(report.violations)


# -- (a) the seeds ------------------------------------------------------------------------


def test_seed_store_has_no_violations(seeded_store: Store) -> None:
    report = validate(seeded_store)
    assert_well_formed(report)
    assert report.violations == (), "\n".join(f"{v.source} {v.shape} {v.focus}: {v.message}"
                                              for v in report.violations)
    assert report.conforms and report.counts == {}
    for graph in seeded_store.graphs():
        if str(graph).startswith(ID + "graph/article/"):
            assert validate(seeded_store, graph).conforms, graph


def test_cli_on_the_seed_store_exits_0(seeded_store_path: Path) -> None:
    code, out = invoke(seeded_store_path)
    assert code == 0, out
    assert out.splitlines()[-1] == "no violations in the store (SHACL shapes and 3 checks)"
    code, out = invoke(seeded_store_path, "--article", "004_73f0e8a35ad27e31.txt", "--format", "json")
    assert code == 0, out
    data = json.loads(out)
    assert data["conforms"] is True and data["violations"] == []
    assert data["graph"] == str(iris.article_graph("004_73f0e8a35ad27e31.txt"))
    code, out = invoke(seeded_store_path, "--article", "no-such-article.txt")
    assert code == 2 and "no-such-article.txt" in out


# -- (b) real sentences of ../shared/eval ---------------------------------------------------

# The violations the import of the eval sentences is known to show, as (source, shape, path):
# none today. A new kind of violation fails the test; so does a known one that goes away.
KNOWN_EVAL_VIOLATIONS: set[tuple[str, str, str]] = set()


@pytest.fixture(scope="module")
def eval_store(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, set[str]]:
    """A store of the PLOVER sentences and KLUE-NER diplomacy sentences, one small article each."""
    plover = eval_file("plover_gsr", "PLOVER_GSR_CAMEO.txt")
    eval_file("klue_ner", "diplomacy_sentence_ids.txt")
    eval_dir = plover.parents[1]
    folder = tmp_path_factory.mktemp("eval-articles")
    files: set[str] = set()

    def write(name: str, title: str, date: str, lang: str, text: str) -> None:
        front = f"---\ntitle: {json.dumps(title)}\n" + (f"date: {date}\n" if date else "") + f"lang: {lang}\n---\n"
        (folder / name).write_text(front + text + "\n", encoding="utf-8")
        files.add(name)

    for i, record in enumerate(plover_records(eval_dir)):
        write(f"plover-{i:03d}.md", record.id, record.date.isoformat() if record.date else "", "en", record.text)
    for i, (ident, text, _) in enumerate(klue_sentences(eval_dir)):
        write(f"klue-{i:02d}.md", ident, "", "ko", text)
    assert len(files) > 300
    path = tmp_path_factory.mktemp("eval-store") / "db"
    with Store(path) as store:
        reports = import_paths(store, [folder])
    failed = [r.line() for r in reports if r.status != "imported"]
    assert not failed, failed
    return path, files


def test_eval_import_is_validated(eval_store: tuple[Path, set[str]]) -> None:
    path, files = eval_store
    with Store(path) as store:
        counted = store.select("PREFIX dip: <https://w3id.org/dkg/ontology#> "
                               "SELECT (COUNT(DISTINCT ?e) AS ?n) WHERE { ?e dip:evidence ?ev }")[1]
        report = validate(store)
    assert int(counted[0][0]) > 100  # facts with evidence: the shapes have something to check  # type: ignore[arg-type]
    assert_well_formed(report, files)
    for v in report.violations:  # shown with -s or on failure
        print(v.source, v.shape, v.path, v.focus, v.message, v.value, v.evidence)
    assert {(v.source, v.shape, v.path) for v in report.violations} == KNOWN_EVAL_VIOLATIONS


def test_eval_import_through_the_cli(eval_store: tuple[Path, set[str]]) -> None:
    path, _ = eval_store
    code, out = invoke(path, "--format", "json")
    data = json.loads(out)
    assert code == (0 if data["conforms"] else 1)
    assert {(v["source"], v["shape"], v["path"] or "") for v in data["violations"]} == KNOWN_EVAL_VIOLATIONS


# -- (c) one broken fact per rule -------------------------------------------------------------

ARTICLE = "t.txt"
SENTENCE = "한일 정상회담이 20일 서울에서 열렸다."
EVENT = ID + "event/t1"
KOR = ID + "actor/state/KOR"
EVIDENCE = ID + "evidence/t.txt/0-21-a"
EXTRACTION = ID + "extraction/t.txt"

GOOD = f"""
@prefix dip: <https://w3id.org/dkg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <{ID}> .
<article/t.txt> a dip:Article ; dip:sourceFile "t.txt" ; dip:contentHash "00ff" ;
    dcterms:date "2024-05-26"^^xsd:date .
<event/t1> a dip:Summit ;
    dip:participant <actor/state/KOR> , <actor/state/JPN> ;
    dip:status dip:Held ;
    dip:date "2024-05-20"^^xsd:date ;
    dip:evidence <evidence/t.txt/0-21-a> ;
    prov:wasDerivedFrom <article/t.txt> .
<evidence/t.txt/0-21-a> a dip:Evidence ;
    dip:text "{SENTENCE}" ;
    dip:charStart "0"^^xsd:nonNegativeInteger ;
    dip:charEnd "21"^^xsd:nonNegativeInteger ;
    dip:inArticle <article/t.txt> ;
    prov:wasDerivedFrom <article/t.txt> ;
    prov:wasGeneratedBy <extraction/t.txt> .
<extraction/t.txt> a prov:Activity ;
    prov:used <article/t.txt> ;
    prov:wasAssociatedWith <agent/dkg-rules> .
<agent/dkg-rules> a prov:SoftwareAgent .
"""


def good() -> Graph:
    return Graph().parse(data=GOOD, format="turtle")


def one_participant(g: Graph) -> None:
    g.remove((URIRef(EVENT), DIP.participant, URIRef(ID + "actor/state/JPN")))


def held_after_publication(g: Graph) -> None:
    g.set((URIRef(EVENT), DIP.date, Literal("2024-06-01", datatype=XSD_DATE)))


def koreas_merged(g: Graph) -> None:
    g.add((URIRef(KOR), DIP.code, Literal("PRK")))


def no_evidence(g: Graph) -> None:
    g.remove((URIRef(EVENT), DIP.evidence, None))
    g.remove((URIRef(EVENT), PROV.wasDerivedFrom, None))


def not_derived(g: Graph) -> None:
    g.remove((URIRef(EVENT), PROV.wasDerivedFrom, None))


def evidence_from_nowhere(g: Graph) -> None:
    g.remove((URIRef(EVIDENCE), PROV.wasGeneratedBy, None))


def extraction_by_nobody(g: Graph) -> None:
    g.remove((URIRef(EXTRACTION), PROV.wasAssociatedWith, None))


BREAKS = {
    "summit-with-one-state": (one_participant, {(SHACL, "dsh:SummitShape", EVENT)},
                              "A summit needs at least two participants", True),
    "held-after-publication": (held_after_publication, {
        (SHACL, "dsh:HeldEventDateShape", EVENT),
        ("checks/held-after-publication-violation", "checks/held-after-publication-violation", EVENT),
    }, "A held event is dated 2024-06-01, after its source t.txt was published on 2024-05-26.", True),
    "rok-and-dprk-one-actor": (koreas_merged, {
        (SHACL, "dsh:KoreasShape", KOR),
        (SHACL, "dsh:StateShape", KOR),
        ("checks/same-actor-violation", "checks/same-actor-violation", KOR),
    }, "ROK and DPRK are never the same actor", True),
    "event-without-evidence": (no_evidence, {
        (SHACL, "dsh:EventShape", EVENT),
        ("checks/fact-without-evidence-violation", "checks/fact-without-evidence-violation", EVENT),
    }, "An event needs at least one dip:evidence span.", False),
    "fact-not-derived-from-its-article": (not_derived, {(SHACL, "dsh:FactProvenanceShape", EVENT)},
                                          "A fact needs prov:wasDerivedFrom the dip:Article", True),
    "evidence-not-generated": (evidence_from_nowhere, {(SHACL, "dsh:EvidenceShape", EVIDENCE)},
                               "Evidence needs prov:wasGeneratedBy", True),
    "extraction-without-agent": (extraction_by_nobody, {(SHACL, "dsh:ExtractionShape", EXTRACTION)},
                                 "An extraction needs prov:wasAssociatedWith", False),
}


@pytest.fixture(scope="module")
def reference_store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store holding only the reference graphs (ontology, gazetteer)."""
    path = tmp_path_factory.mktemp("reference") / "db"
    with Store(path) as store:
        ensure_reference_graphs(store, default_gazetteer())
    return path


@pytest.fixture()
def store_path(reference_store: Path, tmp_path: Path) -> Path:
    path = tmp_path / "db"
    shutil.copytree(reference_store, path)
    return path


def test_the_unbroken_article_conforms(store_path: Path) -> None:
    with Store(store_path) as store:
        store.replace_graph(iris.article_graph(ARTICLE), good())
        report = validate(store)
    assert report.violations == ()
    assert invoke(store_path)[0] == 0


@pytest.mark.parametrize("name", sorted(BREAKS))
def test_a_broken_fact_is_found_and_mending_it_passes(store_path: Path, name: str) -> None:
    breaks, expected, message, has_evidence = BREAKS[name]
    graph = iris.article_graph(ARTICLE)
    broken = good()
    breaks(broken)
    with Store(store_path) as store:
        store.replace_graph(graph, broken)
        report = validate(store)
        alone = validate(store, graph)
    assert_well_formed(report, {ARTICLE})
    assert found(report) == expected, report.violations
    assert found(alone) == expected, alone.violations
    assert any(message in v.message for v in report.violations), [v.message for v in report.violations]
    for v in report.violations:
        assert v.evidence == (((ARTICLE, SENTENCE),) if has_evidence else ()), v

    code, out = invoke(store_path)
    assert code == 1, out
    assert message in out
    assert any(focus in out for _, _, focus in expected)
    if has_evidence:
        assert f"evidence: {ARTICLE}: {SENTENCE}" in out
    else:
        assert "evidence: (none found)" in out
    assert out.splitlines()[-1].startswith(f"{len(expected)} violations in the store (")
    data = json.loads(invoke(store_path, "--format", "json")[1])
    assert data["conforms"] is False
    assert {(v["source"], v["shape"], v["focus"]) for v in data["violations"]} == expected

    with Store(store_path) as store:
        store.replace_graph(graph, good())
        assert validate(store).conforms
    assert invoke(store_path)[0] == 0


def test_one_article_is_validated_alone(store_path: Path) -> None:
    """--article sees its own graph: another article's broken fact is not reported."""
    other = Graph().parse(data=GOOD.replace("t.txt", "u.txt").replace("event/t1", "event/u1"), format="turtle")
    broken = good()
    held_after_publication(broken)
    with Store(store_path) as store:
        store.replace_graphs({iris.article_graph(ARTICLE): broken, iris.article_graph("u.txt"): other})
        assert not validate(store).conforms
        assert validate(store, iris.article_graph("u.txt")).conforms
        with pytest.raises(ValidationError, match="no graph"):
            validate(store, iris.article_graph("absent.txt"))
    assert invoke(store_path, "--article", "u.txt")[0] == 0
    code, out = invoke(store_path, "--article", ARTICLE)
    assert code == 1 and "after its source t.txt was published" in out


def test_a_plan_reported_held_later_is_not_a_violation(store_path: Path) -> None:
    """One article announces the summit before it happens, a later one reports it held: both stand."""
    early = Graph().parse(data=GOOD.replace("t.txt", "early.txt"), format="turtle")
    early.set((URIRef(EVENT), DIP.status, DIP.Planned))
    early.remove((URIRef(EVENT), DIP.date, None))
    early.set((URIRef(ID + "article/early.txt"), DCTERMS.date, Literal("2024-05-01", datatype=XSD_DATE)))
    with Store(store_path) as store:
        store.replace_graphs({iris.article_graph(ARTICLE): good(), iris.article_graph("early.txt"): early})
        report = validate(store)
    assert report.violations == ()


def test_our_rdfs_entailments_match_pyshacl_rdfs(store_path: Path) -> None:
    """The entailments computed in kg.validate find what pySHACL's own (owlrl) RDFS inference finds."""
    broken = good()
    one_participant(broken)
    koreas_merged(broken)
    with Store(store_path) as store:
        store.replace_graph(iris.article_graph(ARTICLE), broken)
        ours = validate(store)
        theirs = validate(store, inference="pyshacl-rdfs")
    assert found(ours) == found(theirs) != set()


def test_rdfs_entailments() -> None:
    from kg.resources import ontology_file

    ontology = Graph().parse(ontology_file("diplomacy.ttl"))
    event, ev, article = URIRef(EVENT), URIRef(ID + "evidence/e"), URIRef(ID + "article/a")
    data = Graph()
    data.add((event, RDF.type, DIP.Summit))
    data.add((event, DIP.evidence, ev))
    data.add((ev, DIP.inArticle, article))
    entailed = rdfs_entailments(data, ontology)
    assert (event, RDF.type, DIP.Meeting) in entailed and (event, RDF.type, DIP.Event) in entailed
    assert (event, PROV.wasDerivedFrom, ev) in entailed  # dip:evidence is a subproperty
    assert (ev, RDF.type, DIP.Evidence) in entailed  # range, and domain of dip:inArticle
    assert (article, RDF.type, DIP.Article) in entailed and (article, RDF.type, PROV.Entity) in entailed
    assert not entailed & set(data)
