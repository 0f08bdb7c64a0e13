"""Does koembed stay flat as the corpus grows? Time per token and peak memory by size.

Runs `koembed tokenize` and `koembed train METHOD` on the first 100K, 200K,
400K and all 712,383 NSMC reviews, each command in its own process, and
prints per size and step: wall time, time per million tokens and peak
resident memory (ru_maxrss of
the command's process, as os.wait4 reports it: the largest of the process
and its worker processes). Time per token is CPU seconds (user + system, the
command and its workers) per million tokens: on a machine shared with other
work, wall time says more about the neighbours than about koembed. Time per
token should stay flat, and peak memory should follow the vocabulary (shown
beside it), not the number of lines; GloVe and PPMI hold their co-occurrence
table up to --memory (1 GiB by default) and spill to disk beyond it.

    python bench/scale.py                               # tokenize + word2vec
    python bench/scale.py --methods word2vec,glove,ppmi
    python bench/scale.py --sizes 50000,100000 --methods ppmi
    python bench/scale.py --decompress --methods none   # read a plain copy of the TSV

The NSMC file is xz -9, whose decoder fills a 64 MiB dictionary window as it
reads (the first 64 MiB of text): reading it alone grows RSS by up to 65 MB,
then stays flat whatever the length. --decompress reads an uncompressed copy
instead, to show what koembed itself holds.
"""

from __future__ import annotations

import argparse
import json
import lzma
import shutil
import sys
import tempfile
from pathlib import Path

from _measure import measure  # bench/ is on sys.path when a script there runs

NSMC = Path(__file__).resolve().parents[2] / "shared" / "data" / "nsmc" / "reviews.tsv.xz"
KOEMBED = str(Path(sys.executable).with_name("koembed"))
ALL = 712_383
SIZES = (100_000, 200_000, 400_000, ALL)
# Settings per method: (extra options, passes over the data the time is divided by).
METHODS = {
    "word2vec": (["--dim", "100", "--window", "5", "--epochs", "1"], 1),
    "glove": (["--dim", "100", "--window", "10", "--epochs", "5"], 1),
    "ppmi": (["--dim", "100", "--window", "5"], 1),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)))
    parser.add_argument("--methods", default="word2vec", help="comma-separated, or 'none'")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--corpus", type=Path, default=NSMC)
    parser.add_argument("--work", type=Path, default=None, help="folder for outputs")
    parser.add_argument("--decompress", action="store_true", help="read a plain copy")
    args = parser.parse_args()
    if not args.corpus.exists():
        raise SystemExit(f"needs the NSMC reviews at {args.corpus}")
    methods = [] if args.methods == "none" else args.methods.split(",")
    work = args.work or Path(tempfile.mkdtemp(prefix="koembed-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    if args.decompress and args.corpus.suffix == ".xz":
        plain = work / args.corpus.with_suffix("").name
        with lzma.open(args.corpus) as source, open(plain, "wb") as target:
            shutil.copyfileobj(source, target, 1 << 20)
        args.corpus = plain
    workers = str(args.workers)
    rows = []
    for size in map(int, args.sizes.split(",")):
        tokens_path = work / f"nsmc-{size}.mecab"
        seconds, peak, cpu = measure(
            [
                KOEMBED, "tokenize", str(args.corpus), "--column", "4", "--max-lines", str(size),
                "-o", str(tokens_path), "--workers", workers, "--force",
            ]
        )  # fmt: skip
        manifest = json.loads(Path(f"{tokens_path}.manifest.json").read_text(encoding="utf-8"))
        tokens = manifest["tokens"]
        rows.append((size, tokens, "tokenize", seconds, cpu / (tokens / 1e6), peak, None))
        print(f"  {size:,} lines tokenized in {seconds:.1f} s", file=sys.stderr, flush=True)
        for method in methods:
            options, passes = METHODS[method]
            model = work / f"{method}-{size}"
            threads = ["--workers", workers] if method != "ppmi" else []
            seconds, peak, cpu = measure(
                [
                    KOEMBED, "train", method, str(tokens_path), "-o", str(model),
                    "--min-count", "5", *options, *threads, "--overwrite",
                ]
            )  # fmt: skip
            vocab = len((model / "vocab.txt").read_text(encoding="utf-8").splitlines())
            per_million = cpu / (tokens * passes / 1e6)
            rows.append((size, tokens, method, seconds, per_million, peak, vocab))
            print(f"  {size:,} lines: {method} in {seconds:.1f} s", file=sys.stderr, flush=True)

    print(
        f"NSMC reviews (column 4) from {args.corpus.name}, {args.workers} workers; "
        f"peak = ru_maxrss of the command"
    )
    header = f"{'lines':>8} {'tokens':>11} {'step':9} {'wall s':>8} {'CPU s/M tok':>11} "
    print(header + f"{'peak MB':>8} {'vocab':>7} {'MB/1K vocab':>11}")
    for size, tokens, step, seconds, per_million, peak, vocab in rows:
        ratio = f"{peak / (vocab / 1000):11.2f}" if vocab else f"{'':11}"
        print(
            f"{size:8,} {tokens:11,} {step:9} {seconds:8.1f} {per_million:11.2f} {peak:8.0f} "
            f"{vocab or '':>7} {ratio}"
        )
    by_step: dict[str, list] = {}
    for row in rows:
        by_step.setdefault(row[2], []).append(row)
    for step, steps in by_step.items():
        first, last = steps[0], steps[-1]
        print(
            f"{step}: {last[0] / first[0]:.1f}x the lines -> CPU time per token x"
            f"{last[4] / first[4]:.2f}, peak memory x{last[5] / first[5]:.2f}"
            + (f", vocabulary x{last[6] / first[6]:.2f}" if first[6] else "")
        )


if __name__ == "__main__":
    main()
