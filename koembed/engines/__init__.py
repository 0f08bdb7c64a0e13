"""Where the heavy work runs: on this machine (``local``) or on Apache Spark
(``spark``), found by name in :data:`koembed.registry.ENGINES`."""

from koembed.engines.base import DEFAULT_ENGINE, Engine, TokenizeJob, create_engine

__all__ = ["DEFAULT_ENGINE", "Engine", "TokenizeJob", "create_engine"]
