"""A store on a SPARQL server: the ``Store`` interface over the SPARQL 1.1 Protocol.

``RemoteStore`` offers the embedded store's methods (``graphs``, ``graph_hash``, ``replace_graph(s)``,
``remove_graph(s)``, ``quads``, ``query``, ``select``, ``update``, ``count``) on any SPARQL 1.1
server, talking the protocol directly over HTTP (the standard library's ``urllib``): queries and
updates are POSTed form-encoded to the query and update endpoints; a single graph is written with
the SPARQL 1.1 Graph Store HTTP Protocol when a GSP endpoint is known (``PUT`` of its triples).

Parameters stay engine-bound, never pasted. A server has no SEP-0007 substitutions, so the values
go in ``VALUES`` blocks: the terms are serialized with rdflib's ``.n3()`` after a check (an IRI must
be valid, a language tag well formed, and the serialized term must read back as exactly the bound
term, so a value cannot close its literal and add query text). The embedded engine binds a
parameter before evaluation, in the whole query and in every subselect that projects it, so FILTERs
and BINDs inside the query see it (``timeline``'s period, ``trilateral``'s actors, ``office-holders``'
day). A ``VALUES`` clause after the whole query (``SELECT ... WHERE {...} ORDER BY ... VALUES ...``,
allowed by the grammar) is joined only after the WHERE clause has been evaluated, too late for those
FILTERs; so a ``VALUES`` block also opens every group of the query where the variable is in scope
(the WHERE group, nested, OPTIONAL, UNION, GRAPH, MINUS and EXISTS groups, and the groups of the
subselects that project it), and the trailing clause is added as well. As in the embedded store, a
SELECT must project the variables it is given.

The default graph is the union of the store's graphs, as in the embedded store: servers that query
the union by default (Virtuoso, GraphDB; Oxigraph server with ``--union-default-graph``; Fuseki with
``tdb2:unionDefaultGraph``) are detected once (a quad of a named graph is looked for in the default
graph) and get no dataset parameters; for the others every query names the graphs
(``default-graph-uri`` and ``named-graph-uri``, one per graph). A ``graph`` restriction sends one
``default-graph-uri`` per graph asked for, and a ``named-graph-uri`` per graph of the store, so that
``GRAPH`` patterns still see every graph, as they do in the embedded store. (rdflib's SPARQLStore is
not used: it always sends a ``default-graph-uri``.)

The store's graphs are the named graphs under ``graph_prefix`` (the project's
``kg.iris.BASE`` + ``graph/``): ``graphs``, ``count``, ``quads`` and the export see only them,
not the other graphs a server may hold (Virtuoso's own system graphs, say).

Writes. A batch of graphs (``replace_graphs``) goes as one update request: ``DROP SILENT GRAPH`` for
each graph, then ``INSERT DATA`` operations with the graphs' triples (at most ``_OP_TRIPLES`` a
piece; ``INSERT {...} WHERE {}`` for a graph with blank nodes, which Virtuoso refuses in
``INSERT DATA``). Oxigraph runs one request as one transaction, so the batch is written all or
nothing (measured: an update whose last operation fails leaves the store as it was); Fuseki and
GraphDB do the same. A single graph (``replace_graph``: the ontology and gazetteer graphs) is PUT to
the GSP endpoint when one is configured: one request that replaces the graph (Oxigraph: in one
transaction; measured: a PUT whose body breaks leaves the graph as it was).

Virtuoso (7.2, Debian's) offers less, measured: it commits each operation of an update request on
its own (the operations before a failing one stay); it cannot compile an ``INSERT DATA`` of much more
than 1000 triples ("generated SQL text has exceeded 10000 lines") and compiles one at about 2 ms a
triple, where a GSP PUT loads the 4900 triples of the gazetteer in 0.4 s. So on Virtuoso (known by
its ``Server`` header) every graph of a batch is PUT on its own: each graph is replaced whole, and a
failed batch leaves the graphs before the failure written (each whole) and the rest as they were.
Virtuoso reads a PUT's whole body before loading it (measured: a connection cut midway leaves the
graph as it was), but its loader commits as it goes: a body it rejects on line 3 leaves the first two
triples in place of the graph. The body is serialized by Oxigraph, so only a term Virtuoso refuses
could do that; without a GSP endpoint the update path above is used (slow, and a graph split over
several operations can then be left partial).
A GSP endpoint answering 404, 405 or 501 is dropped and the update path used.

Servers' answers differ from the embedded store's where the servers differ, measured on the seeds:
Oxigraph (embedded or server) stores the integer subtypes (``xsd:nonNegativeInteger``...) as
``xsd:integer``, Virtuoso keeps them; Virtuoso's union default graph is a bag (a triple stated in
two graphs matches twice), it cannot compile some of the named queries (``actor``, ``ties``,
``timeline``: SQ156 "Bad dfe in sqlo_place_exp", on COALESCE over an aggregate a subselect
projects), orders Korean strings otherwise (``trilateral``'s MIN), refuses queries its cost estimate
finds too long unless ``MaxQueryCostEstimationTime`` is 0, and returns at most ``ResultSetMaxRows``
rows (the export checks its count of quads, and Virtuoso's ``X-SPARQL-MaxRows`` header is an error).

Errors are ``StoreError``s naming the endpoint and the problem: unreachable, HTTP status with the
first lines of the server's answer, or no answer in time. Connection errors, timeouts and HTTP 5xx
are retried with exponential backoff; an arbitrary ``update`` (which need not be idempotent) is
retried only when the connection was refused or the server answered 503, i.e. when it did not run.
Credentials come only from ``$DKG_ENDPOINT_USER`` and ``$DKG_ENDPOINT_PASSWORD``: HTTP basic or
digest, as the server's challenge asks, learnt once per URL (with a ``HEAD`` request before a body is
sent: Virtuoso answers 401 without reading the body and closes the connection) and then sent with
each request.
"""

