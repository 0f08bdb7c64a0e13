"""One error family for everything koembed reports to a user.

Every error carries a message that says what is wrong, where, and how to fix
it, so the CLI can print it as one line and exit non-zero.
"""

from __future__ import annotations

from collections.abc import Iterable


class KoembedError(Exception):
    """Base class: a problem the user can fix. ``str(error)`` is one line."""

    exit_code = 1


class UnknownNameError(KoembedError, KeyError):
    """A tokenizer, trainer, normalizer or corpus name that is not registered."""

    def __init__(self, kind: str, name: str, valid: Iterable[str]):
        self.kind = kind
        self.name = name
        self.valid = sorted(valid)
        kinds = f"{kind}es" if kind.endswith("s") else f"{kind}s"  # corpus -> corpuses
        super().__init__(f"unknown {kind} {name!r}; valid {kinds}: {', '.join(self.valid)}")

    def __str__(self) -> str:  # KeyError would quote the message otherwise
        return self.args[0]

    def __reduce__(self):  # rebuilt from its arguments when sent back by a worker
        return type(self), (self.kind, self.name, self.valid)


class MissingDependencyError(KoembedError, ImportError):
    """An optional dependency is not installed; names the pip extra."""

    def __init__(self, package: str, extra: str, what: str):
        self.package = package
        self.extra = extra
        self.what = what
        super().__init__(
            f"{what} needs the Python package {package!r}, which is not installed; "
            f"install it with: pip install 'koembed[{extra}]'"
        )

    def __reduce__(self):
        return type(self), (self.package, self.extra, self.what)


class BadInputError(KoembedError, ValueError):
    """Input that cannot be used: a file, a line in it, or a parameter value."""


class OutputExistsError(KoembedError, FileExistsError):
    """Refusing to replace an existing output without ``overwrite``."""

    def __init__(self, path: object):
        self.path = path
        super().__init__(f"output {path} already exists; choose another path or pass --overwrite")

    def __reduce__(self):
        return type(self), (self.path,)


class OutputLockedError(KoembedError):
    """Another live koembed process is writing the same output."""


class NotFittedError(KoembedError, RuntimeError):
    """A trainable object was used before it was fitted or loaded."""


class DownloadError(KoembedError, OSError):
    """A corpus could not be fetched or failed its checksum."""
