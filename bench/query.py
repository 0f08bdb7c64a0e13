"""How fast a model loads and answers: figures beside their targets.

    python bench/query.py MODEL_DIR [--queries 1000] [--seed 0]

Prints the load time (no pickle: vocab.txt + memory-mapped .npy), the first
query (builds the word index and pages the unit vectors in), the median and
p99 latency of random ``most_similar`` queries (gensim's on the same matrix
beside it), the wall time of the whole ``koembed similar`` command as a
subprocess, and which heavy modules that command imported. Timings on a
shared machine are noisy: run it when nothing else is running, or say so.
"""

from __future__ import annotations

import argparse
import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

TARGETS = {"load_ms": 50.0, "median_ms": 0.5, "command_s": 1.5}
HEAVY = ("gensim", "scipy", "matplotlib", "sklearn", "plotly", "umap", "mecab", "_mecab")


def _row(name: str, value: float, unit: str, target: float | None = None) -> str:
    if target is None:
        return f"  {name:<34}{value:>10.3f} {unit}"
    verdict = "ok" if value <= target else "OVER"
    return (
        f"  {name:<34}{value:>10.3f} {unit}   target < {target:g} {unit}"
        f"   ratio {value / target:5.2f}  {verdict}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path, help="A koembed model directory.")
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--topn", type=int, default=10)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    import numpy as np

    import koembed

    loads = []
    for _ in range(5):
        start = time.perf_counter()
        model = koembed.load(args.model)
        loads.append(1000 * (time.perf_counter() - start))
    has_unit_file = (args.model / "vectors.norm.npy").exists()
    print(f"{model!r} from {args.model}")
    print(f"  unit vectors: {'vectors.norm.npy (memory-mapped)' if has_unit_file else 'computed'}")

    words = random.Random(args.seed).choices(model.words, k=args.queries)
    start = time.perf_counter()
    model.most_similar(words[0], topn=args.topn)
    first_ms = 1000 * (time.perf_counter() - start)

    latencies = []
    for word in words:
        start = time.perf_counter()
        model.most_similar(word, topn=args.topn)
        latencies.append(1000 * (time.perf_counter() - start))
    latencies.sort()
    median = statistics.median(latencies)
    p99 = latencies[int(0.99 * (len(latencies) - 1))]

    from gensim.models import KeyedVectors

    reference = KeyedVectors(model.dim)
    reference.add_vectors(model.words, np.asarray(model.vectors))
    reference.fill_norms()
    gensim_latencies = []
    for word in words:
        start = time.perf_counter()
        reference.most_similar(word, topn=args.topn)
        gensim_latencies.append(1000 * (time.perf_counter() - start))
    gensim_median = statistics.median(gensim_latencies)

    # The whole command: interpreter start, imports, load, one query, output.
    koembed_cli = Path(sys.executable).with_name("koembed")
    command = [str(koembed_cli), "similar", words[1], "--model", str(args.model)]
    walls = []
    for _ in range(3):
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        walls.append(time.perf_counter() - start)
    traced = subprocess.run(
        [
            sys.executable,
            "-X",
            "importtime",
            "-c",
            "from koembed.cli import main; main()",
            *command[1:],
        ],
        capture_output=True,
        text=True,
    )
    imported = {
        line.rsplit("|", 1)[-1].strip().split(".")[0]
        for line in traced.stderr.splitlines()
        if line.startswith("import time:")
    }
    heavy = sorted(set(HEAVY) & imported)
    total_import_us = [
        int(line.split("|")[1])
        for line in traced.stderr.splitlines()
        if line.startswith("import time:") and line.rsplit("|", 1)[-1].strip() == "koembed.cli"
    ]

    print(f"load ({len(loads)} runs, best of warm file cache; first {loads[0]:.1f} ms)")
    print(_row("koembed.load, median", statistics.median(loads), "ms", TARGETS["load_ms"]))
    print(f"queries: {args.queries} random vocabulary words, topn={args.topn}")
    print(_row("first query (index, page-in)", first_ms, "ms"))
    print(_row("most_similar median", median, "ms", TARGETS["median_ms"]))
    print(_row("most_similar p99", p99, "ms"))
    print(_row("gensim most_similar median (ref.)", gensim_median, "ms"))
    print(f"  koembed / gensim median: {median / gensim_median:.2f}")
    print("command: " + " ".join(command[1:]))
    print(_row("wall time, median of 3", statistics.median(walls), "s", TARGETS["command_s"]))
    if total_import_us:
        print(_row("import koembed.cli (cumulative)", total_import_us[0] / 1000, "ms"))
    print(f"  heavy modules imported by the command: {', '.join(heavy) or 'none'}")


if __name__ == "__main__":
    main()
