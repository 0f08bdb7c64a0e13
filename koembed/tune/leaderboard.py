"""The trials of a tuning as they finish: ``leaderboard.csv`` (one row a trial,
rewritten whole and renamed into place after each), ``leaderboard.md`` (best
first) and ``leaderboard.png`` (dev score against each searched parameter).

The CSV is also what a second run resumes from: a trial whose corpus and
parameters are already in it is not trained again.
"""

from __future__ import annotations

import csv
import json
import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from koembed.outputs import atomic_output

log = logging.getLogger(__name__)

CSV, MARKDOWN, PLOT = "leaderboard.csv", "leaderboard.md", "leaderboard.png"
_FIGURES = ("score", "ws353", "ws353_found", "analogy", "analogy_found", "seconds", "status")


def trial_key(corpus: str, params: dict[str, Any]) -> str:
    """What makes two trials the same: the corpus and every parameter value."""
    return json.dumps({"corpus": corpus, **params}, sort_keys=True, ensure_ascii=False)


@dataclass
class Trial:
    number: int
    corpus: str
    params: dict[str, Any]
    figures: dict[str, Any]
    seconds: float
    status: str = "ok"  # or why it failed, in one line

    @property
    def key(self) -> str:
        return trial_key(self.corpus, self.params)

    @property
    def score(self) -> float | None:
        value = self.figures.get("score")
        return None if value is None or not math.isfinite(value) else float(value)


@dataclass
class Leaderboard:
    folder: Path
    searched: list[str]
    trials: list[Trial] = field(default_factory=list)

    @classmethod
    def resume(cls, folder: Path, searched: Sequence[str]) -> Leaderboard:
        """The trials a previous run left in ``folder`` (none if it left none)."""
        board = cls(folder, list(searched))
        path = folder / CSV
        if not path.exists():
            return board
        with open(path, encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                figures = {
                    name: _number(row.get(name, ""))
                    for name in _FIGURES
                    if name not in ("seconds", "status")
                }
                board.trials.append(
                    Trial(
                        int(row["trial"]),
                        row["corpus"],
                        json.loads(row["params"]),
                        figures,
                        float(row["seconds"] or 0),
                        row["status"],
                    )
                )
        return board

    def find(self, corpus: str, params: dict[str, Any]) -> Trial | None:
        key = trial_key(corpus, params)
        return next((trial for trial in self.trials if trial.key == key), None)

    def best(self) -> Trial | None:
        scored = [trial for trial in self.trials if trial.score is not None]
        return max(scored, key=lambda trial: trial.score, default=None)

    def add(self, trial: Trial) -> None:
        """Record a finished trial and rewrite the files."""
        self.trials.append(trial)
        self.write()

    def write(self) -> None:
        columns = ["trial", "corpus", *self.searched, *_FIGURES, "params"]
        with (
            atomic_output(self.folder / CSV) as temporary,
            open(temporary, "w", encoding="utf-8", newline="") as handle,
        ):
            writer = csv.DictWriter(handle, columns)
            writer.writeheader()
            for trial in self.trials:
                writer.writerow(self._row(trial))
        with atomic_output(self.folder / MARKDOWN) as temporary:
            temporary.write_text(self.markdown(), encoding="utf-8")

    def _row(self, trial: Trial) -> dict[str, Any]:
        return {
            "trial": trial.number,
            "corpus": trial.corpus,
            **{name: trial.params.get(name) for name in self.searched},
            **{name: trial.figures.get(name) for name in _FIGURES},
            "seconds": round(trial.seconds, 1),
            "status": trial.status,
            "params": json.dumps(trial.params, sort_keys=True, ensure_ascii=False),
        }

    def markdown(self) -> str:
        """The trials as a markdown table, best dev score first."""
        ranked = sorted(self.trials, key=lambda t: (t.score is None, -(t.score or 0.0)))
        names = ["corpus", *self.searched]
        figures = [
            name
            for name in ("score", "ws353", "analogy")
            if any(t.figures.get(name) is not None for t in self.trials)
        ]
        header = ["#", *names, *(f"dev {name}" for name in figures), "seconds", "status"]
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for trial in ranked:
            cells = [str(trial.number), Path(trial.corpus).name]
            cells += [str(trial.params.get(name)) for name in self.searched]
            cells += [_shown(trial.figures.get(name)) for name in figures]
            cells += [f"{trial.seconds:.1f}", trial.status.replace("|", "/")]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines) + "\n"

    def plot(self) -> Path | None:
        """Dev score against each searched parameter (PNG); None without matplotlib."""
        scored = [trial for trial in self.trials if trial.score is not None]
        axes_names = [*self.searched, *(["corpus"] if len({t.corpus for t in scored}) > 1 else [])]
        if not scored or not axes_names:
            return None
        try:
            import matplotlib

            matplotlib.use("Agg")
            import matplotlib.pyplot as plt
        except ImportError:
            log.info("matplotlib is not installed: no %s (pip install 'koembed[plot]')", PLOT)
            return None
        figure, axes = plt.subplots(
            1, len(axes_names), figsize=(3.2 * len(axes_names), 3.0), squeeze=False
        )
        for axis, name in zip(axes[0], axes_names):
            values = [
                Path(t.corpus).name if name == "corpus" else t.params.get(name) for t in scored
            ]
            labels = sorted({str(v) for v in values}, key=_sort_key)
            numeric = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)
            xs = values if numeric else [labels.index(str(v)) for v in values]
            axis.scatter(xs, [t.score for t in scored], alpha=0.7)
            if not numeric:
                axis.set_xticks(range(len(labels)), labels, rotation=30, fontsize=8)
            axis.set_xlabel(name)
        axes[0][0].set_ylabel("dev score")
        figure.tight_layout()
        with atomic_output(self.folder / PLOT) as temporary:
            figure.savefig(temporary, format="png", dpi=100)
        plt.close(figure)
        return self.folder / PLOT


def _number(text: str) -> float | None:
    try:
        return float(text) if text not in ("", "None") else None
    except ValueError:
        return None


def _shown(value: Any) -> str:
    return "" if value is None else f"{value:.4f}" if isinstance(value, float) else str(value)


def _sort_key(text: str) -> tuple[int, float | str]:
    try:
        return 0, float(text)
    except ValueError:
        return 1, text
