"""The four views of the seeds - trilateral, actor, network, timeline - as data, in a real headless
Chromium (offline, drawn, clickable, inert to injected markup), and through `dkg viz`."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
from click.testing import CliRunner

from conftest import ARTICLES, ROOT, chromium_page
from kg import iris
from kg.cli import cli
from kg.importer import import_paths
from kg.store import Store
from viz.views import actor_view, network_view, timeline_view, trilateral_view, write_index

SCREENSHOTS = ROOT / "tests" / "screenshots"
SEEDS = ("000_e23bad62de7aac41.txt", "004_73f0e8a35ad27e31.txt")
SEED_004_TITLE = "국교정상회 60주년 한일 양국 관계 한단계 끌어올리기"
KOR = str(iris.actor("KOR", "state"))
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src=x onerror="window.__pwned=1">'
HOSTILE = f"""---
title: '{SCRIPT}한미 외교장관 회담 {IMG}'
date: 2025-02-03
lang: ko
publisher: 테스트
---
조태열 외교부 장관은 3일 워싱턴에서 미국 국무장관과 한미 외교장관회담을 가졌다 {SCRIPT}.
양국은 한미동맹을 더욱 강화하기로 했다 {IMG}.
"""

View = Callable[[Store, Path, str], nx.MultiGraph]
VIEWS: dict[str, View] = {
    "trilateral": lambda store, out, lang: trilateral_view(store, ("KOR", "JPN", "USA"), out, lang=lang),
    "actor": lambda store, out, lang: actor_view(store, "KOR", out, lang=lang),
    "network": lambda store, out, lang: network_view(store, out, lang=lang),
    "timeline": lambda store, out, lang: timeline_view(store, ("KOR",), out, lang=lang),
}


def invoke(*args: str, store: Path | None = None) -> tuple[int, str]:
    argv = (["--store", str(store)] if store else []) + list(args)
    result = CliRunner().invoke(cli, argv)
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def hostile_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The seeds plus an article whose title and text carry a <script> and an <img onerror>."""
    folder = tmp_path_factory.mktemp("hostile")
    article = folder / "999_hostile.md"
    article.write_text(HOSTILE, encoding="utf-8")
    path = folder / "db"
    with Store(path) as store:
        reports = import_paths(store, [ARTICLES, article])
    assert [r.status for r in reports] == ["imported"] * 3, [r.line() for r in reports]
    return path


def summit_key(graph: nx.MultiGraph) -> str:
    """The ROK-Japan summit of 26 May 2024 (seed 004)."""
    found = [k for k, d in graph.nodes(data=True) if d.get("type") == "Summit" and d.get("date") == "2024-05-26"]
    assert len(found) == 1, found
    return found[0]


def subject(view: str, graph: nx.MultiGraph) -> tuple[str, str]:
    """A node to click in the view and an evidence sentence its panel must show."""
    if view == "network":
        summit = next(i for i in graph.nodes[KOR]["items"] if i["type"] == "Summit" and i["date"] == "2024-05-26")
        return KOR, summit["evidence"][0]["text"]
    key = summit_key(graph)
    return key, graph.nodes[key]["evidence"][0]["text"]


def click_node(page: Any, key: str) -> None:
    """Bring the node to the middle of the canvas and click it where it is drawn."""
    page.evaluate("(id) => dkgNetwork.focus(id, {scale: 1.6, animation: false})", key)
    x, y, hit = page.evaluate("""(id) => {
        const p = dkgNetwork.canvasToDOM(dkgNetwork.getPosition(id));
        const r = document.getElementById('dkg-canvas').getBoundingClientRect();
        return [r.left + p.x, r.top + p.y, dkgNetwork.getNodeAt(p)];
    }""", key)
    assert hit == key
    page.mouse.click(x, y)
    page.wait_for_selector("#dkg-panel:not([hidden])")


# --- projections, as data -----------------------------------------------------------------------


def test_views_are_deterministic(seeded_store: Store, tmp_path: Path) -> None:
    for name, make in VIEWS.items():
        first, second = tmp_path / f"{name}-1.html", tmp_path / f"{name}-2.html"
        make(seeded_store, first, "ko")
        make(seeded_store, second, "ko")
        assert first.read_bytes() == second.read_bytes(), name


