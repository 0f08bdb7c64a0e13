"""koembed similar: nearest neighbours of words, tokenized as the corpus was."""

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
from koembed.errors import BadInputError


@app.command(
    epilog=(
        "Examples: koembed similar 희망 --model models/w2v --topn 10; "
        "koembed similar 왕 여자 --negative 남자 --model models/w2v; "
        "koembed similar --text '연기가 정말 좋았던 영화' --model models/sif --topn 5"
    ),
)
def similar(
    words: list[str] | None = typer.Argument(
        None, metavar="WORD...", help="Words or short texts (averaged)."
    ),
    model_path: str = MODEL,
    trust: bool = TRUST,
    positive: list[str] | None = typer.Option(
        None, "--positive", "-p", help="More words to add (repeatable)."
    ),
    negative: list[str] | None = typer.Option(
        None, "--negative", help="Words to subtract (repeatable)."
    ),
    topn: int = typer.Option(10, "--topn", "-n", help="How many neighbours."),
    restrict_vocab: int | None = typer.Option(
        None, "--restrict-vocab", help="Search only the N most frequent words."
    ),
    partial: bool = PARTIAL,
    as_json: bool = JSON,
    text: str | None = typer.Option(
        None,
        "--text",
        help="Nearest corpus documents to this text (document models: doc2vec, sif, lsa-doc).",
    ),
    exact: bool = EXACT,
) -> None:
    """Nearest words by cosine similarity; several words are averaged.

    The query is the mean of the positive words' unit vectors minus the
    negative ones' (as gensim's most_similar); the query words are never
    answers. With --text, the nearest documents of a document model instead.
    A model indexed with 'koembed index' is searched through its index.
    """
    if text is not None:
        from koembed.cli._documents import similar_documents

        if words or positive or negative or restrict_vocab is not None or partial:
            raise BadInputError("--text finds documents; give it without WORDs or word options")
        similar_documents(model_path, text, topn, as_json, exact)
        return
    positives = [*(words or []), *(positive or [])]
    negatives = list(negative or [])
    if not positives:
        raise BadInputError("give at least one word, e.g. koembed similar 희망 --model DIR")
    model = load_word_vectors(model_path, trust)
    neighbours, resolved = model.most_similar_resolved(
        positives,
        negatives,
        topn=topn,
        restrict_vocab=restrict_vocab,
        partial=partial,
        exact=exact,
    )
    data = {
        "positive": positives,
        "negative": negatives,
        "resolved": resolved,
        "neighbours": [{"word": w, "score": round(s, 6)} for w, s in neighbours],
    }
    how = f"{' + '.join(positives)}" + "".join(f" - {w}" for w in negatives)
    heading = f"query: {how}" if len(resolved) > 1 else None
    answer(model, resolved, as_json, data, table=neighbours, heading=heading)
