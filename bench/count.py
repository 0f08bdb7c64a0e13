"""Speed, memory and a quality sanity check of the count-based trainers.

On the mecab-tokenized first 200,000 NSMC reviews, trains each method in a
child process of its own and prints, side by side: wall seconds of counting
and of training, peak memory of the child (ru_maxrss, which numpy's arrays
count in, unlike tracemalloc), the target, and WS-353 (Korean) Spearman with
coverage, plus nearest neighbours of 영화 and 희망 to eyeball.

    python bench/count.py                    # glove, ppmi, and word2vec for comparison
    python bench/count.py --methods glove    # one method
    python bench/count.py --corpus FILE      # another tokenized corpus

Targets (issue 4): GloVe with window 10, x-max 10, 100 dims, 15 epochs,
min-count 5, 2 threads in at most 1.5 x the 83 s the reference C tools took
on this machine (counting included); PPMI/SVD within 60 s and 4 GiB.
"""

from __future__ import annotations

import argparse
import csv
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# ../shared beside the repository (or beside the folder of git worktrees).
SHARED = next(
    (p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").is_dir()),
    ROOT.parent / "shared",
)
NSMC = SHARED / "data" / "nsmc" / "reviews.tsv.xz"
WS353 = SHARED / "eval" / "kor_ws353.csv"
DEFAULT_CORPUS = Path("/tmp/koembed-bench/nsmc200k.mecab")
LINES = 200_000
REFERENCE_GLOVE_SECONDS = 83.0  # stanfordnlp/GloVe, all four tools, same settings

SETTINGS = {
    "glove": dict(window=10, x_max=10.0, dim=100, epochs=15, min_count=5, workers=2, memory=1.0),
    "ppmi": dict(window=5, dim=100, min_count=5, cds=0.75, neg=1.0, eig=0.5, memory=1.0),
    "word2vec": dict(window=5, dim=100, min_count=5, epochs=5, workers=2),
}
TARGETS = {
    "glove": (1.5 * REFERENCE_GLOVE_SECONDS, None),
    "ppmi": (60.0, 4.0),
}


def make_corpus(path: Path) -> None:
    import koembed

    if path.exists():
        return
    if not NSMC.exists():
        sys.exit(f"no corpus at {path} and no NSMC reviews at {NSMC} to make it from")
    print(f"tokenizing the first {LINES:,} NSMC lines into {path} ...", file=sys.stderr)
    corpus = koembed.read_corpus(NSMC, column=4, max_lines=LINES)
    koembed.tokenize_corpus(corpus, path, tokenizer="mecab", workers=2)


def ws353(model) -> tuple[float | None, int, int]:
    """Spearman's rho over the pairs whose words are both in the vocabulary."""
    from scipy.stats import spearmanr

    if not WS353.exists():
        return None, 0, 0
    with open(WS353, encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.DictReader(handle))
    gold, predicted = [], []
    unit = model.unit_vectors
    for row in rows:
        first, second = row["word 1"].strip(), row["word 2"].strip()
        if first in model.index and second in model.index:
            gold.append(float(row["kor_score"]))
            predicted.append(float(unit[model.index[first]] @ unit[model.index[second]]))
    rho = spearmanr(gold, predicted).statistic if len(gold) > 2 else None
    return rho, len(gold), len(rows)


def child(method: str, corpus: str) -> None:
    """Train one method in this (fresh) process and print its figures as JSON."""
    import koembed

    params = SETTINGS[method]
    started = time.perf_counter()
    model = koembed.train(method, corpus, **params)
    wall = time.perf_counter() - started
    rho, found, total = ws353(model)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # KiB on Linux
    result = {
        "method": method,
        "params": params,
        "wall": wall,
        "count": model.meta.get("count_seconds"),
        "vocabulary": len(model),
        "peak_bytes": peak,
        "ws353": rho,
        "ws353_pairs": [found, total],
        "neighbours": {
            word: [w for w, _ in model.most_similar(word, topn=8)] for word in ("영화", "희망")
        },
    }
    print(json.dumps(result, ensure_ascii=False))


def _fmt(value, spec: str) -> str:
    width = int("".join(c for c in spec.split(".")[0] if c.isdigit()) or 0)
    return "-".rjust(width) if value is None else format(value, spec)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--methods", nargs="+", default=["glove", "ppmi", "word2vec"])
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, str(args.corpus))
        return
    make_corpus(args.corpus)
    results = []
    for method in args.methods:
        print(f"training {method} ...", file=sys.stderr)
        done = subprocess.run(
            [sys.executable, __file__, "--child", method, "--corpus", str(args.corpus)],
            capture_output=True,
            text=True,
            check=False,
        )
        if done.returncode != 0:
            sys.exit(f"{method} failed:\n{done.stderr}")
        results.append(json.loads(done.stdout.strip().splitlines()[-1]))

    print(f"corpus: {args.corpus}")
    header = (
        f"{'method':<9} {'count s':>8} {'train s':>8} {'total s':>8} {'target s':>9} "
        f"{'ratio':>6} {'peak MiB':>9} {'target':>7} {'words':>7} {'WS-353':>7} {'pairs':>8}"
    )
    print(header)
    print("-" * len(header))
    for r in results:
        seconds_target, gib_target = TARGETS.get(r["method"], (None, None))
        count = r["count"]
        train = r["wall"] - count if count is not None else r["wall"]
        ratio = r["wall"] / seconds_target if seconds_target else None
        print(
            f"{r['method']:<9} {_fmt(count, '8.1f')} {_fmt(train, '8.1f')} "
            f"{_fmt(r['wall'], '8.1f')} {_fmt(seconds_target, '9.1f')} {_fmt(ratio, '6.2f')} "
            f"{_fmt(r['peak_bytes'] / 2**20, '9.0f')} "
            f"{_fmt(f'{gib_target:.0f} GiB' if gib_target else None, '>7')} "
            f"{_fmt(r['vocabulary'], '7,')} {_fmt(r['ws353'], '7.3f')} "
            f"{r['ws353_pairs'][0]:>4}/{r['ws353_pairs'][1]:<3}"
        )
    print()
    for r in results:
        print(f"{r['method']} settings: {r['params']}")
        for word, neighbours in r["neighbours"].items():
            print(f"  {word}: {' '.join(neighbours)}")
    print(
        "\nGloVe target: 1.5 x the reference C tools' 83 s (vocab_count + cooccur + shuffle + "
        "glove, same settings, one clean run on this machine). Figures are wall seconds of one "
        "run; on a shared machine they are noisy."
    )


if __name__ == "__main__":
    main()
