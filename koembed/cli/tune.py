"""koembed tune: search a method's settings on a dev half, report once on test."""

from __future__ import annotations

from pathlib import Path

import typer

from koembed.cli._app import app
from koembed.cli._display import progress_bars, stderr
from koembed.errors import BadInputError
from koembed.trainers import create_trainer
from koembed.tune import Protocol, Trial, parse_space, tune


@app.command(
    "tune",
    epilog=(
        "Examples: koembed tune ppmi work/nsmc.mecab --grid window=2,5,10 --grid dim=100,300 "
        "--ws353 kor_ws353.csv --analogy kor_analogy.txt -o tuning/ppmi; "
        "koembed tune word2vec --corpus a.mecab --corpus b.kiwi --grid window=2:10 "
        "--grid sample=0.00001:0.01:log --trials 20 --set epochs=5 --ws353 kor_ws353.csv -o t/w2v"
    ),
)
def tune_command(
    method: str = typer.Argument(..., help="A training method (word2vec, ppmi, glove, ...)."),
    corpora: list[Path] | None = typer.Argument(
        None, metavar="[CORPUS]...", help="Tokenized corpora (from 'koembed tokenize')."
    ),
    more_corpora: list[Path] | None = typer.Option(
        None, "--corpus", help="Another tokenized corpus to compare (repeatable)."
    ),
    grid: list[str] | None = typer.Option(
        None,
        "--grid",
        metavar="NAME=VALUES",
        help="Values to search: window=2,5,10; with --trials also ranges dim=50:500, "
        "alpha=0.005:0.1:log (repeatable).",
    ),
    fixed: list[str] | None = typer.Option(
        None, "--set", metavar="NAME=VALUE", help="A value for every trial: epochs=5 (repeatable)."
    ),
    trials: int | None = typer.Option(
        None, "--trials", help="Sample this many settings with Optuna's TPE instead of the grid."
    ),
    ws353: Path | None = typer.Option(
        None, "--ws353", help="Word-pair file (Korean WS-353), split into dev and test halves."
    ),
    analogy: Path | None = typer.Option(
        None, "--analogy", help="Analogy file, each section split into dev and test halves."
    ),
    dev: Path | None = typer.Option(None, "--dev", help="Your own dev word pairs (with --test)."),
    test: Path | None = typer.Option(None, "--test", help="Your own test word pairs."),
    metric: str | None = typer.Option(
        None, "--metric", help="What chooses: ws353 or analogy (default: ws353 if given)."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed of the dev/test split and the sampler."),
    output: Path = typer.Option(
        ..., "--output", "-o", help="Folder for the leaderboard and the best model (resumable)."
    ),
) -> None:
    """Train each setting, score it on the dev half of the benchmarks, keep the
    best model and report its test-half score once. Run it again with the same
    output to go on: finished trials are kept."""
    trainer = create_trainer(method)
    space = parse_space(trainer, grid or [], fixed or [], [*(corpora or []), *(more_corpora or [])])
    if trials is not None and trials < 1:
        raise BadInputError(f"trials must be 1 or more, got {trials}", parameters=("trials",))
    protocol = Protocol.from_files(
        ws353=ws353, analogy=analogy, dev=dev, test=test, metric=metric, seed=seed
    )
    how = f"{trials} sampled trials" if trials else f"a grid of {space.size()} settings"
    stderr.print(f"tuning {method}: {how}; {protocol.describe()}", markup=False, soft_wrap=True)

    def finished(trial: Trial, is_best: bool) -> None:
        stderr.print(_trial_line(trial, space.axes, protocol.metric, is_best), markup=False,
                     soft_wrap=True)  # fmt: skip

    with progress_bars() as progress:
        result = tune(space, protocol, output, trials=trials, seed=seed, progress=progress,
                      on_trial=finished)  # fmt: skip
    if result.resumed:
        stderr.print(f"{result.resumed} trial(s) were kept from the earlier run", markup=False)
    if result.counts_reused:
        stderr.print(
            f"co-occurrence counts reused {result.counts_reused} time(s): "
            f"{result.count_seconds_saved:.1f} s of counting saved",
            markup=False,
        )
    if result.best is None:
        stderr.print(
            f"warning: no trial scored (a Spearman needs 3 dev pairs found, an accuracy 1 item); "
            f"see {output}/leaderboard.md, and use a larger corpus or benchmark",
            markup=False,
            soft_wrap=True,
        )
        return
    best, test_score = result.best, (result.test or {}).get("score")
    stderr.print(
        f"best: trial {best.number} {_settings(best, space.axes)}: dev {protocol.metric} "
        f"{best.score:.4f}, test {protocol.metric} "
        f"{'n/a' if test_score is None else f'{test_score:.4f}'}"
        + ("" if result.gap is None else f" (dev - test gap {result.gap:+.4f})"),
        markup=False,
        soft_wrap=True,
    )
    stderr.print(
        f"wrote {output}/leaderboard.csv, leaderboard.md, leaderboard.png, result.json and "
        f"the best model {output}/best",
        markup=False,
        soft_wrap=True,
    )


def _settings(trial: Trial, axes) -> str:
    shown = [f"{axis.name}={_value(trial.params.get(axis.name))}" for axis in axes]
    return " ".join([Path(trial.corpus).name, *shown])


def _value(value: object) -> str:
    return f"{value:.4g}" if isinstance(value, float) else str(value)


def _trial_line(trial: Trial, axes, metric: str, is_best: bool) -> str:
    found = trial.figures.get(f"{metric}_found")
    total = trial.figures.get(f"{metric}_total")
    coverage = f" ({found:.0f}/{total:.0f} found)" if found is not None and total else ""
    if trial.status != "ok":
        return f"trial {trial.number} {_settings(trial, axes)}: {trial.status}"
    if trial.score is None:
        return f"trial {trial.number} {_settings(trial, axes)}: no dev {metric} score{coverage}"
    return (
        f"trial {trial.number} {_settings(trial, axes)}: dev {metric} {trial.score:.4f}"
        f"{coverage} in {trial.seconds:.1f} s{'  best so far' if is_best else ''}"
    )
