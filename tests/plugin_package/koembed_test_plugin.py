"""A koembed plugin, as a third party would write one: a tokenizer and a
training method, each found by koembed through its entry point."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

import numpy as np

from koembed.models import Embeddings
from koembed.tokenizers import Tokenizer
from koembed.trainers import Param, Trainer


class LetterTokenizer(Tokenizer):
    """Every character but spaces is a token."""

    name = "letters"

    def _setup(self) -> None:
        pass

    def _tokenize(self, text: str) -> list[str]:
        return [char for char in text if not char.isspace()]


class CountTrainer(Trainer):
    """Each word's vector counts the words that follow it (among the ``dim`` most frequent)."""

    method = "counts"
    summary = "Next-word counts (a test plugin)."
    example = "Example: koembed train counts corpus.tokens -o models/counts --dim 8"
    params = {
        "dim": Param(8, int, 1, 1_000, help="Vector dimensions."),
        "min_count": Param(1, int, 1, help="Ignore words rarer than this."),
    }

    def _fit(self, corpus, params, progress):
        counts: Counter[str] = Counter()
        pairs: Counter[tuple[str, str]] = Counter()
        for tokens in corpus:
            counts.update(tokens)
            pairs.update(pairwise(tokens))
        words = [w for w, n in counts.most_common() if n >= params["min_count"]]
        contexts = {word: i for i, word in enumerate(words[: params["dim"]])}
        vectors = np.ones((len(words), params["dim"]), dtype=np.float32)
        row = {word: i for i, word in enumerate(words)}
        for (word, after), n in pairs.items():
            if word in row and after in contexts:
                vectors[row[word], contexts[after]] += n
        frequencies = np.array([counts[w] for w in words], dtype=np.int64)
        return Embeddings(words, vectors, frequencies, {"corpus_words": sum(counts.values())})
