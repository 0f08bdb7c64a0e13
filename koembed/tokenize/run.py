"""Tokenize a corpus, on an engine, into a tokenized corpus file plus manifest.

The output is the format word2vec tools read: one sentence a line, tokens
separated by single spaces. Beside it, ``<output>.manifest.json`` records the
input, the normalizer and tokenizer (with the user dictionary), and counts,
so models trained on it can tokenize queries the same way.

A run goes in named steps: the plan (:mod:`koembed.tokenize.plan`: the
tokenizer, what it trains on, the outputs), the reuse check, the output
opened (resumable or not), the fit, the trained tokenizer saved, the lines
tokenized by the engine (:mod:`koembed.engines`), and the manifest.
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

from koembed.engines import DEFAULT_ENGINE, TokenizeJob, create_engine
from koembed.errors import BadInputError, KoembedError
from koembed.outputs import atomic_output
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
from koembed.tokenize.fingerprint import difference, request_key
from koembed.tokenize.fit import fit_tokenizer
from koembed.tokenize.plan import RunPlan, choose_tokenizer, plan_run
from koembed.tokenizers.base import Tokenizer
from koembed.tokenizers.trained import (
    ARTEFACT_META,
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


def auto_workers(corpus: Corpus) -> int:
    """Worker processes for ``corpus`` when none were asked for: one per core,
    or 1 below :data:`AUTO_WORKERS_MIN_BYTES` on disk."""
    size = corpus.total_bytes
    if size is not None and size < AUTO_WORKERS_MIN_BYTES:
        return 1
    return os.cpu_count() or 1


def _check_workers(workers: object) -> None:
    """Refuse a worker count that is not a positive int, or far more than the cores."""
    if isinstance(workers, bool) or not isinstance(workers, int) or workers < 1:
        raise BadInputError(f"workers must be 1 or more, got {workers!r}", parameters=("workers",))
    cores = os.cpu_count() or 1
    limit = max(8, 4 * cores)
    if workers > limit:
        raise BadInputError(
            f"workers={workers} is more than {limit} (4 per core; this machine has {cores}): "
            f"each worker is a process with its own tokenizer, and more than the cores "
            f"only cost memory; use workers={cores}",
            parameters=("workers",),
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
    engine: str = DEFAULT_ENGINE,
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
        engine: a registered engine (:data:`koembed.registry.ENGINES`):
            ``"local"`` (processes on this machine, the default) or ``"spark"``
            (Spark partitions, see :mod:`koembed.engines.spark`; the same
            tokens). With Spark, an ``output`` ending in ``.parquet`` is written
            as a Parquet dataset (a folder) with one column ``tokens``.
        **tokenizer_options: backend options, e.g. ``pos=True``.

    Returns:
        The :class:`TokenizedCorpus` written (or reused).

    Raises:
        UnknownNameError: no such engine or tokenizer (the message lists them).
        KoembedError: bad input, options, or an existing output.
    """
    runner = create_engine(engine)
    if not isinstance(corpus, Corpus):
        corpus = read_corpus(corpus)
    if workers is None:
        workers = auto_workers(corpus)
    _check_workers(workers)
    workers = runner.usable_workers(workers)
    chosen = choose_tokenizer(tokenizer, user_dict, tokenizer_options, tokenizer_model, fit_on)
    plan = plan_run(corpus, output, runner, workers, chosen, fit_on, tokenizer_model, jamo, resume)
    if plan.request is not None and not force:
        reused = _reusable(Path(output), plan.request, overwrite)
        if reused is not None:
            return reused
    plan.claim_outputs(overwrite or force)
    started = time.perf_counter()
    with contextlib.ExitStack() as stack:
        run, data = _open_data(plan, stack, resume)
        training = _fit(plan, run, progress)
        plan.tokenizer.prepare()  # fail here, before any worker starts, on a bad setup
        meta_tmp = stack.enter_context(atomic_output(plan.meta_path))
        worker_spec, manifest_spec = _save_tokenizer(plan, stack, run, training)
        counts = _tokenize_on_engine(plan, run, data, worker_spec, progress)
        _check_tokens(plan, counts, data)
        seconds = time.perf_counter() - started
        manifest = _manifest(plan, manifest_spec, training, counts, data, seconds, run)
        _write_manifest(meta_tmp, manifest)
    _finish(corpus, counts, seconds, progress)
    return TokenizedCorpus(path=plan.output, manifest=manifest)


# -- the steps of a run, in order ---------------------------------------------------


def _open_data(
    plan: RunPlan, stack: contextlib.ExitStack, resume: bool
) -> tuple[ResumableRun | None, Path]:
    """The resumable run (or ``None``) and the temporary file the tokens go to."""
    if not resume:
        return None, stack.enter_context(atomic_output(plan.output, directory=plan.parquet))
    assert plan.request is not None  # checked by plan_run
    run = stack.enter_context(resumable_output(plan.output, request_key(plan.request), resume=True))
    if plan.trained and run.start and (run.tokenizer_dir / ARTEFACT_META).exists():
        # Trained by the interrupted run: load it, as training again need not
        # give the same tokenizer.
        plan.use_tokenizer(load_tokenizer(run.tokenizer_dir))
        plan.fit_source = None
    return run, run.data


