"""``koembed train METHOD``: made from each trainer's Param table, for every
registered method (a method defined here included), and the library's
parameter names shown as the command's flags in error messages."""

from __future__ import annotations

import pickle
from typing import Any

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

import koembed
from koembed.cli import app
from koembed.errors import BadInputError, UnknownNameError
from koembed.models import Embeddings
from koembed.registry import TRAINERS
from koembed.trainers import Param, Trainer

runner = CliRunner()

RAW_OPTIONS = [
    "--tokenizer", "--user-dict", "--column", "--delimiter", "--header", "--encoding",
    "--errors", "--normalize", "--max-lines", "--pos", "--cache-dir",
]  # fmt: skip


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args], terminal_width=200)


def train_command(method: str):
    return typer.main.get_command(app).commands["train"].commands[method]


def flags(spec: Param, name: str) -> list[str]:
    declared = spec.flags or (f"--{name.replace('_', '-')}",)
    return [flag for declaration in declared for flag in declaration.split("/")]


def one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


@pytest.mark.parametrize("method", TRAINERS.names())
def test_every_param_is_an_option_with_its_default(method):
    trainer = TRAINERS.get(method)
    options = {param.name: param for param in train_command(method).params}
    for name, spec in trainer.params.items():
        option = options.get(name)
        assert option is not None, f"{method}: no option for {name}"
        assert option.default == spec.default, name
        assert set(flags(spec, name)) == {*option.opts, *option.secondary_opts}, name
        assert spec.help and option.help.startswith(spec.help.rstrip(".")), name
        if spec.kind is bool and spec.default:
            assert option.secondary_opts, f"{method}: {name} is on by default and has no off flag"
    every = {
        "corpus",
        "output",
        "binary",
        "overwrite",
        *(f[2:].replace("-", "_") for f in RAW_OPTIONS),
    }
    assert every <= set(options)
    assert ("master" in options) == ("engine" in trainer.params)
    assert set(options) - every - {"master"} == set(trainer.params)


@pytest.mark.parametrize("method", TRAINERS.names())
def test_help_shows_every_option_and_the_example(method):
    trainer = TRAINERS.get(method)
    result = run("train", method, "--help")
    assert result.exit_code == 0, result.output
    text = " ".join(result.output.split())
    assert trainer.describe() in text
    assert " ".join(trainer.example.split()) in text
    for name, spec in trainer.params.items():
        for flag in flags(spec, name):
            assert flag in text, flag
    for flag in RAW_OPTIONS:
        assert flag in text
    assert "Raw corpus" in text


def test_train_lists_every_method_in_order():
    result = run("train", "--help")
    assert result.exit_code == 0
    listed = [line.split()[1] for line in result.output.splitlines() if line.startswith("│ ")]
    assert [name for name in listed if name in TRAINERS] == list(TRAINERS)
    assert list(TRAINERS)[:9] == [
        "word2vec", "glove", "ppmi", "fasttext", "lsa", "swivel", "doc2vec", "sif", "lsa-doc",
    ]  # fmt: skip


# -- a new method is one class and its registry entry --------------------------------


class TinyTrainer(Trainer):
    """Vectors from each word's rank (a method defined by the tests)."""

    method = "tiny"
    example = "Example: koembed train tiny corpus.tokens -o models/tiny --size 2"
    params = {
        "dim": Param(4, int, 1, 64, help="Vector dimensions."),
        "scale": Param(1.0, float, 0.0, 10.0, help="Length of the vectors.", flags=("--size",)),
        "unit": Param(True, bool, help="Unit vectors, or raw ones.", flags=("--unit/--raw",)),
        "label": Param("x", str, help="A name to record."),
    }

    def _check_together(self, params: dict[str, Any]) -> None:
        if params["scale"] == 0 and not params["unit"]:
            raise BadInputError(
                "scale=0.0 with unit=False makes zero vectors; raise scale or add unit=True",
                parameters=("scale", "unit"),
            )

    def _fit(self, corpus, params, progress) -> Embeddings:
        counts: dict[str, int] = {}
        for tokens in corpus:
            for token in tokens:
                counts[token] = counts.get(token, 0) + 1
        if params["dim"] > len(counts):
            raise BadInputError(
                f"dim({params['dim']}) is more than the {len(counts)} words of {corpus.path}; "
                f"lower dim",
                parameters=("dim",),
            )
        words = sorted(counts, key=lambda word: (-counts[word], word))
        rng = np.random.default_rng(len(words))
        vectors = rng.normal(size=(len(words), params["dim"])).astype(np.float32)
        vectors *= params["scale"]
        meta = {"given": sorted(self.given)}  # what reached the trainer
        return Embeddings(words, vectors, np.array([counts[w] for w in words]), meta)


@pytest.fixture
def tiny():
    TRAINERS.register("tiny", TinyTrainer)
    yield TinyTrainer
    TRAINERS.unregister("tiny")


@pytest.fixture
def corpus(tmp_path):
    path = tmp_path / "corpus.tokens"
    path.write_text("희망 을 가지다\n국민 은 법 앞 에\n희망 은 국민\n", encoding="utf-8")
    return path


