"""Progress reports from long-running library calls.

Library functions take an optional ``progress`` callback and call it with a
:class:`ProgressEvent` now and then; they never print. The CLI turns the
events into progress bars.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class ProgressEvent:
    """Where a long task is.

    ``done`` and ``total`` count ``unit`` (bytes, epochs...); ``total`` is
    ``None`` when unknown. ``info`` carries extra figures such as lines and
    tokens so far.
    """

    task: str
    done: float
    total: float | None
    unit: str
    info: dict = field(default_factory=dict)
    finished: bool = False


ProgressCallback = Callable[[ProgressEvent], None]


def report(callback: ProgressCallback | None, *args, **kwargs) -> None:
    """Send an event to ``callback`` if there is one."""
    if callback is not None:
        callback(ProgressEvent(*args, **kwargs))
