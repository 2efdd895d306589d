"""The query library: actor, timeline, ties, plans, evidence, series and office-holders on the seeds."""

from __future__ import annotations

from pathlib import Path

import pytest
from rdflib import Graph, URIRef

from conftest import ARTICLES, SEED_000, SEED_004
from kg import iris
from kg.errors import QueryError
from kg.queries import registry, run
from kg.read import read_article
from kg.store import Store

QUERIES = registry()
S000, S004 = SEED_000.name, SEED_004.name
BOTH = f"{S000} {S004}"
Row = dict[str, str | None]


def rows(store: Store, name: str, **params: str) -> list[Row]:
    result = run(store, QUERIES[name], params)
    return [dict(zip(result.columns, r, strict=True)) for r in result.rows]


def one(found: list[Row]) -> Row:
    assert len(found) == 1, found
    return found[0]


def event_iri(store: Store, type_: str, participants: str, date: str) -> str:
    """The IRI of a seed event, found through the events query (IRIs are hashes)."""
    row = one([r for r in rows(store, "events")
               if (r["type"], r["participants"], r["date"]) == (type_, participants, date)])
    assert row["event"]
    return row["event"]


def test_library_is_registered() -> None:
    for name in ("actor", "timeline", "ties", "plans", "evidence", "series", "office-holders"):
        query = QUERIES[name]
        assert query.answers and query.columns, name
    assert [(p.name, p.type, p.default) for p in QUERIES["actor"].params] == [("code", "actor", "KOR")]
    assert [(p.name, p.type, p.default) for p in QUERIES["timeline"].params] == [
        ("a", "actor", "KOR"), ("b", "actor", ""), ("since", "date", ""), ("until", "date", "")]
    assert [(p.name, p.default) for p in QUERIES["ties"].params] == [("since", ""), ("until", "")]
    assert [(p.name, p.type, p.default) for p in QUERIES["series"].params] == [
        ("series", "series", "Summit:CHN-JPN-KOR")]
    assert [(p.name, p.type) for p in QUERIES["office-holders"].params] == [("office", "office"), ("on", "date")]
    assert [(p.name, p.type, p.default) for p in QUERIES["evidence"].params] == [("item", "iri", "")]


# -- actor ----------------------------------------------------------------------------------------

def test_actor_korea_has_events_agreements_relations_and_people(seeded_store: Store) -> None:
    found = rows(seeded_store, "actor")
    assert found == rows(seeded_store, "actor", code="KOR")
    assert {r["kind"] for r in found} == {"event", "agreement", "relation", "person"}
    assert all(r["evidence"] and r["sources"] for r in found)
    assert all("KOR" not in (r["actors"] or "").split() for r in found), "actors are the other actors"
    summit = one([r for r in found if r["type"] == "Summit" and r["date"] == "2024-05-26"])
    assert (summit["kind"], summit["status"], summit["actors"], summit["sources"]) == ("event", "held", "JPN", S004)
    trilateral = one([r for r in found if r["type"] == "Summit" and r["date"] == "2024-05-27"])
    assert (trilateral["status"], trilateral["actors"], trilateral["sources"]) == ("held", "CHN JPN", BOTH)
    fta = one([r for r in found if r["type"] == "FreeTradeAgreement"])
    assert (fta["kind"], fta["status"], fta["actors"]) == ("agreement", "negotiating", "CHN")
    assert fta["label"] == "Korea-China Free Trade Agreement (FTA)"
    alliance = one([r for r in found if r["type"] == "Alliance"])
    assert (alliance["kind"], alliance["actors"], alliance["status"]) == ("relation", "USA", None)
    people = {r["label"]: r for r in found if r["kind"] == "person"}
    assert set(people) == {"Yoon Suk Yeol (윤석열)", "Cho Tae-yul (조태열)", "Choi Sang-mok (최상목)"}
    assert people["Yoon Suk Yeol (윤석열)"]["type"] == "대통령"
    assert people["Yoon Suk Yeol (윤석열)"]["item"] == str(iris.actor("yoon-suk-yeol", "person"))
    kinds = [r["kind"] or "" for r in found]
    assert kinds == sorted(kinds)


