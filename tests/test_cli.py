"""The koembed command, driven through typer's CliRunner."""

from __future__ import annotations

import json
import re

import pytest
from typer.testing import CliRunner

from koembed.cli import app

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def assert_one_line_error(result, *fragments: str):
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for fragment in fragments:
        assert fragment in lines[0]


def test_version_and_help_list_commands():
    result = run("--version")
    assert result.exit_code == 0 and result.output.startswith("koembed ")
    result = run("--help")
    assert result.exit_code == 0
    for command in ("tokenize", "train", "similar", "corpus"):
        assert command in result.output


@pytest.mark.parametrize(
    "command",
    [["tokenize"], ["train", "word2vec"], ["similar"], ["corpus", "list"], ["corpus", "download"]],
)
def test_every_command_has_help_with_an_example(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert re.search(rf"Examples?: koembed {command[0]}", result.output), result.output


def test_tokenize_train_similar_end_to_end(tmp_path, example_user_dict):
    tokens = tmp_path / "law.mecab"
    result = run(
        "tokenize",
        "kolaw",
        "kobill",
        "-o",
        tokens,
        "--user-dict",
        example_user_dict,
        "--workers",
        "2",
    )
    assert result.exit_code == 0, result.output
    assert "lines" in result.stderr and tokens.exists()

    model = tmp_path / "w2v"
    result = run(
        "train",
        "word2vec",
        tokens,
        "-o",
        model,
        "--dim",
        "32",
        "--min-count",
        "2",
        "--epochs",
        "10",
        "--workers",
        "1",
        "--binary",
    )
    assert result.exit_code == 0, result.output
    assert "saved" in result.stderr and (model / "vectors.bin").exists()

    result = run("similar", "국민", "--model", model, "--topn", "5")
    assert result.exit_code == 0, result.output
    rows = [line.split() for line in result.stdout.splitlines()[1:]]
    assert [row[0] for row in rows] == ["1", "2", "3", "4", "5"]
    scores = [float(row[2]) for row in rows]
    assert scores == sorted(scores, reverse=True) and all(-1 <= s <= 1 for s in scores)

    result = run("similar", "국민을", "--model", model, "--json")
    assert result.exit_code == 0, result.output
    answer = json.loads(result.stdout)
    assert answer["resolved"][0]["tokens"] == ["국민", "을"]
    assert len(answer["neighbours"]) == 10
    assert "국민" not in [n["word"] for n in answer["neighbours"]]

    result = run("similar", "국민을", "--model", model)
    assert "국민 / 을" in result.stderr and "averaging 2 token vector(s)" in result.stderr


def test_unknown_word_is_one_line_with_suggestions_and_exit_1(law_model, tmp_path):
    model = law_model.save(tmp_path / "w2v")
    result = run("similar", "대통렁", "--model", model)
    assert result.exit_code == 1
    assert_one_line_error(result, "'대통렁' is not in the model's vocabulary", "대통령")


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["tokenize", "missing.txt", "-o", "out"], ["input missing.txt does not exist"]),
        (["tokenize", "kolaw", "-o", "out", "-t", "nope"], ["unknown tokenizer 'nope'", "mecab"]),
        (["tokenize", "kolaw", "-o", "out", "--workers", "0"], ["--workers must be 1 or more"]),
        (["tokenize", "kolaw", "-o", "out", "--encoding", "x"], ["unknown encoding 'x'"]),
        (["train", "word2vec", "missing.mecab", "-o", "m"], ["missing.mecab does not exist"]),
        (["train", "word2vec", "t.mecab", "-o", "m", "--dim", "0"], ["dim(0) must be >= 1"]),
        (["similar", "희망", "--model", "nowhere"], ["no model at nowhere"]),
        (["corpus", "download", "nothing"], ["unknown corpus 'nothing'", "nsmc"]),
    ],
)
def test_bad_input_gives_one_line_errors(args, fragments, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "t.mecab").write_text("희망 을\n", encoding="utf-8")
    assert_one_line_error(run(*args), *fragments)


def test_bad_user_dictionary_line_is_named(tmp_path):
    words = tmp_path / "words.tsv"
    words.write_text("가우스전자\n서울 대입구역\n", encoding="utf-8")
    result = run("tokenize", "kolaw", "-o", tmp_path / "o", "--user-dict", words)
    assert_one_line_error(result, "words.tsv:2:", "contains a space")
    assert not (tmp_path / "o").exists()


