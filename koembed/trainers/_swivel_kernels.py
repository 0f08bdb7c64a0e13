"""Compiled Swivel loss over one dense block (numba), imported on first use."""

from __future__ import annotations

import math

import numba


@numba.njit(nogil=True, fastmath=True, error_model="numpy", parallel=True, cache=True)
def block_loss_gradient(
    predictions,
    counts,
    row_log_sums,
    col_log_sums,
    log_total,
    confidence_base,
    confidence_scale,
    confidence_exponent,
):
    """Swivel's loss over one block; ``predictions`` becomes d loss / d prediction.

    ``predictions[a, b]`` is ``row_a . col_b``, ``counts[a, b]`` the count of
    the pair (0 where unobserved); ``row_log_sums`` / ``col_log_sums`` the logs
    of the block's row and column marginals, ``log_total`` the log of the sum
    of all counts. Returns the (squared, soft hinge) parts of the loss.

    An observed pair (x > 0) costs ``0.5 * f(x) * (p - pmi)^2``, where
    ``pmi = log x + log N - log r - log c`` and
    ``f(x) = confidence_base + confidence_scale * x^confidence_exponent``.
    An unobserved pair costs the soft hinge ``log(1 + exp(p - pmi*))``, with
    ``pmi*`` the PMI it would have if it had been seen once (``log x = 0``).
    """
    rows, cols = predictions.shape
    squared = 0.0
    hinge = 0.0
    for a in numba.prange(rows):
        prediction = predictions[a]
        count = counts[a]
        base = log_total - row_log_sums[a]
        for b in range(cols):
            x = count[b]
            objective = base - col_log_sums[b]
            if x > 0.0:
                error = prediction[b] - (objective + math.log(x))
                weight = confidence_base + confidence_scale * x**confidence_exponent
                squared += 0.5 * weight * error * error
                prediction[b] = weight * error
            else:
                error = prediction[b] - objective
                # softplus and its derivative (the logistic), stable both ways.
                if error > 0.0:
                    tail = math.exp(-error)
                    hinge += error + math.log1p(tail)
                    prediction[b] = 1.0 / (1.0 + tail)
                else:
                    tail = math.exp(error)
                    hinge += math.log1p(tail)
                    prediction[b] = tail / (1.0 + tail)
    return squared, hinge
