"""Views: run a query on the store, project it, render it to an offline HTML file."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import networkx as nx

from kg.gazetteer import default as default_gazetteer
from kg.queries import registry, run
from kg.store import Store
from viz.project import trilateral_graph
from viz.render import write_html


def trilateral_view(store: Store, codes: Sequence[str], output: Path, lang: str = "ko") -> nx.MultiGraph:
    """Write the trilateral view of three actors to ``output``; return the projected graph."""
    gazetteer = default_gazetteer()
    a, b, c = (code.upper() for code in codes)
    result = run(store, registry()["trilateral"], {"a": a, "b": b, "c": c})
    graph = trilateral_graph(result, (a, b, c), gazetteer)
    names = [(gazetteer.actor(x).name_ko if lang == "ko" else gazetteer.actor(x).name_en)  # type: ignore[union-attr]
             for x in (a, b, c)]
    title = (" · ".join(names) + (" 삼각 관계" if lang == "ko" else ": trilateral ties"))
    output.parent.mkdir(parents=True, exist_ok=True)
    write_html(graph, output, title=title, lang=lang)
    return graph
