"""A non-editable install finds the ontology, the queries and the gazetteer from any folder."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT


def test_installed_package_ships_its_data(tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-build-isolation",
         "--target", str(target), str(ROOT)],
        check=True, cwd=tmp_path, capture_output=True,
    )
    for shipped in ("kg/_ontology/diplomacy.ttl", "kg/_ontology/shapes.ttl", "kg/_queries/events.rq",
                    "kg/_queries/trilateral.rq", "kg/_gazetteer/states.tsv", "viz/render.py"):
        assert (target / shipped).is_file(), shipped
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = dict(os.environ, PYTHONPATH=str(target))
    script = (
        "import kg.resources as r, kg.queries as q, kg.gazetteer as g;"
        "print(r.ontology_file()); print(sorted(q.registry())); print(len(g.default().actors))"
    )
    out = subprocess.run([sys.executable, "-c", script], cwd=elsewhere, env=env, check=True,
                         capture_output=True, text=True).stdout.splitlines()
    assert out[0].startswith(str(target))
    assert "trilateral" in out[1] and "events" in out[1]
    assert int(out[2]) > 250
