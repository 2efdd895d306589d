"""Project query results onto networkx graphs for the views; deterministic.

Rows of the ``trilateral`` query become a graph whose nodes are the three
actors plus the events and agreements they share, and whose edges are
participation (actor-event), party (actor-agreement) and the typed relations
between actors, each carrying its evidence.
"""

from __future__ import annotations

from collections.abc import Iterable

import networkx as nx

from kg import iris
from kg.gazetteer import PERSON, STATE, Gazetteer
from kg.queries import Result


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


def trilateral_graph(result: Result, codes: Iterable[str], gazetteer: Gazetteer) -> nx.MultiGraph:
    """The graph of the ``trilateral`` query's rows for the actors ``codes``.

    A multigraph: two actors may be tied by several relations of different kinds.
    """
    graph = nx.MultiGraph()
    for code in codes:
        actor_node(graph, code, gazetteer)
    for row in sorted(result.rows, key=lambda r: tuple(v or "" for v in r)):
        data = dict(zip(result.columns, row, strict=True))
        actors = sorted((data["actors"] or "").split())
        evidence = [{"text": data["evidence"] or "", "source": data["sources"] or ""}]
        if data["kind"] == "relation":
            keys = [actor_node(graph, code, gazetteer) for code in actors]
            for i, left in enumerate(keys):
                for right in keys[i + 1:]:  # the renderer merges edges of one kind between one pair
                    graph.add_edge(left, right, kind=data["type"] or "", weight=1, evidence=evidence)
            continue
        item = data["item"] or ""
        label_en = data["label_en"] or data["type"] or ""
        label_ko = data["label_ko"] or label_en
        date = data["date"] or ""
        graph.add_node(item, kind=data["kind"], code="", type=data["type"] or "", status=data["status"] or "",
                       date=date, label_en=f"{label_en} {date}".strip(), label_ko=f"{label_ko} {date}".strip(),
                       evidence=evidence)
        link = "participant" if data["kind"] == "event" else "party"
        for code in actors:
            graph.add_edge(actor_node(graph, code, gazetteer), item, kind=link, weight=1, evidence=evidence)
    return graph
