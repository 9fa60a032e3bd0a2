"""Attribution extraction on a Dask cluster, for ``claimgraph build --dask``.

The driver (the build) reads and filters the inputs, cuts the text units into partitions of
whole documents and submits one task per partition; each worker loads the spaCy pipeline once
(by name or path: the pipeline itself never travels) and returns plain :class:`Claim` records.
Results come back in input order, through a bounded window of partitions in flight, so the
graph is merged exactly as in a local build. A partition whose task fails is submitted again
up to ``retries`` times; one that still fails is reported and its documents are left out.

Needs ``dask[distributed]`` (``pip install 'claimgraph[dask]'``) on the driver and the workers,
and claimgraph with the pipeline installed on every worker.
"""

from __future__ import annotations

import asyncio
import logging
import signal
import socket
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from claimgraph.extract.pipeline import (
    BUNDLED,
    PipelineSpec,
    TextUnit,
    extract_grouped,
    extraction_pipeline,
)
from claimgraph.extract.records import Claim
from claimgraph.extract.taggers import DEFAULT_TAGGER

if TYPE_CHECKING:
    from distributed import Client, Future

log = logging.getLogger(__name__)


def pipeline_name(model: str | None, tagger: str = DEFAULT_TAGGER) -> str:
    """Name of the pipeline ``model`` as a worker loads it (loading it if needed)."""
    return str(extraction_pipeline(PipelineSpec(model, tagger)).meta.get("name"))


def extract_partition(
    model: str | None,
    units: Sequence[TextUnit],
    batch_size: int = 16,
    tagger: str = DEFAULT_TAGGER,
) -> list[list[Claim]]:
    """The task run on a worker: the claims of each unit, in order."""
    nlp = extraction_pipeline(PipelineSpec(model, tagger))
    return [claims for _, claims in extract_grouped(nlp, units, batch_size=batch_size)]


def partition_units(units: Iterable[TextUnit], size: int) -> Iterator[tuple[TextUnit, ...]]:
    """Cut ``units`` into partitions of whole documents, ``size`` units or a little more each
    (a document is never split; the last partition may be smaller).

    >>> units = [TextUnit(d, i, 0, "") for d, i in [("a", 1), ("a", 2), ("b", 1), ("c", 1)]]
    >>> [[f"{u.doc}{u.article}" for u in p] for p in partition_units(units, 2)]
    [['a1', 'a2'], ['b1', 'c1']]
    >>> [[f"{u.doc}{u.article}" for u in p] for p in partition_units(units, 3)]
    [['a1', 'a2', 'b1'], ['c1']]
    """
    if size < 1:
        raise ValueError(f"partition size must be >= 1, not {size}")
    batch: list[TextUnit] = []
    for unit in units:
        if batch and len(batch) >= size and unit.doc != batch[-1].doc:
            yield tuple(batch)
            batch = []
        batch.append(unit)
    if batch:
        yield tuple(batch)


@dataclass(frozen=True)
class PartitionFailure:
    """A failed attempt at one partition (``index`` counts from 1, in input order)."""

    index: int
    documents: tuple[str, ...]
    attempt: int
    error: str


@dataclass
class _Slot:
    index: int
    units: tuple[TextUnit, ...]
    attempts: int = 0
    claims: list[list[Claim]] | None = None
    done: bool = False
    documents: tuple[str, ...] = field(init=False)

    def __post_init__(self) -> None:
        self.documents = tuple(dict.fromkeys(unit.doc for unit in self.units))