from __future__ import annotations

import base64
import hashlib
import http.client
import io
import json
import os
import re
import secrets
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import Any, cast

import pyoxigraph as ox
from oxrdflib._converter import from_ox, to_ox
from rdflib import Literal, URIRef
from rdflib.term import Node

from kg import iris
from kg.errors import StoreError
from kg.sparql import QUERY_WORDS, UPDATE_WORDS, bind_values, check_term, query_form
from kg.store import Solutions, Store, Triple
from kg.vocab import QUERY_PREFIXES

__all__ = ["GRAPH_PREFIX", "RemoteStore", "bind_values", "default_endpoints"]

GRAPH_PREFIX = iris.BASE + "graph/"
USER_ENV = "DKG_ENDPOINT_USER"
PASSWORD_ENV = "DKG_ENDPOINT_PASSWORD"
_BODY_LINES = 5  # lines of a failed answer's body quoted in the error
_GSP_ABSENT = (404, 405, 501)
_OP_TRIPLES = 1000  # triples per INSERT DATA operation (Virtuoso 7.2 fails on about 1500 gazetteer triples)
_RESULTS_JSON = "application/sparql-results+json"
_TRIPLES_ACCEPT = "application/n-triples, text/plain;q=0.9, text/turtle;q=0.8, application/rdf+xml;q=0.5"
_PREFIXES = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in QUERY_PREFIXES.items())


# -- endpoints --------------------------------------------------------------------------------------
def default_endpoints(url: str, authenticated: bool = False) -> tuple[str, str, str | None]:
    """The query, update and GSP endpoints for a server URL, by the URL layouts of common servers.

    Oxigraph server (``http://host:7878`` or ``.../query``): ``/query``, ``/update``, ``/store``.
    Fuseki (``.../ds/query``): ``/ds/query``, ``/ds/update``, ``/ds/data``. GraphDB and RDF4J
    (``.../repositories/ID``): the repository, ``.../statements``, ``.../rdf-graphs/service``.
    Virtuoso (``.../sparql`` or ``.../sparql-auth``): the same URL for queries and updates, and
    ``/sparql-graph-crud-auth`` (``/sparql-graph-crud`` for an anonymous ``/sparql``). Anything else:
    the same URL for queries and updates, no GSP endpoint.
    """
    parts = urllib.parse.urlsplit(url)
    path = parts.path.rstrip("/")

    def at(new_path: str) -> str:
        return urllib.parse.urlunsplit((parts.scheme, parts.netloc, new_path, parts.query, ""))

    if path == "":
        return at("/query"), at("/update"), at("/store")
    if path.endswith("/query"):
        stem = path[: -len("/query")]
        return at(path), at(stem + "/update"), at(stem + "/data" if stem else "/store")
    if re.search(r"/repositories/[^/]+$", path):
        return at(path), at(path + "/statements"), at(path + "/rdf-graphs/service")
    virtuoso = re.search(r"/sparql(-auth)?$", path)
    if virtuoso:
        crud = "/sparql-graph-crud" + ("-auth" if virtuoso.group(1) or authenticated else "")
        return at(path), at(path), at(path[: virtuoso.start()] + crud)
    return at(path), at(path), None


