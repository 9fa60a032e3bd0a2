"""Load a claim graph into a running triple store over HTTP.

Two protocols:

* SPARQL 1.1 Graph Store Protocol (``gsp``, the default): each named graph is sent as N-Triples
  to ``ENDPOINT?graph=IRI``; the first batch of a graph is a ``PUT`` (which *replaces* that graph
  on the server) and further batches are ``POST``\\ s, so running a push again after a failure
  reloads each graph from scratch instead of duplicating it. Statements of the store's default
  graph (shared entities, run provenance) are ``POST``\\ ed to ``ENDPOINT?default``: they use
  deterministic IRIs, so sending them twice adds nothing (a server's default graph may hold
  other data, so it is never replaced).
* SPARQL 1.1 Update (``update``), for servers that offer only an update endpoint: batches of
  ``DROP SILENT GRAPH <g> ; INSERT DATA { GRAPH <g> { ... } }``. Terms are written by oxigraph's
  N-Triples serialiser, which escapes every literal, so document text is never spliced raw.

``auto`` tries the Graph Store Protocol and switches to Update when the endpoint answers the first
request with 404/405/415/501. With ``graph`` given, every statement (the merge of all graphs)
goes into that one named graph, replaced as a whole.
"""

from __future__ import annotations

import logging
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from .rdf import as_store

log = logging.getLogger(__name__)

PROTOCOLS = ("auto", "gsp", "update")
_FALLBACK_STATUS = {404, 405, 415, 501}
_TRANSIENT_STATUS = {408, 429, 502, 503, 504}


