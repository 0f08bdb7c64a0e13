"""Compiled GloVe training loop (numba), imported on first use by the trainer."""

from __future__ import annotations

import math

import numba


# error_model="numpy": without it every division checks for zero, which
# stops the compiler from vectorising the update loops (4x slower).
@numba.njit(nogil=True, fastmath=True, error_model="numpy", cache=True)
def train_entries(
    rows,
    cols,
    log_values,
    weights,
    begin,
    end,
    words,
    contexts,
    word_bias,
    context_bias,
    words_gradsq,
    contexts_gradsq,
    word_bias_gradsq,
    context_bias_gradsq,
    learning_rate,
    clip,
    update,
):
    """One pass of AdaGrad over entries ``begin:end``; returns their summed cost.

    The cost of an entry is ``0.5 * f(x) * (w.c + b_w + b_c - log x)^2``.
    Threads running this on other slices update the same matrices without
    locks (Hogwild), as the reference implementation does. Like it, each
    gradient component is clipped to ``clip`` and squared gradients start at
    1 and accumulate the learning-rate-scaled steps. ``update`` is this
    thread's scratch space, two rows of ``dim``.
    """
    dim = words.shape[1]
    step_word = update[0]
    step_context = update[1]
    cost = 0.0
    for n in range(begin, end):
        i = rows[n]
        j = cols[n]
        word = words[i]
        context = contexts[j]
        diff = word_bias[i] + context_bias[j] - log_values[n]
        for d in range(dim):
            diff += word[d] * context[d]
        if not math.isfinite(diff):
            continue  # a diverging entry would spread NaN to every vector
        weighted = weights[n] * diff
        cost += 0.5 * weighted * diff
        # Both steps from the old vectors first; then separate loops that
        # each touch one row, which the compiler vectorises.
        for d in range(dim):
            step_word[d] = min(max(weighted * context[d], -clip), clip) * learning_rate
            step_context[d] = min(max(weighted * word[d], -clip), clip) * learning_rate
        gradsq = words_gradsq[i]
        for d in range(dim):
            word[d] -= step_word[d] / math.sqrt(gradsq[d])
            gradsq[d] += step_word[d] * step_word[d]
        gradsq = contexts_gradsq[j]
        for d in range(dim):
            context[d] -= step_context[d] / math.sqrt(gradsq[d])
            gradsq[d] += step_context[d] * step_context[d]
        step = weighted * learning_rate
        word_bias[i] -= step / math.sqrt(word_bias_gradsq[i])
        context_bias[j] -= step / math.sqrt(context_bias_gradsq[j])
        word_bias_gradsq[i] += step * step
        context_bias_gradsq[j] += step * step
    return cost
