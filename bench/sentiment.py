"""NSMC sentiment from document vectors: every document method side by side.

    python bench/sentiment.py --tokens work/nsmc.mecab [--lines N] [--save work/sentiment]

The NSMC raw reviews (``reviews.tsv.xz``: review id, movie id, rating, text)
are labelled by rating: 1-4 negative, 9-10 positive, 5-8 left out. With
--tokens, the tokenized file must be the text column of those reviews, line
for line (``koembed tokenize reviews.tsv.xz --column 4``; its manifest is
checked); without it, the first --lines reviews are tokenized with mecab into
--work first.

In one run it trains, on the same tokenized corpus, word2vec (100 dims, the
word vectors under SIF and the average), SIF, SIF without the component
removal, uSIF, the plain average, lsa-doc, doc2vec PV-DM and PV-DBOW, and
scores a logistic regression (scikit-learn, standardised features, C=1) on
each model's document vectors, with one seeded, stratified train/test split of
the labelled reviews for all. Two TF-IDF + logistic regression baselines use
the same split.

As for every method here, the unsupervised step sees all the corpus text
(document vectors, the SIF components, the TF-IDF vocabulary and idf); only
the classifier sees labels, of the training part. The "new text" column
scores the test reviews embedded afresh with ``model.embed`` (doc2vec infers
them; the others must give their corpus vectors back), with the classifier
trained on the corpus vectors: what an unseen review would get.

Sentiment rewards the frequent words (재밌, 좋, 최고, 없, 않) that SIF weighs
down by design, so a second, label-free figure asks what SIF is for, whether
similar texts are near each other: "movie@10" is the share of each sampled
test review's 10 nearest reviews (cosine, among all reviews, itself
excluded) that are about the same movie (column 2, the movie id), what
``koembed similar --text`` would show.

Figures are wall-clock on a machine other work may share.
"""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
import time
from pathlib import Path

import numpy as np
from train import NSMC, ROOT, tokenize_once

