"""Trainable tokenizers on NSMC: fit time, then lines/s with 1 and 2 workers.

For each of soynlp, sentencepiece, bpe and wordpiece, on the first N review
texts of ../shared/data/nsmc/reviews.tsv.xz (column 4):

* ``koembed tokenize``'s API trains the tokenizer on the text and tokenizes
  it with ``workers=1`` (the fit and the tokenizing are timed apart);
* the same trained tokenizer (``tokenizer_model=``) tokenizes it again with
  ``workers=2``, worker start-up included.

Prints one table, figures side by side, and the 2-worker / 1-worker ratio.
Usage: ``python bench/tokenize_trained.py [--lines 100000] [--backends soynlp,bpe]``
"""

from __future__ import annotations

import argparse
import lzma
import sys
import tempfile
from pathlib import Path

import koembed

ROOT = Path(__file__).resolve().parents[1]
NSMC = ROOT.parent / "shared" / "data" / "nsmc" / "reviews.tsv.xz"
BACKENDS = ("soynlp", "sentencepiece", "bpe", "wordpiece")


def first_texts(path: Path, count: int, target: Path) -> int:
    """Write the text column of the first ``count`` reviews to ``target``."""
    written = 0
    with (
        lzma.open(path, "rt", encoding="utf-8") as source,
        open(target, "w", encoding="utf-8") as out,
    ):
        for line in source:
            if written == count:
                break
            fields = line.rstrip("\n").split("\t")
            out.write((fields[3] if len(fields) > 3 else "") + "\n")
            written += 1
    return written


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--backends", default=",".join(BACKENDS))
    parser.add_argument("--nsmc", type=Path, default=NSMC)
    args = parser.parse_args()
    if not args.nsmc.exists():
        print(f"skipped: {args.nsmc} is absent", file=sys.stderr)
        return 0
    with tempfile.TemporaryDirectory(prefix="koembed-bench-") as work:
        work = Path(work)
        text = work / "nsmc.txt"
        lines = first_texts(args.nsmc, args.lines, text)
        corpus = koembed.read_corpus(text)
        print(f"first {lines:,} NSMC reviews; default options; user dictionary: none")
        header = (
            f"{'backend':<14}{'fit s':>8}{'fit lines/s':>13}"
            f"{'w1 lines/s':>12}{'w2 lines/s':>12}{'w2/w1':>7}"
        )
        print(header)
        print("-" * len(header))
        for backend in args.backends.split(","):
            one = koembed.tokenize_corpus(
                corpus, work / f"{backend}.1", tokenizer=backend, workers=1
            )
            fit_seconds = one.manifest["tokenizer_training"]["seconds"]
            two = koembed.tokenize_corpus(
                corpus,
                work / f"{backend}.2",
                tokenizer_model=work / f"{backend}.1.tokenizer",
                workers=2,
            )
            assert one.path.read_bytes() == two.path.read_bytes(), backend
            # The first run's seconds include the fit.
            rate1 = lines / (one.manifest["seconds"] - fit_seconds)
            rate2 = lines / two.manifest["seconds"]
            print(
                f"{backend:<14}{fit_seconds:>8.1f}{lines / fit_seconds:>13,.0f}"
                f"{rate1:>12,.0f}{rate2:>12,.0f}{rate2 / rate1:>7.2f}"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
