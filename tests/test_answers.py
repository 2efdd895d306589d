"""Answers kept between runs (kg.answers): reused on an unchanged store, never after a write."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import SEED_000, SEED_004
from kg.answers import FOLDER, AnswerCache
from kg.cli import cli
from kg.errors import StoreError
from kg.importer import import_paths
from kg.queries import Result, prepare, registry, run
from kg.store import Store

EVENTS = registry()["events"]
TIES = registry()["ties"]


class _Counting:
    """Counts the queries that reach the engine."""

    def __init__(self, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls = 0
        original = store.query

        def query(*args: object, **kwargs: object) -> object:
            self.calls += 1
            return original(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(store, "query", query)


@pytest.fixture()
def store(tmp_path: Path) -> Iterator[Store]:
    """A store holding the Korea-Japan summit seed; every answer is kept, however fast."""
    with Store(tmp_path / "db") as store:
        import_paths(store, [SEED_004])
        store.answers.min_seconds = 0
        yield store


def kept(store: Store) -> list[str]:
    return sorted(p.name for p in store.answers.folder.glob("*.json"))


def test_an_answer_asked_again_comes_from_the_store_folder(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    engine = _Counting(store, monkeypatch)
    first = run(store, TIES, {"since": "2024-01-01"})
    assert engine.calls == 1 and len(kept(store)) == 1
    again = run(store, TIES, {"since": "2024-01-01"})
    assert engine.calls == 1, "the same query and parameters are answered without the engine"
    assert again == first and again.rows == first.rows and tuple(again.terms) == tuple(first.terms)
    run(store, TIES, {"since": "2025-01-01"})
    assert engine.calls == 2, "other parameters are another answer"
    run(store, TIES, {"since": "2024-01-01"}, graph=store.graphs()[0])
    assert engine.calls == 3, "another scope is another answer"


def test_typed_terms_survive_the_round_trip(store: Store) -> None:
    fresh = run(store, EVENTS)
    again = run(store, EVENTS)
    assert fresh.rows, "the seed has events"
    for a, b in zip(fresh.terms, again.terms, strict=True):
        for x, y in zip(a, b, strict=True):
            assert x == y and type(x) is type(y)
            assert getattr(x, "datatype", None) == getattr(y, "datatype", None)
            assert getattr(x, "language", None) == getattr(y, "language", None)


@pytest.mark.parametrize("write", ["import", "remove", "remove_graphs", "update"])
def test_every_write_makes_the_kept_answers_stale(store: Store, write: str, monkeypatch: pytest.MonkeyPatch) -> None:
    before = run(store, EVENTS)
    graph = next(g for g in store.graphs() if "article" in str(g))
    if write == "import":
        import_paths(store, [SEED_000])
    elif write == "remove":
        assert store.remove_graph(graph)
    elif write == "remove_graphs":
        store.remove_graphs([graph])
    else:
        store.update(f"DROP GRAPH <{graph}>")
    engine = _Counting(store, monkeypatch)
    after = run(store, EVENTS)
    assert engine.calls == 1, "the answer was computed again"
    assert after.rows != before.rows, "and it tells the change"


def test_a_write_that_fails_still_makes_them_stale(store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    run(store, EVENTS)
    token = store.answers.generation()

    def refuse(*_: object, **__: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(Store, "_ox", property(lambda self: _Refusing(self.dataset.store._inner, refuse)))
    with pytest.raises(StoreError):
        store.update("INSERT DATA { GRAPH <urn:x> { <urn:a> <urn:b> <urn:c> } }")
    monkeypatch.undo()
    assert store.answers.generation() != token, "the token is drawn before writing, so a crash midway is safe"
    engine = _Counting(store, monkeypatch)
    run(store, EVENTS)
    assert engine.calls == 1


class _Refusing:
    def __init__(self, inner: object, refuse: object) -> None:
        self._inner, self.update = inner, refuse

    def __getattr__(self, name: str) -> object:
        return getattr(self._inner, name)


def test_an_answer_computed_while_the_store_changed_is_never_read(store: Store,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    original = store.query

    def query_during_a_write(*args: object, **kwargs: object) -> object:
        answer = original(*args, **kwargs)  # type: ignore[arg-type]
        store.answers.invalidate()  # a write lands while the answer is on its way
        return answer

    monkeypatch.setattr(store, "query", query_during_a_write)
    run(store, EVENTS)
    monkeypatch.undo()
    engine = _Counting(store, monkeypatch)
    run(store, EVENTS)
    assert engine.calls == 1


def test_the_answers_of_older_generations_are_deleted_and_the_folder_is_bounded(store: Store) -> None:
    run(store, EVENTS)
    old = kept(store)
    store.answers.invalidate()
    run(store, TIES)
    assert len(kept(store)) == 1 and kept(store) != old
    size = (store.answers.folder / kept(store)[0]).stat().st_size
    store.answers.max_bytes = size + 1  # room for one answer: the least recently used goes
    run(store, EVENTS)
    assert len(kept(store)) == 1
    assert run(store, EVENTS) is not None and len(kept(store)) == 1


def test_quick_answers_are_not_kept(store: Store) -> None:
    store.answers.min_seconds = 3600
    run(store, EVENTS)
    assert kept(store) == []


def test_an_unwritable_folder_means_no_answers_kept_and_no_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    cache = AnswerCache(blocker / FOLDER, min_seconds=0)
    assert cache.generation() is None
    cache.put("k", None, Result(("a",), (("1",),)), 1.0)
    assert cache.get("k") is None


def test_a_kept_answer_is_json_not_code(store: Store) -> None:
    run(store, EVENTS)
    data = json.loads((store.answers.folder / kept(store)[0]).read_text(encoding="utf-8"))
    assert set(data) == {"columns", "terms", "rows"} and data["columns"] == list(EVENTS.columns)


def test_command_line_reuses_answers_and_no_cache_does_not(tmp_path: Path) -> None:
    db = tmp_path / "db"
    runner = CliRunner()
    assert runner.invoke(cli, ["--store", str(db), "import", str(SEED_004)]).exit_code == 0
    env = {"DKG_CACHE": None}
    first = runner.invoke(cli, ["--store", str(db), "query", "ties", "--format", "sparql-json"], env=env)
    assert first.exit_code == 0, first.output
    entries = sorted((db / FOLDER).glob("*.json"))
    # Whether the first answer was kept depends on its time: keep it whatever the time, then ask again.
    for entry in entries:
        os.unlink(entry)
    with Store(db) as opened:
        opened.answers.min_seconds = 0
        run(opened, TIES)
    assert len(list((db / FOLDER).glob("*.json"))) == 1
    again = runner.invoke(cli, ["--store", str(db), "query", "ties", "--format", "sparql-json"], env=env)
    assert again.output == first.output, "typed terms, as the SPARQL results format shows them, are the same"
    for entry in (db / FOLDER).glob("*.json"):
        entry.write_text(entry.read_text(encoding="utf-8").replace('"KOR"', '"XXX"'), encoding="utf-8")
    tampered = runner.invoke(cli, ["--store", str(db), "query", "ties"], env=env)
    assert "XXX" in tampered.output, "(the kept answer is what is read)"
    for off in (["--no-cache"], []):
        fresh = runner.invoke(cli, ["--store", str(db), *off, "query", "ties"],
                              env={"DKG_CACHE": "0"} if not off else env)
        assert fresh.exit_code == 0 and "XXX" not in fresh.output and "KOR" in fresh.output


def test_prepare_runs_the_named_queries_ahead(tmp_path: Path) -> None:
    db = tmp_path / "db"
    runner = CliRunner()
    assert runner.invoke(cli, ["--store", str(db), "import", str(SEED_004)]).exit_code == 0
    with Store(db) as store:
        store.answers.min_seconds = 0
        done = prepare(store, ["ties", "events"])
        assert [(d.name, d.state) for d in done] == [("ties", "kept"), ("events", "kept")]
        assert done[0].rows == len(run(store, TIES).rows) > 0
        engine = []
        original = store.query
        store.query = lambda *a, **k: engine.append(1) or original(*a, **k)  # type: ignore[method-assign]
        run(store, TIES)
        run(store, EVENTS)
        assert engine == [], "both are answered from what prepare kept"
        assert [d.state for d in prepare(store, ["ties"])] == ["already kept"]
        store.answers.min_seconds = 3600
        assert [d.state for d in prepare(store, ["series"])] == ["quick"]
    everything = runner.invoke(cli, ["--store", str(db), "prepare"])
    assert everything.exit_code == 0, everything.output
    names = [line.split()[-6].rstrip(":") for line in everything.output.splitlines()]
    assert "ties" in names and "evidence" in names and not any(n.startswith("checks/") for n in names)
    unknown = runner.invoke(cli, ["--store", str(db), "prepare", "nope"])
    assert unknown.exit_code == 2 and "no query named 'nope'" in unknown.output
    refused = runner.invoke(cli, ["--store", str(db), "--no-cache", "prepare"])
    assert refused.exit_code == 2 and "only the embedded store keeps answers" in refused.output


def test_a_write_is_refused_when_the_kept_answers_cannot_be_made_stale(store: Store,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    import kg.answers

    before = run(store, EVENTS)
    graphs = store.graphs()
    unlink = os.unlink

    def refuse(*_: object, **__: object) -> None:
        raise PermissionError("read-only")

    monkeypatch.setattr(kg.answers.os, "replace", refuse)
    monkeypatch.setattr(kg.answers.os, "unlink", refuse)
    with pytest.raises(StoreError, match="nothing written: .*cannot renew the generation"):
        store.update(f"DROP GRAPH <{graphs[-1]}>")
    assert store.graphs() == graphs
    monkeypatch.setattr(kg.answers.os, "unlink", unlink)  # the old token can go: the write may be made
    store.update(f"DROP GRAPH <{graphs[-1]}>")
    engine = _Counting(store, monkeypatch)
    assert run(store, EVENTS).rows != before.rows and engine.calls == 1, "no answer of before the write is read"
