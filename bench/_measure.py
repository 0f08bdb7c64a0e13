"""What the benchmarks that run koembed commands share: timing one command."""

from __future__ import annotations

import os
import subprocess
import tempfile
import time


def measure(command: list[str]) -> tuple[float, float, float]:
    """Run a command; return (wall seconds, peak RSS in MB, CPU seconds).

    Peak RSS and CPU are os.wait4's: the process and the workers it waited
    for (RSS: the largest of them; CPU: their sum). CPU seconds are less
    disturbed than wall time by other work sharing the machine. A failed
    command stops the benchmark with the end of its stderr.
    """
    started = time.perf_counter()
    # stderr goes to a file, not a pipe: a pipe nobody reads until the end
    # stalls a command that writes more than its buffer (64 KiB).
    with tempfile.TemporaryFile() as stderr_file:
        process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=stderr_file)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        if os.waitstatus_to_exitcode(status) != 0:
            stderr_file.seek(0)
            text = stderr_file.read().decode(errors="replace")
            raise SystemExit(f"failed: {' '.join(command)}\n{text[-3000:]}")
    return seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime
