"""With --seed and one worker, every method gives identical vectors in any
process, and its koembed.json records the versions of what made them."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import numpy as np
import pytest

from koembed.registry import TRAINERS

METHODS = TRAINERS.names()

# Each method in one process per run, the two runs side by side; a different
# PYTHONHASHSEED in each, so nothing may depend on the order of a set or dict.
SCRIPT = """
import json, sys
import koembed
from koembed.registry import TRAINERS

corpus, out = sys.argv[1], sys.argv[2]
small = {"dim": 16, "min_count": 2, "seed": 3, "epochs": 2, "workers": 1, "bucket": 5000}
for method in TRAINERS.names():
    params = TRAINERS.get(method).params
    model = koembed.train(method, corpus, **{k: v for k, v in small.items() if k in params})
    model.save(f"{out}/{method}")
"""

# Libraries whose versions a method's result depends on, beyond numpy.
LIBRARIES = {
    "word2vec": ["gensim"],
    "fasttext": ["gensim"],
    "glove": ["numba"],
    "ppmi": ["numba", "scipy"],
    "lsa": ["scikit-learn"],
    "doc2vec": ["gensim"],
}


@pytest.fixture(scope="module")
def two_runs(law_tokens, tmp_path_factory):
    folders = [tmp_path_factory.mktemp(f"run{seed}") for seed in (1, 2)]
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", SCRIPT, str(law_tokens.path), str(folder)],
            env={**os.environ, "PYTHONHASHSEED": str(seed)},
            stderr=subprocess.PIPE,
            text=True,
        )
        for seed, folder in zip((1, 2), folders)
    ]
    for run in runs:
        _, stderr = run.communicate(timeout=600)
        assert run.returncode == 0, stderr
    return folders


@pytest.mark.parametrize("method", METHODS)
def test_same_seed_same_vectors_across_processes(two_runs, method):
    first, second = (folder / method for folder in two_runs)
    assert (first / "vocab.txt").read_text() == (second / "vocab.txt").read_text()
    np.testing.assert_array_equal(np.load(first / "vectors.npy"), np.load(second / "vectors.npy"))
    for extra in sorted(first.glob("*.npy")):  # n-grams, document vectors...
        np.testing.assert_array_equal(np.load(extra), np.load(second / extra.name))


@pytest.mark.parametrize("method", METHODS)
def test_model_records_the_versions_behind_it(two_runs, method):
    meta = json.loads((two_runs[0] / method / "koembed.json").read_text(encoding="utf-8"))
    versions = meta["versions"]
    for name in ["koembed", "python", "platform", "numpy", *LIBRARIES.get(method, [])]:
        assert versions.get(name), f"{method}: no version of {name} in koembed.json"
    # The tokenizer's library too (the corpus was tokenized with mecab).
    assert versions.get("python-mecab-ko") and versions.get("python-mecab-ko-dic")
    if "seed" in TRAINERS.get(method).params:
        assert meta["params"]["seed"] == 3
