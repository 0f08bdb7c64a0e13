"""Text normalizers: pure ``str -> str`` functions composed by name.

A normalizer chain is recorded in manifests and model directories as a list
of names, so a query is normalized exactly as the corpus was.
"""

from __future__ import annotations

import importlib.util
import re
import unicodedata
from collections.abc import Callable, Sequence

from koembed.errors import MissingDependencyError, UnknownNameError
from koembed.text.jamo import decompose

Normalizer = Callable[[str], str]

DEFAULT_CHAIN: tuple[str, ...] = ("nfc",)


def nfc(text: str) -> str:
    """Compose decomposed Hangul jamo (and everything else) into NFC.

    Text typed on macOS or copied from some PDFs stores 한 as ㅎ+ㅏ+ㄴ code
    points; without this the same word would get two vocabulary entries.
    """
    if unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


#: ``repeat`` keeps at most this many copies of a repeated character.
REPEAT_MAX = 2
# Digits are left alone: collapsing "1000000" would change the number.
_REPEAT = re.compile(rf"(\D)\1{{{REPEAT_MAX},}}")


#: URLs and e-mail addresses. ASCII only, so Korean glued to an address
#: ("naver.com에서") is kept.
ADDRESS = re.compile(
    r"(?:https?|ftp)://[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+"
    r"|www\.[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]+"
    r"|[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+",
    re.IGNORECASE,
)


def repeat(text: str) -> str:
    """Collapse a run of one character longer than 2 to 2 copies.

    ``ㅋㅋㅋㅋㅋ`` -> ``ㅋㅋ``, ``와아아아아`` -> ``와아아``, ``!!!!`` -> ``!!``;
    runs of digits (any script) are kept, so numbers survive, and so are URLs
    and e-mail addresses (``www.naver.com`` stays as it is; ``url`` removes
    them, in either order).
    """
    if "." not in text and "@" not in text and "://" not in text:
        return _REPEAT.sub(r"\1" * REPEAT_MAX, text)  # no address: the fast path
    parts = []
    start = 0
    for match in ADDRESS.finditer(text):
        parts.append(_REPEAT.sub(r"\1" * REPEAT_MAX, text[start : match.start()]))
        parts.append(match.group())
        start = match.end()
    parts.append(_REPEAT.sub(r"\1" * REPEAT_MAX, text[start:]))
    return "".join(parts)


# Emoticon rules, tried left to right at each position (see ``emoticon``).
_EMOTICON = re.compile(
    r"(?P<artifact>[쿠큐후휴](?=[ㅜㅠ]))"
    r"|(?P<crying>[ㅜㅠ]{2,}|[ㅜㅠT][_.][ㅜㅠT])"
    r"|(?P<annoyed>[-ㅡ][_.][-ㅡ])"
    r"|(?P<smile>\^[_\-.~oOㅡ]?\^+)"
    r"|(?P<sweat>;{2,})"
    r"|(?P<jamo>(?P<char>[\u3131-\u318e])(?P=char)+)"
)
_CANONICAL = {"crying": "ㅠㅠ", "annoyed": "ㅡㅡ", "smile": "^^", "sweat": ";;"}


def _emoticon_once(text: str) -> str:
    def canonical(match: re.Match) -> str:
        kind = match.lastgroup
        if kind == "artifact":  # 쿠 -> ㅋㅜ (initial and medial; it has no final)
            return decompose(match.group())[:2]
        if kind == "jamo":
            return match.group()[0] * 2
        return _CANONICAL[kind]

    return _EMOTICON.sub(canonical, text)


def emoticon(text: str) -> str:
    """Rewrite Korean emoticons to one canonical spelling each.

    Rules (each applied until nothing changes):

    - a syllable typed into a crying run splits back into jamo:
      ``ㅋㅋ쿠ㅜㅜ`` -> ``ㅋㅋㅋㅜㅜㅜ`` (쿠, 큐, 후 or 휴 right before ㅜ/ㅠ);
    - crying: a run of 2+ ㅜ/ㅠ, or ``T_T``, ``ㅜ.ㅜ``, ``ㅠ_ㅠ``... -> ``ㅠㅠ``;
    - annoyed: ``-_-``, ``-.-``, ``ㅡ_ㅡ``, ``ㅡ.ㅡ`` -> ``ㅡㅡ``;
    - smile: ``^^``, ``^^^``, ``^_^``, ``^-^``, ``^o^``, ``^.^``, ``^~^`` -> ``^^``;
    - sweat: a run of 2+ ``;`` -> ``;;``;
    - any other run of 2+ of one Hangul jamo -> 2 of it: ``ㅋㅋㅋㅋ`` -> ``ㅋㅋ``,
      ``ㅎㅎㅎ`` -> ``ㅎㅎ``, ``ㄷㄷㄷ`` -> ``ㄷㄷ``.

    A lone jamo (``ㅋ``) is left alone, and nothing is spaced apart.
    """
    # One rewrite can expose another ("ㅠ_ㅠ" before "ㅠ" becomes a new run
    # "ㅠㅠㅠ"), so rewrite until nothing changes: idempotent by construction.
    # Every rule shortens the text, turns ㅜ into ㅠ, or removes a syllable no
    # rule creates, so the loop ends, usually after one extra pass.
    while True:
        result = _emoticon_once(text)
        if result == text:
            return result
        text = result


