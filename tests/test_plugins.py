"""Third-party tokenizers and trainers, found through entry points.

The plugin package under tests/plugin_package is installed with pip into a
temporary folder and used from the ``koembed`` command in subprocesses whose
PYTHONPATH holds that folder: its tokenizer tokenizes, its method trains, a
model from both answers queries; its broken entry point is one line of error.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

import koembed
import koembed.registry
from koembed.errors import PluginError, UnknownNameError
from koembed.registry import Registry

pytest.importorskip("tomllib")  # the plugin's build backend reads its pyproject.toml

PACKAGE = Path(__file__).parent / "plugin_package"
KOEMBED = "import sys; from koembed.cli import main; sys.argv[0] = 'koembed'; main()"


@pytest.fixture(scope="module")
def plugin_dir(tmp_path_factory) -> Path:
    target = tmp_path_factory.mktemp("plugins")
    install = subprocess.run(
        [
            sys.executable, "-m", "pip", "install", "--no-deps", "--no-build-isolation",
            "--no-index", "--no-cache-dir", "--quiet", "--target", str(target), str(PACKAGE),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )  # fmt: skip
    assert install.returncode == 0, install.stderr
    return target


def koembed_cli(plugin_dir: Path, *args: object, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(plugin_dir), "COLUMNS": "200"}
    return subprocess.run(
        [sys.executable, "-c", KOEMBED, *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        cwd=cwd,
        timeout=300,
    )


def one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


def test_plugin_tokenizer_and_method_work_from_the_cli(plugin_dir, tmp_path):
    (tmp_path / "raw.txt").write_text("희망을 가지다\n국민은 법 앞에\n희망은 국민\n", "utf-8")
    result = koembed_cli(
        plugin_dir, "tokenize", "raw.txt", "-o", "t.tokens", "-t", "letters", cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "t.tokens").read_text("utf-8").splitlines()[0] == "희 망 을 가 지 다"

    result = koembed_cli(
        plugin_dir, "train", "counts", "t.tokens", "-o", "m", "--dim", 3, cwd=tmp_path
    )
    assert result.returncode == 0, result.stderr
    assert "saved m: counts, 12 words x 3 dims" in result.stderr
    model = koembed.load(tmp_path / "m")  # a plain word model: no plugin needed to read it
    assert model.meta["method"] == "counts" and model.meta["params"] == {"dim": 3, "min_count": 1}
    assert model.meta["pipeline"]["tokenizer"]["name"] == "letters"

    # The query is tokenized as the corpus was: by the plugin's tokenizer.
    result = koembed_cli(plugin_dir, "similar", "희망", "-m", "m", "--json", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["resolved"][0]["tokens"] == ["희", "망"]


def test_plugins_are_listed_and_a_broken_one_is_one_line(plugin_dir, tmp_path):
    (tmp_path / "t.tokens").write_text("희망 을\n", "utf-8")
    result = koembed_cli(plugin_dir, "tokenize", "t.tokens", "-o", "x", "-t", "nope", cwd=tmp_path)
    listed = one_line_error(result).partition("valid tokenizers: ")[2].split(", ")
    assert "letters" in listed and "mecab" in listed and listed == sorted(listed)

    result = koembed_cli(plugin_dir, "train", "broken", "t.tokens", "-o", "m", cwd=tmp_path)
    line = one_line_error(result)
    assert line.startswith("error: plugin 'broken' (koembed.trainers = koembed_test_plugin_missing")
    assert "from koembed-test-plugin 0.1" in line and "No module named" in line
    assert not (tmp_path / "m").exists()

    result = koembed_cli(plugin_dir, "train", "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "counts    Next-word counts (a test plugin)." in result.stdout
    assert "broken    (cannot be used: plugin 'broken'" in result.stdout


def test_registry_reads_entry_points_only_when_asked(plugin_dir, monkeypatch):
    monkeypatch.syspath_prepend(str(plugin_dir))
    reads = []

    def entry_points(group):
        reads.append(group)
        return importlib.metadata.entry_points(group=group)

    monkeypatch.setattr(koembed.registry, "entry_points", entry_points)
    registry = Registry("training method", {"word2vec": "nowhere:Nothing"}, "koembed.trainers")
    assert "word2vec" in registry and not reads  # a built-in name: no plugin is looked for
    assert "counts" in registry and reads == ["koembed.trainers"]
    assert list(registry) == ["word2vec", "counts", "broken"]  # registered order, plugins last
    assert registry.get("counts").method == "counts" and reads == ["koembed.trainers"]
    with pytest.raises(PluginError, match="plugin 'broken'"):
        registry.get("broken")
    with pytest.raises(UnknownNameError, match="valid training methods: broken, counts, word2vec"):
        registry.get("nope")
    assert len(reads) == 1


def test_a_plugin_cannot_take_a_built_in_name(plugin_dir, monkeypatch):
    monkeypatch.syspath_prepend(str(plugin_dir))
    registry = Registry(
        "tokenizer", {"letters": "koembed.tokenizers.jamo:JamoTokenizer"}, "koembed.tokenizers"
    )
    assert registry.names() == ["letters"]
    assert registry.get("letters").name == "jamo"
