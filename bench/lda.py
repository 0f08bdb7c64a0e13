"""LDA backends side by side: tomotopy (Gibbs sampling) against gensim's
LdaMulticore (online variational Bayes, what ratsgo/embedding runs).

    python bench/lda.py work/nsmc.pos.mecab [--lines 100000] [--topics 30]

Takes the first ``--lines`` documents of a corpus tokenized with ``--pos``,
and trains each backend with `koembed train lda` (nouns: ``--keep-pos
NNG,NNP``, ``--max-doc-freq 0.1``, 2 workers) in its own process: seconds,
peak memory, and the c_v and u_mass coherence each model reports (over the
same first 20,000 documents holding a vocabulary word, top 10 words).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path

from _measure import measure

KOEMBED = str(Path(sys.executable).with_name("koembed"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tokens", type=Path, help="tokenized corpus, with --pos")
    parser.add_argument("--lines", type=int, default=100_000)
    parser.add_argument("--topics", type=int, default=30)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="koembed-bench-") as folder:
        corpus = Path(folder) / "corpus.tok"
        with open(args.tokens, encoding="utf-8") as source, open(corpus, "w") as out:
            for number, line in enumerate(source):
                if number == args.lines:
                    break
                out.write(line)
        print(f"{args.lines:,} documents of {args.tokens}, {args.topics} topics")
        print(f"{'backend':9} {'seconds':>8} {'peak MB':>8} {'c_v':>7} {'u_mass':>8}")
        for backend in ("tomotopy", "gensim"):
            model = Path(folder) / backend
            seconds, peak, _ = measure([
                KOEMBED, "train", "lda", str(corpus), "-o", str(model), "--backend", backend,
                "--topics", str(args.topics), "--keep-pos", "NNG,NNP", "--max-doc-freq", "0.1",
                "--workers", str(args.workers), "--show", "none",
            ])  # fmt: skip
            meta = json.loads((model / "koembed.json").read_text(encoding="utf-8"))
            scores = meta["topics"]["coherence"]
            print(f"{backend:9} {seconds:8.1f} {peak:8.0f} {scores['c_v']:7.4f} "
                  f"{scores['u_mass']:8.4f}", flush=True)  # fmt: skip


if __name__ == "__main__":
    main()
