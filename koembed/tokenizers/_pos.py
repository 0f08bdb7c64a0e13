"""What the analyzer backends (mecab, okt, kiwi) share about tags: the ``keep_pos``
option, and the tags their user-dictionary entries may carry."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from typing import Any

from koembed.errors import BadInputError
from koembed.text.userdict import UserDictionary


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
            f"keep_pos should be comma-separated tags such as NNG,NNP, got {value!r}",
            parameters=("keep_pos",),
        )
    if not chosen:
        raise BadInputError(
            "keep_pos is empty; give tags such as NNG,NNP", parameters=("keep_pos",)
        )
    unknown = [tag for tag in chosen if tag not in tags]
    if unknown:
        raise BadInputError(
            f"keep_pos: {', '.join(unknown)} not {backend} tags{hint}; "
            f"{backend} tags: {' '.join(sorted(tags))}",
            parameters=("keep_pos",),
        )
    return chosen


def check_user_tags(
    user_dict: UserDictionary, backend: str, tags: Collection[str], tagset: str = ""
) -> None:
    """Refuse user-dictionary entries whose POS ``backend`` does not know
    (``tagset``: the tags' name, when not the backend's).

    Raises:
        BadInputError: naming up to five such entries.
    """
    bad = [entry for entry in user_dict.entries if entry.pos not in tags]
    if bad:
        shown = ", ".join(f"{entry.word}/{entry.pos}" for entry in bad[:5])
        raise BadInputError(
            f"user dictionary {user_dict.source}: {backend} cannot take POS of "
            f"{shown}; use a {tagset or backend} tag such as NNP or NNG"
        )


class TagFilter:
    """The ``pos`` and ``keep_pos`` options of an analyzer, applied to its
    (morpheme, tag) pairs: tags not kept are dropped, spaces inside a morpheme
    removed (it must stay one token), ``token/TAG`` written with ``pos``."""

    def __init__(self, options: dict[str, Any]):
        keep = options.get("keep_pos")
        self.keep = frozenset(keep) if keep else None
        self.with_pos = bool(options.get("pos"))

    def tokens(self, pairs: Iterable[tuple[str, str]]) -> list[str]:
        out = []
        for morph, tag in pairs:
            if self.keep is not None and tag not in self.keep:
                continue
            token = "".join(morph.split())
            if token:
                out.append(f"{token}/{tag}" if self.with_pos else token)
        return out
