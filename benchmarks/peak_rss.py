"""Run a command and print its wall seconds, CPU seconds and peak resident memory (MB) as JSON.

A process's peak resident memory (``ru_maxrss``) includes the resident size of the
process that forked it, at the fork: a benchmark that forks its runs directly
from a parent holding the model or frames would read its own size for every run
that stays below it. This small process forks the command instead, so the figure
is the command's own (to within this process's ~10 MB).

Usage: python benchmarks/peak_rss.py COMMAND [ARG ...]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


def main() -> None:
    start = time.perf_counter()
    proc = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    report = {
        "wall_s": time.perf_counter() - start,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_mb": usage.ru_maxrss / 1024.0,
        "returncode": os.waitstatus_to_exitcode(status),
    }
    print(json.dumps(report))


if __name__ == "__main__":
    main()
