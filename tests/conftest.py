"""Shared fixtures: the seed articles, the shared evaluation data, an imported store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kg.importer import import_paths
from kg.store import Store

ROOT = Path(__file__).resolve().parents[1]
ARTICLES = ROOT / "data" / "articles"
SEED_000 = ARTICLES / "000_e23bad62de7aac41.txt"
SEED_004 = ARTICLES / "004_73f0e8a35ad27e31.txt"
SHARED = ROOT.parent / "shared"
EVAL = SHARED / "eval"


def eval_file(*parts: str) -> Path:
    """A file of ``../shared/eval``, read where it lies; skip the test when absent."""
    path = EVAL.joinpath(*parts)
    if not path.is_file():
        pytest.skip(f"shared evaluation data not found: {path}")
    return path


@pytest.fixture(scope="session")
def seeded_store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A store folder holding the import of ``data/articles``."""
    path = tmp_path_factory.mktemp("store") / "db"
    with Store(path) as store:
        reports = import_paths(store, [ARTICLES])
    assert [r.status for r in reports] == ["imported", "imported"], [r.line() for r in reports]
    return path


@pytest.fixture()
def seeded_store(seeded_store_path: Path) -> Iterator[Store]:
    """The seeded store, opened."""
    with Store(seeded_store_path) as store:
        yield store
