"""Render a networkx projection of the diplomatic graph as one self-contained interactive HTML file.

This module's one responsibility is graph -> HTML. pyvis builds the vis-network node and edge
records; networkx precomputes the layout (fixed seed, physics off) unless the caller gives fixed
positions (the timeline); the page inlines vis-network's JS and CSS shipped inside pyvis plus our
own assets (``viz/assets/``), so it makes no outside request. All data travels as an escaped JSON
block and reaches the page through ``textContent`` (or is drawn on the canvas), so article text is
never parsed as HTML. The same graph always gives byte-identical output.
"""

from __future__ import annotations

import html
import json
import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, fields
from functools import cache
from pathlib import Path
from string import Template
from typing import Any

import networkx as nx
import pyvis
from pyvis.network import Network

from viz.layout import layout

__all__ = ["render_html", "write_html", "term", "LANGS", "FONT_STACK", "CSP"]

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
_LINE_WIDTH = 180.0  # pixels: node labels wrap at about this width
_Evidence = tuple[str, str, str, str]  # sentence, article file, article title, article date
_DATED_KINDS = ("event", "agreement")


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
    evidence: tuple[_Evidence, ...]
    items: tuple[dict[str, Any], ...]
    dates: tuple[str, ...]


@dataclass(frozen=True)
class _Edge:
    source: str
    target: str
    kind: str
    weight: int
    label: str
    evidence: tuple[_Evidence, ...]
    items: tuple[dict[str, Any], ...]
    dates: tuple[str, ...]


def render_html(graph: nx.Graph, *, title: str, lang: str = "ko", seed: int = 7, description: str = "",
                positions: Mapping[str, tuple[float, float]] | None = None,
                axis: Mapping[str, Any] | None = None) -> str:
    """Return a self-contained interactive HTML page drawing ``graph``.

    ``graph`` follows the projection contract (see ``viz.project``): node ``kind``,
    ``label_en``/``label_ko``, ``code``, ``type``, ``status``, ``date``, ``evidence`` and optional
    ``items`` and ``dates``; edge ``kind``, ``weight``, ``evidence``, ``label`` and optional ``items``
    and ``dates``. Evidence entries are ``{"text", "source"}`` with optional article ``title`` and
    ``date``. It is read, never modified. Labels are shown in ``lang`` ('ko' or 'en'), falling back
    to the other language and then to the node key. Without ``positions`` (node key -> x, y in
    pixels, then fixed) the layout is a spring layout with ``seed``. ``axis`` (from
    ``viz.layout.timeline_layout``) draws a date axis under a timeline. ``description`` says in one
    line what the page shows (its ``<meta name="description">``). Equal inputs give equal output.
    """
    if lang not in LANGS:
        raise ValueError(f"lang must be one of {', '.join(LANGS)}, not {lang!r}")
    strings = _strings()[lang]
    nodes = [_read_node(str(key), attrs, lang) for key, attrs in graph.nodes(data=True)]
    nodes.sort(key=lambda n: n.key)
    edges = _read_edges(graph, lang)
    degree = {n.key: 0 for n in nodes}
    for e in edges:
        degree[e.source] += 1
        degree[e.target] += 1
    fixed = positions is not None
    labels = {n.key: _short(n.label) for n in nodes}
    styles = {n.key: _node_style(n, degree[n.key]) for n in nodes}
    if positions is None:
        boxes = {k: _box(labels[k], styles[k]["size"]) for k in labels}
        positions = layout([n.key for n in nodes], [(e.source, e.target) for e in edges], seed, boxes)

    net = Network(directed=True)  # directed: skips pyvis's quadratic duplicate check; no arrows drawn
    for n in nodes:
        x, y = positions[n.key]
        extra: dict[str, Any] = {"fixed": {"x": True, "y": True}} if fixed else {}
        net.add_node(n.key, label=labels[n.key], x=float(x), y=float(y), **styles[n.key], **extra)
    curve: dict[tuple[str, str], int] = {}
    for i, e in enumerate(edges):
        rank = curve[(e.source, e.target)] = curve.get((e.source, e.target), -1) + 1
        net.add_edge(e.source, e.target, id=f"e{i}", **_edge_style(e, rank))
    vis_nodes, vis_edges, *_ = net.get_network_data()
    vis_nodes, node_styles = _factor(vis_nodes, _NODE_STYLE_KEYS)
    vis_edges, edge_styles = _factor(vis_edges, _EDGE_STYLE_KEYS)

    info = {
        "nodes": {n.key: _info(n) for n in nodes},
        "edges": {f"e{i}": {**_info(e), "group": _edge_group(e.kind)} for i, e in enumerate(edges)},
    }
    data = {"nodes": vis_nodes, "edges": vis_edges, "node_styles": node_styles, "edge_styles": edge_styles,
            "options": _options(seed, len(edges)), "info": info, "ui": strings,
            "axis": dict(axis) if axis else None, "font": FONT_STACK}
    kinds = [k for k in _theme()["kinds"] if any(n.kind == k for n in nodes)]
    return Template(_asset("template.html")).substitute(
        {f"s_{k}": html.escape(v) for k, v in strings.items() if isinstance(v, str)},
        lang=lang,
        csp=CSP,
        title=html.escape(title),
        description=html.escape(description or title),
        filter_html=_filter_html(kinds, nodes, strings),
        edge_filter_html=_edge_filter_html(edges, strings),
        dates_html=_dates_html(nodes, edges, strings),
        stats=html.escape(strings["stats"].format(nodes=len(nodes), edges=len(edges))),
        legend_html=_legend_html(nodes, edges, strings),
        data=_script_json(data),
        vis_css=_vis_asset("vis-network.css", "</style"),
        css=_asset("render.css"),
        vis_js=_vis_asset("vis-network.min.js", "</script"),
        js=_asset("render.js"),
    )


