"""One error family for everything koembed reports to a user.

Every error carries a message that says what is wrong, where, and how to fix
it, so the CLI can print it as one line and exit non-zero.

Parameters in messages. The library names a parameter as its API spells it
(``topn``, ``min_count``), never as a command-line flag, and lists the names
it mentions in ``parameters``::

    raise BadInputError(f"topn({topn}) must be >= 1", parameters=("topn",))

A front end shows them its own way. The CLI's one-line error handler
(``koembed.cli._app``) replaces each listed name by the flag of the command
that ran: ``topn(0) must be >= 1`` is printed ``--topn(0) must be >= 1``,
``name=value`` becomes ``--flag value`` (``engine='spark'`` ->
``--engine spark``), and a boolean ``name=True`` / ``name=False`` becomes its
on or off flag (``sg=False`` -> ``--cbow``). A name the command has no flag
for is left as it is. So write each mention as a word of its own: ``name``,
``name(value)`` or ``name=value`` (a name glued to other text, as in a path
or ``name.txt``, is not replaced), and list only the names that are
parameters of the call that raised.
"""

from __future__ import annotations

from collections.abc import Iterable


class KoembedError(Exception):
    """Base class: a problem the user can fix. ``str(error)`` is one line."""

    exit_code = 1
    #: The parameters the message names (see the module docstring).
    parameters: tuple[str, ...] = ()


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
    """Input that cannot be used: a file, a line in it, or a parameter value.

    ``parameters`` lists the parameter names the message mentions, for a
    front end to show as its own options (see the module docstring).
    """

    def __init__(self, message: str, parameters: Iterable[str] = ()):
        super().__init__(message)
        self.parameters = tuple(parameters)

    def __reduce__(self):  # rebuilt with its parameters when sent back by a worker
        return type(self), (self.args[0], self.parameters)


class OutputExistsError(KoembedError, FileExistsError):
    """Refusing to replace an existing output without ``overwrite``."""

    def __init__(self, path: object):
        self.path = path
        super().__init__(
            f"output {path} already exists; choose another path or pass overwrite=True"
        )
        self.parameters = ("overwrite",)

    def __reduce__(self):
        return type(self), (self.path,)


class OutputLockedError(KoembedError):
    """Another live koembed process is writing the same output."""


class NotFittedError(KoembedError, RuntimeError):
    """A trainable object was used before it was fitted or loaded."""


class DownloadError(KoembedError, OSError):
    """A corpus could not be fetched or failed its checksum."""


class PluginError(KoembedError):
    """A plugin's entry point (a third-party tokenizer or trainer) cannot be loaded.

    ``package`` is the distribution that declares it (with its version), or None.
    """

    def __init__(self, name: str, entry_point: str, package: str | None, problem: str):
        self.name = name
        self.entry_point = entry_point
        self.package = package
        self.problem = problem
        where = f"{entry_point}, from {package}" if package else entry_point
        fix = f"fix it, or uninstall {package.split()[0]}" if package else "fix or remove it"
        super().__init__(f"plugin {name!r} ({where}) cannot be loaded: {problem}; {fix}")

    def __reduce__(self):
        return type(self), (self.name, self.entry_point, self.package, self.problem)
