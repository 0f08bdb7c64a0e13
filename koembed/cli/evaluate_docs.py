"""koembed evaluate-docs: a classifier on document vectors, models side by side."""

from __future__ import annotations

from pathlib import Path

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from koembed.cli._app import app
from koembed.cli._display import stdout
from koembed.cli._queries import JSON, echo_json
from koembed.evaluate.documents import (
    NSMC_CLASSES,
    DocumentScore,
    evaluate_document_model,
    read_labels,
)
from koembed.models.documents import load_documents


@app.command(
    "evaluate-docs",
    epilog=(
        "Example: koembed evaluate-docs --model models/sif --model models/d2v "
        f"--labels reviews.tsv.xz --label-column 3 --classes {NSMC_CLASSES} "
        "(NSMC sentiment: ratings 1-4 negative, 9-10 positive, the rest left out)"
    ),
)
def evaluate_docs(
    models: list[str] = typer.Option(
        ..., "--model", "-m", help="Document model directory (repeat to compare)."
    ),
    labels_path: str = typer.Option(
        ..., "--labels", help="One label per corpus line (e.g. the raw corpus TSV)."
    ),
    label_column: int | None = typer.Option(
        None, "--label-column", help="The 1-based column holding the label."
    ),
    delimiter: str = typer.Option(
        "\t", "--delimiter", show_default=False, help="Column separator (TAB by default)."
    ),
    header: bool = typer.Option(False, "--header", help="Skip the labels file's first line."),
    classes: str | None = typer.Option(
        None,
        "--classes",
        help=f"Numeric ranges to classes, e.g. {NSMC_CLASSES}; other values are left out.",
    ),
    test_size: float = typer.Option(0.2, "--test-size", help="Share of documents tested on."),
    seed: int = typer.Option(1, "--seed", help="Seed of the train/test split."),
    as_json: bool = JSON,
) -> None:
    """Logistic regression on each model's document vectors; test accuracy.

    The labelled documents are split (stratified, seeded: the same split for
    every model); the classifier learns from the training part's vectors and
    labels and is scored on the rest.
    """
    labels = read_labels(
        labels_path, label_column=label_column, delimiter=delimiter, header=header, classes=classes
    )
    names = [Path(m).name or m for m in models]
    if len(set(names)) != len(names):
        names = list(models)
    results = []
    for name, path in zip(names, models):
        model = load_documents(path)
        results.append(
            evaluate_document_model(model, labels, test_size=test_size, seed=seed, name=name)
        )
    if as_json:
        echo_json([result.to_dict() for result in results])
        return
    console = stdout if stdout.is_terminal else Console(highlight=False, width=200)
    console.print(_table(results))


def _table(results: list[DocumentScore]) -> Table:
    table = Table(
        title="koembed evaluate-docs", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False
    )
    for name in ("model", "accuracy", "balanced", "majority", "train", "test"):
        table.add_column(name, justify="left" if name == "model" else "right")
    for result in results:
        table.add_row(
            Text(result.name),
            f"{100 * result.accuracy:.2f}%",
            f"{100 * result.balanced_accuracy:.2f}%",
            f"{100 * result.majority:.2f}%",
            f"{result.train:,}",
            f"{result.test:,}",
        )
    first = results[0]
    classes = ", ".join(f"{name} {count:,}" for name, count in first.classes.items())
    table.caption = (
        f"logistic regression on standardised document vectors; classes: {classes}; "
        f"left out: {first.left_out:,}; balanced: mean recall per class; majority: always the "
        f"most frequent class"
    )
    table.caption_justify = "left"
    return table