def write_html(graph: nx.Graph, path: Path, *, title: str, lang: str = "ko", seed: int = 7, description: str = "",
               positions: Mapping[str, tuple[float, float]] | None = None,
               axis: Mapping[str, Any] | None = None) -> Path:
    """Render ``graph`` (see :func:`render_html`) and write it to ``path`` as UTF-8; return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    page = render_html(graph, title=title, lang=lang, seed=seed, description=description, positions=positions,
                       axis=axis)
    path.write_bytes(page.encode("utf-8"))
    return path


def term(lang: str, group: str, value: str) -> str:
    """The word the pages use for ``value`` of ``group`` (kind, type, status, edge, family) in ``lang``."""
    return str(_strings()[lang]["terms"].get(group, {}).get(value, value))


# --- reading the projection ---------------------------------------------------------------------


def _text(value: Any) -> str:
    return "" if value is None else str(value).strip()


def _evidence(value: Any) -> tuple[_Evidence, ...]:
    """Normalise evidence to unique (text, source, title, date) tuples, in the given order."""
    if value is None or isinstance(value, (str, Mapping)):
        value = [] if value is None else [value]
    seen: dict[_Evidence, None] = {}
    for item in value:
        if isinstance(item, Mapping):
            entry = (_text(item.get("text")), _text(item.get("source")), _text(item.get("title")),
                     _text(item.get("date")))
        else:
            entry = (_text(item), "", "", "")
        if entry[0] or entry[1]:
            seen.setdefault(entry, None)
    return tuple(seen)


def _evidence_json(evidence: tuple[_Evidence, ...]) -> list[dict[str, str]]:
    """Evidence for the page: text and source always, the article's title and date when known."""
    out = []
    for text, source, title, date in evidence:
        entry = {"text": text, "source": source}
        if title:
            entry["title"] = title
        if date:
            entry["date"] = date
        out.append(entry)
    return out


