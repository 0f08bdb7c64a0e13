"""Runs killed midway (SIGINT, SIGKILL) lose nothing; two runs never interleave."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import koembed

KOEMBED = [sys.executable, "-m", "koembed"]


@pytest.fixture(scope="module")
def big_corpus(tmp_path_factory) -> Path:
    """kobill repeated: long enough (about 10 s of tokenizing) to be killed midway."""
    lines = list(koembed.read_corpus("kobill"))
    path = tmp_path_factory.mktemp("big") / "big.txt"
    path.write_text("\n".join(lines * 30) + "\n", encoding="utf-8")
    return path


def start(*args: object) -> subprocess.Popen:
    return subprocess.Popen(
        [*KOEMBED, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def wait_for(predicate, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        if time.monotonic() > deadline:
            raise AssertionError("timed out waiting")
        time.sleep(0.05)


def partials(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if ".partial-" in p.name or p.name.endswith(".lock")]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
@pytest.mark.parametrize("workers", [1, 2])
def test_killed_tokenize_keeps_previous_output_and_rerun_succeeds(
    big_corpus, tmp_path, sig, workers
):
    out = tmp_path / "big.mecab"
    out.write_text("이전 의 완전한 출력\n", encoding="utf-8")
    previous = out.read_bytes()
    run = start("tokenize", big_corpus, "-o", out, "--overwrite", "--workers", workers)
    wait_for(
        lambda: any(
            p.name.startswith(".big.mecab.partial-") and p.stat().st_size > 0
            for p in tmp_path.iterdir()
        )
    )
    run.send_signal(sig)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode != 0
    assert out.read_bytes() == previous
    if sig == signal.SIGINT:
        assert "Traceback" not in stderr
        assert "interrupted" in stderr
        assert partials(tmp_path) == []
    rerun = subprocess.run(
        [*KOEMBED, "tokenize", "kolaw", "-o", out, "--overwrite"], capture_output=True, text=True
    )
    assert rerun.returncode == 0, rerun.stderr
    assert out.read_text(encoding="utf-8").startswith("대한민국 헌법\n")
    assert partials(tmp_path) == []


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGKILL])
def test_killed_training_leaves_no_model(law_tokens, tmp_path, sig):
    model = tmp_path / "w2v"
    run = start(
        "train",
        "word2vec",
        law_tokens.path,
        "-o",
        model,
        "--epochs",
        "2000",
        "--min-count",
        "2",
        "--workers",
        "1",
    )
    wait_for(lambda: run.poll() is not None or time.sleep(2) is None)  # training is underway
    run.send_signal(sig)
    _, stderr = run.communicate(timeout=60)
    assert run.returncode != 0
    assert not model.exists()
    assert "Traceback" not in stderr
    rerun = subprocess.run(
        [
            *KOEMBED,
            "train",
            "word2vec",
            law_tokens.path,
            "-o",
            model,
            "--epochs",
            "1",
            "--min-count",
            "2",
        ],
        capture_output=True,
        text=True,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert koembed.load(model).dim == 300  # word2vec's default dim


def test_a_second_run_on_the_same_output_refuses(big_corpus, tmp_path):
    out = tmp_path / "big.mecab"
    first = start("tokenize", big_corpus, "-o", out)
    wait_for(lambda: (tmp_path / ".big.mecab.lock").exists())
    second = subprocess.run(
        [*KOEMBED, "tokenize", "kolaw", "-o", out, "--overwrite"], capture_output=True, text=True
    )
    assert second.returncode == 1
    assert "another koembed run" in second.stderr and str(first.pid) in second.stderr
    first.send_signal(signal.SIGINT)
    first.communicate(timeout=60)


def test_stale_lock_and_partials_of_a_dead_run_are_cleaned(tmp_path):
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    (tmp_path / ".o.mecab.lock").write_text(dead)
    (tmp_path / f".o.mecab.partial-{dead}").write_text("half")
    koembed.tokenize_corpus("kolaw", tmp_path / "o.mecab")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["o.mecab", "o.mecab.manifest.json"]


def test_scratch_folder_of_a_killed_training_is_removed_by_the_next(law_tokens, tmp_path):
    # fastText --jamo writes its jamo corpus to a scratch folder in TMPDIR;
    # SIGKILL leaves it there, and the next run that needs one removes it.
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    env = {**os.environ, "TMPDIR": str(scratch)}
    common = ["train", "fasttext", str(law_tokens.path), "--jamo", "--min-count", "2"]
    common += ["--bucket", "1000", "--dim", "8", "--workers", "1"]
    run = subprocess.Popen(
        [*KOEMBED, *common, "-o", str(tmp_path / "ft1"), "--epochs", "2000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
    )
    wait_for(lambda: any(scratch.glob(f"koembed-jamo-{run.pid}-*/corpus.jamo")))
    time.sleep(1)
    run.kill()
    run.communicate(timeout=60)
    assert list(scratch.glob(f"koembed-jamo-{run.pid}-*"))  # what SIGKILL leaves
    rerun = subprocess.run(
        [*KOEMBED, *common, "-o", str(tmp_path / "ft2"), "--epochs", "1"],
        capture_output=True,
        text=True,
        env=env,
    )
    assert rerun.returncode == 0, rerun.stderr
    assert list(scratch.iterdir()) == []


def test_previous_model_restored_if_killed_between_renames(law_model, tmp_path, monkeypatch):
    model = law_model.save(tmp_path / "w2v")
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    ).stdout.strip()
    os.replace(model, tmp_path / f".w2v.old-{dead}")  # as a kill at that moment leaves it

    def fail(*args):
        raise KeyboardInterrupt

    monkeypatch.setattr("koembed.models.directory.write_word2vec_text", fail)
    with pytest.raises(KeyboardInterrupt):
        law_model.save(model, overwrite=True)  # the next write of that name, interrupted too
    assert koembed.load(model).words == law_model.words
    assert sorted(p.name for p in tmp_path.iterdir()) == ["w2v"]
