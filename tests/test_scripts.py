"""The Python API used from a script file, as a newcomer saves the README's snippet."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap

import pytest


def run_script(tmp_path, body: str) -> subprocess.CompletedProcess:
    script = tmp_path / "api.py"
    script.write_text(textwrap.dedent(body), encoding="utf-8")
    return subprocess.run(
        [sys.executable, str(script)],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture
def raw_file(tmp_path, sentences_path):
    path = tmp_path / "raw.txt"
    path.write_bytes(sentences_path.read_bytes() * 20)
    return path


def test_an_unguarded_script_asking_for_workers_still_runs_and_says_why_not(tmp_path, raw_file):
    result = run_script(
        tmp_path,
        f"""
        import koembed
        corpus = koembed.read_corpus({str(raw_file)!r})
        tokenized = koembed.tokenize_corpus(corpus, "out.mecab", tokenizer="mecab", workers=2)
        print(tokenized.manifest["workers"], tokenized.manifest["lines"])
        """,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "1",
        str(len(raw_file.read_text(encoding="utf-8").splitlines())),
    ]
    assert "if __name__ == '__main__':" in result.stderr
    assert "api.py:4" in result.stderr
    assert "OutputLockedError" not in result.stderr and "Traceback" not in result.stderr


def test_a_guarded_script_gets_its_workers(tmp_path, raw_file):
    result = run_script(
        tmp_path,
        f"""
        import koembed

        if __name__ == "__main__":
            corpus = koembed.read_corpus({str(raw_file)!r})
            tokenized = koembed.tokenize_corpus(corpus, "out.mecab", workers=2)
            print(tokenized.manifest["workers"])
        """,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["2"]
    assert "__main__" not in result.stderr


def test_the_readme_snippet_trains_from_a_raw_file_as_a_script(tmp_path, raw_file):
    """koembed.train on a small raw file chooses workers as the CLI does (1 below
    4 MiB); it used to take every core and crash an unguarded script."""
    result = run_script(
        tmp_path,
        f"""
        import json
        import koembed
        raw = koembed.read_corpus({str(raw_file)!r})
        model = koembed.train("word2vec", raw, tokenizer="mecab", cache_dir="cache",
                              min_count=1, dim=8, epochs=1)
        model.save("models/w2v")
        print(model.meta["corpus"]["workers"])
        print(json.dumps(koembed.load("models/w2v").most_similar("희망", topn=1)))
        """,
    )
    assert result.returncode == 0, result.stderr
    workers, answer = result.stdout.splitlines()
    assert workers == "1" and len(json.loads(answer)) == 1
    assert "Traceback" not in result.stderr and "__main__" not in result.stderr
