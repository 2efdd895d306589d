"""Parameters are values, never query text: for every parameter of every named query, values that
try to break out of their place are refused as bad values of their type or match nothing, the
query text sent to the engine is the file's text unchanged, and the store is never changed."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from kg.cli import cli
from kg.errors import QueryError
from kg.queries import registry, run, to_term
from kg.store import Store

QUERIES = registry()
PARAMS = [(name, p.name) for name, q in sorted(QUERIES.items()) for p in q.params]

# Each tries another way out of a value's place in a SPARQL text.
PAYLOADS = [
    'KOR" } ; DROP ALL ; SELECT * { "',
    "KOR> } ; DROP ALL ; #",
    "KOR' } UNION { ?s ?p ?o } #",
    "?a",
    "$a",
    "<https://w3id.org/dkg/id/actor/state/KOR>",
    'x"@en ) } INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> } #',
    '2024-05-26"^^<http://www.w3.org/2001/XMLSchema#date> } #',
    "2024-05-26 } ; CLEAR ALL",
    "1 } ; DELETE WHERE { ?s ?p ?o } #",
    "urn:x:a> . ?s ?p ?o } #",
    "KOR\n} INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }",
    "\\u0022 } DROP ALL #",
    "%3E%20%7D%20DROP%20ALL",
    "KOR\x00",
]
# A value of each type that is well formed and matches nothing.
NOTHING = {"string": "no-such-value", "iri": "urn:dkg:test:no-such-item", "integer": "-987654321"}


@pytest.fixture(scope="module")
def store_path(seeded_store_path: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("injection") / "db"
    shutil.copytree(seeded_store_path, path)
    return path


@pytest.fixture(scope="module")
def store(store_path: Path) -> Iterator[Store]:
    with Store(store_path) as opened:
        yield opened


def test_there_are_parameters_of_every_kind_to_attack() -> None:
    types = {QUERIES[name].params[[p.name for p in QUERIES[name].params].index(param)].type for name, param in PARAMS}
    assert {"actor", "date"} <= types


@pytest.mark.parametrize(("name", "param"), PARAMS, ids=[f"{n}:{p}" for n, p in PARAMS])
def test_payloads_are_inert(name: str, param: str, store: Store, monkeypatch: pytest.MonkeyPatch) -> None:
    query = QUERIES[name]
    declared = next(p for p in query.params if p.name == param)
    before = store.count()
    sent: list[str] = []
    original = Store.query

    def spy(self: Store, text: str, *args: object, **kwargs: object) -> object:
        sent.append(text)
        return original(self, text, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(Store, "query", spy)
    nothing = None
    if declared.type in NOTHING:
        nothing = run(store, query, {param: NOTHING[declared.type]}).rows
    for payload in PAYLOADS:
        try:
            result = run(store, query, {param: payload})
        except QueryError as exc:  # refused as a bad value of its type, naming the parameter
            assert param in str(exc)
            continue
        assert declared.type in NOTHING, f"{name}: a {declared.type} parameter took {payload!r}"
        assert result.rows == nothing, (name, param, payload)
    assert all(text == query.text for text in sent)  # the file's text, never a payload in it
    assert sent or declared.type not in NOTHING
    assert store.count() == before


def test_string_and_iri_values_are_single_terms() -> None:
    """What the engine gets is one literal or IRI, whatever the value holds."""
    from kg.gazetteer import default
    from kg.queries import Param

    for payload in PAYLOADS:
        term = to_term(Param("v", "string", "", ""), payload, default())
        assert str(term) == payload
        try:
            iri = to_term(Param("v", "iri", "", ""), payload, default())
        except QueryError:
            continue
        assert not any(ch in str(iri) for ch in ' <>"{}|^`\\\n')


@pytest.mark.parametrize("payload", PAYLOADS[:4])
def test_the_command_line_is_inert_too(seeded_store_path: Path, tmp_path: Path, payload: str) -> None:
    store_path = tmp_path / "db"
    shutil.copytree(seeded_store_path, store_path)
    with Store(store_path) as opened:
        before = set(opened.quads())
    for name, param in PARAMS:
        result = CliRunner().invoke(cli, ["--store", str(store_path), "query", name, "--param", f"{param}={payload}"])
        assert result.exit_code in (0, 2), result.output
        if result.exit_code == 2:
            assert f"parameter {param}" in result.stderr
    with Store(store_path) as opened:
        assert set(opened.quads()) == before
