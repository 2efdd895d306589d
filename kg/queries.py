"""The registry of named SPARQL queries in ``queries/`` and the way to run them.

Each ``.rq`` file starts with a header of ``#`` comment lines:

    # answers: what the query answers (may continue on indented lines)
    # param: NAME TYPE DEFAULT description     (TYPE: actor, date, string, integer)
    # columns: the result columns, in order
    # lists: columns holding space- or "; "-separated lists, sorted by the runner

Parameters are turned into RDF terms of their type and bound by the engine as
values of the variable of the same name (SPARQL SEP-0007 substitution); they are
never pasted into query text. The engine binds only projected variables, so a
query projects its parameters in every SELECT that uses them.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from kg import iris
from kg.errors import QueryError
from kg.gazetteer import Gazetteer
from kg.gazetteer import default as default_gazetteer
from kg.resources import queries_dir
from kg.store import Store

PARAM_TYPES = ("actor", "date", "string", "integer")


@dataclass(frozen=True)
class Param:
    """A declared query parameter."""

    name: str
    type: str
    default: str
    description: str


@dataclass(frozen=True)
class NamedQuery:
    """A query file with its parsed header."""

    name: str
    path: Path
    text: str
    answers: str
    params: tuple[Param, ...]
    columns: tuple[str, ...]
    lists: tuple[str, ...]


@dataclass(frozen=True)
class Result:
    """Rows of strings (or ``None``) under named columns."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]


def parse_header(path: Path) -> NamedQuery:
    """Read a query file and its header; raise ``QueryError`` on a malformed header."""
    text = path.read_text(encoding="utf-8")
    answers: list[str] = []
    params: list[Param] = []
    columns: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()
    last = ""
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        key, colon, value = body.partition(":")
        if key in ("answers", "param", "columns", "lists") and colon:
            last = key
            value = value.strip()
            if key == "answers":
                answers.append(value)
            elif key == "param":
                parts = value.split(None, 3)
                if len(parts) < 3 or parts[1] not in PARAM_TYPES:
                    raise QueryError(f"{path}: bad parameter line {line!r}: expected NAME TYPE DEFAULT description")
                default = "" if parts[2] == '""' else parts[2]
                params.append(Param(parts[0], parts[1], default, parts[3] if len(parts) > 3 else ""))
            elif key == "columns":
                columns = tuple(value.split())
            else:
                lists = tuple(value.split())
        elif last == "answers" and body:
            answers.append(body)
    if not columns:
        raise QueryError(f"{path}: header has no '# columns:' line")
    return NamedQuery(path.stem, path, text, " ".join(answers), tuple(params), columns, lists)


def registry(folder: Path | None = None) -> dict[str, NamedQuery]:
    """Named queries by name (checks live under ``checks/`` as ``checks/NAME``)."""
    folder = folder or queries_dir()
    found: dict[str, NamedQuery] = {}
    for path in sorted(folder.rglob("*.rq")):
        query = parse_header(path)
        name = path.relative_to(folder).with_suffix("").as_posix()
        found[name] = replace(query, name=name)
    return found


def bind(query: NamedQuery, given: Mapping[str, str], gazetteer: Gazetteer | None = None) -> dict[str, Node]:
    """Typed RDF terms for the query's parameters: given values, else defaults."""
    declared = {p.name: p for p in query.params}
    unknown = sorted(set(given) - set(declared))
    if unknown:
        known = ", ".join(declared) or "none"
        raise QueryError(f"query {query.name!r} has no parameter {', '.join(unknown)} (parameters: {known})")
    terms: dict[str, Node] = {}
    for param in query.params:
        value = given.get(param.name, param.default)
        if value == "":
            continue
        terms[param.name] = to_term(param, value, gazetteer or default_gazetteer())
    return terms


def to_term(param: Param, value: str, gazetteer: Gazetteer) -> Node:
    """One parameter value as an RDF term of the parameter's type."""
    if param.type == "actor":
        actor = gazetteer.actor(value) or gazetteer.actor(value.upper())
        if actor is None:
            raise QueryError(f"parameter {param.name}: unknown actor code {value!r} (e.g. KOR, JPN, USA, UN)")
        return iris.actor(actor.code, actor.kind)
    if param.type == "date":
        try:
            return Literal(dt.date.fromisoformat(value).isoformat(), datatype=XSD.date)
        except ValueError as exc:
            raise QueryError(f"parameter {param.name}: {value!r} is not a date (YYYY-MM-DD)") from exc
    if param.type == "integer":
        if not re.fullmatch(r"-?\d+", value):
            raise QueryError(f"parameter {param.name}: {value!r} is not an integer")
        return Literal(int(value))
    return Literal(value)


def run(store: Store, query: NamedQuery, params: Mapping[str, str] | None = None,
        graph: URIRef | None = None) -> Result:
    """Run a named query with bound parameters; list columns come back sorted."""
    bindings = bind(query, params or {})
    names, rows = store.select(query.text, bindings, graph)
    columns = query.columns or tuple(names)
    index = {n: i for i, n in enumerate(names)}
    missing = [c for c in columns if c not in index]
    if missing:
        raise QueryError(f"{query.path}: declares columns it does not select: {', '.join(missing)}")
    out = []
    for row in rows:
        values = []
        for column in columns:
            node = row[index[column]]
            value = None if node is None else str(node)
            if value is not None and column in query.lists:
                sep = "; " if "; " in value else " "
                value = sep.join(sorted(set(value.split(sep))))
            values.append(value)
        out.append(tuple(values))
    return Result(columns, tuple(out))
