"""The typer app every command registers on: one-line errors, logging, ``--version``."""

from __future__ import annotations

import logging
import sys

import typer
from typer.core import TyperGroup

from koembed.cli._display import safe
from koembed.errors import KoembedError
from koembed.versions import __version__


class _ErrorsAsOneLine(TyperGroup):
    """Turn koembed's errors into one line on stderr and a non-zero exit."""

    def invoke(self, ctx: typer.Context):
        try:
            return super().invoke(ctx)
        except KoembedError as error:
            # A message may quote a file's line or a model's word: no raw control codes.
            typer.echo(f"error: {safe(str(error))}", err=True)
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
