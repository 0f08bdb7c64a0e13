"""Corpus downloads against a local HTTP server and a mirror folder.

The network code is real; only the server is local, because these machines
have no internet.
"""

from __future__ import annotations

import functools
import hashlib
import http.server
import json
import socket
import threading

import pytest
from typer.testing import CliRunner

import koembed
from koembed.cli import app
from koembed.text.downloads import download_corpus, load_registry

TRAIN = "id\tdocument\tlabel\n1\t아 더빙.. 진짜 짜증나네요 목소리\t0\n2\t너무재밓었다그래서보는것을추천한다\t1\n"
TEST = "id\tdocument\tlabel\n3\t굳 ㅋ\t1\n"


@pytest.fixture
def served(tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    (root / "train.txt").write_text(TRAIN, encoding="utf-8")
    (root / "test.txt").write_text(TEST, encoding="utf-8")
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(root))
    handler.log_message = lambda *args: None
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield root, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def closed_port_url() -> str:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    return f"http://127.0.0.1:{port}"


def write_registry(tmp_path, monkeypatch, base_url, root, sha_override=None):
    files = []
    for name in ("train.txt", "test.txt"):
        data = (root / name).read_bytes()
        files.append(
            {
                "name": name,
                "url": f"{base_url}/{name}",
                "size": len(data),
                "sha256": sha_override or hashlib.sha256(data).hexdigest(),
            }
        )
    registry = {
        "mini": {
            "title": "mini reviews",
            "license": "CC0 1.0",
            "homepage": "",
            "files": files,
            "text": {"column": 2, "header": True},
        }
    }
    path = tmp_path / "registry.json"
    path.write_text(json.dumps(registry, ensure_ascii=False), encoding="utf-8")
    monkeypatch.setenv("KOEMBED_CORPORA", str(path))
    monkeypatch.delenv("KOEMBED_MIRROR", raising=False)


def test_download_verifies_and_writes_the_text_column(tmp_path, monkeypatch, served):
    root, url = served
    write_registry(tmp_path, monkeypatch, url, root)
    events = []
    text = download_corpus("mini", tmp_path / "corpora", progress=events.append)
    assert text.read_text(encoding="utf-8").splitlines() == [
        "아 더빙.. 진짜 짜증나네요 목소리",
        "너무재밓었다그래서보는것을추천한다",
        "굳 ㅋ",
    ]
    assert (tmp_path / "corpora" / "mini" / "train.txt").read_text(encoding="utf-8") == TRAIN
    assert events and events[-1].finished
    assert list(koembed.read_corpus(text))[2] == "굳 ㅋ"


def test_checksum_mismatch_is_an_error_and_keeps_nothing(tmp_path, monkeypatch, served):
    root, url = served
    write_registry(tmp_path, monkeypatch, url, root, sha_override="0" * 64)
    with pytest.raises(koembed.DownloadError, match="failed its checksum"):
        download_corpus("mini", tmp_path / "corpora")
    assert not (tmp_path / "corpora" / "mini.txt").exists()
    assert not (tmp_path / "corpora").exists()  # the folders it made are gone too


def test_offline_failure_says_so_in_one_line(tmp_path, monkeypatch, served):
    root, _ = served
    write_registry(tmp_path, monkeypatch, closed_port_url(), root)
    result = CliRunner().invoke(app, ["corpus", "download", "mini", "-o", str(tmp_path / "c")])
    assert result.exit_code == 1
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1
    assert "could not download mini (train.txt)" in lines[0]
    assert "--mirror" in lines[0]
    assert not (tmp_path / "c").exists()


def test_a_mirror_without_the_file_is_named_as_a_folder_not_as_the_flag(
    tmp_path, monkeypatch, served
):
    root, _ = served
    write_registry(tmp_path, monkeypatch, closed_port_url(), root)
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    result = CliRunner().invoke(
        app, ["corpus", "download", "mini", "-o", str(tmp_path / "c"), "--mirror", str(mirror)]
    )
    assert result.exit_code == 1
    assert f"train.txt is not in the mirror {mirror} either" in result.stderr
    assert "--mirror" not in result.stderr


def test_failed_download_keeps_folders_it_did_not_make(tmp_path, monkeypatch, served):
    root, _ = served
    write_registry(tmp_path, monkeypatch, closed_port_url(), root)
    (tmp_path / "c").mkdir()
    (tmp_path / "c" / "notes.txt").write_text("mine", encoding="utf-8")
    with pytest.raises(koembed.DownloadError):
        download_corpus("mini", tmp_path / "c")
    assert sorted(p.name for p in (tmp_path / "c").iterdir()) == ["notes.txt"]


def test_mirror_folder_is_used_first(tmp_path, monkeypatch, served):
    root, _ = served
    write_registry(tmp_path, monkeypatch, closed_port_url(), root)
    monkeypatch.setenv("KOEMBED_MIRROR", str(root))
    text = download_corpus("mini", tmp_path / "corpora")
    assert len(text.read_text(encoding="utf-8").splitlines()) == 3


def test_verified_files_are_not_fetched_again(tmp_path, monkeypatch, served):
    root, url = served
    write_registry(tmp_path, monkeypatch, url, root)
    download_corpus("mini", tmp_path / "corpora")
    write_registry(tmp_path, monkeypatch, closed_port_url(), root)  # server "gone"
    text = download_corpus("mini", tmp_path / "corpora", overwrite=True)
    assert text.exists()


def test_the_real_nsmc_entry_is_checked_against_its_published_checksums(tmp_path, monkeypatch):
    monkeypatch.delenv("KOEMBED_CORPORA", raising=False)
    nsmc = load_registry()["nsmc"]
    assert [f.name for f in nsmc.files] == ["ratings_train.txt", "ratings_test.txt"]
    assert nsmc.license == "CC0 1.0"
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / "ratings_train.txt").write_text(TRAIN, encoding="utf-8")  # not the real file
    with pytest.raises(koembed.DownloadError, match="expected 14628807"):
        download_corpus("nsmc", tmp_path / "corpora", mirror=mirror)
