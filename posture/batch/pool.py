"""Where batch jobs run: local worker processes, or an existing Dask distributed cluster.

Both take ``(job, out_dir)`` pairs and yield outcomes (see :mod:`posture.batch.work`)
as clips finish, in any order; the caller alone writes to the database.

Local workers are long-lived processes (one model load per clip, one Python start per
worker). A clip that runs past the time limit has its worker killed and replaced; a
worker that dies (a crash in native code) fails only its own clip.

On Dask, each clip runs in a child process of a Dask worker so that the time limit can
end it; Dask workers need this package installed and the clips' paths readable.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import time
import uuid
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from multiprocessing.connection import Connection, wait
from typing import Any

from posture.batch.work import execute, execute_in_subprocess, failed_outcome, timeout_outcome
from posture.errors import InputError

Task = tuple[dict[str, Any], str]


def _worker_loop(conn: Connection) -> None:
    """A local worker: run jobs received on ``conn`` until it is told to stop (``None``)."""
    while True:
        try:
            message = conn.recv()
        except EOFError:
            return
        if message is None:
            return
        job, out_dir = message
        conn.send(execute(job, out_dir))


@dataclass
class _Slot:
    process: Any
    conn: Connection
    task: Task | None = None
    started: float = field(default=0.0)


class LocalPool:
    """``workers`` worker processes on this machine, with a per-clip time limit in seconds."""

    def __init__(self, workers: int, time_limit_s: float) -> None:
        self.workers = workers
        self.time_limit_s = time_limit_s
        self._ctx = mp.get_context("spawn")

    def _start(self) -> _Slot:
        parent, child = self._ctx.Pipe()
        process = self._ctx.Process(target=_worker_loop, args=(child,), daemon=True)
        process.start()
        child.close()
        return _Slot(process, parent)

    def run(self, tasks: Sequence[Task]) -> Iterator[dict[str, Any]]:
        """Run every task; yield each outcome as it arrives."""
        pending = list(reversed(tasks))
        slots = [self._start() for _ in range(min(self.workers, len(tasks)))]
        try:
            while pending or any(s.task for s in slots):
                for slot in slots:
                    if slot.task is None and pending:
                        slot.task, slot.started = pending.pop(), time.monotonic()
                        slot.conn.send(slot.task)
                yield from self._collect(slots)
        finally:
            for slot in slots:
                _stop(slot)

    def _collect(self, slots: list[_Slot]) -> Iterator[dict[str, Any]]:
        busy = [s for s in slots if s.task is not None]
        now = time.monotonic()
        wait_s = max(0.05, min(self.time_limit_s - (now - s.started) for s in busy))
        ready = wait([s.conn for s in busy] + [s.process.sentinel for s in busy], timeout=min(wait_s, 1.0))
        for index, slot in enumerate(slots):
            if slot.task is None:
                continue
            job, out_dir = slot.task
            if slot.conn in ready:
                try:
                    outcome = slot.conn.recv()
                except EOFError:
                    outcome = failed_outcome(
                        job, out_dir, f"worker process died (exit code {slot.process.exitcode})"
                    )
            elif slot.process.sentinel in ready:
                outcome = failed_outcome(
                    job, out_dir, f"worker process died (exit code {slot.process.exitcode})"
                )
            elif time.monotonic() - slot.started > self.time_limit_s:
                outcome = timeout_outcome(job, out_dir, self.time_limit_s, time.monotonic() - slot.started)
            else:
                continue
            if outcome["status"] == "timeout" or not slot.process.is_alive():
                _stop(slot, kill=True)
                slots[index] = self._start()
            else:
                slot.task = None
            yield outcome


def _stop(slot: _Slot, kill: bool = False) -> None:
    if kill:
        slot.process.kill()
    else:
        with contextlib.suppress(BrokenPipeError, OSError):
            slot.conn.send(None)
    slot.process.join(timeout=5)
    if slot.process.is_alive():
        slot.process.kill()
        slot.process.join(timeout=5)
    slot.conn.close()


class DaskPool:
    """An existing Dask distributed cluster at ``address`` (``tcp://host:port``)."""

    def __init__(self, address: str, time_limit_s: float) -> None:
        self.address = address
        self.time_limit_s = time_limit_s

    def _client(self) -> Any:
        try:
            from distributed import Client
        except ImportError:
            raise InputError("--scheduler needs Dask: pip install 'posture[cluster]'") from None
        try:
            return Client(self.address, timeout="10s")
        except (OSError, TimeoutError, ValueError) as exc:
            raise InputError(f"cannot reach the Dask scheduler at {self.address}: {exc}") from exc

    def run(self, tasks: Sequence[Task]) -> Iterator[dict[str, Any]]:
        """Submit every task to the cluster; yield each outcome as it arrives."""
        from distributed import as_completed

        client = self._client()
        try:
            futures = {
                client.submit(execute_in_subprocess, job, out_dir, self.time_limit_s, pure=False,
                              key=f"posture-{job['key']}-{uuid.uuid4().hex[:8]}"): (job, out_dir)
                for job, out_dir in tasks
            }  # fmt: skip
            for future in as_completed(futures):
                job, out_dir = futures[future]
                try:
                    yield future.result()
                except Exception as exc:  # noqa: BLE001 - a lost worker fails its clip, not the batch
                    yield failed_outcome(job, out_dir, f"Dask task failed: {type(exc).__name__}: {exc}")
        finally:
            client.close()