def _items(value: Any, lang: str) -> tuple[dict[str, Any], ...]:
    """The facts behind a node or edge (events, agreements, relations), unique by key, in date order."""
    if not value:
        return ()
    found: dict[str, dict[str, Any]] = {}
    for item in value:
        if not isinstance(item, Mapping):
            continue
        key = _text(item.get("key"))
        own, other = _text(item.get(f"label_{lang}")), _text(item.get("label_en" if lang == "ko" else "label_ko"))
        entry = {"key": key, "kind": _text(item.get("kind")), "type": _text(item.get("type")),
                 "status": _text(item.get("status")).lower(), "date": _text(item.get("date")),
                 "label": own or other or _text(item.get("label")), "actors": _text(item.get("actors")),
                 "evidence": _evidence(item.get("evidence"))}
        if key in found:
            known = found[key]
            known["evidence"] = tuple(dict.fromkeys(known["evidence"] + entry["evidence"]))
        else:
            found[key] = entry
    return tuple(sorted(found.values(), key=lambda i: (i["date"] == "", i["date"], i["kind"], i["type"], i["key"])))


def _dates(explicit: Any, items: tuple[dict[str, Any], ...]) -> tuple[str, ...]:
    """Dates of what a node or edge stands for ("" undated); none: the date filter leaves it alone."""
    if explicit is not None and not isinstance(explicit, str):
        return tuple(sorted({_text(d) for d in explicit}))
    if isinstance(explicit, str):
        return (_text(explicit),)
    return tuple(sorted({i["date"] for i in items}))


def _info(obj: _Node | _Edge) -> dict[str, Any]:
    """What the panel, search and filters read about a node or edge; empty fields are left out (the
    page fills them in), and so are an edge's ends and a node's key (the drawn records hold them)."""
    data = {f.name: getattr(obj, f.name) for f in fields(obj)}  # shallow: asdict would deep-copy the items
    data["evidence"] = _evidence_json(obj.evidence)
    data["items"] = [{**i, "evidence": _evidence_json(i["evidence"])} for i in obj.items]
    data["dates"] = list(obj.dates)
    for key in ("key", "source", "target"):
        data.pop(key, None)
    keep = ("kind", "label", "weight")
    return {k: v for k, v in data.items() if k in keep or v not in ("", [], ())}


_NODE_STYLE_KEYS = ("shape", "color", "borderWidth", "shapeProperties", "font", "fixed")
_EDGE_STYLE_KEYS = ("color", "dashes", "arrows")


def _factor(records: list[dict[str, Any]], keys: tuple[str, ...]) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Move the style ``keys`` shared by many records into a table the page expands (``s``: its index):
    a large graph's file is about half as big, and loads that much faster."""
    index: dict[str, int] = {}
    table: list[dict[str, Any]] = []
    out = []
    for record in records:
        record = dict(record)
        style = {k: record.pop(k) for k in keys if k in record}
        signature = json.dumps(style, sort_keys=True)
        if signature not in index:
            index[signature] = len(table)
            table.append(style)
        record["s"] = index[signature]
        out.append(record)
    return out, table


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
    items = _items(attrs.get("items"), lang)
    date = _text(attrs.get("date"))
    explicit = attrs.get("dates", date if kind in _DATED_KINDS else None)
    return _Node(
        key=key, kind=kind, label=label, other_label=other if other != label else "", type=type_,
        family=_family(kind, type_)[0], status=_text(attrs.get("status")).lower(),
        date=date, code=_text(attrs.get("code")), evidence=_evidence(attrs.get("evidence")), items=items,
        dates=_dates(explicit, ()) if explicit is not None else (),
    )


def _weight(value: Any) -> int:
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return 1


