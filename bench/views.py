"""How fast the views draw: synthetic graphs rendered by viz.render and opened in headless Chromium.

    .venv/bin/python -m bench.views                 # 100, 500 and 2,000 nodes, edges about 3x nodes
    .venv/bin/python -m bench.views --sizes 2000 --runs 3 --keep /tmp/bench-views

For each size: a deterministic graph shaped like the project's (states, organizations, people,
events and agreements; participation links and typed relations between actors; Korean and
English labels; some planned or cancelled events), rendered to one offline HTML file (Python
time: projection contract -> layout -> page), then opened in Debian's Chromium driven by
playwright, as the browser tests do. The page records, from navigation start: ``firstDraw`` -
vis-network's first ``afterDrawing`` with the nodes; ``still`` - the first drawing after the
page fitted the view, with physics off (the layout is precomputed, so nothing moves after it;
were physics on, it would be vis-network's ``stabilized``). A benchmark, not a test: it prints
figures and asserts nothing. Needs /usr/bin/chromium and playwright.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import networkx as nx

from viz.render import write_html

CHROMIUM = Path("/usr/bin/chromium")
KINDS = (("state", 0.20), ("organization", 0.05), ("person", 0.10), ("event", 0.45), ("agreement", 0.20))
EVENT_TYPES = ("Summit", "MinisterialMeeting", "Talks", "Visit", "Conference")
AGREEMENT_TYPES = ("Treaty", "JointStatement", "MemorandumOfUnderstanding", "Commitment")
RELATIONS = ("Cooperation", "Alliance", "Partnership", "Conflict", "Sanction")
KO_WORDS = ("한미", "한일", "정상회담", "외교장관", "협력", "공동성명", "양해각서", "방문", "회의", "안보")
EN_WORDS = ("Korea", "Japan", "summit", "foreign", "ministers", "joint", "statement", "visit", "talks", "security")


def synthetic_graph(nodes: int, seed: int = 7) -> nx.MultiGraph:
    """A graph of ``nodes`` nodes and about three times as many edges, following the projection contract."""
    rng = random.Random(seed)
    graph = nx.MultiGraph()
    by_kind: dict[str, list[str]] = {kind: [] for kind, _ in KINDS}
    counts = [max(1, round(nodes * share)) for _, share in KINDS]
    counts[3] += nodes - sum(counts)
    for (kind, _), count in zip(KINDS, counts, strict=True):
        for i in range(count):
            key = f"urn:dkg-bench:{kind}:{i:05d}"  # not data IRIs (those are minted by kg.iris only)
            ko = " ".join(rng.choice(KO_WORDS) for _ in range(rng.randint(1, 3)))
            en = " ".join(rng.choice(EN_WORDS) for _ in range(rng.randint(1, 3)))
            attrs = {"kind": kind, "label_ko": f"{ko} {i}", "label_en": f"{en} {i}", "code": "", "type": "",
                     "status": "", "date": "", "evidence": []}
            if kind in ("event", "agreement"):
                types = EVENT_TYPES if kind == "event" else AGREEMENT_TYPES
                attrs["type"] = rng.choice(types)
                attrs["status"] = rng.choice(("held", "held", "held", "planned", "cancelled") if kind == "event"
                                             else ("signed", "agreed", "negotiating"))
                attrs["date"] = f"{rng.randint(2015, 2025)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
                attrs["evidence"] = [{"text": f"{ko} — {en} ({i}).", "source": f"article-{i % 97:03d}.txt",
                                      "title": f"{en} {ko}", "date": attrs["date"]}]
            elif kind != "person":
                attrs["code"] = f"C{i:03d}"
            graph.add_node(key, **attrs)
            by_kind[kind].append(key)
    actors = by_kind["state"] + by_kind["organization"]
    target = 3 * nodes
    for fact in by_kind["event"] + by_kind["agreement"]:  # each fact: two to four actors
        link = "participant" if graph.nodes[fact]["kind"] == "event" else "party"
        for actor in rng.sample(actors, min(len(actors), rng.randint(2, 4))):
            graph.add_edge(actor, fact, kind=link, weight=1)
    for person in by_kind["person"]:
        graph.add_edge(person, rng.choice(by_kind["state"]), kind="nationality", weight=1)
        if by_kind["event"]:
            graph.add_edge(person, rng.choice(by_kind["event"]), kind="attendee", weight=1)
    while graph.number_of_edges() < target and len(actors) > 1:
        a, b = rng.sample(actors, 2)
        graph.add_edge(a, b, kind=rng.choice(RELATIONS), weight=rng.randint(1, 6))
    return graph


def measure(path: Path, runs: int) -> list[dict[str, float]]:
    """Open ``path`` ``runs`` times in a fresh page; return the page's timings (ms from navigation start)."""
    from playwright.sync_api import sync_playwright

    results = []
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        try:
            warm = browser.new_page()  # the first page of a browser also pays for starting its renderer
            warm.goto(path.as_uri())
            warm.wait_for_function("() => window.dkgTimes && window.dkgTimes.still !== undefined", timeout=120000)
            warm.close()
            for _ in range(runs):
                page = browser.new_page(viewport={"width": 1400, "height": 900})
                errors: list[str] = []
                page.on("pageerror", lambda e, errors=errors: errors.append(str(e)))
                page.goto(path.as_uri())
                page.wait_for_function("() => window.dkgTimes && window.dkgTimes.still !== undefined",
                                       timeout=120000)
                times = page.evaluate("({...window.dkgTimes, nodes: dkgNetwork.body.data.nodes.length,"
                                      " physics: dkgNetwork.physics.options.enabled})")
                if errors:
                    raise RuntimeError(f"{path.name}: {errors}")
                results.append(times)
                page.close()
        finally:
            browser.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100, 500, 2000])
    parser.add_argument("--runs", type=int, default=5, help="page loads per size, after one to warm up "
                        "(the median is printed)")
    parser.add_argument("--keep", type=Path, default=None, help="write the pages to this folder and keep them")
    args = parser.parse_args(argv)
    if not CHROMIUM.exists():
        print("needs Debian's chromium at /usr/bin/chromium", file=sys.stderr)
        return 2
    folder = args.keep or Path(tempfile.mkdtemp(prefix="dkg-bench-views-"))
    folder.mkdir(parents=True, exist_ok=True)
    rows = []
    for size in args.sizes:
        graph = synthetic_graph(size)
        started = time.perf_counter()
        path = write_html(graph, folder / f"synthetic-{size}.html", title=f"{size} nodes", lang="ko")
        render_s = time.perf_counter() - started
        times = measure(path, args.runs)
        assert all(t["nodes"] == graph.number_of_nodes() for t in times)
        first = [t["firstDraw"] for t in times]
        still = [t["still"] for t in times]
        rows.append((size, graph.number_of_edges(), render_s, path.stat().st_size / 1e6,
                     statistics.median(t["start"] for t in times), statistics.median(first), min(first),
                     statistics.median(still), min(still), "on" if any(t["physics"] for t in times) else "off"))
    print(f"{'nodes':>6} {'edges':>6} {'render s':>9} {'MB':>6} {'script ms':>10} {'first draw ms':>14} "
          f"{'(best)':>7} {'still ms':>9} {'(best)':>7} {'physics':>8}")
    for size, edges, render_s, mb, start, first_ms, first_best, still_ms, still_best, physics in rows:
        print(f"{size:>6} {edges:>6} {render_s:>9.2f} {mb:>6.2f} {start:>10.0f} {first_ms:>14.0f} {first_best:>7.0f} "
              f"{still_ms:>9.0f} {still_best:>7.0f} {physics:>8}")
    print(f"(median and best of {args.runs} page loads after one to warm up; ms from navigation start; "
          f"'script ms': the page's own script begins, after loading the file and vis-network; "
          f"'render s': Python, graph to file; pages in {folder})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
