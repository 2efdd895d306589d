"""The registry of named SPARQL queries in ``queries/`` and the way to run them.

Each ``.rq`` file starts with a header of ``#`` comment lines:

    # answers: what the query answers (may continue on indented lines)
    # param: NAME TYPE DEFAULT description
    #        TYPE: actor (a gazetteer code: KOR, UN, yoon-suk-yeol), date (YYYY-MM-DD),
    #        office (a gazetteer office id: KOR-president), series (a meeting series key:
    #        Summit:CHN-JPN-KOR), iri (an event, agreement, relation or other IRI),
    #        string, integer; DEFAULT "" means no default (the variable stays unbound)
    # columns: the result columns, in order
    # lists: columns holding space-separated lists, sorted by the runner; a column written
    #        NAME[;] holds a "; "-separated list (for items with spaces, such as names)

Parameters are turned into RDF terms of their type and bound by the engine as
values of the variable of the same name (SPARQL SEP-0007 substitution); they are
never pasted into query text. The engine binds only projected variables, so a
query projects its parameters in every SELECT that uses them. A parameter left
unbound (no value, no default) means "no restriction": test it with
``BIND (COALESCE(STR(?since), "") AS ?x) FILTER (?x = "" || ...)``; Oxigraph takes
``BOUND(?since)`` of a variable that occurs in no triple pattern as false even
when it is substituted.
"""

from __future__ import annotations

import datetime as dt
import re
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

import pyoxigraph as ox
from rdflib import XSD, Literal, URIRef
from rdflib.term import Node

from kg import iris
from kg.answers import AnswerCache
from kg.errors import QueryError
from kg.gazetteer import Gazetteer
from kg.gazetteer import default as default_gazetteer
from kg.resources import queries_dir
from kg.sparql import UPDATE_WORDS, query_form
from kg.store import Store

PARAM_TYPES = ("actor", "date", "office", "series", "iri", "string", "integer")
_IRI = re.compile(r'[A-Za-z][A-Za-z0-9+.-]*:[^\x00-\x20\x7f<>"{}|^`\\]+')


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
    lists: Mapping[str, str]  # list column -> its separator


@dataclass(frozen=True)
class Result:
    """Rows of strings (or ``None``) under named columns; ``terms`` holds the same cells as RDF terms."""

    columns: tuple[str, ...]
    rows: tuple[tuple[str | None, ...], ...]
    terms: Sequence[tuple[Node | None, ...]] = ()


@dataclass(frozen=True)
class Boolean:
    """The answer of an ASK query."""

    value: bool


@dataclass(frozen=True)
class Triples:
    """The triples a CONSTRUCT or DESCRIBE query made; ``graph`` names the graph they were asked of, if one."""

    triples: tuple[tuple[Node, Node, Node], ...]
    graph: URIRef | None = None


Answer = Result | Boolean | Triples


def parse_header(path: Path) -> NamedQuery:
    """Read a named query file and its header; raise ``QueryError`` on a malformed header."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise QueryError(f"{path}: cannot read query file: {exc}") from exc
    return parse_text(text, path.stem, path, require_columns=True)


def adhoc(text: str, path: Path | None = None) -> NamedQuery:
    """A query given by the user (``-e`` text or a ``.rq`` file): its header, if any, is read, none is needed."""
    return parse_text(text, path.stem if path else "-e", path or Path("-e"), require_columns=False)


def parse_text(text: str, name: str, path: Path, require_columns: bool) -> NamedQuery:
    """A query text and the header of ``#`` lines it opens with (see the module docstring)."""
    answers: list[str] = []
    params: list[Param] = []
    columns: tuple[str, ...] = ()
    lists: dict[str, str] = {}
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
                    raise QueryError(f"{path}: bad parameter line {line!r}: expected NAME TYPE DEFAULT description "
                                     f"(TYPE one of {', '.join(PARAM_TYPES)})")
                default = "" if parts[2] == '""' else parts[2]
                params.append(Param(parts[0], parts[1], default, parts[3] if len(parts) > 3 else ""))
            elif key == "columns":
                columns = tuple(value.split())
            else:
                for item in value.split():
                    name, semicolon = (item[:-3], "; ") if item.endswith("[;]") else (item, " ")
                    lists[name] = semicolon
        elif last == "answers" and body:
            answers.append(body)
    if require_columns and not columns:
        raise QueryError(f"{path}: header has no '# columns:' line")
    return NamedQuery(name, path, text, " ".join(answers), tuple(params), columns, lists)


def is_update(text: str) -> bool:
    """Whether ``text`` is a SPARQL update: its first keyword after comments and the prologue is an update's."""
    return query_form(text) in UPDATE_WORDS


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
    if param.type == "office":
        if value not in gazetteer.offices:
            raise QueryError(f"parameter {param.name}: unknown office {value!r} "
                             "(e.g. KOR-president, JPN-prime-minister)")
        return iris.office(value)
    if param.type == "series":
        known = sorted({e.series for e in gazetteer.editions})
        if value not in known:
            raise QueryError(f"parameter {param.name}: unknown meeting series {value!r} "
                             f"(known: {', '.join(known)})")
        return iris.series(value)
    if param.type == "iri":
        # an absolute IRI, or one relative to the project's base such as event/1a2b...
        for candidate in (value, iris.BASE + value):
            if _IRI.fullmatch(candidate):
                try:
                    ox.NamedNode(candidate)  # the engine's own IRI syntax check
                except ValueError:
                    continue
                return URIRef(candidate)
        raise QueryError(f"parameter {param.name}: {value!r} is not an IRI")
    if param.type == "integer":
        if not re.fullmatch(r"-?\d+", value):
            raise QueryError(f"parameter {param.name}: {value!r} is not an integer")
        return Literal(int(value))
    return Literal(value)


