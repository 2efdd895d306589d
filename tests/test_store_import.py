"""Import into the embedded Oxigraph store: named graphs, idempotence, replacement."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import ARTICLES, SEED_004
from kg import iris
from kg.importer import import_paths
from kg.store import Store
from kg.vocab import DIP


def test_each_article_has_its_own_named_graph(seeded_store: Store) -> None:
    graphs = set(seeded_store.graphs())
    for name in ("000_e23bad62de7aac41.txt", "004_73f0e8a35ad27e31.txt"):
        assert iris.article_graph(name) in graphs
    assert iris.GAZETTEER_GRAPH in graphs and iris.ONTOLOGY_GRAPH in graphs


def test_store_is_on_disk_oxigraph(seeded_store_path: Path) -> None:
    assert any(seeded_store_path.iterdir())
    with Store(seeded_store_path) as store:
        assert type(store.dataset.store).__name__ == "OxigraphStore"
        assert store.count() > 1000


def test_reimport_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "db"
    with Store(path) as store:
        import_paths(store, [ARTICLES])
        before = set(store.quads())
        reports = import_paths(store, [ARTICLES])
        assert [r.status for r in reports] == ["unchanged", "unchanged"]
        assert set(store.quads()) == before


def test_changed_article_replaces_only_its_graph(tmp_path: Path) -> None:
    folder = tmp_path / "articles"
    shutil.copytree(ARTICLES, folder)
    with Store(tmp_path / "db") as store:
        import_paths(store, [folder])
        other = iris.article_graph("000_e23bad62de7aac41.txt")
        own = iris.article_graph(SEED_004.name)
        quads = set(store.quads())
        other_before = {q for q in quads if q[3] == other}
        changed = folder / SEED_004.name
        changed.write_text(changed.read_text(encoding="utf-8").replace("26일 오후", "27일 오후"), encoding="utf-8")
        reports = import_paths(store, [folder])
        assert [r.status for r in reports] == ["unchanged", "imported"]
        after = set(store.quads())
        assert {q for q in after if q[3] == other} == other_before
        own_after = {q for q in after if q[3] == own}
        assert own_after != {q for q in quads if q[3] == own}
        event_dates = {str(q[2]) for q in own_after if q[1] == DIP.date}
        assert "2024-05-27" in event_dates and "2024-05-26" not in event_dates


def test_bad_file_is_reported_and_others_imported(tmp_path: Path) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "bad.txt").write_bytes(b"\x00\x00junk")
    shutil.copy(SEED_004, folder)
    shutil.copy(SEED_004.with_name(SEED_004.stem + ".meta.yaml"), folder)
    with Store(tmp_path / "db") as store:
        reports = import_paths(store, [folder])
        by_name = {Path(r.path).name: r for r in reports}
        assert {name: r.status for name, r in by_name.items()} == {"bad.txt": "failed", SEED_004.name: "imported"}
        assert "binary" in by_name["bad.txt"].error
        assert iris.article_graph("bad.txt") not in store.graphs()


def test_writes_flush_the_store_every_so_many_quads(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Oxigraph holds written quads in memory until a flush: a long import must flush as it goes."""
    import kg.store

    flushes: list[int] = []
    monkeypatch.setattr(kg.store, "FLUSH_QUADS", 1000)
    with Store(tmp_path / "db") as store:
        inner = store._ox
        real_flush = inner.flush

        class Counting:
            def __getattr__(self, name: str) -> Any:
                return getattr(inner, name)

            def flush(self) -> None:
                flushes.append(len(inner))
                real_flush()

        counting = Counting()
        monkeypatch.setattr(Store, "_ox", property(lambda self: counting))
        import_paths(store, [ARTICLES], batch_articles=1)
        written = len(inner)  # the reference graphs, then the two articles, one write each
    assert 2 <= len(flushes) <= written // 1000
    assert all(later > earlier for earlier, later in zip(flushes, flushes[1:], strict=False))
