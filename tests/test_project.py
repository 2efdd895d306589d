"""The projection of query rows onto networkx graphs, tested as data."""

from __future__ import annotations

from kg import iris
from kg.gazetteer import default
from kg.queries import registry, run
from kg.store import Store
from viz.project import trilateral_graph


def test_trilateral_projection_of_the_seeds(seeded_store: Store) -> None:
    result = run(seeded_store, registry()["trilateral"], {})
    graph = trilateral_graph(result, ("KOR", "JPN", "USA"), default())
    kor, jpn, usa = (str(iris.actor(c, "state")) for c in ("KOR", "JPN", "USA"))
    assert graph.nodes[kor]["label_ko"] == "한국" and graph.nodes[usa]["label_en"] == "United States"
    kinds = {k for _, _, k in graph.edges(data="kind")}
    assert {"participant", "party", "Cooperation", "Alliance"} <= kinds
    assert any(d["kind"] == "Cooperation" for d in graph.get_edge_data(kor, usa).values())
    assert any(d["kind"] == "Alliance" for d in graph.get_edge_data(kor, usa).values())
    summit = [n for n, d in graph.nodes(data=True) if d.get("type") == "Summit" and d["date"] == "2024-05-26"]
    assert len(summit) == 1 and set(graph[summit[0]]) == {kor, jpn}
    assert graph.nodes[summit[0]]["status"] == "held"
    assert all(d["evidence"] and d["evidence"][0]["text"] for _, d in graph.nodes(data=True) if d["kind"] == "event")
    again = trilateral_graph(result, ("KOR", "JPN", "USA"), default())
    assert list(again.nodes(data=True)) == list(graph.nodes(data=True))
    assert list(again.edges(data=True)) == list(graph.edges(data=True))
