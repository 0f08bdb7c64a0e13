"""Tokenization cache (an up-to-date output is reused) and --resume of interrupted runs."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

import koembed
from koembed import OutputExistsError
from koembed.cli import app
from koembed.engines import pool
from koembed.tokenize import manifest_path
from koembed.tokenize.checkpoint import resume_dir

KOEMBED = [sys.executable, "-m", "koembed"]


@pytest.fixture
def corpus_file(tmp_path, sentences_path) -> Path:
    path = tmp_path / "in.txt"
    path.write_bytes(sentences_path.read_bytes())
    return path


def test_rerun_with_same_input_and_settings_reuses_the_output(tmp_path, corpus_file):
    out = tmp_path / "o.mecab"
    first = koembed.tokenize_corpus(corpus_file, out)
    assert not first.reused and "cache" in first.manifest
    stamp = out.stat().st_mtime_ns
    again = koembed.tokenize_corpus(corpus_file, out)
    assert again.reused and out.stat().st_mtime_ns == stamp
    assert again.manifest == first.manifest
    # --overwrite does not force a redo of an up-to-date output; --force does.
    assert koembed.tokenize_corpus(corpus_file, out, overwrite=True).reused
    forced = koembed.tokenize_corpus(corpus_file, out, force=True)
    assert not forced.reused and out.stat().st_mtime_ns != stamp


@pytest.mark.parametrize(
    "change",
    ["append", "same_size_edit", "touch", "max_lines", "option", "normalizer"],
)
def test_any_change_of_input_or_settings_redoes_it(tmp_path, corpus_file, change):
    out = tmp_path / "o.mecab"
    koembed.tokenize_corpus(corpus_file, out)
    before = out.read_bytes()
    stat = corpus_file.stat()
    options: dict = {}
    corpus: object = corpus_file
    if change == "append":
        with corpus_file.open("a", encoding="utf-8") as handle:
            handle.write("새 문장이 늘었다\n")
    elif change == "same_size_edit":  # same size and time, other bytes (cp -p)
        data = corpus_file.read_bytes()
        corpus_file.write_bytes(data.replace("희망".encode(), "절망".encode(), 1))
        os.utime(corpus_file, ns=(stat.st_atime_ns, stat.st_mtime_ns))
        assert corpus_file.stat().st_size == stat.st_size
    elif change == "touch":
        os.utime(corpus_file, ns=(stat.st_atime_ns, stat.st_mtime_ns + 10**9))
    elif change == "max_lines":
        corpus = koembed.read_corpus(corpus_file, max_lines=3)
    elif change == "option":
        options = {"pos": True}
    elif change == "normalizer":
        corpus = koembed.read_corpus(corpus_file, normalize="nfc,repeat")
    with pytest.raises(OutputExistsError):
        koembed.tokenize_corpus(corpus, out, **options)
    assert out.read_bytes() == before
    redone = koembed.tokenize_corpus(corpus, out, overwrite=True, **options)
    assert not redone.reused
    # ... and the redone output is reused in turn.
    assert koembed.tokenize_corpus(corpus, out, **options).reused


def test_user_dictionary_change_redoes_it(tmp_path, corpus_file, example_user_dict):
    out = tmp_path / "o.mecab"
    koembed.tokenize_corpus(corpus_file, out, user_dict=example_user_dict)
    assert koembed.tokenize_corpus(corpus_file, out, user_dict=example_user_dict).reused
    words = tmp_path / "words.tsv"
    words.write_text(example_user_dict.read_text(encoding="utf-8") + "새단어\n", encoding="utf-8")
    with pytest.raises(OutputExistsError):
        koembed.tokenize_corpus(corpus_file, out, user_dict=words)


def test_cli_says_it_reused_the_output(tmp_path, corpus_file):
    out = tmp_path / "o.mecab"
    runner = CliRunner()
    assert runner.invoke(app, ["tokenize", str(corpus_file), "-o", str(out)]).exit_code == 0
    result = runner.invoke(app, ["tokenize", str(corpus_file), "-o", str(out)])
    assert result.exit_code == 0, result.output
    said = " ".join(result.stderr.split())
    assert "is up to date" in said and "reused it" in said


def test_edited_output_is_not_reused(tmp_path, corpus_file):
    out = tmp_path / "o.mecab"
    koembed.tokenize_corpus(corpus_file, out)
    with out.open("a", encoding="utf-8") as handle:
        handle.write("덧붙인 줄\n")
    assert not koembed.tokenize_corpus(corpus_file, out, overwrite=True).reused


def test_standard_input_is_never_cached_nor_resumable(tmp_path):
    with pytest.raises(koembed.BadInputError, match="resume needs input files"):
        koembed.tokenize_corpus("-", tmp_path / "o", resume=True)


# -- resume -------------------------------------------------------------------


def _interrupt_after(batches: int):
    seen = []

    def progress(event):
        if event.task == "tokenize" and not event.finished:
            seen.append(event)
            if len(seen) == batches:
                raise KeyboardInterrupt
            time.sleep(0.21)  # so that the next batch reports too

    return progress


@pytest.mark.parametrize("workers", [1, 2])
def test_resume_after_an_interrupt_gives_the_uninterrupted_output(tmp_path, workers, monkeypatch):
    corpus = koembed.read_corpus(["kolaw", "kobill"])
    clean = koembed.tokenize_corpus(corpus, tmp_path / "clean.mecab")
    monkeypatch.setattr(pool, "BATCH_LINES", 40)
    monkeypatch.setattr("koembed.tokenize.checkpoint.CHECKPOINT_SECONDS", 0.0)
    out = tmp_path / "o.mecab"
    with pytest.raises(KeyboardInterrupt):
        koembed.tokenize_corpus(
            corpus, out, workers=workers, resume=True, progress=_interrupt_after(3)
        )
    assert not out.exists()
    state = json.loads((resume_dir(out) / "checkpoint.json").read_text(encoding="utf-8"))
    assert 0 < state["lines"] < clean.manifest["lines"]
    resumed = koembed.tokenize_corpus(corpus, out, workers=workers, resume=True)
    assert resumed.manifest["resumed_after_line"] == state["lines"]
    assert out.read_bytes() == clean.path.read_bytes()
    for key in ("lines", "tokens", "empty_lines", "bytes", "cache"):
        assert resumed.manifest[key] == clean.manifest[key]
    assert not resume_dir(out).exists()


def test_state_of_another_input_is_discarded_not_resumed(tmp_path, monkeypatch, corpus_file):
    monkeypatch.setattr(pool, "BATCH_LINES", 40)
    monkeypatch.setattr("koembed.tokenize.checkpoint.CHECKPOINT_SECONDS", 0.0)
    out = tmp_path / "o.mecab"
    with pytest.raises(KeyboardInterrupt):
        koembed.tokenize_corpus("kolaw", out, resume=True, progress=_interrupt_after(2))
    assert resume_dir(out).exists()
    result = koembed.tokenize_corpus(corpus_file, out, resume=True)
    assert "resumed_after_line" not in result.manifest
    assert (
        out.read_bytes() == koembed.tokenize_corpus(corpus_file, tmp_path / "c").path.read_bytes()
    )


def test_resume_of_a_trained_tokenizer_keeps_the_tokenizer_it_trained(tmp_path, monkeypatch):
    pytest.importorskip("soynlp")
    corpus = koembed.read_corpus(["kobill"])
    clean = koembed.tokenize_corpus(corpus, tmp_path / "clean.txt", tokenizer="soynlp")
    monkeypatch.setattr(pool, "BATCH_LINES", 40)
    monkeypatch.setattr("koembed.tokenize.checkpoint.CHECKPOINT_SECONDS", 0.0)
    out = tmp_path / "o.txt"
    with pytest.raises(KeyboardInterrupt):
        koembed.tokenize_corpus(
            corpus, out, tokenizer="soynlp", resume=True, progress=_interrupt_after(2)
        )
    resumed = koembed.tokenize_corpus(corpus, out, tokenizer="soynlp", resume=True)
    assert resumed.manifest["resumed_after_line"] > 0
    assert out.read_bytes() == clean.path.read_bytes()
    assert resumed.pipeline()("국회의원") == clean.pipeline()("국회의원")
    assert (
        resumed.manifest["tokenizer_training"]["lines"]
        == clean.manifest["tokenizer_training"]["lines"]
    )


@pytest.fixture(scope="module")
def long_corpus(tmp_path_factory) -> Path:
    """kobill repeated: several seconds of tokenizing, to be killed midway."""
    lines = list(koembed.read_corpus("kobill"))
    path = tmp_path_factory.mktemp("long") / "long.txt"
    path.write_text("\n".join(lines * 12) + "\n", encoding="utf-8")
    return path


@pytest.mark.parametrize(("sig", "workers"), [(signal.SIGKILL, 2), (signal.SIGINT, 1)])
def test_killed_run_resumes_to_the_same_bytes(tmp_path, long_corpus, sig, workers):
    out = tmp_path / "o.mecab"
    command = [*KOEMBED, "tokenize", long_corpus, "-o", out, "--workers", workers, "--resume"]
    process = subprocess.Popen(
        list(map(str, command)), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    checkpoint = resume_dir(out) / "checkpoint.json"
    deadline = time.monotonic() + 120
    while not (checkpoint.exists() and json.loads(checkpoint.read_text())["lines"] > 0):
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline
        time.sleep(0.05)
    process.send_signal(sig)
    _, stderr = process.communicate(timeout=60)
    assert process.returncode != 0
    assert not out.exists() and not manifest_path(out).exists()
    if sig == signal.SIGINT:
        assert "Traceback" not in stderr and "--resume" in " ".join(stderr.split())
    done = json.loads(checkpoint.read_text())["lines"]
    resumed = subprocess.run(list(map(str, command)), capture_output=True, text=True)
    assert resumed.returncode == 0, resumed.stderr
    assert "resumed after line" in " ".join(resumed.stderr.split())
    clean = koembed.tokenize_corpus(long_corpus, tmp_path / "clean.mecab", workers=2)
    assert out.read_bytes() == clean.path.read_bytes()
    manifest = json.loads(manifest_path(out).read_text(encoding="utf-8"))
    assert manifest["resumed_after_line"] >= done
    assert manifest["lines"] == clean.manifest["lines"]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["o.mecab", "o.mecab.manifest.json", "clean.mecab", "clean.mecab.manifest.json"]
    )


# -- koembed train on a raw corpus --------------------------------------------


def test_train_on_a_raw_corpus_tokenizes_once_then_reuses(tmp_path, corpus_file):
    runner = CliRunner()
    cache = tmp_path / "cache"
    base = ["--tokenizer", "mecab", "--cache-dir", str(cache), "--min-count", "1"]
    first = runner.invoke(
        app,
        [
            "train",
            "word2vec",
            str(corpus_file),
            "-o",
            str(tmp_path / "w2v"),
            *base,
            "--dim",
            "8",
            "--epochs",
            "1",
            "--workers",
            "1",
        ],
    )
    assert first.exit_code == 0, first.output
    assert "tokenized into" in " ".join(first.stderr.split())
    (tokens,) = cache.glob("*/in.tokens")
    model = koembed.load(tmp_path / "w2v")
    assert model.meta["corpus"]["lines"] == 10
    assert model.meta["pipeline"]["tokenizer"]["name"] == "mecab"
    assert "가우스전자" not in model and "가우스" in model  # no user dictionary
    stamp = tokens.stat().st_mtime_ns
    second = runner.invoke(
        app, ["train", "ppmi", str(corpus_file), "-o", str(tmp_path / "ppmi"), *base, "--dim", "4"]
    )
    assert second.exit_code == 0, second.output
    assert "reused" in second.stderr and tokens.stat().st_mtime_ns == stamp
    # Another tokenization of the same input goes to its own slot.
    third = runner.invoke(
        app,
        [
            "train",
            "ppmi",
            str(corpus_file),
            "-o",
            str(tmp_path / "ppmi-pos"),
            *base,
            "--dim",
            "4",
            "--pos",
        ],
    )
    assert third.exit_code == 0, third.output
    assert len(list(cache.glob("*/in.tokens"))) == 2
    assert any(word.endswith("/NNG") for word in koembed.load(tmp_path / "ppmi-pos").words)


def test_raw_options_need_tokenizer(tmp_path, law_tokens):
    result = CliRunner().invoke(
        app, ["train", "word2vec", str(law_tokens.path), "-o", str(tmp_path / "m"), "--column", "4"]
    )
    assert result.exit_code == 1
    assert "--column read a raw corpus; add --tokenizer" in " ".join(result.stderr.split())


def test_api_train_on_a_raw_corpus(tmp_path, sentences_path, example_user_dict):
    raw = koembed.read_corpus(sentences_path)
    model = koembed.train(
        "word2vec",
        raw,
        tokenizer="mecab",
        user_dict=example_user_dict,
        cache_dir=tmp_path,
        dim=8,
        min_count=1,
        epochs=1,
        workers=1,
    )
    assert "가우스전자" in model  # the user dictionary reached the tokenizer
    assert model.meta["pipeline"]["tokenizer"]["user_dict"]["entries"]
    with pytest.raises(koembed.BadInputError, match="user_dict read a raw corpus; add tokenizer="):
        koembed.train("word2vec", raw, user_dict=example_user_dict)


@pytest.mark.parametrize(
    ("change", "said"),
    [
        ("user_dict", "the user dictionary changed"),
        ("option", "the tokenizer options changed (pos False -> True)"),
        ("tokenizer", "the tokenizer changed ('mecab' -> 'whitespace')"),
        ("max_lines", "the reading options changed (max_lines None -> 3)"),
        ("normalizer", "the normalizer changed (['nfc'] -> ['nfc', 'repeat'])"),
    ],
)
def test_an_output_made_otherwise_says_what_differs(
    tmp_path, corpus_file, example_user_dict, caplog, change, said
):
    out = tmp_path / "o.mecab"
    koembed.tokenize_corpus(corpus_file, out)
    corpus: object = corpus_file
    options: dict = {
        "user_dict": {"user_dict": example_user_dict},
        "option": {"pos": True},
        "tokenizer": {"tokenizer": "whitespace"},
    }.get(change, {})
    if change == "max_lines":
        corpus = koembed.read_corpus(corpus_file, max_lines=3)
    elif change == "normalizer":
        corpus = koembed.read_corpus(corpus_file, normalize="nfc,repeat")
    with caplog.at_level("WARNING", logger="koembed"), pytest.raises(OutputExistsError):
        koembed.tokenize_corpus(corpus, out, **options)
    assert f"so it is not reused: {said}" in caplog.text
