"""`koembed train glove`, `ppmi` and `swivel` through the CLI."""

from __future__ import annotations

import pytest
import typer
from typer.testing import CliRunner

import koembed
from koembed.cli import app
from koembed.registry import TRAINERS

runner = CliRunner()


@pytest.mark.parametrize(
    ("method", "options"),
    [
        ("glove", ["--dim", "8", "--epochs", "2", "--x-max", "10", "--workers", "1"]),
        ("ppmi", ["--dim", "8", "--cds", "0.75", "--neg", "1", "--eig", "0.5", "--add-context"]),
        ("swivel", ["--dim", "8", "--epochs", "2", "--shard-size", "400", "--workers", "1"]),
    ],
)
def test_trains_and_ends_with_a_summary(law_tokens, tmp_path, method, options):
    out = tmp_path / method
    result = runner.invoke(
        app,
        ["train", method, str(law_tokens.path), "-o", str(out), "--min-count", "3", *options],
    )
    assert result.exit_code == 0, result.output
    summary = " ".join(result.output.split())  # the console may wrap long lines
    assert f"saved {out}: {method}," in summary
    assert "dims, trained in" in summary
    model = koembed.load(out)
    assert model.dim == 8 and model.meta["method"] == method
    assert model.meta["params"]["min_count"] == 3
    answer = runner.invoke(app, ["similar", "국민", "-m", str(out), "--json"])
    assert answer.exit_code == 0, answer.output


@pytest.mark.parametrize(
    ("method", "option", "value", "message"),
    [
        ("glove", "--x-max", "0", "error: --x-max(0.0) must be >= 0.001"),
        ("glove", "--learning-rate", "-1", "error: --learning-rate(-1.0) must be >= 1e-06"),
        ("glove", "--memory", "0", "error: --memory(0.0) must be >= 0.01"),
        ("ppmi", "--cds", "1.5", "error: --cds(1.5) must be <= 1.0"),
        ("ppmi", "--dim", "0", "error: --dim(0) must be >= 1"),
        ("swivel", "--shard-size", "2", "error: --shard-size(2) must be >= 16"),
    ],
)
def test_bad_options_are_one_line_errors(law_tokens, tmp_path, method, option, value, message):
    out = tmp_path / "model"
    result = runner.invoke(
        app, ["train", method, str(law_tokens.path), "-o", str(out), option, value]
    )
    assert result.exit_code == 1
    assert result.output.strip().splitlines() == [result.output.strip()]
    assert result.output.startswith(message)
    assert not out.exists()


@pytest.mark.parametrize("method", ["glove", "ppmi", "swivel"])
def test_help_shows_an_example(method):
    result = runner.invoke(app, ["train", method, "--help"], terminal_width=200)
    assert result.exit_code == 0
    assert f"Example: koembed train {method}" in result.output


@pytest.mark.parametrize("method", ["glove", "ppmi", "swivel"])
def test_cli_defaults_are_the_trainer_defaults(method):
    command = typer.main.get_command(app).commands["train"].commands[method]
    trainer = TRAINERS.get(method)
    for option in command.params:
        if option.name in trainer.params and option.default is not None:
            assert option.default == trainer.params[option.name].default, option.name