def _read_edges(graph: nx.Graph, lang: str) -> list[_Edge]:
    """Undirected edges sorted by (source, target, kind); parallel edges of one kind are merged."""
    merged: dict[tuple[str, str, str], dict[str, Any]] = {}
    for u, v, attrs in graph.edges(data=True):
        a, b = sorted((str(u), str(v)))
        kind = _text(attrs.get("kind")) or "link"
        slot = merged.setdefault((a, b, kind), {"weight": 0, "labels": [], "evidence": [], "items": [],
                                                "dates": None})
        slot["weight"] += _weight(attrs.get("weight", 1))
        label = _text(attrs.get("label"))
        if label and label not in slot["labels"]:
            slot["labels"].append(label)
        slot["evidence"].extend(_evidence(attrs.get("evidence")))
        slot["items"].extend(attrs.get("items") or ())
        if attrs.get("dates") is not None:
            slot["dates"] = (slot["dates"] or []) + list(_dates(attrs["dates"], ()))
    edges = []
    for (a, b, kind), s in sorted(merged.items()):
        items = _items(s["items"], lang)
        dates = tuple(sorted(set(s["dates"]))) if s["dates"] is not None else _dates(None, items)
        edges.append(_Edge(a, b, kind, s["weight"], " / ".join(s["labels"]), tuple(dict.fromkeys(s["evidence"])),
                           items, dates))
    return edges


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
        if edge.kind in theme["relation_dashes"]:
            style["dashes"] = theme["relation_dashes"][edge.kind]
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


def _text_width(text: str) -> float:
    """Roughly how wide ``text`` is drawn at the node font size: Hangul and CJK twice a Latin letter."""
    return sum(14.0 if unicodedata.east_asian_width(c) in "WF" else 7.6 for c in text)


def _short(label: str) -> str:
    """A node's label as drawn: each line wrapped at words to at most two lines of about
    ``_LINE_WIDTH`` pixels, the rest cut with an ellipsis."""
    out: list[str] = []
    for paragraph in label.split("\n"):
        lines: list[str] = []
        for word in paragraph.split(" "):
            if lines and _text_width(f"{lines[-1]} {word}") <= _LINE_WIDTH:
                lines[-1] = f"{lines[-1]} {word}"
            else:
                lines.append(word)
        if len(lines) > 2 or any(_text_width(line) > _LINE_WIDTH * 1.25 for line in lines):
            kept = lines[:2]
            while kept and _text_width(kept[-1] + "…") > _LINE_WIDTH * 1.25:
                kept[-1] = kept[-1][:-1]
            kept[-1] = kept[-1].rstrip() + "…"
            lines = kept
        out.extend(lines)
    return "\n".join(out)


def _box(label: str, size: float) -> tuple[float, float]:
    """Width and height in pixels of a node of ``size`` with ``label`` under it."""
    lines = label.split("\n")
    return (max(2.0 * size, max(_text_width(line) for line in lines)) + 16.0, 2.0 * size + 18.0 * len(lines) + 10.0)


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


def _svg_line(colour: str, width: float, dashes: list[float] | None = None) -> str:
    dash = f' stroke-dasharray="{" ".join(map(str, dashes))}"' if dashes else ""
    return (f'<svg width="30" height="12" viewBox="0 0 30 12" aria-hidden="true"><line x1="1" y1="6" x2="29" '
            f'y2="6" stroke="{colour}" stroke-width="{width}"{dash}/></svg>')


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
    statuses, grey = {n.status for n in nodes if n.kind in _DATED_KINDS}, "#7b8794"
    status_rows = [(_svg_shape("square", grey, grey), strings["status_solid"])]
    if statuses & {"planned", "negotiating", "postponed"}:
        status_rows.append((_svg_shape("square", _lighten(grey), grey, [3, 2]), strings["status_dashed"]))
    if "cancelled" in statuses:
        status_rows.append((_svg_shape("square", _lighten(grey), grey, [1.5, 1.5]), strings["status_dotted"]))
    parts.append(_section(strings["legend_status"], status_rows if statuses else []))
    edge_kinds = {e.kind for e in edges}
    edge_rows = [(_svg_line(colour, 3, theme["relation_dashes"].get(kind)), terms["edge"][kind])
                 for kind, colour in theme["relations"].items() if kind in edge_kinds]
    edge_rows += [(_svg_line(theme["other_relation"], 3), k)
                  for k in sorted(edge_kinds - set(theme["relations"]) - set(theme["link_kinds"]))]
    if edge_kinds & set(theme["link_kinds"]):
        edge_rows.append((_svg_line(theme["link_colour"], 1.5), strings["links"]))
    if any(e.kind not in theme["link_kinds"] for e in edges):
        edge_rows.append(("", strings["width_note"]))
    parts.append(_section(strings["legend_edges"], edge_rows))
    return f'<details open><summary>{html.escape(strings["legend"])}</summary>{"".join(parts)}</details>'


