"""koembed analogy: A is to B as C is to ? (3CosAdd or 3CosMul)."""

from __future__ import annotations

import typer

from koembed.cli._app import app
from koembed.cli._queries import (
    EXACT,
    JSON,
    MODEL,
    PARTIAL,
    TRUST,
    answer,
    load_word_vectors,
)
from koembed.evaluate import analogy_resolved


@app.command(
    epilog="Example: koembed analogy 남자 왕 여자 --model models/w2v --method 3cosmul --topn 5",
)
def analogy(
    a: str = typer.Argument(..., help="A, as in 'A is to B as C is to ?'."),
    b: str = typer.Argument(..., help="B."),
    c: str = typer.Argument(..., help="C."),
    model_path: str = MODEL,
    trust: bool = TRUST,
    method: str = typer.Option(
        "3cosadd", "--method", help="3cosadd or 3cosmul (Levy & Goldberg 2014)."
    ),
    topn: int = typer.Option(10, "--topn", "-n", help="How many answers."),
    restrict_vocab: int | None = typer.Option(
        None, "--restrict-vocab", help="Search only the N most frequent words."
    ),
    partial: bool = PARTIAL,
    as_json: bool = JSON,
    exact: bool = EXACT,
) -> None:
    """Answer 'A is to B as C is to ?'; the three words are never answers.

    3cosadd searches a model indexed with 'koembed index' through its index.
    """
    model = load_word_vectors(model_path, trust)
    result = analogy_resolved(
        model,
        a,
        b,
        c,
        method=method,
        topn=topn,
        restrict_vocab=restrict_vocab,
        partial=partial,
        exact=exact,
    )
    data = {
        "a": a,
        "b": b,
        "c": c,
        "method": method,
        "resolved": result.resolved,
        "answers": [{"word": w, "score": round(s, 6)} for w, s in result.answers],
    }
    heading = f"{a} : {b} = {c} : ?  ({method})"
    answer(
        model, result.resolved, as_json, data, table=result.answers, score=method, heading=heading
    )