def test_network_ties_are_weighted_and_typed(seeded_store: Store, tmp_path: Path) -> None:
    graph = network_view(seeded_store, tmp_path / "n.html")
    jpn, usa, prk = (str(iris.actor(c, "state")) for c in ("JPN", "USA", "PRK"))
    assert all(d["kind"] in ("state", "organization") for _, d in graph.nodes(data=True))
    kinds = {d["kind"]: d for d in graph.get_edge_data(KOR, jpn).values()}
    assert {"SharedMeeting", "SharedAgreement", "Cooperation"} <= set(kinds)
    assert kinds["Cooperation"]["weight"] == 3
    meetings = [d for d in graph.get_edge_data(KOR, jpn).values() if d["kind"] == "SharedMeeting"]
    assert sum(d["weight"] for d in meetings) == 4  # two summits, a visit and talks
    summit = next(i for d in meetings for i in d["items"] if i["date"] == "2024-05-26" and i["type"] == "Summit")
    assert {"source": SEEDS[1], "title": SEED_004_TITLE, "date": "2024-05-26"}.items() <= summit["evidence"][0].items()
    assert {d["kind"] for d in graph.get_edge_data(KOR, usa).values()} >= {"Alliance", "Cooperation"}
    assert [d["kind"] for d in graph.get_edge_data(KOR, prk).values()] == ["Conflict"]
    assert any(i["type"] == "Alliance" for i in graph.nodes[KOR]["items"])

    later = network_view(seeded_store, tmp_path / "n2.html", since="2024-05-27")
    meetings = [d for d in later.get_edge_data(KOR, jpn).values() if d["kind"] == "SharedMeeting"]
    assert all(i["date"] != "2024-05-26" for d in meetings for i in d["items"])
    assert sum(d["weight"] for d in meetings) == 2  # the trilateral summit of the 27th, undated talks


def test_actor_neighbourhood_grows_with_hops(seeded_store: Store, tmp_path: Path) -> None:
    one = actor_view(seeded_store, "JPN", tmp_path / "a1.html", lang="en")
    two = actor_view(seeded_store, "JPN", tmp_path / "a2.html", lang="en", hops=2)
    assert set(one.nodes) < set(two.nodes)
    codes = {d["code"] for _, d in one.nodes(data=True) if d["kind"] == "state"}
    assert {"JPN", "KOR", "CHN", "USA"} <= codes and "FJI" not in codes
    assert "FJI" in {d["code"] for _, d in two.nodes(data=True)}  # KOR's Pacific islands meeting, two hops out
    kinds = {d["kind"] for _, _, d in one.edges(data=True)}
    assert {"participant", "party", "Cooperation"} <= kinds
    person = actor_view(seeded_store, "yoon-suk-yeol", tmp_path / "p.html")
    yoon = str(iris.actor("yoon-suk-yeol", "person"))
    assert person.nodes[yoon]["kind"] == "person"
    assert {d["kind"] for _, _, d in person.edges(yoon, data=True)} == {"attendee"}
    people = actor_view(seeded_store, "KOR", tmp_path / "k.html")
    assert yoon in people and any(d["kind"] == "nationality" for _, _, d in people.edges(yoon, data=True))


def test_trilateral_period(seeded_store: Store, tmp_path: Path) -> None:
    whole = trilateral_view(seeded_store, ("KOR", "JPN", "USA"), tmp_path / "t.html")
    later = trilateral_view(seeded_store, ("KOR", "JPN", "USA"), tmp_path / "t2.html", since="2024-05-27")
    summit = summit_key(whole)
    assert summit not in later
    assert {d["kind"] for _, _, d in later.edges(data=True)} >= {"Cooperation", "Alliance"}  # undated relations stay
    assert len(later) < len(whole)


def test_timeline_lays_events_out_by_date(seeded_store: Store, tmp_path: Path) -> None:
    from viz.layout import timeline_layout

    graph = timeline_view(seeded_store, ("KOR", "JPN"), tmp_path / "tl.html", lang="en")
    events = sorted((d["date"], k) for k, d in graph.nodes(data=True) if d["kind"] == "event")
    assert [d for d, _ in events] == ["", "2024-05-26", "2024-05-26", "2024-05-27"]
    links = [(u, v) if graph.nodes[v]["kind"] == "event" else (v, u) for u, v in graph.edges()]
    focus = [str(iris.actor(c, "state")) for c in ("KOR", "JPN")]
    positions, axis = timeline_layout([(k, d) for d, k in events], links, focus)
    xs = {k: positions[k][0] for _, k in events}
    assert xs[events[1][1]] == xs[events[2][1]] < xs[events[3][1]] < xs[events[0][1]]  # undated last
    assert axis["undated_x"] == xs[events[0][1]]
    assert all(positions[f][1] < min(positions[k][1] for _, k in events) for f in focus)  # band above
    chn = str(iris.actor("CHN", "state"))
    assert positions[chn][1] > axis["y"]  # other participants below the axis
    only_dated = timeline_view(seeded_store, ("KOR",), tmp_path / "tl2.html", since="2024-01-01")
    assert all(d["date"] for _, d in only_dated.nodes(data=True) if d["kind"] == "event")
    nothing = timeline_view(seeded_store, ("KOR",), tmp_path / "tl3.html", since="2030-01-01")
    assert list(nothing.nodes) == [KOR] and (tmp_path / "tl3.html").stat().st_size > 0


