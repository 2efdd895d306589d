"""The dkg command line, through click's CliRunner: output, files and exit codes."""

from __future__ import annotations

import json
import re
from pathlib import Path

from click.testing import CliRunner

from conftest import ARTICLES, SEED_004
from kg.cli import cli


def invoke(*args: str, store: Path | None = None) -> tuple[int, str]:
    argv = (["--store", str(store)] if store else []) + list(args)
    result = CliRunner().invoke(cli, argv)
    return result.exit_code, result.output


def test_import_prints_a_summary_per_file(tmp_path: Path) -> None:
    code, out = invoke("import", str(ARTICLES), store=tmp_path / "db")
    assert code == 0, out
    assert re.search(r"imported +.*004_73f0e8a35ad27e31.txt: \d+ meetings, \d+ agreements", out)
    assert "2 articles: 2 imported, 0 unchanged, 0 failed" in out
    code, out = invoke("import", str(ARTICLES), store=tmp_path / "db")
    assert "2 articles: 0 imported, 2 unchanged, 0 failed" in out


def test_store_from_environment(tmp_path: Path, monkeypatch: object) -> None:
    import pytest

    mp = pytest.MonkeyPatch()
    mp.setenv("DKG_STORE", str(tmp_path / "envdb"))
    try:
        code, _ = invoke("import", str(SEED_004))
        assert code == 0 and (tmp_path / "envdb").is_dir()
    finally:
        mp.undo()


def test_query_formats(seeded_store_path: Path) -> None:
    code, out = invoke("query", "events", "--format", "json", store=seeded_store_path)
    assert code == 0
    data = json.loads(out)
    assert data and set(data[0]) == set("event type status date location participants people sources".split())
    assert all(v is None or isinstance(v, str) for row in data for v in row.values())
    code, out = invoke("query", "relations", "--format", "csv", store=seeded_store_path)
    assert out.splitlines()[0] == "relation,type,actors,sources"
    code, out = invoke("query", "relations", "--format", "tsv", store=seeded_store_path)
    assert out.splitlines()[0] == "relation\ttype\tactors\tsources"
    code, out = invoke("query", "people", store=seeded_store_path)
    assert code == 0 and "윤석열" in out and re.search(r"\(\d+ rows\)", out)


def test_query_parameters_and_errors(seeded_store_path: Path) -> None:
    code, out = invoke("query", "trilateral", "--param", "a=KOR", "--param", "b=CHN", "--param", "c=JPN",
                       "--format", "json", store=seeded_store_path)
    assert code == 0 and any(r["actors"] == "CHN JPN KOR" for r in json.loads(out))
    code, out = invoke("query", "nosuch", store=seeded_store_path)
    assert code == 2 and "no query named" in out
    code, out = invoke("query", "trilateral", "--param", "a=XXX", store=seeded_store_path)
    assert code == 2 and "unknown actor code" in out
    code, out = invoke("query", "events", "--param", "oops", store=seeded_store_path)
    assert code == 2 and "NAME=VALUE" in out


def test_queries_lists_every_query() -> None:
    code, out = invoke("queries")
    assert code == 0
    for name in ("events", "agreements", "people", "relations", "trilateral"):
        assert re.search(rf"^{name}$", out, re.M)
    assert "--param a=<actor> (default KOR)" in out


def test_queries_lists_every_header_as_json() -> None:
    from kg.queries import registry

    code, out = invoke("queries", "--format", "json")
    assert code == 0
    listed = {q["name"]: q for q in json.loads(out)}
    for name, query in registry().items():
        assert listed[name]["answers"] == query.answers and listed[name]["answers"]
        assert listed[name]["columns"] == list(query.columns)
        assert [(p["name"], p["type"], p["default"]) for p in listed[name]["params"]] == [
            (p.name, p.type, p.default) for p in query.params]
    assert {"events", "trilateral", "checks/same-actor-violation"} <= set(listed)


def test_extract_prints_facts_with_evidence_and_stores_nothing(tmp_path: Path) -> None:
    code, out = invoke("extract", str(SEED_004), store=tmp_path / "db")
    assert code == 0
    data = json.loads(out)
    summit = next(m for m in data["meetings"] if m["type"] == "Summit" and m["when"]["value"] == "2024-05-26")
    assert summit["evidence"]["sentence"] and summit["evidence"]["end"] > summit["evidence"]["start"]
    assert not (tmp_path / "db").exists()


def test_import_of_a_bad_file_exits_2(tmp_path: Path) -> None:
    bad = tmp_path / "bad.md"
    bad.write_text("", encoding="utf-8")
    good = tmp_path / "good.txt"
    good.write_text(SEED_004.read_text(encoding="utf-8"), encoding="utf-8")
    code, out = invoke("import", str(bad), str(good), store=tmp_path / "db")
    assert code == 2 and "FAILED" in out and "bad.md" in out and "empty" in out
    assert "imported   " in out and "2 articles: 1 imported, 0 unchanged, 1 failed" in out


def test_an_impossible_date_is_a_warning_and_the_article_imports(tmp_path: Path) -> None:
    odd = tmp_path / "odd.md"
    odd.write_text("---\ndate: 2024-02-31\n---\n윤석열 대통령은 26일 기시다 총리와 정상회담을 가졌다.\n",
                   encoding="utf-8")
    code, out = invoke("import", str(odd), store=tmp_path / "db")
    assert code == 0 and "odd.md" in out and "impossible date" in out and "1 imported" in out


def test_import_max_size(tmp_path: Path) -> None:
    big = tmp_path / "big.txt"
    big.write_text(SEED_004.read_text(encoding="utf-8"), encoding="utf-8")
    code, out = invoke("import", "--max-size", "100", str(big), store=tmp_path / "db")
    assert code == 2 and "big.txt" in out and "100" in out


def test_viz_trilateral_writes_an_offline_view(seeded_store_path: Path, tmp_path: Path) -> None:
    target = tmp_path / "views" / "tri.html"
    code, out = invoke("viz", "trilateral", "KOR", "JPN", "USA", "-o", str(target), store=seeded_store_path)
    assert code == 0, out
    html = target.read_text(encoding="utf-8")
    for name in ("한국", "일본", "미국"):
        assert name in html
    assert not re.search(r"""(?:src|href)\s*=\s*["']?\s*(?:https?:)?//""", html, re.I)
    code, _ = invoke("viz", "trilateral", "KOR", "JPN", "USA", "--lang", "en", "-o", str(target),
                     store=seeded_store_path)
    html = target.read_text(encoding="utf-8")
    for name in ("South Korea", "Japan", "United States"):
        assert name in html


def test_ontology_command_reports_consistency() -> None:
    code, out = invoke("ontology")
    assert code == 0, out
    assert "consistent" in out and "Summit" in out and "FreeTradeAgreement" in out


def test_ontology_command_exits_1_on_an_inconsistent_ontology(tmp_path: Path) -> None:
    from kg.resources import ontology_file

    bad = tmp_path / "bad.ttl"
    bad.write_text(
        ontology_file().read_text(encoding="utf-8")
        + "\n<https://w3id.org/dkg/id/x> a <https://w3id.org/dkg/ontology#Person>, "
        "<https://w3id.org/dkg/ontology#State> .\n",
        encoding="utf-8",
    )
    code, out = invoke("ontology", "--path", str(bad))
    assert code == 1 and "inconsistent" in out.lower()
