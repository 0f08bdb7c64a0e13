"""koembed evaluate: WS-353 and analogies for one or more models, side by side."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

import typer
from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from koembed.cli._app import app
from koembed.cli._display import progress_bars, stderr, stdout
from koembed.cli._queries import JSON, TRUST, echo_json, load_word_vectors
from koembed.evaluate import (
    ModelEvaluation,
    SectionScore,
    WordPairsResult,
    evaluate_model,
    read_analogies,
    read_word_pairs,
)


@app.command(
    epilog=(
        "Example: koembed evaluate --model models/w2v --model models/fasttext "
        "--ws353 eval/kor_ws353.csv --analogy eval/kor_analogy.txt --tokenize"
    ),
)
def evaluate(
    models: list[str] = typer.Option(
        ..., "--model", "-m", help="Model directory or vectors file (repeat to compare)."
    ),
    ws353: Path | None = typer.Option(
        None, "--ws353", help="Word-similarity file: word1,word2,score (WS-353 Korean)."
    ),
    analogy: Path | None = typer.Option(
        None, "--analogy", help="Analogy file: 'a b c d' lines under ': section' headers."
    ),
    tokenize: bool = typer.Option(
        False,
        "--tokenize",
        help="Look words missing from the vocabulary up through the model's tokenizer.",
    ),
    topk: int = typer.Option(1, "--topk", help="Also report hits among the best K answers."),
    method: str = typer.Option("3cosadd", "--method", help="Analogy method: 3cosadd or 3cosmul."),
    restrict_vocab: int | None = typer.Option(
        None, "--restrict-vocab", help="Use only the N most frequent words of each model."
    ),
    coherence: bool = typer.Option(
        False, "--coherence", help="LDA models: c_v and u_mass coherence of the topics."
    ),
    corpus: Path | None = typer.Option(
        None, "--corpus", help="With --coherence: the tokenized corpus (default: the training one)."
    ),
    as_json: bool = JSON,
    trust: bool = TRUST,
) -> None:
    """Score models on WS-353 and analogies, side by side, with coverage.

    Word similarity: Spearman and Pearson over the pairs found. Analogies:
    accuracy per section, semantic, syntactic and overall over the items
    found. Words without a vector are counted and listed, never scored.
    Topic models: --coherence.
    """
    if coherence:
        _coherence(models, corpus, as_json)
        if ws353 is None and analogy is None:
            return
    if ws353 is None and analogy is None:
        from koembed.errors import BadInputError

        raise BadInputError(
            "nothing to evaluate: give --ws353 FILE, --analogy FILE, both, or --coherence"
        )
    # A malformed test file fails before any model loads.
    if ws353 is not None:
        read_word_pairs(ws353)
    if analogy is not None:
        read_analogies(analogy)
    labels = _labels(models)
    results = []
    for label, path in zip(labels, models):
        model = load_word_vectors(path, trust)
        with progress_bars() if analogy is not None else nullcontext() as progress:
            result = evaluate_model(
                model,
                name=label,
                ws353=ws353,
                analogy=analogy,
                method=method,
                topk=topk,
                tokenize=tokenize,
                restrict_vocab=restrict_vocab,
                progress=progress,
            )
        results.append(result)
        _explain_missing(result)
    if as_json:
        echo_json([result.to_dict() for result in results])
        return
    # Piped output is not cut to rich's default 80 columns: the table is the point.
    console = stdout if stdout.is_terminal else Console(highlight=False, width=200)
    if analogy is not None:
        console.print(_section_table(results))
    console.print(_comparison_table(results, topk))


def _coherence(models: list[str], corpus: Path | None, as_json: bool) -> None:
    from koembed.documents.lda import load_topic_model

    results = []
    for label, path in zip(_labels(models), models):
        scores = load_topic_model(path).coherence(corpus)
        results.append({"model": label, **scores})
    if as_json:
        echo_json(results)
        return
    table = Table(box=box.SIMPLE_HEAD, title="topic coherence")
    for column in ("model", "c_v", "u_mass", "documents"):
        table.add_column(column, justify="left" if column == "model" else "right")
    for row in results:
        table.add_row(row["model"], f"{row['c_v']:.4f}", f"{row['u_mass']:.4f}",
                      f"{row['documents']:,}")  # fmt: skip
    stdout.print(table)
    stderr.print(
        f"over the first documents of the corpus holding a vocabulary word; the topics' "
        f"top {results[0]['top_words']} words",
        markup=False,
    )


def _labels(models: list[str]) -> list[str]:
    names = [Path(m).name or m for m in models]
    return names if len(set(names)) == len(names) else list(models)


def _explain_missing(result: ModelEvaluation) -> None:
    pairs, analogies = result.word_pairs, result.analogies
    if pairs is not None and pairs.found < pairs.total:
        stderr.print(
            f"{result.model}: {pairs.total - pairs.found} of {pairs.total} word pairs not scored, "
            f"no vector for: {_some(pairs.oov_words)}",
            markup=False,
        )
    if analogies is not None and analogies.overall.found < analogies.overall.total:
        missing = analogies.overall.total - analogies.overall.found
        stderr.print(
            f"{result.model}: {missing} of {analogies.overall.total} analogy items not scored, "
            f"{len(analogies.oov_words)} words without a vector: {_some(analogies.oov_words)}",
            markup=False,
        )


def _some(words: list[str], n: int = 8) -> str:
    shown = ", ".join(words[:n])
    return shown + (f" ... (+{len(words) - n}; --json lists all)" if len(words) > n else "")


def _percent(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}%"


def _rho(value: float | None) -> str:
    return "-" if value is None else f"{value:.3f}"


def _coverage(score: WordPairsResult | SectionScore, tokenized: bool) -> str:
    total = score.total
    text = f"{score.found}/{total} ({_percent(score.found / total if total else 0)})"
    text += f", vocab {score.found_vocab}" if tokenized else ""
    return text + (f", n-grams {score.found_subword}" if score.found_subword else "")


def _comparison_table(results: list[ModelEvaluation], topk: int) -> Table:
    table = Table(
        title="koembed evaluate", title_justify="left", box=box.SIMPLE_HEAD, pad_edge=False
    )
    table.add_column("model")
    table.add_column("words", justify="right")
    has_pairs = any(r.word_pairs for r in results)
    has_analogies = any(r.analogies for r in results)
    if has_pairs:
        table.add_column("WS-353 rho", justify="right")
        table.add_column("pearson", justify="right")
        table.add_column("pairs found", justify="right")
    if has_analogies:
        table.add_column("sem", justify="right")
        table.add_column("syn", justify="right")
        table.add_column("all", justify="right")
        if topk > 1:
            table.add_column(f"hits@{topk}", justify="right")
        table.add_column("dist", justify="right")
        table.add_column("items found", justify="right")
    for result in results:
        _add_rows(table, result, has_pairs, topk)
    table.caption = "\n".join(_notes(results, has_pairs))
    table.caption_justify = "left"
    return table


def _add_rows(table: Table, result: ModelEvaluation, has_pairs: bool, topk: int) -> None:
    """The model's row; with --tokenize, a second for the analogies over vocabulary
    candidates only."""
    rows = [(result.model, result.analogies)]
    if result.analogies_vocabulary is not None:
        rows.append((f"{result.model} (vocabulary only)", result.analogies_vocabulary))
    for number, (name, analogies) in enumerate(rows):
        row: list[str | Text] = [Text(name), f"{result.vocab_size:,}" if not number else ""]
        pairs = result.word_pairs if not number else None
        if pairs is not None:
            row += [
                _rho(pairs.spearman),
                _rho(pairs.pearson),
                _coverage(pairs, pairs.tokenized),
            ]
        elif has_pairs:
            row += ["-", "-", "-"]
        if analogies is not None:
            overall = analogies.overall
            row += [
                _percent(analogies.semantic.accuracy),
                _percent(analogies.syntactic.accuracy),
                _percent(overall.accuracy),
            ]
            if topk > 1:
                row.append(_percent(overall.hits_at_k))
            distance = overall.mean_distance
            row.append("-" if distance is None else f"{distance:.3f}")
            row.append(_coverage(overall, analogies.tokenized))
        table.add_row(*row)


def _notes(results: list[ModelEvaluation], has_pairs: bool) -> list[str]:
    notes = ["rho: Spearman over the pairs found"] if has_pairs else []
    methods = {r.analogies.method for r in results if r.analogies}
    if methods:
        notes.append(f"sem/syn/all: top-1 accuracy over the items found ({', '.join(methods)})")
        notes.append(
            "dist: mean cosine distance of b - a + c to d over the items found, lower is "
            "better (the figure Park et al. 2018 report for these sets)"
        )
    if any(r.analogies_vocabulary for r in results):
        composed = max(r.analogies.composed for r in results if r.analogies_vocabulary)
        notes.append(
            f"with --tokenize the test words composed from tokens (up to {composed:,}) join "
            f"the candidates, a closed set that flatters accuracy; '(vocabulary only)' rows: "
            f"the items whose four words are vocabulary words, answered from the vocabulary"
        )
    if any(r.word_pairs and r.word_pairs.tokenized for r in results) or any(
        r.analogies and r.analogies.tokenized for r in results
    ):
        notes.append("found: words looked up through each model's tokenizer; vocab: as whole words")
    if any(r.word_pairs and r.word_pairs.found_subword for r in results) or any(
        r.analogies and r.analogies.overall.found_subword for r in results
    ):
        notes.append("n-grams: found with a word whose vector comes from its character n-grams")
    return notes


def _section_table(results: list[ModelEvaluation]) -> Table:
    table = Table(
        title="analogy accuracy per section",
        title_justify="left",
        box=box.SIMPLE_HEAD,
        pad_edge=False,
    )
    table.add_column("section")
    for result in results:
        table.add_column(Text(result.model), justify="right")
    sections: list[str] = []
    for result in results:
        if result.analogies is not None:
            sections += [s.name for s in result.analogies.sections if s.name not in sections]

    def cell(score: SectionScore | None) -> str:
        if score is None:
            return "-"
        return f"{_percent(score.accuracy)}  ({score.found}/{score.total})"

    for name in sections:
        table.add_row(
            Text(name),
            *(
                cell(next((s for s in r.analogies.sections if s.name == name), None))
                if r.analogies
                else "-"
                for r in results
            ),
        )
    for group in ("semantic", "syntactic", "overall"):
        table.add_row(
            f"[bold]{group}[/bold]",
            *(cell(getattr(r.analogies, group)) if r.analogies else "-" for r in results),
        )
    return table
