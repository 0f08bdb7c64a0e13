"""What every tokenizer backend provides, and how one is built from a spec.

A backend is a class registered by name in ``koembed.registry.TOKENIZERS``.
Its constructor only stores options; the backend's library is imported and
set up on first use. ``spec()`` returns a JSON-able description (name,
options, user dictionary) from which :mod:`koembed.tokenizers.spec` rebuilds
an identical tokenizer: in a worker process, or when a model answers a query.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from typing import Any, ClassVar

from koembed.errors import BadInputError
from koembed.registry import TOKENIZERS
from koembed.text.userdict import UserDictionary, UserWord, load_user_dict
from koembed.tokenizers._pos import TagFilter
from koembed.tokenizers.protect import UserWordCutter

#: A line longer than this (characters) reaches the backend in pieces cut at
#: whitespace: analyzers build a lattice over their whole input, and mecab
#: took 2.6 GB of memory for one 5 MB line (a 50 MB line would exhaust most
#: machines). A cut can only change the analysis of the word at the cut.
MAX_PIECE_CHARS = 20_000

# What a backend sees is cleaned first (``clean_text``). Control characters
# (C0, DEL, C1) become spaces: they are never part of a word, and a NUL ends
# the text early in C libraries (mecab dropped the rest of the line after
# one). Every other kind of whitespace (tab, NEL, no-break, ideographic...)
# becomes a plain space, which all backends split on (mecab made a token of
# U+0085). Zero-width space is a space; a BOM in mid-text is a zero-width
# no-break space: nothing. Lone surrogates (from file names or arguments that
# are not UTF-8) cannot be encoded for any C library: U+FFFD.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\xa0\u1680\u2000-\u200b\u2028\u2029\u202f\u205f\u3000\ufeff\ud800-\udfff]"
)


def _make_safe(match: re.Match) -> str:
    char = match.group()
    if char == "\ufeff":
        return ""
    if "\ud800" <= char <= "\udfff":
        return "\ufffd"
    return " "


def clean_text(text: str) -> str:
    """``text`` as every backend gets it: no control characters, plain spaces
    for all whitespace, no lone surrogates (see ``_UNSAFE``)."""
    return _UNSAFE.sub(_make_safe, text)


def pieces(text: str, limit: int = MAX_PIECE_CHARS) -> list[str]:
    """Cut ``text`` into pieces of at most ``limit`` characters, at a space
    where there is one in the second half of a piece."""
    if len(text) <= limit:
        return [text]
    out = []
    start = 0
    while len(text) - start > limit:
        end = start + limit
        cut = text.rfind(" ", start + limit // 2, end)
        if cut <= start:
            cut = end
        out.append(text[start:cut])
        start = cut
    out.append(text[start:])
    return out


class Tokenizer(ABC):
    """Base class: ``tokenize(text) -> list[str]`` on already normalized text."""

    name: ClassVar[str]
    #: option name -> default value; the type of the default is enforced.
    defaults: ClassVar[dict[str, Any]] = {}
    #: True for backends that must be fitted on a corpus before use.
    trainable: ClassVar[bool] = False
    #: option name -> the least value it takes (checked by ``validate``).
    minimums: ClassVar[dict[str, float]] = {}
    #: option name -> the values it takes (checked by ``validate``).
    choices: ClassVar[dict[str, tuple[str, ...]]] = {}
    #: False for a backend that cannot take user words into its own
    #: dictionary: the text is cut around them instead (``protect``).
    native_user_words: ClassVar[bool] = True

    def __init__(self, user_dict: UserDictionary | None = None, **options: Any):
        self.user_dict = user_dict or UserDictionary(entries=())
        self.options = {**self.defaults, **options}
        self._ready = False
        self._cutter: UserWordCutter | None = None

    # -- the contract ------------------------------------------------------

    @abstractmethod
    def _setup(self) -> None:
        """Import the backend and build it (called once, on first use)."""

    @abstractmethod
    def _tokenize(self, text: str) -> list[str]:
        """Split one normalized line into tokens."""

    def validate(self) -> None:
        """Check options and the user dictionary before any work starts.

        Raises:
            BadInputError: an unknown option, a value of the wrong type, below
                its minimum or not one of its choices.
        """
        for key, value in self.options.items():
            if key not in self.defaults:
                valid = ", ".join(sorted(self.defaults)) or "none"
                raise BadInputError(
                    f"tokenizer {self.name} has no option {key!r}; its options: {valid}"
                )
            default = self.defaults[key]
            if default is not None and value is not None and not isinstance(value, type(default)):
                raise BadInputError(
                    f"tokenizer {self.name} option {key}={value!r} should be a "
                    f"{type(default).__name__}"
                )
        for key, least in self.minimums.items():
            value = self.options[key]
            if value is not None and value < least:
                raise BadInputError(
                    f"{key} must be {least} or more, got {value}", parameters=(key,)
                )
        for key, allowed in self.choices.items():
            if self.options[key] not in allowed:
                raise BadInputError(
                    f"{key} {self.options[key]!r} is not one of {', '.join(map(str, allowed))}",
                    parameters=(key,),
                )

    def protected_words(self) -> list[UserWord]:
        """The user words the backend cannot take itself, kept whole by cutting
        the text around them: all of them unless ``native_user_words``."""
        return [] if self.native_user_words else list(self.user_dict.entries)

    def user_word_tag(self, entry: UserWord) -> str:
        """The backend's tag for a user word's (Sejong) POS; the POS itself by default."""
        return entry.pos

    def user_word_token(self, entry: UserWord) -> str | None:
        """The token a protected user word becomes (None: left out, as an
        analyzer's ``keep_pos`` leaves out other tags). With ``pos`` it
        carries its tag; ``keep_pos`` keeps it if that tag is kept."""
        tokens = self._user_tags.tokens([(entry.word, self.user_word_tag(entry))])
        return tokens[0] if tokens else None

    # -- public use ----------------------------------------------------------

    def prepare(self) -> Tokenizer:
        """Set the backend up now rather than on the first line."""
        if not self._ready:
            protected = self.protected_words()
            if protected:
                self._cutter = UserWordCutter(protected, self.name)
                self._user_tags = TagFilter(self.options)
            self._setup()
            self._ready = True
        return self

    def tokenize(self, text: str) -> list[str]:
        """Tokenize one line of text (normalization is the caller's job).

        Control characters are spaces to every backend, and a very long line
        is tokenized a piece at a time (see :data:`MAX_PIECE_CHARS`).
        """
        if not self._ready:
            self.prepare()
        text = clean_text(text)
        if self._cutter is not None:
            return self._tokenize_around_user_words(text)
        return self._tokenize_long(text)

    def _tokenize_long(self, text: str) -> list[str]:
        if len(text) <= MAX_PIECE_CHARS:
            return self._tokenize(text)
        tokens: list[str] = []
        for piece in pieces(text):
            tokens.extend(self._tokenize(piece))
        return tokens

    def _tokenize_around_user_words(self, text: str) -> list[str]:
        assert self._cutter is not None
        tokens: list[str] = []
        for piece in self._cutter.cut(text):
            if isinstance(piece, str):
                if not piece.isspace():
                    tokens.extend(self._tokenize_long(piece))
            else:
                token = self.user_word_token(piece)
                if token is not None:
                    tokens.append(token)
        return tokens

    def spec(self) -> dict:
        """A JSON-able description that rebuilds this tokenizer."""
        return {
            "name": self.name,
            "options": dict(self.options),
            "user_dict": self.user_dict.to_spec() if self.user_dict else None,
            "user_dict_sha256": self.user_dict.sha256 if self.user_dict else None,
        }

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.options}, user_words={len(self.user_dict)})"


def create_tokenizer(
    name: str,
    *,
    user_dict: str | UserDictionary | None = None,
    **options: Any,
) -> Tokenizer:
    """Build (but do not start) the tokenizer registered as ``name``.

    Args:
        name: a registered backend name such as ``"mecab"``.
        user_dict: a user-dictionary file path or parsed dictionary.
        **options: backend options (``pos=True`` for ``token/TAG`` output...).

    Raises:
        UnknownNameError: no backend by that name (the message lists them).
        BadInputError: a bad option or user dictionary.
    """
    cls = TOKENIZERS.get(name)
    if isinstance(user_dict, str) or hasattr(user_dict, "__fspath__"):
        user_dict = load_user_dict(user_dict)
    tokenizer = cls(user_dict=user_dict, **options)
    tokenizer.validate()
    return tokenizer
