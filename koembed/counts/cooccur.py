"""Windowed co-occurrence counts, shared by GloVe and PPMI.

Two passes over a tokenized corpus, as the reference GloVe tools make them:

1. :func:`build_vocabulary` counts words and keeps those seen ``min_count``
   times or more (at most ``max_vocab``), most frequent first.
2. :func:`count_cooccurrences` streams the corpus again and adds, for every
   word and every other in-vocabulary word at most ``window`` tokens to its
   left on the same line, a weight to the pair (word, context): ``1/d`` at
   distance ``d`` (GloVe) or 1 (plain counts, as PPMI uses). Symmetric
   counting (the default) also adds the pair the other way round, so each
   word sees ``window`` words on both sides. Out-of-vocabulary tokens are
   dropped before windowing (as GloVe's ``cooccur`` and word2vec do), and a
   window never crosses a line.

The pairs accumulate in a compiled hash table sized to the ``memory`` budget.
When it fills, it is sorted and spilled to a temporary file; at the end the
spilled runs are merged a slice of rows at a time. Weights are added in fixed
point (units of 2^-24) so that every sum is exact: whether and where the
table spilled changes no count, and plain counts are exact integers.
"""

from __future__ import annotations

import logging
import os
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from koembed.errors import BadInputError, MissingDependencyError
from koembed.outputs import private_temp_dir
from koembed.progress import ProgressCallback, report
from koembed.resources import GIB, ram_gib
from koembed.text.files import not_utf8_error

log = logging.getLogger(__name__)

# Fixed-point unit of the weights: 1/d is held as round(2^24 / d) / 2^24, a
# relative error below 1e-7 (finer than float32 vectors resolve), and sums
# of such numbers are exact in int64 up to 5e11 for one pair.
SCALE = 1 << 24
_LOAD = 0.7  # grow or spill the hash table when it is this full
# Bytes per hash slot while counting: key + value, plus (at the most
# occupied) the sort order, a key copy and the sorted keys and values of a spill.
_BYTES_PER_SLOT = 16 + _LOAD * 32
# Bytes per entry while merging: keys + values read back, their sort order
# and buffer, and the converted output.
_BYTES_PER_MERGED = 16 + 16 + 16
# Of the budget, this part goes to the counts; the rest covers corpus chunks.
_TABLE_SHARE = 0.8
# Of the counts' part, this goes to the dense block of frequent pairs.
_DENSE_SHARE = 0.25
_FIRST_CAPACITY = 1 << 20
_CHUNK_BYTES = 4 << 20


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


@dataclass
class Cooccurrences:
    """Sparse co-occurrence counts: ``values[n]`` for the pair
    (``vocabulary.words[rows[n]]``, context ``vocabulary.words[cols[n]]``).

    Entries are sorted by row, then column, with no duplicates.
    """

    vocabulary: Vocabulary
    rows: np.ndarray  # int32
    cols: np.ndarray  # int32
    values: np.ndarray  # float64
    window: int
    distance_weighting: bool
    symmetric: bool
    spills: int = 0  # how many times the table went to disk

    @property
    def nnz(self) -> int:
        return int(self.values.shape[0])

    @property
    def shape(self) -> tuple[int, int]:
        return (len(self.vocabulary), len(self.vocabulary))

    def to_coo(self):
        """The counts as a ``scipy.sparse.coo_matrix`` (shares the arrays)."""
        from scipy.sparse import coo_matrix

        return coo_matrix((self.values, (self.rows, self.cols)), shape=self.shape)

    def to_csr(self):
        """The counts as a ``scipy.sparse.csr_matrix``."""
        from scipy.sparse import csr_matrix

        # Entries are row-major already: the row pointers are a cumulative count.
        indptr = np.zeros(self.shape[0] + 1, dtype=np.int64)
        np.cumsum(np.bincount(self.rows, minlength=self.shape[0]), out=indptr[1:])
        return csr_matrix((self.values, self.cols, indptr), shape=self.shape)


def load_kernels():
    try:
        from koembed.counts import _kernels
    except ImportError as error:
        if "numba" not in str(error):
            raise
        raise MissingDependencyError(
            "numba", "count", "counting co-occurrences (GloVe, PPMI)"
        ) from None
    return _kernels


# -- reading the corpus ----------------------------------------------------------


