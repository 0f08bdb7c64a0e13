"""What the evaluator commands write (pictures, exports) appears whole or not
at all: a run interrupted mid-write leaves the previous output, and no
temporary, behind."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from koembed.cli import app
from koembed.evaluate import export, plot


def _half_written(*args) -> None:
    out = next(arg for arg in args if isinstance(arg, Path))  # the temporary it writes
    if out.is_dir():  # an export folder
        (out / "vectors.tsv").write_text("0.1\t0.2\n", encoding="utf-8")
    else:
        out.write_bytes(b"half a picture")
    raise KeyboardInterrupt


@pytest.mark.parametrize(
    ("command", "table", "key", "name"),
    [
        (["plot", "국민", "법률", "대통령"], plot.MAP_WRITERS, ".png", "map.png"),
        (["plot-similarity", "국민", "법률"], plot.HEATMAP_WRITERS, ".png", "heat.png"),
        (["export"], export.EXPORT_FORMATS, "projector", "projector"),
        (["export", "--format", "word2vec"], export.EXPORT_FORMATS, "word2vec", "w2v.txt"),
    ],
)
def test_interrupted_write_keeps_the_previous_output(
    law_model, tmp_path, monkeypatch, command, table, key, name
):
    model = law_model.save(tmp_path / "model")
    target = tmp_path / name
    args = [*command, "--model", str(model), "-o", str(target), "--overwrite"]
    first = CliRunner().invoke(app, args)
    assert first.exit_code == 0, first.stderr
    previous = sorted(p.read_bytes() for p in [target, *target.rglob("*")] if p.is_file())

    monkeypatch.setitem(table, key, _half_written)
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 130, result.stderr
    assert "interrupted" in result.stderr
    assert sorted(p.read_bytes() for p in [target, *target.rglob("*")] if p.is_file()) == previous
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["model", name])
