"""What the CLI prints about progress where stderr is not a terminal (logs, CI)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from koembed.cli import app
from koembed.cli._display import count, progress_bars, rate
from koembed.progress import ProgressEvent


@pytest.mark.parametrize(
    ("number", "noun", "expected"),
    [(1, "line", "1 line"), (0, "line", "0 lines"), (1234, "token", "1,234 tokens")],
)
def test_count_says_one_line_not_one_lines(number, noun, expected):
    assert count(number, noun) == expected


def test_rate_is_left_out_when_the_time_is_too_short_to_tell():
    assert rate(5, 0.01, "lines") == ""
    assert rate(0, 2.0, "lines") == ""
    assert rate(3000, 2.0, "lines") == "1,500 lines/s"


def test_without_a_terminal_each_task_ends_in_one_plain_line(capsys):
    with progress_bars() as progress:
        for done in (0, 50, 100):
            progress(ProgressEvent("count words", done, 100, "bytes", {"lines": done}))
        progress(ProgressEvent("train", 1, 3, "epochs"))  # stopped short: still said
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("count words: 100%  100 B  100 lines")
    assert lines[1].startswith("train: 33%  epoch 1/3")
    assert len(lines) == 2
    assert not any("…" in line for line in lines)  # rich cut its columns to "0… 0:0…"


def test_tokenize_of_one_line_reports_it_plainly(tmp_path):
    source = tmp_path / "one.txt"
    source.write_text("안녕하세요 반갑습니다\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["tokenize", str(source), "-o", str(tmp_path / "one.tok")])
    assert result.exit_code == 0, result.output
    bar = next(line for line in result.stderr.splitlines() if line.startswith("tokenize:"))
    assert "1 line " in bar + " " and "lines/s" not in bar and "…" not in bar


def test_a_slow_projection_is_announced_and_timed(law_model, tmp_path):
    model = law_model.save(tmp_path / "model")
    picture = tmp_path / "map.png"
    argv = ["plot", "--model", str(model), "--top", "12", "--method", "tsne", "-o", str(picture)]
    result = CliRunner().invoke(app, argv)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[0] == "tsne takes seconds to minutes for a few hundred words"
    assert lines[1].startswith("tsne projection: 100%  12 words")