CLASSES = "1-4:neg,9-10:pos"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tokens", type=Path, help="tokenized text column of --corpus")
    parser.add_argument("--corpus", type=Path, default=NSMC, help="the raw reviews (labels)")
    parser.add_argument("--lines", type=int, help="use the first N reviews (default: all)")
    parser.add_argument("--work", type=Path, default=ROOT / "work" / "sentiment")
    parser.add_argument("--save", type=Path, help="also save every model under this folder")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1, help="split and training seed")
    parser.add_argument("--test-size", type=float, default=0.2)
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--doc2vec-epochs", type=int, default=10)
    parser.add_argument("--only", nargs="*", help="run only these rows (by name prefix)")
    parser.add_argument("--queries", type=int, default=1000, help="reviews asked for movie@10")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    import koembed
    from koembed.evaluate.documents import read_labels, score, split

    if not args.corpus.exists():
        sys.exit(f"no raw reviews at {args.corpus}; pass --corpus")
    if args.tokens is None:
        args.work.mkdir(parents=True, exist_ok=True)
        args.lines = args.lines or 712_383
        args.tokens = tokenize_once(args)
    tokens = koembed.open_tokenized(args.tokens)
    lines = tokens.manifest.get("lines")
    source = tokens.manifest.get("input", {})
    if source.get("column") != 4 or Path(source.get("paths", [""])[0]).name != args.corpus.name:
        sys.exit(f"{args.tokens} is not the text column of {args.corpus} (see its manifest)")
    labels = read_labels(args.corpus, label_column=3, classes=CLASSES)[:lines]
    if len(labels) != lines:
        sys.exit(f"{len(labels)} ratings for {lines} tokenized reviews")
    train_rows, test_rows, y = split(labels, test_size=args.test_size, seed=args.seed)
    test_texts = _lines(args.tokens, test_rows)
    movies = np.array(
        list(koembed.read_corpus(args.corpus, column=2, normalize="none").iter_raw())[:lines]
    )
    queries = np.sort(
        np.random.default_rng(args.seed).choice(test_rows, args.queries, replace=False)
    )
    counts = {c: int((y == c).sum()) for c in ("neg", "pos")}
    print(
        f"NSMC: {lines:,} reviews from {args.corpus.name}, tokenized by mecab "
        f"({tokens.manifest.get('tokens', 0):,} tokens); labelled {sum(counts.values()):,} "
        f"(neg {counts['neg']:,}, pos {counts['pos']:,}), ratings 5-8 left out; "
        f"split {len(train_rows):,} train / {len(test_rows):,} test (seed {args.seed}, "
        f"stratified); {os.cpu_count()} cores, {args.workers} workers, load average "
        f"{os.getloadavg()[0]:.1f} at start (other work may share the machine)",
        flush=True,
    )

    results: list[dict] = []
    wanted = (lambda name: any(name.startswith(p) for p in args.only)) if args.only else None

    def report(name: str, seconds: float, vectors=None, fresh=None, sparse=None, note=""):
        started = time.perf_counter()
        if sparse is not None:
            accuracy, balanced, majority = score(
                sparse[train_rows], y[train_rows], sparse[test_rows], y[test_rows], sparse=True
            )
            fresh_accuracy = None
            movie = _same_movie(sparse, queries, movies)
        else:
            train_x = np.asarray(vectors[train_rows])
            accuracy, balanced, majority = score(
                train_x, y[train_rows], np.asarray(vectors[test_rows]), y[test_rows]
            )
            fresh_accuracy = None
            if fresh is not None:
                fresh_accuracy = score(train_x, y[train_rows], fresh, y[test_rows])[0]
            movie = _same_movie(vectors, queries, movies)
        row = dict(
            name=name,
            accuracy=accuracy,
            balanced=balanced,
            majority=majority,
            fresh=fresh_accuracy,
            movie=movie,
            seconds=seconds,
            classify_seconds=time.perf_counter() - started,
            note=note,
        )
        results.append(row)
        print(_format(row), flush=True)

    print(_header(), flush=True)

    if not wanted or wanted("TF-IDF"):
        from sklearn.feature_extraction.text import TfidfVectorizer

        texts = args.tokens.read_text(encoding="utf-8").splitlines()
        for ngrams, name in (((1, 1), "TF-IDF unigrams + LR"), ((1, 2), "TF-IDF 1-2 grams + LR")):
            started = time.perf_counter()
            vectorizer = TfidfVectorizer(
                analyzer="word",
                tokenizer=str.split,
                token_pattern=None,
                lowercase=False,
                ngram_range=ngrams,
                min_df=2,
                dtype=np.float32,
            )
            matrix = vectorizer.fit_transform(texts).tocsr()
            note = f"{matrix.shape[1]:,} features (min_df 2)"
            report(name, time.perf_counter() - started, sparse=matrix, note=note)
            del matrix
        del texts

    models = args.save or args.work / "models"
    models.mkdir(parents=True, exist_ok=True)

    def document_model(name: str, method: str, save_as: str, fresh: bool = True, **params):
        if wanted and not wanted(name):
            return
        started = time.perf_counter()
        model = koembed.train_documents(method, args.tokens, **params)
        seconds = time.perf_counter() - started
        if args.save:
            model.save(models / save_as, overwrite=True)
        vectors = np.asarray(model.doc_vectors)
        embedded = model.embed(test_texts, pretokenized=True) if fresh else None
        note = f"{model.documents.get('empty', 0):,} reviews without a known word"
        if embedded is not None and method != "doc2vec":
            same = np.allclose(embedded, vectors[test_rows], atol=1e-4)
            note += f"; new text = corpus vectors: {same}"
        report(name, seconds, vectors, embedded, note=note)

    w2v = models / "w2v"
    started = time.perf_counter()
    word_model = koembed.train(
        "word2vec", args.tokens, dim=args.dim, workers=args.workers, seed=args.seed
    )
    word_model.save(w2v, overwrite=True)
    print(
        f"  (word2vec: {len(word_model):,} words x {args.dim}, "
        f"{time.perf_counter() - started:.0f} s; under the SIF and average rows)",
        flush=True,
    )
    sif = dict(word_model=str(w2v))
    document_model("average over word2vec", "sif", "average", variant="average", **sif)
    document_model("SIF weights only (0 components)", "sif", "sif-0", components=0, **sif)
    document_model("SIF over word2vec", "sif", "sif", **sif)
    document_model("uSIF over word2vec", "sif", "usif", variant="usif", **sif)
    document_model("lsa-doc", "lsa-doc", "lsa-doc", dim=args.dim, seed=args.seed)
    for dm, name in ((True, "doc2vec PV-DM"), (False, "doc2vec PV-DBOW")):
        document_model(
            name,
            "doc2vec",
            "d2v-dm" if dm else "d2v-dbow",
            dm=dm,
            dim=args.dim,
            epochs=args.doc2vec_epochs,
            workers=args.workers,
            seed=args.seed,
        )

    print()
    named = {row["name"]: row for row in results}
    if "SIF over word2vec" in named and "average over word2vec" in named:
        gain = named["SIF over word2vec"]["accuracy"] - named["average over word2vec"]["accuracy"]
        movie = named["SIF over word2vec"]["movie"] / named["average over word2vec"]["movie"]
        print(
            f"SIF - plain average: {100 * gain:+.2f} points of sentiment accuracy; "
            f"movie@10 {movie:.2f}x the plain average's"
        )
    out = args.work / "results.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2), encoding="utf-8")
    print(f"results in {out}")


