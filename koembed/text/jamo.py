"""Hangul syllables <-> jamo, for jamo-level tokens and subwords.

Each syllable becomes three compatibility jamo: initial, medial, and final
consonant, with an explicit ``EMPTY_FINAL`` marker when there is none (as in
Park et al., ACL 2018), so every syllable is three symbols and the text can
be composed back exactly. Characters that are not Hangul syllables pass
through unchanged.
"""

from __future__ import annotations

INITIALS = "ㄱㄲㄴㄷㄸㄹㅁㅂㅃㅅㅆㅇㅈㅉㅊㅋㅌㅍㅎ"
MEDIALS = "ㅏㅐㅑㅒㅓㅔㅕㅖㅗㅘㅙㅚㅛㅜㅝㅞㅟㅠㅡㅢㅣ"
FINALS = "ㄱㄲㄳㄴㄵㄶㄷㄹㄺㄻㄼㄽㄾㄿㅀㅁㅂㅄㅅㅆㅇㅈㅊㅋㅌㅍㅎ"
EMPTY_FINAL = "ᴥ"  # U+1D25: never part of Korean text, so composing is unambiguous

_FIRST, _LAST = 0xAC00, 0xD7A3
_INITIAL_INDEX = {c: i for i, c in enumerate(INITIALS)}
_MEDIAL_INDEX = {c: i for i, c in enumerate(MEDIALS)}
_FINAL_INDEX = {EMPTY_FINAL: 0, **{c: i + 1 for i, c in enumerate(FINALS)}}


def is_syllable(char: str) -> bool:
    return _FIRST <= ord(char) <= _LAST


def decompose(text: str) -> str:
    """``"한국"`` -> ``"ㅎㅏㄴㄱㅜㄱ"``; ``"가"`` -> ``"ㄱㅏᴥ"``."""
    out = []
    for char in text:
        code = ord(char) - _FIRST
        if 0 <= code <= _LAST - _FIRST:
            initial, rest = divmod(code, 21 * 28)
            medial, final = divmod(rest, 28)
            out.append(INITIALS[initial])
            out.append(MEDIALS[medial])
            out.append(FINALS[final - 1] if final else EMPTY_FINAL)
        else:
            out.append(char)
    return "".join(out)


def compose(text: str) -> str:
    """Inverse of :func:`decompose`: initial + medial + final -> syllable."""
    out = []
    i, n = 0, len(text)
    while i < n:
        if i + 2 < n:
            initial = _INITIAL_INDEX.get(text[i])
            medial = _MEDIAL_INDEX.get(text[i + 1])
            final = _FINAL_INDEX.get(text[i + 2])
            if initial is not None and medial is not None and final is not None:
                out.append(chr(_FIRST + (initial * 21 + medial) * 28 + final))
                i += 3
                continue
        out.append(text[i])
        i += 1
    return "".join(out)
