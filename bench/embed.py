"""How fast document models embed sentences, on one core: SIF against the target.

    python bench/embed.py --work work/bench [--lines 200000] [--tokens FILE]

Tokenizes the first --lines NSMC reviews with mecab once (cached in --work;
or pass a tokenized file with --tokens), trains word2vec on them, builds SIF,
lsa-doc and doc2vec models, then times, with every BLAS/OpenMP pool at one
thread (a single core):

* SIF from tokenized lines (splitting included): the sparse-weighted matrix
  product. Target: >= 50,000 sentences/s;
* the same weighted average and component removal written as a Python loop
  per word, the way it is often written (on a sample): the ratio shows what
  the sparse product buys, and the two results are checked to agree;
* SIF from raw text (mecab tokenization included), lsa-doc fold-in, doc2vec
  inference (PV-DBOW and PV-DM, on a sample: it trains per sentence);
* a nearest-document query over all the corpus documents.

Each figure is the best of --repeat runs. The machine may be shared with
other work: figures are wall-clock and vary between runs.
"""

from __future__ import annotations

import os

# One core: set before numpy (and its BLAS) is imported.
for _name in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_name] = "1"

import argparse  # noqa: E402
import logging  # noqa: E402
import platform  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
from train import NSMC, ROOT, tokenize_once  # noqa: E402

TARGET = 50_000  # SIF sentences per second, once tokenized


def best_rate(count: int, run, repeat: int) -> tuple[float, object]:
    """Items per second of the fastest of ``repeat`` runs, and the last result."""
    best = float("inf")
    result = None
    for _ in range(repeat):
        started = time.perf_counter()
        result = run()
        best = min(best, time.perf_counter() - started)
    return count / best, result


def loop_sif(model, documents: list[list[str]]) -> np.ndarray:
    """SIF with a Python loop per word: the reference the sparse product is checked against."""
    weights = model.arrays["weights"]
    vectors = np.asarray(model.vectors, dtype=np.float32)
    components = np.asarray(model.arrays["components"], dtype=np.float32)
    out = np.zeros((len(documents), model.dim), dtype=np.float32)
    for row, words in enumerate(documents):
        total = np.zeros(model.dim, dtype=np.float32)
        found = 0
        for word in words:
            index = model.index.get(word)
            if index is not None:
                total += weights[index] * vectors[index]
                found += 1
        if found:
            vector = total / found
            for component in components:
                vector = vector - (vector @ component) * component
            out[row] = vector
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=ROOT / "work" / "bench")
    parser.add_argument("--corpus", type=Path, default=NSMC)
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--tokens", type=Path, help="a tokenized corpus to use instead")
    parser.add_argument("--workers", type=int, default=2, help="for tokenizing and training")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--sample", type=int, default=20_000, help="sentences for slow paths")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    import koembed

    if args.tokens is None:
        if not args.corpus.exists():
            sys.exit(f"no corpus at {args.corpus}; pass --corpus or --tokens")
        args.work.mkdir(parents=True, exist_ok=True)
        args.tokens = tokenize_once(args)
    lines = args.tokens.read_text(encoding="utf-8").splitlines()
    documents = [line.split() for line in lines]
    tokens = sum(map(len, documents))
    print(
        f"corpus: {args.tokens} ({len(lines):,} sentences, {tokens / len(lines):.1f} tokens "
        f"each); one thread; {os.cpu_count()} cores ({platform.machine()}); load average "
        f"{os.getloadavg()[0]:.1f} at start (other work may share the machine)"
    )

    started = time.perf_counter()
    words = koembed.train("word2vec", args.tokens, workers=args.workers)
    print(f"word2vec trained in {time.perf_counter() - started:.0f} s ({len(words):,} words)")
    folder = args.work / "embed-models"
    folder.mkdir(parents=True, exist_ok=True)
    words.save(folder / "w2v", overwrite=True)
    sif = koembed.train_documents("sif", args.tokens, word_model=str(folder / "w2v"))
    lsa = koembed.train_documents("lsa-doc", args.tokens)
    sample = documents[: args.sample]
    raw_sample = [sif.document(row) for row in range(min(len(lines), args.sample))]

    rows = []
    rate, vectors = best_rate(len(lines), lambda: sif.embed(lines, pretokenized=True), args.repeat)
    same = np.allclose(vectors, sif.doc_vectors, atol=1e-5)
    rows.append(("SIF, tokenized lines (sparse product)", rate, f"= corpus vectors: {same}"))
    loop_rate, looped = best_rate(len(sample), lambda: loop_sif(sif, sample), 1)
    agree = np.allclose(looped, vectors[: len(sample)], atol=1e-4)
    rows.append(("SIF, Python loop per word", loop_rate, f"agrees with sparse: {agree}"))
    sif.pipeline()(raw_sample[0])  # start mecab before the clock
    raw_rate, _ = best_rate(len(raw_sample), lambda: sif.embed(raw_sample), 1)
    rows.append(("SIF, raw text (mecab included)", raw_rate, ""))
    lsa_rate, lsa_vectors = best_rate(
        len(lines), lambda: lsa.embed(lines, pretokenized=True), args.repeat
    )
    same = np.allclose(lsa_vectors, lsa.doc_vectors, atol=1e-4)
    rows.append(("lsa-doc fold-in, tokenized lines", lsa_rate, f"= corpus vectors: {same}"))
    for dm in (False, True):
        name = "PV-DM" if dm else "PV-DBOW"
        doc2vec = koembed.train_documents(
            "doc2vec", args.tokens, dm=dm, epochs=5, workers=args.workers
        )
        few = sample[: max(1, args.sample // 10)]
        doc_rate, _ = best_rate(len(few), lambda d=doc2vec, f=few: d.embed_tokens(f), 1)
        rows.append((f"doc2vec {name} inference (5 epochs)", doc_rate, ""))
    query = "연기가 정말 좋았던 영화"
    sif.most_similar_documents(query, topn=5)  # norms computed once
    queries = [query] * 20
    query_rate, _ = best_rate(
        len(queries), lambda: [sif.most_similar_documents(q, 5) for q in queries], args.repeat
    )
    rows.append((f"nearest documents among {sif.n_documents:,} (queries)", query_rate, ""))

    print(f"\n{'what':46} {'per second':>12}  notes")
    for name, per_second, note in rows:
        print(f"{name:46} {per_second:12,.0f}  {note}")
    sif_rate = rows[0][1]
    print(
        f"\nSIF: {sif_rate:,.0f} sentences/s on one thread, {sif_rate / TARGET:.1f}x the "
        f"{TARGET:,}/s target ({'met' if sif_rate >= TARGET else 'NOT met'}); "
        f"{sif_rate / loop_rate:.0f}x the Python loop per word"
    )


if __name__ == "__main__":
    main()
