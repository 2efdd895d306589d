"""Shared fixtures: the seed articles, the shared evaluation data, an imported store."""

from __future__ import annotations

import csv
import gzip
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

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
def mixed_corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Real text as an import meets it: twenty-odd .md pieces of the seed articles, a gzipped JSON
    lines file of 30 articles made of PLOVER and PETRARCH2 sentences (read where they lie in
    ``../shared/eval``) with one broken line, and one binary file. 58 reports, two of them failures."""
    from bench.speed import petrarch_sentences, plover_sentences

    folder = tmp_path_factory.mktemp("mixed-corpus")
    for seed, date in ((SEED_000, "2025-01-16"), (SEED_004, "2024-05-26")):
        lines = [line for line in seed.read_text(encoding="utf-8").splitlines() if line.strip()]
        for i in range(0, len(lines), 6):
            body = "\n\n".join(lines[i:i + 6])
            (folder / f"{seed.stem[:3]}_{i:03d}.md").write_text(f"---\ndate: {date}\nlang: ko\n---\n\n{body}\n",
                                                               encoding="utf-8")
    sentences = plover_sentences()[:60] + petrarch_sentences()[:60]
    with gzip.open(folder / "wire.jsonl.gz", "wt", encoding="utf-8") as out:
        for i in range(0, len(sentences), 4):
            record = {"id": f"w{i:03d}", "date": f"2019-{1 + i % 12:02d}-{1 + i % 28:02d}", "lang": "en",
                      "title": sentences[i][:60], "text": " ".join(sentences[i:i + 4])}
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        out.write("{not json\n")
    (folder / "zz_binary.txt").write_bytes(b"\x00\x01\x02" * 100)
    return folder


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


CHROMIUM = Path("/usr/bin/chromium")


@dataclass
class BrowserPage:
    """A page of a real headless Chromium with what it logged: console errors, requests, dialogs."""

    page: Any
    errors: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)


@contextmanager
def chromium_page(width: int = 1280, height: int = 800) -> Iterator[BrowserPage]:
    """Debian's Chromium driven by playwright (its own browser download is not reachable)."""
    if not CHROMIUM.exists():
        pytest.skip("needs Debian's chromium at /usr/bin/chromium")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--no-first-run"])
        try:
            seen = BrowserPage(browser.new_page(viewport={"width": width, "height": height}))
            seen.page.on("console", lambda m: seen.errors.append(m.text) if m.type == "error" else None)
            seen.page.on("pageerror", lambda e: seen.errors.append(str(e)))
            seen.page.on("request", lambda r: seen.requests.append(r.url))
            seen.page.on("dialog", lambda d: (seen.dialogs.append(d.message), d.dismiss()))
            yield seen
        finally:
            browser.close()


GAZETTEER = ROOT / "data" / "gazetteer"


def read_gazetteer_table(name: str) -> tuple[list[str], list[dict[str, str]]]:
    """A gazetteer table read with the csv module only: its header and rows; every row has every column."""
    with (GAZETTEER / name).open(encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(reader)
        rows = []
        for lineno, cells in enumerate(reader, start=2):
            assert len(cells) == len(header), f"{name}:{lineno}: {len(cells)} cells, expected {len(header)}"
            rows.append(dict(zip(header, cells, strict=True)))
    return header, rows


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-goldens", action="store_true", default=False,
                     help="Rewrite tests/golden/*.json from the current results instead of comparing with them.")


@pytest.fixture(scope="session")
def update_goldens(request: pytest.FixtureRequest) -> bool:
    """Whether this run rewrites the golden files (``pytest --update-goldens``)."""
    return bool(request.config.getoption("--update-goldens"))
