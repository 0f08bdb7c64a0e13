"""konlpy's Hannanum (한나눔, KAIST's analyzer, Java) on the process's JVM.

Hannanum tags with the KAIST tag set, 9 coarse tags or 22 finer ones
(``ntags``). It has no user dictionary that konlpy exposes, so user words are
kept whole by cutting the text around them (:mod:`koembed.tokenizers.protect`),
tagged with the KAIST tag of their Sejong POS.
"""

from __future__ import annotations

import re

from koembed.text.userdict import UserWord
from koembed.tokenizers._pos import parse_keep_pos
from koembed.tokenizers.jvm import JavaAnalyzer, java_class, quiet_java_errors

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


class HannanumTokenizer(JavaAnalyzer):
    """Morphemes from Hannanum:
    ``대한민국은 민주공화국이다`` -> ``대한민국 / 은 / 민주공화국 / 이 / 다``.

    Options:
        ntags: 9 (coarse: N, P, J...) or 22 (finer: NC, NQ, PV...) KAIST tags.
        pos: emit ``token/TAG`` (``대한민국/N``).
        keep_pos: keep only these tags, e.g. ``"N"`` or ``"NC,NQ"``.

    User words: kept whole by cutting the text around them.
    """

    name = "hannanum"
    display_name = "Hannanum"
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

    def _start(self) -> None:
        interface = java_class("kr.lucypark.jhannanum.comm.HannanumInterface", self.name)()
        # konlpy's interface prints a Java stack trace for each text Hannanum
        # fails on (and returns nothing, which _pairs works around).
        quiet_java_errors()
        fine = self.options["ntags"] == 22
        self._analyze = interface.simplePos22 if fine else interface.simplePos09

    def _pairs(self, text: str) -> list[tuple[str, str]]:
        pairs = self._analysis(text)
        if pairs or not text.strip():
            return pairs
        # Hannanum gives nothing for a text whose eojeol is too long for it
        # (an index error inside, on long unspaced reviews): word by word, and
        # a word it still fails on in pieces, or as it is.
        unknown = "N" if self.options["ntags"] == 9 else "NC"
        for word in text.split():
            found = self._analysis(word)
            if not found:
                for start in range(0, len(word), PIECE_CHARS):
                    piece = word[start : start + PIECE_CHARS]
                    found.extend(self._analysis(piece) or [(piece, unknown)])
            pairs.extend(found)
        return pairs

    def _analysis(self, text: str) -> list[tuple[str, str]]:
        """Hannanum's (morpheme, tag) pairs for ``text``; [] where it gives nothing."""
        # Each eojeol is a line holding the eojeol, then a tab-indented line
        # of its morphemes joined by "+".
        return [
            (morph, tag)
            for line in str(self._analyze(text) or "").splitlines()
            if line.startswith("\t")
            for morph, tag in _MORPHEME.findall(line.strip())
        ]
