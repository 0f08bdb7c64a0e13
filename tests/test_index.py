"""Approximate nearest-neighbour indexes (koembed index): recall against exact
search, the same answers through the CLI, the API and the server, and damaged
or stale indexes refused."""

from __future__ import annotations

import json
import os
import shutil
import time

import numpy as np
import pytest
from typer.testing import CliRunner

import koembed
from koembed.cli import app
from koembed.errors import BadInputError
from koembed.models import neighbours
from koembed.models.neighbours import (
    DOCUMENTS,
    GRAPH_FILE,
    INFO_FILE,
    WORDS,
    IndexSettings,
    NeighbourIndex,
    build_index,
    index_folder,
    open_index,
)

pytest.importorskip("faiss")

runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


def last_line(result) -> str:
    return result.stderr.strip().splitlines()[-1]


@pytest.fixture
def word_dir(law_model_dir, tmp_path):
    return shutil.copytree(law_model_dir, tmp_path / "w2v")


@pytest.fixture
def sif_dir(law_sif_dir, tmp_path):
    return shutil.copytree(law_sif_dir, tmp_path / "sif")


def clustered(rows: int, dim: int, seed: int) -> np.ndarray:
    """Unit vectors around 200 centres: neighbours that are close but not trivial."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(200, dim))
    points = centres[rng.integers(0, 200, rows)] + 0.6 * rng.normal(size=(rows, dim))
    points = points.astype(np.float32)
    return points / np.linalg.norm(points, axis=1, keepdims=True)


def test_recall_at_10_against_exact_search(tmp_path):
    drawn = clustered(30_300, 48, seed=1)
    vectors, queries = drawn[:30_000], drawn[30_000:]  # queries are not in the index
    np.save(tmp_path / "m.npy", vectors)
    info = build_index(vectors, tmp_path, WORDS, "m.npy", workers=2)
    assert (info.rows, info.indexed, info.dim) == (30_000, 30_000, 48)
    index = open_index(tmp_path, WORDS, len(vectors))
    exact = np.argsort(-(queries @ vectors.T), axis=1)[:, :10]
    hits = 0
    for query, truth in zip(queries, exact):
        rows, scores = index.nearest(vectors, query, 10)
        assert np.all(np.diff(scores) <= 0)  # best first
        np.testing.assert_allclose(scores, vectors[rows] @ query, rtol=1e-5)
        hits += len(set(rows.tolist()) & set(truth.tolist()))
    recall = hits / exact.size
    assert recall >= 0.95, recall


def test_word_queries_go_through_the_index_and_agree_with_exact(word_dir, monkeypatch):
    model = koembed.load(word_dir)
    exact = model.most_similar("국민", topn=10)
    analogy = koembed.analogy(model, "국민", "국가", "대통령", topn=5)
    assert model.neighbour_index() is None
    # A wide search, so that the graph (built in threads, not deterministic) finds
    # every true neighbour of this small model; recall is the test above's.
    result = run("index", "--model", str(word_dir), "--expansion-search", "512")
    assert result.exit_code == 0, result.stderr
    assert "indexed" in result.stderr and "words vectors" in result.stderr
    info = json.loads((index_folder(word_dir, WORDS) / INFO_FILE).read_text())
    assert info["library"] == "faiss" and info["source"] == "vectors.npy"
    indexed = koembed.load(word_dir)
    assert indexed.neighbour_index().info.indexed == len(indexed)
    searches = []
    real_candidates = NeighbourIndex.candidates
    monkeypatch.setattr(
        NeighbourIndex,
        "candidates",
        lambda self, *args: searches.append(args) or real_candidates(self, *args),
    )
    approximate = indexed.most_similar("국민", topn=10)
    assert len(searches) == 1  # through the graph
    assert [w for w, _ in approximate] == [w for w, _ in exact]
    np.testing.assert_allclose([s for _, s in approximate], [s for _, s in exact], rtol=1e-5)
    assert [w for w, _ in koembed.analogy(indexed, "국민", "국가", "대통령", topn=5)] == [
        w for w, _ in analogy
    ]
    koembed.analogy(indexed, "국민", "국가", "대통령", method="3cosmul")
    assert len(searches) == 2  # 3CosMul scores every word
    # Several words, and the CLI with and without --exact.
    both = indexed.most_similar(["국민", "국가"], negative=["법률"], topn=5)
    truth = model.most_similar(["국민", "국가"], negative=["법률"], topn=5)
    assert [w for w, _ in both] == [w for w, _ in truth]
    assert [s for _, s in both] == pytest.approx([s for _, s in truth], rel=1e-5)
    shown = run("similar", "국민", "--model", str(word_dir), "--json")
    plain = run("similar", "국민", "--model", str(word_dir), "--json", "--exact")
    words = [[n["word"] for n in json.loads(r.stdout)["neighbours"]] for r in (shown, plain)]
    assert words[0] == words[1] == [w for w, _ in exact]


def test_document_queries_go_through_the_index(sif_dir):
    model = koembed.load(sif_dir)
    text = "국회의원은 법률이 정하는 바에 의하여 선출한다"
    exact = model.most_similar_documents(text, topn=10)
    result = run("index", "--model", str(sif_dir), "--vectors", "both", "--expansion-search", "512")
    assert result.exit_code == 0, result.stderr
    assert "documents vectors" in result.stderr and "words vectors" in result.stderr
    indexed = koembed.load(sif_dir)
    assert indexed.neighbour_index().info.what == DOCUMENTS
    assert indexed.word_vectors.neighbour_index().info.what == WORDS
    found = indexed.most_similar_documents(text, topn=10)
    assert [m.row for m in found] == [m.row for m in exact]
    assert [m.score for m in found] == pytest.approx([m.score for m in exact], rel=1e-5)
    assert found[0].line == exact[0].line and found[0].text == exact[0].text
    cli = run("similar", "--text", text, "--model", str(sif_dir), "--json", "--topn", "3")
    assert [d["row"] for d in json.loads(cli.stdout)["documents"]] == [m.row for m in exact[:3]]


def test_a_stale_or_damaged_index_is_refused_and_exact_still_answers(sif_dir):
    assert run("index", "--model", str(sif_dir)).exit_code == 0
    vectors = np.load(sif_dir / "doc_vectors.npy")
    vectors[0] *= 2  # the documents change after indexing
    np.save(sif_dir / "doc_vectors.npy", vectors)
    text = "국회의원"
    result = run("similar", "--text", text, "--model", str(sif_dir))
    assert result.exit_code != 0
    line = last_line(result)
    assert "stale" in line and "koembed index --model" in line and "--exact" in line
    assert "Traceback" not in result.output
    exact = run("similar", "--text", text, "--model", str(sif_dir), "--exact")
    assert exact.exit_code == 0, exact.stderr
    assert run("index", "--model", str(sif_dir)).exit_code == 0  # rebuilt: used again
    assert run("similar", "--text", text, "--model", str(sif_dir)).exit_code == 0
    graph = index_folder(sif_dir, DOCUMENTS) / GRAPH_FILE
    graph.write_bytes(graph.read_bytes()[: graph.stat().st_size // 2])
    result = run("similar", "--text", text, "--model", str(sif_dir))
    assert result.exit_code != 0 and "damaged" in last_line(result)
    (index_folder(sif_dir, DOCUMENTS) / INFO_FILE).write_text("{not json")
    result = run("similar", "--text", text, "--model", str(sif_dir))
    assert result.exit_code != 0 and "damaged" in last_line(result)


def test_settled_files_are_vouched_for_by_their_stamps_and_a_change_still_shows(
    word_dir, monkeypatch
):
    vectors = word_dir / "vectors.npy"
    an_hour_ago = time.time_ns() - 3600 * 10**9
    os.utime(vectors, ns=(an_hour_ago, an_hour_ago))  # trained long before indexing
    rows = np.load(vectors).shape[0]
    koembed.load(word_dir).build_index()
    read = []
    whole = neighbours.checksum
    monkeypatch.setattr(neighbours, "checksum", lambda path: read.append(path.name) or whole(path))
    assert open_index(word_dir, WORDS, rows) is not None
    assert read == []  # a stat of each file, neither read whole
    # Written in place, same size, at once: the time changes, so the checksum is read.
    graph = index_folder(word_dir, WORDS) / GRAPH_FILE
    damaged = bytearray(graph.read_bytes())
    damaged[-1] ^= 0xFF
    graph.write_bytes(bytes(damaged))
    with pytest.raises(BadInputError, match="damaged"):
        open_index(word_dir, WORDS, rows)
    assert read == [GRAPH_FILE]
    koembed.load(word_dir).build_index()
    matrix = np.load(vectors)
    matrix[0] = -matrix[0]
    np.save(vectors, matrix)  # the same size
    with pytest.raises(BadInputError, match="stale"):
        open_index(word_dir, WORDS, rows)


def test_bad_index_requests_are_one_line_errors(word_dir, law_model):
    result = run("index", "--model", str(word_dir), "--vectors", "documents")
    assert result.exit_code != 0 and "--vectors" in last_line(result)
    result = run("index", "--model", str(word_dir), "--connectivity", "1")
    assert result.exit_code != 0 and "--connectivity" in last_line(result)
    with pytest.raises(koembed.BadInputError, match="not a model directory"):
        koembed.train("word2vec", [["가", "나"]] * 20, dim=4, min_count=1).build_index()
    assert not (word_dir / "index").exists()


def test_an_interrupted_build_keeps_the_previous_index(word_dir):
    model = koembed.load(word_dir)
    first = model.build_index(IndexSettings(expansion_search=64))

    def interrupt(event):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        model.build_index(IndexSettings(expansion_search=200), progress=interrupt)
    info = json.loads((index_folder(word_dir, WORDS) / INFO_FILE).read_text())
    assert info["graph_checksum"] == first.graph_checksum
    assert info["settings"]["expansion_search"] == 64
    assert sorted(p.name for p in (word_dir / "index").iterdir()) == ["words"]


def test_without_faiss_queries_are_exact_and_say_so(word_dir, monkeypatch, caplog):
    assert run("index", "--model", str(word_dir)).exit_code == 0
    monkeypatch.setitem(__import__("sys").modules, "faiss", None)  # as if not installed
    model = koembed.load(word_dir)
    assert model.neighbour_index() is None
    assert "pip install 'koembed[index]'" in caplog.text
    assert len(model.most_similar("국민", topn=3)) == 3


def test_the_server_uses_the_index_and_reports_it(sif_dir):
    pytest.importorskip("fastapi")
    from fastapi.testclient import TestClient

    from koembed.serve.app import create_app
    from koembed.serve.catalog import ModelCatalog, model_sources

    indexing = run(
        "index", "--model", str(sif_dir), "--vectors", "both", "--expansion-search", "512"
    )
    assert indexing.exit_code == 0
    client = TestClient(create_app(ModelCatalog.load(model_sources([f"sif={sif_dir}"]))))
    info = client.get("/api/models/sif").json()
    assert set(info["indexes"]) == {"words", "documents"}
    assert info["indexes"]["documents"]["library"].startswith("faiss")
    answers = [
        client.post("/api/documents", json={"text": "국회의원 선거", "exact": exact}).json()
        for exact in (False, True)
    ]
    assert [d["row"] for d in answers[0]["documents"]] == [
        d["row"] for d in answers[1]["documents"]
    ]
    near = [client.get(f"/api/similar?positive=국민&exact={e}").json() for e in ("false", "true")]
    assert [n["word"] for n in near[0]["neighbours"]] == [n["word"] for n in near[1]["neighbours"]]
    # A stale index stops the server at start with the CLI's line.
    vectors = np.load(sif_dir / "vectors.npy")
    np.save(sif_dir / "vectors.npy", vectors[::-1].copy())
    with pytest.raises(koembed.BadInputError, match="stale"):
        ModelCatalog.load(model_sources([str(sif_dir)]))
