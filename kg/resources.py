"""Locate the files shipped with the package: ontology, queries, gazetteer.

In an installed distribution they live in the packages ``kg._ontology``,
``kg._queries`` and ``kg._gazetteer`` (mapped from the top-level folders
``ontology/``, ``queries/`` and ``data/gazetteer/`` by ``pyproject.toml``).
In a source checkout they are read from those folders directly.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

_SOURCE_ROOT = Path(__file__).resolve().parent.parent
_PACKAGES = {
    "ontology": ("kg._ontology", _SOURCE_ROOT / "ontology"),
    "queries": ("kg._queries", _SOURCE_ROOT / "queries"),
    "gazetteer": ("kg._gazetteer", _SOURCE_ROOT / "data" / "gazetteer"),
}


def resource_dir(kind: str) -> Path:
    """Return the folder holding the shipped files of ``kind``.

    ``kind`` is one of ``ontology``, ``queries`` or ``gazetteer``.
    """
    package, source = _PACKAGES[kind]
    if source.is_dir():
        return source
    spec = importlib.util.find_spec(package)
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(f"the package data {package} is not installed")
    return Path(next(iter(spec.submodule_search_locations)))


def ontology_file(name: str = "diplomacy.ttl") -> Path:
    """Path of a file in ``ontology/`` (``diplomacy.ttl`` or ``shapes.ttl``)."""
    return resource_dir("ontology") / name


def queries_dir() -> Path:
    """Folder of the named SPARQL queries."""
    return resource_dir("queries")


def gazetteer_dir() -> Path:
    """Folder of the gazetteer tables."""
    return resource_dir("gazetteer")
