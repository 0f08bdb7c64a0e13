"""koembed train doc2vec|sif|lsa-doc, embed, similar --text, evaluate-docs."""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

import koembed
from koembed.cli import app
from koembed.registry import TRAINERS

runner = CliRunner()


def run(*args: object):
    return runner.invoke(app, [str(a) for a in args])


def flat(text: str) -> str:
    """Terminal output with its line wrapping undone."""
    return " ".join(text.split())


def assert_one_line_error(result, *fragments: str):
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    for fragment in fragments:
        assert fragment in lines[0], lines[0]


@pytest.fixture(scope="module")
def sif_dir(law_tokens, tmp_path_factory):
    out = tmp_path_factory.mktemp("sif") / "sif"
    result = run(
        "train", "sif", law_tokens.path, "-o", out, "--dim", 16, "--min-count", 2, "--workers", 1
    )
    assert result.exit_code == 0, result.output
    assert "saved" in result.stderr and "lines x 16 dims" in flat(result.stderr)
    return out


@pytest.mark.parametrize(
    "command",
    [["train", "doc2vec"], ["train", "sif"], ["train", "lsa-doc"], ["embed"], ["evaluate-docs"]],
)
def test_help_shows_an_example(command):
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert re.search(rf"Examples?: koembed {' '.join(command)}", flat(result.output))


@pytest.mark.parametrize("method", ["doc2vec", "lsa-doc"])
def test_cli_defaults_are_the_trainer_defaults(method):
    command = typer.main.get_command(app).commands["train"].commands[method]
    trainer = TRAINERS.get(method)
    for option in command.params:
        if option.name in trainer.params and option.default is not None:
            assert option.default == trainer.params[option.name].default, option.name


