"""The first pass of counting: the corpus read a chunk at a time, and the
vocabulary of its frequent words (:func:`build_vocabulary`).

Both passes of :mod:`koembed.counts.cooccur` read the corpus through
:func:`read_chunks`, so they see the same lines.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from koembed.errors import BadInputError
from koembed.progress import ProgressCallback, report
from koembed.text.files import not_utf8_error

log = logging.getLogger(__name__)

#: Bytes of the corpus read at a time.
CHUNK_BYTES = 4 << 20


@dataclass
class Vocabulary:
    """Words kept for counting, most frequent first, with their corpus counts."""

    words: list[str]
    counts: np.ndarray
    tokens: int = 0  # all tokens in the corpus, kept or not
    lines: int = 0
    _index: dict[str, int] | None = field(default=None, repr=False)

    def __len__(self) -> int:
        return len(self.words)

    @property
    def index(self) -> dict[str, int]:
        if self._index is None:
            self._index = {word: i for i, word in enumerate(self.words)}
        return self._index

    def encode(self, sentences: Sequence[list[str]]) -> tuple[np.ndarray, np.ndarray]:
        """Word ids of the in-vocabulary tokens, and where each line starts."""
        lengths = np.fromiter(map(len, sentences), dtype=np.int64, count=len(sentences))
        get = self.index.get
        ids = np.fromiter(
            (get(token, -1) for tokens in sentences for token in tokens),
            dtype=np.int32,
            count=int(lengths.sum()),
        )
        known = ids >= 0
        line_of = np.repeat(np.arange(len(sentences)), lengths)
        kept = np.bincount(line_of[known], minlength=len(sentences))
        starts = np.zeros(len(sentences) + 1, dtype=np.int64)
        np.cumsum(kept, out=starts[1:])
        return ids[known], starts


def read_chunks(corpus: Any, chunk_bytes: int) -> Iterator[tuple[list[list[str]], int, int | None]]:
    """Yield (token lists, bytes or lines done, total) a bounded chunk at a time.

    A tokenized file (or anything with a ``.path``) is read in binary blocks,
    which is faster than line iteration and gives byte progress.
    """
    path = getattr(corpus, "path", None)
    if path is None and isinstance(corpus, (str, os.PathLike)):
        path = corpus
    if path is not None:
        total = os.path.getsize(path)
        done = 0
        with open(path, "rb") as handle:
            while True:
                block = handle.readlines(chunk_bytes)
                if not block:
                    return
                done += sum(map(len, block))
                try:
                    text = b"".join(block).decode("utf-8")
                except UnicodeDecodeError:
                    raise not_utf8_error(path) from None
                yield [line.split() for line in _lines(text)], done, total
    if iter(corpus) is corpus:
        raise BadInputError(
            "the corpus is a one-shot iterator (a generator?), but counting reads it twice; "
            "pass a list, a TokenizedCorpus or a tokenized file path"
        )
    batch: list[list[str]] = []
    lines = 0
    for sentence in corpus:
        if isinstance(sentence, str):
            raise BadInputError("the corpus yields strings; counting needs lists of tokens")
        batch.append(list(sentence))
        lines += 1
        if len(batch) >= 10_000:
            yield batch, lines, None
            batch = []
    if batch:
        yield batch, lines, None


def _lines(text: str) -> list[str]:
    # The lines a text-mode read would give (universal newlines), so counts
    # see the same sentences as iterating a TokenizedCorpus; str.splitlines
    # would also break at U+2028, U+0085 and other separators.
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and not lines[-1]:
        lines.pop()
    return lines


def build_vocabulary(
    corpus: Any,
    *,
    min_count: int = 5,
    max_vocab: int | None = None,
    progress: ProgressCallback | None = None,
) -> Vocabulary:
    """Count the words of ``corpus`` and keep the frequent ones.

    Args:
        corpus: a TokenizedCorpus, a tokenized file path, or a re-iterable of
            token lists.
        min_count: keep words seen at least this often.
        max_vocab: keep at most this many (the most frequent; ties by word).

    Raises:
        BadInputError: a bad argument, or no word frequent enough.
    """
    check_int("min_count", min_count, 1)
    if max_vocab is not None:
        check_int("max_vocab", max_vocab, 1)
    counter: Counter[str] = Counter()
    lines = 0
    for sentences, done, total in read_chunks(corpus, CHUNK_BYTES):
        for tokens in sentences:
            counter.update(tokens)
        lines += len(sentences)
        report(progress, "count words", done, total, "bytes" if total else "lines")
    tokens = sum(counter.values())
    kept = sorted(
        ((word, count) for word, count in counter.items() if count >= min_count),
        key=lambda item: (-item[1], item[0]),
    )
    if max_vocab is not None:
        kept = kept[:max_vocab]
    if not kept:
        raise BadInputError(
            f"no word occurs {min_count} times or more in the corpus "
            f"({tokens:,} tokens); lower min_count or use a larger corpus",
            parameters=("min_count",),
        )
    log.info("vocabulary: %d of %d distinct words, %d tokens", len(kept), len(counter), tokens)
    return Vocabulary(
        [word for word, _ in kept],
        np.fromiter((count for _, count in kept), dtype=np.int64, count=len(kept)),
        tokens=tokens,
        lines=lines,
    )


def check_int(name: str, value: Any, low: int, high: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise BadInputError(f"{name}={value!r} must be an int")
    if value < low or (high is not None and value > high):
        allowed = f"{low} to {high}" if high is not None else f">= {low}"
        raise BadInputError(f"{name}({value}) must be {allowed}")