def test_index_links_every_view(seeded_store: Store, tmp_path: Path) -> None:
    for name, make in VIEWS.items():
        make(seeded_store, tmp_path / f"{name}.html", "en")
    index = write_index(tmp_path)
    page = index.read_text(encoding="utf-8")
    for name in VIEWS:
        assert f'href="{name}.html"' in page
    assert "Diplomatic network" in page and "South Korea: timeline" in page
    assert "States and organizations tied by shared meetings" in page
    assert 'http-equiv="Content-Security-Policy"' in page
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:[a-z]+:|//)""", page, re.I)


# --- in the browser -----------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["ko", "en"])
@pytest.mark.parametrize("view", list(VIEWS))
def test_view_in_browser(view: str, lang: str, seeded_store_path: Path, tmp_path: Path) -> None:
    path = tmp_path / f"{view}.html"
    with Store(seeded_store_path) as store:
        graph = VIEWS[view](store, path, lang)
    key, sentence = subject(view, graph)
    with chromium_page(1400, 900) as seen:
        page = seen.page
        page.goto(path.as_uri())
        page.wait_for_function("() => window.dkgReady === true", timeout=15000)
        assert page.evaluate("dkgNetwork.body.data.nodes.length") == graph.number_of_nodes()
        assert page.evaluate("Object.keys(dkgNetwork.body.nodes).length") == graph.number_of_nodes()
        assert page.evaluate("window.dkgTimes.firstDraw > 0")
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{view}-{lang}.png"))
        click_node(page, key)
        panel = page.inner_text("#dkg-panel")
        assert sentence in panel
        assert any(seed in panel for seed in SEEDS)
        if lang == "ko":
            assert SEED_004_TITLE in panel  # the article's title with its file and date
        page.screenshot(path=str(SCREENSHOTS / f"{view}-{lang}-panel.png"))
    assert seen.errors == [] and seen.dialogs == []
    assert seen.requests == [path.as_uri()]


@pytest.mark.parametrize("view", list(VIEWS))
def test_injected_markup_stays_inert(view: str, hostile_store_path: Path, tmp_path: Path) -> None:
    path = tmp_path / f"{view}.html"
    with Store(hostile_store_path) as store:
        graph = VIEWS[view](store, path, "ko")
    text = path.read_text(encoding="utf-8")
    assert "__pwned" in text  # the hostile article reached the view, as data
    assert SCRIPT not in text and "<img src=x" not in text and text.count("</script>") == 3
    with chromium_page(1400, 900) as seen:
        page = seen.page
        page.goto(path.as_uri())
        page.wait_for_function("() => window.dkgReady === true", timeout=15000)
        assert page.evaluate("dkgNetwork.body.data.nodes.length") == graph.number_of_nodes()
        hits = page.evaluate("""() => {
            const info = JSON.parse(document.getElementById('dkg-data').textContent).info;
            const hit = (o) => JSON.stringify(o).includes('__pwned');
            return [Object.keys(info.nodes).filter(k => hit(info.nodes[k])),
                    Object.keys(info.edges).filter(k => hit(info.edges[k]))];
        }""")
        nodes, edges = hits
        assert nodes or edges
        for node in nodes:
            assert page.evaluate("(id) => window.dkgShowNode(id)", node) is True
            panel = page.inner_text("#dkg-panel")
            assert SCRIPT in panel or IMG in panel  # shown as text
            assert page.evaluate("document.querySelectorAll('#dkg-panel img, #dkg-panel script').length") == 0
        for edge in edges[:10]:
            assert page.evaluate("(id) => window.dkgShowEdge(id)", edge) is True
            assert page.evaluate("document.querySelectorAll('#dkg-panel img, #dkg-panel script').length") == 0
        if nodes:
            click_node(page, nodes[0])
        page.fill("#dkg-search", "pwned")
        page.mouse.move(5, 5)
        page.wait_for_timeout(200)
        assert page.evaluate("typeof window.__pwned") == "undefined"
        assert page.title() and "__pwned" not in page.title()
    assert seen.errors == [] and seen.dialogs == []
    assert seen.requests == [path.as_uri()]


