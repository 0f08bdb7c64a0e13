"""Embedding trainers. Each lives in its own module and is found by name.

``SharedCounts`` lets a series of trainings (``koembed tune``) count each
corpus and window once: set it as a counting trainer's ``shared_counts``.
"""

from koembed.trainers._counting import CountingTrainer, SharedCounts
from koembed.trainers.base import Param, Trainer, create_trainer, train

__all__ = ["CountingTrainer", "Param", "SharedCounts", "Trainer", "create_trainer", "train"]
