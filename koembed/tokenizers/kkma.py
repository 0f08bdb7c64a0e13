"""konlpy's Kkma (꼬꼬마, Seoul National University's analyzer, Java) on the
process's JVM.

Kkma's tag set is the finest of the five KoNLPy analyzers (56 tags, Sejong
based); it is also by far the slowest. It has no user dictionary that konlpy
exposes, so user words are kept whole by cutting the text around them
(:mod:`koembed.tokenizers.protect`).
"""

from __future__ import annotations

from koembed.tokenizers._pos import parse_keep_pos
from koembed.tokenizers.jvm import JavaAnalyzer, java_class

# Every tag Kkma emits (konlpy's kkma tag set).
KKMA_TAGS = frozenset(
    "EC ECD ECE ECS EF EFA EFI EFN EFO EFQ EFR EP EPH EPP EPT ET ETD ETN IC JC JK JKC JKG JKI "
    "JKM JKO JKQ JKS JX MA MAC MAG MD MDN MDT NN NNB NNG NNM NNP NP NR OH OL ON SE SF SO SP SS "
    "SW UN VA VC VCN VCP VV VX VXA VXV XP XPN XPV XR XSA XSN XSV".split()
)


class KkmaTokenizer(JavaAnalyzer):
    """Morphemes from Kkma:
    ``대한민국은 민주공화국이다`` -> ``대한민국 / 은 / 민주 / 공화국 / 이 / 다``.

    Options:
        pos: emit ``token/TAG`` with Kkma's tags (``대한민국/NNG``).
        keep_pos: keep only these tags, e.g. ``"NNG,NNP,VV,VA"``.

    User words: kept whole by cutting the text around them.
    """

    name = "kkma"
    display_name = "Kkma"
    defaults = {"pos": False, "keep_pos": None}
    native_user_words = False

    def validate(self) -> None:
        super().validate()
        if self.options["keep_pos"] is not None:
            self.options["keep_pos"] = parse_keep_pos(self.options["keep_pos"], "Kkma", KKMA_TAGS)

    def _start(self) -> None:
        self._kkma = java_class("kr.lucypark.kkma.KkmaInterface", self.name)()

    def _pairs(self, text: str) -> list[tuple[str, str]]:
        return [
            (str(morpheme.getString()), str(morpheme.getTag()))
            for sentence in self._kkma.morphAnalyzer(text) or ()
            for eojeol in sentence
            for morpheme in eojeol
        ]
