"""The import-at-scale benchmark: its JSON lines corpus, and one small end-to-end run (no timing assertions)."""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

from bench import importscale, speed
from conftest import EVAL
from kg.read import Article, read_articles

N = 30


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> importscale.Corpus:
    if not (EVAL / "plover_gsr" / "PLOVER_GSR_CAMEO.txt").is_file():
        pytest.skip(f"shared evaluation data not found: {EVAL}")
    return importscale.build_corpus(tmp_path_factory.mktemp("corpus"), N, per_file=12)


def _records(corpus: importscale.Corpus) -> list[dict[str, object]]:
    out = []
    for path in corpus.files:
        with gzip.open(path, "rt", encoding="utf-8") as f:
            out.extend(json.loads(line) for line in f)
    return out


def _made_of(paragraph: str, pool: set[str], longest: int) -> bool:
    """Whether ``paragraph`` is pool sentences joined by single spaces."""
    ends = {0}
    for start in range(len(paragraph) + 1):
        if start not in ends:
            continue
        for end in range(start + 1, min(len(paragraph), start + longest) + 1):
            if paragraph[start:end] in pool and (end == len(paragraph) or paragraph[end] == " "):
                if end == len(paragraph):
                    return True
                ends.add(end + 1)
    return False


def test_corpus_is_json_lines_gzip_the_reader_accepts(corpus: importscale.Corpus) -> None:
    assert [p.name for p in corpus.files] == ["news-000.jsonl.gz", "news-001.jsonl.gz", "news-002.jsonl.gz"]
    articles: list[Article] = []
    for path in corpus.files:
        items = list(read_articles(path))
        assert all(isinstance(i, Article) for i in items), [i for i in items if not isinstance(i, Article)]
        articles += [i for i in items if isinstance(i, Article)]
    assert len(articles) == N == corpus.articles
    records = _records(corpus)
    assert corpus.text_bytes == sum(len(str(r["text"]).encode("utf-8")) for r in records)
    assert len({a.source for a in articles}) == N  # its own id: no article is another's "unchanged" copy
    assert len({r["id"] for r in records}) == N and len({r["title"] for r in records}) == N
    dates = [a.date for a in articles]
    assert all(d is not None for d in dates) and len(set(dates)) == N
    assert max(dates).year - min(dates).year >= 5  # type: ignore[type-var,union-attr]
    assert {a.lang for a in articles} == {"ko", "en"}
    assert len({a.content_hash for a in articles}) == N
    assert all(a.publisher for a in articles)
    assert all(a.title and a.url for a in articles if "#bench-" in a.source)  # the seeds keep their own metadata


def test_corpus_text_is_the_seeds_and_pool_sentences(corpus: importscale.Corpus) -> None:
    from kg.read import read_article

    records = _records(corpus)
    for name, record in zip(speed.SEED_FILES, records, strict=False):
        original = read_article(speed.SEEDS_DIR / name)
        assert record["text"] == original.text and record["date"] == str(original.date)
    pools = speed.sentence_pools(EVAL)
    pool = set(pools["ko"] + pools["en"])
    longest = max(map(len, pool))
    generated = [r for r in records if str(r["id"]).startswith("bench-")]
    assert len(generated) == N - 2
    for record in generated:
        paragraphs = str(record["text"]).strip("\n").split("\n\n")
        assert all(_made_of(p, pool, longest) for p in paragraphs), record["id"]
        assert sum(p.count(" ") + 1 for p in paragraphs) >= 10


def test_corpus_is_deterministic(corpus: importscale.Corpus, tmp_path: Path) -> None:
    again = importscale.build_corpus(tmp_path / "again", N, per_file=12)
    assert not again.reused
    assert [p.read_bytes() for p in again.files] == [p.read_bytes() for p in corpus.files]
    reused = importscale.build_corpus(tmp_path / "again", N, per_file=12)
    assert reused.reused and reused.text_bytes == corpus.text_bytes
    other = importscale.build_corpus(tmp_path / "other", N, seed=speed.RANDOM_SEED + 1, per_file=12)
    assert [p.read_bytes() for p in other.files] != [p.read_bytes() for p in corpus.files]


def test_main_runs_imports_end_to_end(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    if not (EVAL / "plover_gsr").is_dir():
        pytest.skip(f"shared evaluation data not found: {EVAL}")
    jobs = ["1", "2"] if "--jobs" in importscale.import_options() else ["1"]
    code = importscale.main(["--articles", "20", "--jobs-list", *jobs, "--corpus-dir", str(tmp_path / "corpus"),
                             "--store-dir", str(tmp_path / "stores"), "--no-fixed-cost", "--json"])
    out = capsys.readouterr().out
    assert code == 0, out
    table, _, raw = out.partition("\n{")
    figures = json.loads("{" + raw)
    rows = [line.split() for line in table.splitlines() if re.match(r"\s+20\s", line)]
    assert len(rows) == len(jobs)
    assert all(row[-3] == "20" and row[-2] == "0" for row in rows)  # imported, exit code
    assert "goals:" in table
    for run in figures["runs"]:
        assert run["all_imported"] and run["imported"] == 20 and run["failed"] == 0
        assert run["wall_s"] > 0 and run["mb_per_s"] > 0 and run["peak_rss_tree_mb"] > 0
        assert run["quads"] > 0 and run["graphs"] == 22 and run["store_mb"] > 0 and run["article_triples"] > 0
    if len(jobs) == 2:
        assert figures["runs"][1]["jobs_option"] and figures["runs"][1]["processes"] >= 3  # dkg and two workers
    assert (tmp_path / "corpus" / "articles-20" / "news-000.jsonl.gz").is_file()  # a given corpus folder stays
    assert not any((tmp_path / "stores").iterdir())  # stores and logs go unless --keep


def test_an_import_over_the_memory_limit_is_stopped(corpus: importscale.Corpus, tmp_path: Path) -> None:
    options = importscale.import_options()
    run = importscale.run_import(corpus, 1, tmp_path, options, rss_limit_mb=30)
    assert run.stopped == "memory" and run.exit_code == -9 and not run.all_imported
    assert run.peak_rss_tree_mb > 30
    assert "STOPPED" in importscale.format_report(
        {"command": "", "environment": {}, "note": "", "corpora": []}, [run])
    late = importscale.run_import(corpus, 1, tmp_path, options, time_limit_s=0.5)
    assert late.stopped == "time" and late.exit_code == -9 and late.wall_s < 5
    assert not list(tmp_path.iterdir())  # stores and logs removed


def test_memory_growth_is_fitted_per_thousand_articles() -> None:
    watch = importscale.TreeMemory(pid=0)
    watch.samples = [(i / 10, 1024 * (200 + i // 10), i) for i in range(0, 2000, 10)]  # +100 MB a 1,000
    watch.samples += [(200.0, 0, 2000)] * 5  # the processes ending
    assert watch.rss_growth() == pytest.approx(100, rel=0.02)
    assert importscale.TreeMemory(pid=0).rss_growth() == 0.0
