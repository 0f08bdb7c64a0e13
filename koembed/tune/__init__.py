"""``koembed tune``: find a method's best settings on a dev half of the
benchmarks, and report the chosen model once on the test half.

:func:`parse_space` reads what to search, :class:`Protocol` splits the
benchmarks, :func:`tune` runs the trials (a grid, or Optuna's TPE with
``trials``) into a folder with a leaderboard and the best model.
"""

from koembed.tune.leaderboard import Leaderboard, Trial
from koembed.tune.protocol import Protocol, split_analogies, split_half
from koembed.tune.run import TuneResult, tune
from koembed.tune.space import Axis, SearchSpace, parse_space

__all__ = [
    "Axis",
    "Leaderboard",
    "Protocol",
    "SearchSpace",
    "Trial",
    "TuneResult",
    "parse_space",
    "split_analogies",
    "split_half",
    "tune",
]
