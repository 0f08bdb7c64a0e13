"""Where the heavy work runs: on this machine, or on Apache Spark."""

from koembed.counts.cooccur import count_cooccurrences


def cooccurrence_counter(engine: str = "local"):
    """:func:`count_cooccurrences`, or its Spark twin for ``engine="spark"``
    (same arguments, same counts; see :mod:`koembed.engines.spark`)."""
    if engine == "spark":
        from koembed.engines.spark import count_cooccurrences as count_with_spark

        return count_with_spark
    return count_cooccurrences
