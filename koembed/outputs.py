"""Writing outputs so that nothing half-written ever has the final name.

Every file or directory koembed produces is written under a temporary name
in the same folder and renamed into place only when complete. An interrupted
run leaves the previous output (or nothing) under the final name.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator, Sequence
from pathlib import Path

from koembed.errors import BadInputError, OutputExistsError


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


def _remove(path: Path) -> None:
    if path.is_dir() and not path.is_symlink():
        shutil.rmtree(path, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()


@contextlib.contextmanager
def atomic_output(path: str | os.PathLike, *, directory: bool = False) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` on success.

    On any exception (Ctrl-C included) the temporary output is removed and the
    previous ``path``, if any, is left untouched. Call :func:`check_output`
    first: this function replaces whatever is at ``path``.
    """
    final = Path(path)
    temporary = final.with_name(f".{final.name}.partial-{os.getpid()}")
    _remove(temporary)
    if directory:
        temporary.mkdir(parents=True)
    try:
        yield temporary
    except BaseException:
        _remove(temporary)
        raise
    if directory and final.exists():
        # A directory cannot be renamed over a non-empty one: move the old one
        # aside first, so that at every moment one complete copy exists.
        old = final.with_name(f".{final.name}.old-{os.getpid()}")
        os.replace(final, old)
        os.replace(temporary, final)
        _remove(old)
    else:
        os.replace(temporary, final)
