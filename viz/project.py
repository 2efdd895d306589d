"""Project query results onto networkx graphs for the views; pure functions of the rows, deterministic.

The graphs follow one contract, read by ``viz.render``:

- node: ``kind`` (state, organization, person, event, agreement), ``code`` (actors), ``label_en``,
  ``label_ko``, ``type``, ``status``, ``date``, ``evidence`` and, for actors, ``items``;
- edge: ``kind`` (participant, party, attendee, nationality; a relation type such as Cooperation;
  SharedMeeting or SharedAgreement between two actors), ``weight``, ``evidence``, ``items``;
- evidence: ``{"text", "source", "title", "date"}`` (a sentence, the article file, its title and
  publication date);
- item (an event, agreement or relation behind a node or edge): ``{"key", "kind", "type",
  "status", "date", "actors", "label_en", "label_ko", "evidence"}``.

Graphs are MultiGraphs: two actors may be tied by several relations of different kinds. Edges
are added with explicit keys, so a fact reached twice (from two actors' rows) is drawn once.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from kg import iris
from kg.gazetteer import PERSON, STATE, Gazetteer
from kg.queries import Result
from viz.render import term

ACTOR_KINDS = ("state", "organization", "person")
Evidence = dict[str, str]
Item = dict[str, Any]


# --- helpers ------------------------------------------------------------------------------------


def overlaps(date: str, since: str = "", until: str = "") -> bool:
    """Whether a fact dated ``date`` (ISO at any precision: 2025, 2025-03, 2025-03-01) meets the period.

    A month or a year meets it when any of its days does; an undated fact always does (as in the
    ``ties`` query: a relation has no date).
    """
    if not date:
        return True
    return (not since or date + "~" >= since) and (not until or date <= until)


def _rows(result: Result) -> list[dict[str, str]]:
    """The result's rows as dicts of strings ("" for unbound), in a stable order."""
    rows = [dict(zip(result.columns, (v or "" for v in row), strict=True)) for row in result.rows]
    return sorted(rows, key=lambda r: tuple(r[c] for c in result.columns))


def evidence_index(result: Result) -> dict[str, list[Evidence]]:
    """The rows of the ``evidence`` query by item: each sentence once per article, with the article's
    file, title and publication date, in the query's order (article, then offset)."""
    found: dict[str, dict[tuple[str, str], Evidence]] = {}
    for row in result.rows:
        data = dict(zip(result.columns, (v or "" for v in row), strict=True))
        entry = {"text": data["sentence"], "source": data["article"], "title": data["title"],
                 "date": data["published"]}
        found.setdefault(data["item"], {}).setdefault((entry["text"], entry["source"]), entry)
    return {item: list(entries.values()) for item, entries in found.items()}


def _evidence(item: str, sentence: str, sources: str, index: Mapping[str, list[Evidence]] | None) -> list[Evidence]:
    """All the sentences behind ``item`` when the index has them, else the row's one sentence."""
    if index and item in index:
        return [dict(e) for e in index[item]]
    return [{"text": sentence, "source": sources}] if sentence or sources else []


def _names(codes: Iterable[str], gazetteer: Gazetteer, lang: str, limit: int = 2) -> str:
    names = []
    for code in codes:
        actor = gazetteer.actor(code)
        names.append((actor.name_ko if lang == "ko" else actor.name_en) if actor else code)
    more = len(names) - limit
    return ", ".join(names[:limit]) + (f" +{more}" if more > 0 else "")


def _labels(label: str, type_: str, date: str = "") -> tuple[str, str]:
    """(English, Korean) labels of a fact named ``label`` in an article, else by its type; then its date."""
    en = label or term("en", "type", type_)
    ko = label or term("ko", "type", type_)
    return f"{en} {date}".strip(), f"{ko} {date}".strip()


def item(key: str, kind: str, type_: str, status: str, date: str, actors: Iterable[str], label_en: str,
         label_ko: str, evidence: list[Evidence]) -> Item:
    """An item dict (see the module docstring)."""
    return {"key": key, "kind": kind, "type": type_, "status": status, "date": date,
            "actors": " ".join(sorted(set(actors))), "label_en": label_en, "label_ko": label_ko,
            "evidence": evidence}


