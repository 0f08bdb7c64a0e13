"""Compiled inner loops of :mod:`koembed.counts.cooccur` (numba).

Kept apart so that importing :mod:`koembed.counts.cooccur` does not need numba; the
module imports this one on first use and names the pip extra if numba is
missing.

Pairs of frequent words go to a dense block, the rest to a hash table. The
dense block holds, as the reference GloVe ``cooccur`` does, the pairs whose
ranks (1-based) multiply to at most ``max_product``: row ``w`` has the first
``widths[w]`` columns, at ``dense[offsets[w]:]``. With Zipfian counts this
small block takes most updates and stays in cache. The hash table is an
``(capacity, 2)`` array of (key, value) rows, so a probe touches one cache line;
the key of (word ``i``, context ``j``) is ``i * vocab_size + j``.
"""

from __future__ import annotations

import numba
import numpy as np

EMPTY = -1
# Fibonacci hashing: multiply by 2^64 / golden ratio; the high bits are well mixed.
_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_SHIFT32 = np.uint64(32)


@numba.njit(inline="always")
def _slot(key, capacity):
    # Lemire's multiply-shift maps the 32 high hash bits onto [0, capacity)
    # without a division, so the table need not be a power of two in size.
    mixed = (np.uint64(key) * _GOLDEN) >> _SHIFT32
    return np.int64((mixed * np.uint64(capacity)) >> _SHIFT32)


@numba.njit(inline="always")
def _add(table, key, weight, state) -> None:
    capacity = table.shape[0]
    slot = _slot(key, capacity)
    while True:
        found = table[slot, 0]
        if found == key:
            table[slot, 1] += weight
            return
        if found == EMPTY:
            table[slot, 0] = key
            table[slot, 1] = weight
            state[0] += 1
            return
        slot += 1
        if slot == capacity:
            slot = 0


@numba.njit(inline="always")
def _count(word, context, weight, vocab_size, widths, offsets, dense, table, state) -> None:
    if context < widths[word]:
        dense[offsets[word] + context] += weight
    else:
        _add(table, word * vocab_size + context, weight, state)


@numba.njit(nogil=True, cache=True)
def accumulate(
    ids,
    starts,
    resume,
    window,
    weights,
    symmetric,
    vocab_size,
    widths,
    offsets,
    dense,
    table,
    state,
):
    """Add every (word, context) pair of the lines in ``ids``.

    ``ids`` holds in-vocabulary word ids, line after line; line ``n`` is
    ``ids[starts[n]:starts[n + 1]]``. Pairs never cross a line. Counting starts
    at token ``resume``; ``weights[d]`` is added for a context ``d`` tokens
    away. ``state[0]`` is the number of occupied hash slots, ``state[1]`` the
    most allowed: when the next token could pass it, the function returns that
    token's position so that the caller can grow or spill the table and
    resume. Returns -1 when every line is counted.
    """
    limit = state[1]
    per_token = 2 * window
    for line in range(starts.shape[0] - 1):
        begin = starts[line]
        end = starts[line + 1]
        if end <= resume:
            continue
        for j in range(max(begin, resume), end):
            if state[0] + per_token > limit:
                return j
            word = np.int64(ids[j])
            first = max(begin, j - window)
            for k in range(j - 1, first - 1, -1):
                context = np.int64(ids[k])
                weight = weights[j - k]
                # ``word``'s left context is ``context``; symmetric counting
                # also gives ``context`` its right context ``word``.
                _count(word, context, weight, vocab_size, widths, offsets, dense, table, state)
                if symmetric:
                    _count(context, word, weight, vocab_size, widths, offsets, dense, table, state)
    return -1


@numba.njit(nogil=True, cache=True)
def rehash(table, bigger, state) -> None:
    """Insert every entry of ``table`` into the empty ``bigger`` table."""
    state[0] = 0
    for slot in range(table.shape[0]):
        if table[slot, 0] != EMPTY:
            _add(bigger, table[slot, 0], table[slot, 1], state)


@numba.njit(nogil=True, cache=True)
def sorted_entries(table):
    """The occupied entries as (keys, values) sorted by key.

    Compacts the entries to the front of ``table`` first, so the table must
    be cleared before it is used again.
    """
    filled = 0
    for slot in range(table.shape[0]):
        if table[slot, 0] != EMPTY:
            table[filled, 0] = table[slot, 0]
            table[filled, 1] = table[slot, 1]
            filled += 1
    order = np.argsort(np.ascontiguousarray(table[:filled, 0]))
    keys = np.empty(filled, dtype=np.int64)
    values = np.empty(filled, dtype=np.int64)
    for i in range(filled):
        keys[i] = table[order[i], 0]
        values[i] = table[order[i], 1]
    return keys, values


@numba.njit(nogil=True, cache=True)
def merge_output(keys_a, values_a, keys_b, values_b, vocab_size, unit):
    """Merge two key-sorted runs that share no key into (rows, cols, values).

    Writes the final arrays directly (int32 rows and columns, float64
    values = fixed-point values x ``unit``), with no int64 temporaries.
    """
    total = keys_a.shape[0] + keys_b.shape[0]
    rows = np.empty(total, dtype=np.int32)
    cols = np.empty(total, dtype=np.int32)
    values = np.empty(total, dtype=np.float64)
    a = 0
    b = 0
    for n in range(total):
        if b == keys_b.shape[0] or (a < keys_a.shape[0] and keys_a[a] < keys_b[b]):
            key = keys_a[a]
            value = values_a[a]
            a += 1
        else:
            key = keys_b[b]
            value = values_b[b]
            b += 1
        rows[n] = key // vocab_size
        cols[n] = key % vocab_size
        values[n] = value * unit
    return rows, cols, values


@numba.njit(nogil=True, cache=True)
def dense_entries(dense, widths, offsets, vocab_size):
    """The non-zero cells of the dense block as (keys, values), sorted by key."""
    filled = 0
    for cell in range(dense.shape[0]):
        if dense[cell] != 0:
            filled += 1
    keys = np.empty(filled, dtype=np.int64)
    values = np.empty(filled, dtype=np.int64)
    n = 0
    for word in range(widths.shape[0]):
        base = offsets[word]
        for context in range(widths[word]):
            value = dense[base + context]
            if value != 0:
                keys[n] = word * vocab_size + context
                values[n] = value
                n += 1
    return keys, values


@numba.njit(nogil=True, cache=True)
def sort_pairs(keys, values) -> None:
    """Sort ``keys`` ascending, carrying ``values`` along, in place."""
    order = np.argsort(keys)
    buffer = np.empty(keys.shape[0], dtype=keys.dtype)
    for i in range(order.shape[0]):
        buffer[i] = keys[order[i]]
    keys[:] = buffer
    for i in range(order.shape[0]):
        buffer[i] = values[order[i]]
    values[:] = buffer


@numba.njit(nogil=True, cache=True)
def sum_duplicates(keys, values) -> int:
    """Fold runs of equal keys (sorted) into one entry each; return how many remain."""
    if keys.shape[0] == 0:
        return 0
    unique = 0
    for i in range(1, keys.shape[0]):
        if keys[i] == keys[unique]:
            values[unique] += values[i]
        else:
            unique += 1
            keys[unique] = keys[i]
            values[unique] = values[i]
    return unique + 1
