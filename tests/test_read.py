"""Reading article files: formats, metadata sources, clear errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from conftest import SEED_000, SEED_004, SHARED
from kg.errors import InputError
from kg.read import iter_article_files, read_article


def test_seeds_in_data_are_the_shared_seeds_unchanged() -> None:
    seeds = SHARED / "seeds"
    if not seeds.is_dir():
        pytest.skip("../shared/seeds not present")
    for path in (SEED_000, SEED_004):
        assert path.read_bytes() == (seeds / path.name).read_bytes()


def test_seed_004_front_matter_lead_and_sidecar() -> None:
    article = read_article(SEED_004)
    assert article.date == dt.date(2024, 5, 26)  # from the sidecar
    assert article.title.startswith("국교정상회 60주년")  # from the front matter
    assert article.publisher == "뉴스다오"
    assert "윤석열 대통령은 26일 오후" in article.text  # the excerpt is the lead
    assert "<p" not in article.text and "data-ke-size" not in article.text
    assert "![" not in article.text and "image:" not in article.text


def test_seed_000_plain_text_with_sidecar() -> None:
    article = read_article(SEED_000)
    assert article.date == dt.date(2025, 1, 16)
    assert article.lang == "ko"
    assert article.text.startswith("[사건의내막 / 문홍철 기자]")


def test_overrides_win_over_sidecar(tmp_path: Path) -> None:
    path = tmp_path / "a.md"
    path.write_text("---\ntitle: T\ndate: 2020-01-02\n---\nBody text here.\n", encoding="utf-8")
    (tmp_path / "a.meta.yaml").write_text("date: 2021-03-04\n", encoding="utf-8")
    assert read_article(path).date == dt.date(2021, 3, 4)
    assert read_article(path, {"date": "2022-05-06"}).date == dt.date(2022, 5, 6)
    assert read_article(path).title == "T"


def test_html_is_reduced_to_text(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_text("<p>한미 정상회담이 열렸다.</p><script>alert(1)</script><style>p{}</style>", encoding="utf-8")
    text = read_article(path).text
    assert "한미 정상회담이 열렸다." in text
    assert "alert" not in text and "p{}" not in text


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("bin.txt", b"\x00\x01\x02binary", "binary"),
        ("empty.txt", b"   \n", "no text"),
        ("x.pdf", b"%PDF", "unsupported file type"),
    ],
)
def test_bad_input_names_file_and_problem(tmp_path: Path, name: str, content: bytes, problem: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(InputError) as info:
        read_article(path)
    assert name in str(info.value) and problem in str(info.value)


@pytest.mark.parametrize(
    ("name", "content", "problem", "line", "text"),
    [
        ("bad.md", b"---\ntitle: [unclosed\n---\nbody\n", "broken front matter", 2, "body\n"),
        ("open.md", b"---\ntitle: x\nbody\n", "never closed", 1, "title: x\nbody\n"),
        ("date.md", b"---\ndate: 2024-13-45\n---\nbody\n", "impossible date", 2, "body\n"),
    ],
)
def test_broken_metadata_is_a_warning_and_the_text_is_read(tmp_path: Path, name: str, content: bytes,
                                                           problem: str, line: int, text: str) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    article = read_article(path)
    assert article.text == text and article.date is None
    [warning] = article.warnings
    assert warning.path == str(path) and warning.line == line and problem in warning.problem
    assert str(warning).startswith(f"{path}:{line}: ")


def test_latin_1_is_detected_not_refused(tmp_path: Path) -> None:
    path = tmp_path / "latin.txt"
    path.write_bytes("Le caf\xe9 est tr\xe8s bon.".encode("latin-1"))
    assert read_article(path).text == "Le caf\xe9 est tr\xe8s bon.\n"


def test_folders_expand_to_articles_without_readmes(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("about", encoding="utf-8")
    (tmp_path / "b.txt").write_text("b", encoding="utf-8")
    (tmp_path / "a.md").write_text("a", encoding="utf-8")
    (tmp_path / "a.meta.yaml").write_text("date: 2020-01-01", encoding="utf-8")
    assert [p.name for p in iter_article_files([tmp_path])] == ["a.md", "b.txt"]


def test_the_content_hash_is_of_this_article_even_once_worked_out() -> None:
    """The hash is kept after its first use; an article made from another (new metadata) gets its own."""
    import pickle
    from dataclasses import replace

    article = read_article(SEED_004)
    first = article.content_hash
    for changed in (replace(article, title=article.title + "!"), replace(article, date=dt.date(2024, 5, 27)),
                    replace(article, text=article.text + " ")):
        assert changed.content_hash != first
    assert replace(article).content_hash == first
    assert pickle.loads(pickle.dumps(article)).content_hash == first  # as it comes back from a worker
