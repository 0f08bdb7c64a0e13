"""What word2vec and fastText share: gensim's parameters and their checks.

Their training loop is :mod:`koembed.engines.gensim`'s.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from koembed.errors import BadInputError
from koembed.trainers.base import DIM_PARAM, MIN_COUNT_PARAM, SEED_PARAM, WORKERS_PARAM, Param

PARAMS = {
    # 300 dims and 15 negatives: chosen by koembed tune for word2vec on the full NSMC
    # reviews (README, "Tuning settings"; 5 negatives scored 0.30 on the dev half of
    # WS-353, 15 with 20 epochs 0.44, and 0.53 on the test half), and fastText's
    # tuning kept them. Mikolov et al. (2013) advise 5-20 negatives for small corpora.
    "dim": replace(DIM_PARAM, default=300),
    "window": Param(5, int, 1, 1_000, help="Context words on each side."),
    "min_count": MIN_COUNT_PARAM,
    # Each method sets its own epochs (the passes its tuning chose).
    "epochs": Param(5, int, 1, 10_000, help="Passes over the corpus."),
    "sg": Param(True, bool, help="Skip-gram or CBOW.", flags=("--sg/--cbow",)),
    "negative": Param(15, int, 0, 100, help="Negative samples (0 = none)."),
    "hs": Param(False, bool, help="Use hierarchical softmax."),
    "sample": Param(1e-3, float, 0.0, 1.0, help="Down-sampling of frequent words."),
    # Mikolov et al.'s 0.75; Caselles-Dupré et al. (2018) found other values better for
    # some tasks, so it is a knob (koembed tune).
    "ns_exponent": Param(
        0.75, float, -10.0, 10.0, help="Exponent of the negative-sampling distribution."
    ),
    "alpha": Param(0.025, float, 1e-6, 1.0, help="Initial learning rate."),
    "min_alpha": Param(1e-4, float, 0.0, 1.0, help="Final learning rate."),
    "workers": WORKERS_PARAM,
    "seed": SEED_PARAM,
}


def check_params(method: str, params: dict[str, Any]) -> None:
    """Checks of the shared parameters that involve two of them."""
    if params["negative"] == 0 and not params["hs"]:
        raise BadInputError(
            f"negative=0 without hs leaves {method} no output layer; use negative=5 or add hs=True",
            parameters=("negative", "hs"),
        )
    if params["min_alpha"] > params["alpha"]:
        raise BadInputError(
            f"min_alpha({params['min_alpha']}) must be <= alpha({params['alpha']})",
            parameters=("min_alpha", "alpha"),
        )
