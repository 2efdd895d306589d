"""Event identity across articles: series and editions, plans and later reports, latest status wins."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest
from rdflib import URIRef

from conftest import SEED_000, SEED_004
from kg import iris
from kg.extract.records import Evidence, Extraction, Meeting, When
from kg.gazetteer import default as gazetteer
from kg.importer import import_paths
from kg.queries import registry, run
from kg.read import Article
from kg.resolve import Resolved, Resolver, compatible, date_window, find_edition
from kg.store import Store

EV = Evidence("s", 0, 1, "s")
UNDATED = When()


def meeting(type_: str, participants: tuple[str, ...], status: str = "held", when: When = UNDATED,
            edition: int | None = None, series: str = "") -> Meeting:
    return Meeting(type_, participants, status, when, EV, edition=edition, series=series)


def extraction(source: str, published: str | None, *meetings: Meeting) -> Extraction:
    day = dt.date.fromisoformat(published) if published else None
    article = Article(source=source, text="s", title="", date=day, url="", publisher="", lang="en")
    return Extraction(article, (), tuple(meetings), (), (), ())


TRILATERAL = ("CHN", "JPN", "KOR")


# -- the series table -----------------------------------------------------------------------------

def test_series_table_is_consistent() -> None:
    gaz = gazetteer()
    assert len(gaz.editions) >= 40
    for e in gaz.editions:
        assert e.start <= e.end, e
        assert all(gaz.actor(code) is not None for code in e.participants), e
        assert e.series.partition(":")[0] in e.types, e
        assert not e.place or e.place in gaz.places, e
        assert e.name_en and e.name_ko, e
    by_series: dict[str, list] = {}
    for e in gaz.editions:
        by_series.setdefault(e.series, []).append(e)
    for editions in by_series.values():
        editions.sort(key=lambda e: e.start)
        numbers = [e.edition for e in editions if e.edition is not None]
        assert numbers == sorted(set(numbers)), "editions rise with their dates"
        for a, b in zip(editions, editions[1:], strict=False):
            assert a.end < b.start, "meetings of one series do not overlap"


def test_edition_found_by_number_date_month_and_status() -> None:
    gaz = gazetteer()
    ninth = find_edition(gaz, meeting("Summit", TRILATERAL, edition=9), None)
    assert ninth is not None and ninth.start == dt.date(2024, 5, 27) and ninth.place == "seoul"
    assert find_edition(gaz, meeting("Summit", TRILATERAL, when=When("2024-05-26")), None) == ninth
    assert find_edition(gaz, meeting("Summit", TRILATERAL, when=When("2024-05")), None) == ninth
    assert find_edition(gaz, meeting("Summit", TRILATERAL, when=When("2024-05-20")), None) is None
    # Undated: a plan is for the next meeting of the series, a held meeting the last one.
    published = dt.date(2024, 5, 26)
    assert find_edition(gaz, meeting("Summit", TRILATERAL, "planned"), published) == ninth
    assert find_edition(gaz, meeting("Summit", TRILATERAL, "held"), dt.date(2025, 1, 16)) == ninth
    eighth = find_edition(gaz, meeting("Summit", TRILATERAL, "held"), published)
    assert eighth is None, "the 8th (2019) is more than a year before: too far to guess"
    # A G20 summit reported as a conference, by the year alone (one a year).
    g20 = find_edition(gaz, meeting("Conference", ("G20",), "planned", When("2025")), None)
    assert g20 is not None and g20.edition == 20 and g20.place == "johannesburg"
    # A year with two trilateral Korea-Japan-U.S. summits decides nothing.
    assert find_edition(gaz, meeting("Summit", ("JPN", "KOR", "USA"), when=When("2022")), None) is None
    assert find_edition(gaz, meeting("Summit", ("JPN", "KOR", "USA"), when=When("2023-08-18")), None) is not None


# -- compatibility of dates -------------------------------------------------------------------------

def window(value: str = "", status: str = "held", published: str = "2025-06-10",
           earliest: str = "", latest: str = "") -> tuple:
    w, precise = date_window(When(value, earliest, latest), status, dt.date.fromisoformat(published))
    return w, precise, bool(value or earliest or latest)


def test_compatible_dates() -> None:
    assert compatible(window("2025-06-10"), window("2025-06-11")), "a day apart: time zones"
    assert not compatible(window("2025-06-10"), window("2025-06-13"))
    assert compatible(window("2025-06", "planned", "2025-05-01"), window("2025-06-20"))
    assert compatible(window("", "planned", "2025-06-01"), window("2025-06-20")), "a plan, met three weeks later"
    assert not compatible(window("", "planned", "2025-01-01"), window("2025-06-20")), "too long after the plan"
    assert compatible(window("", "held", "2025-06-21"), window("2025-06-20"))
    assert not compatible(window("", "held", "2025-06-10"), window("", "planned", "2025-06-01")), (
        "two undated reports are never merged")
    assert compatible(window("2025-06", "planned", "2025-05-01"), window("2025-06", "planned", "2025-05-20"))
    assert not compatible(window("2025-06"), window("2025-07"))
    assert compatible(window(earliest="2025-06-09", latest="2025-06-15", status="planned"), window("2025-06-12"))


# -- the resolver -----------------------------------------------------------------------------------

def test_plan_then_held_in_either_order_is_one_event() -> None:
    plan = extraction("a.md", "2025-06-01", meeting("Summit", ("JPN", "KOR"), "planned"))
    held = extraction("b.md", "2025-06-21", meeting("Summit", ("JPN", "KOR"), "held", When("2025-06-20")))
    for first, second in ((plan, held), (held, plan)):
        resolver = Resolver(gazetteer())
        a = resolver.resolve(first)
        resolver.remember(first, a)
        b = resolver.resolve(second)
        assert a[0].iri == b[0].iri


def test_ambiguous_reports_are_not_merged() -> None:
    resolver = Resolver(gazetteer())
    for source, day in (("a.md", "2025-06-20"), ("b.md", "2025-06-25")):
        x = extraction(source, day, meeting("Talks", ("KOR", "USA"), "held", When(day)))
        resolver.remember(x, resolver.resolve(x))
    plan = extraction("c.md", "2025-06-15", meeting("Talks", ("KOR", "USA"), "planned"))
    (event,) = resolver.resolve(plan)
    own = iris.event(("article", "Talks", ("KOR", "USA"), "c.md", "", "", ""))
    assert event.iri == own, "two held talks fit the plan: it stays an event of its own"


def test_other_type_or_participants_are_other_events() -> None:
    resolver = Resolver(gazetteer())
    x = extraction("a.md", "2025-06-21", meeting("Summit", ("JPN", "KOR"), "held", When("2025-06-20")))
    resolver.remember(x, resolver.resolve(x))
    for other in (meeting("Visit", ("JPN", "KOR"), "held", When("2025-06-20")),
                  meeting("Summit", ("CHN", "KOR"), "held", When("2025-06-20"))):
        (event,) = resolver.resolve(extraction("b.md", "2025-06-21", other))
        assert event.iri != resolver.resolve(x)[0].iri


def test_an_article_is_not_matched_with_its_own_earlier_version() -> None:
    resolver = Resolver(gazetteer())
    old = extraction("a.md", "2025-06-21", meeting("Summit", ("JPN", "KOR"), "held", When("2025-06-20")))
    resolver.remember(old, resolver.resolve(old))
    new = extraction("a.md", "2025-06-21", meeting("Summit", ("JPN", "KOR"), "planned"))
    (event,) = resolver.resolve(new)
    assert event.iri == iris.event(("article", "Summit", ("JPN", "KOR"), "a.md", "", "", ""))


def test_undated_mention_takes_the_date_the_article_gives() -> None:
    x = extraction("a.md", "2024-05-26",
                   meeting("Summit", ("JPN", "KOR"), "held", When("2024-05-26")),
                   meeting("Summit", ("JPN", "KOR"), "held"))
    first, second = Resolver(gazetteer()).resolve(x)
    assert first.iri == second.iri == iris.event(("dated", "Summit", ("JPN", "KOR"), "2024-05-26"))


def _random_when(rng: random.Random) -> When:
    day = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(6 * 365))
    kind = rng.randrange(6)
    if kind == 0:
        return When(day.isoformat())
    if kind == 1:
        return When(day.isoformat()[:7])
    if kind == 2:
        return When(day.isoformat()[:4])
    if kind == 3:
        return When(earliest=day.isoformat(), latest=(day + dt.timedelta(days=rng.choice((6, 40, 900)))).isoformat())
    if kind == 4:
        return When(earliest=day.isoformat())  # open-ended: "from March on"
    return UNDATED


def test_indexed_reports_resolve_as_a_scan_of_every_report_would() -> None:
    """The month index is only a shortcut: on a long, mixed history it finds what a scan finds."""
    rng = random.Random(7)
    resolver = Resolver(gazetteer())
    history: list[tuple[Extraction, list[URIRef]]] = []
    kinds = [("Summit", ("JPN", "KOR")), ("Talks", ("KOR", "USA"))]

    def scan(m: Meeting, published: dt.date | None, source: str) -> URIRef | None:
        window, precise = date_window(m.when, m.status, published)
        mine = (window, precise, bool(m.when.value or m.when.earliest or m.when.latest))
        found = set()
        for x, events in history:
            if x.article.source == source:
                continue
            for other, event in zip(x.meetings, events, strict=True):
                if (other.type, other.participants) != (m.type, m.participants):
                    continue
                theirs = date_window(other.when, other.status, x.article.date)
                if compatible(mine, (*theirs, bool(other.when.value or other.when.earliest or other.when.latest))):
                    found.add(event)
        return next(iter(found)) if len(found) == 1 else None

    merged = 0
    for n in range(1500):
        source = f"a{rng.randrange(1200)}.md"  # some articles come again: their old reports are forgotten
        published = dt.date(2020, 1, 1) + dt.timedelta(days=rng.randrange(6 * 365))
        type_, participants = rng.choice(kinds)
        m = meeting(type_, participants, rng.choice(("held", "planned", "")), _random_when(rng))
        x = extraction(source, published.isoformat(), m)
        expected = scan(m, published, source)
        got = resolver._reported(m, published, source)
        assert got == expected, (n, m, published)
        merged += got is not None
        events = [r.iri for r in resolver.resolve(x)]
        resolver.remember(x, [Resolved(e) for e in events])
        history = [(h, e) for h, e in history if h.article.source != source] + [(x, events)]
    assert merged > 100, "the history must exercise merging, not only fresh events"


# -- through the store --------------------------------------------------------------------------------

def events(store: Store) -> list[dict[str, str]]:
    result = run(store, registry()["events"], {})
    return [dict(zip(result.columns, (v or "" for v in row), strict=True)) for row in result.rows]


def test_seed_trilateral_summit_is_one_event(seeded_store: Store) -> None:
    """Seed 000's 제9차 한일중 정상회의 (held) and seed 004's 한일중 정상회의 (planned for the next day)."""
    rows = [r for r in events(seeded_store) if r["participants"] == "CHN JPN KOR"]
    assert len(rows) == 1, rows
    (row,) = rows
    assert row["sources"].split() == [SEED_000.name, SEED_004.name]
    assert row["type"] == "Summit" and row["date"] == "2024-05-27" and row["location"] == "Seoul"
    assert row["status"] == "held", "000 (2025-01-16) reports it held after 004 (2024-05-26) announced it"
    # Each article's report is kept: planned in 004's graph, held in 000's.
    _, reports = seeded_store.select("""
        PREFIX dip: <https://w3id.org/dkg/ontology#>
        SELECT ?event ?file ?code WHERE {
          GRAPH ?g { ?event dip:evidence ?ev . ?ev dip:reportedStatus ?s ; dip:inArticle/dip:sourceFile ?file }
          ?s dip:statusCode ?code
        }""", {"event": URIRef(row["event"])})
    assert {(str(f), str(c)) for _, f, c in reports} == {(SEED_000.name, "held"), (SEED_004.name, "planned")}


ARTICLE = """---
title: {title}
date: {date}
lang: ko
---
{text}
"""


def write(folder: Path, name: str, date: str, text: str) -> Path:
    path = folder / name
    path.write_text(ARTICLE.format(title=name, date=date, text=text), encoding="utf-8")
    return path


@pytest.mark.parametrize("order", ["plan first", "report first"])
def test_plan_and_later_report_are_one_event_whose_status_is_the_latest(tmp_path: Path, order: str) -> None:
    plan = write(tmp_path, "plan.md", "2025-03-02",
                 "조태열 외교부 장관은 다음 주 방미해 마코 루비오 국무장관과 외교장관회담을 가질 예정이다.")
    held = write(tmp_path, "held.md", "2025-03-12",
                 "조태열 외교부 장관은 11일 워싱턴에서 마코 루비오 국무장관과 외교장관회담을 가졌다.")
    with Store(tmp_path / "db") as store:
        for path in ([plan, held] if order == "plan first" else [held, plan]):
            assert [r.status for r in import_paths(store, [path])] == ["imported"]
        rows = [r for r in events(store) if r["type"] == "MinisterialMeeting"]
        assert len(rows) == 1, rows
        assert rows[0]["participants"] == "KOR USA" and rows[0]["status"] == "held"
        assert rows[0]["sources"].split() == ["held.md", "plan.md"]
        assert rows[0]["date"] == "2025-03-11"


def test_latest_report_wins_even_when_it_is_a_postponement(tmp_path: Path) -> None:
    write(tmp_path, "a.md", "2025-03-02",
          "조태열 외교부 장관은 15일 방미해 루비오 국무장관과 외교장관회담을 가질 예정이다.")
    write(tmp_path, "b.md", "2025-03-10", "15일로 예정됐던 한미 외교장관회담이 연기됐다.")
    with Store(tmp_path / "db") as store:
        import_paths(store, [tmp_path])
        rows = [r for r in events(store) if r["type"] == "MinisterialMeeting"]
        assert [(r["status"], r["sources"]) for r in rows] == [("postponed", "a.md b.md")]


def test_seed_store_has_no_duplicate_dated_events(seeded_store: Store) -> None:
    seen: dict[tuple[str, str, str], str] = {}
    for row in events(seeded_store):
        if len(row["date"]) == 10:
            key = (row["type"], row["participants"], row["date"])
            assert key not in seen, (row, seen.get(key))
            seen[key] = row["event"]


def test_series_graph_names_the_series(seeded_store: Store) -> None:
    _, rows = seeded_store.select("""
        PREFIX dip: <https://w3id.org/dkg/ontology#>
        PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
        SELECT ?label ?edition WHERE { ?e dip:inSeries ?s ; dip:edition ?edition . ?s rdfs:label ?label
                                       FILTER (LANG(?label) = "ko") }""")
    assert ("한일중 정상회의", "9") in {(str(a), str(b)) for a, b in rows}
