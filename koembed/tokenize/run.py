"""Tokenize a corpus, in parallel, into a tokenized corpus file plus manifest.

The output is the format word2vec tools read: one sentence a line, tokens
separated by single spaces. Beside it, ``<output>.manifest.json`` records the
input, the normalizer and tokenizer (with the user dictionary), and counts,
so models trained on it can tokenize queries the same way.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import re
import shutil
import time
from collections.abc import Sequence
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

from koembed.errors import BadInputError, KoembedError
from koembed.outputs import atomic_output, check_output
from koembed.progress import ProgressCallback, report
from koembed.text.corpus import Corpus, read_corpus
from koembed.text.userdict import UserDictionary
from koembed.tokenize.checkpoint import ResumableRun, resumable_output
from koembed.tokenize.corpus import (
    MANIFEST_FORMAT,
    TokenizedCorpus,
    manifest_path,
    open_tokenized,
)
from koembed.tokenize.fingerprint import difference, request_key, tokenize_request
from koembed.tokenize.fit import fit_corpus, fit_tokenizer, load_trained_tokenizer
from koembed.tokenize.pool import tokenize_lines
from koembed.tokenizers.base import Tokenizer, create_tokenizer
from koembed.tokenizers.spec import TextPipeline
from koembed.tokenizers.trained import (
    ARTEFACT_META,
    ARTEFACT_SUFFIX,
    TrainableTokenizer,
    load_tokenizer,
    with_model,
)
from koembed.versions import library_versions

log = logging.getLogger(__name__)

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
    :mod:`koembed.tokenize.cache` for what counts as unchanged); one made otherwise is
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
        user_dict: a user-dictionary file (see :mod:`koembed.text.userdict`).
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
            :mod:`koembed.tokenize.checkpoint`).
        force: tokenize again even if ``output`` is up to date (replaces it).
        engine: ``"local"`` (processes on this machine) or ``"spark"`` (Spark
            partitions, see :mod:`koembed.engines.spark`; the same tokens). With
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
        tokenizer = load_trained_tokenizer(
            tokenizer_model, tokenizer, user_dict, tokenizer_options, fit_on
        )
    elif isinstance(tokenizer, Tokenizer):
        if user_dict is not None or tokenizer_options:
            raise BadInputError("pass user_dict and options to create_tokenizer, not here")
    else:
        tokenizer = create_tokenizer(tokenizer or "mecab", user_dict=user_dict, **tokenizer_options)
    trained = isinstance(tokenizer, TrainableTokenizer)
    fit_source = fit_corpus(corpus, tokenizer, fit_on)
    inputs = [
        *corpus.sources,
        *corpus.paths,
        *((*fit_source.sources, *fit_source.paths) if fit_source is not None else ()),
    ]
    pipeline = TextPipeline(tokenizer, corpus.normalizer, jamo=jamo)
    request = tokenize_request(corpus, pipeline, fit_source, tokenizer_model)
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
            run = stack.enter_context(resumable_output(output, request_key(request), resume=True))
            data_tmp = run.data
            saved = run.tokenizer_dir / ARTEFACT_META
            if trained and run.start and saved.exists():
                # Trained by the interrupted run: load it, as training again
                # need not give the same tokenizer.
                tokenizer = load_tokenizer(run.tokenizer_dir)
                pipeline = TextPipeline(tokenizer, corpus.normalizer, jamo=jamo)
                fit_source = None
        else:
            data_tmp = stack.enter_context(atomic_output(output, directory=parquet))
        training: dict[str, Any] = {}
        if fit_source is not None:
            training = fit_tokenizer(tokenizer, fit_source, corpus.normalizer, progress)
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
            from koembed.engines.spark import tokenize_with_spark

            if parquet:
                counts = tokenize_with_spark(
                    corpus, worker_spec, None, progress, parquet_output=data_tmp
                )
            else:
                with open(data_tmp, "w", encoding="utf-8", newline="\n") as sink:
                    counts = tokenize_with_spark(corpus, worker_spec, sink, progress)
        else:
            with open(data_tmp, "a", encoding="utf-8", newline="\n") as sink:
                counts = tokenize_lines(corpus, pipeline, worker_spec, sink, workers, progress, run)
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
    from koembed.engines.spark import check_engine, is_parquet

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
        why = difference(recorded, request)
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


# -- the work itself, in this process or in workers ---------------------------
