"""Render a networkx projection of the diplomatic graph as one self-contained interactive HTML file.

This module's one responsibility is graph -> HTML. pyvis builds the vis-network node and edge
records; networkx precomputes the layout (fixed seed, physics off); the page inlines vis-network's
JS and CSS shipped inside pyvis plus our own assets (``viz/assets/``), so it makes no outside
request. All data travels as an escaped JSON block and reaches the page through ``textContent``,
so article text is never parsed as HTML. The same graph always gives byte-identical output.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from functools import cache
from pathlib import Path
from string import Template
from typing import Any

import networkx as nx
import pyvis
from pyvis.network import Network

from viz.layout import layout

__all__ = ["render_html", "write_html", "LANGS", "FONT_STACK", "CSP"]

LANGS = ("ko", "en")
FONT_STACK = "'Noto Sans CJK KR', 'Nanum Gothic', 'Malgun Gothic', 'Apple SD Gothic Neo', sans-serif"
CSP = (
    "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; "
    "base-uri 'none'; form-action 'none'"
)

_ASSETS = Path(__file__).resolve().parent / "assets"
_VIS = Path(pyvis.__file__).resolve().parent / "lib" / "vis-9.1.2"

# Colours, shapes and dashes live in assets/theme.json: kinds (shape, colour, size), type families
# of events and agreements (a finer subclass joins a family by suffix), relation colours, link kinds.
_MAX_LABEL = 32


@dataclass(frozen=True)
class _Node:
    key: str
    kind: str
    label: str
    other_label: str
    type: str
    family: str
    status: str
    date: str
    code: str
    evidence: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class _Edge:
    source: str
    target: str
    kind: str
    weight: int
    label: str
    evidence: tuple[tuple[str, str], ...]


def render_html(graph: nx.Graph, *, title: str, lang: str = "ko", seed: int = 7) -> str:
    """Return a self-contained interactive HTML page drawing ``graph``.

    ``graph`` follows the projection contract (node ``kind``, ``label_en``/``label_ko``, ``code``,
    ``type``, ``status``, ``date``, ``evidence``; edge ``kind``, ``weight``, ``evidence``, ``label``).
    It is read, never modified. Labels are shown in ``lang`` ('ko' or 'en'), falling back to the
    other language and then to the node key. The layout uses ``seed``; equal inputs give equal output.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    strings = _strings()[lang]
    nodes = [_read_node(str(key), attrs, lang) for key, attrs in graph.nodes(data=True)]
    nodes.sort(key=lambda n: n.key)
    edges = _read_edges(graph)
    degree = {n.key: 0 for n in nodes}
    for e in edges:
        degree[e.source] += 1
        degree[e.target] += 1
    positions = layout([n.key for n in nodes], [(e.source, e.target) for e in edges], seed)

    net = Network(directed=True)  # directed: skips pyvis's quadratic duplicate check; no arrows drawn
    for n in nodes:
        x, y = positions[n.key]
        net.add_node(n.key, label=_short(n.label), title=_tooltip(n, strings), x=x, y=y,
                     **_node_style(n, degree[n.key]))
    curve: dict[tuple[str, str], int] = {}
    for i, e in enumerate(edges):
        rank = curve[(e.source, e.target)] = curve.get((e.source, e.target), -1) + 1
        net.add_edge(e.source, e.target, id=f"e{i}", title=_edge_tooltip(e, strings),
                     **_edge_style(e, rank))
    vis_nodes, vis_edges, *_ = net.get_network_data()

    info = {
        "nodes": {n.key: {**asdict(n), "evidence": _evidence_json(n.evidence)} for n in nodes},
        "edges": {f"e{i}": {**asdict(e), "evidence": _evidence_json(e.evidence)}
                  for i, e in enumerate(edges)},
    }
    data = {"nodes": vis_nodes, "edges": vis_edges, "options": _options(seed, len(edges)), "info": info,
            "ui": strings}
    kinds = [k for k in _theme()["kinds"] if any(n.kind == k for n in nodes)]
    return Template(_asset("template.html")).substitute(
        {f"s_{k}": html.escape(v) for k, v in strings.items() if isinstance(v, str)},
        lang=lang,
        csp=CSP,
        title=html.escape(title),
        filter_html=_filter_html(kinds, nodes, strings),
        stats=html.escape(strings["stats"].format(nodes=len(nodes), edges=len(edges))),
        legend_html=_legend_html(nodes, edges, strings),
        data=_script_json(data),
        vis_css=_vis_asset("vis-network.css", "</style"),
        css=_asset("render.css"),
        vis_js=_vis_asset("vis-network.min.js", "</script"),
        js=_asset("render.js"),
    )


