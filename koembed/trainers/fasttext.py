"""fastText (Bojanowski et al. 2017) through gensim: word2vec plus hashed
character n-grams, so unseen words get vectors too.

Training streams the tokenized file through gensim, as word2vec does
(see :mod:`koembed.engines.gensim`). The result is a
:class:`~koembed.models.subword.SubwordEmbeddings` whose n-gram buckets are
saved as ``ngrams.npy``.

``jamo=True`` follows Park et al. (ACL 2018): every token is decomposed into
initial/medial/final jamo, with an explicit empty-final marker, before
training, so n-grams span parts of syllables (``희망`` and ``희망찬`` share
``ㅎㅢᴥ`` and ``ㅁㅏㅇ``). The vocabulary is composed back into syllables,
and queries are decomposed only to look up n-grams, so users never see jamo.

Note the size: the n-gram matrix has ``bucket x dim`` floats, in memory and on
disk. fastText's own default of 2,000,000 buckets is 800 MB at 100 dims, for
any corpus (an 8,925-word model wrote an 800 MB ``ngrams.npy``); unless
``bucket`` is given, koembed fits the count to the vocabulary once it is
known: two buckets per distinct n-gram of its words, at most 2,000,000.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from dataclasses import replace
from pathlib import Path
from typing import Any

import numpy as np

from koembed.engines.gensim import train as train_gensim
from koembed.errors import BadInputError
from koembed.models import Embeddings
from koembed.models.subword import NGRAMS, SubwordEmbeddings
from koembed.outputs import private_temp_dir
from koembed.progress import ProgressCallback, report
from koembed.resources import ram_gib
from koembed.text.jamo import compose, decompose
from koembed.tokenize import TokenizedCorpus
from koembed.trainers import _gensim
from koembed.trainers.base import Param, Trainer

log = logging.getLogger(__name__)


class FastTextTrainer(Trainer):
    """Skip-gram with negative sampling by default (``sg=False`` for CBOW)."""

    method = "fasttext"
    summary = "fastText (gensim): word2vec with character n-grams; unseen words get vectors."
    example = (
        "Example: koembed train fasttext work/nsmc.mecab -o models/ft-jamo "
        "--jamo --minn 3 --maxn 6 --dim 100 --epochs 5"
    )
    params = {
        **{name: spec for name, spec in _gensim.PARAMS.items() if name not in ("workers", "seed")},
        # koembed tune on the full NSMC reviews (README, "Tuning settings"): with the
        # shared 300 dims and 15 negatives and 10 epochs fastText answered all 353 WS-353
        # pairs at 0.345 (0.460 over the 261 vocabulary pairs), where 100, 5 and 5 gave
        # 0.25 (0.34). Jamo stays off: it won on the dev half (0.395 against 0.377) but
        # lost on the test half (0.293 against 0.338).
        "epochs": replace(_gensim.PARAMS["epochs"], default=10),
        # fastText's defaults; with jamo=True they count jamo (3 jamo = 1 syllable),
        # the range Park et al. used.
        "min_n": Param(
            3, int, 1, 100, help="Shortest character n-gram (jamo with --jamo).", flags=("--minn",)
        ),
        "max_n": Param(
            6, int, 0, 100, help="Longest character n-gram; 0 for none.", flags=("--maxn",)
        ),
        "bucket": Param(
            None,
            int,
            1,
            2**31 - 1,
            allow_none=True,
            help="Hash buckets for n-grams: bucket x dim floats, in memory and on disk "
            "(2,000,000 x 100 dims is 800 MB).",
            default_text="2 per distinct n-gram of the vocabulary, at most 2,000,000",
        ),
        "jamo": Param(False, bool, help="Train on jamo-decomposed tokens (Park et al. 2018)."),
        "workers": _gensim.PARAMS["workers"],
        "seed": _gensim.PARAMS["seed"],
    }

    def _check_together(self, params: dict[str, Any]) -> None:
        _gensim.check_params(self.method, params)
        if params["max_n"] and params["max_n"] < params["min_n"]:
            raise BadInputError(
                f"max_n({params['max_n']}) must be >= min_n({params['min_n']}), "
                f"or 0 for no n-grams",
                parameters=("max_n", "min_n"),
            )
        # The n-gram matrix is allocated whole, whatever the corpus: say so
        # before gensim fails to allocate it (or the machine starts to swap).
        buckets = params["bucket"] or MAX_FITTED_BUCKETS
        ngram_gib = buckets * params["dim"] * 4 / 1024**3 if params["max_n"] else 0.0
        ram = ram_gib()
        if ram is not None and ngram_gib > ram:
            raise BadInputError(
                f"bucket({params['bucket']}) x dim({params['dim']}) n-gram vectors need "
                f"{ngram_gib:.1f} GiB, more than this machine's {ram:.1f} GiB of RAM; "
                f"lower bucket or dim",
                parameters=("bucket", "dim"),
            )

    def _fit(
        self, corpus: TokenizedCorpus, params: dict[str, Any], progress: ProgressCallback | None
    ) -> Embeddings:
        if not params["jamo"]:
            return self._train(corpus.path, corpus.path, params, progress)
        # The jamo corpus is written once to a private temporary folder (read
        # once per epoch, and gensim's corpus_file mode needs a file), then removed.
        with private_temp_dir("jamo") as folder:
            jamo_path = folder / "corpus.jamo"
            _write_jamo(corpus.path, jamo_path, progress)
            return self._train(jamo_path, corpus.path, params, progress)

    def _train(
        self,
        path: Path,
        source: Path,
        params: dict[str, Any],
        progress: ProgressCallback | None,
    ) -> SubwordEmbeddings:
        from gensim.models import FastText

        model = train_gensim(
            FastText,
            self.method,
            path,
            source,
            params,
            progress,
            after_vocabulary=None if params["bucket"] else fit_buckets,
            min_n=params["min_n"],
            max_n=params["max_n"],
            # Fitted to the vocabulary once it is known; allocated small until then.
            bucket=params["bucket"] or 1,
        )
        wv = model.wv
        words = list(wv.index_to_key)
        if params["jamo"]:
            words = [compose(word) for word in words]
        # gensim sets bucket to 0 when no n-gram length is allowed (max_n=0).
        ngrams = wv.vectors_ngrams if wv.bucket else np.zeros((0, wv.vector_size), np.float32)
        subword = {
            "min_n": params["min_n"],
            "max_n": params["max_n"],
            "bucket": int(wv.bucket),
            "jamo": params["jamo"],
        }
        return SubwordEmbeddings(
            words,
            wv.vectors,
            np.asarray(wv.expandos["count"], dtype=np.int64),
            {"corpus_words": int(model.corpus_total_words), "subword": subword},
            {NGRAMS: ngrams},
        )


#: The most buckets a fitted count takes: fastText's own default.
MAX_FITTED_BUCKETS = 2_000_000


def fitted_buckets(words: Iterable[str], min_n: int, max_n: int) -> int:
    """Buckets for the n-grams of ``words``: two per distinct n-gram, so few of
    them share a bucket, and at most :data:`MAX_FITTED_BUCKETS`."""
    from gensim.models.fasttext_inner import compute_ngrams_bytes

    distinct = {ngram for word in words for ngram in compute_ngrams_bytes(word, min_n, max_n)}
    return max(1, min(MAX_FITTED_BUCKETS, 2 * len(distinct)))


def fit_buckets(model: Any) -> None:
    """Give a gensim fastText model whose vocabulary is built the bucket count
    :func:`fitted_buckets` chooses, and weights of that size."""
    wv = model.wv
    if not wv.bucket:  # no n-gram length allowed (max_n=0): nothing to fit
        return
    wv.bucket = fitted_buckets(wv.index_to_key, wv.min_n, wv.max_n)
    wv.vectors_ngrams = None
    model.init_weights()
    log.info("fastText: %d n-gram buckets for %d words", wv.bucket, len(wv))


def _write_jamo(source: Path, target: Path, progress: ProgressCallback | None) -> None:
    """Decompose every token of a tokenized file into jamo, streamed."""
    total = source.stat().st_size
    done = 0
    with (
        open(source, encoding="utf-8") as lines,
        open(target, "w", encoding="utf-8", newline="\n") as out,
    ):
        for lineno, line in enumerate(lines, start=1):
            # Decomposing whole lines keeps the spaces, so tokens stay tokens.
            out.write(decompose(line))
            done += len(line.encode("utf-8"))
            if lineno % 100_000 == 0:
                report(progress, "decompose into jamo", done, total, "bytes")
    report(progress, "decompose into jamo", total, total, "bytes", finished=True)
