"""The trilateral view of the imported seeds, opened in a real headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT
from kg.store import Store
from viz.views import trilateral_view

CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "tests" / "screenshots"


@pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium")
@pytest.mark.parametrize("lang", ["ko", "en"])
def test_trilateral_view_draws_offline(seeded_store_path: Path, tmp_path: Path, lang: str) -> None:
    sync_api = pytest.importorskip("playwright.sync_api")
    with Store(seeded_store_path) as store:
        graph = trilateral_view(store, ("KOR", "JPN", "USA"), tmp_path / "tri.html", lang=lang)
    path = tmp_path / "tri.html"
    errors: list[str] = []
    requests: list[str] = []
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 900})
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("request", lambda r: requests.append(r.url))
            page.goto(path.as_uri())
            page.wait_for_function("() => window.dkgReady === true", timeout=15000)
            assert page.evaluate("dkgNetwork.body.data.nodes.length") == graph.number_of_nodes()
            labels = page.evaluate("dkgNetwork.body.data.nodes.get().map(n => n.label)")
            expected = ("한국", "일본", "미국") if lang == "ko" else ("South Korea", "Japan", "United States")
            for name in expected:
                assert any(name in label for label in labels), (name, labels)
            SCREENSHOTS.mkdir(exist_ok=True)
            page.screenshot(path=str(SCREENSHOTS / f"trilateral-{lang}.png"))
        finally:
            browser.close()
    assert errors == []
    assert requests == [path.as_uri()]