def write_html(graph: nx.Graph, path: Path, *, title: str, lang: str = "ko", seed: int = 7) -> Path:
    """Render ``graph`` (see :func:`render_html`) and write it to ``path`` as UTF-8; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(render_html(graph, title=title, lang=lang, seed=seed).encode("utf-8"))
    return path


# --- reading the projection ---------------------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _evidence(value: Any) -> tuple[tuple[str, str], ...]:
    """Normalise evidence to unique (text, source) pairs, in the given order."""
    if value is None or isinstance(value, (str, Mapping)):
        value = [] if value is None else [value]
    seen: dict[tuple[str, str], None] = {}
    for item in value:
        if isinstance(item, Mapping):
            pair = (_text(item.get("text")), _text(item.get("source")))
        else:
            pair = (_text(item), "")
        if pair[0] or pair[1]:
            seen.setdefault(pair, None)
    return tuple(seen)


def _family(kind: str, type_: str) -> tuple[str, str]:
    """(family, colour) of a node: its type family for events and agreements, else its kind."""
    for family in _theme()["families"].get(kind, ()):
        if type_ and any(type_.endswith(t) for t in family["types"]):
            return family["family"], family["colour"]
    return kind, _theme()["kinds"][kind]["colour"]


def _read_node(key: str, attrs: Mapping[str, Any], lang: str) -> _Node:
    kind = _text(attrs.get("kind")).lower()
    kind = kind if kind in _theme()["kinds"] else "other"
    own = _text(attrs.get(f"label_{lang}"))
    other = _text(attrs.get("label_en" if lang == "ko" else "label_ko"))
    label = own or other or key
    type_ = _text(attrs.get("type"))
    return _Node(
        key=key, kind=kind, label=label, other_label=other if other != label else "", type=type_,
        family=_family(kind, type_)[0], status=_text(attrs.get("status")).lower(),
        date=_text(attrs.get("date")), code=_text(attrs.get("code")),
        evidence=_evidence(attrs.get("evidence")),
    )


def _weight(value: Any) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def _read_edges(graph: nx.Graph) -> list[_Edge]:
    """Undirected edges sorted by (source, target, kind); parallel edges of one kind are merged."""
    merged: dict[tuple[str, str, str], dict[str, Any]] = {}
    for u, v, attrs in graph.edges(data=True):
        a, b = sorted((str(u), str(v)))
        kind = _text(attrs.get("kind")) or "link"
        slot = merged.setdefault((a, b, kind), {"weight": 0, "labels": [], "evidence": []})
        slot["weight"] += _weight(attrs.get("weight", 1))
        label = _text(attrs.get("label"))
        if label and label not in slot["labels"]:
            slot["labels"].append(label)
        slot["evidence"].extend(_evidence(attrs.get("evidence")))
    return [
        _Edge(a, b, kind, s["weight"], " / ".join(s["labels"]), tuple(dict.fromkeys(s["evidence"])))
        for (a, b, kind), s in sorted(merged.items())
    ]


# --- layout and style ---------------------------------------------------------------------------


def _lighten(colour: str, amount: float = 0.6) -> str:
    rgb = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(c + (255 - c) * amount):02x}" for c in rgb)


def _node_style(node: _Node, degree: int) -> dict[str, Any]:
    theme = _theme()
    colour = _family(node.kind, node.type)[1]
    dashes = theme["dashes"].get(node.status)
    fill = _lighten(colour) if dashes else colour
    style: dict[str, Any] = {
        "shape": theme["kinds"][node.kind]["shape"],
        "size": round(theme["kinds"][node.kind]["size"] + min(14.0, 3.0 * math.log1p(degree)), 1),
        "color": {"background": fill, "border": colour,
                  "highlight": {"background": fill, "border": "#111111"},
                  "hover": {"background": fill, "border": "#111111"}},
        "borderWidth": 2 if dashes else 1.5,
    }
    if dashes:
        style["shapeProperties"] = {"borderDashes": dashes}
    if node.status == "cancelled":
        style["font"] = {"color": "#7b8794"}
    return style


def _edge_style(edge: _Edge, rank: int) -> dict[str, Any]:
    theme = _theme()
    if edge.kind in theme["link_kinds"]:
        grey, dark = theme["link_colour"], "#52606d"
        style: dict[str, Any] = {"color": {"color": grey, "highlight": dark, "hover": dark}, "width": 1}
    else:
        colour = theme["relations"].get(edge.kind, theme["other_relation"])
        style = {"color": {"color": colour, "highlight": colour, "hover": colour},
                 "width": round(1.5 + 1.5 * math.log2(edge.weight) + (edge.weight > 1), 1)}
    style["arrows"] = ""
    if edge.label:
        style["label"] = _short(edge.label)
    if rank:  # another edge joins the same pair: curve this one so both stay visible
        style["smooth"] = {"enabled": True, "type": "curvedCW" if rank % 2 else "curvedCCW",
                           "roundness": round(0.2 * ((rank + 1) // 2), 2)}
    return style


def _options(seed: int, n_edges: int) -> dict[str, Any]:
    return {
        "autoResize": True,
        "physics": {"enabled": False},
        "layout": {"improvedLayout": False, "randomSeed": seed},
        "interaction": {"hover": True, "tooltipDelay": 150, "hideEdgesOnDrag": n_edges > 3000,
                        "navigationButtons": False, "keyboard": False},
        "nodes": {"font": {"face": FONT_STACK, "size": 14, "color": "#1f2933", "strokeWidth": 3,
                           "strokeColor": "#ffffff"}},
        "edges": {"smooth": False, "selectionWidth": 1.5,
                  "font": {"face": FONT_STACK, "size": 11, "color": "#52606d", "strokeWidth": 3,
                           "strokeColor": "#ffffff", "align": "middle"}},
    }


def _short(label: str) -> str:
    return label if len(label) <= _MAX_LABEL else label[: _MAX_LABEL - 1] + "…"


def _tooltip(node: _Node, strings: Mapping[str, Any]) -> str:
    terms = strings["terms"]
    kind = terms["type"].get(node.type, node.type) if node.type else terms["kind"][node.kind]
    status = terms["status"].get(node.status, node.status)
    facts = " · ".join(x for x in (kind, status, node.date, node.code) if x)
    return "\n".join(x for x in (node.label, node.other_label, facts) if x)


def _edge_tooltip(edge: _Edge, strings: Mapping[str, Any]) -> str:
    name = strings["terms"]["edge"].get(edge.kind, edge.kind)
    return f"{name} · {edge.weight}" + (f"\n{edge.label}" if edge.label else "")


def _evidence_json(evidence: tuple[tuple[str, str], ...]) -> list[dict[str, str]]:
    return [{"text": text, "source": source} for text, source in evidence]


# --- page parts ---------------------------------------------------------------------------------


_SVG = {
    "dot": '<circle cx="9" cy="9" r="6.5" {paint}/>',
    "hexagon": '<polygon points="9,2 15,5.5 15,12.5 9,16 3,12.5 3,5.5" {paint}/>',
    "triangle": '<polygon points="9,2.5 15.5,15 2.5,15" {paint}/>',
    "square": '<rect x="3" y="3" width="12" height="12" {paint}/>',
    "diamond": '<polygon points="9,1.5 16.5,9 9,16.5 1.5,9" {paint}/>',
}


def _svg_shape(shape: str, fill: str, stroke: str, dashes: list[float] | None = None) -> str:
    dash = f' stroke-dasharray="{" ".join(map(str, dashes))}"' if dashes else ""
    body = _SVG[shape].format(paint=f'fill="{fill}" stroke="{stroke}" stroke-width="1.6"{dash}')
    return f'<svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">{body}</svg>'


def _svg_line(colour: str, width: float) -> str:
    return (f'<svg width="30" height="12" viewBox="0 0 30 12" aria-hidden="true"><line x1="1" y1="6" x2="29" '
            f'y2="6" stroke="{colour}" stroke-width="{width}" stroke-linecap="round"/></svg>')


def _section(heading: str, items: list[tuple[str, str]]) -> str:
    if not items:
        return ""
    rows = "".join(f"<li>{icon}<span>{html.escape(text)}</span></li>" for icon, text in items)
    return f"<h2>{html.escape(heading)}</h2><ul>{rows}</ul>"


def _legend_html(nodes: list[_Node], edges: list[_Edge], strings: Mapping[str, Any]) -> str:
    """The legend lists only what occurs in the graph, in a fixed order."""
    theme, terms = _theme(), strings["terms"]
    kinds, families = {n.kind for n in nodes}, {(n.kind, n.family) for n in nodes}
    parts = [_section(strings["legend_nodes"], [
        (_svg_shape(k["shape"], k["colour"], k["colour"]), terms["kind"][kind])
        for kind, k in theme["kinds"].items() if kind in kinds])]
    for kind in ("event", "agreement"):
        shape, base = theme["kinds"][kind]["shape"], theme["kinds"][kind]["colour"]
        rows = [(_svg_shape(shape, f["colour"], f["colour"]), terms["family"][f["family"]])
                for f in theme["families"][kind] if (kind, f["family"]) in families]
        if (kind, kind) in families:
            rows.append((_svg_shape(shape, base, base), terms["family"][kind]))
        parts.append(_section(strings[f"legend_{kind}s"], rows))
    statuses, grey = {n.status for n in nodes if n.kind in ("event", "agreement")}, "#7b8794"
    status_rows = [(_svg_shape("square", grey, grey), strings["status_solid"])]
    if statuses & {"planned", "negotiating", "postponed"}:
        status_rows.append((_svg_shape("square", _lighten(grey), grey, [3, 2]), strings["status_dashed"]))
    if "cancelled" in statuses:
        status_rows.append((_svg_shape("square", _lighten(grey), grey, [1.5, 1.5]), strings["status_dotted"]))
    parts.append(_section(strings["legend_status"], status_rows if statuses else []))
    edge_kinds = {e.kind for e in edges}
    edge_rows = [(_svg_line(colour, 3), terms["edge"][kind])
                 for kind, colour in theme["relations"].items() if kind in edge_kinds]
    edge_rows += [(_svg_line(theme["other_relation"], 3), k)
                  for k in sorted(edge_kinds - set(theme["relations"]) - set(theme["link_kinds"]))]
    if edge_kinds & set(theme["link_kinds"]):
        edge_rows.append((_svg_line(theme["link_colour"], 1.5), strings["links"]))
    parts.append(_section(strings["legend_edges"], edge_rows))
    return f'<details open><summary>{html.escape(strings["legend"])}</summary>{"".join(parts)}</details>'


def _filter_html(kinds: list[str], nodes: list[_Node], strings: Mapping[str, Any]) -> str:
    names = strings["terms"]["kind"]
    return "".join(
        f'<label><input type="checkbox" value="{html.escape(k)}" checked>{html.escape(names[k])}'
        f' <span class="dkg-count">{sum(1 for n in nodes if n.kind == k)}</span></label>'
        for k in kinds
    )


def _script_json(data: Any) -> str:
    """JSON safe inside <script type="application/json">: no '<', '>' or '&' survive literally."""
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


@cache
def _asset(name: str) -> str:
    return (_ASSETS / name).read_text(encoding="utf-8")


@cache
def _strings() -> dict[str, Any]:
    return json.loads(_asset("strings.json"))


@cache
def _theme() -> dict[str, Any]:
    return json.loads(_asset("theme.json"))


@cache
def _vis_asset(name: str, closing: str) -> str:
    """vis-network file shipped in pyvis, without its source-map comment, safe to inline."""
    text = (_VIS / name).read_text(encoding="utf-8")
    marks = ("//# sourceMappingURL", "/*# sourceMappingURL")
    text = "\n".join(line for line in text.split("\n") if not line.startswith(marks))
    if closing in text.lower():
        raise RuntimeError(f"{name} contains {closing!r} and cannot be inlined")
    return text
