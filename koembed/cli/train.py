"""koembed train METHOD: corpus -> model directory, one command per registered method.

No method is named here. Each command is made from its trainer's class
(:class:`koembed.trainers.base.Trainer`): an option per ``Param`` (flag, type,
default, help), the summary and the example; then the options every method
shares, the raw-corpus ones (:mod:`koembed.cli._raw`), and ``--master`` where
the method has an ``engine``. A command is made the first time ``koembed
train`` needs it, so the other commands never import a trainer.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import typer
from typer.core import TyperCommand

from koembed.cli import _engine, _raw
from koembed.cli._app import CommandGroup, app
from koembed.cli._display import progress_bars, size_text, stderr
from koembed.errors import KoembedError
from koembed.registry import TRAINERS

CORPUS_HELP = "Tokenized corpus (from 'koembed tokenize'), or raw text with --tokenizer."
DOCUMENTS_HELP = (
    "Tokenized corpus (from 'koembed tokenize'), one document a line; or raw text with --tokenizer."
)

# The options of every method before its parameters, and after them.
BEFORE = {"output": (Path, typer.Option(..., "--output", "-o", help="Model directory to write."))}
AFTER = {
    "binary": (
        bool,
        typer.Option(False, "--binary", help="Also write word2vec binary vectors.bin."),
    ),
    "overwrite": (bool, typer.Option(False, "--overwrite", help="Replace an existing model.")),
}


class _TrainGroup(CommandGroup):
    """``koembed train``: the registered methods, plugins included, as commands."""

    def __init__(self, *args: Any, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.commands = _Commands()

    def list_commands(self, ctx: typer.Context) -> list[str]:
        return list(self.commands)

    def get_command(self, ctx: typer.Context, cmd_name: str) -> Any:
        return self.commands.get(cmd_name)


class _Commands(Mapping[str, Any]):
    """Method name -> its command, made on first use."""

    def __init__(self) -> None:
        self._made: dict[str, Any] = {}

    def __getitem__(self, method: str) -> Any:
        if method not in self._made:
            if method not in TRAINERS:
                raise KeyError(method)
            try:
                self._made[method] = train_command(method)
            except KoembedError as error:  # a plugin that cannot be loaded
                self._made[method] = _unusable(method, error)
            except Exception as error:  # a trainer's declarations typer cannot take
                problem = KoembedError(
                    f"koembed train {method} cannot be made from its trainer's declarations: "
                    + " ".join(f"{type(error).__name__}: {error}".split())
                )
                self._made[method] = _unusable(method, problem)
        return self._made[method]

    def __iter__(self) -> Iterator[str]:
        return iter(TRAINERS)

    def __len__(self) -> int:
        return len(TRAINERS.names())


train_app = typer.Typer(
    cls=_TrainGroup,
    help="Train embeddings on a tokenized corpus; one command per method.",
    no_args_is_help=True,
)
app.add_typer(train_app, name="train")


def train_command(method: str) -> Any:
    """The ``koembed train METHOD`` command, made from the trainer's declarations.

    Raises:
        UnknownNameError, PluginError: ``method`` cannot be found or loaded.
    """
    from koembed.documents.base import DocumentTrainer

    trainer = TRAINERS.get(method)
    shared = {"ctx", "corpus", "master", *BEFORE, *AFTER, *_raw.OPTIONS}
    clash = sorted(set(trainer.params) & shared)
    if clash:
        raise KoembedError(
            f"{method}: the parameter {clash[0]!r} has the name of an option every "
            f"training command has; rename it"
        )
    corpus_help = DOCUMENTS_HELP if issubclass(trainer, DocumentTrainer) else CORPUS_HELP
    options = {**BEFORE, **{name: _option(name, spec) for name, spec in trainer.params.items()}}
    engine = options.pop("engine", None)
    options.update(AFTER)
    if engine is not None:
        options.update(engine=engine, master=(str | None, _engine.MASTER))
    options.update(_raw.OPTIONS)
    keyword = inspect.Parameter.KEYWORD_ONLY
    signature = [
        inspect.Parameter("ctx", keyword, annotation=typer.Context),
        inspect.Parameter(
            "corpus", keyword, annotation=Path, default=typer.Argument(..., help=corpus_help)
        ),
        *(
            inspect.Parameter(name, keyword, annotation=kind, default=option)
            for name, (kind, option) in options.items()
        ),
    ]

    def command(**values: Any) -> None:
        _train(values.pop("ctx"), method, values)

    command.__signature__ = inspect.Signature(signature)  # type: ignore[attr-defined]
    command.__annotations__ = {parameter.name: parameter.annotation for parameter in signature}
    single = typer.Typer(add_completion=False)
    single.command(method, help=trainer.describe(), epilog=trainer.example or None)(command)
    return typer.main.get_command(single)


def _option(name: str, spec: Any) -> tuple[Any, Any]:
    """The type and the typer option of one ``Param``."""
    kind = Path if spec.path else spec.kind
    if spec.allow_none or spec.default is None:
        kind = kind | None
    flags = spec.flags or (f"--{name.replace('_', '-')}",)
    if not spec.default_text:
        return kind, typer.Option(spec.default, *flags, help=spec.help)
    described = f"{spec.help.rstrip('.')} (default: {spec.default_text})."
    return kind, typer.Option(spec.default, *flags, help=described, show_default=False)


def _unusable(method: str, error: KoembedError) -> TyperCommand:
    """A command that only reports why ``method`` cannot be used."""

    def fail() -> None:
        raise error

    return TyperCommand(
        method,
        callback=fail,
        help=f"(cannot be used: {error})",
        add_help_option=False,
        context_settings={"ignore_unknown_options": True, "allow_extra_args": True},
    )


def _train(ctx: typer.Context, method: str, values: dict[str, Any]) -> None:
    trainer = TRAINERS.get(method)
    # Only what the user gave: the trainer fills in its defaults, as for an API call
    # (and SIF refuses word2vec settings with a word model only when they are given).
    params = {name: values[name] for name in trainer.params if _given(ctx, name)}
    if "engine" in trainer.params:
        _engine.use_engine(values["engine"], values["master"])
    raw = {name: values[name] for name in _raw.OPTIONS}
    fit_and_save(
        method,
        values["corpus"],
        values["output"],
        binary=values["binary"],
        overwrite=values["overwrite"],
        raw=raw,
        params=params,
    )


def _given(ctx: typer.Context, name: str) -> bool:
    """Whether the option ``name`` was set by the user (not left at its default)."""
    source = ctx.get_parameter_source(name)
    return source is not None and source.name != "DEFAULT"


def fit_and_save(
    method: str,
    corpus: Path,
    output: Path,
    *,
    binary: bool,
    overwrite: bool,
    raw: dict[str, Any],
    params: dict[str, Any],
) -> Any:
    """Check everything first, then (tokenize a raw corpus,) train, save and summarise.

    ``raw`` holds the raw-corpus options (:data:`koembed.cli._raw.OPTIONS`).
    """
    from koembed.outputs import check_output
    from koembed.tokenize import open_tokenized
    from koembed.trainers.base import check_raw_options, create_trainer, training_corpus

    trainer = create_trainer(method, **params)
    check_raw_options(raw["tokenizer"], _raw.set_options(raw))
    if raw["tokenizer"] is None:
        tokenized = open_tokenized(corpus)
        check_output(output, overwrite=overwrite, inputs=[str(corpus)])
    else:
        source = _raw.read(corpus, raw)
        check_output(output, overwrite=overwrite, inputs=list(source.paths))
    with progress_bars() as progress:
        if raw["tokenizer"] is not None:
            # Cached with its manifest, which records the raw input: documents
            # show (and --tag-column reads) the raw lines as from a tokenized file.
            tokenized = training_corpus(trainer, source, progress=progress, **_raw.tokenizing(raw))
            manifest = tokenized.manifest
            done = "reused" if tokenized.reused else "tokenized into"
            stderr.print(
                f"{done} {tokenized.path}: {manifest['lines']:,} lines, "
                f"{manifest['tokens']:,} tokens",
                markup=False,
            )
        model = trainer.fit(tokenized, progress=progress)
    model.save(output, binary=binary, overwrite=overwrite)
    stderr.print(_saved(output, method, model), markup=False)
    return model


def _saved(output: Path, method: str, model: Any) -> str:
    from koembed.models.documents import DocumentModel

    seconds = model.meta["train_seconds"]
    size = size_text(sum(path.stat().st_size for path in output.rglob("*") if path.is_file()))
    if not isinstance(model, DocumentModel):
        return (
            f"saved {output}: {method}, {len(model):,} words x {model.dim} dims, "
            f"trained in {seconds:.1f} s; {size} on disk"
        )
    empty = model.documents.get("empty", 0)
    return (
        f"saved {output}: {method}, {model.n_documents:,} {model.documents['rows']} x "
        f"{model.doc_dim} dims over {model.vocab_size:,} words, trained in {seconds:.1f} s; "
        f"{size} on disk"
        + (f"; {empty:,} with no vocabulary word have {model.empty_vector}" if empty else "")
    )
