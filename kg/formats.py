"""Write query answers: SELECT and ASK results as an aligned table, CSV, TSV, JSON rows or the
standard SPARQL JSON and XML result formats; CONSTRUCT and DESCRIBE results as Turtle or TriG."""

from __future__ import annotations

import csv
import io
import json
import unicodedata
from typing import Any, cast

import pyoxigraph as ox
from oxrdflib._converter import to_ox
from rdflib import Variable
from rdflib.query import Result as SparqlResult
from rdflib.term import Identifier, Node

from kg.errors import QueryError
from kg.queries import Answer, Boolean, Result, Triples

ROW_FORMATS = ("table", "csv", "tsv", "json", "sparql-json", "sparql-xml")
GRAPH_FORMATS = ("turtle", "trig")
FORMATS = ROW_FORMATS + GRAPH_FORMATS


def width(text: str) -> int:
    """Columns ``text`` takes in a terminal: Hangul and other wide characters take two, combining marks none."""
    total = 0
    for ch in text:
        if unicodedata.combining(ch):
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def _pad(text: str, size: int) -> str:
    return text + " " * (size - width(text))


def render(answer: Answer, fmt: str) -> str:
    """``answer`` in format ``fmt`` (one of ``FORMATS``); a format that does not fit the answer is a ``QueryError``."""
    if fmt not in FORMATS:
        raise QueryError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    if isinstance(answer, Triples):
        if fmt not in GRAPH_FORMATS:
            raise QueryError(f"a CONSTRUCT or DESCRIBE query gives triples: use --format {' or '.join(GRAPH_FORMATS)}")
        return _graph(answer, fmt)
    if fmt in GRAPH_FORMATS:
        raise QueryError(f"--format {fmt} is for CONSTRUCT and DESCRIBE queries; a SELECT or ASK query gives "
                         f"rows: use one of {', '.join(ROW_FORMATS)}")
    if isinstance(answer, Boolean):
        return _boolean(answer, fmt)
    return _rows(answer, fmt)


def default_format(answer: Answer) -> str:
    """The format used when none is asked for: a table for rows, Turtle for triples."""
    return "turtle" if isinstance(answer, Triples) else "table"


def _rows(result: Result, fmt: str) -> str:
    if fmt == "json":
        rows = [dict(zip(result.columns, row, strict=True)) for row in result.rows]
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt in ("sparql-json", "sparql-xml"):
        return _sparql(result, fmt)
    if fmt in ("csv", "tsv"):
        buffer = io.StringIO()
        writer = csv.writer(buffer, delimiter="," if fmt == "csv" else "\t", lineterminator="\n")
        writer.writerow(result.columns)
        for row in result.rows:
            writer.writerow(["" if v is None else v for v in row])
        return buffer.getvalue()
    cells = [list(result.columns)]
    cells += [["" if v is None else _one_line(v) for v in row] for row in result.rows]
    sizes = [max(width(row[i]) for row in cells) for i in range(len(result.columns))]
    lines = ["  ".join(_pad(cell, sizes[i]) for i, cell in enumerate(row)).rstrip() for row in cells]
    lines.insert(1, "  ".join("-" * s for s in sizes))
    lines.append(f"({len(result.rows)} rows)")
    return "\n".join(lines) + "\n"


def _one_line(value: str) -> str:
    """A cell for the terminal: line breaks and other control characters become spaces."""
    return "".join(" " if unicodedata.category(ch) == "Cc" else ch for ch in value)


def _sparql(result: Result, fmt: str) -> str:
    """The standard SPARQL 1.1 results document (JSON or XML), typed terms kept, written by rdflib."""
    out = SparqlResult("SELECT")
    out.vars = [Variable(c) for c in result.columns]
    terms = result.terms or tuple(tuple(None for _ in result.columns) for _ in result.rows)
    out.bindings = [{Variable(c): cast(Identifier, t) for c, t in zip(result.columns, row, strict=True)
                     if t is not None} for row in terms]
    return _serialize(out, fmt)


def _boolean(answer: Boolean, fmt: str) -> str:
    if fmt in ("sparql-json", "sparql-xml"):
        out = SparqlResult("ASK")
        out.askAnswer = answer.value
        return _serialize(out, fmt)
    return _rows(Result(("answer",), (("true" if answer.value else "false",),)), fmt)


def _serialize(out: SparqlResult, fmt: str) -> str:
    data = out.serialize(format="json" if fmt == "sparql-json" else "xml", encoding="utf-8")
    text = data.decode("utf-8") if isinstance(data, bytes) else str(data)
    return text if text.endswith("\n") else text + "\n"


def _graph(answer: Triples, fmt: str) -> str:
    """Triples as Turtle, or as TriG in the graph they were asked of (the default graph for the union),
    written by Oxigraph with the ontology's prefixes."""
    from kg.export import PREFIXES

    def term(node: Node) -> Any:
        return to_ox(node)

    if fmt == "turtle":
        items: list[Any] = [ox.Triple(term(s), term(p), term(o)) for s, p, o in answer.triples]
        rdf_format = ox.RdfFormat.TURTLE
    else:
        context = ox.NamedNode(str(answer.graph)) if answer.graph is not None else ox.DefaultGraph()
        items = [ox.Quad(term(s), term(p), term(o), context) for s, p, o in answer.triples]
        rdf_format = ox.RdfFormat.TRIG
    data = ox.serialize(items, format=rdf_format, prefixes=PREFIXES)
    assert data is not None
    return data.decode("utf-8")
