"""konlpy's Hannanum (한나눔, KAIST's analyzer, Java) on the process's JVM.

Hannanum tags with the KAIST tag set, 9 coarse tags or 22 finer ones
(``ntags``). It has no user dictionary that konlpy exposes, so user words are
kept whole by cutting the text around them (:mod:`koembed.tokenizers.protect`),
tagged with the KAIST tag of their Sejong POS.
"""

from __future__ import annotations

import re

from koembed.errors import KoembedError
from koembed.text.userdict import UserWord
from koembed.tokenizers._pos import parse_keep_pos
from koembed.tokenizers.base import Tokenizer
from koembed.tokenizers.jvm import java_class, quiet_java_errors

TAGS_9 = frozenset("E F I J M N P S X".split())
TAGS_22 = frozenset(
    "EC EF EP ET F II JC JP JX MA MM NB NC NN NP NQ PA PV PX SD SE SF SL SP SR SU SY XP XS".split()
)
# The KAIST tag (22, then 9) of a Sejong POS, by its first letters.
_KAIST_OF_SEJONG = {
    "NNP": "NQ", "NNG": "NC", "NNB": "NB", "NP": "NP", "NR": "NN", "VV": "PV", "VA": "PA",
    "VX": "PX", "MM": "MM", "MA": "MA", "IC": "II", "JC": "JC", "JX": "JX", "J": "JC",
    "EP": "EP", "EF": "EF", "EC": "EC", "ET": "ET", "XP": "XP", "XS": "XS", "SL": "F",
    "SH": "F", "SF": "SF", "SN": "NN", "S": "SY",
}  # fmt: skip
# Where Hannanum gives nothing for a word, it is analysed in pieces of this many characters.
PIECE_CHARS = 10
# One analysed eojeol's morphemes in Hannanum's output: "\t대한민국/N+은/J";
# a morpheme may itself hold "+" or "/" ("\t1+1/N+//S+2/N").
_MORPHEME = re.compile(r"(.+?)/([A-Z]+)(?:\+|$)")


class HannanumTokenizer(Tokenizer):
    """Morphemes from Hannanum:
    ``대한민국은 민주공화국이다`` -> ``대한민국 / 은 / 민주공화국 / 이 / 다``.

    Options:
        ntags: 9 (coarse: N, P, J...) or 22 (finer: NC, NQ, PV...) KAIST tags.
        pos: emit ``token/TAG`` (``대한민국/N``).
        keep_pos: keep only these tags, e.g. ``"N"`` or ``"NC,NQ"``.

    User words: kept whole by cutting the text around them.
    """

    name = "hannanum"
    defaults = {"ntags": 9, "pos": False, "keep_pos": None}
    choices = {"ntags": (9, 22)}
    native_user_words = False

    def validate(self) -> None:
        super().validate()
        tags = TAGS_9 if self.options["ntags"] == 9 else TAGS_22
        if self.options["keep_pos"] is not None:
            self.options["keep_pos"] = parse_keep_pos(
                self.options["keep_pos"],
                f"Hannanum ({self.options['ntags']} tags)",
                tags,
                " (ntags=22 has the finer tags)" if tags is TAGS_9 else "",
            )

    def user_word_tag(self, entry: UserWord) -> str:
        pos = entry.pos
        tag = _KAIST_OF_SEJONG.get(pos) or _KAIST_OF_SEJONG.get(pos[:2])
        tag = tag or _KAIST_OF_SEJONG.get(pos[:1], "NQ")
        return tag if self.options["ntags"] == 22 else tag[0]

    def _setup(self) -> None:
        interface = java_class("kr.lucypark.jhannanum.comm.HannanumInterface", self.name)()
        # konlpy's interface prints a Java stack trace for each text Hannanum
        # fails on (and returns nothing, which _tokenize works around).
        quiet_java_errors()
        fine = self.options["ntags"] == 22
        self._analyze = interface.simplePos22 if fine else interface.simplePos09
        keep = self.options["keep_pos"]
        self._keep = frozenset(keep) if keep else None
        self._with_pos = bool(self.options["pos"])

    def _tokenize(self, text: str) -> list[str]:
        text = " ".join(text.split())
        if not text:
            return []
        tokens = self._analysed(text)
        if tokens:
            return tokens
        # Hannanum gives nothing for a text whose eojeol is too long for it
        # (an index error inside, on long unspaced reviews): word by word, and
        # a word it still fails on in pieces, or as it is.
        tokens = []
        for word in text.split():
            found = self._analysed(word)
            if not found:
                for start in range(0, len(word), PIECE_CHARS):
                    piece = word[start : start + PIECE_CHARS]
                    found.extend(self._analysed(piece) or [piece])
            tokens.extend(found)
        return tokens

    def _analysed(self, text: str) -> list[str]:
        """Hannanum's morphemes of ``text`` ([] where it gives nothing)."""
        try:
            result = self._analyze(text)
        except Exception as error:  # a Java exception: say which text, not a JVM trace
            raise KoembedError(
                f"Hannanum failed on {text[:60]!r} ({type(error).__name__}: {error})"
            ) from None
        tokens = []
        # Each eojeol is a line holding the eojeol, then a tab-indented line
        # of its morphemes joined by "+".
        for line in str(result or "").splitlines():
            if not line.startswith("\t"):
                continue
            for morph, tag in _MORPHEME.findall(line.strip()):
                if self._keep is not None and tag not in self._keep:
                    continue
                tokens.append(f"{morph}/{tag}" if self._with_pos else morph)
        return tokens
