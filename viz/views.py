"""Views: run the named queries on the store, project the rows, render an offline HTML file.

Four views, each written by one function that returns the projected graph:

- :func:`trilateral_view` - what ties three actors: shared events and agreements, relations;
- :func:`actor_view` - one actor's events, agreements, relations and people, up to N hops out;
- :func:`network_view` - the actor network: states and organizations tied by shared meetings,
  shared agreements and typed relations, weighted by the number of facts;
- :func:`timeline_view` - one actor's events, or two actors' shared events, left to right by date.

:func:`write_index` writes an offline index page linking the views of a folder.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from html.parser import HTMLParser
from pathlib import Path
from string import Template

import networkx as nx

from kg.errors import DkgError
from kg.gazetteer import Gazetteer
from kg.gazetteer import default as default_gazetteer
from kg.queries import Result, registry, run
from kg.store import Store
from viz.layout import timeline_layout
from viz.project import (
    actor_graph,
    evidence_index,
    item_index,
    neighbour_codes,
    ties_graph,
    timeline_graph,
    trilateral_graph,
)
from viz.render import CSP, LANGS, _asset, write_html

MAX_HOPS = 3


class ViewError(DkgError):
    """A view cannot be made from what was asked: an unknown actor code, a bad date or period."""


def check_date(value: str, name: str = "date") -> str:
    """``value`` if it is a date written YYYY-MM-DD (or empty); else a ``ViewError``."""
    if not value:
        return ""
    try:
        if len(value) != 10:
            raise ValueError(value)
        return dt.date.fromisoformat(value).isoformat()
    except ValueError:
        raise ViewError(f"{name} {value!r} is not a date written YYYY-MM-DD") from None


def _period(since: str, until: str) -> tuple[str, str]:
    since, until = check_date(since, "--since"), check_date(until, "--until")
    if since and until and since > until:
        raise ViewError(f"--since {since} is after --until {until}")
    return since, until


def actor_code(code: str, gazetteer: Gazetteer | None = None) -> str:
    """The gazetteer's code for ``code`` (KOR, kor, UN, yoon-suk-yeol); a ``ViewError`` if it knows none."""
    gazetteer = gazetteer or default_gazetteer()
    actor = gazetteer.actor(code) or gazetteer.actor(code.upper()) or gazetteer.actor(code.lower())
    if actor is None:
        raise ViewError(f"unknown actor code {code!r}: use a state code such as KOR, JPN, USA, an organization "
                        "code such as UN or ASEAN, or a person such as yoon-suk-yeol")
    return actor.code


def _name(code: str, gazetteer: Gazetteer, lang: str) -> str:
    actor = gazetteer.actor(code)
    if actor is None:
        return code
    return actor.name_ko if lang == "ko" else actor.name_en


def _check_lang(lang: str) -> None:
    if lang not in LANGS:
        raise ViewError(f"--lang must be one of {', '.join(LANGS)}, not {lang!r}")


def _span(since: str, until: str) -> str:
    return f" ({since or '…'} – {until or '…'})" if since or until else ""


def _evidence(store: Store) -> dict[str, list[dict[str, str]]]:
    return evidence_index(run(store, registry()["evidence"], {}))


def _query(store: Store, name: str, params: dict[str, str]) -> Result:
    return run(store, registry()[name], params)


# --- the four views -----------------------------------------------------------------------------


