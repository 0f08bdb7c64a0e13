"""koembed tokenize: raw corpus -> tokenized corpus + manifest."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

import typer

from koembed.cli import _engine
from koembed.cli._app import app
from koembed.cli._display import count, progress_bars, rate, stderr
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


# The command's options, declared apart so the command reads as what it does.
INPUTS = typer.Argument(
    ...,
    metavar="INPUT...",
    help="Files, folders, globs, '-' for stdin, or a bundled corpus (kolaw, kobill).",
)
OUTPUT = typer.Option(..., "--output", "-o", help="Tokenized file to write.")
TOKENIZER = typer.Option(None, "--tokenizer", "-t", help="Tokenizer backend (default: mecab).")
USER_DICT = typer.Option(
    None, "--user-dict", help="User dictionary TSV: word[<TAB>pos[<TAB>score]]."
)
WORKERS = typer.Option(
    None,
    "--workers",
    "-w",
    help="Processes to tokenize in (default: one per core; 1 for inputs under 4 MiB).",
)
COLUMN = typer.Option(None, "--column", help="Take this 1-based column of delimited lines.")
DELIMITER = typer.Option(
    "\t", "--delimiter", show_default=False, help="Column separator (TAB by default)."
)
HEADER = typer.Option(False, "--header", help="Skip the first line of each file.")
ENCODING = typer.Option("utf-8", "--encoding", help="utf-8, cp949, euc-kr or auto.")
ERRORS = typer.Option("strict", "--errors", help="Undecodable lines: strict, replace, skip.")
NORMALIZE = typer.Option(
    "nfc",
    "--normalize",
    help="Normalizer chain: nfc, repeat, emoticon, hangul, hangul_digits, url, spacing "
    "(comma-separated, applied in order; 'none' for none).",
)
MAX_LINES = typer.Option(None, "--max-lines", help="Stop after this many lines.")
POS = typer.Option(False, "--pos", help="Write token/TAG (analyzers only).")
KEEP_POS = typer.Option(
    None, "--keep-pos", help="Keep only these tags, e.g. NNG,NNP (analyzers only)."
)
STEM = typer.Option(
    False, "--stem", help="okt: verbs and adjectives in dictionary form (했다 -> 하다)."
)
NORM = typer.Option(
    False, "--norm", help="okt: correct informal spellings first (되나욬 -> 되나요)."
)
JAMO = typer.Option(False, "--jamo", help="Decompose every token into jamo after the tokenizer.")
OVERWRITE = typer.Option(
    False, "--overwrite", help="Replace an existing output made from other input or settings."
)
FORCE = typer.Option(
    False, "--force", help="Tokenize again even if the output is up to date (replaces it)."
)
RESUME = typer.Option(
    False,
    "--resume",
    help="Keep a checkpoint so an interrupted run can continue; continue one if found.",
)
# Trainable tokenizers (soynlp, sentencepiece, bpe, wordpiece).
FIT_ON = typer.Option(
    None,
    "--fit-on",
    metavar="FILE",
    help="Train the tokenizer on this text, read like the input (--column...).",
)
TOKENIZER_MODEL = typer.Option(
    None,
    "--tokenizer-model",
    metavar="FOLDER",
    help="Reuse a trained tokenizer (the <output>.tokenizer folder of an earlier run).",
)
VOCAB_SIZE = typer.Option(
    None, "--vocab-size", help="Subword vocabulary size (sentencepiece, bpe, wordpiece)."
)
MODEL_TYPE = typer.Option(None, "--model-type", help="sentencepiece model: unigram or bpe.")
CHARACTER_COVERAGE = typer.Option(
    None, "--character-coverage", help="sentencepiece: share of characters covered."
)
MIN_FREQUENCY = typer.Option(
    None, "--min-frequency", help="Rarer substrings or pairs are not learned (soynlp, bpe...)."
)
SOYNLP_MODE = typer.Option(None, "--soynlp-mode", help="soynlp: l (left part + rest) or maxscore.")
SOYNLP_SCORE = typer.Option(
    None, "--soynlp-score", help="soynlp word score: combined, cohesion or branching."
)


@app.command(
    epilog=(
        "Example: koembed tokenize corpora/nsmc.txt -o work/nsmc.mecab "
        "--tokenizer mecab --user-dict my_words.tsv --workers 2"
    )
)
def tokenize(
    inputs: list[str] = INPUTS,
    output: Path = OUTPUT,
    tokenizer: str | None = TOKENIZER,
    user_dict: Path | None = USER_DICT,
    workers: int | None = WORKERS,
    column: int | None = COLUMN,
    delimiter: str = DELIMITER,
    header: bool = HEADER,
    encoding: str = ENCODING,
    errors: str = ERRORS,
    normalize: str = NORMALIZE,
    max_lines: int | None = MAX_LINES,
    pos: bool = POS,
    keep_pos: str | None = KEEP_POS,
    stem: bool = STEM,
    norm: bool = NORM,
    jamo: bool = JAMO,
    overwrite: bool = OVERWRITE,
    force: bool = FORCE,
    engine: str = _engine.ENGINE,
    master: str | None = _engine.MASTER,
    resume: bool = RESUME,
    fit_on: str | None = FIT_ON,
    tokenizer_model: Path | None = TOKENIZER_MODEL,
    vocab_size: int | None = VOCAB_SIZE,
    model_type: str | None = MODEL_TYPE,
    character_coverage: float | None = CHARACTER_COVERAGE,
    min_frequency: int | None = MIN_FREQUENCY,
    soynlp_mode: str | None = SOYNLP_MODE,
    soynlp_score: str | None = SOYNLP_SCORE,
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
    bad = manifest["undecodable_lines"]
    affected = (
        f" ({bad:,} with bytes not valid in the encoding "
        f"{'replaced' if errors == 'replace' else 'left out'})"
        if bad
        else ""
    )
    ran_on = create_engine(manifest["engine"]).describe(manifest["workers"])
    speed = rate(manifest["lines"], manifest["seconds"], "lines")
    stderr.print(
        f"wrote {result.path}: {count(manifest['lines'], 'line')}{affected}, "
        f"{count(manifest['tokens'], 'token')} in {manifest['seconds']:.1f} s "
        f"({speed + ', ' if speed else ''}{ran_on})"
    )
    training = manifest.get("tokenizer_training")
    if training is not None:
        folder = result.path.parent / manifest["pipeline"]["tokenizer"]["model"]
        if "loaded_from" in training:
            said = f"trained tokenizer reused from {training['loaded_from']}, copied to {folder}"
            stderr.print(said, markup=False, soft_wrap=True)
        else:
            stderr.print(f"trained tokenizer saved in {folder}", markup=False, soft_wrap=True)
