"""Word vectors that also answer for unseen words, from character n-grams.

fastText (Bojanowski et al. 2017) learns a vector for every hashed character
n-gram besides every word; a word outside the vocabulary gets the mean of its
n-grams' vectors. A subword model directory keeps those bucket vectors as a
plain ``ngrams.npy`` (loaded memory-mapped, no pickle) and the n-gram settings
in ``koembed.json`` under ``subword``::

    "subword": {"min_n": 3, "max_n": 6, "bucket": 2000000, "jamo": false}

N-grams are hashed with gensim's own functions, so an unseen word gets
exactly the vector gensim's ``wv[word]`` gives it.

With ``jamo`` true the model was trained on jamo-decomposed tokens
(:mod:`koembed.text.jamo`), but its vocabulary is stored composed back into
syllables: users query and read syllables, and only the n-gram lookup works on
jamo. Composing is exact here because ``decompose(compose(x)) == x`` for any
``x``, so two training tokens never compose to the same word.
"""

from __future__ import annotations

import numpy as np

from koembed.errors import BadInputError
from koembed.models.embeddings import Embeddings
from koembed.models.vectors import UnknownWordError
from koembed.text.jamo import decompose

NGRAMS = "ngrams"  # the extra array name: saved as ngrams.npy


class SubwordEmbeddings(Embeddings):
    """:class:`Embeddings` whose unseen words get vectors from n-gram buckets.

    Constructed as :class:`Embeddings` (words in syllables even for a jamo
    model); ``meta`` must hold ``subword`` with ``min_n``, ``max_n``,
    ``bucket`` and ``jamo``, and ``arrays`` must hold ``ngrams``, the
    ``(bucket, dim)`` n-gram matrix.

    Raises:
        BadInputError: the n-gram settings or matrix are missing or do not fit.
    """

    kind = "subword"

    def _check_arrays(self) -> None:
        settings = self.meta.get("subword")
        ngrams = self.arrays.get(NGRAMS)
        if not isinstance(settings, dict) or ngrams is None:
            raise BadInputError(
                "a subword model needs 'subword' settings in koembed.json and ngrams.npy; "
                "train the model again"
            )
        try:
            self.min_n = int(settings["min_n"])
            self.max_n = int(settings["max_n"])
            self.bucket = int(settings["bucket"])
            self.jamo = bool(settings.get("jamo", False))
        except (KeyError, TypeError, ValueError):
            raise BadInputError(
                f"koembed.json 'subword' settings {settings!r} need min_n, max_n and bucket; "
                f"train the model again"
            ) from None
        if ngrams.ndim != 2 or ngrams.shape != (self.bucket, self.dim):
            raise BadInputError(
                f"ngrams.npy has shape {ngrams.shape} but the model says "
                f"{self.bucket} buckets x {self.dim} dims; train the model again"
            )

    @property
    def ngrams(self) -> np.ndarray:
        return self.arrays[NGRAMS]

    def ngram_buckets(self, word: str) -> list[int]:
        """Bucket rows of ``word``'s n-grams (of its jamo for a jamo model)."""
        if self.bucket == 0:
            return []
        from gensim.models.fasttext_inner import compute_ngrams_bytes, ft_hash_bytes

        if self.jamo:
            word = decompose(word)
        return [
            ft_hash_bytes(ngram) % self.bucket
            for ngram in compute_ngrams_bytes(word, self.min_n, self.max_n)
        ]

    def subword_vector(self, word: str) -> np.ndarray | None:
        """The mean of ``word``'s n-gram vectors; ``None`` if it has no n-gram.

        Summed in float32 in n-gram order, as gensim does, so the result equals
        gensim's ``wv[word]`` bit for bit.
        """
        buckets = self.ngram_buckets(word)
        if not buckets:
            return None
        total = np.zeros(self.dim, dtype=np.float32)
        for row in buckets:
            total += self.ngrams[row]
        return total / np.float32(len(buckets))

    def vectors_vocab(self) -> np.ndarray:
        """The vocabulary words' own rows, before their n-grams are averaged in.

        fastText's ``.bin`` keeps these (gensim's ``wv.vectors_vocab``); a word's
        vector is the mean of its own row and its n-grams' rows, so the own row
        is ``vector * (n + 1) - sum(n-gram rows)``, to float precision.
        """
        vectors = np.array(self.vectors, dtype=np.float32)
        for row, word in enumerate(self.words):
            buckets = self.ngram_buckets(word)
            if buckets:
                vectors[row] = vectors[row] * np.float32(len(buckets) + 1) - self.ngrams[
                    buckets
                ].sum(axis=0, dtype=np.float32)
        return vectors

    def vector(self, word: str) -> np.ndarray:
        """A vocabulary word's vector, or else its subword vector.

        Raises:
            UnknownWordError: not in the vocabulary and no n-gram to build from.
        """
        if word in self.index:
            return super().vector(word)
        vector = self.subword_vector(word)
        if vector is None:
            raise UnknownWordError(word, self.suggest(word))
        return vector

    def has_vector(self, token: str) -> bool:
        """In the vocabulary, or with an n-gram to build a vector from."""
        return token in self.index or bool(self.ngram_buckets(token))

    def unit_vector(self, token: str) -> np.ndarray:
        if token in self.index:
            return super().unit_vector(token)
        vector = self.subword_vector(token)
        norm = np.linalg.norm(vector)
        return vector / norm if norm else vector
