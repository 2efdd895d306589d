"""The speed benchmark's corpus builder and measuring function, on a tiny corpus (no timing assertions)."""

from __future__ import annotations

from numbers import Real
from pathlib import Path

import pytest

from bench import speed
from conftest import ARTICLES, EVAL
from kg.read import read_article
from kg.text import split_sentences

N = 12


@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if not (EVAL / "plover_gsr" / "PLOVER_GSR_CAMEO.txt").is_file():
        pytest.skip(f"shared evaluation data not found: {EVAL}")
    folder = tmp_path_factory.mktemp("corpus")
    speed.build_corpus(folder, N)
    return folder


def test_sentence_pools_are_clean() -> None:
    if not (EVAL / "klue_ner").is_dir():
        pytest.skip(f"shared evaluation data not found: {EVAL}")
    pools = speed.sentence_pools(EVAL)
    assert len(pools["ko"]) >= 30 and len(pools["en"]) >= 500
    assert not any("<" in s or ":PS>" in s for s in pools["ko"])
    assert all(s and s.strip() == s and "\n" not in s for s in pools["ko"] + pools["en"])


def test_corpus_files_are_readable_articles(corpus: Path) -> None:
    files = sorted(corpus.iterdir())
    assert len(files) == N and all(p.suffix == ".md" for p in files)
    assert len({p.name for p in files}) == N
    articles = [read_article(p) for p in files]
    assert len({a.source for a in articles}) == N
    for article in articles:
        assert article.date is not None and 2017 <= article.date.year <= 2026
        assert article.lang in ("ko", "en")
        assert article.title and article.publisher
    assert {a.lang for a in articles} == {"ko", "en"}
    generated = [a for a in articles if a.source.startswith("bench_")]
    assert len(generated) == N - 2
    for article in generated:  # 10-40 sentences, mostly in the article's own language
        sentences = split_sentences(article.text)
        assert len(sentences) >= 10
        assert sum(s.lang == article.lang for s in sentences) > len(sentences) / 2
    # the seed articles are kept whole
    for seed in ("000_e23bad62de7aac41.txt", "004_73f0e8a35ad27e31.txt"):
        original = read_article(ARTICLES / seed)
        copy = read_article(corpus / f"seed_{Path(seed).stem}.md")
        assert original.text in copy.text
        assert copy.date == original.date and copy.lang == original.lang


def test_corpus_is_deterministic(corpus: Path, tmp_path: Path) -> None:
    again = speed.build_corpus(tmp_path / "again", N)
    assert [p.name for p in again] == sorted(p.name for p in corpus.iterdir())
    for path in again:
        assert path.read_bytes() == (corpus / path.name).read_bytes()
    other = speed.build_corpus(tmp_path / "other", N, seed=speed.RANDOM_SEED + 1)
    assert [p.read_bytes() for p in other] != [p.read_bytes() for p in again]


def test_measure_gives_positive_figures(corpus: Path, tmp_path: Path) -> None:
    figures = speed.measure(corpus, store_parent=tmp_path / "stores", sample=5)
    assert figures["corpus"]["articles"] == N and figures["corpus"]["mb"] > 0
    for phase in (figures["extract"], figures["import"], figures["import"]["articles_only"]):
        for key in ("wall_s", "cpu_s", "mb_per_s_per_core", "articles_per_s_per_core", "ms_per_article",
                    "peak_rss_mb"):
            assert isinstance(phase[key], Real) and phase[key] > 0, key
    imported = figures["import"]
    assert imported["imported"] == N and imported["failed"] == 0
    assert imported["store_mb"] > 0 and imported["quads_in_store"] > 0 and imported["triples"] > 0
    assert not any((tmp_path / "stores").iterdir())  # the store is removed unless kept
    assert all(v > 0 for v in figures["warm_up"].values())
    stages = figures["stages"]
    assert stages["articles"] == 5 and stages["sentences"] > 0
    assert all(v >= 0 for v in stages["seconds"].values())
    assert set(stages["percent"]) >= {"split_sentences", "mentions", "people", "dates", "triggers"}
    assert sum(stages["percent"].values()) == pytest.approx(100, abs=0.01)
    steps = figures["import_steps"]
    assert steps["articles"] == 5 and all(v > 0 for v in steps["seconds"].values())
    assert sum(steps["percent"].values()) == pytest.approx(100, abs=0.01)
    table = speed.format_table(figures)
    assert "read + extract" in table and "triggers" in table and "store_write" in table
