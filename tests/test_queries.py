"""Named queries: they parse, run, keep the DESIGN columns, bind parameters safely."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib.plugins.sparql import prepareQuery

from kg.errors import QueryError
from kg.queries import registry, run
from kg.store import Store
from kg.vocab import DIP

CONTRACT = {
    "events": "event type status date location participants people sources",
    "agreements": "agreement name type status date parties sources",
    "people": "person name_en name_ko role country sources",
    "relations": "relation type actors sources",
}
QUERIES = registry()


def rows(store: Store, name: str, **params: str) -> list[dict[str, str | None]]:
    result = run(store, QUERIES[name], params)
    return [dict(zip(result.columns, r, strict=True)) for r in result.rows]


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_every_query_parses_and_runs(name: str, seeded_store: Store) -> None:
    query = QUERIES[name]
    prepareQuery(query.text)
    assert query.answers, f"{name} has no '# answers:' header"
    result = run(seeded_store, query)
    assert result.columns == query.columns


def _selects(text: str) -> list[tuple[str, str]]:
    """Each SELECT of ``text``: its projection, and its WHERE group without the subqueries nested in it."""
    text = re.sub(r"#[^\n]*", "", text)
    found = []
    for match in re.finditer(r"\bSELECT\b", text):
        where = text.index("WHERE", match.end())
        depth, own, i = 0, [], text.index("{", where)
        while True:
            char = text[i]
            depth += {"{": 1, "}": -1}.get(char, 0)
            if char == "{" and depth > 1 and re.match(r"\{\s*SELECT\b", text[i:]):
                inner, j = 1, i + 1  # skip the nested subquery: it is checked on its own
                while inner:
                    inner += {"{": 1, "}": -1}.get(text[j], 0)
                    j += 1
                depth -= 1
                i = j
                continue
            own.append(char)
            i += 1
            if depth == 0:
                break
        found.append((text[match.end():where], "".join(own)))
    return found


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_parameters_are_projected(name: str) -> None:
    """The engine binds only projected variables: every SELECT whose own group uses a parameter projects it."""
    selects = _selects(QUERIES[name].text)
    assert len(selects) == QUERIES[name].text.count("SELECT")
    for param in QUERIES[name].params:
        var = re.compile(rf"\?{param.name}\b")
        for projection, group in selects:
            if var.search(group):
                assert var.search(projection), (name, param.name, group[:80])


def test_the_projection_check_sees_a_parameter_used_in_a_subquery_that_hides_it() -> None:
    text = "SELECT ?x WHERE { { SELECT ?y WHERE { ?y ?p ?since } } BIND(?since AS ?z) }"
    (outer, outer_group), (inner, inner_group) = _selects(text)
    assert "?since" not in outer and "?since" in outer_group.replace("?y ?p ?since", "")
    assert "?since" in inner_group and "?since" not in inner


def test_contract_columns() -> None:
    for name, columns in CONTRACT.items():
        assert QUERIES[name].columns == tuple(columns.split())
    assert {"a", "b", "c"} == {p.name for p in QUERIES["trilateral"].params}
    assert [p.default for p in QUERIES["trilateral"].params] == ["KOR", "JPN", "USA"]


def test_events_hold_the_rok_japan_summit(seeded_store: Store) -> None:
    found = [r for r in rows(seeded_store, "events")
             if r["type"] == "Summit" and r["participants"] == "JPN KOR" and r["date"] == "2024-05-26"]
    assert len(found) == 1
    row = found[0]
    assert row["status"] == "held"
    assert row["sources"] == "004_73f0e8a35ad27e31.txt"
    assert "Yoon Suk Yeol" in (row["people"] or "") and "Fumio Kishida" in (row["people"] or "")


def test_relations_hold_the_trilateral_cooperation(seeded_store: Store) -> None:
    found = [r for r in rows(seeded_store, "relations") if r["type"] == "Cooperation" and r["actors"] == "JPN KOR USA"]
    assert found and "000_e23bad62de7aac41.txt" in (found[0]["sources"] or "").split()


def test_agreements_and_people(seeded_store: Store) -> None:
    agreements = rows(seeded_store, "agreements")
    assert any(r["type"] == "FreeTradeAgreement" and r["parties"] == "CHN KOR" and r["status"] == "negotiating"
               for r in agreements)
    people = {r["name_en"]: r for r in rows(seeded_store, "people")}
    assert people["Yoon Suk Yeol"]["country"] == "KOR" and people["Yoon Suk Yeol"]["name_ko"] == "윤석열"
    assert people["Cho Tae-yul"]["role"] and people["Cho Tae-yul"]["sources"] == "000_e23bad62de7aac41.txt"


def test_trilateral_defaults_and_evidence(seeded_store: Store) -> None:
    found = rows(seeded_store, "trilateral")
    assert found == rows(seeded_store, "trilateral", a="KOR", b="JPN", c="USA")
    kinds = {r["kind"] for r in found}
    assert {"event", "relation", "agreement"} <= kinds
    assert all(r["evidence"] and r["sources"] for r in found)
    assert any(r["kind"] == "relation" and r["actors"] == "JPN KOR USA" for r in found)
    others = rows(seeded_store, "trilateral", a="KOR", b="CHN", c="JPN")
    assert others != found and any(r["actors"] == "CHN JPN KOR" for r in others)


INJECTIONS = ['KOR" } } SELECT * WHERE { ?s ?p ?o } #', "KOR> } DROP ALL #", "USA\n} ; CLEAR ALL", "<x>"]


@pytest.mark.parametrize("value", INJECTIONS)
def test_injection_in_a_parameter_is_only_a_bad_value(value: str, seeded_store: Store) -> None:
    before = seeded_store.count()
    with pytest.raises(QueryError, match="unknown actor code"):
        run(seeded_store, QUERIES["trilateral"], {"a": value})
    assert seeded_store.count() == before


def test_unknown_parameter_is_an_error(seeded_store: Store) -> None:
    with pytest.raises(QueryError, match="has no parameter"):
        run(seeded_store, QUERIES["events"], {"x": "1"})


CHECKS = sorted(name for name in QUERIES if name.startswith("checks/"))

_BAD = """
@prefix dip: <https://w3id.org/dkg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <https://w3id.org/dkg/id/> .
<article/bad> a dip:Article ; dip:sourceFile "bad.txt" ; dcterms:date "2024-05-01"^^xsd:date .
<event/future> a dip:Summit ; dip:status dip:Held ; dip:date "2024-06-01"^^xsd:date ; dip:evidence <evidence/1> .
<evidence/1> dip:text "They met." ; dip:inArticle <article/bad> .
<relation/none> a dip:Alliance .
<actor/state/KOR> dip:code "KOR", "PRK" .
"""


def test_checks_find_nothing_on_the_seeds(seeded_store: Store) -> None:
    assert len(CHECKS) >= 3
    for name in CHECKS:
        assert name.endswith("-violation")
        assert run(seeded_store, QUERIES[name]).rows == (), name


def test_checks_find_what_they_look_for(tmp_path: Path) -> None:
    from rdflib import Graph, URIRef

    base = "https://w3id.org/dkg/id/"
    with Store(tmp_path / "db") as store:
        store.replace_graph(URIRef(base + "graph/article/bad"), Graph().parse(data=_BAD, format="turtle"))
        found = {name: run(store, QUERIES[name]).rows for name in CHECKS}
    assert found["checks/held-after-publication-violation"][0][:2] == (base + "event/future", "2024-06-01")
    assert found["checks/fact-without-evidence-violation"] == ((base + "relation/none", str(DIP.Alliance)),)
    assert found["checks/same-actor-violation"] == ((base + "actor/state/KOR", "KOR PRK"),)
