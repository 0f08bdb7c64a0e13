"""The ``keep_pos`` option shared by the analyzer backends (okt, kiwi)."""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from koembed.errors import BadInputError


def parse_keep_pos(value: Any, backend: str, tags: Collection[str], hint: str = "") -> list[str]:
    """Turn ``"NNG,NNP"`` or a list of tags into a validated list.

    Args:
        value: the option as given (comma-separated string or sequence).
        backend: the backend's name, for the message.
        tags: every tag the backend emits.
        hint: appended to the message when a tag is unknown.

    Raises:
        BadInputError: not a string or list, empty, or a tag the backend never emits.
    """
    if isinstance(value, str):
        chosen = [tag.strip() for tag in value.split(",") if tag.strip()]
    elif isinstance(value, (list, tuple)) and all(isinstance(tag, str) for tag in value):
        chosen = [tag.strip() for tag in value if tag.strip()]
    else:
        raise BadInputError(
            f"--keep-pos should be comma-separated tags such as NNG,NNP, got {value!r}"
        )
    if not chosen:
        raise BadInputError("--keep-pos is empty; give tags such as NNG,NNP")
    unknown = [tag for tag in chosen if tag not in tags]
    if unknown:
        raise BadInputError(
            f"--keep-pos: {', '.join(unknown)} not {backend} tags{hint}; "
            f"{backend} tags: {' '.join(sorted(tags))}"
        )
    return chosen