def test_existing_output_made_otherwise_refused(tmp_path):
    out = tmp_path / "o.mecab"
    assert run("tokenize", "kolaw", "-o", out).exit_code == 0
    assert_one_line_error(
        run("tokenize", "kolaw", "-o", out, "--pos"), "already exists", "--overwrite"
    )
    assert run("tokenize", "kolaw", "-o", out, "--pos", "--overwrite").exit_code == 0


def test_invalid_bytes_report_file_and_line(tmp_path):
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes("첫 줄\n".encode() + "둘째 줄\n".encode("cp949"))
    result = run("tokenize", legacy, "-o", tmp_path / "o")
    assert_one_line_error(result, "legacy.txt:2: bytes not valid in utf-8", "--encoding")
    result = run("tokenize", legacy, "-o", tmp_path / "o", "--encoding", "auto")
    assert result.exit_code != 0  # mixed file: auto picks utf-8 from the first bytes
    result = run("tokenize", legacy, "-o", tmp_path / "o", "--errors", "replace")
    assert result.exit_code == 0, result.output


def test_incomplete_model_directory(law_model, tmp_path):
    model = law_model.save(tmp_path / "w2v")
    (model / "vectors.npy").unlink()
    assert_one_line_error(run("similar", "국민", "--model", model), "incomplete")


def test_corpus_list_shows_downloadable_and_bundled():
    result = run("corpus", "list")
    assert result.exit_code == 0
    for name in ("nsmc", "kolaw", "kobill", "CC0"):
        assert name in result.stdout


@pytest.mark.parametrize(
    ("args", "library", "command_line"),
    [
        (
            ["tokenize", "kolaw", "-o", "{tmp}/out", "--workers", "1000"],
            "workers=1000 is more than",
            "--workers 1000 is more than",
        ),
        (
            ["tokenize", "kolaw", "-o", "{tmp}/out", "-t", "soynlp", "--soynlp-mode", "x"],
            "soynlp_mode 'x' is not one of",
            "--soynlp-mode 'x' is not one of",
        ),
        (
            ["tokenize", "kolaw", "-o", "{tmp}/out", "--max-lines", "0"],
            "max_lines must be 1 or more",
            "--max-lines must be 1 or more",
        ),
        (
            ["tokenize", "kolaw", "-o", "{tmp}/out", "--tokenizer-model", "{tmp}/nowhere"],
            "leave out tokenizer_model",
            "does not exist; pass the folder 'koembed tokenize' saved beside its output "
            "(<output>.tokenizer), or leave out --tokenizer-model to train one",
        ),
        (
            ["tokenize", "hdfs://namenode/reviews.txt", "-o", "{tmp}/out"],
            "engine='spark'",
            "Parquet datasets and URIs are read by --engine spark; use local text files to "
            "tokenize on this machine",
        ),
    ],
)
def test_library_messages_name_parameters_and_the_cli_shows_flags(
    args, library, command_line, tmp_path
):
    """The library names parameters as its API spells them; the command line
    shows its own flags in their place (koembed.errors, koembed.cli._app)."""
    result = run(*[a.format(tmp=tmp_path) for a in args])
    assert_one_line_error(result, command_line)
    assert library not in result.stderr


@pytest.mark.parametrize(
    ("method", "advice"),
    [
        ("word2vec", "train with --engine spark, or tokenize to a text file"),
        ("fasttext", "fasttext trains on this machine only: tokenize to a text file"),
        ("doc2vec", "doc2vec trains on this machine only: tokenize to a text file"),
    ],
)
def test_a_parquet_corpus_is_refused_with_advice_the_method_can_take(method, advice, tmp_path):
    """Only the methods with an engine option are told to use it."""
    from koembed.tokenize.corpus import manifest_path

    dataset = tmp_path / "tokens.parquet"
    dataset.mkdir()
    manifest_path(dataset).write_text(json.dumps({"storage": "parquet"}), encoding="utf-8")
    result = run("train", method, dataset, "-o", tmp_path / "model")
    assert_one_line_error(result, "is a Parquet dataset, which Spark reads", advice)
    assert "engine=" not in result.stderr


def test_standard_input_to_train_with_a_trainable_tokenizer_says_why(tmp_path):
    """Not the advice of koembed tokenize (--fit-on, --tokenizer-model), which train lacks."""
    result = runner.invoke(
        app,
        ["train", "word2vec", "-", "--tokenizer", "soynlp", "-o", str(tmp_path / "m")],
        input="가나다 라마\n",
    )
    assert_one_line_error(result, "cannot be tokenized on the way to training")
    assert "fit_on" not in result.stderr and "--fit-on" not in result.stderr
