"""viz.render: graph -> one self-contained, deterministic, injection-safe HTML page."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import networkx as nx
import pytest

from conftest import chromium_page
from viz.render import CSP, render_html, write_html

BASE = "https://example.org/dkg/id/"
KOR, JPN, USA = BASE + "state/KOR", BASE + "state/JPN", BASE + "state/USA"
SUMMIT, VISIT = BASE + "event/kor-jpn-summit-2024-05-26", BASE + "event/kor-usa-visit-2025-09"
YOON = BASE + "person/yoon-suk-yeol"
ATTACK = "</script><script>alert(1)</script><img src=x onerror=alert(1)>"
SUMMIT_SENTENCE = "윤석열 대통령과 기시다 후미오 총리는 26일 서울에서 한일 정상회담을 열었다."


def sample_graph() -> nx.Graph:
    g = nx.Graph()
    for iri, code, ko, en in ((KOR, "KOR", "한국", "South Korea"), (JPN, "JPN", "일본", "Japan"),
                              (USA, "USA", "미국", "United States")):
        g.add_node(iri, kind="state", code=code, label_ko=ko, label_en=en, type="", status="", date="",
                   evidence=[])
    g.add_node(YOON, kind="person", label_ko="윤석열", label_en="Yoon Suk Yeol", code="", type="", status="",
               date="", evidence=[])
    g.add_node(SUMMIT, kind="event", type="Summit", status="held", date="2024-05-26", code="",
               label_ko="한일 정상회담", label_en="Korea-Japan summit",
               evidence=[{"text": SUMMIT_SENTENCE, "source": "yna-2024-05-26.txt"},
                         {"text": ATTACK, "source": "evil<b>.txt"}])
    g.add_node(VISIT, kind="event", type="Visit", status="planned", date="2025-09", code="",
               label_ko="미국 방문", label_en="Visit to the United States", evidence=[])
    for actor in (KOR, JPN):
        g.add_edge(actor, SUMMIT, kind="participant", weight=1, evidence=[])
    for actor in (KOR, USA):
        g.add_edge(actor, VISIT, kind="participant", weight=1, evidence=[])
    g.add_edge(YOON, SUMMIT, kind="attendee", weight=1, evidence=[])
    g.add_edge(KOR, JPN, kind="Cooperation", weight=3,
               evidence=[{"text": "양국은 경제 협력을 강화하기로 했다.", "source": "yna-2024-05-26.txt"}])
    return g


def data_block(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="dkg-data">(.*?)</script>', page, re.S)
    assert match, "data block missing"
    return json.loads(match.group(1))


def styled(data: dict) -> tuple[dict, dict]:
    """The drawn nodes and edges by id (edges by their ends), with their shared styles filled in."""
    nodes = {n["id"]: {**data["node_styles"][n["s"]], **n} for n in data["nodes"]}
    edges = {(e["from"], e["to"]): {**data["edge_styles"][e["s"]], **e} for e in data["edges"]}
    return nodes, edges


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(sample_graph(), title="한일 관계 <테스트>", lang="ko")


def test_hangul_labels_charset_and_csp(page: str) -> None:
    for label in ("한국", "일본", "미국", "한일 정상회담"):
        assert label in page
    assert '<meta charset="utf-8">' in page
    assert f'<meta http-equiv="Content-Security-Policy" content="{CSP}">' in page
    assert "default-src 'none'" in CSP and "img-src data:" in CSP
    assert "Noto Sans CJK KR" in page and "Malgun Gothic" in page
    assert "<title>한일 관계 &lt;테스트&gt;</title>" in page


def test_no_remote_references(page: str) -> None:
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?\s*[a-zA-Z][a-zA-Z0-9+.-]*:""", page)
    assert not re.search(r"""\b(?:src|href)\s*=\s*["']?\s*//""", page)
    assert not re.search(r"<script[^>]*\ssrc\s*=", page, re.I)
    assert not re.search(r"<link\b", page, re.I)
    assert "@import" not in page
    assert "sourceMappingURL" not in page
    for word in ("cdn", "jsdelivr", "unpkg", "bootstrap", "googleapis"):
        assert word not in page, word