def _chunks(corpus: Any, chunk_bytes: int) -> Iterator[tuple[list[list[str]], int, int | None]]:
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
    _check_int("min_count", min_count, 1)
    if max_vocab is not None:
        _check_int("max_vocab", max_vocab, 1)
    counter: Counter[str] = Counter()
    lines = 0
    for sentences, done, total in _chunks(corpus, _CHUNK_BYTES):
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
            f"({tokens:,} tokens); lower --min-count or use a larger corpus"
        )
    log.info("vocabulary: %d of %d distinct words, %d tokens", len(kept), len(counter), tokens)
    return Vocabulary(
        [word for word, _ in kept],
        np.fromiter((count for _, count in kept), dtype=np.int64, count=len(kept)),
        tokens=tokens,
        lines=lines,
    )


def _encode(sentences: Sequence[list[str]], index: dict[str, int]) -> tuple[np.ndarray, np.ndarray]:
    """Word ids of the in-vocabulary tokens, and where each line starts."""
    lengths = np.fromiter(map(len, sentences), dtype=np.int64, count=len(sentences))
    get = index.get
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


# -- counting --------------------------------------------------------------------


def _check_int(name: str, value: Any, low: int, high: int | None = None) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, np.integer)):
        raise BadInputError(f"{name}={value!r} must be an int")
    if value < low or (high is not None and value > high):
        allowed = f"{low} to {high}" if high is not None else f">= {low}"
        raise BadInputError(f"{name}({value}) must be {allowed}")


def check_memory(memory: float) -> None:
    """Refuse a memory budget (GiB) larger than this machine's RAM.

    Raises:
        BadInputError: it is.
    """
    ram = ram_gib()
    if ram is None:
        return
    if memory > ram:
        raise BadInputError(
            f"memory({memory} GiB) is more than this machine's {ram:.1f} GiB of RAM; "
            f"lower --memory (counting spills to disk when over it)"
        )


def distance_weights(window: int, distance_weighting: bool) -> np.ndarray:
    """Fixed-point weight of a context ``d`` tokens away, indexed by ``d``."""
    distances = np.arange(window + 1, dtype=np.float64)
    distances[0] = 1.0  # unused: a token is not its own context
    if distance_weighting:
        return np.rint(SCALE / distances).astype(np.int64)
    return np.full(window + 1, SCALE, dtype=np.int64)