# -- terms ------------------------------------------------------------------------------------------
def _rdf(term: object) -> Node:
    return cast(Node, from_ox(term))  # type: ignore[arg-type]


def _bnode(label: str) -> ox.BlankNode:
    """A blank node for a server's label (Virtuoso's are ``nodeID://b10000``): same label, same node."""
    if re.fullmatch(r"[A-Za-z0-9_]+", label):
        return ox.BlankNode(label)
    return ox.BlankNode("x" + label.encode("utf-8").hex())


def _json_term(value: Mapping[str, Any]) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    kind = value.get("type")
    text = value.get("value", "")
    if kind == "uri":
        return ox.NamedNode(text)
    if kind == "bnode":
        return _bnode(text)
    if kind in ("literal", "typed-literal"):
        lang = value.get("xml:lang")
        if lang:
            return ox.Literal(text, language=lang)
        datatype = value.get("datatype")
        return ox.Literal(text, datatype=ox.NamedNode(datatype)) if datatype else ox.Literal(text)
    raise ValueError(f"unsupported term type {kind!r}")


def _ox_term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    return cast(ox.NamedNode | ox.BlankNode | ox.Literal, to_ox(node))


# -- the store --------------------------------------------------------------------------------------
class _Credentials:
    """HTTP basic or digest credentials, answered to the server's challenge, then sent with each request
    to the same URL (RFC 7617, RFC 7616: MD5 or SHA-256, ``qop=auth``)."""

    _HASHES = {"MD5": "md5", "SHA-256": "sha256", "SHA-512-256": "sha512_256"}

    def __init__(self, user: str, password: str) -> None:
        self.user = user
        self.password = password
        self._challenges: dict[str, tuple[str, dict[str, str]]] = {}
        self._free: set[str] = set()
        self._count = 0

    @staticmethod
    def _space(url: str) -> str:
        parts = urllib.parse.urlsplit(url)
        return f"{parts.scheme}://{parts.netloc}{parts.path}"

    def known(self, url: str) -> bool:
        """Whether it is known how ``url`` wants credentials, or that it wants none."""
        return self._space(url) in self._challenges or self._space(url) in self._free

    def free(self, url: str) -> None:
        self._free.add(self._space(url))

    def learn(self, url: str, headers: Any) -> bool:
        """Take the challenge of a 401 answer; False when it offers no scheme supported here."""
        for value in headers.get_all("WWW-Authenticate") or []:
            scheme, _, rest = value.strip().partition(" ")
            params = urllib.request.parse_keqv_list(urllib.request.parse_http_list(rest)) if rest else {}
            scheme = scheme.lower()
            algorithm = params.get("algorithm", "MD5").upper().removesuffix("-SESS")
            if scheme == "basic" or (scheme == "digest" and algorithm in self._HASHES):
                self._challenges[self._space(url)] = (scheme, params)
                return True
        return False

    def header(self, method: str, url: str) -> str | None:
        """The ``Authorization`` header for a request, when the URL asked for credentials."""
        found = self._challenges.get(self._space(url))
        if found is None:
            return None
        scheme, params = found
        if scheme == "basic":
            return "Basic " + base64.b64encode(f"{self.user}:{self.password}".encode()).decode("ascii")
        algorithm = params.get("algorithm", "MD5")
        name = self._HASHES[algorithm.upper().removesuffix("-SESS")]

        def digest(text: str) -> str:
            return hashlib.new(name, text.encode("utf-8")).hexdigest()

        parts = urllib.parse.urlsplit(url)
        uri = parts.path + (f"?{parts.query}" if parts.query else "")
        realm, nonce = params.get("realm", ""), params.get("nonce", "")
        self._count += 1
        count, cnonce = f"{self._count:08x}", secrets.token_hex(8)
        secret = digest(f"{self.user}:{realm}:{self.password}")
        if algorithm.upper().endswith("-SESS"):
            secret = digest(f"{secret}:{nonce}:{cnonce}")
        target = digest(f"{method}:{uri}")
        qops = [q.strip() for q in params.get("qop", "").split(",") if q.strip()]
        if "auth" in qops:
            response = digest(f"{secret}:{nonce}:{count}:{cnonce}:auth:{target}")
            extra = f', qop=auth, nc={count}, cnonce="{cnonce}"'
        else:
            response, extra = digest(f"{secret}:{nonce}:{target}"), ""
        header = (f'Digest username="{self.user}", realm="{realm}", nonce="{nonce}", uri="{uri}", '
                  f'response="{response}", algorithm={algorithm}{extra}')
        if "opaque" in params:
            header += f', opaque="{params["opaque"]}"'
        return header


