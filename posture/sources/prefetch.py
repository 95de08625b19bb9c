"""Decoding ahead on a background thread, so it overlaps with the pose model.

OpenCV releases the GIL while it decodes and converts colours, and so does
MediaPipe while it runs the model: a reader thread that keeps a few frames ready
takes the decoding off the critical path. The queue is bounded, so memory stays
flat whatever the clip's length.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from typing import Generic, TypeVar

T = TypeVar("T")

_ITEM, _END, _ERROR = range(3)


class Prefetcher(Generic[T]):
    """Iterate ``items`` on a background thread, at most ``depth`` items ahead of the consumer.

    Exceptions raised by ``items`` are raised again in the consumer, in order.
    :meth:`close` stops the reader and waits for it (call it before releasing
    whatever ``items`` reads from); it is also called when iteration ends.
    """

    def __init__(self, items: Iterable[T], depth: int = 4) -> None:
        self._queue: queue.Queue[tuple[int, object]] = queue.Queue(maxsize=max(depth, 1))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._read, args=(items,), daemon=True)
        self._thread.start()

    def _put(self, kind: int, value: object) -> bool:
        """Queue one entry, waiting while the queue is full; ``False`` once asked to stop."""
        while not self._stop.is_set():
            try:
                self._queue.put((kind, value), timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def _read(self, items: Iterable[T]) -> None:
        try:
            for item in items:
                if not self._put(_ITEM, item):
                    return
            self._put(_END, None)
        except BaseException as exc:  # noqa: BLE001 - handed to the consumer, raised there
            self._put(_ERROR, exc)

    def __iter__(self) -> Iterator[T]:
        try:
            while True:
                kind, value = self._queue.get()
                if kind == _END:
                    return
                if kind == _ERROR:
                    assert isinstance(value, BaseException)
                    raise value
                yield value  # type: ignore[misc]
        finally:
            self.close()

    def close(self) -> None:
        """Stop reading ahead and wait for the reader thread to finish."""
        self._stop.set()
        while self._thread.is_alive():
            try:
                self._queue.get(timeout=0.05)
            except queue.Empty:
                continue
        self._thread.join()
