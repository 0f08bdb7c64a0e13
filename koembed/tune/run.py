"""The tuning loop: train each setting, score it on dev, keep the best model,
and score that one model on test once, at the end.

A grid trains every combination (co-occurrence counting grouped so each
window is counted once); ``trials`` asks Optuna's TPE sampler (seeded) for
that many settings instead. Trials already in the output's leaderboard are
not trained again, so an interrupted run goes on where it stopped.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from koembed.errors import BadInputError, KoembedError, MissingDependencyError
from koembed.models import load
from koembed.outputs import atomic_output
from koembed.progress import ProgressCallback, report
from koembed.trainers import CountingTrainer, SharedCounts, create_trainer
from koembed.tune.leaderboard import Leaderboard, Trial
from koembed.tune.protocol import Protocol
from koembed.tune.space import SearchSpace

log = logging.getLogger(__name__)

SETTINGS, RESULT, BEST = "tune.json", "result.json", "best"


@dataclass
class TuneResult:
    """What a tuning found: the best trial, its dev and (once) test figures."""

    folder: Path
    leaderboard: Leaderboard
    best: Trial | None
    test: dict[str, Any] | None
    trained: int
    resumed: int
    count_seconds_saved: float
    counts_reused: int

    @property
    def gap(self) -> float | None:
        """Dev score minus test score of the best trial (how much choosing flattered it)."""
        if self.best is None or self.test is None or self.test.get("score") is None:
            return None
        return self.best.score - self.test["score"]


def tune(
    space: SearchSpace,
    protocol: Protocol,
    output: str | Path,
    *,
    trials: int | None = None,
    seed: int = 0,
    progress: ProgressCallback | None = None,
    on_trial: Callable[[Trial, bool], None] | None = None,
) -> TuneResult:
    """Search ``space``, choosing on ``protocol``'s dev half; write into ``output``.

    Args:
        trials: sample this many settings (Optuna TPE); ``None``: the whole grid.
        on_trial: called with each finished trial and whether it is the best so far.

    Raises:
        BadInputError: a setting the method refuses (before any training), or an
            output folder holding another tuning.
        MissingDependencyError: ``trials`` without Optuna.
    """
    folder = Path(output)
    searched = [axis.name for axis in space.axes]
    settings = list(space.grid()) if trials is None else []
    for _, params in settings:  # every setting checked before anything is written
        create_trainer(space.method, **params)
    _claim(folder, space, protocol)
    board = Leaderboard.resume(folder, searched)
    resumed = len(board.trials)
    shared = SharedCounts()
    run = _Runner(space, protocol, folder, board, shared, progress, on_trial)
    if trials is None:
        for done, (corpus, params) in enumerate(settings, start=1):
            run.trial(corpus, params)
            report(progress, "tune", done, len(settings), "trials")
    else:
        _sample(run, space, trials, seed, progress)
    best = board.best()
    test = None
    if best is not None:
        test = protocol.score(load(folder / BEST), protocol.test)
        _write_json(
            folder / RESULT,
            {
                "best": best.__dict__,
                "dev": best.figures,
                "test": test,
                "protocol": protocol.describe(),
            },
        )
    board.plot()
    return TuneResult(
        folder, board, best, test, run.trained, resumed, shared.seconds_saved, shared.hits
    )


class _Runner:
    """Trains, scores and records one setting at a time."""

    def __init__(self, space, protocol, folder, board, shared, progress, on_trial):
        self.space, self.protocol, self.folder, self.board = space, protocol, folder, board
        self.shared, self.progress, self.on_trial = shared, progress, on_trial
        self.trained = 0

    def trial(self, corpus: Path, params: dict[str, Any]) -> Trial:
        """The recorded trial for this setting, or a new one trained now."""
        known = self.board.find(str(corpus), params)
        if known is not None:
            return known
        trainer = create_trainer(self.space.method, **params)
        if isinstance(trainer, CountingTrainer):
            trainer.shared_counts = self.shared
        started = time.perf_counter()
        number = len(self.board.trials) + 1
        try:
            model = trainer.fit(corpus, progress=self.progress)
            figures = self.protocol.score(model, self.protocol.dev)
            status = "ok"
        except KoembedError as error:  # a setting that cannot train (bad input, divergence)
            model, figures, status = None, {"score": None}, f"failed: {error}"
        trial = Trial(number, str(corpus), params, figures, time.perf_counter() - started, status)
        best = self.board.best()
        is_best = trial.score is not None and (best is None or trial.score > best.score)
        if is_best and model is not None:
            model.save(self.folder / BEST, overwrite=True)
        self.board.add(trial)
        self.trained += 1
        if self.on_trial is not None:
            self.on_trial(trial, is_best)
        return trial


def _sample(run: _Runner, space: SearchSpace, trials: int, seed: int, progress) -> None:
    try:
        import optuna
    except ImportError:
        raise MissingDependencyError("optuna", "tune", "trials (Optuna's TPE sampler)") from None
    optuna.logging.set_verbosity(optuna.logging.WARNING)
    distributions = _distributions(optuna, space)
    # A resumed run's sampler must not replay the draws of the run before it.
    sampler = optuna.samplers.TPESampler(seed=seed + len(run.board.trials))
    study = optuna.create_study(direction="maximize", sampler=sampler)
    for old in run.board.trials:  # what an earlier run learned, so sampling goes on from it
        values = {"corpus": old.corpus, **old.params}
        chosen = {name: values.get(name) for name in distributions}
        if old.score is not None and all(
            _within(space, name, value) for name, value in chosen.items()
        ):
            study.add_trial(
                optuna.trial.create_trial(
                    params=chosen, distributions=distributions, value=old.score
                )
            )
    # A draw already tried is told its score again, not trained: ask on, up to a
    # bound (a small space may hold fewer settings than ``trials``).
    for _ in range(20 * trials):
        if len(run.board.trials) >= trials:
            break
        asked = study.ask(distributions)
        params = {**space.fixed, **{k: v for k, v in asked.params.items() if k != "corpus"}}
        trial = run.trial(Path(asked.params["corpus"]), params)
        if trial.score is None:
            study.tell(asked, state=optuna.trial.TrialState.FAIL)
        else:
            study.tell(asked, trial.score)
        report(progress, "tune", len(run.board.trials), trials, "trials")


def _within(space: SearchSpace, name: str, value: Any) -> bool:
    """Whether an earlier trial's ``value`` lies in this run's space (so TPE may learn from it)."""
    if name == "corpus":
        return value in {str(corpus) for corpus in space.corpora}
    axis = next(axis for axis in space.axes if axis.name == name)
    if not axis.is_range:
        return value in axis.values
    return isinstance(value, (int, float)) and axis.low <= value <= axis.high


def _distributions(optuna, space: SearchSpace) -> dict[str, Any]:
    found = {
        "corpus": optuna.distributions.CategoricalDistribution([str(c) for c in space.corpora])
    }
    for axis in space.axes:
        if not axis.is_range:
            found[axis.name] = optuna.distributions.CategoricalDistribution(list(axis.values))
        elif axis.integer:
            found[axis.name] = optuna.distributions.IntDistribution(
                int(axis.low), int(axis.high), log=axis.log
            )
        else:
            found[axis.name] = optuna.distributions.FloatDistribution(
                axis.low, axis.high, log=axis.log
            )
    return found


def _claim(folder: Path, space: SearchSpace, protocol: Protocol) -> None:
    """Make ``folder`` this tuning's, or check that it already is (a resumed run)."""
    settings = {
        "method": space.method,
        "metric": protocol.metric,
        "seed": protocol.seed,
        "benchmarks": protocol.sources,
        "fixed": space.fixed,
    }
    path = folder / SETTINGS
    if path.exists():
        before = json.loads(path.read_text(encoding="utf-8"))
        if {k: before.get(k) for k in settings} != json.loads(json.dumps(settings)):
            raise BadInputError(
                f"{folder} holds a tuning with other settings ({path}); give another "
                f"output folder, or the same method, benchmarks, metric, seed and fixed values",
                parameters=("output",),
            )
        return
    if folder.exists() and any(folder.iterdir()):
        raise BadInputError(
            f"{folder} exists and is not a tuning's folder; give a new one", parameters=("output",)
        )
    folder.mkdir(parents=True, exist_ok=True)
    _write_json(path, settings)


def _write_json(path: Path, data: dict) -> None:
    with atomic_output(path) as temporary:
        temporary.write_text(
            json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n", encoding="utf-8"
        )
