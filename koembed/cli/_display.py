"""Progress bars and tables on the terminal (the library never prints)."""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable, Iterator

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
    while its own styling and cursor movements (control segments) pass."""

    def _render_buffer(self, buffer: Iterable[Segment]) -> str:
        return super()._render_buffer(
            Segment(safe(segment.text), segment.style, segment.control)
            if segment.control is None
            else segment
            for segment in buffer
        )


stderr = _SafeConsole(stderr=True)
stdout = _SafeConsole(highlight=False)


@contextlib.contextmanager
def progress_bars() -> Iterator[ProgressCallback]:
    """Yield a progress callback drawing one rich bar per task on stderr."""
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


def _detail(event: ProgressEvent, elapsed: float) -> str:
    parts = []
    if event.unit == "bytes":
        parts.append(_size(event.done))
    elif event.unit == "epochs" and event.total:
        parts.append(f"epoch {int(event.done)}/{int(event.total)}")
    lines = event.info.get("lines")
    if lines is not None:
        parts.append(f"{lines:,} lines")
        seconds = event.info.get("seconds", elapsed)
        if seconds > 0:
            parts.append(f"{lines / seconds:,.0f} lines/s")
    if "tokens" in event.info:
        parts.append(f"{event.info['tokens']:,} tokens")
    if "vocabulary" in event.info:
        parts.append(f"{event.info['vocabulary']:,} words")
    if "cost" in event.info:
        parts.append(f"cost {event.info['cost']:.4f}")
    return "  ".join(p for p in parts if p)


def _size(num_bytes: float) -> str:
    for unit in ("B", "KB", "MB", "GB"):
        if num_bytes < 1024 or unit == "GB":
            return f"{num_bytes:,.0f} {unit}" if unit == "B" else f"{num_bytes:,.1f} {unit}"
        num_bytes /= 1024
    return ""
