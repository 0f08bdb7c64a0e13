"""koembed serve: the JSON API answers as the library does, refuses bad requests
with 4xx and one line, guards itself (API key, body size, CORS), and a real
server process drains its requests on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
import pytest
from fastapi.testclient import TestClient

import koembed
from koembed.errors import BadInputError
from koembed.evaluate import analogy_resolved
from koembed.models.prefix import PrefixIndex, initials_key, jamo_key
from koembed.serve import ModelCatalog, model_sources
from koembed.serve.app import create_app
from koembed.serve.runner import ServeSettings, is_loopback
from koembed.serve.schemas import MAX_BODY_BYTES, MAX_TOPN

KEY = "0123456789abcdef-test-key"


@pytest.fixture(scope="module")
def catalog(law_model_dir, law_sif_dir) -> ModelCatalog:
    return ModelCatalog.load(model_sources([str(law_model_dir), f"sif={law_sif_dir}"]))


@pytest.fixture(scope="module")
def client(catalog) -> TestClient:
    return TestClient(create_app(catalog))


@pytest.fixture(scope="module")
def words(law_model_dir):
    return koembed.load(law_model_dir)


# -- answers, as the library gives them ------------------------------------------


def test_similar_is_the_library_answer_with_the_model_tokenizer(client, words):
    answer = client.get("/api/similar", params={"positive": "국민", "topn": 5}).json()
    assert answer["model"] == "w2v"
    expected = words.most_similar("국민", topn=5)
    assert [(n["word"], n["score"]) for n in answer["neighbours"]] == [
        (word, round(score, 6)) for word, score in expected
    ]
    # Not a vocabulary word: tokenized by the model's own mecab, as the CLI does.
    answer = client.get("/api/similar", params={"positive": "국민의", "topn": 3}).json()
    assert answer["resolved"][0]["tokens"] == ["국민", "의"]
    assert [n["word"] for n in answer["neighbours"]] == [
        w for w, _ in words.most_similar("국민의", topn=3)
    ]


def test_similar_with_negative_words_and_another_model(client, words):
    params = {"positive": ["대통령", "국회"], "negative": ["법률"], "topn": 4, "model": "sif"}
    answer = client.get("/api/similar", params=params).json()
    expected = words.most_similar(["대통령", "국회"], ["법률"], topn=4)
    assert answer["model"] == "sif"  # a document model answers with its word vectors
    assert [n["word"] for n in answer["neighbours"]] == [w for w, _ in expected]


def test_analogy_similarity_and_doesnt_match(client, words):
    answer = client.get(
        "/api/analogy", params={"a": "국회", "b": "의원", "c": "대통령", "method": "3cosmul"}
    ).json()
    expected = analogy_resolved(words, "국회", "의원", "대통령", method="3cosmul")
    assert [a["word"] for a in answer["answers"]] == [w for w, _ in expected.answers]
    cosine = client.get("/api/similarity", params={"first": "국민", "second": "국가"}).json()
    assert cosine["cosine"] == pytest.approx(words.similarity("국민", "국가"), abs=1e-6)
    odd = client.get("/api/doesnt-match", params={"word": ["국민", "국가", "국회", "의"]}).json()
    assert odd["odd"] == words.doesnt_match(["국민", "국가", "국회", "의"])


def test_vocabulary_completes_hangul_as_it_is_typed(client, words):
    def completions(prefix: str) -> list[str]:
        answer = client.get("/api/vocabulary", params={"prefix": prefix, "limit": 50}).json()
        return [item["word"] for item in answer["words"]]

    assert completions("국")[0] == "국"  # the word itself first, when it is one
    assert "국민" in completions("국ㅁ") and "국민" in completions("구")
    by_initials = completions("ㄱㅁ")
    assert "국민" in by_initials
    assert all(
        initials_key(word).startswith("ㄱㅁ") or jamo_key(word).startswith("ㄱㅁ")
        for word in by_initials
    )
    counts = [
        item["count"]
        for item in client.get("/api/vocabulary", params={"prefix": "ㄱ", "limit": 20}).json()[
            "words"
        ][1:]
    ]
    assert counts == sorted(counts, reverse=True)  # most frequent first


def test_prefix_index_finds_words_by_jamo_and_initial_consonants():
    index = PrefixIndex(["희망", "희미", "흥미", "하늘", "희망찬", "abc"])
    assert [index.words[row] for row in index.complete("희마")] == ["희망", "희망찬"]
    assert [index.words[row] for row in index.complete("희ㅁ")] == ["희망", "희미", "희망찬"]
    assert [index.words[row] for row in index.complete("ㅎㅁ")] == [
        "희망",
        "희미",
        "흥미",
        "희망찬",
    ]
    assert [index.words[row] for row in index.complete("ab")] == ["abc"]
    assert index.complete("") == [] and index.complete("ㅎ", limit=0) == []


def test_neighbourhood_places_the_query_first(client, words):
    answer = client.get("/api/neighbourhood", params={"word": "국민", "topn": 8}).json()
    points = answer["points"]
    assert [p["word"] for p in points] == [
        "국민",
        *(w for w, _ in words.most_similar("국민", topn=8)),
    ]
    xy = np.array([[p["x"], p["y"]] for p in points])
    assert np.ptp(xy, axis=0).min() > 0  # spread on both axes, not a line or a dot


def test_embed_word_and_document_models(client, words, law_sif_dir):
    texts = ["국민의 권리", "zzqx"]
    answer = client.post("/api/embed", json={"texts": texts}).json()
    unit = words.unit_vectors
    expected = np.mean([unit[words.index[t]] for t in ("국민", "의", "권리")], axis=0)
    assert np.allclose(answer["vectors"][0], expected, atol=1e-5)
    assert answer["empty"] == [1] and not any(answer["vectors"][1])
    documents = koembed.load(law_sif_dir)
    answer = client.post("/api/embed", json={"texts": texts, "model": "sif"}).json()
    assert answer["dim"] == documents.doc_dim
    assert np.allclose(answer["vectors"], documents.embed(texts), atol=1e-5)


def test_nearest_documents(client, law_sif_dir):
    documents = koembed.load(law_sif_dir)
    answer = client.post(
        "/api/documents", json={"text": "대통령의 임기", "topn": 3, "model": "sif"}
    ).json()
    expected = documents.most_similar_documents("대통령의 임기", topn=3)
    assert [d["row"] for d in answer["documents"]] == [m.row for m in expected]
    refused = client.post("/api/documents", json={"text": "대통령의 임기"})
    assert refused.status_code == 400 and "document model" in refused.json()["detail"]


def test_model_information(client, words):
    models = client.get("/api/models").json()["models"]
    assert [m["name"] for m in models] == ["w2v", "sif"]
    info = client.get("/api/models/w2v").json()
    assert info["method"] == "word2vec" and info["vocab_size"] == len(words)
    assert info["tokenizer"]["name"] == "mecab" and info["params"]["dim"] == 32
    assert models[1]["documents"] > 0 and models[0]["documents"] is None


# -- bad requests: 4xx with one line ---------------------------------------------------


def test_unknown_word_is_404_with_spellings(client):
    response = client.get("/api/similar", params={"positive": "국밍"})
    assert response.status_code == 404
    body = response.json()
    assert "not in the model's vocabulary" in body["detail"] and "국민" in body["suggestions"]
    assert "\n" not in body["detail"]


@pytest.mark.parametrize(
    ("path", "params", "status", "said"),
    [
        ("/api/similar", {"positive": "국민", "model": "nope"}, 422, "'w2v' or 'sif'"),
        ("/api/models/nope", {}, 404, "valid models: sif, w2v"),
        ("/api/similar", {"positive": "국민", "topn": MAX_TOPN + 1}, 422, "topn"),
        ("/api/similar", {"positive": "국민", "topn": "ten"}, 422, "topn"),
        ("/api/similar", {}, 422, "positive"),
        ("/api/similar", {"positive": ["국민"] * 40}, 422, "positive"),
        ("/api/similar", {"positive": "국" * 300}, 422, "positive"),
        ("/api/analogy", {"a": "국민", "b": "국가", "c": "국회", "method": "x"}, 422, "method"),
        ("/api/doesnt-match", {"word": "국민"}, 422, "word"),
        ("/api/vocabulary", {"prefix": "국", "limit": 0}, 422, "limit"),
    ],
)
def test_bad_requests_are_4xx_with_a_message(client, path, params, status, said):
    response = client.get(path, params=params)
    assert response.status_code == status, response.text
    assert said in response.json()["detail"]


def test_body_size_and_text_limits(client):
    too_long = client.post(
        "/api/embed",
        content=b"{" + b" " * (MAX_BODY_BYTES + 1) + b"}",
        headers={"content-type": "application/json"},
    )
    assert too_long.status_code == 413 and "bytes" in too_long.json()["detail"]

    def streamed():  # no Content-Length: the limit counts what arrives
        for _ in range(MAX_BODY_BYTES // 65536 + 2):
            yield b" " * 65536

    chunked = client.post(
        "/api/embed", content=streamed(), headers={"content-type": "application/json"}
    )
    assert chunked.status_code == 413
    many = client.post("/api/embed", json={"texts": ["국민"] * 1000})
    assert many.status_code == 422 and "texts" in many.json()["detail"]
    assert (
        client.post(
            "/api/embed", content=b"[", headers={"content-type": "application/json"}
        ).status_code
        == 422
    )


def test_api_key_guards_the_api_not_the_page(catalog):
    guarded = TestClient(create_app(catalog, api_key=KEY))
    assert guarded.get("/api/models").status_code == 401
    assert guarded.get("/api/models", headers={"X-API-Key": "wrong"}).status_code == 401
    assert guarded.get("/api/models", headers={"X-API-Key": KEY}).status_code == 200
    assert guarded.get("/api/models", headers={"Authorization": f"Bearer {KEY}"}).status_code == 200
    assert guarded.get("/").status_code == 200 and "koembed" in guarded.get("/").text


def test_cors_is_off_unless_an_origin_is_given(catalog, client):
    origin = {"Origin": "https://example.org"}
    assert "access-control-allow-origin" not in client.get("/api/models", headers=origin).headers
    open_to = TestClient(create_app(catalog, cors_origins=["https://example.org"]))
    answer = open_to.get("/api/models", headers=origin)
    assert answer.headers["access-control-allow-origin"] == "https://example.org"


def test_page_and_docs_need_no_cdn(client):
    page = client.get("/").text
    docs = client.get("/docs").text
    for html in (page, docs):
        assert "http://" not in html.replace("http://www.w3.org", "") and "https://" not in html
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/openapi.json").json()["paths"]["/api/similar"]["get"]


# -- settings and the command ------------------------------------------------------------


def test_model_names_and_host_rules(tmp_path):
    assert [(s.name, s.path) for s in model_sources(["models/w2v/", "p=models/ppmi"])] == [
        ("w2v", "models/w2v/"),
        ("p", "models/ppmi"),
    ]
    with pytest.raises(BadInputError, match="two models are named w2v"):
        model_sources(["a/w2v", "b/w2v"])
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("example.org")
    with pytest.raises(BadInputError, match="needs an API key"):
        ServeSettings(model_sources(["m"]), host="0.0.0.0").check()
    ServeSettings(model_sources(["m"]), host="0.0.0.0", api_key=KEY).check()


def run_cli(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "koembed", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
    )


def test_command_refuses_a_public_host_without_a_key_and_a_damaged_model(law_model_dir, tmp_path):
    result = run_cli("serve", "--model", str(law_model_dir), "--host", "0.0.0.0")
    assert result.returncode == 1
    assert "needs an API key: give --api-key" in result.stderr and "Traceback" not in result.stderr
    damaged = tmp_path / "damaged"
    damaged.mkdir()
    for name in os.listdir(law_model_dir):
        (damaged / name).write_bytes((law_model_dir / name).read_bytes())
    (damaged / "vectors.npy").write_bytes(b"not numpy")
    served = run_cli("serve", "--model", str(damaged), "--port", "0")
    queried = run_cli("similar", "국민", "--model", str(damaged))
    assert served.returncode == queried.returncode == 1
    assert served.stderr.strip().splitlines()[-1] == queried.stderr.strip().splitlines()[-1]
    assert "is corrupt" in served.stderr


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_server(*args: str) -> tuple[str, int, subprocess.Popen]:
    """``koembed serve ARGS`` on a free port, once it answers: (URL, port, process)."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "koembed", "serve", "--port", str(port), *args],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the server stopped: {process.stderr.read()}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/models", timeout=2)
            return f"http://127.0.0.1:{port}", port, process
        except OSError:
            time.sleep(0.3)
    process.kill()
    raise AssertionError(f"the server did not answer on port {port} in 90 s")


