"""Word-similarity and analogy scores of every registered method on one corpus.

    python bench/quality.py work/nsmc.mecab [--methods word2vec fasttext] [--save models/]

Trains each method on the given tokenized file and prints WS-353 (Korean)
Spearman correlation with its coverage, and analogy accuracy with coverage
(gensim's ``evaluate_word_analogies`` on koembed's vectors). Only pairs and
questions whose words are all in the vocabulary count; coverage says how many
that was. A stop-gap until ``koembed evaluate`` exists.
"""

from __future__ import annotations

import argparse
import csv
import logging
import sys
import time
from pathlib import Path

from train import SETTINGS, SHARED


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tokens", type=Path, help="tokenized corpus ('koembed tokenize')")
    parser.add_argument("--methods", nargs="*", help="default: every registered method")
    parser.add_argument("--eval", type=Path, default=SHARED / "eval")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--save", type=Path, help="also save each model under this folder")
    args = parser.parse_args()
    logging.basicConfig(level=logging.WARNING)

    from koembed.documents import document_methods
    from koembed.errors import MissingDependencyError
    from koembed.registry import TRAINERS
    from koembed.trainers.base import create_trainer

    pairs = read_ws353(args.eval / "kor_ws353.csv")
    analogies = args.eval / "kor_analogy.txt"
    questions = sum(
        1 for line in analogies.open(encoding="utf-8") if line.strip() and line[0] != ":"
    )
    print(f"corpus {args.tokens}; WS-353 {len(pairs)} pairs; analogy {questions} questions")
    print(f"{'method':10} {'WS-353 rho':>10} {'coverage':>9} {'analogy':>8} {'coverage':>9}  s")
    # The word methods (document methods are trained by bench/sentiment.py, bench/embed.py).
    documents = document_methods()
    word_methods = [name for name in TRAINERS.names() if name not in documents]
    for method in args.methods or word_methods:
        try:
            trainer_class = TRAINERS.get(method)
            wanted = {**SETTINGS.get(method, {}), "workers": args.workers}
            given = {k: v for k, v in wanted.items() if k in trainer_class.params}
            trainer = create_trainer(method, **given)
        except (MissingDependencyError, ImportError) as error:
            print(f"skipping {method}: {error}")
            continue
        started = time.perf_counter()
        model = trainer.fit(args.tokens)
        seconds = time.perf_counter() - started
        if args.save:
            model.save(args.save / method, overwrite=True)
        rho, pairs_used = word_similarity(model, pairs)
        accuracy, answered = analogy(model, analogies)
        print(
            f"{method:10} {rho:10.3f} {pairs_used / len(pairs):9.1%} "
            f"{accuracy:8.3f} {answered / questions:9.1%}  {seconds:.0f}"
        )
        sys.stdout.flush()


def read_ws353(path: Path) -> list[tuple[str, str, float]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = csv.DictReader(handle)
        return [(r["word 1"].strip(), r["word 2"].strip(), float(r["kor_score"])) for r in rows]


def word_similarity(model, pairs) -> tuple[float, int]:
    """Spearman rho over the pairs whose two words are in the vocabulary."""
    import numpy as np
    from scipy.stats import spearmanr

    gold, predicted = [], []
    unit = model.unit_vectors
    for first, second, score in pairs:
        if first in model.index and second in model.index:
            gold.append(score)
            predicted.append(float(unit[model.index[first]] @ unit[model.index[second]]))
    if len(gold) < 2:
        return float("nan"), len(gold)
    return float(spearmanr(np.array(gold), np.array(predicted)).statistic), len(gold)


def analogy(model, path: Path) -> tuple[float, int]:
    """Accuracy over the questions whose four words are in the vocabulary."""
    from gensim.models import KeyedVectors

    vectors = KeyedVectors(model.dim)
    vectors.add_vectors(model.words, model.vectors)
    score, sections = vectors.evaluate_word_analogies(
        str(path), restrict_vocab=len(model), case_insensitive=False
    )
    total = next(s for s in sections if s["section"] == "Total accuracy")
    return float(score), len(total["correct"]) + len(total["incorrect"])


if __name__ == "__main__":
    main()