def _same_movie(vectors, queries: np.ndarray, movies: np.ndarray, k: int = 10) -> float:
    """Share of the k nearest reviews (cosine) of each query about the query's movie."""
    from scipy.sparse import issparse

    if issparse(vectors):  # TF-IDF rows are unit length already
        unit = vectors
        found = np.asarray(vectors[queries].getnnz(axis=1)) > 0
    else:
        unit = np.asarray(vectors, dtype=np.float32)
        norms = np.linalg.norm(unit, axis=1)
        found = norms[queries] > 0
        unit = unit / np.where(norms > 0, norms, 1)[:, None]
    asked = queries[found]  # a review with no known word has no neighbours to speak of
    shares = []
    for start in range(0, len(asked), 100):
        rows = asked[start : start + 100]
        query = unit[rows]
        query = query.toarray() if issparse(query) else query
        scores = np.asarray(unit @ query.T).T  # (queries, documents)
        scores[np.arange(len(rows)), rows] = -np.inf  # not itself
        nearest = np.argpartition(-scores, k, axis=1)[:, :k]
        shares.append((movies[nearest] == movies[rows][:, None]).mean(axis=1))
    return float(np.concatenate(shares).mean())


def _lines(path: Path, rows: np.ndarray) -> list[str]:
    wanted = set(rows.tolist())
    with open(path, encoding="utf-8") as handle:
        picked = {i: line for i, line in enumerate(handle) if i in wanted}
    return [picked[i] for i in rows.tolist()]


def _header() -> str:
    return (
        f"{'method':34} {'accuracy':>9} {'new text':>9} {'balanced':>9} {'majority':>9} "
        f"{'movie@10':>9} {'train s':>8} {'eval s':>6}  notes"
    )


def _format(row: dict) -> str:
    fresh = "-" if row["fresh"] is None else f"{100 * row['fresh']:.2f}%"
    return (
        f"{row['name']:34} {100 * row['accuracy']:8.2f}% {fresh:>9} "
        f"{100 * row['balanced']:8.2f}% {100 * row['majority']:8.2f}% "
        f"{100 * row['movie']:8.2f}% "
        f"{row['seconds']:8.0f} {row['classify_seconds']:6.0f}  {row['note']}"
    )


if __name__ == "__main__":
    main()