def test_write_html_is_utf8_and_equals_render(tmp_path: Path) -> None:
    g = sample_graph()
    out = write_html(g, tmp_path / "sub" / "view.html", title="한일 관계", lang="ko")
    assert out == tmp_path / "sub" / "view.html"
    assert out.read_bytes().decode("utf-8") == render_html(g, title="한일 관계", lang="ko")


def test_deterministic_and_input_untouched() -> None:
    g = sample_graph()
    nodes_before = copy.deepcopy(dict(g.nodes(data=True)))
    edges_before = copy.deepcopy(sorted((u, v, d) for u, v, d in g.edges(data=True)))
    first = render_html(g, title="t")
    assert render_html(g, title="t") == first
    assert render_html(sample_graph(), title="t") == first
    assert dict(g.nodes(data=True)) == nodes_before
    assert sorted((u, v, d) for u, v, d in g.edges(data=True)) == edges_before
    assert render_html(g, title="t", seed=8) != first  # the seed drives the layout


def test_injected_text_stays_inert(page: str) -> None:
    assert "</script><script>alert" not in page
    assert "<img src=x" not in page
    assert "evil<b>" not in page
    assert page.count("</script>") == 3  # the data block, vis-network and our script
    data = data_block(page)
    evidence = data["info"]["nodes"][SUMMIT]["evidence"]
    assert {"text": ATTACK, "source": "evil<b>.txt"} in evidence
    assert evidence[0] == {"text": SUMMIT_SENTENCE, "source": "yna-2024-05-26.txt"}


def test_vis_data_styles_and_layout(page: str) -> None:
    data = data_block(page)
    nodes, edges = styled(data)
    assert [n["id"] for n in data["nodes"]] == sorted(nodes)
    assert len(data["node_styles"]) < len(data["nodes"])  # shared styles are stored once
    assert nodes[KOR]["label"] == "한국" and nodes[KOR]["shape"] == "dot"
    assert nodes[SUMMIT]["shape"] == "square" and "shapeProperties" not in nodes[SUMMIT]
    assert nodes[VISIT]["shapeProperties"] == {"borderDashes": [6, 4]}  # planned: dashed and lighter
    assert nodes[VISIT]["color"]["background"] != nodes[VISIT]["color"]["border"]
    assert all(isinstance(n["x"], float) and isinstance(n["y"], float) for n in data["nodes"])
    assert data["options"]["physics"] == {"enabled": False}
    coop = edges[tuple(sorted((KOR, JPN)))]
    participant = edges[tuple(sorted((KOR, SUMMIT)))]
    assert coop["width"] > participant["width"] == 1
    assert coop["color"]["color"] != participant["color"]["color"]
    assert data["info"]["edges"][coop["id"]]["kind"] == "Cooperation"
    assert "범례" in page and "협력" in page and "정상회담" in page  # legend in Korean


def test_english_labels() -> None:
    page = render_html(sample_graph(), title="Korea and Japan", lang="en")
    labels = {n["id"]: n["label"] for n in data_block(page)["nodes"]}
    assert labels[KOR] == "South Korea" and labels[JPN] == "Japan" and labels[USA] == "United States"
    assert labels[SUMMIT] == "Korea-Japan summit"
    assert '<html lang="en">' in page and "Legend" in page


def test_label_fallbacks_and_unknown_values() -> None:
    g = nx.Graph()
    g.add_node("urn:x:a", kind="state", label_ko="체코", label_en="")
    g.add_node("urn:x:b", kind="mystery")
    g.add_edge("urn:x:a", "urn:x:b", kind="Rivalry", weight="n/a", evidence="a bare sentence")
    data = data_block(render_html(g, title="t", lang="en"))
    labels = {n["id"]: n["label"] for n in data["nodes"]}
    assert labels == {"urn:x:a": "체코", "urn:x:b": "urn:x:b"}
    assert data["info"]["nodes"]["urn:x:b"]["kind"] == "other"
    edge = data["info"]["edges"]["e0"]
    assert edge["weight"] == 1 and edge["evidence"] == [{"text": "a bare sentence", "source": ""}]