def test_filters_by_date_and_link_kind(seeded_store_path: Path, tmp_path: Path) -> None:
    tri, net = tmp_path / "tri.html", tmp_path / "net.html"
    with Store(seeded_store_path) as store:
        graph = trilateral_view(store, ("KOR", "JPN", "USA"), tri, lang="en")
        network_view(store, net, lang="en")
    summit = summit_key(graph)
    hidden = "dkgNetwork.body.data.nodes.get({filter: n => n.hidden}).map(n => n.id)"
    with chromium_page(1400, 900) as seen:
        page = seen.page
        page.goto(tri.as_uri())
        page.wait_for_function("() => window.dkgReady === true", timeout=15000)
        page.fill("#dkg-from", "2024-05-27")
        assert summit in page.evaluate(hidden)
        three = [k for k, d in graph.nodes(data=True) if d.get("date") == "2024-05-27"]
        assert three and not set(three) & set(page.evaluate(hidden))
        page.uncheck("#dkg-undated")
        undated = [k for k, d in graph.nodes(data=True) if d["kind"] in ("event", "agreement") and not d["date"]]
        assert set(undated) <= set(page.evaluate(hidden))
        page.click("#dkg-dates-reset")
        assert page.evaluate(hidden) == []

        page.goto(net.as_uri())
        page.wait_for_function("() => window.dkgReady === true", timeout=15000)
        page.uncheck("#dkg-edge-filter input[value=SharedMeeting]")
        shown = page.evaluate("dkgNetwork.body.data.edges.get({filter: e => !e.hidden}).map(e => e.id)")
        kinds = page.evaluate("(ids) => { const i = JSON.parse(document.getElementById('dkg-data').textContent)"
                              ".info.edges; return [...new Set(ids.map(id => i[id].kind))]; }", shown)
        assert kinds and "SharedMeeting" not in kinds
        fiji = str(iris.actor("FJI", "state"))
        assert fiji in page.evaluate(hidden)  # met Korea only at a meeting: left with no link, hidden
    assert seen.errors == [] and seen.dialogs == []


# --- the command line ---------------------------------------------------------------------------


def test_viz_commands_write_views(seeded_store_path: Path, tmp_path: Path) -> None:
    runs = {
        "trilateral": ("trilateral", "KOR", "JPN", "USA", "--since", "2024-01-01", "--until", "2025-12-31"),
        "actor": ("actor", "kor", "--hops", "2", "--lang", "en"),
        "network": ("network", "--until", "2024-12-31"),
        "timeline": ("timeline", "KOR", "JPN", "--lang", "en"),
    }
    for name, args in runs.items():
        target = tmp_path / "views" / f"{name}.html"
        code, out = invoke("viz", *args, "-o", str(target), store=seeded_store_path)
        assert code == 0, out
        assert re.search(rf"wrote .*{name}\.html \(\d+ nodes, \d+ edges\)", out)
        assert target.read_bytes().decode("utf-8").startswith("<!DOCTYPE html>")
    code, out = invoke("viz", "index", str(tmp_path / "views"))
    assert code == 0, out
    page = (tmp_path / "views" / "index.html").read_text(encoding="utf-8")
    assert all(f'href="{name}.html"' in page for name in runs)


@pytest.mark.parametrize("args", [
    ("trilateral", "KOR", "JPN", "XYZ"),
    ("actor", "XYZ"),
    ("timeline", "KOR", "NOPE"),
])
def test_viz_unknown_actor_exits_2(args: tuple[str, ...], tmp_path: Path) -> None:
    code, out = invoke("viz", *args, "-o", str(tmp_path / "v.html"), store=tmp_path / "db")
    assert code == 2
    assert "unknown actor code" in out and ("XYZ" in out or "NOPE" in out)
    assert not (tmp_path / "v.html").exists() and not (tmp_path / "db").exists()


@pytest.mark.parametrize("args, message", [
    (("network", "--since", "2024-13-01"), "not a date"),
    (("timeline", "KOR", "--until", "yesterday"), "not a date"),
    (("actor", "KOR", "--since", "2024-5-1"), "not a date"),
    (("trilateral", "KOR", "JPN", "USA", "--since", "2025-01-01", "--until", "2024-01-01"), "after"),
    (("timeline", "KOR", "JPN", "USA"), "one or two actors"),
    (("actor", "KOR", "--hops", "9"), "hops"),
])
def test_viz_bad_input_exits_2(args: tuple[str, ...], message: str, seeded_store_path: Path, tmp_path: Path) -> None:
    code, out = invoke("viz", *args, "-o", str(tmp_path / "v.html"), store=seeded_store_path)
    assert code == 2, out
    assert message in out
    assert not (tmp_path / "v.html").exists()


def test_viz_index_of_a_missing_folder_exits_2(tmp_path: Path) -> None:
    code, out = invoke("viz", "index", str(tmp_path / "nowhere"))
    assert code == 2 and "nowhere" in out
