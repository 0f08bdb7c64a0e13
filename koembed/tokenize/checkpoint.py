"""A tokenized output that an interrupted run can continue (``--resume``).

A resumable run writes into a folder beside the output,
``.<name>.resume/``, instead of a ``.partial-PID`` file:

    data              the tokenized lines written so far
    checkpoint.json   lines and bytes of ``data`` that are complete, their
                      token counts, and the key of the request (settings and
                      input fingerprints, see :mod:`koembed.tokenize.cache`)
    tokenizer/        a trainable tokenizer's artefact, trained once

The checkpoint is rewritten (to a temporary name, then renamed) at most once
a second, after the data written so far is flushed to the file, so it never
counts bytes the file does not hold; a run killed (Ctrl-C or SIGKILL) loses
at most the last second. Resuming truncates ``data`` to the checkpoint's
byte count, skips as many input lines, and goes on: since every line is
tokenized on its own, the result is byte for byte what an uninterrupted run
writes. When the run completes, ``data`` is renamed to the output and the
folder removed. While a run is active it holds the output's lock
(:mod:`koembed.outputs`), so two runs never write the same folder.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from koembed.outputs import lock_output, remove_leftovers

log = logging.getLogger(__name__)

CHECKPOINT_FORMAT = "koembed-resume/1"
CHECKPOINT_SECONDS = 1.0


def resume_dir(output: str | os.PathLike) -> Path:
    final = Path(output)
    return final.with_name(f".{final.name}.resume")


@dataclass
class ResumableRun:
    """The state folder of one resumable run; see the module docstring."""

    folder: Path
    key: str
    #: where an earlier run stopped: lines, bytes, tokens, empty, training
    start: dict = field(default_factory=dict)
    _last: float = 0.0

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def tokenizer_dir(self) -> Path:
        return self.folder / "tokenizer"

    @property
    def resumed(self) -> bool:
        return bool(self.start.get("lines"))

    def save(self, sink, counts: dict, extra: dict | None = None, *, now: bool = False) -> None:
        """Record ``counts`` (lines, tokens, empty) as complete, at most once a second.

        ``sink`` is the open data file: flushed first, so the byte count
        recorded is on the file.
        """
        if not now and time.monotonic() - self._last < CHECKPOINT_SECONDS:
            return
        self._last = time.monotonic()
        sink.flush()
        state = {
            "format": CHECKPOINT_FORMAT,
            "key": self.key,
            "bytes": sink.tell(),
            **counts,
            **(extra or {}),
            "training": self.start.get("training"),
        }
        temporary = self.folder / "checkpoint.json.tmp"
        temporary.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, self.folder / "checkpoint.json")

    def save_training(self, training: dict) -> None:
        """Record what the trained tokenizer saw, before any line is tokenized."""
        self.start = {"lines": 0, "bytes": 0, "tokens": 0, "empty": 0, "training": training}
        path = self.folder / "checkpoint.json"
        state = {"format": CHECKPOINT_FORMAT, "key": self.key, **self.start}
        path.write_text(json.dumps(state, ensure_ascii=False), encoding="utf-8")


def _read_checkpoint(folder: Path, key: str) -> tuple[dict | None, str]:
    """The checkpoint if it can be continued, else ``None`` and why not."""
    try:
        state = json.loads((folder / "checkpoint.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, UnicodeDecodeError):
        return None, "it left no readable checkpoint"
    if state.get("format") != CHECKPOINT_FORMAT:
        return None, "its checkpoint is of another format"
    if state.get("key") != key:
        return None, "the input or the settings changed since"
    data = folder / "data"
    size = data.stat().st_size if data.exists() else 0
    if size < state.get("bytes", 0):
        return None, f"its data holds {size} bytes, fewer than the {state['bytes']} recorded"
    return state, ""


@contextlib.contextmanager
def resumable_output(
    output: str | os.PathLike, key: str, *, resume: bool
) -> Iterator[ResumableRun]:
    """Hold ``output``'s lock and yield its resumable state; rename into place on success.

    With ``resume``, a matching state left by an interrupted run is continued
    (``run.start`` says where); without it, or when it does not match, any
    such state is discarded and the run starts from the beginning. On Ctrl-C
    (or any interruption) the state is kept for a later ``resume``; on an
    error it is removed.

    Raises:
        OutputLockedError: another live process is writing ``output``.
    """
    final = Path(output)
    folder = resume_dir(final)
    with lock_output(final):
        remove_leftovers(final)
        start: dict = {}
        if folder.exists():
            state, why = _read_checkpoint(folder, key)
            if state is not None and resume:
                start = state
                log.info("resuming %s after line %d", final, state.get("lines", 0))
            else:
                if state is not None:
                    why = "it was not asked to resume"
                log.warning(
                    "discarding the partial output of an interrupted run in %s (%s); "
                    "starting from the beginning",
                    folder,
                    why,
                )
                shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(exist_ok=True)
        run = ResumableRun(folder, key, start)
        if not start:
            run.data.unlink(missing_ok=True)
        try:
            yield run
        except (KeyboardInterrupt, SystemExit):
            raise  # kept for --resume
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        os.replace(run.data, final)
        shutil.rmtree(folder, ignore_errors=True)
