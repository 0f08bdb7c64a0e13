"""``koembed evaluate``: both benchmarks on one model, as one report."""

from __future__ import annotations

import os
from dataclasses import dataclass

from koembed.errors import BadInputError
from koembed.models import Embeddings
from koembed.models.benchmarks import (
    AnalogyResult,
    WordPairsResult,
    evaluate_word_analogies,
    evaluate_word_pairs,
)
from koembed.models.queries import Result, check_analogy_method
from koembed.progress import ProgressCallback
from koembed.text.testsets import read_analogies, read_word_pairs


@dataclass
class ModelEvaluation(Result):
    """What ``koembed evaluate`` reports for one model."""

    model: str
    vocab_size: int
    word_pairs: WordPairsResult | None
    analogies: AnalogyResult | None
    #: with ``tokenize``, the analogies as without it (items whose words are all
    #: vocabulary words, answered from the vocabulary): the composed test words
    #: that ``analogies`` adds to the candidates make them a closed set
    analogies_vocabulary: AnalogyResult | None = None

    def to_dict(self) -> dict:
        return {
            "model": self.model,
            "vocab_size": self.vocab_size,
            "word_pairs": self.word_pairs.to_dict() if self.word_pairs else None,
            "analogies": self.analogies.to_dict() if self.analogies else None,
            "analogies_vocabulary": (
                self.analogies_vocabulary.to_dict() if self.analogies_vocabulary else None
            ),
        }


def evaluate_model(
    model: Embeddings,
    *,
    name: str = "",
    ws353: str | os.PathLike | None = None,
    analogy: str | os.PathLike | None = None,
    method: str = "3cosadd",
    topk: int = 1,
    tokenize: bool = False,
    restrict_vocab: int | None = None,
    progress: ProgressCallback | None = None,
) -> ModelEvaluation:
    """Run the word-similarity and/or analogy benchmark on one model.

    Raises:
        BadInputError: neither test file given, or a test file is malformed.
    """
    if ws353 is None and analogy is None:
        raise BadInputError("nothing to evaluate: give a word-pair file, an analogy file or both")
    check_analogy_method(method)
    if topk < 1:
        raise BadInputError(f"topk must be 1 or more, got {topk}", parameters=("topk",))
    # Both files are read before any scoring, so a bad line fails fast.
    pair_list = read_word_pairs(ws353) if ws353 is not None else None
    item_list = read_analogies(analogy) if analogy is not None else None
    pairs = analogies = vocabulary_only = None
    if pair_list is not None:
        pairs = evaluate_word_pairs(
            model, pair_list, tokenize=tokenize, restrict_vocab=restrict_vocab
        )
        pairs.path = str(ws353)
    if item_list is not None:
        analogies = evaluate_word_analogies(
            model,
            item_list,
            method=method,
            topk=topk,
            tokenize=tokenize,
            restrict_vocab=restrict_vocab,
            progress=progress,
        )
        analogies.path = str(analogy)
        if tokenize:
            vocabulary_only = evaluate_word_analogies(
                model, item_list, method=method, topk=topk, restrict_vocab=restrict_vocab
            )
            vocabulary_only.path = str(analogy)
    return ModelEvaluation(name, len(model), pairs, analogies, vocabulary_only)
