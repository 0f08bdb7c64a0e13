"""Embedding trainers. Each lives in its own module and is found by name."""

from koembed.trainers.base import Param, Trainer, create_trainer, train

__all__ = ["Param", "Trainer", "create_trainer", "train"]
