"""koembed tokenize: raw corpus -> tokenized corpus + manifest."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import typer

from koembed.cli import _engine
from koembed.cli._app import app
from koembed.cli._display import progress_bars, stderr
from koembed.engines import create_engine
from koembed.text.corpus import read_corpus
from koembed.tokenize import TokenizedCorpus, tokenize_corpus
from koembed.tokenize.checkpoint import resume_dir


@contextlib.contextmanager
def _resumable_interrupt(output: Path | None) -> Iterator[None]:
    """On Ctrl-C of a --resume run, say where the work is kept and how to go on."""
    try:
        yield
    except KeyboardInterrupt:
        if output is None or not resume_dir(output).exists():
            raise
        stderr.print(
            f"interrupted: the lines done are kept in {resume_dir(output)}; "
            f"run the same command again (with --resume) to continue"
        )
        raise typer.Exit(130) from None


@app.command(
    epilog=(
        "Example: koembed tokenize corpora/nsmc.txt -o work/nsmc.mecab "
        "--tokenizer mecab --user-dict my_words.tsv --workers 2"
    )
)
def tokenize(
    inputs: list[str] = typer.Argument(
        ...,
        metavar="INPUT...",
        help="Files, folders, globs, '-' for stdin, or a bundled corpus (kolaw, kobill).",
    ),
    output: Path = typer.Option(..., "--output", "-o", help="Tokenized file to write."),
    tokenizer: str | None = typer.Option(
        None, "--tokenizer", "-t", help="Tokenizer backend (default: mecab)."
    ),
    user_dict: Path | None = typer.Option(
        None, "--user-dict", help="User dictionary TSV: word[<TAB>pos[<TAB>score]]."
    ),
    workers: int | None = typer.Option(
        None,
        "--workers",
        "-w",
        help="Processes to tokenize in (default: one per core; 1 for inputs under 4 MiB).",
    ),
    column: int | None = typer.Option(
        None, "--column", help="Take this 1-based column of delimited lines."
    ),
    delimiter: str = typer.Option(
        "\t", "--delimiter", show_default=False, help="Column separator (TAB by default)."
    ),
    header: bool = typer.Option(False, "--header", help="Skip the first line of each file."),
    encoding: str = typer.Option("utf-8", "--encoding", help="utf-8, cp949, euc-kr or auto."),
    errors: str = typer.Option(
        "strict", "--errors", help="Undecodable lines: strict, replace, skip."
    ),
    normalize: str = typer.Option(
        "nfc",
        "--normalize",
        help="Normalizer chain: nfc, repeat, emoticon, hangul, hangul_digits, url, spacing "
        "(comma-separated, applied in order; 'none' for none).",
    ),
    max_lines: int | None = typer.Option(None, "--max-lines", help="Stop after this many lines."),
    pos: bool = typer.Option(False, "--pos", help="Write token/TAG (analyzers only)."),
    keep_pos: str | None = typer.Option(
        None, "--keep-pos", help="Keep only these tags, e.g. NNG,NNP (analyzers only)."
    ),
    stem: bool = typer.Option(
        False, "--stem", help="okt: verbs and adjectives in dictionary form (했다 -> 하다)."
    ),
    norm: bool = typer.Option(
        False, "--norm", help="okt: correct informal spellings first (되나욬 -> 되나요)."
    ),
    jamo: bool = typer.Option(
        False, "--jamo", help="Decompose every token into jamo after the tokenizer."
    ),
    overwrite: bool = typer.Option(
        False, "--overwrite", help="Replace an existing output made from other input or settings."
    ),
    force: bool = typer.Option(
        False, "--force", help="Tokenize again even if the output is up to date (replaces it)."
    ),
    engine: str = _engine.ENGINE,
    master: str | None = _engine.MASTER,
    resume: bool = typer.Option(
        False,
        "--resume",
        help="Keep a checkpoint so an interrupted run can continue; continue one if found.",
    ),
    # Trainable tokenizers (soynlp, sentencepiece, bpe, wordpiece).
    fit_on: str | None = typer.Option(
        None,
        "--fit-on",
        metavar="FILE",
        help="Train the tokenizer on this text, read like the input (--column...).",
    ),
    tokenizer_model: Path | None = typer.Option(
        None,
        "--tokenizer-model",
        metavar="FOLDER",
        help="Reuse a trained tokenizer (the <output>.tokenizer folder of an earlier run).",
    ),
    vocab_size: int | None = typer.Option(
        None, "--vocab-size", help="Subword vocabulary size (sentencepiece, bpe, wordpiece)."
    ),
    model_type: str | None = typer.Option(
        None, "--model-type", help="sentencepiece model: unigram or bpe."
    ),
    character_coverage: float | None = typer.Option(
        None, "--character-coverage", help="sentencepiece: share of characters covered."
    ),
    min_frequency: int | None = typer.Option(
        None, "--min-frequency", help="Rarer substrings or pairs are not learned (soynlp, bpe...)."
    ),
    soynlp_mode: str | None = typer.Option(
        None, "--soynlp-mode", help="soynlp: l (left part + rest) or maxscore."
    ),
    soynlp_score: str | None = typer.Option(
        None, "--soynlp-score", help="soynlp word score: combined, cohesion or branching."
    ),
) -> None:
    """Tokenize a Korean corpus into one space-separated sentence a line."""
    _engine.use_engine(engine, master)
    corpus = read_corpus(
        inputs,
        column=column,
        delimiter=delimiter,
        header=header,
        encoding=encoding,
        errors=errors,
        normalize=normalize,
        max_lines=max_lines,
    )
    options = _given(
        pos=pos,
        keep_pos=keep_pos or None,
        vocab_size=vocab_size,
        model_type=model_type,
        character_coverage=character_coverage,
        min_frequency=min_frequency,
        soynlp_mode=soynlp_mode,
        soynlp_score=soynlp_score,
        stem=stem,
        norm=norm,
    )
    with progress_bars() as progress, _resumable_interrupt(output if resume else None):
        result = tokenize_corpus(
            corpus,
            output,
            tokenizer=tokenizer,
            user_dict=str(user_dict) if user_dict else None,
            workers=workers,
            overwrite=overwrite,
            progress=progress,
            fit_on=fit_on,
            tokenizer_model=tokenizer_model,
            jamo=jamo,
            resume=resume,
            force=force,
            engine=engine,
            **options,
        )
    _say_what_was_done(result, corpus.errors)


def _given(**options: object) -> dict[str, object]:
    """The backend options given on the command line (flags left off and unset ones dropped)."""
    # "is", not "in (None, False)": 0 == False, and --vocab-size 0 is given (and refused).
    return {
        key: value for key, value in options.items() if value is not None and value is not False
    }


def _say_what_was_done(result: TokenizedCorpus, errors: str) -> None:
    """The summary lines: the output reused, or what was written, where and how fast."""
    manifest = result.manifest
    if result.reused:
        stderr.print(
            f"{result.path} is up to date (same input and settings, made "
            f"{manifest.get('created', '?')}): reused it, {manifest['lines']:,} lines, "
            f"{manifest['tokens']:,} tokens; pass --force to tokenize again"
        )
        return
    if "resumed_after_line" in manifest:
        stderr.print(f"resumed after line {manifest['resumed_after_line']:,}")
    rate = manifest["lines"] / manifest["seconds"] if manifest["seconds"] else 0
    bad = manifest["undecodable_lines"]
    affected = (
        f" ({bad:,} with bytes not valid in the encoding "
        f"{'replaced' if errors == 'replace' else 'left out'})"
        if bad
        else ""
    )
    ran_on = create_engine(manifest["engine"]).describe(manifest["workers"])
    stderr.print(
        f"wrote {result.path}: {manifest['lines']:,} lines{affected}, "
        f"{manifest['tokens']:,} tokens "
        f"in {manifest['seconds']:.1f} s ({rate:,.0f} lines/s, {ran_on})"
    )
    if "tokenizer_training" in manifest:
        model = manifest["pipeline"]["tokenizer"]["model"]
        stderr.print(f"trained tokenizer saved in {result.path.parent / model}")