def test_actor_for_other_actors(seeded_store: Store) -> None:
    japan = rows(seeded_store, "actor", code="JPN")
    assert {r["label"] for r in japan if r["kind"] == "person"} == {"Fumio Kishida (기시다 후미오)"}
    assert sum(r["type"] == "Commitment" and r["actors"] == "KOR" for r in japan) == 11
    yoon = rows(seeded_store, "actor", code="yoon-suk-yeol")
    assert [(r["kind"], r["type"], r["date"], r["actors"]) for r in yoon] == [
        ("event", "Summit", "2024-05-26", "JPN KOR"), ("event", "Visit", "2024-05-26", "JPN KOR"),
        ("event", "Summit", "2024-05-27", "CHN JPN KOR")]
    apec = one(rows(seeded_store, "actor", code="APEC"))
    assert (apec["type"], apec["status"], apec["date"], apec["actors"]) == ("Conference", "planned", "2025-10-31", None)
    with pytest.raises(QueryError, match="unknown actor"):
        rows(seeded_store, "actor", code="XYZ")


# -- timeline -------------------------------------------------------------------------------------

def test_timeline_period_holds_the_rok_japan_summit(seeded_store: Store) -> None:
    may = rows(seeded_store, "timeline", a="KOR", since="2024-05-01", until="2024-05-31")
    assert [(r["date"], r["type"], r["participants"]) for r in may] == [
        ("2024-05-26", "Summit", "JPN KOR"), ("2024-05-26", "Visit", "JPN KOR"),
        ("2024-05-27", "Summit", "CHN JPN KOR")]
    summit = may[0]
    assert (summit["status"], summit["sources"]) == ("held", S004)
    assert summit["evidence"] and "정상회담" in summit["evidence"]
    assert may[2]["location"] == "Seoul" and may[2]["sources"] == BOTH
    assert rows(seeded_store, "timeline", until="2024-05-25") == []
    assert [r["date"] for r in rows(seeded_store, "timeline", since="2024-05-27", until="2024-05-27")] == ["2024-05-27"]


def test_timeline_order_undated_last_and_pairs(seeded_store: Store) -> None:
    found = rows(seeded_store, "timeline")
    dates = [r["date"] for r in found]
    dated = [d for d in dates if d]
    assert dated == sorted(dated) and dates[:len(dated)] == dated, "dated events first, in date order"
    assert len(dated) < len(found), "undated events are listed last without a period"
    assert all(r["date"] for r in rows(seeded_store, "timeline", since="2000-01-01"))
    assert all("KOR" in (r["participants"] or "").split() for r in found)
    pair = rows(seeded_store, "timeline", a="KOR", b="CHN")
    assert pair and all({"KOR", "CHN"} <= set((r["participants"] or "").split()) for r in pair)
    assert len(pair) < len(found)
    assert [r["date"] for r in rows(seeded_store, "timeline", a="yoon-suk-yeol")] == [
        "2024-05-26", "2024-05-26", "2024-05-27"]


def test_timeline_partial_overlap_of_a_multi_day_event(seeded_store: Store) -> None:
    """The APEC leaders' meeting runs 2025-10-31 to 2025-11-01: a period touching either day holds it."""
    assert [r["location"] for r in rows(seeded_store, "timeline", a="APEC", since="2025-11-01")] == ["Gyeongju"]
    assert rows(seeded_store, "timeline", a="APEC", since="2025-11-02") == []
    assert len(rows(seeded_store, "timeline", a="APEC", until="2025-10-31")) == 1
    assert rows(seeded_store, "timeline", a="APEC", until="2025-10-30") == []


# -- ties -----------------------------------------------------------------------------------------

def test_ties_rok_japan(seeded_store: Store) -> None:
    found = rows(seeded_store, "ties")
    keys = [(r["a"], r["b"], r["kind"], r["type"]) for r in found]
    assert len(keys) == len(set(keys)), "each pair and tie type once"
    assert all((r["a"] or "") < (r["b"] or "") for r in found)
    assert all(int(r["weight"] or 0) >= 1 and r["sources"] for r in found)
    ties = {(r["kind"], r["type"]): r for r in found if (r["a"], r["b"]) == ("JPN", "KOR")}
    summit = ties["event", "Summit"]
    assert int(summit["weight"] or 0) == 2 and summit["sources"] == BOTH
    assert (summit["first"], summit["last"]) == ("2024-05-26", "2024-05-27")
    assert int(ties["relation", "Cooperation"]["weight"] or 0) == 3  # JPN-KOR, CHN-JPN-KOR, JPN-KOR-USA
    assert int(ties["agreement", "Commitment"]["weight"] or 0) == 11
    assert ties["agreement", "Commitment"]["first"] is None
    assert not any(r["a"] == "KOR" and r["b"] == "JPN" for r in found)
    assert any((r["a"], r["b"], r["type"]) == ("KOR", "USA", "Alliance") for r in found)
    assert all(r["a"] == (r["a"] or "").upper() and r["b"] == (r["b"] or "").upper() for r in found), "no people"


