"""How good a model is, and what it looks like: benchmarks, document
classification, plots and exports.

The scoring itself lives with the models (:mod:`koembed.models.benchmarks`,
:mod:`koembed.models.queries`), so a model can score itself
(``model.evaluate_word_pairs(path)``); this package gathers it into reports.
"""

from koembed.evaluate.report import ModelEvaluation, evaluate_model
from koembed.models.benchmarks import (
    AnalogyResult,
    SectionScore,
    WordPairsResult,
    evaluate_word_analogies,
    evaluate_word_pairs,
)
from koembed.models.queries import (
    ANALOGY_METHODS,
    AnalogyAnswer,
    OddOneOut,
    Similarity,
    analogy,
    analogy_resolved,
    analogy_scores,
    doesnt_match,
    doesnt_match_resolved,
    similarity,
    similarity_resolved,
    top_words,
)
from koembed.text.testsets import (
    AnalogyItem,
    WordPair,
    read_analogies,
    read_word_pairs,
    section_kind,
)

__all__ = [
    "ANALOGY_METHODS",
    "AnalogyAnswer",
    "AnalogyItem",
    "AnalogyResult",
    "ModelEvaluation",
    "OddOneOut",
    "SectionScore",
    "Similarity",
    "WordPair",
    "WordPairsResult",
    "analogy",
    "analogy_resolved",
    "analogy_scores",
    "doesnt_match",
    "doesnt_match_resolved",
    "evaluate_model",
    "evaluate_word_analogies",
    "evaluate_word_pairs",
    "read_analogies",
    "read_word_pairs",
    "section_kind",
    "similarity",
    "similarity_resolved",
    "top_words",
]