def _checkbox(value: str, text: str, count: int) -> str:
    return (f'<label><input type="checkbox" value="{html.escape(value)}" checked>{html.escape(text)}'
            f' <span class="dkg-count">{count}</span></label>')


def _filter_html(kinds: list[str], nodes: list[_Node], strings: Mapping[str, Any]) -> str:
    names = strings["terms"]["kind"]
    return "".join(_checkbox(k, names[k], sum(1 for n in nodes if n.kind == k)) for k in kinds)


def _edge_group(kind: str) -> str:
    return "link" if kind in _theme()["link_kinds"] else kind


def _edge_filter_html(edges: list[_Edge], strings: Mapping[str, Any]) -> str:
    """Checkboxes for the kinds of links present: each relation kind, all participation links as one."""
    theme = _theme()
    counts: dict[str, int] = {}
    for e in edges:
        counts[_edge_group(e.kind)] = counts.get(_edge_group(e.kind), 0) + 1
    if len(counts) < 2:
        return ""
    order = [k for k in theme["relations"] if k in counts] + sorted(set(counts) - set(theme["relations"]) - {"link"})
    order += ["link"] if "link" in counts else []
    names = strings["terms"]["edge"]
    boxes = "".join(_checkbox(k, strings["links_short"] if k == "link" else names.get(k, k), counts[k]) for k in order)
    return f'<fieldset id="dkg-edge-filter"><legend>{html.escape(strings["filter_edges"])}</legend>{boxes}</fieldset>'


def _bounds(dates: set[str]) -> tuple[str, str]:
    """The first and last day of a set of ISO dates given at any precision (2025, 2025-03, 2025-03-01)."""
    def first(d: str) -> str:
        return (d + "-01-01"[len(d) - 4:] if len(d) < 10 else d[:10]) if len(d) >= 4 else ""

    def last(d: str) -> str:
        if len(d) >= 10:
            return d[:10]
        if len(d) == 7:
            month = int(d[5:7])
            days = 29 if month == 2 else 30 if month in (4, 6, 9, 11) else 31
            return f"{d}-{days:02d}"
        return d[:4] + "-12-31" if len(d) >= 4 else ""
    starts = sorted(filter(None, (first(d) for d in dates)))
    ends = sorted(filter(None, (last(d) for d in dates)))
    return (starts[0], ends[-1]) if starts and ends else ("", "")


def _dates_html(nodes: list[_Node], edges: list[_Edge], strings: Mapping[str, Any]) -> str:
    """The date range control: from, to, and whether undated facts show; only when something is dated."""
    dates = {d for n in nodes for d in n.dates} | {d for e in edges for d in e.dates}
    if not dates:
        return ""
    low, high = _bounds({d for d in dates if d})
    bounds = f' min="{low}" max="{high}"' if low else ""
    disabled = "" if low else " disabled"
    undated = len({n.key for n in nodes if "" in n.dates}
                  | {i["key"] for e in edges for i in e.items if not i["date"]})
    return (
        f'<fieldset id="dkg-dates"><legend>{html.escape(strings["dates"])}</legend>'
        f'<label>{html.escape(strings["date_from"])} <input type="date" id="dkg-from"{bounds}{disabled}></label>'
        f'<label>{html.escape(strings["date_to"])} <input type="date" id="dkg-to"{bounds}{disabled}></label>'
        f'<label><input type="checkbox" id="dkg-undated" checked>{html.escape(strings["undated"])}'
        f' <span class="dkg-count">{undated}</span></label>'
        f'<button type="button" id="dkg-dates-reset">{html.escape(strings["reset"])}</button></fieldset>'
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
