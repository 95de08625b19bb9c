"""Where batch jobs run: local worker processes, or an existing Dask distributed cluster.

Both take ``(job, out_dir)`` pairs and yield outcomes (see :mod:`posture.batch.work`)
as clips finish, in any order; the caller alone writes to the database.

Either way each clip runs in a long-lived worker child process
(:class:`posture.batch.work.WorkerServer`): it starts once per worker, keeps its imports
warm, and is killed and replaced when a clip runs past the time limit or crashes, so
one bad clip never takes the batch down. On Dask the children are started by the
Dask workers; they need this package installed and the clips' paths readable.
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor, as_completed
from typing import Any

from posture.batch.work import FramesHook, WorkerServer, execute_with_limit, failed_outcome
from posture.errors import InputError

Task = tuple[dict[str, Any], str]
#: What ``--scheduler`` takes.
SCHEDULER_FORM = re.compile(r"^(tcp|tls|inproc|ucx)://[^\s/:]+(:\d{1,5})?/?$")


def check_scheduler(address: str) -> None:
    """Refuse a ``--scheduler`` before any work: Dask not installed, or not an address.

    Raises
    ------
    InputError
        The ``cluster`` extra is missing, or ``address`` is not ``tcp://HOST:PORT``.
    """
    try:
        import distributed  # noqa: F401
    except ImportError:
        raise InputError(
            "--scheduler needs Dask, which is not installed: "
            "pip install 'posture[cluster]' (the cluster extra)"
        ) from None
    if not SCHEDULER_FORM.match(address):
        raise InputError(f"--scheduler {address!r} is not a scheduler address (expected tcp://HOST:PORT)")


class LocalPool:
    """``workers`` worker processes on this machine, with a per-clip time limit in seconds."""

    def __init__(self, workers: int, time_limit_s: float, on_frames: FramesHook | None = None) -> None:
        self.workers = workers
        self.time_limit_s = time_limit_s
        self.on_frames = on_frames

    def run(self, tasks: Sequence[Task]) -> Iterator[dict[str, Any]]:
        """Run every task; yield each outcome as it arrives (``on_frames`` hears the frames analysed)."""
        # Workers share the cores: each gets its share of model and OpenCV threads instead of all of them.
        threads = max(1, (os.cpu_count() or 1) // self.workers)
        servers = [WorkerServer(threads) for _ in range(min(self.workers, len(tasks)))]
        free = list(servers)

        def work(task: Task) -> dict[str, Any]:
            server = free.pop()
            try:
                return server.run(task[0], task[1], self.time_limit_s, self.on_frames)
            finally:
                free.append(server)

        executor = ThreadPoolExecutor(max_workers=len(servers) or 1)
        try:
            futures = [executor.submit(work, task) for task in tasks]
            for future in as_completed(futures):
                yield future.result()
        finally:
            executor.shutdown(wait=False, cancel_futures=True)
            for server in servers:
                server.close()


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
        from distributed import as_completed as dask_completed

        client = self._client()
        try:
            futures = {
                client.submit(execute_with_limit, job, out_dir, self.time_limit_s, pure=False,
                              key=f"posture-{job['key']}-{uuid.uuid4().hex[:8]}"): (job, out_dir)
                for job, out_dir in tasks
            }  # fmt: skip
            for future in dask_completed(futures):
                job, out_dir = futures[future]
                try:
                    yield future.result()
                except Exception as exc:  # noqa: BLE001 - a lost worker fails its clip, not the batch
                    yield failed_outcome(job, out_dir, f"Dask task failed: {type(exc).__name__}: {exc}")
        finally:
            client.close()