def _dense_widths(vocab_size: int, cells: int) -> np.ndarray:
    """Columns of each row in the dense block: the pairs whose 1-based ranks
    multiply to at most the largest product that fits ``cells``."""
    ranks = np.arange(1, vocab_size + 1, dtype=np.int64)
    if vocab_size * vocab_size <= cells:
        return np.full(vocab_size, vocab_size, dtype=np.int64)
    low, high = 0, vocab_size * vocab_size  # size(low) fits, size(high) does not
    while high - low > 1:
        middle = (low + high) // 2
        if np.minimum(vocab_size, middle // ranks).sum() <= cells:
            low = middle
        else:
            high = middle
    return np.minimum(vocab_size, low // ranks)


class _Table:
    """Where the counts accumulate: a dense block of frequent pairs, a hash
    table for the rest, and the runs spilled to disk when the table is full."""

    def __init__(self, kernels, vocab_size: int, window: int, budget: int, folder: Path):
        self.kernels = kernels
        self.vocab_size = vocab_size
        share = budget * _TABLE_SHARE
        self.widths = _dense_widths(vocab_size, int(share * _DENSE_SHARE) // 8)
        self.offsets = np.zeros(vocab_size, dtype=np.int64)
        np.cumsum(self.widths[:-1], out=self.offsets[1:])
        self.dense = np.zeros(int(self.widths.sum()), dtype=np.int64)
        hash_bytes = share - self.dense.nbytes
        # The table must hold one token's pairs, however small the budget.
        least = int((2 * window + 2) / _LOAD) + 1
        self.max_capacity = max(int(hash_bytes / _BYTES_PER_SLOT), least)
        self.table = self._empty(min(self.max_capacity, max(_FIRST_CAPACITY, least)))
        # [occupied slots, most allowed before growing or spilling]
        self.state = np.array([0, self._limit()], dtype=np.int64)
        self.folder = folder
        self.runs: list[tuple[Path, Path, np.ndarray]] = []

    def _empty(self, capacity: int) -> np.ndarray:
        table = np.empty((capacity, 2), dtype=np.int64)
        table[:, 0] = self.kernels.EMPTY
        return table

    def _limit(self) -> int:
        return int(self.table.shape[0] * _LOAD)

    def make_room(self) -> None:
        """Grow the hash table while the budget allows, else spill it."""
        capacity = self.table.shape[0]
        if capacity < self.max_capacity:
            bigger = self._empty(min(2 * capacity, self.max_capacity))
            self.kernels.rehash(self.table, bigger, self.state)
            self.table = bigger
            self.state[1] = self._limit()
        else:
            self.spill()

    def _write_run(self, keys: np.ndarray, values: np.ndarray) -> None:
        number = len(self.runs)
        keys_path = self.folder / f"run{number:05d}.keys"
        values_path = self.folder / f"run{number:05d}.values"
        keys.tofile(keys_path)
        values.tofile(values_path)
        # Where each row starts in the run, so the merge can read row slices.
        row_starts = np.searchsorted(
            keys, np.arange(self.vocab_size + 1, dtype=np.int64) * self.vocab_size
        )
        self.runs.append((keys_path, values_path, row_starts))
        log.debug("spilled %d co-occurrence entries to %s", len(keys), keys_path)

    def spill(self) -> None:
        self._write_run(*self.kernels.sorted_entries(self.table))
        self.table[:, 0] = self.kernels.EMPTY
        self.state[0] = 0

    def finish(self, budget: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """All counts as (rows, cols, values), sorted; frees the table.

        In memory if sorting and converting fit the budget; otherwise (or if
        the table spilled already) through sorted runs on disk.
        """
        dense_filled = int(np.count_nonzero(self.dense))
        # Sorting the hash table needs 32 bytes per entry beside it; merging
        # with the dense entries, 16 per entry in and 16 out.
        in_memory = (
            self.table.nbytes + 32 * int(self.state[0]) <= budget * _TABLE_SHARE
            and 32 * (dense_filled + int(self.state[0])) <= budget * _TABLE_SHARE
        )
        if in_memory and not self.runs:
            keys, values = self.kernels.sorted_entries(self.table)
            self.table = self._empty(0)
            dense_keys, dense_values = self._dense_entries()
            # Dense and hashed pairs never share a key.
            return self.kernels.merge_output(
                dense_keys, dense_values, keys, values, self.vocab_size, 1.0 / SCALE
            )
        self.spill()
        self.table = self._empty(0)
        self._write_run(*self._dense_entries())
        return _merge(self, budget)

    def _dense_entries(self) -> tuple[np.ndarray, np.ndarray]:
        entries = self.kernels.dense_entries(self.dense, self.widths, self.offsets, self.vocab_size)
        self.dense = np.empty(0, dtype=np.int64)
        return entries


_NONE = np.empty(0, dtype=np.int64)


def _merge(table: _Table, budget: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Merge the sorted runs on disk a slice of rows at a time."""
    kernels = table.kernels
    vocab_size = table.vocab_size
    per_row = np.zeros(vocab_size, dtype=np.int64)
    for _, _, row_starts in table.runs:
        per_row += np.diff(row_starts)
    before = np.zeros(vocab_size + 1, dtype=np.int64)
    np.cumsum(per_row, out=before[1:])
    most = max(int(budget * _TABLE_SHARE / _BYTES_PER_MERGED), 1)
    out_paths = [table.folder / name for name in ("rows.i32", "cols.i32", "values.f64")]
    outputs = [open(path, "wb") for path in out_paths]  # noqa: SIM115 - closed below
    try:
        start = 0
        while start < vocab_size:
            # As many rows as fit the budget, but at least one.
            end = int(np.searchsorted(before, before[start] + most, side="right")) - 1
            end = max(end, start + 1)
            keys_parts, values_parts = [], []
            for keys_path, values_path, row_starts in table.runs:
                first, last = int(row_starts[start]), int(row_starts[end])
                if last > first:
                    keys_parts.append(
                        np.fromfile(keys_path, dtype=np.int64, count=last - first, offset=8 * first)
                    )
                    values_parts.append(
                        np.fromfile(
                            values_path, dtype=np.int64, count=last - first, offset=8 * first
                        )
                    )
            if keys_parts:
                keys = np.concatenate(keys_parts)
                values = np.concatenate(values_parts)
                del keys_parts, values_parts
                kernels.sort_pairs(keys, values)
                unique = kernels.sum_duplicates(keys, values)
                parts = kernels.merge_output(
                    keys[:unique], values[:unique], _NONE, _NONE, vocab_size, 1.0 / SCALE
                )
                for handle, part in zip(outputs, parts):
                    part.tofile(handle)
            start = end
    finally:
        for handle in outputs:
            handle.close()
    return (
        np.fromfile(out_paths[0], dtype=np.int32),
        np.fromfile(out_paths[1], dtype=np.int32),
        np.fromfile(out_paths[2], dtype=np.float64),
    )


def count_cooccurrences(
    corpus: Any,
    *,
    window: int = 10,
    distance_weighting: bool = True,
    symmetric: bool = True,
    min_count: int = 5,
    max_vocab: int | None = None,
    vocabulary: Vocabulary | None = None,
    memory: float = 1.0,
    temp_dir: str | os.PathLike | None = None,
    progress: ProgressCallback | None = None,
) -> Cooccurrences:
    """Count windowed co-occurrences of the frequent words of ``corpus``.

    Args:
        corpus: a TokenizedCorpus, a tokenized file path, or a re-iterable of
            token lists.
        window: context words on each side (on the left only if not symmetric).
        distance_weighting: weight a context ``d`` tokens away by ``1/d``
            (GloVe); otherwise count it 1 (PPMI).
        symmetric: count contexts on both sides; otherwise row ``i`` holds the
            contexts found to the left of word ``i``.
        min_count, max_vocab: which words to keep (see :func:`build_vocabulary`);
            ignored when ``vocabulary`` is given.
        vocabulary: use these words instead of counting them.
        memory: the budget for counting, in GiB; the table spills to
            ``temp_dir`` (default: the system temporary folder) when full. The
            result (16 bytes per non-zero pair) comes on top.
        progress: called with progress events.

    Returns:
        The counts, sorted by (row, column).

    Raises:
        BadInputError: a bad argument or corpus.
        MissingDependencyError: numba is not installed.
    """
    _check_int("window", window, 1, 10_000)
    if not isinstance(memory, (int, float)) or isinstance(memory, bool) or not memory > 0:
        raise BadInputError(f"memory({memory!r}) must be a positive number of GiB")
    check_memory(memory)
    kernels = load_kernels()
    if vocabulary is None:
        vocabulary = build_vocabulary(
            corpus, min_count=min_count, max_vocab=max_vocab, progress=progress
        )
    budget = int(memory * GIB)
    vocab_size = len(vocabulary)
    chunk_bytes = max(min(_CHUNK_BYTES, budget // 16), 1)
    weights = distance_weights(window, distance_weighting)
    index = vocabulary.index
    with private_temp_dir("cooccur", temp_dir) as folder:
        table = _Table(kernels, vocab_size, window, budget, folder)
        for sentences, done, total in _chunks(corpus, chunk_bytes):
            ids, starts = _encode(sentences, index)
            resume = 0
            while True:
                resume = kernels.accumulate(
                    ids,
                    starts,
                    resume,
                    window,
                    weights,
                    symmetric,
                    vocab_size,
                    table.widths,
                    table.offsets,
                    table.dense,
                    table.table,
                    table.state,
                )
                if resume < 0:
                    break
                table.make_room()
            report(
                progress,
                "count co-occurrences",
                done,
                total,
                "bytes" if total else "lines",
                {"vocabulary": vocab_size},
            )
        rows, cols, values = table.finish(budget)
    log.info(
        "co-occurrences: %d non-zero pairs of %d words (%d spills)",
        len(values),
        vocab_size,
        len(table.runs),
    )
    return Cooccurrences(
        vocabulary,
        rows,
        cols,
        values,
        window=window,
        distance_weighting=distance_weighting,
        symmetric=symmetric,
        spills=len(table.runs),
    )


def iter_pairs(counts: Cooccurrences) -> Iterable[tuple[str, str, float]]:
    """(word, context, value) for every non-zero pair, for inspection and tests."""
    words = counts.vocabulary.words
    for row, col, value in zip(counts.rows.tolist(), counts.cols.tolist(), counts.values.tolist()):
        yield words[row], words[col], value
