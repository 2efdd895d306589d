"""Answers kept between runs: a named query asked again of an unchanged store is answered from disk.

The aggregations over a big store take seconds (``ties``, ``plans``, ``events`` at a million
triples), and the same questions come back: every view asks for the evidence of every fact, an
analyst reruns a query with the same parameters. The embedded store keeps each SELECT answer
that took at least ``min_seconds`` in ``<store>/dkg-answers/``, keyed by the query text, its
bound parameters, the graphs it was asked of and the engine's version.

**Never stale.** The folder holds a generation token. ``kg.store.Store`` draws a new token
*before* each write (import, removal, update), so an answer computed before the write, or while
it was under way, is never read after it: a write that fails or is killed midway only costs a
recomputation. When no new token can be written, the old one is removed (no answer is read
until one can be); when it can be neither replaced nor removed, the write is refused. The
token is read before a query runs and the answer is kept under that token, so an answer
computed while the store changed is filed under the old token and never read.
Only writes through ``kg.store.Store`` are seen: a tool that writes into the store's folder by
other means must be followed by ``dkg --no-cache ...`` or by deleting ``dkg-answers``.

The answers are JSON (never code: nothing in the folder is executed), one file an answer,
``<token>-<key>.json``; answers of older tokens are deleted when a new answer is kept, and the
least recently used go when the folder passes ``max_bytes``. A folder that cannot be written
(a read-only store) just means no answers are kept. Remote stores keep none: other clients
write to the server.
"""

from __future__ import annotations

import hashlib
import json
import os
import secrets
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, overload

import pyoxigraph as ox
from rdflib import BNode, Literal, URIRef
from rdflib.term import Node

if TYPE_CHECKING:
    from kg.queries import Result

FOLDER = "dkg-answers"
FORMAT = 1  # bump when the stored form or the post-processing of answers (kg.queries.execute) changes
MIN_SECONDS = 0.05  # answers found faster than this are not worth a file
MAX_BYTES = 512 * 1024 * 1024
_TOKEN = "generation"


def _encode(node: Node | None, table: dict[Node, int], terms: list[list[str]]) -> int:
    if node is None:
        return -1
    index = table.get(node)
    if index is None:
        index = table[node] = len(terms)
        if isinstance(node, Literal):
            terms.append(["l", str(node), str(node.datatype or ""), node.language or ""])
        else:
            terms.append(["b" if isinstance(node, BNode) else "u", str(node)])
    return index


def _decode(term: list[str]) -> Node:
    if term[0] == "l":
        if term[3]:
            return Literal(term[1], lang=term[3])
        return Literal(term[1], datatype=URIRef(term[2]) if term[2] else None)
    return BNode(term[1]) if term[0] == "b" else URIRef(term[1])


class _Terms(Sequence[tuple[Node | None, ...]]):
    """The RDF terms of a kept answer's rows, made when first asked for (most output needs only
    the strings, and making rdflib terms costs more than reading the answer)."""

    def __init__(self, table: list[list[str]], rows: list[list[int]]) -> None:
        self._table, self._rows = table, rows
        self._made: tuple[tuple[Node | None, ...], ...] | None = None

    def _all(self) -> tuple[tuple[Node | None, ...], ...]:
        if self._made is None:
            terms = [_decode(t) for t in self._table]
            self._made = tuple(tuple(terms[i] if i >= 0 else None for i in row) for row in self._rows)
        return self._made

    def __len__(self) -> int:
        return len(self._rows)

    @overload
    def __getitem__(self, index: int) -> tuple[Node | None, ...]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[Node | None, ...]]: ...

    def __getitem__(self, index: int | slice) -> tuple[Node | None, ...] | Sequence[tuple[Node | None, ...]]:
        return self._all()[index]

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Sequence) and tuple(self._all()) == tuple(other)

    __hash__ = None  # type: ignore[assignment]