def test_ties_period(seeded_store: Store) -> None:
    def jpn_kor(**params: str) -> dict[str, str | None]:
        return {r["type"] or "": r["weight"] for r in rows(seeded_store, "ties", **params)
                if (r["a"], r["b"]) == ("JPN", "KOR")}

    late = jpn_kor(since="2024-05-27")
    assert late["Summit"] == "1" and "Visit" not in late
    assert late["Cooperation"] == "3" and late["Commitment"] == "11", "undated items always count"
    early = jpn_kor(until="2024-05-25")
    assert "Summit" not in early and early["Cooperation"] == "3"
    assert jpn_kor(since="2024-05-26", until="2024-05-26")["Summit"] == "1"
    assert jpn_kor(since="2024-01-01", until="2024-12-31")["Summit"] == "2"


# -- plans ----------------------------------------------------------------------------------------

def test_plans_what_the_seeds_announce(seeded_store: Store) -> None:
    found = rows(seeded_store, "plans")
    assert all(r["planned_in"] and r["planned_date"] for r in found)
    assert all(r["outcome"] in ("none", "held", "cancelled", "postponed", "agreed", "signed", "ratified", "in-force")
               for r in found)
    assert all((r["outcome"] == "none") == (r["outcome_in"] is None) for r in found)
    assert all((r["outcome_date"] or "9999") >= (r["planned_date"] or "") for r in found)
    # 004 (2024-05-26) announces the 9th Korea-Japan-China summit; 000 (2025-01-16) reports it held.
    ninth = one([r for r in found if r["type"] == "Summit" and r["actors"] == "CHN JPN KOR"])
    assert (ninth["kind"], ninth["date"], ninth["planned_in"], ninth["planned_date"]) == (
        "event", "2024-05-27", S004, "2024-05-26")
    assert (ninth["outcome"], ninth["outcome_in"], ninth["outcome_date"]) == ("held", S000, "2025-01-16")
    # 000's work plan: the APEC leaders' meeting in Gyeongju and the Dukovany contract, not yet reported done.
    apec = one([r for r in found if r["actors"] == "APEC"])
    assert (apec["type"], apec["date"], apec["planned_in"], apec["outcome"]) == (
        "Conference", "2025-10-31", S000, "none")
    contract = one([r for r in found if r["type"] == "Contract"])
    assert (contract["kind"], contract["actors"], contract["date"], contract["outcome"]) == (
        "agreement", "CZE KOR", "2025-03", "none")
    fta = one([r for r in found if r["type"] == "FreeTradeAgreement"])
    assert (fta["planned_in"], fta["outcome"]) == (S000, "none")
    assert any(r["actors"] == "KAZ KGZ KOR TJK TKM UZB" and r["type"] == "Summit" for r in found)
    # The 2024-05-26 ROK-Japan summit was only ever reported held: no plan.
    assert not any(r["type"] == "Summit" and r["date"] == "2024-05-26" for r in found)


# -- evidence -------------------------------------------------------------------------------------

def test_evidence_of_one_item_slices_its_article(seeded_store: Store) -> None:
    summit = event_iri(seeded_store, "Summit", "JPN KOR", "2024-05-26")
    found = rows(seeded_store, "evidence", item=summit)
    assert found and all(r["item"] == summit and (r["kind"], r["type"]) == ("event", "Summit") for r in found)
    text = read_article(SEED_004).text
    for r in found:
        assert r["article"] == S004 and r["published"] == "2024-05-26" and r["url"] == "https://newsdao.kr/3909"
        assert r["title"] and r["extractor"] and r["reported_status"] == "held"
        assert text[int(r["start"] or 0):int(r["end"] or 0)] == r["sentence"]
    assert any("한일 정상회담을 가졌다" in (r["sentence"] or "") for r in found)
    relative = summit.removeprefix(iris.BASE)
    assert rows(seeded_store, "evidence", item=relative) == found


def test_evidence_of_every_fact(seeded_store: Store) -> None:
    found = rows(seeded_store, "evidence")
    assert {r["kind"] for r in found} == {"event", "agreement", "relation"}
    texts = {name: read_article(ARTICLES / name).text for name in (S000, S004)}
    for r in found:
        assert texts[r["article"] or ""][int(r["start"] or 0):int(r["end"] or 0)] == r["sentence"], r
    assert all(r["reported_status"] is None for r in found if r["kind"] == "relation")
    assert all(r["reported_status"] for r in found if r["kind"] != "relation")
    ninth = event_iri(seeded_store, "Summit", "CHN JPN KOR", "2024-05-27")
    reports = {(r["article"], r["reported_status"]) for r in found if r["item"] == ninth}
    assert reports == {(S004, "planned"), (S000, "held")}
    assert rows(seeded_store, "evidence", item="event/no-such-event") == []
    with pytest.raises(QueryError, match="not an IRI"):
        rows(seeded_store, "evidence", item="not an iri")