def article_scope(source: str) -> tuple[URIRef, ...]:
    """The graphs a query of one article sees: the article's own graph, then the gazetteer and the
    ontology, which hold the actors' codes and labels and the classes the article's facts refer to."""
    return (iris.article_graph(source), iris.GAZETTEER_GRAPH, iris.ONTOLOGY_GRAPH)


def run(store: Store, query: NamedQuery, params: Mapping[str, str] | None = None,
        graph: URIRef | Sequence[URIRef] | None = None) -> Result:
    """Run a named SELECT query with bound parameters; list columns come back sorted."""
    answer = execute(store, query, params, graph)
    if not isinstance(answer, Result):
        raise QueryError(f"{query.path}: not a SELECT query")
    return answer


def execute(store: Store, query: NamedQuery, params: Mapping[str, str] | None = None,
            graph: URIRef | Sequence[URIRef] | None = None, allow_update: bool = False,
            cache: bool = True) -> Answer | None:
    """Run a query of any form with its parameters bound by the engine.

    SELECT gives a ``Result`` (the header's columns, in order, or else the query's variables;
    list columns sorted), ASK a ``Boolean``, CONSTRUCT and DESCRIBE ``Triples``. An update runs
    (in one transaction) only with ``allow_update`` and gives ``None``; otherwise it is refused.
    A SELECT asked again of an unchanged embedded store is answered from the answers it keeps
    (``kg.answers``), unless ``cache`` is false.
    """
    if is_update(query.text):
        if not allow_update:
            raise QueryError(f"{query.name}: this is an update (INSERT, DELETE, LOAD, CLEAR, DROP...); "
                             "updates change the store and run only with --update")
        if params:
            raise QueryError(f"{query.name}: updates take no parameters")
        if graph is not None:
            raise QueryError(f"{query.name}: an update names its graphs itself (GRAPH or WITH); "
                             "it cannot be restricted to one article")
        store.update(query.text)
        return None
    bindings = bind(query, params or {})
    answers: AnswerCache | None = store.answers if cache and getattr(store, "reuse_answers", False) else None
    key = token = None
    if answers is not None:
        key = answers.key(query.text, bindings, graph)
        kept = answers.get(key)
        if kept is not None:
            return kept
        token = answers.generation()  # before the query: a write while it runs makes its answer stale
    started = time.perf_counter()
    answer = store.query(query.text, bindings, graph)
    if isinstance(answer, bool):
        return Boolean(answer)
    if isinstance(answer, list):
        return Triples(tuple(answer), graph if isinstance(graph, URIRef) or graph is None else graph[0])
    names, rows = answer
    columns = query.columns or tuple(names)
    index = {n: i for i, n in enumerate(names)}
    missing = [c for c in columns if c not in index]
    if missing:
        raise QueryError(f"{query.path}: declares columns it does not select: {', '.join(missing)}")
    strings, terms = [], []
    for row in rows:
        values: list[str | None] = []
        nodes: list[Node | None] = []
        for column in columns:
            node = row[index[column]]
            if node is not None and column in query.lists:
                node = _sorted_list(node, query.lists[column])
            nodes.append(node)
            values.append(None if node is None else str(node))
        strings.append(tuple(values))
        terms.append(tuple(nodes))
    result = Result(columns, tuple(strings), tuple(terms))
    if answers is not None and key is not None:
        answers.put(key, token, result, time.perf_counter() - started)
    return result


@dataclass(frozen=True)
class Prepared:
    """A named query run ahead by ``prepare``."""

    name: str
    rows: int
    seconds: float
    state: str  # "kept" (now), "already kept", "quick" (too fast to be worth keeping), "not kept" (cannot write)


def prepare(store: Store, names: Sequence[str] | None = None) -> list[Prepared]:
    """Run named queries with their default parameters so that the store keeps their answers.

    By default every named query but the checks (``dkg validate`` runs those); the views ask for
    ``evidence``, ``events``, ``agreements``, ``relations`` and ``ties`` with these parameters.
    Raises ``QueryError`` for an unknown name, or when the store keeps no answers (a server).
    """
    if not getattr(store, "reuse_answers", False):
        raise QueryError("only the embedded store keeps answers (not a SPARQL server, nor with --no-cache)")
    queries = registry()
    chosen = list(names) if names else [n for n in queries if not n.startswith("checks/")]
    unknown = [n for n in chosen if n not in queries]
    if unknown:
        raise QueryError(f"no query named {', '.join(map(repr, unknown))}; `dkg queries` lists them")
    done = []
    for name in chosen:
        query = queries[name]
        key = store.answers.key(query.text, bind(query, {}), None)
        already = store.answers.has(key)
        started = time.perf_counter()
        result = run(store, query)
        seconds = time.perf_counter() - started
        if already:
            state = "already kept"
        elif store.answers.has(key):
            state = "kept"
        else:
            state = "quick" if seconds < store.answers.min_seconds else "not kept"  # the folder cannot be written
        done.append(Prepared(name, len(result.rows), seconds, state))
    return done


def _sorted_list(node: Node, sep: str) -> Node:
    """A list cell with its items sorted and unique, same datatype or language."""
    value = str(node)
    ordered = sep.join(sorted(set(value.split(sep))))
    if isinstance(node, Literal):
        return Literal(ordered, lang=node.language, datatype=node.datatype)
    return node