def actor_node(graph: nx.MultiGraph, code: str, gazetteer: Gazetteer) -> str:
    """Add the node of actor ``code`` (labels from the gazetteer); return its key."""
    actor = gazetteer.actor(code)
    kind = actor.kind if actor is not None else "organization"
    key = str(iris.actor(code, kind))
    if key not in graph:
        graph.add_node(
            key, kind={STATE: "state", PERSON: "person"}.get(kind, "organization"), code=code,
            label_en=actor.name_en if actor else code, label_ko=actor.name_ko if actor else code,
            type="", status="", date="", evidence=[],
        )
    return key


def _fact_node(graph: nx.MultiGraph, fact: Item) -> str:
    """Add the node of an event or agreement; return its key."""
    key = fact["key"]
    if key not in graph:
        graph.add_node(key, kind=fact["kind"], code="", type=fact["type"], status=fact["status"], date=fact["date"],
                       label_en=fact["label_en"], label_ko=fact["label_ko"], evidence=fact["evidence"])
    return key


def _link(graph: nx.MultiGraph, actor: str, fact: Item, kind: str) -> None:
    graph.add_edge(actor, fact["key"], key=f"{kind} {fact['key']}", kind=kind, weight=1, evidence=[], items=[fact])


def _relation(graph: nx.MultiGraph, keys: list[str], fact: Item) -> None:
    """A relation among several actors: one typed edge for each pair (the renderer merges a pair's kinds)."""
    keys = sorted(set(keys))
    for i, left in enumerate(keys):
        for right in keys[i + 1:]:
            graph.add_edge(left, right, key=fact["key"], kind=fact["type"], weight=1, evidence=fact["evidence"],
                           items=[fact])


def _collect_items(graph: nx.MultiGraph) -> None:
    """Give each actor node the facts of its links (the panel lists them with their evidence)."""
    for key, data in graph.nodes(data=True):
        if data.get("kind") not in ACTOR_KINDS:
            continue
        facts: dict[str, Item] = {}
        for _, _, attrs in graph.edges(key, data=True):
            for fact in attrs.get("items") or ():
                facts.setdefault(fact["key"], fact)
        data["items"] = [facts[k] for k in sorted(facts)]


# --- trilateral ---------------------------------------------------------------------------------


def trilateral_graph(result: Result, codes: Iterable[str], gazetteer: Gazetteer,
                     evidence: Mapping[str, list[Evidence]] | None = None, since: str = "",
                     until: str = "") -> nx.MultiGraph:
    """The graph of the ``trilateral`` query's rows for the actors ``codes``.

    Actors, the events and agreements at least two of them share (linked to the actors taking part
    or party to them) and typed relation edges among them. ``evidence`` (from :func:`evidence_index`)
    gives every sentence behind a fact, else the row's one sentence is used. Facts dated outside
    ``since``..``until`` are left out; undated ones stay.
    """
    graph = nx.MultiGraph()
    for code in codes:
        actor_node(graph, code, gazetteer)
    for data in _rows(result):
        if not overlaps(data["date"], since, until):
            continue
        actors = sorted(data["actors"].split())
        key = data["item"]
        label_en = data["label_en"] or term("en", "type", data["type"])
        label_ko = data["label_ko"] or data["label_en"] or term("ko", "type", data["type"])
        date = data["date"]
        fact = item(key, data["kind"], data["type"], data["status"], date, actors, f"{label_en} {date}".strip(),
                    f"{label_ko} {date}".strip(), _evidence(key, data["evidence"], data["sources"], evidence))
        keys = [actor_node(graph, code, gazetteer) for code in actors]
        if data["kind"] == "relation":
            _relation(graph, keys, fact)
            continue
        _fact_node(graph, fact)
        for actor in keys:
            _link(graph, actor, fact, "participant" if data["kind"] == "event" else "party")
    _collect_items(graph)
    return graph


