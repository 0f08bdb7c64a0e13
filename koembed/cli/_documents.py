"""Nearest documents on the terminal (``koembed similar --text``)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text

from koembed.cli._display import stderr, stdout
from koembed.cli._queries import echo_json
from koembed.models.documents import load_documents


def similar_documents(
    model_path: str, text: str, topn: int, as_json: bool, exact: bool = False
) -> None:
    """Print the corpus documents nearest to ``text`` with scores and what they show."""
    model = load_documents(model_path)
    matches, resolved = model.most_similar_documents_resolved(text, topn=topn, exact=exact)
    rows = model.documents.get("rows", "lines")
    if as_json:
        echo_json(
            {
                "text": text,
                "tokens": resolved.tokens,
                "missing": resolved.missing,
                "rows": rows,
                "documents": [match.to_dict() for match in matches],
            }
        )
        return
    if resolved.tokens != [text]:
        stderr.print(
            f"{text} -> {' / '.join(resolved.tokens)} (tokenized as the corpus was)",
            markup=False,
            soft_wrap=True,
        )
    if resolved.missing:
        stderr.print(
            f"not in the vocabulary, left out: {', '.join(resolved.missing)}",
            markup=False,
            soft_wrap=True,
        )
    table = Table(box=None, pad_edge=False, show_edge=False)
    table.add_column("#", justify="right", style="dim")
    table.add_column(model.score_name, justify="right")
    if rows == "tags":
        table.add_column("tag")
    else:
        table.add_column("line" if rows == "lines" else "block", justify="right", style="dim")
        table.add_column("document")
    for rank, match in enumerate(matches, start=1):
        cells = [str(rank), f"{match.score:.4f}"]
        if rows != "tags":  # a line of the corpus file, or the block's number, from 1
            cells.append(str(match.line if match.line is not None else match.row + 1))
        # Text, not markup: a review may contain [brackets].
        cells.append(Text(match.text))
        table.add_row(*cells)
    if not matches:
        stderr.print("the text's vector is zero: no document is near it")
    stdout.print(table)
