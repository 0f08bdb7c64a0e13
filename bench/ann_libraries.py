"""The measurement that chose koembed index's library: faiss, hnswlib and usearch
building an HNSW graph over the same vectors and answering the same queries.

    pip install faiss-cpu hnswlib usearch
    python bench/ann_libraries.py MODEL_DIR/doc_vectors.npy [--libraries faiss,hnswlib,usearch]
        [--connectivity 16] [--widths 64,96,128,192,256] [--queries 1000]

Each library in a process of its own: build time (2 threads), then for each
search width (ef) recall@11 (row-number overlap with exact search, the query
itself included) and p50/p99 of one query at a time on one thread.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time

import numpy as np


def one(path: str, library: str, connectivity: int, widths: list[int], queries: int) -> None:
    vectors = np.load(path).astype(np.float32)
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    kept = norms[:, 0] > 0
    vectors = vectors[kept] / norms[kept]
    rng = np.random.default_rng(0)
    asked = vectors[rng.choice(len(vectors), queries, replace=False)]
    truth = np.argsort(-(asked @ vectors.T), axis=1)[:, :11]
    started = time.perf_counter()
    if library == "hnswlib":
        import hnswlib

        graph = hnswlib.Index(space="ip", dim=vectors.shape[1])
        graph.init_index(max_elements=len(vectors), ef_construction=128, M=connectivity)
        graph.set_num_threads(2)
        graph.add_items(vectors, np.arange(len(vectors)))
        graph.set_num_threads(1)
        set_width = graph.set_ef

        def search(query):
            return graph.knn_query(query, 11)[0][0]
    elif library == "usearch":
        from usearch.index import Index

        graph = Index(
            ndim=vectors.shape[1], metric="cos", dtype="f32", connectivity=connectivity,
            expansion_add=128,
        )  # fmt: skip
        graph.add(np.arange(len(vectors)), vectors, threads=2)

        def set_width(width):
            graph.expansion_search = width

        def search(query):
            return graph.search(query, 11).keys
    else:
        import faiss

        faiss.omp_set_num_threads(2)
        graph = faiss.IndexHNSWFlat(vectors.shape[1], connectivity, faiss.METRIC_INNER_PRODUCT)
        graph.hnsw.efConstruction = 128
        graph.add(vectors)
        faiss.omp_set_num_threads(1)

        def set_width(width):
            graph.hnsw.efSearch = width

        def search(query):
            return graph.search(query[None], 11)[1][0]

    built = time.perf_counter() - started
    rows = []
    for width in widths:
        set_width(width)
        times, hits = [], 0
        for query, expected in zip(asked, truth):
            started = time.perf_counter()
            found = search(query)
            times.append(time.perf_counter() - started)
            hits += len(set(map(int, found)) & set(map(int, expected)))
        p50, p99 = (float(np.percentile(times, q)) * 1000 for q in (50, 99))
        rows.append((width, hits / truth.size, p50, p99))
    print(json.dumps({"library": library, "rows": len(vectors), "build": built, "widths": rows}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("vectors", help="A .npy matrix (e.g. a document model's doc_vectors.npy).")
    parser.add_argument("--libraries", default="faiss,hnswlib,usearch")
    parser.add_argument("--connectivity", type=int, default=16)
    parser.add_argument("--widths", default="64,96,128,192,256")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--one", help=argparse.SUPPRESS)
    args = parser.parse_args()
    widths = [int(w) for w in args.widths.split(",")]
    if args.one:
        one(args.vectors, args.one, args.connectivity, widths, args.queries)
        return
    for library in args.libraries.split(","):
        command = [sys.executable, __file__, args.vectors, "--one", library]
        done = subprocess.run(
            [
                *command,
                "--widths",
                args.widths,
                "--connectivity",
                str(args.connectivity),
                "--queries",
                str(args.queries),
            ],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            print(f"{library}: failed: {done.stderr.strip().splitlines()[-1:]}")
            continue
        result = json.loads(done.stdout.strip().splitlines()[-1])
        size = f"{result['rows']:,} vectors"
        print(f"{library} M={args.connectivity} {size}: build {result['build']:.1f} s")
        for width, recall, p50, p99 in result["widths"]:
            print(f"  ef {width}: recall@11 {recall:.4f}  p50 {p50:.3f} ms  p99 {p99:.3f} ms")


if __name__ == "__main__":
    main()
