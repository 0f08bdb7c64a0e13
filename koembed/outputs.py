"""Writing outputs so that nothing half-written ever has the final name.

Every file or directory koembed produces is written under a temporary name
in the same folder and renamed into place only when complete. An interrupted
run leaves the previous output (or nothing) under the final name.
"""

from __future__ import annotations

import contextlib
import fnmatch
import os
import shutil
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from koembed.errors import BadInputError, OutputExistsError, OutputLockedError


def check_output(
    path: str | os.PathLike, *, overwrite: bool, inputs: Sequence[str | os.PathLike] = ()
) -> Path:
    """Refuse an output that exists (unless ``overwrite``) or is an input.

    Raises:
        OutputExistsError: the output exists and ``overwrite`` is false.
        BadInputError: the output would replace an input, or lies inside one.
    """
    target = Path(path)
    resolved = target.resolve()
    for source in inputs:
        if source == "-":
            continue
        source = os.fspath(source)
        if not os.path.exists(source) and any(char in source for char in "*?["):
            # A glob: an output it matches would be read as input by the next run.
            if fnmatch.fnmatch(str(resolved), os.path.abspath(source)):
                raise BadInputError(
                    f"output {target} matches the input pattern {source!r}, so a later run "
                    f"would read it as input; choose another output path"
                )
            continue
        source_path = Path(source).resolve()
        if resolved == source_path or source_path in resolved.parents:
            raise BadInputError(
                f"output {target} would overwrite the input {source}; choose another output path"
            )
    if (target.exists() or target.is_symlink()) and not overwrite:
        raise OutputExistsError(target)
    if target.parent and not target.parent.exists():
        target.parent.mkdir(parents=True, exist_ok=True)
    return target


def model_inputs(model: object) -> list[str]:
    """The files a loaded model came from, as ``inputs`` for :func:`check_output`:
    a picture or export must not land inside (or replace) its own model."""
    meta = getattr(model, "meta", None) or {}
    sources = [getattr(model, "base_dir", None), meta.get("source")]
    return [os.fspath(source) for source in sources if source]


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # alive, but another user's
        return True
    return True


def _owner(path: Path) -> int | None:
    """The pid in a lock file or a ``.partial-PID``/``.old-PID`` name."""
    try:
        text = path.read_text() if path.name.endswith(".lock") else path.name.rsplit("-", 1)[1]
        return int(text.strip())
    except (OSError, ValueError, IndexError):
        return None


@contextlib.contextmanager
def lock_output(final: Path) -> Iterator[None]:
    """Refuse a second run writing the same output while the first is alive."""
    lock = final.with_name(f".{final.name}.lock")
    for _ in range(2):
        try:
            descriptor = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644)
        except FileExistsError:
            owner = _owner(lock)
            if owner is not None and owner != os.getpid() and _pid_alive(owner):
                raise OutputLockedError(
                    f"another koembed run (pid {owner}) is writing {final}; wait for it to "
                    f"finish, or delete {lock} if no such run is active"
                ) from None
            _remove(lock)  # left by a run that was killed
            continue
        with os.fdopen(descriptor, "w") as handle:
            handle.write(str(os.getpid()))
        break
    try:
        yield
    finally:
        _remove(lock)


@contextlib.contextmanager
def private_temp_dir(kind: str, parent: str | os.PathLike | None = None) -> Iterator[Path]:
    """A private scratch folder ``koembed-KIND-PID-XXXX`` (in ``parent`` or the
    system's temporary folder), removed on exit.

    A run killed by SIGKILL cannot remove its folder, so each call first
    removes the folders of that kind whose run (by the pid in the name) is gone.
    """
    where = Path(parent) if parent is not None else Path(tempfile.gettempdir())
    for leftover in where.glob(f"koembed-{kind}-*-*"):
        try:
            owner = int(leftover.name[len(f"koembed-{kind}-") :].split("-", 1)[0])
        except ValueError:
            continue
        if owner != os.getpid() and not _pid_alive(owner):
            _remove(leftover)
    folder = Path(tempfile.mkdtemp(prefix=f"koembed-{kind}-{os.getpid()}-", dir=where))
    try:
        yield folder
    finally:
        _remove(folder)


def remove_leftovers(final: Path) -> None:
    """Delete temporaries of earlier runs that were killed (SIGKILL, power loss)."""
    for pattern in (f".{final.name}.partial-*", f".{final.name}.old-*"):
        for leftover in final.parent.glob(pattern):
            owner = _owner(leftover)
            if owner is None or _pid_alive(owner):
                continue
            if ".old-" in leftover.name and not final.exists():
                # Killed between moving the previous output aside and renaming
                # the new one in: the previous output is the complete copy.
                os.replace(leftover, final)
            else:
                _remove(leftover)


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike, *, directory: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` on success.

    On any exception (Ctrl-C included) the temporary output is removed and the
    previous ``path``, if any, is left untouched. While it runs, a lock file
    beside ``path`` makes a second run writing the same output refuse; the
    temporaries of runs that were killed outright are cleaned up. Call
    :func:`check_output` first: this function replaces whatever is at ``path``.

    Raises:
        OutputLockedError: another live process is writing ``path``.
    """
    final = Path(path)
    with lock_output(final):
        remove_leftovers(final)
        temporary = final.with_name(f".{final.name}.partial-{os.getpid()}")
        _remove(temporary)
        if directory:
            temporary.mkdir(parents=True)
        try:
            yield temporary
        except BaseException:
            _remove(temporary)
            raise
        if final.exists() and (directory or final.is_dir()):
            # Nothing can be renamed over a non-empty directory, nor a directory
            # over a file: move the old one aside first, so that at every moment
            # one complete copy exists.
            old = final.with_name(f".{final.name}.old-{os.getpid()}")
            os.replace(final, old)
            os.replace(temporary, final)
            _remove(old)
        else:
            os.replace(temporary, final)
