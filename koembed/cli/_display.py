"""Progress bars and tables on the terminal (the library never prints)."""

from __future__ import annotations

import contextlib
import re
import time
from collections.abc import Iterable, Iterator
from typing import Any

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.segment import Segment

from koembed.progress import ProgressCallback, ProgressEvent

# Control characters (C0 but tab and newline, DEL, C1) in text that came from
# files: a stranger's vocabulary, a corpus line quoted in a message. ESC starts
# terminal sequences that can retitle the window or write the clipboard (OSC
# 52), so they are shown escaped (\x1b) instead of reaching the terminal.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def safe(text: str) -> str:
    """``text`` with control characters written as visible ``\\xNN`` escapes."""
    return _CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


class _SafeConsole(Console):
    """A console that escapes control characters in the text it is given,
    while its own styling and cursor movements (control segments) pass; where
    it writes to no terminal (a log, a pipe), lines are not wrapped at 80
    columns, so a message or a path stays on one line."""

    def print(self, *objects: Any, soft_wrap: bool | None = None, **kwargs: Any) -> None:
        if soft_wrap is None:
            soft_wrap = not self.is_terminal
        super().print(*objects, soft_wrap=soft_wrap, **kwargs)

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            Segment(safe(segment.text), segment.style, segment.control)
            if segment.control is None
            else segment
            for segment in buffer
        )


stderr = _SafeConsole(stderr=True)
stdout = _SafeConsole(highlight=False)


#: Without a terminal (a log file, CI), a task's state is written as a plain
#: line when it ends, and at most this often while it runs.
PLAIN_EVERY_SECONDS = 30.0


@contextlib.contextmanager
def progress_bars() -> Iterator[ProgressCallback]:
    """Yield a progress callback: one rich bar per task on a terminal; plain
    lines where stderr is not one (bars there were cut to ``0… 0:0…``)."""
    if not stderr.is_terminal:
        with _plain_progress() as update:
            yield update
        return
    columns = [
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[detail]}"),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    ]
    with Progress(*columns, console=stderr, transient=False) as bars:
        tasks: dict[str, int] = {}

        def update(event: ProgressEvent) -> None:
            if event.task not in tasks:
                tasks[event.task] = bars.add_task(event.task, total=event.total, detail="")
            task_id = tasks[event.task]
            elapsed = bars.tasks[task_id].elapsed or 0.0
            bars.update(
                task_id, completed=event.done, total=event.total, detail=_detail(event, elapsed)
            )

        yield update


@contextlib.contextmanager
def _plain_progress() -> Iterator[ProgressCallback]:
    started: dict[str, float] = {}
    shown: dict[str, float] = {}  # when each task's line was last written
    last: dict[str, ProgressEvent] = {}
    ended: set[str] = set()

    def line(event: ProgressEvent) -> None:
        elapsed = time.monotonic() - started[event.task]
        share = f" {min(event.done / event.total, 1.0):.0%}" if event.total else ""
        detail = _detail(event, elapsed)
        stderr.print(
            f"{event.task}:{share}{'  ' + detail if detail else ''}  {_clock(elapsed)}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        shown[event.task] = time.monotonic()

    def update(event: ProgressEvent) -> None:
        now = time.monotonic()
        started.setdefault(event.task, now)
        last[event.task] = event
        done = event.finished or (event.total is not None and event.done >= event.total)
        if done and event.task not in ended:
            ended.add(event.task)
            line(event)
        elif not done and now - shown.get(event.task, started[event.task]) >= PLAIN_EVERY_SECONDS:
            line(event)

    try:
        yield update
    finally:
        for task, event in last.items():  # what stopped short of its total
            if task not in ended:
                line(event)


def _clock(seconds: float) -> str:
    minutes, seconds = divmod(int(seconds), 60)
    return f"{minutes // 60}:{minutes % 60:02d}:{seconds:02d}"


def count(number: float, noun: str, plural: str | None = None) -> str:
    """``1 line``, ``2 lines``, ``1,234 tokens``: a number with its noun."""
    return f"{number:,} {noun if number == 1 else plural or noun + 's'}"


def rate(number: float, seconds: float, unit: str) -> str:
    """``1,234 lines/s``, or ``""`` when the time is too short to say (a tiny input)."""
    if seconds < MIN_RATE_SECONDS or number <= 0:
        return ""
    return f"{number / seconds:,.0f} {unit}/s"


#: Below this, a rate says more about the clock than about the speed.
MIN_RATE_SECONDS = 0.1


def _detail(event: ProgressEvent, elapsed: float) -> str:
    parts = []
    if event.unit == "bytes":
        parts.append(size_text(event.done))
    elif event.unit == "epochs" and event.total:
        parts.append(f"epoch {int(event.done)}/{int(event.total)}")
    lines = event.info.get("lines")
    if lines is not None:
        parts.append(count(lines, "line"))
        parts.append(rate(lines, event.info.get("seconds", elapsed), "lines"))
    if "tokens" in event.info:
        parts.append(count(event.info["tokens"], "token"))
    if "vocabulary" in event.info:
        parts.append(count(event.info["vocabulary"], "word"))
    if "cost" in event.info:
        parts.append(f"cost {event.info['cost']:.4f}")
    return "  ".join(p for p in parts if p)


def size_text(num_bytes: float) -> str:
    """``1,234 B``, ``12.3 KB``, ``1.2 GB``."""
    for unit in ("B", "KB", "MB", "GB"):
        if num_bytes < 1024 or unit == "GB":
            return f"{num_bytes:,.0f} {unit}" if unit == "B" else f"{num_bytes:,.1f} {unit}"
        num_bytes /= 1024
    return ""