class PushError(RuntimeError):
    """The server refused a request or could not be reached (message is one line)."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


@dataclass
class _Batch:
    graph: ox.NamedNode | None  # None: the default graph
    first: bool  # first batch of its graph (replace it)
    triples: list[ox.Triple]


def _check_iri(value: str, what: str) -> ox.NamedNode:
    try:
        node = ox.NamedNode(value)
    except ValueError as exc:
        raise ValueError(f"{what} is not a valid IRI: {value!r} ({exc})") from exc
    if not urllib.parse.urlsplit(value).scheme:
        raise ValueError(f"{what} is not an absolute IRI: {value!r}")
    return node


def _batches(store: ox.Store, graph: ox.NamedNode | None, batch_size: int) -> Iterator[_Batch]:
    def chunk(target: ox.NamedNode | None, triples: Iterable[ox.Triple]) -> Iterator[_Batch]:
        buf: list[ox.Triple] = []
        first = True
        for t in triples:
            buf.append(t)
            if len(buf) >= batch_size:
                yield _Batch(target, first, buf)
                buf, first = [], False
        if buf or first:
            yield _Batch(target, first, buf)

    if graph is not None:
        merged = store.query(
            "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }", use_default_graph_as_union=True
        )
        yield from chunk(graph, merged)
        return
    default = (q.triple for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph()))
    first_default = next(default, None)
    if first_default is not None:
        yield from chunk(None, _prepend(first_default, default))
    for name in sorted(store.named_graphs(), key=str):
        if not isinstance(name, ox.NamedNode):
            raise ValueError(f"named graph {name} is a blank node: give it an IRI or use --graph")
        yield from chunk(name, (q.triple for q in store.quads_for_pattern(None, None, None, name)))


def _prepend(first: ox.Triple, rest: Iterator[ox.Triple]) -> Iterator[ox.Triple]:
    yield first
    yield from rest


def _ntriples(triples: list[ox.Triple]) -> bytes:
    return ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) if triples else b""


def _gsp_url(endpoint: str, graph: ox.NamedNode | None) -> str:
    query = urllib.parse.urlencode({"graph": graph.value}) if graph is not None else "default"
    return endpoint + ("&" if "?" in endpoint else "?") + query


def _update_body(batches: list[_Batch]) -> bytes:
    parts: list[bytes] = []
    for b in batches:
        g = str(b.graph).encode() if b.graph is not None else None
        if b.first and g is not None:
            parts.append(b"DROP SILENT GRAPH " + g + b" ;\n")
        if b.triples:
            body = _ntriples(b.triples)
            if g is not None:
                body = b"GRAPH " + g + b" {\n" + body + b"}\n"
            parts.append(b"INSERT DATA {\n" + body + b"} ;\n")
    text = b"".join(parts)
    return text[:-3] + b"\n" if text.endswith(b" ;\n") else text


@dataclass(frozen=True)
class Connection:
    """How :func:`push` talks to the server: seconds before a request times out, new
    attempts after a failed one, and extra HTTP headers (``(("Authorization", "..."),)``)."""

    timeout: float = 60.0
    retries: int = 2
    headers: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.timeout <= 0:
            raise ValueError(f"timeout must be > 0, not {self.timeout}")
        if self.retries < 0:
            raise ValueError(f"retries must be >= 0, not {self.retries}")


DEFAULT_CONNECTION = Connection()


class _Client:
    def __init__(self, timeout: float, retries: int, headers: dict[str, str]) -> None:
        self.timeout = timeout
        self.retries = retries
        self.headers = headers
        self.requests = 0

    def send(self, method: str, url: str, body: bytes, content_type: str, what: str) -> None:
        headers = {**self.headers, "Content-Type": content_type}
        for attempt in range(self.retries + 1):
            request = urllib.request.Request(url, data=body, method=method, headers=headers)
            self.requests += 1
            try:
                with urllib.request.urlopen(request, timeout=self.timeout) as response:
                    response.read()
                return
            except urllib.error.HTTPError as exc:
                detail = exc.read(300).decode("utf-8", "replace").strip().splitlines()
                message = (
                    f"{url.split('?')[0]} refused {method} of {what}: HTTP {exc.code} "
                    f"{exc.reason}" + (f": {detail[0]}" if detail else "")
                )
                if exc.code not in _TRANSIENT_STATUS or attempt == self.retries:
                    raise PushError(message, exc.code) from exc
                log.warning("%s; retrying", message)
            except (urllib.error.URLError, OSError) as exc:
                reason = getattr(exc, "reason", exc)
                message = f"cannot reach {url.split('?')[0]}: {reason}"
                # Nobody listening or no such host: retrying will not help.
                permanent = isinstance(reason, ConnectionRefusedError | socket.gaierror)
                if permanent or attempt == self.retries:
                    raise PushError(message) from exc
                log.warning("%s; retrying", message)
            time.sleep(0.5 * 2**attempt)


def push(
    source: Any,
    endpoint: str,
    *,
    graph: str | None = None,
    protocol: str = "auto",
    batch_size: int = 50_000,
    connection: Connection = DEFAULT_CONNECTION,
    progress: Callable[[int], None] | None = None,
) -> dict[str, Any]:
    """Send ``source``'s statements to the triple store at ``endpoint``.

    ``endpoint`` is the Graph Store Protocol URL (Oxigraph ``/store``, Fuseki ``/ds/data``,
    GraphDB ``/repositories/R/rdf-graphs/service``) or, for ``protocol="update"``, the SPARQL
    Update URL. ``connection`` sets the timeout, retries and extra headers of each request;
    ``progress`` is called with the number of statements of each batch sent.
    Returns ``protocol``, ``graphs``, ``statements`` and ``requests``; raises :class:`PushError`
    when the server refuses a request or cannot be reached.

    >>> push(ox.Store(), "http://127.0.0.1:9/store", protocol="gopher")
    Traceback (most recent call last):
    ...
    ValueError: protocol must be one of ('auto', 'gsp', 'update'), not 'gopher'
    """
    if protocol not in PROTOCOLS:
        raise ValueError(f"protocol must be one of {PROTOCOLS}, not {protocol!r}")
    if batch_size < 1:
        raise ValueError(f"batch_size must be >= 1, not {batch_size}")
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"endpoint must be an http(s) URL, not {endpoint!r}")
    target = _check_iri(graph, "graph") if graph is not None else None
    store = as_store(source)
    client = _Client(connection.timeout, connection.retries, dict(connection.headers))
    mode = "gsp" if protocol in ("auto", "gsp") else "update"
    graphs: set[str] = set()
    statements = 0
    pending: list[_Batch] = []
    pending_size = 0

    def flush_update() -> None:
        nonlocal pending, pending_size
        if pending:
            what = f"{len({str(b.graph) for b in pending})} graph(s)"
            client.send("POST", endpoint, _update_body(pending), "application/sparql-update", what)
            pending, pending_size = [], 0

    for batch in _batches(store, target, batch_size):
        name = "the default graph" if batch.graph is None else f"graph {batch.graph}"
        if mode == "gsp":
            method = "PUT" if batch.first and batch.graph is not None else "POST"
            try:
                client.send(
                    method,
                    _gsp_url(endpoint, batch.graph),
                    _ntriples(batch.triples),
                    "application/n-triples",
                    name,
                )
            except PushError as exc:
                if not (
                    protocol == "auto" and client.requests == 1 and exc.status in _FALLBACK_STATUS
                ):
                    raise
                log.info(
                    "%s does not take Graph Store Protocol requests (%s); using SPARQL Update",
                    endpoint,
                    exc,
                )
                mode = "update"
        if mode == "update":
            pending.append(batch)
            pending_size += len(batch.triples)
            if pending_size >= batch_size:
                flush_update()
        graphs.add(str(batch.graph))
        statements += len(batch.triples)
        if progress is not None:
            progress(len(batch.triples))
    flush_update()
    log.info(
        "pushed %d statements in %d graphs to %s (%s, %d requests)",
        statements,
        len(graphs),
        endpoint,
        mode,
        client.requests,
    )
    return {
        "endpoint": endpoint,
        "protocol": mode,
        "graphs": len(graphs),
        "statements": statements,
        "requests": client.requests,
    }
