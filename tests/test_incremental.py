"""Incremental import: unchanged articles change nothing, a changed one replaces its own graph,
``dkg remove`` takes one out with the facts only it supported."""

from __future__ import annotations

import shutil
from pathlib import Path

from click.testing import CliRunner

from conftest import ARTICLES, SEED_000, SEED_004
from kg import iris
from kg.cli import cli
from kg.errors import InputError
from kg.importer import import_paths, remove_articles
from kg.queries import registry, run
from kg.store import Store


def rows(store: Store, name: str) -> list[dict[str, str]]:
    result = run(store, registry()[name], {})
    return [dict(zip(result.columns, (v or "" for v in row), strict=True)) for row in result.rows]


def copy_seeds(folder: Path) -> Path:
    shutil.copytree(ARTICLES, folder)
    return folder


def test_remove_takes_out_the_facts_only_that_article_supported(tmp_path: Path) -> None:
    with Store(tmp_path / "db") as store:
        import_paths(store, [ARTICLES])
        before = set(store.quads())
        kept_graph = iris.article_graph(SEED_000.name)
        events_before = rows(store, "events")
        only_004 = [r for r in events_before if r["sources"] == SEED_004.name]
        shared = [r for r in events_before if r["sources"].split() == [SEED_000.name, SEED_004.name]]
        assert only_004 and shared, "the seeds have facts of their own and one they share"

        assert remove_articles(store, [str(SEED_004)]) == [SEED_004.name]

        after = set(store.quads())
        assert iris.article_graph(SEED_004.name) not in store.graphs()
        assert {q for q in after if q[3] == kept_graph} == {q for q in before if q[3] == kept_graph}
        assert not any(str(q[3]) == str(iris.article_graph(SEED_004.name)) for q in after)
        events_after = {r["event"]: r for r in rows(store, "events")}
        assert not any(r["event"] in events_after for r in only_004), "facts only 004 reported are gone"
        for r in shared:  # still there, now from 000 alone
            assert events_after[r["event"]]["sources"] == SEED_000.name
        assert all(SEED_004.name not in r["sources"] for name in ("agreements", "relations", "people")
                   for r in rows(store, name))
        # Importing it again restores the store exactly.
        assert [r.status for r in import_paths(store, [ARTICLES])] == ["unchanged", "imported"]
        assert set(store.quads()) == before


def test_remove_of_an_unknown_article_removes_nothing(tmp_path: Path) -> None:
    with Store(tmp_path / "db") as store:
        import_paths(store, [ARTICLES])
        before = set(store.quads())
        try:
            remove_articles(store, [SEED_000.name, "nope.md"])
        except InputError as exc:
            assert "nope.md" in str(exc)
        else:
            raise AssertionError("an unknown article must be an error")
        assert set(store.quads()) == before


def test_remove_command(tmp_path: Path) -> None:
    store = str(tmp_path / "db")
    runner = CliRunner()
    assert runner.invoke(cli, ["--store", store, "import", str(ARTICLES)]).exit_code == 0
    result = runner.invoke(cli, ["--store", store, "remove", SEED_004.name])
    assert result.exit_code == 0, result.output
    assert f"removed    {SEED_004.name}" in result.output
    again = runner.invoke(cli, ["--store", store, "remove", SEED_004.name])
    assert again.exit_code == 2 and SEED_004.name in again.output and "no article" in again.output
    events = runner.invoke(cli, ["--store", store, "query", "events", "--format", "csv"])
    assert SEED_004.name not in events.output and SEED_000.name in events.output


def test_changed_article_replaces_its_graph_and_its_reports(tmp_path: Path) -> None:
    folder = copy_seeds(tmp_path / "articles")
    with Store(tmp_path / "db") as store:
        import_paths(store, [folder])
        other = iris.article_graph(SEED_000.name)
        other_before = {q for q in store.quads() if q[3] == other}
        changed = folder / SEED_004.name
        text = changed.read_text(encoding="utf-8")
        changed.write_text(text.replace("한일중 정상회의 참석차", "국빈 방문차"), encoding="utf-8")
        assert [r.status for r in import_paths(store, [folder])] == ["unchanged", "imported"]
        assert {q for q in store.quads() if q[3] == other} == other_before
        trilateral = [r for r in rows(store, "events") if r["participants"] == "CHN JPN KOR"]
        assert [r["sources"] for r in trilateral] == [SEED_000.name], "004 no longer reports the summit"
        # Unchanged again: nothing moves.
        before = set(store.quads())
        assert [r.status for r in import_paths(store, [folder])] == ["unchanged", "unchanged"]
        assert set(store.quads()) == before