def _fit(plan: RunPlan, run: ResumableRun | None, progress: ProgressCallback | None) -> dict:
    """Train a trainable tokenizer if it needs it; return what the manifest records of it."""
    if plan.fit_source is not None:
        assert isinstance(plan.tokenizer, TrainableTokenizer)
        return fit_tokenizer(plan.tokenizer, plan.fit_source, plan.corpus.normalizer, progress)
    if run is not None and run.start.get("training") is not None:
        return run.start["training"]
    if plan.tokenizer_model is not None:
        return {"loaded_from": str(Path(plan.tokenizer_model).resolve())}
    if isinstance(plan.tokenizer, TrainableTokenizer):
        return dict(plan.tokenizer.fitted_ or {})
    return {}


def _save_tokenizer(
    plan: RunPlan, stack: contextlib.ExitStack, run: ResumableRun | None, training: dict
) -> tuple[dict, dict]:
    """Save a trained tokenizer beside the output, before tokenizing (the workers
    load it, as queries will); return the pipeline specs for the workers and
    for the manifest."""
    spec = plan.pipeline.spec()
    tokenizer = plan.tokenizer
    if not isinstance(tokenizer, TrainableTokenizer):
        return spec, spec
    model_tmp = stack.enter_context(atomic_output(plan.artefact, directory=True))
    if run is None:
        tokenizer.save_files(model_tmp)
    else:
        # Kept in the resume folder, so a resumed run uses the same one.
        if not (run.tokenizer_dir / ARTEFACT_META).exists():
            shutil.rmtree(run.tokenizer_dir, ignore_errors=True)
            tokenizer.save_files(run.tokenizer_dir)
            run.save_training(training)
        shutil.copytree(run.tokenizer_dir, model_tmp, dirs_exist_ok=True)
    # The manifest's is relative to its folder, so output and folder can move together.
    return with_model(spec, model_tmp.resolve()), with_model(spec, plan.artefact.name)


def _tokenize_on_engine(
    plan: RunPlan,
    run: ResumableRun | None,
    data: Path,
    spec: dict,
    progress: ProgressCallback | None,
) -> dict[str, int]:
    """Have the engine tokenize the corpus into ``data``; a resumed run goes on
    from its checkpoint."""
    if run is not None and run.start and data.exists():
        os.truncate(data, run.start["bytes"])  # drop what came after the checkpoint
    job = TokenizeJob(
        corpus=plan.corpus,
        pipeline=plan.pipeline,
        spec=spec,
        target=data,
        parquet=plan.parquet,
        workers=plan.workers,
        progress=progress,
        done=run.start if run is not None and run.start else None,
        checkpoint=run.save if run is not None else None,
    )
    return plan.engine.tokenize(job)


def _check_tokens(plan: RunPlan, counts: dict[str, int], data: Path) -> None:
    """Refuse a corpus that gave no tokens; warn about one without Hangul."""
    if counts["tokens"] == 0:
        raise BadInputError(
            f"corpus {_describe_paths(plan.corpus)} gave no tokens "
            f"({counts['lines']} lines read); check the input, column and encoding",
            parameters=("column", "encoding"),
        )
    if not plan.parquet and not _has_hangul(data):
        log.warning(
            "corpus %s holds no Hangul at all; if it is Korean text, check its encoding "
            "(auto reads cp949/euc-kr) and the column read",
            _describe_paths(plan.corpus),
        )


def _manifest(
    plan: RunPlan,
    spec: dict,
    training: dict,
    counts: dict[str, int],
    data: Path,
    seconds: float,
    run: ResumableRun | None,
) -> dict:
    """What the manifest records of the run."""
    corpus = plan.corpus
    return {
        "format": MANIFEST_FORMAT,
        "created": datetime.now(timezone.utc).isoformat(timespec="seconds"),
        "input": corpus.describe(),
        "pipeline": spec,
        **({"tokenizer_training": training} if plan.trained else {}),
        "lines": counts["lines"],
        "tokens": counts["tokens"],
        "empty_lines": counts["empty"],
        "undecodable_lines": corpus.stats.bad_lines,
        "encodings": corpus.stats.encodings,
        "bytes": _size(data),
        **({"storage": "parquet"} if plan.parquet else {}),
        "engine": plan.engine.name,
        "workers": plan.workers,
        "seconds": round(seconds, 3),
        **({"resumed_after_line": run.start["lines"]} if run and run.start.get("lines") else {}),
        **({"cache": plan.request} if plan.request is not None else {}),
        "versions": library_versions(),
    }


def _write_manifest(path: Path, manifest: dict) -> None:
    # backslashreplace: a file name that is not UTF-8 (held as lone
    # surrogates) is written as a \udcXX escape, which JSON reads back.
    path.write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2),
        encoding="utf-8",
        errors="backslashreplace",
    )


def _finish(
    corpus: Corpus, counts: dict[str, int], seconds: float, progress: ProgressCallback | None
) -> None:
    """Warn about undecodable lines; end the progress bar."""
    if corpus.stats.bad_lines:
        log.warning(
            "%d line(s) had bytes invalid in the chosen encoding (errors=%s)",
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
