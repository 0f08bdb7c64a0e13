"""The Apache Spark engine: tokenize, embed, count and train word2vec in Spark jobs.

``koembed tokenize --engine spark`` reads the input with Spark (text files,
``.gz``/``.bz2``, or Parquet), and in each partition rebuilds the text
pipeline from its spec (the user dictionary travels inside the spec; a
trained tokenizer's folder is shipped to the executors as an archive),
decodes, selects the column, normalizes and tokenizes exactly as the local
reader does, and streams the partitions back in order into the usual
tokenized file and manifest (or writes a Parquet dataset). The tokens are
identical to the local engine's.

``koembed embed --engine spark`` embeds the lines of a file with a document
model (shipped as an archive too) in Arrow batches (``mapInPandas``) and
writes a Parquet dataset (id, vector): the local engine's vectors.

``koembed train word2vec --engine spark`` trains Spark MLlib's Word2Vec
(skip-gram with hierarchical softmax). ``glove`` and ``ppmi`` with
``--engine spark`` count co-occurrences in a Spark job (each partition
counts its lines with the local compiled counter, partial counts are summed
by row block, exactly, in fixed point) and finish locally.

One module a job: :mod:`~koembed.engines.spark.session` (the session and
failed jobs), :mod:`~koembed.engines.spark.read`,
:mod:`~koembed.engines.spark.tokenize`, :mod:`~koembed.engines.spark.embed`,
:mod:`~koembed.engines.spark.count`
and :mod:`~koembed.engines.spark.word2vec`; :class:`SparkEngine` offers them
as an engine.
"""

from koembed.engines.spark.engine import SparkEngine

__all__ = ["SparkEngine"]
