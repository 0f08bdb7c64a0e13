"""The cost of the Spark engine on one machine: local engine vs Spark local[N], side by side.

On the full NSMC reviews, each command in its own process (Spark's start-up
included, as a user sees it):

  tokenize   koembed tokenize --workers N   vs  --engine spark --master local[N]
             (the outputs must be byte-identical; the script checks)
  ppmi       koembed train ppmi: co-occurrences counted here vs in a Spark job
  word2vec   koembed train word2vec: gensim vs Spark MLlib (other algorithm:
             hierarchical softmax; MLlib's numPartitions = N)

Spark cannot read .xz, so the reviews are first decompressed to a plain TSV
(not timed). Peak RSS and CPU are os.wait4's for the koembed command: they
cover the processes it waited for, which need not include Spark's JVM and its
Python workers, so for Spark they understate; wall time is the figure to read.

    python bench/spark.py                       # tokenize + ppmi + word2vec
    python bench/spark.py --steps tokenize --lines 200000
"""

from __future__ import annotations

import argparse
import filecmp
import lzma
import shutil
import sys
import tempfile
from pathlib import Path

from _measure import measure  # bench/ is on sys.path when a script there runs

NSMC = Path(__file__).resolve().parents[2] / "shared" / "data" / "nsmc" / "reviews.tsv.xz"
KOEMBED = str(Path(sys.executable).with_name("koembed"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=0, help="first N reviews (0 = all)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--steps", default="tokenize,ppmi,word2vec")
    parser.add_argument("--corpus", type=Path, default=NSMC)
    parser.add_argument("--work", type=Path, default=None, help="folder for outputs")
    args = parser.parse_args()
    if not args.corpus.exists():
        raise SystemExit(f"needs the NSMC reviews at {args.corpus}")
    work = args.work or Path(tempfile.mkdtemp(prefix="koembed-spark-"))
    work.mkdir(parents=True, exist_ok=True)
    plain = work / "reviews.tsv"
    if not plain.exists():
        opener = lzma.open if args.corpus.suffix == ".xz" else open
        with opener(args.corpus, "rb") as source, open(plain, "wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
    n = str(args.workers)
    master = f"local[{args.workers}]"
    limit = ["--max-lines", str(args.lines)] if args.lines else []
    steps = args.steps.split(",")
    rows = []

    local_tokens, spark_tokens = work / "local.mecab", work / "spark.mecab"
    tokenize = [KOEMBED, "tokenize", str(plain), "--column", "4", *limit, "--force"]
    local = measure([*tokenize, "-o", str(local_tokens), "--workers", n])
    if "tokenize" in steps:
        spark = measure(
            [*tokenize, "-o", str(spark_tokens), "--engine", "spark", "--master", master]
        )
        same = filecmp.cmp(local_tokens, spark_tokens, shallow=False)
        rows.append(("tokenize (mecab)", local, spark, "identical" if same else "DIFFERENT"))
    if "ppmi" in steps:
        train = [KOEMBED, "train", "ppmi", str(local_tokens), "--dim", "100", "--overwrite"]
        rows.append(
            (
                "ppmi (counts + SVD)",
                measure([*train, "-o", str(work / "ppmi-local")]),
                measure([*train, "-o", str(work / "ppmi-spark"), "--engine", "spark",
                         "--master", master]),
                "",
            )
        )  # fmt: skip
    if "word2vec" in steps:
        train = [
            KOEMBED, "train", "word2vec", str(local_tokens), "--dim", "100", "--epochs", "1",
            "--workers", n, "--overwrite",
        ]  # fmt: skip
        rows.append(
            (
                "word2vec, 1 epoch",
                measure([*train, "-o", str(work / "w2v-local")]),
                measure([*train, "-o", str(work / "w2v-spark"), "--engine", "spark",
                         "--master", master]),
                "gensim SGNS vs MLlib HS",
            )
        )  # fmt: skip

    lines = args.lines or 712_383
    print(f"NSMC reviews: {lines:,} lines; local engine with {n} workers vs Spark {master}")
    print(
        f"{'step':22} {'local s':>8} {'spark s':>8} {'spark/local':>11} "
        f"{'local CPU':>9} {'spark CPU':>9} {'local MB':>8} {'spark MB':>8}  note"
    )
    for name, (ls, lm, lc), (ss, sm, sc), note in rows:
        print(
            f"{name:22} {ls:8.1f} {ss:8.1f} {ss / ls:11.2f} {lc:9.1f} {sc:9.1f} "
            f"{lm:8.0f} {sm:8.0f}  {note}"
        )


if __name__ == "__main__":
    main()