def test_train_doc2vec_and_lsa_doc(law_tokens, tmp_path):
    out = tmp_path / "d2v"
    result = run(
        "train", "doc2vec", law_tokens.path, "-o", out, "--dbow", "--dbow-words",
        "--dim", 8, "--min-count", 2, "--epochs", 1, "--workers", 1,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    meta = json.loads((out / "koembed.json").read_text(encoding="utf-8"))
    assert meta["method"] == "doc2vec" and meta["params"]["dm"] is False
    assert meta["documents"]["word_vectors_trained"] is True
    result = run("train", "lsa-doc", law_tokens.path, "-o", tmp_path / "lsa", "--dim", 4)
    assert result.exit_code == 0, result.output
    assert isinstance(koembed.load(tmp_path / "lsa"), koembed.DocumentModel)


@pytest.mark.parametrize("suffix", [".npy", ".tsv"])
def test_embed_round_trip(sif_dir, tmp_path, suffix, sentences_path):
    model = koembed.load(sif_dir)
    texts = sentences_path.read_text(encoding="utf-8").splitlines()
    out = tmp_path / f"vectors{suffix}"
    result = run("embed", "--model", sif_dir, "--input", sentences_path, "-o", out)
    assert result.exit_code == 0, result.output
    assert f"wrote {out}: 10 vectors x 16 dims" in flat(result.stderr)
    read = np.load(out) if suffix == ".npy" else np.loadtxt(out, delimiter="\t", dtype=np.float32)
    assert read.shape == (10, 16) and read.dtype == np.float32
    assert np.array_equal(read, model.embed(texts))  # order kept, float32 exact in both
    # Texts as arguments, in small batches: the same rows.
    again = tmp_path / f"again{suffix}"
    result = run("embed", "-m", sif_dir, *texts[:3], "-o", again, "--batch-size", 2)
    assert result.exit_code == 0, result.output
    read = np.load(again) if suffix == ".npy" else np.loadtxt(again, delimiter="\t")
    assert np.allclose(read, model.embed(texts[:3]))


def test_embed_says_which_texts_had_no_known_word(sif_dir, tmp_path):
    out = tmp_path / "v.npy"
    result = run("embed", "-m", sif_dir, "대통령", "xyzzy", "국민", "", "-o", out)
    assert result.exit_code == 0, result.output
    assert "2 text(s) had no word in the model's vocabulary" in flat(result.stderr)
    assert "(lines 2, 4)" in flat(result.stderr)
    vectors = np.load(out)
    assert vectors[0].any() and not vectors[1].any() and not vectors[3].any()


def test_embed_pretokenized_corpus_gives_the_corpus_vectors(sif_dir, law_tokens, tmp_path):
    out = tmp_path / "corpus.npy"
    result = run("embed", "-m", sif_dir, "-i", law_tokens.path, "--pretokenized", "-o", out)
    assert result.exit_code == 0, result.output
    vectors = np.load(out, mmap_mode="r")
    assert np.allclose(vectors, koembed.load(sif_dir).doc_vectors, atol=1e-5)


def test_similar_text(sif_dir):
    model = koembed.load(sif_dir)
    result = run("similar", "--text", "대통령은 국무총리를 임명한다", "-m", sif_dir, "--topn", 3)
    assert result.exit_code == 0, result.output
    assert "대통령 / 은 / 국무총리 / 를 / 임명 / 한다" in flat(result.stderr)
    expected = model.most_similar_documents("대통령은 국무총리를 임명한다", topn=3)
    shown = flat(result.stdout)
    for rank, match in enumerate(expected, start=1):
        # The API and the command number a document alike: its line, from 1.
        assert match.line == match.row + 1
        assert f"{rank} {match.score:.4f} {match.line} {flat(match.text)[:20]}" in shown
    result = run("similar", "--text", "대통령은 국무총리를 임명한다", "-m", sif_dir, "--json")
    data = json.loads(result.stdout)
    assert data["rows"] == "lines" and len(data["documents"]) == 10
    first = data["documents"][0]
    assert first["line"] == expected[0].line == first["row"] + 1
    assert first["text"] == expected[0].text
    assert [d["score"] for d in data["documents"]] == sorted(
        (d["score"] for d in data["documents"]), reverse=True
    )


def test_evaluate_docs(sif_dir, law_tokens, tmp_path):
    # Labels: which of konlpy's corpora a line comes from, the constitution
    # (kolaw, first 356 lines) or the bills (kobill); lines without words left out.
    lsa_dir = tmp_path / "lsa"
    assert run("train", "lsa-doc", law_tokens.path, "-o", lsa_dir, "--dim", 32).exit_code == 0
    words = [line.split() for line in law_tokens.path.read_text(encoding="utf-8").splitlines()]
    labels = tmp_path / "labels.txt"
    labels.write_text(
        "".join(("law" if i < 356 else "bill") * bool(w) + "\n" for i, w in enumerate(words)),
        encoding="utf-8",
    )
    result = run("evaluate-docs", "-m", lsa_dir, "-m", sif_dir, "--labels", labels, "--json")
    assert result.exit_code == 0, result.output
    lsa, sif = json.loads(result.stdout)
    assert (lsa["name"], sif["name"]) == ("lsa", "sif")
    assert lsa["accuracy"] > lsa["majority"] + 0.05 and lsa["majority"] == sif["majority"]
    assert lsa["left_out"] == sum(not w for w in words) and lsa["test"] == sif["test"]
    result = run("evaluate-docs", "-m", lsa_dir, "--labels", labels)
    assert result.exit_code == 0 and "koembed evaluate-docs" in result.stdout


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (["embed", "-m", "{sif}", "좋다", "-o", "{tmp}/v.csv"], ["name it .npy", ".tsv"]),
        (["embed", "-m", "{sif}", "-o", "{tmp}/v.npy"], ["give the texts as arguments or --input"]),
        (
            ["embed", "-m", "{sif}", "좋다", "-i", "{tmp}/x", "-o", "{tmp}/v.npy"],
            ["one of the two"],
        ),
        (
            ["embed", "-m", "{w2v}", "좋다", "-o", "{tmp}/v.npy"],
            ["holds word vectors", "not documents"],
        ),
        (["embed", "-m", "{tmp}/none", "좋다", "-o", "{tmp}/v.npy"], ["no model at"]),
        (["similar", "--text", "xyzzy", "-m", "{sif}"], ["no token of 'xyzzy'"]),
        (["similar", "--text", "대통령", "-m", "{w2v}"], ["holds word vectors"]),
        (["similar", "국민", "--text", "대통령", "-m", "{sif}"], ["--text finds documents"]),
        (
            ["evaluate-docs", "-m", "{sif}", "--labels", "{tokens}", "--classes", "1-4"],
            ["is not LOW-HIGH:NAME"],
        ),
        (["evaluate-docs", "-m", "{sif}", "--labels", "{short}"], ["2 labels for 4577 documents"]),
        (
            ["train", "doc2vec", "{tokens}", "-o", "{tmp}/d", "--dm", "--dbow-words"],
            ["--dbow-words applies to PV-DBOW; add --dbow or leave it out"],
        ),
        (
            ["train", "doc2vec", "{tokens}", "-o", "{tmp}/d", "--tags", "{short}"],
            ["has 2 tag lines but", "has 4577 lines"],
        ),
        (
            ["train", "sif", "{tokens}", "-o", "{tmp}/s", "--word-model", "{w2v}", "--dim", "10"],
            ["--dim sets up the word2vec model", "leave it out with --word-model"],
        ),
        (["train", "sif", "{tokens}", "-o", "{tmp}/s", "--variant", "max"], ["must be one of"]),
        (["train", "lsa-doc", "{tokens}", "-o", "{tmp}/l", "--show", "all"], ["must be one of"]),
    ],
)
def test_bad_input_is_one_line(args, fragments, sif_dir, law_model, law_tokens, tmp_path):
    short = tmp_path / "short.txt"
    short.write_text("a\nb\n", encoding="utf-8")
    w2v = law_model.save(tmp_path / "w2v")
    values = {"sif": sif_dir, "w2v": w2v, "tmp": tmp_path, "tokens": law_tokens.path}
    values["short"] = short
    assert_one_line_error(run(*(a.format(**values) for a in args)), *fragments)


