"""Windowed co-occurrence counts and the vocabulary they are counted over (GloVe, PPMI)."""

from koembed.counts.cooccur import Cooccurrences, check_memory, count_cooccurrences, iter_pairs
from koembed.counts.table import SCALE
from koembed.counts.vocabulary import Vocabulary, build_vocabulary

__all__ = [
    "SCALE",
    "Cooccurrences",
    "Vocabulary",
    "build_vocabulary",
    "check_memory",
    "count_cooccurrences",
    "iter_pairs",
]