# -- series ---------------------------------------------------------------------------------------

def test_series_lists_the_ninth_trilateral_summit(seeded_store: Store) -> None:
    found = rows(seeded_store, "series")
    assert found == rows(seeded_store, "series", series="Summit:CHN-JPN-KOR")
    ninth = one([r for r in found if r["edition"] == "9"])
    assert (ninth["date"], ninth["place"], ninth["status"], ninth["sources"]) == ("2024-05-27", "Seoul", "held", BOTH)
    assert ninth["event"] == event_iri(seeded_store, "Summit", "CHN JPN KOR", "2024-05-27")
    apec = one(rows(seeded_store, "series", series="Conference:APEC"))
    assert (apec["edition"], apec["date"], apec["place"], apec["status"]) == ("32", "2025-10-31", "Gyeongju", "planned")
    with pytest.raises(QueryError, match="unknown meeting series"):
        rows(seeded_store, "series", series="Summit:KOR-XYZ")


_SYNTHETIC = """
@prefix dip: <https://w3id.org/dkg/ontology#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <https://w3id.org/dkg/id/> .
<edition/1> dip:inSeries <series/Summit-CHN-JPN-KOR> ; dip:edition "1"^^xsd:positiveInteger ;
    dip:date "2008-12-13"^^xsd:date ; dip:location <place/fukuoka> .
<edition/9> dip:inSeries <series/Summit-CHN-JPN-KOR> ; dip:edition "9"^^xsd:positiveInteger ;
    dip:date "2024-05-27"^^xsd:date .
<place/fukuoka> rdfs:label "Fukuoka"@en .
<place/seoul> rdfs:label "Seoul"@en .
<event/ninth> a dip:Summit ; dip:inSeries <series/Summit-CHN-JPN-KOR> ; dip:edition "9"^^xsd:positiveInteger ;
    dip:date "2024-05-27"^^xsd:date ; dip:location <place/seoul> ; dip:status dip:Held ;
    dip:participant <actor/state/KOR>, <actor/state/JPN> ; dip:evidence <evidence/1> .
<event/undated> a dip:Summit ; dip:status dip:Held ;
    dip:participant <actor/state/KOR>, <actor/state/JPN> ; dip:evidence <evidence/1> .
<actor/state/KOR> dip:code "KOR" .
<actor/state/JPN> dip:code "JPN" .
<evidence/1> dip:text "They met." ; dip:inArticle <article/a> .
<article/a> a dip:Article ; dip:sourceFile "a.txt" ; dcterms:date "2024-06-01"^^xsd:date .
dip:Held dip:statusCode "held" .
"""


def test_series_and_ties_on_partial_data(tmp_path: Path) -> None:
    """Nodes without evidence (as the gazetteer would describe editions) and undated items beside dated ones."""
    with Store(tmp_path / "db") as store:
        store.replace_graph(URIRef(iris.BASE + "graph/article/a"), Graph().parse(data=_SYNTHETIC, format="turtle"))
        assert [(r["edition"], r["date"], r["place"], r["event"], r["status"], r["sources"])
                for r in rows(store, "series")] == [
            ("1", "2008-12-13", "Fukuoka", None, None, None),
            ("9", "2024-05-27", "Seoul", iris.BASE + "event/ninth", "held", "a.txt")]
        tie = one(rows(store, "ties"))
        assert (tie["a"], tie["b"], tie["type"], tie["weight"], tie["first"], tie["last"]) == (
            "JPN", "KOR", "Summit", "2", "2024-05-27", "2024-05-27")
        assert [r["date"] for r in rows(store, "timeline")] == ["2024-05-27", None]


