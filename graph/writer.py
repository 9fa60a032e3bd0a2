"""The store's background writer: documents' quads written in a thread, whole or not at all."""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterator

from pyoxigraph import Quad, Store

from .model import DocumentInput

#: Quads written between flushes to disk during a build (bounds the store's memory).
FLUSH_EVERY = 200_000
#: At most about this many quads (whole documents) go into one write transaction.
GROUP_QUADS = 20_000


class StoreError(Exception):
    """The store cannot be opened or used (locked, missing, different base IRI)."""


class Writer:
    """Writes documents' quads in a background thread, so the next document's NLP and
    resolution run meanwhile (pyoxigraph holds the GIL for part of each write, so the
    overlap is partial). At most ``depth`` documents wait; the writer takes every waiting
    document (up to ``GROUP_QUADS`` quads) into one ``extend``, one transaction, so each
    document is written whole or not at all, and a writer that falls behind pays the
    per-transaction cost once per group rather than per document. Every ``FLUSH_EVERY``
    quads the store is flushed (RocksDB keeps written data in memory until then).
    :meth:`written` hands back, in order, the documents whose write has completed."""

    def __init__(self, store: Store, depth: int = 8) -> None:
        self._store = store
        self._queue: queue.Queue[tuple[DocumentInput, list[Quad]] | None] = queue.Queue(depth)
        self._done: queue.SimpleQueue[DocumentInput] = queue.SimpleQueue()
        self._error: BaseException | None = None
        self._unflushed = 0
        self._thread = threading.Thread(target=self._run, name="claimgraph-writer", daemon=True)
        self._thread.start()

    def _group(self) -> tuple[list[tuple[DocumentInput, list[Quad]]], bool]:
        """The next waiting documents (blocking for the first) and whether to stop after."""
        group: list[tuple[DocumentInput, list[Quad]]] = []
        size = 0
        item = self._queue.get()
        while item is not None:
            group.append(item)
            size += len(item[1])
            if size >= GROUP_QUADS:
                return group, False
            try:
                item = self._queue.get_nowait()
            except queue.Empty:
                return group, False
        return group, True

    def _run(self) -> None:
        stop = False
        while not stop:
            group, stop = self._group()
            try:
                if self._error is None and group:
                    self._store.extend(quad for _, quads in group for quad in quads)
                    for doc, quads in group:
                        self._done.put(doc)
                        self._unflushed += len(quads)
                    if self._unflushed >= FLUSH_EVERY:
                        self._store.flush()
                        self._unflushed = 0
            except Exception as exc:  # handed to the building thread by check()
                self._error = exc
            finally:
                for _ in range(len(group) + stop):
                    self._queue.task_done()

    def check(self) -> None:
        """Raise :class:`StoreError` if a write failed (documents after it were not written)."""
        if self._error is not None:
            raise StoreError(f"writing to the store failed: {self._error}") from self._error

    def put(self, doc: DocumentInput, quads: list[Quad]) -> None:
        self.check()
        self._queue.put((doc, quads))

    def written(self) -> Iterator[DocumentInput]:
        """The documents written since the last call."""
        while True:
            try:
                yield self._done.get_nowait()
            except queue.Empty:
                return

    def drain(self) -> None:
        """Wait until everything queued is written."""
        self._queue.join()
        self.check()

    def close(self) -> None:
        """Write what is queued, then stop the thread and let go of the store (RocksDB closes
        its files only when the last reference goes)."""
        self._queue.put(None)
        self._thread.join()
        del self._store
