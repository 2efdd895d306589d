"""IRIs: minted in one module, deterministic, ASCII, never Hangul."""

from __future__ import annotations

from pathlib import Path

from conftest import ROOT
from kg import iris


def test_iris_are_ascii_and_deterministic() -> None:
    made = [
        iris.actor("KOR", "state"), iris.actor("UN", "organization"), iris.actor("yoon-suk-yeol", "person"),
        iris.unknown_person("기시다 후미오", "JPN"), iris.article("한글 기사.txt"), iris.article_graph("한글 기사.txt"),
        iris.event(("dated", "Summit", ("JPN", "KOR"), "2024-05-26")), iris.series("Summit:CHN-JPN-KOR"),
        iris.evidence("한글.txt", 3, 9, "정상회담"), iris.relation("Cooperation", ("USA", "KOR", "JPN")),
    ]
    assert all(str(i).isascii() and str(i).startswith(iris.BASE) for i in made)
    assert iris.event(("a", 1)) == iris.event(("a", 1)) != iris.event(("a", 2))
    assert iris.relation("Cooperation", ("USA", "KOR")) == iris.relation("Cooperation", ("KOR", "USA"))
    assert iris.article("가.txt") != iris.article("나.txt")


def test_no_other_module_mints_data_iris() -> None:
    for path in list((ROOT / "kg").rglob("*.py")) + list((ROOT / "viz").rglob("*.py")):
        if path.name == "iris.py":
            continue
        text = Path(path).read_text(encoding="utf-8")
        assert "w3id.org/dkg/id" not in text, path
