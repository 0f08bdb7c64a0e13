"""What a tokenizing run will do, settled before any work: the tokenizer, what
it trains on, the request that decides reuse, and the outputs it claims."""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from koembed.engines import Engine
from koembed.errors import BadInputError
from koembed.outputs import check_output
from koembed.text.corpus import Corpus
from koembed.text.userdict import UserDictionary
from koembed.tokenize.corpus import manifest_path
from koembed.tokenize.fingerprint import tokenize_request
from koembed.tokenize.fit import fit_corpus, load_trained_tokenizer
from koembed.tokenizers.base import Tokenizer, create_tokenizer
from koembed.tokenizers.spec import TextPipeline
from koembed.tokenizers.trained import ARTEFACT_SUFFIX, TrainableTokenizer


def choose_tokenizer(
    tokenizer: str | Tokenizer | None,
    user_dict: str | os.PathLike | UserDictionary | None,
    options: dict[str, Any],
    tokenizer_model: str | os.PathLike | None,
    fit_on: object,
) -> Tokenizer:
    """The tokenizer to run: loaded from ``tokenizer_model``, the one given, or built by name."""
    if tokenizer_model is not None:
        return load_trained_tokenizer(tokenizer_model, tokenizer, user_dict, options, fit_on)
    if isinstance(tokenizer, Tokenizer):
        if user_dict is not None or options:
            raise BadInputError("pass user_dict and options to create_tokenizer, not here")
        return tokenizer
    return create_tokenizer(tokenizer or "mecab", user_dict=user_dict, **options)


@dataclass
class RunPlan:
    """What one run reads, runs and writes, settled before any work."""

    corpus: Corpus
    output: Path
    engine: Engine
    workers: int
    tokenizer: Tokenizer
    pipeline: TextPipeline
    jamo: bool
    #: What a trainable tokenizer trains on (``None``: no training).
    fit_source: Corpus | None
    tokenizer_model: str | os.PathLike | None
    #: The settings and input fingerprints (``None``: the input cannot be
    #: read again, so the output is neither reused nor resumable).
    request: dict | None
    parquet: bool
    #: What no output may replace.
    inputs: list[str]

    @property
    def trained(self) -> bool:
        return isinstance(self.tokenizer, TrainableTokenizer)

    @property
    def meta_path(self) -> Path:
        return manifest_path(self.output)

    @property
    def artefact(self) -> Path:
        """Where a trained tokenizer is saved, beside the output."""
        return Path(f"{os.fspath(self.output)}{ARTEFACT_SUFFIX}")

    def claim_outputs(self, replace: bool) -> None:
        """Check that the output, its manifest and tokenizer folder may be written."""
        self.output = check_output(self.output, overwrite=replace, inputs=self.inputs)
        check_output(self.meta_path, overwrite=True, inputs=self.inputs)
        if self.trained:
            check_output(self.artefact, overwrite=replace, inputs=self.inputs)

    def use_tokenizer(self, tokenizer: Tokenizer) -> None:
        self.tokenizer = tokenizer
        self.pipeline = TextPipeline(tokenizer, self.corpus.normalizer, jamo=self.jamo)


def plan_run(
    corpus: Corpus,
    output: str | os.PathLike,
    engine: Engine,
    workers: int,
    tokenizer: Tokenizer,
    fit_on: Corpus | str | os.PathLike | Sequence[str] | None,
    tokenizer_model: str | os.PathLike | None,
    jamo: bool,
    resume: bool,
) -> RunPlan:
    """Settle what the run does; refuse what the engine or ``resume`` cannot do.

    Raises:
        BadInputError: an input, output or option the run cannot take.
    """
    fit_source = fit_corpus(corpus, tokenizer, fit_on)
    inputs = [
        *corpus.sources,
        *corpus.paths,
        *((*fit_source.sources, *fit_source.paths) if fit_source is not None else ()),
    ]
    pipeline = TextPipeline(tokenizer, corpus.normalizer, jamo=jamo)
    request = tokenize_request(corpus, pipeline, fit_source, tokenizer_model)
    engine.check_tokenize(corpus, output, resume)
    if resume and request is None:
        raise BadInputError(
            "resume needs input files that can be read again and a tokenizer given by "
            "name or tokenizer_model; standard input (or a tokenizer trained in memory) "
            "cannot be resumed",
            parameters=("resume", "tokenizer_model"),
        )
    return RunPlan(
        corpus=corpus,
        output=Path(output),
        engine=engine,
        workers=workers,
        tokenizer=tokenizer,
        pipeline=pipeline,
        jamo=jamo,
        fit_source=fit_source,
        tokenizer_model=tokenizer_model,
        request=request,
        parquet=engine.writes_parquet(output),
        inputs=inputs,
    )