def _one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class DaskExtractor:
    """Extraction on the workers of ``client``, as an ``extract`` for
    :func:`claimgraph.flow.document_inputs`: maps text units to ``(unit, claims)`` in input
    order, ``None`` claims for the units of a partition that failed ``retries + 1`` times.

    ``pipeline`` names the pipeline as the workers see it (a name or path; None: bundled)
    and the span tagger they run (see
    :func:`claimgraph.extract.pipeline.extraction_pipeline`). At most
    ``window`` partitions (default: twice the workers' threads) are in flight or waiting to
    be handed on, which bounds the driver's memory. ``on_retry``/``on_failure`` get a
    :class:`PartitionFailure` for each failed attempt that will be retried / that was the
    last; ``submitted``, ``retried`` and ``failures`` count what happened.
    """

    def __init__(
        self,
        client: Client,
        *,
        pipeline: PipelineSpec = BUNDLED,
        partition_size: int = 64,
        retries: int = 2,
        window: int | None = None,
        batch_size: int = 16,
        on_retry: Callable[[PartitionFailure], None] | None = None,
        on_failure: Callable[[PartitionFailure], None] | None = None,
    ) -> None:
        if partition_size < 1:
            raise ValueError(f"partition_size must be >= 1, not {partition_size}")
        if retries < 0:
            raise ValueError(f"retries must be >= 0, not {retries}")
        if window is not None and window < 1:
            raise ValueError(f"window must be >= 1, not {window}")
        if batch_size < 1:
            raise ValueError(f"batch_size must be >= 1, not {batch_size}")
        self.client = client
        self.pipeline = pipeline
        self.partition_size = partition_size
        self.retries = retries
        self.window = window
        self.batch_size = batch_size
        self.on_retry = on_retry
        self.on_failure = on_failure
        self.submitted = 0
        self.retried = 0
        self.failures: list[PartitionFailure] = []

    def check(self, *, timeout: float = 60.0) -> str:
        """Load the pipeline on a worker (it stays loaded there) and return its name; raises
        what the worker raised (a missing pipeline, say) before any partition is sent, and
        ``TimeoutError`` when no worker joins the cluster within ``timeout`` seconds."""
        if not self.client.nthreads():
            try:
                self.client.wait_for_workers(1, timeout=timeout)
            except TimeoutError as exc:
                raise TimeoutError(f"no Dask worker joined within {timeout:g} s") from exc
        spec = self.pipeline
        return self.client.submit(pipeline_name, spec.model, spec.tagger, pure=False).result()

    def __call__(self, units: Iterable[TextUnit]) -> Iterator[tuple[TextUnit, list[Claim] | None]]:
        from distributed import as_completed

        window = self.window or max(2, 2 * sum(self.client.nthreads().values()))
        parts = enumerate(partition_units(units, self.partition_size), 1)
        pending: deque[_Slot] = deque()  # in input order
        running: dict[Future, _Slot] = {}
        finished = as_completed(loop=self.client.loop)

        def submit(slot: _Slot) -> None:
            slot.attempts += 1
            future = self.client.submit(
                extract_partition, self.pipeline.model, slot.units, self.batch_size,
                self.pipeline.tagger, pure=False,
            )  # fmt: skip
            running[future] = slot
            finished.add(future)

        def top_up() -> None:
            while len(pending) < window:
                part = next(parts, None)
                if part is None:
                    return
                slot = _Slot(*part)
                submit(slot)
                self.submitted += 1
                pending.append(slot)

        def settle(future: Future) -> None:
            slot = running.pop(future)
            try:
                slot.claims = future.result()
            except (Exception, asyncio.CancelledError) as exc:
                failure = PartitionFailure(
                    slot.index, slot.documents, slot.attempts, _one_line(exc)
                )
                if slot.attempts <= self.retries:
                    log.info(
                        "partition %d, attempt %d: %s", slot.index, slot.attempts, failure.error
                    )
                    self.retried += 1
                    if self.on_retry is not None:
                        self.on_retry(failure)
                    submit(slot)
                    return
                log.info("partition %d failed: %s", slot.index, failure.error)
                self.failures.append(failure)
                if self.on_failure is not None:
                    self.on_failure(failure)
            slot.done = True

        try:
            top_up()
            while pending:
                if not pending[0].done:
                    settle(next(finished))
                while pending and pending[0].done:
                    slot = pending.popleft()
                    if slot.claims is None:
                        yield from ((unit, None) for unit in slot.units)
                    else:
                        yield from zip(slot.units, slot.claims, strict=True)
                    top_up()
        finally:
            if running:
                self.client.cancel(list(running))


def _probe(address: str, timeout: float) -> None:
    """Fail fast, with a plain ``OSError``, when nothing listens at a TCP ``address``."""
    from distributed.comm import parse_address
    from distributed.comm.addressing import parse_host_port

    scheme, location = parse_address(address)
    if scheme != "tcp":
        return
    host, port = parse_host_port(location)
    with socket.create_connection((host, port), timeout=timeout):
        pass


@contextmanager
def _workers_ignore_sigint() -> Iterator[None]:
    """Start worker processes with Ctrl-C ignored (a disposition they inherit): the driver
    handles it and shuts the cluster down, instead of every worker dying with a traceback."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)


@contextmanager
def dask_client(address: str, *, timeout: float = 10.0) -> Iterator[Client]:
    """A Dask client for ``address``, closed on exit.

    ``local:N`` starts a LocalCluster of N single-threaded worker processes on 127.0.0.1 (no
    dashboard), shut down on exit; anything else is the address of a running scheduler
    (``tcp://host:8786``). Raises ``ValueError`` for a malformed address and ``OSError`` when
    no scheduler answers within ``timeout`` seconds.
    """
    from distributed import Client, LocalCluster

    if address.startswith("local:"):
        count = address.removeprefix("local:")
        if not count.isdigit() or int(count) < 1:
            raise ValueError(f"local:N needs a number of workers >= 1, not {count!r}")
        with _workers_ignore_sigint():  # only while the worker processes start
            cluster = LocalCluster(
                n_workers=int(count),
                threads_per_worker=1,
                processes=True,
                host="127.0.0.1",
                dashboard_address=None,
                # the scheduler's health/metrics HTTP server: loopback, any free port
                scheduler_kwargs={"dashboard_address": "127.0.0.1:0"},
                # a failed task is reported by the build; the workers need not log it too
                silence_logs=logging.CRITICAL,
            )
        with cluster, Client(cluster, set_as_default=False) as client:
            yield client
        return
    _probe(address, timeout)
    with Client(address, timeout=timeout, set_as_default=False) as client:
        yield client