class AnswerCache:
    """The answers kept in one store's folder (see the module docstring)."""

    def __init__(self, folder: Path, min_seconds: float = MIN_SECONDS, max_bytes: int = MAX_BYTES) -> None:
        self.folder = folder
        self.min_seconds = min_seconds
        self.max_bytes = max_bytes

    # -- the generation ----------------------------------------------------------
    def generation(self) -> str | None:
        """The current token (made if there is none yet); ``None`` when the folder cannot be used."""
        try:
            token = (self.folder / _TOKEN).read_text(encoding="ascii").strip()
            if token:
                return token
        except FileNotFoundError:
            pass
        except OSError:
            return None
        return self.invalidate()

    def invalidate(self) -> str | None:
        """Draw a new token: every answer kept so far is no longer read. Called before each write."""
        token = secrets.token_hex(8)
        try:
            self.folder.mkdir(exist_ok=True)
            scratch = self.folder / f".{_TOKEN}.{os.getpid()}"
            scratch.write_text(token, encoding="ascii")
            os.replace(scratch, self.folder / _TOKEN)
        except OSError:
            try:  # no new token: at least no answer kept under the old one may be read
                os.unlink(self.folder / _TOKEN)
            except FileNotFoundError:
                pass
            except OSError:
                return None
            return None
        return token

    def renew(self) -> None:
        """Before a write: make every kept answer stale. Raises ``OSError`` when that cannot be done
        (the old token can neither be replaced nor removed), so that the write is not made."""
        if self.invalidate() is None and (self.folder / _TOKEN).exists():
            raise OSError(f"{self.folder}: cannot renew the generation of the kept answers")

    # -- answers --------------------------------------------------------------------
    @staticmethod
    def key(text: str, bindings: Mapping[str, Node], graph: URIRef | Sequence[URIRef] | None) -> str:
        scope = [] if graph is None else [str(graph)] if isinstance(graph, URIRef) else [str(g) for g in graph]
        what = json.dumps([FORMAT, ox.__version__, text, sorted((k, v.n3()) for k, v in bindings.items()), scope])
        return hashlib.sha256(what.encode("utf-8")).hexdigest()[:40]

    def has(self, key: str) -> bool:
        """Whether an answer is kept for ``key`` under the current token (without reading it)."""
        token = self.generation()
        return token is not None and (self.folder / f"{token}-{key}.json").is_file()

    def get(self, key: str) -> Result | None:
        """The answer kept for ``key`` under the current token, if any."""
        from kg.queries import Result

        token = self.generation()
        if token is None:
            return None
        path = self.folder / f"{token}-{key}.json"
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            os.utime(path)  # recently used
        except (OSError, ValueError):
            return None
        strings = [t[1] for t in data["terms"]]  # a cell's string is its term's lexical form or IRI
        rows = tuple(tuple(strings[i] if i >= 0 else None for i in row) for row in data["rows"])
        return Result(tuple(data["columns"]), rows, _Terms(data["terms"], data["rows"]))

    def put(self, key: str, token: str | None, answer: Result, seconds: float) -> None:
        """Keep ``answer``, computed in ``seconds`` under ``token`` (read before the query ran)."""
        if token is None or seconds < self.min_seconds:
            return
        table: dict[Node, int] = {}
        terms: list[list[str]] = []
        source = answer.terms or tuple(
            tuple(None if v is None else Literal(v) for v in row) for row in answer.rows)
        rows = [[_encode(node, table, terms) for node in row] for row in source]
        data = json.dumps({"columns": list(answer.columns), "terms": terms, "rows": rows}, ensure_ascii=False)
        try:
            self.folder.mkdir(exist_ok=True)
            scratch = self.folder / f".{key}.{os.getpid()}"
            scratch.write_text(data, encoding="utf-8")
            os.replace(scratch, self.folder / f"{token}-{key}.json")
            self._prune(token)
        except OSError:
            return

    def _prune(self, token: str) -> None:
        """Delete the answers of older tokens, then the least recently used past ``max_bytes``."""
        kept = []
        for entry in os.scandir(self.folder):
            if not entry.name.endswith(".json"):
                continue
            if not entry.name.startswith(f"{token}-"):
                os.unlink(entry.path)
                continue
            stat = entry.stat()
            kept.append((stat.st_mtime_ns, stat.st_size, entry.path))
        total = sum(size for _, size, _ in kept)
        for _, size, path in sorted(kept):
            if total <= self.max_bytes:
                break
            os.unlink(path)
            total -= size
