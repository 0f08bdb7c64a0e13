"""The query, evaluation, picture and shell commands through typer's CliRunner."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from typer.testing import CliRunner

from koembed import Embeddings, load
from koembed.cli import app

runner = CliRunner()

ANGLES = {"남자": 0, "왕": 90, "여자": 30, "여왕": 120, "빵": 180, "돌": 270, "[bold]": 200}


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory) -> str:
    words = list(ANGLES)
    vectors = np.array(
        [[math.cos(math.radians(a)), math.sin(math.radians(a)), 0.1] for a in ANGLES.values()],
        dtype=np.float32,
    )
    counts = np.array([70, 60, 50, 40, 30, 20, 10])
    path = tmp_path_factory.mktemp("models") / "circle"
    Embeddings(words, vectors, counts, {"method": "circle"}).save(path)
    return str(path)


def invoke(*args: str, input: str | None = None):
    return runner.invoke(app, list(args), input=input)


def test_model_directory_keeps_unit_vectors(model_dir):
    model = load(model_dir)
    assert model._unit is not None  # read from vectors.norm.npy, not computed
    norms = np.linalg.norm(model.unit_vectors, axis=1)
    assert np.allclose(norms, 1.0, atol=1e-6)


def test_similar_positive_negative_and_json(model_dir):
    result = invoke("similar", "왕", "여자", "--negative", "남자", "--model", model_dir, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["positive"] == ["왕", "여자"] and data["negative"] == ["남자"]
    words = [n["word"] for n in data["neighbours"]]
    assert words[0] == "여왕"
    assert not {"왕", "여자", "남자"} & set(words)


def test_similar_restrict_vocab(model_dir):
    result = invoke("similar", "여왕", "--model", model_dir, "--restrict-vocab", "3", "--json")
    assert [n["word"] for n in json.loads(result.stdout)["neighbours"]] == ["왕", "여자", "남자"]


def test_similar_table_shows_markup_like_words_literally(model_dir):
    result = invoke("similar", "빵", "--model", model_dir, "--topn", "2")
    assert result.exit_code == 0
    assert "[bold]" in result.stdout


def test_similar_unknown_word_is_one_line_with_spellings(model_dir):
    result = invoke("similar", "여웅", "--model", model_dir)
    assert result.exit_code == 1
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "여왕" in lines[0] and "Traceback" not in result.output


def test_analogy_methods(model_dir):
    add = invoke("analogy", "남자", "왕", "여자", "--model", model_dir, "--json")
    mul = invoke(
        "analogy", "남자", "왕", "여자", "--model", model_dir, "--method", "3cosmul", "--json"
    )
    assert json.loads(add.stdout)["answers"][0]["word"] == "여왕"
    assert json.loads(mul.stdout)["answers"][0]["word"] == "빵"
    table = invoke("analogy", "남자", "왕", "여자", "--model", model_dir, "--topn", "1")
    assert "여왕" in table.stdout
    bad = invoke("analogy", "남자", "왕", "여자", "--model", model_dir, "--method", "x")
    assert bad.exit_code == 1 and "3cosadd, 3cosmul" in bad.stderr


def test_similarity_and_doesnt_match(model_dir):
    result = invoke("similarity", "남자", "왕", "--model", model_dir, "--json")
    assert json.loads(result.stdout)["cosine"] == pytest.approx(0.01 / 1.01, abs=1e-4)
    result = invoke("doesnt-match", "남자", "여자", "왕", "빵", "--model", model_dir)
    assert result.exit_code == 0 and "odd one out: 빵" in result.stdout


def test_vocab_top(model_dir):
    result = invoke("vocab", "--model", model_dir, "--top", "2", "--json")
    data = json.loads(result.stdout)
    assert [(w["word"], w["count"]) for w in data["words"]] == [("남자", 70), ("왕", 60)]
    assert data["vocab_size"] == 7


def test_evaluate_compares_models(model_dir, tmp_path):
    ws = tmp_path / "ws.csv"
    ws.write_bytes(
        "\ufeffword 1,word 2,score\n남자,왕,1\n왕,여자,2\n남자,여자,3\n남자,외계어,5\n".encode()
    )
    analogies = tmp_path / "an.txt"
    analogies.write_text(
        ": sem1\n남자 왕 여자 여왕\n: syn1\n남자 왕 여자 외계어\n", encoding="utf-8"
    )
    args = ["evaluate", "--model", model_dir, "--model", model_dir]
    args += ["--ws353", str(ws), "--analogy", str(analogies)]
    table = invoke(*args, "--topk", "2")
    assert table.exit_code == 0, table.output
    assert "3/4 (75.0%)" in table.stdout  # pairs found
    assert "1/2 (50.0%)" in table.stdout  # items found
    assert "hits@2" in table.stdout
    assert "1 of 4 word pairs not scored" in table.stderr and "외계어" in table.stderr
    data = json.loads(invoke(*args, "--json").stdout)
    assert len(data) == 2
    assert data[0]["word_pairs"]["found"] == 3 and data[0]["word_pairs"]["spearman"] == 1.0
    assert data[0]["analogies"]["semantic"]["accuracy"] == 1.0
    assert data[0]["analogies"]["syntactic"]["found"] == 0
    assert data[0]["analogies"]["syntactic"]["accuracy"] is None


def test_evaluate_needs_a_test_file_and_rejects_bad_files(model_dir, tmp_path):
    result = invoke("evaluate", "--model", model_dir)
    assert result.exit_code == 1 and "--ws353" in result.stderr
    bad = tmp_path / "bad.txt"
    bad.write_text(": s\n남자 왕\n", encoding="utf-8")
    result = invoke("evaluate", "--model", model_dir, "--analogy", str(bad))
    assert result.exit_code == 1 and "bad.txt:2" in result.stderr


def test_plot_and_heatmap_and_export(model_dir, tmp_path):
    pytest.importorskip("matplotlib")
    png = tmp_path / "map.png"
    result = invoke("plot", "--model", model_dir, "남자", "왕", "여자", "여왕", "-o", str(png))
    assert result.exit_code == 0, result.output
    assert png.stat().st_size > 0
    html = tmp_path / "n.html"
    result = invoke("plot", "--model", model_dir, "--neighbours", "왕", "-n", "3", "-o", str(html))
    assert result.exit_code == 0 and html.stat().st_size > 0
    heat = tmp_path / "heat.png"
    result = invoke("plot-similarity", "남자", "왕", "여자", "--model", model_dir, "-o", str(heat))
    assert result.exit_code == 0 and heat.stat().st_size > 0
    out = tmp_path / "projector"
    result = invoke("export", "--model", model_dir, "--format", "projector", "-o", str(out))
    assert result.exit_code == 0, result.output
    assert len((out / "vectors.tsv").read_text().splitlines()) == 7
    result = invoke("export", "--model", model_dir, "-o", model_dir, "--overwrite")
    assert result.exit_code == 1 and "would overwrite the input" in result.stderr


def test_shell_answers_lines_from_stdin(model_dir):
    lines = [
        "similar 왕 여자 -남자",
        "analogy 남자 왕 여자 3cosmul",
        "similarity 남자 여자",
        "doesnt-match 남자 여자 왕 빵",
        "topn 1",
        "여웅",
        "analogy 남자",
        "왕",
        "quit",
        "similar 남자",  # never reached
    ]
    result = invoke("shell", "--model", model_dir, input="\n".join(lines) + "\n")
    assert result.exit_code == 0, result.output
    out = result.stdout
    assert "여왕" in out and "빵" in out
    assert f"{(math.cos(math.radians(30)) + 0.01) / 1.01:.4f}" in out  # similarity
    assert "odd one out: 빵" in out
    assert "closest in the vocabulary: 여왕" in result.stderr  # errors do not end the shell
    assert "analogy needs three words" in result.stderr
    assert out.count("koembed> ") == 9  # stopped at quit


# -- a query only partly in the vocabulary (a typo such as 희먕 -> 희 / 먕) ------------


@pytest.mark.parametrize(
    "argv",
    [
        ("similar", "남자 여웅"),
        ("similarity", "남자 여웅", "왕"),
        ("analogy", "남자", "왕", "남자 여웅"),
    ],
)
def test_a_half_known_query_fails_naming_the_unknown_part(model_dir, argv):
    result = invoke(*argv, "--model", model_dir)
    assert result.exit_code == 1 and result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith("error: '남자 여웅' is not in the model's vocabulary")
    assert "여웅 has no vector" in line and "여왕" in line and "--partial" in line


def test_partial_answers_for_the_known_part_and_says_so(model_dir):
    result = invoke("similar", "남자 여웅", "--model", model_dir, "--partial", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["resolved"][0]["found"] == ["남자"] and data["resolved"][0]["missing"] == ["여웅"]
    table = invoke("similar", "남자 여웅", "--model", model_dir, "--partial")
    assert "warning: 여웅 has no vector and is left out (--partial)" in table.stderr


def test_doesnt_match_leaves_unknown_words_out(model_dir):
    result = invoke("doesnt-match", "남자", "여자", "여웅", "돌", "--model", model_dir, "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["left_out"] == ["여웅"] and data["odd"] == "돌"
    table = invoke("doesnt-match", "남자", "여자", "여웅", "돌", "--model", model_dir)
    assert "left out, with no vector: 여웅" in table.stderr and "odd one out: 돌" in table.stdout
    too_few = invoke("doesnt-match", "남자", "여웅", "도올", "--model", model_dir)
    assert too_few.exit_code == 1
    assert "needs at least 2 words with vectors, got 1" in too_few.stderr
