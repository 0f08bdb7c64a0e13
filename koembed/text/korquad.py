"""``koembed corpus prepare korquad``: KorQuAD 1.0 to one text a line.

KorQuAD 1.0 (Lim et al. 2019) is SQuAD-shaped JSON: ``data`` -> articles ->
``paragraphs`` -> a ``context`` (a Wikipedia paragraph) and its ``qas``
(questions). The book adds both to its training corpus: each distinct
context once (train and dev share articles' paragraphs), then every question.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from koembed.errors import BadInputError
from koembed.outputs import atomic_output, check_output


@dataclass
class KorquadSummary:
    path: Path
    contexts: int  # distinct
    duplicates: int  # contexts seen before, left out
    questions: int


def _read(path: Path) -> dict:
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except FileNotFoundError:
        raise BadInputError(f"{path} does not exist; check the path") from None
    except UnicodeDecodeError:
        raise BadInputError(f"{path} is not UTF-8 text; give a KorQuAD JSON file") from None
    except json.JSONDecodeError as error:
        raise BadInputError(
            f"{path} is not JSON (line {error.lineno}: {error.msg}); give KorQuAD_v1.0_*.json"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("data"), list):
        raise BadInputError(
            f"{path} is JSON but not KorQuAD 1.0 (no 'data' list of articles); "
            f"give KorQuAD_v1.0_train.json or KorQuAD_v1.0_dev.json"
        )
    return data


def _paragraphs(data: dict, path: Path) -> Iterator[dict]:
    for number, article in enumerate(data["data"], 1):
        paragraphs = article.get("paragraphs") if isinstance(article, dict) else None
        if not isinstance(paragraphs, list):
            raise BadInputError(f"{path}: article {number} has no 'paragraphs' list")
        yield from paragraphs


def _one_line(text: object) -> str:
    return " ".join(str(text).split()) if isinstance(text, str) else ""


def prepare_korquad(
    inputs: Sequence[str | os.PathLike],
    output: str | os.PathLike,
    *,
    overwrite: bool = False,
) -> KorquadSummary:
    """Write the distinct contexts of the KorQuAD files, then their questions,
    one a line (line breaks inside a context become spaces).

    Raises:
        BadInputError: a file that is missing or not KorQuAD 1.0 JSON; no inputs.
        OutputExistsError: ``output`` exists and ``overwrite`` is false.
    """
    if not inputs:
        raise BadInputError("no KorQuAD file given; give KorQuAD_v1.0_train.json (and dev)")
    paths = [Path(p) for p in inputs]
    target = check_output(output, overwrite=overwrite, inputs=paths)
    documents = [(path, _read(path)) for path in paths]  # all checked before writing
    seen: set[str] = set()
    duplicates = 0
    questions: list[str] = []
    with atomic_output(target) as temporary, open(temporary, "w", encoding="utf-8") as out:
        for path, data in documents:
            for paragraph in _paragraphs(data, path):
                context = _one_line(paragraph.get("context"))
                if context in seen:
                    duplicates += 1
                elif context:
                    seen.add(context)
                    out.write(context + "\n")
                for qa in paragraph.get("qas") or ():
                    question = _one_line(qa.get("question")) if isinstance(qa, dict) else ""
                    if question:
                        questions.append(question)
        for question in questions:
            out.write(question + "\n")
        if not seen and not questions:
            raise BadInputError(f"{', '.join(map(str, paths))}: no context or question found")
    return KorquadSummary(target, len(seen), duplicates, len(questions))