class _Failure(Exception):
    """One attempt failed: ``retry`` says whether another may help, ``message`` what happened."""

    def __init__(self, message: str, retry: bool, status: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.retry = retry
        self.status = status


class RemoteStore(Store):
    """A store on a SPARQL 1.1 server (see the module docstring). Use as a context manager.

    ``endpoint`` is the query endpoint (or an Oxigraph server's base URL); ``update_endpoint`` and
    ``gsp_endpoint`` default to ``default_endpoints(endpoint)`` (give ``gsp_endpoint=""`` for none).
    ``timeout`` is the seconds allowed to connect and between bytes of an answer; ``retries`` the
    attempts after the first, ``backoff`` the first wait (doubling each time).
    """

    def __init__(self, endpoint: str, update_endpoint: str | None = None, gsp_endpoint: str | None = None,
                 timeout: float = 60.0, retries: int = 3, backoff: float = 0.5,
                 graph_prefix: str | None = GRAPH_PREFIX) -> None:
        user, password = os.environ.get(USER_ENV), os.environ.get(PASSWORD_ENV)
        query_url, update_url, gsp_url = default_endpoints(endpoint, authenticated=bool(user))
        self.endpoint = query_url
        self.update_endpoint = update_endpoint or update_url
        self.gsp_endpoint = (gsp_url if gsp_endpoint is None else gsp_endpoint) or None
        self.path = self.endpoint  # type: ignore[assignment]  # shown where the embedded store shows its folder
        self.timeout = timeout
        self.retries = max(0, retries)
        self.backoff = backoff
        self.graph_prefix = graph_prefix
        self._union: bool | None = None  # whether the server's default graph is the union of the graphs
        self._empty_graph_patterns = True  # whether GRAPH ?g {} lists the graphs (not on Virtuoso)
        self._terms: dict[Node, ox.NamedNode | ox.BlankNode | ox.Literal] = {}
        self._closed = False
        self.server: str | None = None  # the server's name and version, from its answers' Server header
        self._credentials = _Credentials(user, password or "") if user else None
        self._opener = urllib.request.build_opener()

    def batch_size(self, articles: int, triples: int) -> tuple[int, int]:
        """The importer's own batches: each is one update request, which servers limit in size."""
        return articles, triples

    def __repr__(self) -> str:
        return f"RemoteStore({self.endpoint!r})"

    def __enter__(self) -> RemoteStore:
        return self

    def __exit__(self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Nothing to flush: every write is sent when made. The store cannot be used afterwards."""
        self._closed = True

    @property
    def _ox(self) -> ox.Store:
        raise StoreError(f"{self.endpoint}: a SPARQL server has no embedded Oxigraph store")

    # -- HTTP ---------------------------------------------------------------------------------------
    def _send(self, url: str, data: bytes | None, headers: Mapping[str, str], method: str = "POST",
              retry_all: bool = True) -> tuple[bytes, str]:
        """One HTTP request with retries; the answer's body and content type. Raises ``_Failure``
        with the last attempt's problem."""
        if self._closed:
            raise StoreError(f"{self.endpoint}: the store is closed")
        attempts = self.retries + 1
        for attempt in range(1, attempts + 1):
            try:
                return self._attempt(url, data, headers, method, retry_all)
            except _Failure as failure:
                if not failure.retry or attempt == attempts:
                    suffix = f" (tried {attempt} times)" if attempt > 1 else ""
                    raise _Failure(failure.message + suffix, False, failure.status) from None
                time.sleep(self.backoff * 2 ** (attempt - 1))
        raise AssertionError("unreachable")

    def _attempt(self, url: str, data: bytes | None, headers: Mapping[str, str], method: str,
                 retry_all: bool, challenged: bool = False) -> tuple[bytes, str]:
        sent = dict(headers)
        credentials = self._credentials
        if credentials is not None:
            if data is not None and not credentials.known(url):
                self._challenge(url, credentials)
            authorization = credentials.header(method, url)
            if authorization:
                sent["Authorization"] = authorization
        request = urllib.request.Request(url, data=data, headers=sent, method=method)
        try:
            with self._opener.open(request, timeout=self.timeout) as answer:
                if answer.headers.get("X-SPARQL-MaxRows"):  # Virtuoso cut the results short
                    raise _Failure(f"the server returned only its maximum of {answer.headers['X-SPARQL-MaxRows']} "
                                   "rows (Virtuoso: raise ResultSetMaxRows in the [SPARQL] section of "
                                   "virtuoso.ini)", False)
                self.server = answer.headers.get("Server", "")
                return answer.read(), answer.headers.get("Content-Type", "")
        except urllib.error.HTTPError as exc:
            if exc.code == 401 and credentials is not None and not challenged and credentials.learn(url, exc.headers):
                return self._attempt(url, data, headers, method, retry_all, challenged=True)
            try:
                body = exc.read().decode("utf-8", "replace")
            except (OSError, http.client.HTTPException):
                body = ""
            lines = [line.strip() for line in body.splitlines() if line.strip()][:_BODY_LINES]
            shown = (": " + " | ".join(lines)) if lines else ""
            hint = (f" (check ${USER_ENV} and ${PASSWORD_ENV})" if exc.code in (401, 403) else "")
            retry = exc.code == 503 or (retry_all and exc.code >= 500)
            raise _Failure(f"HTTP {exc.code} {exc.reason}{hint}{shown}", retry, exc.code) from None
        except urllib.error.URLError as exc:
            reason = exc.reason
            if isinstance(reason, TimeoutError | socket.timeout):
                raise _Failure(f"no answer within {self.timeout:g} s", retry_all) from None
            refused = isinstance(reason, ConnectionRefusedError | socket.gaierror)
            raise _Failure(f"cannot reach the server ({reason})", retry_all or refused) from None
        except TimeoutError:
            raise _Failure(f"no answer within {self.timeout:g} s", retry_all) from None
        except (OSError, http.client.HTTPException) as exc:
            raise _Failure(f"connection failed ({type(exc).__name__}: {exc})", retry_all) from None

    def _challenge(self, url: str, credentials: _Credentials) -> None:
        """Learn how ``url`` wants credentials with a ``HEAD`` request, before sending a body to it: a
        server may answer 401 without reading the body and close the connection (Virtuoso does)."""
        try:
            with self._opener.open(urllib.request.Request(url, method="HEAD"), timeout=self.timeout):
                credentials.free(url)
        except urllib.error.HTTPError as exc:
            if not (exc.code == 401 and credentials.learn(url, exc.headers)):
                credentials.free(url)
        except (urllib.error.URLError, OSError, http.client.HTTPException):
            pass  # the request itself says what is wrong

    def _post_form(self, url: str, fields: Sequence[tuple[str, str]], accept: str | None = None,
                   retry_all: bool = True) -> tuple[bytes, str]:
        headers = {"Content-Type": "application/x-www-form-urlencoded; charset=utf-8"}
        if accept:
            headers["Accept"] = accept
        return self._send(url, urllib.parse.urlencode(fields).encode("utf-8"), headers, retry_all=retry_all)

    # -- queries ------------------------------------------------------------------------------------
    def _run(self, text: str, dataset: Sequence[tuple[str, str]] = ()) -> Solutions | bool | list[ox.Triple]:
        """Send a query (prefixes added); SELECT gives Oxigraph terms as rdflib rows, ASK a bool,
        CONSTRUCT and DESCRIBE Oxigraph triples."""
        form = query_form(text)
        accept = _TRIPLES_ACCEPT if form in ("CONSTRUCT", "DESCRIBE") else _RESULTS_JSON
        try:
            body, content_type = self._post_form(self.endpoint, [("query", _PREFIXES + text), *dataset], accept)
        except _Failure as failure:
            raise StoreError(f"{self.endpoint}: query failed: {failure.message}") from None
        media = content_type.split(";")[0].strip().lower()
        try:
            if form in ("CONSTRUCT", "DESCRIBE"):
                rdf_format = (ox.RdfFormat.N_TRIPLES if media in ("text/plain", "")
                              else ox.RdfFormat.from_media_type(media))
                if rdf_format is None:
                    raise ValueError(f"unexpected content type {content_type!r}")
                return [q.triple for q in ox.parse(body, rdf_format)]
            data = json.loads(body)
            if "boolean" in data:
                return bool(data["boolean"])
            names = list(data["head"]["vars"])
            rows = [[_rdf(_json_term(b[n])) if n in b else None for n in names]
                    for b in data["results"]["bindings"]]
            return names, rows
        except (ValueError, KeyError, TypeError, SyntaxError) as exc:
            raise StoreError(f"{self.endpoint}: the answer ({content_type or 'no content type'}) does not "
                             f"read as query results: {exc}") from exc

    def _select_rows(self, text: str, dataset: Sequence[tuple[str, str]] = ()) -> list[list[Node | None]]:
        result = self._run(text, dataset)
        if not isinstance(result, tuple):
            raise StoreError(f"{self.endpoint}: not a SELECT query")
        return result[1]

    def _in_store(self, variable: str) -> str:
        """A FILTER keeping the store's graphs (those under ``graph_prefix``), or nothing."""
        if self.graph_prefix is None:
            return ""
        return f"FILTER (STRSTARTS(STR(?{variable}), {Literal(self.graph_prefix).n3()}))"

    def _union_default(self) -> bool:
        """Whether the server's default graph is the union of the named graphs (asked once)."""
        if self._union is None:
            rows = self._select_rows(
                "SELECT ?s ?p ?o WHERE { GRAPH ?g { ?s ?p ?o } FILTER (isIRI(?s) && isIRI(?o)) "
                f"{self._in_store('g')} }} LIMIT 1")
            if not rows:
                return True  # nothing stored yet: nothing to tell either way
            s, p, o = (check_term("probe", cast(Node, n)) for n in rows[0])
            answer = self._run(f"ASK {{ {s} {p} {o} }}")
            self._union = bool(answer)
        return self._union

    def _dataset(self, graph: URIRef | Sequence[URIRef] | None) -> list[tuple[str, str]]:
        if graph is None:
            if self._union_default():
                return []
            stored = self.graphs()
            return [("default-graph-uri", str(g)) for g in stored] + [("named-graph-uri", str(g)) for g in stored]
        chosen = [graph] if isinstance(graph, URIRef) else list(graph)
        return ([("default-graph-uri", str(g)) for g in chosen]
                + [("named-graph-uri", str(g)) for g in self.graphs()])

    def query(self, query: str, bindings: Mapping[str, Node] | None = None,
              graph: URIRef | Sequence[URIRef] | None = None) -> Solutions | bool | list[Triple]:
        """Run a query of any form, as ``Store.query`` does: SELECT gives ``(variables, rows)``, ASK a
        bool, CONSTRUCT and DESCRIBE a list of triples, all as rdflib terms.

        ``bindings`` are bound with ``VALUES`` blocks (see the module docstring). The default graph is
        the union of the store's graphs, or ``graph`` (the union of ``graph`` when a sequence);
        ``GRAPH`` patterns see every graph. An update raises ``StoreError``: see ``update``.
        """
        form = query_form(query)
        if form not in QUERY_WORDS:
            what = ("an update: see update()" if form in UPDATE_WORDS
                    else f"no query form (found {form or 'nothing'!r})")
            raise StoreError(f"query does not parse: {what}")
        text = bind_values(query, bindings or {})
        result = self._run(text, self._dataset(graph))
        if isinstance(result, list):
            return [(_rdf(t.subject), _rdf(t.predicate), _rdf(t.object)) for t in result]
        return result

    def update(self, update: str) -> None:
        """Run a SPARQL update in one request (one transaction on Oxigraph, Fuseki and GraphDB; on
        Virtuoso each operation commits on its own). Retried only when the server did not run it."""
        self._update(update, "update failed", retry_all=False)

    def _update(self, text: str, what: str, retry_all: bool = True) -> None:
        try:
            self._post_form(self.update_endpoint, [("update", _PREFIXES + text)], retry_all=retry_all)
        except _Failure as failure:
            written = "" if failure.status and 400 <= failure.status < 500 else " (nothing written if the server " \
                "runs a request in one transaction)"
            raise StoreError(f"{self.update_endpoint}: {what}: {failure.message}{written}") from None

    # -- graphs -------------------------------------------------------------------------------------
    def graphs(self) -> list[URIRef]:
        """IRIs of the store's named graphs (those under ``graph_prefix``), sorted."""
        found: list[Node | None] = []
        if self._empty_graph_patterns:
            rows = self._select_rows("SELECT DISTINCT ?g WHERE { GRAPH ?g { } }")
            if all(row[0] is not None for row in rows):
                found = [row[0] for row in rows]
            else:  # Virtuoso answers one empty solution
                self._empty_graph_patterns = False
        if not self._empty_graph_patterns:
            # GROUP BY, not DISTINCT: Virtuoso 7.2 answers this in 0.02 s on 85 000 quads, where
            # SELECT DISTINCT ?g takes 0.3 s with a FILTER and times out (60 s) without one
            rows = self._select_rows("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g")
            found = [row[0] for row in rows]
        prefix = self.graph_prefix or ""
        return sorted(URIRef(str(g)) for g in found if isinstance(g, URIRef) and str(g).startswith(prefix))

    def graph_hash(self, graph: URIRef, subject: URIRef, predicate: URIRef) -> str | None:
        """The hash that ``subject`` carries through ``predicate`` in ``graph``, if any."""
        g, s, p = (check_term("iri", node) for node in (graph, subject, predicate))
        rows = self._select_rows(f"SELECT ?o WHERE {{ GRAPH {g} {{ {s} {p} ?o }} }} LIMIT 1")
        return str(rows[0][0]) if rows and rows[0][0] is not None else None

    def count(self) -> int:
        """Number of quads in the store's graphs."""
        rows = self._select_rows(
            f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._in_store('g')} }}")
        return int(str(rows[0][0])) if rows and rows[0][0] is not None else 0

    def ox_quads(self, graph: URIRef | None = None) -> Iterator[ox.Quad]:
        """The quads of the store (or of ``graph``) as Oxigraph quads, sorted by graph, subject,
        predicate and object (for export). Raises ``StoreError`` when the server cuts the answer short."""
        where = (f"GRAPH ?g {{ ?s ?p ?o }} {self._in_store('g')}" if graph is None
                 else f"GRAPH {check_term('graph', graph)} {{ ?s ?p ?o }}")
        rows = self._complete(f"SELECT ?s ?p ?o ?g WHERE {{ {where} }} ORDER BY ?g ?s ?p ?o",
                              f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}", "quads")
        for row in rows:
            s, p, o = (_ox_term(cast(Node, n)) for n in row[:3])
            g = _ox_term(cast(Node, row[3])) if graph is None else ox.NamedNode(str(graph))
            yield ox.Quad(cast(ox.NamedNode | ox.BlankNode, s), cast(ox.NamedNode, p), o, cast(ox.NamedNode, g))

    def ox_triples(self) -> Iterator[ox.Triple]:
        """The distinct triples of the union of the store's graphs, sorted (for export)."""
        distinct = f"SELECT DISTINCT ?s ?p ?o WHERE {{ GRAPH ?g {{ ?s ?p ?o }} {self._in_store('g')} }}"
        rows = self._complete(distinct + " ORDER BY ?s ?p ?o",
                              f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ {distinct} }} }}", "triples")
        for s, p, o in rows:
            yield ox.Triple(cast(ox.NamedNode | ox.BlankNode, _ox_term(cast(Node, s))),
                            cast(ox.NamedNode, _ox_term(cast(Node, p))), _ox_term(cast(Node, o)))

    def _complete(self, query: str, count: str, what: str) -> list[list[Node | None]]:
        """The rows of ``query``, checked against ``count``: a server may cut answers short (Virtuoso
        returns at most ``ResultSetMaxRows`` rows, 10000 by default, without saying so)."""
        expected = self._select_rows(count)
        rows = self._select_rows(query)
        total = int(str(expected[0][0])) if expected and expected[0][0] is not None else 0
        if len(rows) < total:
            raise StoreError(f"{self.endpoint}: the server returned {len(rows)} of the {total} {what} asked for: "
                             "it cuts answers short (Virtuoso: raise ResultSetMaxRows in the [SPARQL] section "
                             "of virtuoso.ini)")
        return rows

    def quads(self) -> Iterator[tuple[Node, Node, Node, Node]]:
        """Every quad of the store's graphs as rdflib terms (for export and tests)."""
        for q in self.ox_quads():
            yield _rdf(q.subject), _rdf(q.predicate), _rdf(q.object), _rdf(q.graph_name)

    # -- writes -------------------------------------------------------------------------------------
    def _triples(self, content: Iterable[Triple]) -> list[ox.Triple]:
        terms = self._terms
        if len(terms) > 50_000:
            terms.clear()

        def term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
            converted = terms.get(node)
            if converted is None:
                converted = terms[node] = _ox_term(node)
            return converted

        return [ox.Triple(cast(ox.NamedNode | ox.BlankNode, term(s)), cast(ox.NamedNode, term(p)), term(o))
                for s, p, o in content]

    def replace_graph(self, graph: URIRef, content: Iterable[Triple]) -> None:
        """Make ``graph`` hold exactly ``content``: one GSP ``PUT`` when a GSP endpoint is configured,
        else one update request (see ``replace_graphs``)."""
        self.replace_graphs({graph: content})

    def replace_graphs(self, contents: Mapping[URIRef, Iterable[Triple]]) -> None:
        """Make each graph hold exactly its content (see the module docstring for what each server
        makes of a failure). Raises ``StoreError`` when the graphs cannot be written.

        Several graphs go in one update request (one transaction on most servers), one graph by a GSP
        ``PUT`` when a GSP endpoint is configured; on Virtuoso, which commits each operation of an
        update on its own and compiles ``INSERT DATA`` slowly, every graph goes by ``PUT``.
        """
        if not contents:
            return
        what = f"graph {next(iter(contents))}" if len(contents) == 1 else f"{len(contents)} graphs"
        try:
            triples = {URIRef(str(g)): self._triples(content) for g, content in contents.items()}
            for graph in triples:
                check_term("graph", graph)
        except (ValueError, TypeError, StoreError) as exc:
            raise StoreError(f"{self.endpoint}: cannot write {what}: {exc}") from exc
        if self.gsp_endpoint and (len(triples) == 1 or self._commits_each_operation()):
            pending = dict(triples)
            for graph, graph_triples in triples.items():
                done = len(triples) - len(pending)
                where = (f"graph {graph} ({done} of the {len(triples)} graphs of the batch written before it, "
                         "each whole)") if len(triples) > 1 else what
                if not self._put(graph, graph_triples, where):
                    break  # no GSP endpoint after all: the rest by update
                del pending[graph]
            if not pending:
                return
            triples = pending
        self._update(self._drop_and_insert(triples), f"cannot write {what}")

    def _commits_each_operation(self) -> bool:
        """Whether the server commits each operation of an update request on its own (Virtuoso)."""
        if self.server is None:
            self._run("ASK {}")
        return (self.server or "").lower().startswith("virtuoso")

    def _put(self, graph: URIRef, triples: list[ox.Triple], what: str) -> bool:
        """PUT ``triples`` as the content of ``graph``; False when the server has no GSP endpoint there."""
        assert self.gsp_endpoint
        out = io.BytesIO()
        ox.serialize(triples, out, ox.RdfFormat.N_TRIPLES)
        separator = "&" if "?" in self.gsp_endpoint else "?"
        url = f"{self.gsp_endpoint}{separator}{urllib.parse.urlencode({'graph': str(graph)})}"
        try:
            self._send(url, out.getvalue(), {"Content-Type": "text/turtle; charset=utf-8"}, method="PUT")
        except _Failure as failure:
            if failure.status in _GSP_ABSENT:
                self.gsp_endpoint = None
                return False
            raise StoreError(f"{self.gsp_endpoint}: cannot write {what}: {failure.message}") from None
        return True

    @staticmethod
    def _drop_and_insert(contents: Mapping[URIRef, list[ox.Triple]]) -> str:
        """One update request: drop each graph, then insert the triples, at most ``_OP_TRIPLES`` per
        operation (Virtuoso cannot compile much more in one) and never splitting a graph that has blank
        nodes (``INSERT {...} WHERE {}`` for those: Virtuoso refuses blank nodes in ``INSERT DATA``)."""
        operations = [f"DROP SILENT GRAPH <{g}>" for g in contents]
        pieces: list[tuple[URIRef, list[ox.Triple], bool]] = []
        for graph, triples in contents.items():
            blank = any(isinstance(t.subject, ox.BlankNode) or isinstance(t.object, ox.BlankNode) for t in triples)
            step = len(triples) if blank else _OP_TRIPLES
            pieces += [(graph, triples[i:i + step], blank) for i in range(0, len(triples), max(step, 1))]
        operation: list[tuple[URIRef, list[ox.Triple], bool]] = []

        def flush() -> None:
            if not operation:
                return
            blank = any(b for _, _, b in operation)
            lines = ["INSERT {" if blank else "INSERT DATA {"]
            for graph, triples, _ in operation:
                lines.append(f"GRAPH <{graph}> {{")
                lines.extend(f"{t.subject} {t.predicate} {t.object} ." for t in triples)
                lines.append("}")
            lines.append("} WHERE {}" if blank else "}")
            operations.append("\n".join(lines))
            operation.clear()

        for piece in pieces:
            if operation and sum(len(t) for _, t, _ in operation) + len(piece[1]) > _OP_TRIPLES:
                flush()
            operation.append(piece)
        flush()
        return " ;\n".join(operations)

    def remove_graph(self, graph: URIRef) -> bool:
        """Drop ``graph``; return whether it existed."""
        if graph not in self.graphs():
            return False
        self._update(f"DROP SILENT GRAPH {check_term('graph', graph)}", f"cannot remove graph {graph}")
        return True

    def remove_graphs(self, graphs: Iterable[URIRef]) -> None:
        """Drop every graph of ``graphs`` in one update request (all or none where the server runs a
        request in one transaction)."""
        drops = [f"DROP SILENT GRAPH {check_term('graph', g)}" for g in graphs]
        if drops:
            self._update(" ;\n".join(drops), f"cannot remove {len(drops)} graphs")