def test_a_method_defined_elsewhere_trains_through_the_cli(tiny, corpus, tmp_path):
    result = run("train", "tiny", corpus, "-o", tmp_path / "m", "--size", 2, "--raw")
    assert result.exit_code == 0, result.output
    assert "saved" in result.stderr and "tiny" in result.stderr
    model = koembed.load(tmp_path / "m")
    assert model.meta["method"] == "tiny" and len(model) == 8 and model.dim == 4
    assert model.meta["params"] == {"dim": 4, "scale": 2.0, "unit": False, "label": "x"}
    # Only what was given on the command line reaches the trainer; it fills in the rest.
    assert model.meta["given"] == ["scale", "unit"]
    assert "tiny" in run("train", "--help").output
    help_text = " ".join(run("train", "tiny", "--help").output.split())
    assert "--size" in help_text and "Length of the vectors. [default: 1.0]" in help_text
    assert "Vectors from each word's rank (a method defined by the tests)." in help_text
    assert "Example: koembed train tiny corpus.tokens -o models/tiny --size 2" in help_text


def test_a_method_defined_elsewhere_trains_through_the_api(tiny, corpus):
    model = koembed.train("tiny", corpus, dim=2, label="api")
    assert model.meta["params"]["label"] == "api" and model.meta["given"] == ["dim", "label"]
    with pytest.raises(UnknownNameError, match="unknown document method 'tiny'"):
        koembed.train_documents("tiny", corpus)


def test_unknown_methods_list_every_method():
    with pytest.raises(UnknownNameError) as error:
        koembed.train("word3vec", "corpus.tokens")
    assert error.value.valid == TRAINERS.names() and "lsa-doc" in error.value.valid
    with pytest.raises(UnknownNameError) as error:
        koembed.train_documents("word2vec", "corpus.tokens")
    assert str(error.value) == (
        "unknown document method 'word2vec'; valid document methods: doc2vec, lda, lsa-doc, sif"
    )


def test_the_api_trains_document_methods_too(corpus):
    model = koembed.train("lsa-doc", corpus, dim=2, min_count=1)
    assert isinstance(model, koembed.DocumentModel) and model.n_documents == 3


# -- library messages name parameters; the CLI shows flags ----------------------------


def test_library_names_the_parameter_and_the_cli_its_flag(corpus, tmp_path):
    with pytest.raises(BadInputError) as error:
        koembed.train("word2vec", corpus, dim=0)
    assert str(error.value) == "dim(0) must be >= 1 (allowed: 1 to 10000)"
    assert error.value.parameters == ("dim",)
    result = run("train", "word2vec", corpus, "-o", tmp_path / "m", "--dim", 0)
    assert one_line_error(result) == "error: --dim(0) must be >= 1 (allowed: 1 to 10000)"
    result = run("train", "fasttext", corpus, "-o", tmp_path / "m", "--minn", 4, "--maxn", 3)
    assert one_line_error(result) == "error: --maxn(3) must be >= --minn(4), or 0 for no n-grams"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        # name=value: the flag and the value; a boolean: its on or off flag.
        (
            ["--size", 0, "--raw"],
            "error: --size 0.0 with --raw makes zero vectors; raise --size or add --unit",
        ),
        # A name inside a path is left alone.
        (
            ["--dim", 20],
            "error: --dim(20) is more than the 8 words of {corpus}; lower --dim",
        ),
        (["--label", 7], None),
    ],
)
def test_flags_replace_parameter_names(tiny, tmp_path, args, message):
    folder = tmp_path / "dim"  # named as a parameter, in the message as part of a path
    folder.mkdir()
    corpus = folder / "dim"
    corpus.write_text("희망 을 가지다\n국민 은 법 앞 에\n희망 은 국민\n", encoding="utf-8")
    result = run("train", "tiny", corpus, "-o", tmp_path / "m", *args)
    if message is None:
        assert result.exit_code == 0, result.output
    else:
        assert one_line_error(result) == message.format(corpus=corpus)


def test_raw_options_without_a_tokenizer_name_their_flags(corpus, tmp_path):
    with pytest.raises(BadInputError, match=r"^user_dict read a raw corpus; add tokenizer=NAME"):
        koembed.train("word2vec", corpus, user_dict="words.tsv")
    result = run("train", "sif", corpus, "-o", tmp_path / "m", "--pos", "--max-lines", 3)
    assert one_line_error(result) == (
        "error: --max-lines, --pos read a raw corpus; add --tokenizer NAME (e.g. mecab) to "
        "tokenize the input on the way, or leave them out for a tokenized file"
    )


def test_messages_with_parameters_survive_a_trip_to_a_worker():
    error = pickle.loads(pickle.dumps(BadInputError("dim(0) must be >= 1", ("dim",))))
    assert str(error) == "dim(0) must be >= 1" and error.parameters == ("dim",)


def test_a_method_whose_command_cannot_be_made_is_one_line(corpus, tmp_path):
    class Clashing(TinyTrainer):
        method = "clashing"
        params = {**TinyTrainer.params, "column": Param(1, int, help="Clashes with --column.")}

    TRAINERS.register("clashing", Clashing)
    try:
        result = run("train", "clashing", corpus, "-o", tmp_path / "m")
        assert one_line_error(result) == (
            "error: clashing: the parameter 'column' has the name of an option every "
            "training command has; rename it"
        )
        assert "clashing  (cannot be used: clashing: the parameter" in run("train", "--help").output
    finally:
        TRAINERS.unregister("clashing")
