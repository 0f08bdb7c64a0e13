"""Okt's JVM must not shrink the main thread's stack: LSA after Okt in one
process crashed with a segmentation fault (scipy's lu ran out of stack)."""

from __future__ import annotations

import subprocess
import sys

import pytest

SCRIPT = """
import sys
import koembed
from koembed import create_tokenizer

print(create_tokenizer("okt").tokenize("아버지가방에들어가신다"))
model = koembed.train("lsa", sys.argv[1], dim=16, min_count=2)
print(len(model))
"""


def test_lsa_after_okt_in_one_process(law_tokens):
    pytest.importorskip("sklearn")
    run = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(law_tokens.path)], capture_output=True, text=True
    )
    if "java" in run.stderr.lower() and "not" in run.stderr.lower() and run.returncode == 1:
        pytest.skip(run.stderr.strip().splitlines()[-1])
    assert run.returncode == 0, f"exit {run.returncode}: {run.stderr[-2000:]}"