# Hangul syllables, compatibility jamo (ㅋ, ㅠ) and conjoining jamo (old Hangul).
_HANGUL = "\uac00-\ud7a3\u3131-\u318e\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff"
_NOT_HANGUL = re.compile(f"[^{_HANGUL}]+")
_NOT_HANGUL_OR_DIGIT = re.compile(f"[^{_HANGUL}0-9]+")


def hangul(text: str) -> str:
    """Keep only Hangul (syllables and jamo); everything else becomes a space.

    Runs of spaces become one, and the ends are stripped:
    ``"영화 good! 최고ㅋㅋ"`` -> ``"영화 최고ㅋㅋ"``.
    """
    return " ".join(_NOT_HANGUL.sub(" ", text).split())


def hangul_digits(text: str) -> str:
    """Like ``hangul`` but also keeps the ASCII digits 0-9: ``"10점 만점!"`` -> ``"10점 만점"``."""
    return " ".join(_NOT_HANGUL_OR_DIGIT.sub(" ", text).split())


def url(text: str) -> str:
    """Replace URLs (``http://``, ``https://``, ``ftp://``, ``www.``) and e-mail
    addresses with a space: ``"자세히는 https://x.kr/a 참고"`` -> ``"자세히는   참고"``.

    The space keeps the words on either side apart; as no pattern contains a
    space, a removal never forms a new match, so one pass is idempotent.
    """
    return ADDRESS.sub(" ", text)


_spacer = None
_SURROGATE = re.compile("[\ud800-\udfff]")


def spacing(text: str) -> str:
    """Correct word spacing with Kiwi's ``space()``: ``"아버지가방에들어가신다"``
    -> ``"아버지가 방에 들어가신다"``. Existing spaces are mostly kept (Kiwi may
    join a wrongly split word: ``"없 엉"`` -> ``"없엉"``). Unlike the other
    normalizers it is not idempotent: a second pass changed 10 of 3,000 NSMC
    reviews; corpus and queries both pass through it once, so they agree.

    Raises:
        MissingDependencyError: kiwipiepy is not installed (``koembed[kiwi]``).
    """
    global _spacer
    if not text.strip():
        return text
    if _spacer is None:
        try:
            from kiwipiepy import Kiwi
        except ImportError:
            raise MissingDependencyError("kiwipiepy", "kiwi", "the spacing normalizer") from None
        _spacer = Kiwi()  # one per process: loading the model takes a second
    # Kiwi cannot take a lone surrogate (from an argument that is not UTF-8).
    text = _SURROGATE.sub("\ufffd", text)
    return _spacer.space(text, reset_whitespace=False)


NORMALIZERS: dict[str, Normalizer] = {
    "nfc": nfc,
    "repeat": repeat,
    "emoticon": emoticon,
    "hangul": hangul,
    "hangul_digits": hangul_digits,
    "url": url,
    "spacing": spacing,
}
#: normalizer -> (Python package, koembed extra) it needs.
REQUIRES: dict[str, tuple[str, str]] = {"spacing": ("kiwipiepy", "kiwi")}


def parse_chain(spec: str | Sequence[str] | None) -> tuple[str, ...]:
    """Turn ``"nfc,repeat"`` or ``["nfc"]`` into a validated tuple of names.

    ``None`` means the default chain; ``""`` or ``"none"`` means no
    normalization.

    Raises:
        UnknownNameError: a name is not a known normalizer.
        MissingDependencyError: a normalizer's package is not installed.
    """
    if spec is None:
        return DEFAULT_CHAIN
    names = spec.split(",") if isinstance(spec, str) else list(spec)
    names = [name.strip() for name in names if name.strip()]
    if names == ["none"]:
        return ()
    for name in names:
        if name not in NORMALIZERS:
            raise UnknownNameError("normalizer", name, NORMALIZERS)
        if name in REQUIRES:
            # Checked here, before any work: a worker process must not be
            # the first to find the package missing.
            package, extra = REQUIRES[name]
            if importlib.util.find_spec(package) is None:
                raise MissingDependencyError(package, extra, f"the {name} normalizer")
    return tuple(names)


def compose(chain: Sequence[str]) -> Normalizer:
    """Return one function applying the named normalizers in order."""
    functions = [NORMALIZERS[name] for name in parse_chain(list(chain) or ["none"])]

    def normalize(text: str) -> str:
        for function in functions:
            text = function(text)
        return text

    return normalize