@pytest.mark.slow
def test_workers_answer_and_sigterm_drains_a_request_in_flight(law_model_dir):
    url, port, process = start_server("--model", str(law_model_dir), "--workers", "2")
    try:
        answer = json.load(
            urllib.request.urlopen(f"{url}/api/similar?positive=%EA%B5%AD%EB%AF%BC&topn=3")
        )
        assert len(answer["neighbours"]) == 3
        # A request in flight: its headers sent, its body only half.
        body = json.dumps({"texts": ["국민의 권리"]}).encode()
        client = socket.create_connection(("127.0.0.1", port), timeout=30)
        client.sendall(
            b"POST /api/embed HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
            + f"Content-Length: {len(body)}\r\n\r\n".encode()
            + body[:10]
        )
        time.sleep(0.5)
        process.send_signal(signal.SIGTERM)
        time.sleep(1.0)
        assert process.poll() is None  # still draining
        client.sendall(body[10:])
        reply = b""
        while chunk := client.recv(65536):
            reply += chunk
        assert reply.startswith(b"HTTP/1.1 200"), reply[:200]
        assert b'"dim":32' in reply
        assert process.wait(timeout=30) == 0
        with pytest.raises(OSError):  # and no longer listening
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/models", timeout=2)
    finally:
        if process.poll() is None:
            process.kill()
        process.wait()
    assert Path(law_model_dir, "vectors.npy").exists()