# --- the actor network (ties) -------------------------------------------------------------------


def item_index(events: Result, agreements: Result, relations: Result, gazetteer: Gazetteer,
               evidence: Mapping[str, list[Evidence]] | None = None) -> dict[str, Item]:
    """Every event, agreement and relation as an item, from the ``events``, ``agreements`` and
    ``relations`` queries, with all its evidence from :func:`evidence_index`."""
    found: dict[str, Item] = {}
    for row in _rows(events):
        codes, where = row["participants"].split(), f" · {row['location']}" if row["location"] else ""
        en = f"{term('en', 'type', row['type'])}: {_names(codes, gazetteer, 'en', 4)}{where}"
        ko = f"{term('ko', 'type', row['type'])}: {_names(codes, gazetteer, 'ko', 4)}{where}"
        found[row["event"]] = item(row["event"], "event", row["type"], row["status"], row["date"],
                                   row["participants"].split(), en, ko, _evidence(row["event"], "", "", evidence))
    for row in _rows(agreements):
        en, ko = _labels(row["name"], row["type"])
        found[row["agreement"]] = item(row["agreement"], "agreement", row["type"], row["status"], row["date"],
                                       row["parties"].split(), en, ko, _evidence(row["agreement"], "", "", evidence))
    for row in _rows(relations):
        codes = row["actors"].split()
        en = f"{term('en', 'type', row['type'])}: {_names(codes, gazetteer, 'en')}"
        ko = f"{term('ko', 'type', row['type'])}: {_names(codes, gazetteer, 'ko')}"
        found[row["relation"]] = item(row["relation"], "relation", row["type"], "", "", codes, en, ko,
                                      _evidence(row["relation"], "", "", evidence))
    return found


_TIE_KIND = {"event": "SharedMeeting", "agreement": "SharedAgreement"}


def ties_graph(ties: Result, items: Mapping[str, Item], gazetteer: Gazetteer, since: str = "",
               until: str = "") -> nx.MultiGraph:
    """The actor network of the ``ties`` query's rows: states and organizations, one edge per pair
    and kind of tie (a typed relation, or shared meetings / shared agreements of any type), weighted
    by the number of facts behind it. Each edge carries those facts (from :func:`item_index`, those
    of the tie's type with both actors, met by the period ``since``..``until`` as the query counts
    them), and each actor node the facts of its edges."""
    graph = nx.MultiGraph()
    by_type: dict[str, list[Item]] = {}
    for fact in items.values():
        by_type.setdefault(fact["type"], []).append(fact)
    for facts in by_type.values():
        facts.sort(key=lambda f: f["key"])
    for row in _rows(ties):
        a, b = actor_node(graph, row["a"], gazetteer), actor_node(graph, row["b"], gazetteer)
        kind = _TIE_KIND.get(row["kind"], row["type"])
        facts = [f for f in by_type.get(row["type"], ()) if {row["a"], row["b"]} <= set(f["actors"].split())
                 and overlaps(f["date"], since, until)]
        graph.add_edge(a, b, key=f"{row['type']}", kind=kind, weight=int(row["weight"] or 1),
                       evidence=[], items=facts)
    _collect_items(graph)
    return graph


# --- one actor and its neighbourhood --------------------------------------------------------------


def neighbour_codes(result: Result, since: str = "", until: str = "") -> list[str]:
    """The other states and organizations in the facts of an ``actor`` query's rows, met by the period."""
    codes: set[str] = set()
    for row in _rows(result):
        if row["kind"] != "person" and overlaps(row["date"], since, until):
            codes.update(row["actors"].split())
    return sorted(codes)


_BOTH = re.compile(r"^(?P<en>.*?) \((?P<ko>[^()]*)\)$")


