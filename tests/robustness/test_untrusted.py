"""Model files from strangers: no pickle is loaded without an explicit trust."""

from __future__ import annotations

import pickle

import pytest
from typer.testing import CliRunner

import koembed
from koembed.cli import app


class _Planted:
    """Unpickling this writes a file: proof that code ran."""

    def __init__(self, target: str):
        self.target = target

    def __reduce__(self):
        return (exec, (f"open({self.target!r}, 'w').write('pwned')",))


@pytest.mark.parametrize("name", ["vectors.kv", "model.model", "innocent.txt"])
def test_pickle_is_refused_and_runs_nothing(tmp_path, name):
    proof = tmp_path / "proof"
    planted = tmp_path / name
    planted.write_bytes(pickle.dumps(_Planted(str(proof)), protocol=4))
    with pytest.raises(koembed.BadInputError, match="is a Python pickle"):
        koembed.load(planted)
    result = CliRunner().invoke(app, ["similar", "희망", "--model", str(planted)])
    assert result.exit_code == 1
    assert "--trust" in result.stderr and "Traceback" not in result.output
    assert not proof.exists()


def test_trusted_gensim_keyedvectors_load(tmp_path, law_model):
    from gensim.models import KeyedVectors

    vectors = KeyedVectors(vector_size=law_model.dim)
    vectors.add_vectors(law_model.words, law_model.vectors)
    path = tmp_path / "law.kv"
    vectors.save(str(path))
    loaded = koembed.load(path, trust=True)
    assert loaded.words == law_model.words
    result = CliRunner().invoke(app, ["similar", "국민", "--model", str(path), "--trust"])
    assert result.exit_code == 0, result.output


def test_control_codes_in_a_strangers_vocabulary_never_reach_the_terminal(tmp_path):
    import numpy as np

    from koembed.models import Embeddings

    # OSC 0 retitles the terminal window; OSC 52 would write the clipboard.
    words = ["\x1b]0;pwned\x1b\\title", "\x1b]52;c;cHduZWQ=\x07", "\x9b2J", "ok"]
    vectors = np.random.default_rng(0).random((4, 3)).astype(np.float32)
    model = Embeddings(words, vectors, np.array([4, 3, 2, 1]), {"method": "imported"})
    path = model.save(tmp_path / "evil")
    for args in (["vocab"], ["similar", "ok"], ["doesnt-match", "ok", "\x9b2J"], ["similar", "o"]):
        result = CliRunner().invoke(app, [*args, "--model", str(path)])
        shown = result.stdout + result.stderr
        assert "\x1b" not in shown and "\x07" not in shown and "\x9b" not in shown, shown
        if args[0] == "vocab":
            assert "\\x1b]0;pwned\\x1b\\title" in shown  # shown, escaped


@pytest.mark.parametrize("bad_name", ["../escaped.txt", "/tmp/absolute.txt", "sub/dir.txt", ".."])
def test_a_corpus_registry_cannot_write_outside_the_output(tmp_path, monkeypatch, bad_name):
    import hashlib
    import json

    # The file exists in a mirror, with the right checksum: only the name is wrong.
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    payload = "id\ttext\n1\t재밌다\n".encode()
    (mirror / "escaped.txt").write_bytes(payload)
    registry = {
        "evil": {
            "files": [
                {
                    "name": bad_name,
                    "url": "http://127.0.0.1:9/none",
                    "size": len(payload),
                    "sha256": hashlib.sha256(payload).hexdigest(),
                }
            ],
            "text": {"column": 2, "header": True},
        }
    }
    path = tmp_path / "registry.json"
    path.write_text(json.dumps(registry), encoding="utf-8")
    monkeypatch.setenv("KOEMBED_CORPORA", str(path))
    out = tmp_path / "out" / "corpora"
    result = CliRunner().invoke(
        app, ["corpus", "download", "evil", "-o", str(out), "--mirror", str(mirror)]
    )
    assert result.exit_code == 1
    assert "is not a plain file name" in result.stderr
    assert not (tmp_path / "out").exists()
