"""The trilateral view of the imported seeds, opened in a real headless Chromium."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, chromium_page
from kg.store import Store
from viz.views import trilateral_view

SCREENSHOTS = ROOT / "tests" / "screenshots"


@pytest.mark.parametrize("lang", ["ko", "en"])
def test_trilateral_view_draws_offline(seeded_store_path: Path, tmp_path: Path, lang: str) -> None:
    path = tmp_path / "tri.html"
    with Store(seeded_store_path) as store:
        graph = trilateral_view(store, ("KOR", "JPN", "USA"), path, lang=lang)
    with chromium_page(1400, 900) as seen:
        page = seen.page
        page.goto(path.as_uri())
        page.wait_for_function("() => window.dkgReady === true", timeout=15000)
        assert page.evaluate("dkgNetwork.body.data.nodes.length") == graph.number_of_nodes()
        labels = page.evaluate("dkgNetwork.body.data.nodes.get().map(n => n.label)")
        expected = ("한국", "일본", "미국") if lang == "ko" else ("South Korea", "Japan", "United States")
        for name in expected:
            assert any(name in label for label in labels), (name, labels)
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"trilateral-{lang}.png"))
    assert seen.errors == [] and seen.dialogs == []
    assert seen.requests == [path.as_uri()]
