"""Golden results: every named query on the seeds, compared as sets of rows with what a person
checked once. After a deliberate change of extraction or of a query, rewrite them with

    .venv/bin/python -m pytest tests/test_goldens.py --update-goldens

and read the diff (``git diff tests/golden``) before committing it.
"""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path

import pytest

from kg.queries import registry, run
from kg.store import Store

GOLDEN = Path(__file__).parent / "golden"
QUERIES = registry()


def golden_path(name: str) -> Path:
    return GOLDEN / (name.replace("/", "__") + ".json")


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_named_query_matches_its_golden_rows(name: str, seeded_store: Store, update_goldens: bool) -> None:
    result = run(seeded_store, QUERIES[name])
    rows = sorted([list(row) for row in result.rows], key=lambda r: [v or "" for v in r])
    path = golden_path(name)
    if update_goldens:
        path.parent.mkdir(exist_ok=True)
        lines = ",\n  ".join(json.dumps(row, ensure_ascii=False) for row in rows)  # one row a line: readable diffs
        text = (f'{{"query": {json.dumps(name)},\n "columns": {json.dumps(list(result.columns))},\n'
                f' "rows": [\n  {lines}\n ]}}\n' if rows else
                f'{{"query": {json.dumps(name)},\n "columns": {json.dumps(list(result.columns))},\n "rows": []}}\n')
        path.write_text(text, encoding="utf-8")
        return
    assert path.is_file(), f"no golden file for {name}: run pytest tests/test_goldens.py --update-goldens"
    golden = json.loads(path.read_text(encoding="utf-8"))
    assert golden["columns"] == list(result.columns)
    expected = Counter(tuple(r) for r in golden["rows"])
    actual = Counter(tuple(r) for r in rows)
    missing, extra = expected - actual, actual - expected
    assert not missing and not extra, f"{name}: rows missing {sorted(missing)[:5]}, extra {sorted(extra)[:5]}"


def test_every_golden_file_belongs_to_a_query() -> None:
    names = {golden_path(n).name for n in QUERIES}
    stale = sorted(p.name for p in GOLDEN.glob("*.json") if p.name not in names)
    assert not stale, f"golden files of no query: {stale}"
