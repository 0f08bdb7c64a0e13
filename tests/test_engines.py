"""Engines are found by name in the registry: an unknown name lists the valid
ones, and an engine registered at run time is used with no edit elsewhere."""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

import koembed
from koembed.cli import app
from koembed.engines import create_engine
from koembed.engines.local import LocalEngine
from koembed.errors import BadInputError, UnknownNameError
from koembed.registry import ENGINES

UNKNOWN = "unknown engine 'x'; valid engines: local, spark"


class RecordingEngine(LocalEngine):
    """The local engine, noting which of its methods were called."""

    calls: list[str] = []

    def tokenize(self, job):
        self.calls.append("tokenize")
        return super().tokenize(job)

    def count_cooccurrences(self, corpus, *, progress=None, **options):
        self.calls.append("count_cooccurrences")
        return super().count_cooccurrences(corpus, progress=progress, **options)

    def train_word2vec(self, path, params, progress=None):
        self.calls.append("train_word2vec")
        return super().train_word2vec(path, params, progress)


@pytest.fixture
def recording():
    ENGINES.register("recording", f"{__name__}:RecordingEngine")
    RecordingEngine.calls.clear()
    yield RecordingEngine.calls
    ENGINES.unregister("recording")


def one_line(result) -> str:
    return " ".join(result.stderr.split())


def test_the_registry_offers_local_and_spark():
    assert ENGINES.names() == ["local", "spark"]
    for name in ENGINES.names():
        assert create_engine(name).name == name


def test_unknown_engine_lists_the_valid_ones():
    with pytest.raises(UnknownNameError) as caught:
        create_engine("x")
    assert str(caught.value) == UNKNOWN


def test_unknown_engine_is_refused_before_any_work(tmp_path, sentences_path, law_tokens):
    out = tmp_path / "o.txt"
    # soynlp would train on the corpus first: the engine is checked before that.
    with pytest.raises(UnknownNameError, match=UNKNOWN):
        koembed.tokenize_corpus(sentences_path, out, tokenizer="soynlp", engine="x")
    assert list(tmp_path.iterdir()) == []
    for method in ("word2vec", "glove", "ppmi"):
        with pytest.raises(UnknownNameError, match=UNKNOWN):
            koembed.train(method, law_tokens, engine="x")


@pytest.mark.parametrize(
    "args",
    [
        ["tokenize", "{input}", "-o", "{tmp}/o.txt", "--engine", "x"],
        ["train", "ppmi", "{tokens}", "-o", "{tmp}/m", "--engine", "x"],
        ["train", "word2vec", "{tokens}", "-o", "{tmp}/m", "--engine", "x", "--master", "local"],
    ],
)
def test_cli_unknown_engine_is_one_line_and_exit_1(args, tmp_path, sentences_path, law_tokens):
    values = {"input": sentences_path, "tokens": law_tokens.path, "tmp": tmp_path}
    result = CliRunner().invoke(app, [arg.format(**values) for arg in args])
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert one_line(result) == f"error: {UNKNOWN}"
    assert list(tmp_path.iterdir()) == []


def test_master_is_refused_by_the_local_engine(tmp_path, sentences_path):
    with pytest.raises(BadInputError, match="master is for engine='spark'"):
        create_engine("local").configure("local[2]")
    result = CliRunner().invoke(
        app, ["tokenize", str(sentences_path), "-o", str(tmp_path / "o"), "--master", "local[2]"]
    )
    assert result.exit_code == 1 and "--master is for --engine spark" in one_line(result)


def test_a_registered_engine_tokenizes(recording, tmp_path, sentences_path):
    local = koembed.tokenize_corpus(sentences_path, tmp_path / "local.txt", workers=1)
    recorded = koembed.tokenize_corpus(
        sentences_path, tmp_path / "recorded.txt", workers=1, engine="recording"
    )
    assert recording == ["tokenize"]
    assert recorded.path.read_bytes() == local.path.read_bytes()
    assert recorded.manifest["engine"] == "recording"
    result = CliRunner().invoke(
        app,
        ["tokenize", str(sentences_path), "-o", str(tmp_path / "cli.txt"), "--engine", "recording"],
    )
    assert result.exit_code == 0, result.output
    assert recording == ["tokenize", "tokenize"]
    assert one_line(result).endswith(" s (1 worker(s))") or one_line(result).endswith(
        "lines/s, 1 worker(s))"
    )


def test_a_registered_engine_counts_and_trains_for_the_trainers(recording, law_tokens):
    options = dict(dim=4, min_count=2)
    local = koembed.train("ppmi", law_tokens, **options)
    recorded = koembed.train("ppmi", law_tokens, engine="recording", **options)
    assert recording == ["count_cooccurrences"]
    assert recorded.words == local.words
    assert np.array_equal(recorded.vectors, local.vectors)
    assert recorded.meta["params"]["engine"] == "recording"
    koembed.train("word2vec", law_tokens, engine="recording", dim=4, epochs=1, workers=1)
    assert recording == ["count_cooccurrences", "train_word2vec"]