_REPORTS = """
@prefix dip: <https://w3id.org/dkg/ontology#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@base <https://w3id.org/dkg/id/> .
<article/may> a dip:Article ; dip:sourceFile "may.txt" ; dcterms:date "2024-05-01"^^xsd:date .
<article/june> a dip:Article ; dip:sourceFile "june.txt" ; dcterms:date "2024-06-01"^^xsd:date .
<article/july> a dip:Article ; dip:sourceFile "july.txt" ; dcterms:date "2024-07-01"^^xsd:date .
<event/late-plan> a dip:Talks ; dip:participant <actor/state/KOR>, <actor/state/JPN> ;
    dip:evidence <evidence/held-may>, <evidence/planned-june> .
<event/put-off> a dip:Summit ; dip:participant <actor/state/KOR>, <actor/state/JPN> ;
    dip:evidence <evidence/planned-may>, <evidence/postponed-june>, <evidence/held-july> .
<evidence/held-may> dip:inArticle <article/may> ; dip:reportedStatus dip:Held .
<evidence/planned-june> dip:inArticle <article/june> ; dip:reportedStatus dip:Planned .
<evidence/planned-may> dip:inArticle <article/may> ; dip:reportedStatus dip:Planned .
<evidence/postponed-june> dip:inArticle <article/june> ; dip:reportedStatus dip:Postponed .
<evidence/held-july> dip:inArticle <article/july> ; dip:reportedStatus dip:Held .
<actor/state/KOR> dip:code "KOR" .
<actor/state/JPN> dip:code "JPN" .
dip:Held dip:statusCode "held" .
dip:Planned dip:statusCode "planned" .
dip:Postponed dip:statusCode "postponed" .
"""


def test_plans_outcome_is_the_latest_report_after_the_plan(tmp_path: Path) -> None:
    with Store(tmp_path / "db") as store:
        store.replace_graph(URIRef(iris.BASE + "graph/article/reports"), Graph().parse(data=_REPORTS, format="turtle"))
        found = {r["item"]: r for r in rows(store, "plans")}
    late = found[iris.BASE + "event/late-plan"]  # held in May, announced again in June: nothing after the plan
    assert (late["planned_in"], late["planned_date"], late["outcome"], late["outcome_in"]) == (
        "june.txt", "2024-06-01", "none", None)
    put_off = found[iris.BASE + "event/put-off"]  # planned, postponed, then held
    assert (put_off["planned_in"], put_off["outcome"], put_off["outcome_in"], put_off["outcome_date"]) == (
        "may.txt", "held", "july.txt", "2024-07-01")
    assert put_off["actors"] == "JPN KOR"


# -- office-holders -------------------------------------------------------------------------------

def test_office_holders_on_a_day(seeded_store: Store) -> None:
    yoon = one(rows(seeded_store, "office-holders", office="KOR-president", on="2024-05-26"))
    assert yoon == {
        "office": str(iris.office("KOR-president")), "office_en": "President of the Republic of Korea",
        "office_ko": "대한민국 대통령", "person": str(iris.actor("yoon-suk-yeol", "person")),
        "name_en": "Yoon Suk Yeol", "name_ko": "윤석열", "start": "2022-05-10", "end": "2025-04-04"}

    def president(day: str) -> list[str | None]:
        return [r["name_en"] for r in rows(seeded_store, "office-holders", office="KOR-president", on=day)]

    assert president("2022-05-09") == ["Moon Jae-in"]  # the last day of a tenure counts
    assert president("2022-05-10") == ["Yoon Suk Yeol"]  # so does the first
    assert president("2025-04-04") == ["Yoon Suk Yeol"]
    assert president("2025-05-01") == []  # between Yoon's removal and Lee's inauguration
    assert president("2025-07-01") == ["Lee Jae-myung"]  # an open tenure


def test_office_holders_all_tenures_and_all_offices(seeded_store: Store) -> None:
    tenures = rows(seeded_store, "office-holders", office="KOR-president")
    names = [r["name_en"] for r in tenures]
    assert names.index("Moon Jae-in") + 1 == names.index("Yoon Suk Yeol")
    starts = [r["start"] or "" for r in tenures]
    assert starts == sorted(starts) and len(tenures) >= 4
    assert all(r["office"] == str(iris.office("KOR-president")) for r in tenures)
    day = "2024-05-26"
    everyone = rows(seeded_store, "office-holders", on=day)
    assert all((r["start"] or "") <= day <= (r["end"] or "9999") for r in everyone)
    holders = {(r["office"], r["name_en"]) for r in everyone}
    assert (str(iris.office("KOR-president")), "Yoon Suk Yeol") in holders
    assert (str(iris.office("JPN-prime-minister")), "Fumio Kishida") in holders
    assert len({r["office"] for r in everyone}) > 10
    assert any(r["end"] is None for r in everyone), "open tenures cover the day"
    assert len(rows(seeded_store, "office-holders")) > len(everyone)


def test_office_holders_parameter_errors(seeded_store: Store) -> None:
    with pytest.raises(QueryError, match="unknown office"):
        rows(seeded_store, "office-holders", office="KOR-emperor")
    with pytest.raises(QueryError, match="not a date"):
        rows(seeded_store, "office-holders", on="26 May 2024")
    with pytest.raises(QueryError, match="has no parameter"):
        rows(seeded_store, "office-holders", day="2024-05-26")
