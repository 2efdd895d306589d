"""Just enough SPARQL lexing to find a text's form (SELECT, INSERT...) and to bind values in a
query sent to a server that has no SEP-0007 substitutions (a ``VALUES`` block in every group where
the variable is in scope, and a trailing one), with every value checked to be exactly one term.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from oxrdflib._converter import to_ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

from kg.errors import StoreError

UPDATE_WORDS = {"INSERT", "DELETE", "LOAD", "CLEAR", "DROP", "CREATE", "ADD", "MOVE", "COPY", "WITH"}
QUERY_WORDS = {"SELECT", "ASK", "CONSTRUCT", "DESCRIBE"}
_LANG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")


# -- lexing SPARQL, enough to find groups, projections and keywords ------------------------------------
_TOKEN = re.compile(r"""
    (?P<ws>\s+)
  | (?P<comment>\#[^\r\n]*)
  | (?P<string>'''(?:(?:'|'')?(?:[^'\\]|\\.))*'''
              | \"\"\"(?:(?:"|"")?(?:[^"\\]|\\.))*\"\"\"
              | '(?:[^'\\\r\n]|\\.)*'
              | "(?:[^"\\\r\n]|\\.)*")
  | (?P<iri><[^<>"{}|^`\\\x00-\x20]*>)
  | (?P<var>[?$][\w\u00B7\u0300-\u036F\u203F\u2040]+)
  | (?P<name>(?:[^\W\d][\w.\-\u00B7]*)?:(?:[\w.:%\-\u00B7]|\\.)*|[^\W\d]\w*)
  | (?P<punct>[{}()*|])
  | (?P<other>.)
""", re.X | re.S)


@dataclass(frozen=True)
class _Token:
    kind: str
    text: str
    start: int
    end: int

    def word(self) -> str:
        return self.text.upper() if self.kind == "name" else ""


def _tokens(text: str) -> list[_Token]:
    """The tokens of ``text`` without white space and comments."""
    found = []
    for match in _TOKEN.finditer(text):
        kind = match.lastgroup or "other"
        if kind not in ("ws", "comment"):
            found.append(_Token(kind, match.group(), match.start(), match.end()))
    return found


def _form(tokens: list[_Token]) -> tuple[str, int]:
    """The query form (SELECT, ASK, CONSTRUCT, DESCRIBE, or an update's first keyword) and its index."""
    i = 0
    while i < len(tokens):
        word = tokens[i].word()
        if word == "PREFIX":
            i += 3
        elif word == "BASE":
            i += 2
        else:
            return word, i
    return "", i


class _Binder:
    """Finds where ``VALUES`` blocks go in a query: every group in whose scope a bound variable is."""

    def __init__(self, tokens: list[_Token], block: Any) -> None:
        self.t = tokens
        self.block = block  # names -> the VALUES text for those names
        self.insertions: list[tuple[int, str]] = []

    def _is(self, i: int, text: str) -> bool:
        return i < len(self.t) and (self.t[i].text == text or self.t[i].word() == text)

    def _matching(self, i: int) -> int:
        """Index after the ``}`` closing the ``{`` at ``i``."""
        depth = 0
        while True:
            token = self.t[i]
            if token.text == "{":
                depth += 1
            elif token.text == "}":
                depth -= 1
                if depth == 0:
                    return i + 1
            i += 1

    def _values(self, i: int) -> int:
        """Skip a VALUES clause at ``i``; return the index after its data block."""
        while self.t[i].text != "{":
            i += 1
        return self._matching(i)

    def projection(self, i: int) -> tuple[set[str], bool, int]:
        """The variables a SELECT clause at ``i`` projects, whether it is ``*``, and where it ends."""
        i += 1
        projected: set[str] = set()
        star = False
        depth = 0
        while not (depth == 0 and (self.t[i].text == "{" or self.t[i].word() in ("WHERE", "FROM"))):
            token = self.t[i]
            if token.text == "(":
                depth += 1
            elif token.text == ")":
                depth -= 1
            elif token.text == "*" and depth == 0:
                star = True
            elif token.kind == "var" and depth == 0:
                projected.add(token.text[1:])
            elif token.word() == "AS" and self.t[i + 1].kind == "var":
                projected.add(self.t[i + 1].text[1:])
            i += 1
        return projected, star, i

    def _where(self, i: int) -> int:
        """Skip dataset clauses and the WHERE keyword: the index of the group's ``{``."""
        while self.t[i].word() == "FROM":
            i += 3 if self.t[i + 1].word() == "NAMED" else 2
        if self.t[i].word() == "WHERE":
            i += 1
        if self.t[i].text != "{":
            raise IndexError(i)
        return i

    def group(self, i: int, visible: set[str]) -> int:
        """The group graph pattern whose ``{`` is at ``i``; return the index after its ``}``."""
        if self._is(i + 1, "SELECT"):
            i = self.subselect(i + 1, visible)
            if self.t[i].text != "}":
                raise IndexError(i)
            return i + 1
        if self._is(i + 1, "|"):  # an RDF-star annotation {| ... |}, not a group
            return self._matching(i)
        if visible:
            self.insertions.append((self.t[i].end, " " + self.block(sorted(visible)) + " "))
        i += 1
        while self.t[i].text != "}":
            if self.t[i].word() == "VALUES":
                i = self._values(i)
            elif self.t[i].text == "{":
                i = self.group(i, visible)
            else:
                i += 1
        return i + 1

    def subselect(self, i: int, visible: set[str]) -> int:
        """A SELECT inside a group (at ``i``); return the index of the group's closing ``}``."""
        projected, star, i = self.projection(i)
        inner = set(visible) if star else visible & projected
        i = self.group(self._where(i), inner)
        while self.t[i].text != "}":  # solution modifiers, perhaps a VALUES clause or an EXISTS
            if self.t[i].word() == "VALUES":
                i = self._values(i)
            elif self.t[i].text == "{":
                i = self.group(i, inner)
            else:
                i += 1
        return i

    def query(self, start: int, form: str, names: set[str]) -> bool:
        """Bind ``names`` in the query whose form keyword is at ``start``; return whether it already
        ends with a VALUES clause."""
        i = start
        if form == "SELECT":
            _, _, i = self.projection(i)
            i = self.group(self._where(i), names)
        elif form == "ASK":
            i = self.group(self._where(i + 1), names)
        elif form == "CONSTRUCT":
            if self._is(i + 1, "{"):
                i = self.group(self._where(self._matching(i + 1)), names)
            else:  # CONSTRUCT WHERE { triples }: a template, no group to open; the trailing VALUES binds
                i = self._matching(self._where(i + 1))
        elif form == "DESCRIBE":
            while i < len(self.t) and self.t[i].text != "{":
                i += 1
            if i < len(self.t):
                i = self.group(i, names)
        while i < len(self.t):
            if self.t[i].word() == "VALUES":
                return True
            if self.t[i].text == "{":
                i = self.group(i, names)
            else:
                i += 1
        return False


def check_term(name: str, term: Node) -> str:
    """``term`` as SPARQL text (rdflib's ``.n3()``), checked: it reads back as exactly ``term``."""
    if isinstance(term, BNode) or not isinstance(term, URIRef | Literal):
        raise StoreError(f"parameter {name}: a remote server cannot bind {type(term).__name__} {term!r}")
    try:
        if isinstance(term, URIRef):
            ox.NamedNode(str(term))  # a valid IRI (raises ValueError otherwise)
        else:
            if term.language is not None and not _LANG.fullmatch(term.language):
                raise ValueError(f"bad language tag {term.language!r}")
            if term.datatype is not None:
                ox.NamedNode(str(term.datatype))
        text = term.n3()
        parsed = list(ox.parse(f"<urn:x:s> <urn:x:p> {text} .".encode(), ox.RdfFormat.TURTLE))
    except Exception as exc:  # ValueError, SyntaxError; rdflib's n3() raises a plain Exception for a bad IRI
        raise StoreError(f"parameter {name}: cannot be bound: {exc}") from exc
    if len(parsed) != 1 or parsed[0].object != to_ox(term):
        raise StoreError(f"parameter {name}: {term!r} does not serialize safely")
    return text


def bind_values(query: str, bindings: Mapping[str, Node]) -> str:
    """``query`` with ``bindings`` bound by ``VALUES`` blocks (see the module docstring).

    Raises ``StoreError`` for a value that cannot be bound safely, and, as the embedded engine does,
    for a SELECT that does not project a bound variable.
    """
    if not bindings:
        return query
    terms = {name: check_term(name, term) for name, term in bindings.items()}
    tokens = _tokens(query)
    form, start = _form(tokens)

    def block(names: Sequence[str]) -> str:
        return (f"VALUES ({' '.join('?' + n for n in names)}) "
                f"{{ ({' '.join(terms[n] for n in names)}) }}")

    if form == "SELECT":
        projected, star, _ = _Binder(tokens, block).projection(start)
        missing = sorted(set(terms) - projected) if not star else sorted(terms)
        if missing:
            raise StoreError(f"query failed: the query does not contain the variable ?{missing[0]} in its "
                             "SELECT projection (a bound variable must be projected)")
    binder = _Binder(tokens, block)
    try:
        has_values = binder.query(start, form, set(terms))
    except IndexError:  # unbalanced braces: not a query; let the server say what is wrong
        binder.insertions, has_values = [], False
    text = query
    for position, insertion in sorted(binder.insertions, reverse=True):
        text = text[:position] + insertion + text[position:]
    if not has_values:
        text += "\n" + block(sorted(terms)) + "\n"
    return text


def query_form(text: str) -> str:
    """The first keyword of a query or update after its prologue, upper case (``SELECT``, ``INSERT``...)."""
    return _form(_tokens(text))[0]
