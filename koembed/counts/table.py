"""Where the counts accumulate while counting: a dense block of the frequent
pairs, a compiled hash table for the rest, and the sorted runs it spills to
disk when full, merged at the end a slice of rows at a time.

Weights are held in fixed point (units of :data:`SCALE`), so that every sum
is exact: whether and where the table spilled changes no count.
"""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np

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


class CountTable:
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

    def add(
        self, ids: np.ndarray, starts: np.ndarray, window: int, weights: np.ndarray, symmetric: bool
    ) -> None:
        """Count the windows of the encoded lines (``ids``, ``starts``: see
        ``Vocabulary.encode``), making room whenever the table fills up."""
        # The kernel takes the table's arrays after the windowing settings.
        arrays = (self.vocab_size, self.widths, self.offsets, self.dense)
        resume = 0
        while True:
            resume = self.kernels.accumulate(
                ids, starts, resume, window, weights, symmetric, *arrays, self.table, self.state
            )
            if resume < 0:
                return
            self.make_room()

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


def _merge(table: CountTable, budget: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
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