def trilateral_view(store: Store, codes: Sequence[str], output: Path, lang: str = "ko", since: str = "",
                    until: str = "") -> nx.MultiGraph:
    """Write the trilateral view of three actors to ``output``; return the projected graph.

    The events and agreements at least two of them share and the relations among them; with a
    period, dated facts outside it are left out (undated ones, such as relations, stay).
    """
    _check_lang(lang)
    gazetteer = default_gazetteer()
    a, b, c = (actor_code(code, gazetteer) for code in codes)
    since, until = _period(since, until)
    result = _query(store, "trilateral", {"a": a, "b": b, "c": c})
    graph = trilateral_graph(result, (a, b, c), gazetteer, _evidence(store), since, until)
    names = [_name(x, gazetteer, lang) for x in (a, b, c)]
    if lang == "ko":
        title = " · ".join(names) + " 삼각 관계" + _span(since, until)
        about = (f"{', '.join(names)} 중 둘 이상이 함께한 행사와 합의, 그리고 셋 사이의 관계(협력·동맹·갈등 등)"
                 + _span(since, until))
    else:
        title = " · ".join(names) + ": trilateral ties" + _span(since, until)
        about = (f"The events and agreements at least two of {', '.join(names)} share, and the relations among "
                 f"them" + _span(since, until))
    write_html(graph, output, title=title, lang=lang, description=about)
    return graph


def actor_view(store: Store, code: str, output: Path, lang: str = "ko", hops: int = 1, since: str = "",
               until: str = "") -> nx.MultiGraph:
    """Write the view of one actor and its neighbourhood up to ``hops`` hops to ``output``.

    Hop 1: the actor's events, agreements and relations, the other actors in them and (for a
    state) its people; each further hop adds the facts of the actors reached so far.
    """
    _check_lang(lang)
    if not 1 <= hops <= MAX_HOPS:
        raise ViewError(f"--hops must be between 1 and {MAX_HOPS}, not {hops}")
    gazetteer = default_gazetteer()
    center = actor_code(code, gazetteer)
    since, until = _period(since, until)
    results: dict[str, Result] = {}
    frontier, seen = [center], {center}
    for depth in range(hops):
        reached: set[str] = set()
        for current in frontier:
            results[current] = _query(store, "actor", {"code": current})
            if depth + 1 < hops:
                reached.update(c for c in neighbour_codes(results[current], since, until)
                               if c not in seen and gazetteer.actor(c) is not None)
        seen |= reached
        frontier = sorted(reached)
    graph = actor_graph(results, center, gazetteer, _evidence(store), since, until)
    name = _name(center, gazetteer, lang)
    if lang == "ko":
        title = f"{name}: 행사·합의·관계 ({hops}단계)" + _span(since, until)
        about = (f"{name}의 회담·방문·회의, 합의, 관계(협력·동맹·갈등 등)와 상대 국가·기구·인물" +
                 (f", {hops}단계 이웃까지" if hops > 1 else "") + _span(since, until))
    else:
        title = f"{name}: events, agreements, relations ({hops} hop{'s' if hops > 1 else ''})" + _span(since, until)
        about = (f"The events {name} takes part in, the agreements it is party to, its relations and the actors "
                 f"involved" + (f", out to {hops} hops" if hops > 1 else "") + _span(since, until))
    write_html(graph, output, title=title, lang=lang, description=about)
    return graph


def network_view(store: Store, output: Path, lang: str = "ko", since: str = "", until: str = "") -> nx.MultiGraph:
    """Write the actor network (the ``ties`` query) to ``output``; return the projected graph."""
    _check_lang(lang)
    gazetteer = default_gazetteer()
    since, until = _period(since, until)
    params = {"since": since, "until": until}
    ties = _query(store, "ties", {k: v for k, v in params.items() if v})
    items = item_index(_query(store, "events", {}), _query(store, "agreements", {}),
                       _query(store, "relations", {}), gazetteer, _evidence(store))
    graph = ties_graph(ties, items, gazetteer, since, until)
    if lang == "ko":
        title = "외교 관계망" + _span(since, until)
        about = ("국가와 국제기구를 함께한 회담, 공동 합의, 협력·동맹·동반자·갈등·제재 관계로 이은 관계망"
                 "(선 굵기: 사건 수)" + _span(since, until))
    else:
        title = "Diplomatic network" + _span(since, until)
        about = ("States and organizations tied by shared meetings, shared agreements and cooperation, alliance, "
                 "partnership, conflict or sanction (line width: number of facts)" + _span(since, until))
    write_html(graph, output, title=title, lang=lang, description=about)
    return graph


