"""Progress bars and tables on the terminal (the library never prints)."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

from koembed.progress import ProgressCallback, ProgressEvent

stderr = Console(stderr=True)
stdout = Console(highlight=False)


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