def test_multigraph_parallel_edges() -> None:
    g = nx.MultiGraph()
    g.add_node("a", kind="state", label_en="A")
    g.add_node("b", kind="state", label_en="B")
    g.add_edge("a", "b", kind="Cooperation", weight=2, evidence=[{"text": "s1", "source": "f1"}])
    g.add_edge("b", "a", kind="Cooperation", weight=1, evidence=[{"text": "s2", "source": "f2"}])
    g.add_edge("a", "b", kind="Sanction", weight=1, evidence=[])
    data = data_block(render_html(g, title="t", lang="en"))
    info = data["info"]["edges"]
    assert sorted((e["kind"], e["weight"]) for e in info.values()) == [("Cooperation", 3), ("Sanction", 1)]
    coop = next(e for e in info.values() if e["kind"] == "Cooperation")
    assert [ev["text"] for ev in coop["evidence"]] == ["s1", "s2"]
    assert sum("smooth" in e for e in data["edges"]) == 1  # the second edge of the pair is curved


def test_empty_graph_and_bad_lang() -> None:
    page = render_html(nx.Graph(), title="empty")
    assert data_block(page)["nodes"] == []
    with pytest.raises(ValueError, match="lang"):
        render_html(sample_graph(), title="t", lang="fr")


def test_large_graph_is_laid_out_without_physics() -> None:
    g = nx.Graph()
    for i in range(520):
        g.add_node(f"e{i:03d}", kind="event", type="Talks", status="held", label_en=f"talks {i}")
        g.add_edge(f"e{i:03d}", "KOR", kind="participant", weight=1)
    g.nodes["KOR"].update(kind="state", label_en="Korea")
    first = render_html(g, title="large", lang="en")
    assert render_html(g, title="large", lang="en") == first
    points = {(n["x"], n["y"]) for n in data_block(first)["nodes"]}
    assert len(points) == 521


def test_in_browser(tmp_path: Path) -> None:
    path = write_html(sample_graph(), tmp_path / "view.html", title="한일 관계", lang="ko")
    with chromium_page() as seen:
        page = seen.page
        page.goto(path.as_uri())
        page.wait_for_function("() => window.dkgReady === true", timeout=15000)
        assert page.evaluate("dkgNetwork.body.data.nodes.length") == 6
        assert page.evaluate("dkgNetwork.body.data.edges.length") == 6
        assert page.is_hidden("#dkg-panel")

        x, y = page.evaluate("""(id) => {
            const p = dkgNetwork.canvasToDOM(dkgNetwork.getPosition(id));
            const r = document.getElementById('dkg-canvas').getBoundingClientRect();
            return [r.left + p.x, r.top + p.y];
        }""", SUMMIT)
        page.mouse.click(x, y)
        page.wait_for_selector("#dkg-panel:not([hidden])")
        panel = page.inner_text("#dkg-panel")
        assert "한일 정상회담" in panel and SUMMIT_SENTENCE in panel and ATTACK in panel
        assert "yna-2024-05-26.txt" in panel and "evil<b>.txt" in panel
        injected = "document.querySelectorAll('#dkg-panel img, #dkg-panel script, #dkg-panel b').length"
        assert page.evaluate(injected) == 0
        page.screenshot(path=str(tmp_path / "view.png"))

        page.fill("#dkg-search", "일본")
        assert page.inner_text("#dkg-search-count") == "1건"
        assert page.evaluate("dkgNetwork.getSelectedNodes()") == [JPN]

        page.uncheck("#dkg-filter input[value=event]")
        hidden = page.evaluate("dkgNetwork.body.data.nodes.get({filter: n => n.hidden}).map(n => n.id)")
        assert sorted(hidden) == sorted([SUMMIT, VISIT])
        edge_id = page.evaluate("Object.keys(JSON.parse(document.getElementById('dkg-data').textContent)"
                                ".info.edges).find(k => true)")
        assert page.evaluate("(id) => window.dkgShowEdge(id)", edge_id) is True
        assert page.is_visible("#dkg-panel")
    assert seen.dialogs == []
    assert seen.errors == []
    assert seen.requests == [path.as_uri()]