def test_embed_refuses_to_overwrite(sif_dir, tmp_path):
    out = tmp_path / "v.npy"
    out.write_bytes(b"keep")
    assert_one_line_error(run("embed", "-m", sif_dir, "좋다", "-o", out), "already exists")
    assert out.read_bytes() == b"keep"
    result = run("embed", "-m", sif_dir, "좋다", "-o", out, "--overwrite")
    assert result.exit_code == 0 and np.load(out).shape == (1, 16)


def test_train_from_a_raw_corpus_with_tags_from_its_column(tmp_path, sentences_path):
    lines = sentences_path.read_text(encoding="utf-8").splitlines()
    raw = tmp_path / "reviews.tsv"
    raw.write_text("".join(f"m{i % 2}\t{line}\n" for i, line in enumerate(lines)), "utf-8")
    out = tmp_path / "movies"
    result = run(
        "train", "doc2vec", raw, "--tokenizer", "mecab", "--column", 2, "--tag-column", 1,
        "-o", out, "--min-count", 1, "--dim", 8, "--epochs", 2, "--workers", 1,
        "--cache-dir", tmp_path / "cache",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    model = koembed.load(out)
    assert [model.document(i) for i in range(model.n_documents)] == ["m0", "m1"]
    result = run("similar", "--text", "영화", "-m", out, "--json")
    documents = json.loads(result.stdout)["documents"]
    assert {d["text"] for d in documents} == {"m0", "m1"}
    assert not any("line" in d for d in documents)  # a tag is no line of the corpus
    assert all(match.line is None for match in model.most_similar_documents("영화"))
    out = tmp_path / "sif"
    result = run(
        "train", "sif", raw, "-t", "mecab", "--column", 2, "-o", out, "--min-count", 1,
        "--dim", 8, "--workers", 1, "--cache-dir", tmp_path / "cache",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert koembed.load(out).document(2) == lines[2]  # the raw line, not its tokens


# -- the word commands on document models: their word vectors, PV-DBOW's refused ----

OLD_MODELS = Path(__file__).parent / "data" / "old-models"
WORD_COMMANDS = [
    ["similar", "국민"],
    ["similarity", "국민", "헌법"],
    ["analogy", "국민", "헌법", "법률"],
    ["doesnt-match", "국민", "헌법", "법률"],
    ["vocab"],
    ["plot", "국민", "헌법", "-o", "{tmp}/map.png"],
    ["plot-similarity", "국민", "헌법", "-o", "{tmp}/heat.png"],
    ["evaluate", "--ws353", "{tmp}/pairs.csv"],
    ["export", "-o", "{tmp}/projector"],
    ["export", "--format", "word2vec", "-o", "{tmp}/w2v.txt"],
    ["shell"],
]


@pytest.mark.parametrize("command", WORD_COMMANDS, ids=lambda c: " ".join(c[:3]))
def test_word_commands_refuse_pv_dbow_random_word_vectors(command, tmp_path):
    (tmp_path / "pairs.csv").write_text("국민,헌법,5\n", encoding="utf-8")
    args = [a.format(tmp=tmp_path) for a in command]
    result = runner.invoke(app, [*args, "--model", str(OLD_MODELS / "doc2vec-dbow")], input="")
    assert_one_line_error(result, "this PV-DBOW model trained no word vectors")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pairs.csv"]  # nothing written


@pytest.mark.parametrize("command", WORD_COMMANDS, ids=lambda c: " ".join(c[:3]))
def test_word_commands_use_a_document_models_word_vectors(command, tmp_path):
    if command[0].startswith("plot"):
        pytest.importorskip("matplotlib")
    (tmp_path / "pairs.csv").write_text("국민,헌법,5\n", encoding="utf-8")
    args = [a.format(tmp=tmp_path) for a in command]
    on_documents = runner.invoke(app, [*args, "--model", str(OLD_MODELS / "sif")], input="")
    assert on_documents.exit_code == 0, on_documents.output
    if command[0] in ("similar", "similarity", "analogy", "doesnt-match", "vocab"):
        # The SIF model averages word2vec's vectors, saved alike: the same answers.
        on_words = runner.invoke(app, [*args, "--model", str(OLD_MODELS / "word2vec")])
        assert on_documents.stdout == on_words.stdout
