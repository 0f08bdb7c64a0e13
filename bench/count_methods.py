"""Swivel, GloVe and PPMI side by side: the three methods trained on
co-occurrence counts, in one run on one tokenized corpus.

    python bench/count_methods.py work/nsmc.mecab [--epochs 10] [--workers 2]

Each method is one `koembed train` command (its own process, so the peak
memory is its own), then `koembed evaluate` with the Korean WS-353 and
analogy sets of ../shared/eval. Prints seconds (wall and counting), peak
resident memory, WS-353 Spearman with the pairs covered, and analogy accuracy
with the items covered. GloVe runs with --x-max 10, as in the README's table.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

from _measure import measure

SHARED = Path(__file__).resolve().parents[2] / "shared"
KOEMBED = str(Path(sys.executable).with_name("koembed"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tokens", type=Path, help="tokenized corpus ('koembed tokenize')")
    parser.add_argument("--eval", type=Path, default=SHARED / "eval")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--methods", nargs="*", default=["swivel", "glove", "ppmi"])
    args = parser.parse_args()
    options = {
        "swivel": ["--workers", str(args.workers)],
        "glove": ["--x-max", "10", "--workers", str(args.workers)],
        "ppmi": [],
    }
    print(f"corpus: {args.tokens} ({args.tokens.stat().st_size / 1e6:.1f} MB)", flush=True)
    header = f"{'method':8} {'seconds':>8} {'counting':>8} {'peak MB':>8} {'WS-353':>7} {'pairs':>7} {'analogy':>8} {'items':>11}"  # noqa: E501
    rows = []
    with tempfile.TemporaryDirectory(prefix="koembed-bench-") as folder:
        for method in args.methods:
            model = Path(folder) / method
            extra = options.get(method, [])
            command = [KOEMBED, "train", method, str(args.tokens), "-o", str(model)]
            seconds, peak, _ = measure([*command, "--dim", str(args.dim), *extra])
            meta = json.loads((model / "koembed.json").read_text(encoding="utf-8"))
            counting = meta.get("count_seconds", float("nan"))
            scores = evaluate(model, args.eval)
            rows.append((method, seconds, counting, peak, *scores))
            print(f"{method}: {seconds:.1f} s", flush=True)
    print(header)
    for method, seconds, counting, peak, rho, pairs, accuracy, items in rows:
        print(
            f"{method:8} {seconds:8.1f} {counting:8.1f} {peak:8.0f} {rho:7.3f} {pairs:>7} "
            f"{accuracy:8.1%} {items:>11}"
        )


def evaluate(model: Path, eval_dir: Path) -> tuple[float, str, float, str]:
    """WS-353 Spearman, pairs found, analogy accuracy, items found."""
    output = subprocess.run(
        [
            KOEMBED, "evaluate", "--model", str(model), "--json",
            "--ws353", str(eval_dir / "kor_ws353.csv"),
            "--analogy", str(eval_dir / "kor_analogy.txt"),
        ],
        check=True, capture_output=True, text=True,
    ).stdout  # fmt: skip
    report = json.loads(output)[0]
    pairs, overall = report["word_pairs"], report["analogies"]["overall"]
    return (
        pairs["spearman"],
        f"{pairs['found']}/{pairs['total']}",
        overall["accuracy"],
        f"{overall['found']}/{overall['total']}",
    )


if __name__ == "__main__":
    main()
