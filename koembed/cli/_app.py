"""The typer app every command registers on: one-line errors, logging, ``--version``.

An error's message names library parameters (``min_count``); the handler shows
them as the flags of the command that ran (``--min-count``), as
:mod:`koembed.errors` describes. Groups of subcommands use
:class:`CommandGroup`, so the handler knows which command that was.
"""

from __future__ import annotations

import logging
import re
import sys
from collections.abc import Sequence
from typing import Any

import typer
from typer.core import TyperGroup, TyperOption

from koembed.cli._display import safe
from koembed.errors import KoembedError
from koembed.versions import __version__

# Where CommandGroup leaves the command it resolved (ctx.meta is shared by
# a context and all its children).
_COMMAND = "koembed.command"


class CommandGroup(TyperGroup):
    """A group that records the subcommand it runs, for the error handler."""

    def resolve_command(self, ctx: typer.Context, args: list[str]):
        name, command, rest = super().resolve_command(ctx, args)
        if command is not None:
            ctx.meta[_COMMAND] = command
        return name, command, rest


def with_flags(message: str, parameters: Sequence[str], command: Any) -> str:
    """``message`` with the parameter names in ``parameters`` written as the flags
    of ``command`` (a typer command, or None to leave the message as it is).

    ``name`` and ``name(value)`` become ``--flag`` and ``--flag(value)``;
    ``name=value`` becomes ``--flag value``, and for a boolean flag
    ``name=True`` / ``name=False`` its on / off flag. A name the command has
    no option for stays as it is.
    """
    if command is None:
        return message
    options = {param.name: param for param in command.params if isinstance(param, TyperOption)}
    names = sorted({name for name in parameters if name in options}, key=len, reverse=True)
    if not names:
        return message
    # One pass; each a word of its own: not inside a path, a file name or another word.
    mention = re.compile(
        rf"(?<![^\s(,])(?P<name>{'|'.join(map(re.escape, names))})"
        rf"(?:=(?P<value>'[^']*'|\"[^\"]*\"|[^\s,;)]+))?(?![^\s(),;:])"
    )
    return mention.sub(lambda match: _as_flag(options[match["name"]], match["value"]), message)


def _as_flag(option: TyperOption, value: str | None) -> str:
    flag = _long(option.opts)
    if value is None:
        return flag
    if option.is_flag and value == "True":
        return flag
    if option.is_flag and value == "False" and option.secondary_opts:
        return _long(option.secondary_opts)
    if option.is_flag:
        return f"{flag}={value}"
    quoted = len(value) >= 2 and value[0] == value[-1] and value[0] in "'\""
    if quoted and value[1:-1] and not any(char.isspace() for char in value[1:-1]):
        value = value[1:-1]  # as typed on a command line: --engine spark
    return f"{flag} {value}"


def _long(opts: Sequence[str]) -> str:
    return next((opt for opt in opts if opt.startswith("--")), opts[0])


class _ErrorsAsOneLine(CommandGroup):
    """Turn koembed's errors into one line on stderr and a non-zero exit."""

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except KoembedError as error:
            message = with_flags(str(error), error.parameters, ctx.meta.get(_COMMAND))
            # A message may quote a file's line or a model's word: no raw control codes.
            typer.echo(f"error: {safe(message)}", err=True)
            raise typer.Exit(error.exit_code) from None
        except KeyboardInterrupt:
            typer.echo("interrupted: nothing was written under the output name", err=True)
            raise typer.Exit(130) from None
        except OSError as error:
            where = f" ({error.filename})" if error.filename else ""
            typer.echo(f"error: {error.strerror or error}{where}", err=True)
            raise typer.Exit(1) from None
        except MemoryError:
            typer.echo(
                "error: out of memory; lower --dim (or --bucket), raise --min-count, "
                "use a smaller corpus or fewer --workers",
                err=True,
            )
            raise typer.Exit(1) from None


class _CurrentStderr(logging.StreamHandler):
    """Log to whatever ``sys.stderr`` is when a record is written, not to the
    stream of the first command: the app may run many times in one process
    (tests, notebooks), each with its own stderr."""

    def __init__(self) -> None:
        super().__init__()

    @property
    def stream(self):  # type: ignore[override]
        return sys.stderr

    @stream.setter
    def stream(self, value) -> None:
        pass


app = typer.Typer(
    name="koembed",
    cls=_ErrorsAsOneLine,
    help="Korean text to word vectors: tokenize, train, query and evaluate.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"koembed {__version__}")
        raise typer.Exit()


@app.callback()
def _main_options(
    version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Show the version and exit."
    ),
    verbose: bool = typer.Option(False, "--verbose", "-v", help="Log what the library does."),
) -> None:
    root = logging.getLogger()
    if not root.handlers:  # as basicConfig: leave a host application's logging alone
        handler = _CurrentStderr()
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
        root.addHandler(handler)
    root.setLevel(logging.INFO if verbose else logging.WARNING)
    if not verbose:
        logging.getLogger("gensim").setLevel(logging.WARNING)