def timeline_view(store: Store, codes: Sequence[str], output: Path, lang: str = "ko", since: str = "",
                  until: str = "") -> nx.MultiGraph:
    """Write the timeline of one actor's events, or of the events two actors share, to ``output``.

    Events lie left to right by date (undated ones in a last column; with a period they are left
    out, as the ``timeline`` query does), the actors asked for in a band above, the other
    participants in a band below the date axis.
    """
    _check_lang(lang)
    if not 1 <= len(codes) <= 2:
        raise ViewError(f"a timeline is of one or two actors, not {len(codes)}")
    gazetteer = default_gazetteer()
    focus = [actor_code(code, gazetteer) for code in codes]
    since, until = _period(since, until)
    params = {"a": focus[0], "b": focus[1] if len(focus) > 1 else "", "since": since, "until": until}
    result = _query(store, "timeline", {k: v for k, v in params.items() if v})
    graph = timeline_graph(result, focus, gazetteer, _evidence(store))
    events = [(k, d["date"]) for k, d in graph.nodes(data=True) if d["kind"] == "event"]
    links = [(u, v) if graph.nodes[v]["kind"] == "event" else (v, u) for u, v in graph.edges()]
    focus_keys = [k for k, d in graph.nodes(data=True) if d.get("code") in focus]
    focus_keys.sort(key=lambda k: focus.index(graph.nodes[k]["code"]))
    positions, axis = timeline_layout(sorted(events), sorted(links), focus_keys)
    names = [_name(c, gazetteer, lang) for c in focus]
    if lang == "ko":
        title = (" · ".join(names) + " 공동 행사 연표" if len(names) > 1 else f"{names[0]} 연표") + _span(since, until)
        about = ((f"{names[0]}·{names[1]} 공동" if len(names) > 1 else f"{names[0]}의")
                 + " 회담·방문·회의를 날짜순으로(날짜 미상은 오른쪽 끝)" + _span(since, until))
    else:
        title = (" and ".join(names) + ": shared events" if len(names) > 1 else f"{names[0]}: timeline") \
            + _span(since, until)
        about = (("The meetings, visits and conferences " + (f"{names[0]} and {names[1]} share" if len(names) > 1
                                                             else f"{names[0]} takes part in"))
                 + ", left to right by date (undated ones last)" + _span(since, until))
    write_html(graph, output, title=title, lang=lang, description=about, positions=positions, axis=axis)
    return graph


# --- index --------------------------------------------------------------------------------------


class _Head(HTMLParser):
    """Reads a page's language, title and description."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = self.title = self.description = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = values.get("lang", "")
        elif tag == "title":
            self._in_title = True
        elif tag == "meta" and values.get("name") == "description":
            self.description = values.get("content", "")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def _head(path: Path) -> _Head:
    text = path.read_text(encoding="utf-8", errors="replace")
    end = text.find("</head>")
    head = _Head()
    head.feed(text[: end if end != -1 else 4096])
    return head


def write_index(folder: Path, output: Path | None = None) -> Path:
    """Write ``index.html`` in ``folder`` (or ``output``): a link to every other ``.html`` page there,
    with its title, language and the line saying what it shows. Offline, like the views."""
    folder = Path(folder)
    if not folder.is_dir():
        raise ViewError(f"{folder}: no such folder")
    output = Path(output) if output else folder / "index.html"
    rows = []
    for page in sorted(folder.glob("*.html")):
        if page.resolve() == output.resolve():
            continue
        head = _head(page)
        rows.append(
            f'<li><a href="{html.escape(page.name)}">{html.escape(head.title or page.name)}</a>'
            f' <span class="lang">{html.escape(head.lang)}</span>'
            f'<p>{html.escape(head.description)}</p><code>{html.escape(page.name)}</code></li>')
    body = "<ul>" + "".join(rows) + "</ul>" if rows else "<p>No views yet. 보기가 없습니다.</p>"
    page_text = Template(_asset("index.html")).substitute(csp=CSP, views=body, count=len(rows))
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_bytes(page_text.encode("utf-8"))
    return output