def _person_node(graph: nx.MultiGraph, row: Mapping[str, str], gazetteer: Gazetteer,
                 evidence: list[Evidence]) -> str:
    key = row["item"]
    code = key.rsplit("/", 1)[-1]
    known = gazetteer.actor(code)
    if known is not None and known.kind == PERSON:
        key = actor_node(graph, code, gazetteer)
        graph.nodes[key].update(type=row["type"], evidence=evidence)
        return key
    match = _BOTH.match(row["label"])
    en, ko = (match["en"], match["ko"]) if match else (row["label"], row["label"])
    graph.add_node(key, kind="person", code="", label_en=en or code, label_ko=ko or en or code, type=row["type"],
                   status="", date="", evidence=evidence)
    return key


def actor_graph(results: Mapping[str, Result], center: str, gazetteer: Gazetteer,
                evidence: Mapping[str, list[Evidence]] | None = None, since: str = "",
                until: str = "") -> nx.MultiGraph:
    """The neighbourhood of actor ``center`` from ``actor`` query results by actor code.

    For each code queried: its events and agreements (nodes linked to it and to the other actors
    in them), its relations (typed edges to the other actors) and, for a state, the people of that
    state (linked to it). The caller queries the codes within the hops it wants (see
    :func:`neighbour_codes`). Facts dated outside ``since``..``until`` are left out.
    """
    graph = nx.MultiGraph()
    actor_node(graph, center, gazetteer)
    for code in sorted(results):
        own = actor_node(graph, code, gazetteer)
        own_kind = graph.nodes[own]["kind"]
        for row in _rows(results[code]):
            key = row["item"]
            sentences = _evidence(key, row["evidence"], row["sources"], evidence)
            if row["kind"] == "person":
                person = _person_node(graph, row, gazetteer, sentences)
                graph.add_edge(own, person, key=f"nationality {person}", kind="nationality", weight=1,
                               evidence=[], items=[])
                continue
            if not overlaps(row["date"], since, until):
                continue
            others = row["actors"].split()
            actors = ([code] if own_kind != "person" else []) + others
            en, ko = _labels(row["label"], row["type"], row["date"])
            fact = item(key, row["kind"], row["type"], row["status"], row["date"], actors, en, ko, sentences)
            keys = [actor_node(graph, c, gazetteer) for c in others]
            if row["kind"] == "relation":
                _relation(graph, [own, *keys], fact)
                continue
            _fact_node(graph, fact)
            link = "participant" if row["kind"] == "event" else "party"
            _link(graph, own, fact, "attendee" if own_kind == "person" else link)
            for other in keys:
                _link(graph, other, fact, link)
    _collect_items(graph)
    return graph


# --- timeline -----------------------------------------------------------------------------------


def timeline_graph(result: Result, codes: Iterable[str], gazetteer: Gazetteer,
                   evidence: Mapping[str, list[Evidence]] | None = None) -> nx.MultiGraph:
    """The events of the ``timeline`` query's rows (one actor's, or those two share) and the states
    and organizations taking part in them; a person among ``codes`` is linked to every event as
    attendee. Event labels say the type and the other participants; the date goes on a second line."""
    codes = list(codes)
    graph = nx.MultiGraph()
    focus = [actor_node(graph, code, gazetteer) for code in codes]
    for row in _rows(result):
        key, participants = row["event"], row["participants"].split()
        others = [c for c in participants if c not in codes]
        where = [row["location"]] if row["location"] else []
        en = " · ".join([term("en", "type", row["type"]), *filter(None, [_names(others, gazetteer, "en")]), *where])
        ko = " · ".join([term("ko", "type", row["type"]), *filter(None, [_names(others, gazetteer, "ko")]), *where])
        date = row["date"]
        fact = item(key, "event", row["type"], row["status"], date, participants, f"{en}\n{date}".strip(),
                    f"{ko}\n{date}".strip(), _evidence(key, row["evidence"], row["sources"], evidence))
        _fact_node(graph, fact)
        for code in participants:
            _link(graph, actor_node(graph, code, gazetteer), fact, "participant")
        for actor in focus:
            if graph.nodes[actor]["kind"] == "person":
                _link(graph, actor, fact, "attendee")
    _collect_items(graph)
    return graph
