"""With --seed and one worker, training gives identical vectors, in any process."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np

SCRIPT = """
import sys, koembed
model = koembed.train("word2vec", sys.argv[1], dim=16, min_count=2, epochs=2, workers=1, seed=3)
model.save(sys.argv[2])
"""


def test_word2vec_same_seed_same_vectors_across_processes(law_tokens, tmp_path):
    outputs = []
    for run, hash_seed in enumerate(("1", "2")):
        out = tmp_path / f"run{run}"
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run(
            [sys.executable, "-c", SCRIPT, str(law_tokens.path), str(out)], check=True, env=env
        )
        outputs.append(np.load(out / "vectors.npy"))
    np.testing.assert_array_equal(outputs[0], outputs[1])
