"""konlpy's Kkma (꼬꼬마, Seoul National University's analyzer, Java) on the
process's JVM.

Kkma's tag set is the finest of the five KoNLPy analyzers (56 tags, Sejong
based); it is also by far the slowest. It has no user dictionary that konlpy
exposes, so user words are kept whole by cutting the text around them
(:mod:`koembed.tokenizers.protect`).
"""

from __future__ import annotations

from koembed.errors import KoembedError
from koembed.tokenizers._pos import parse_keep_pos
from koembed.tokenizers.base import Tokenizer
from koembed.tokenizers.jvm import AstralCharacters, java_class

# Every tag Kkma emits (konlpy's kkma tag set).
KKMA_TAGS = frozenset(
    "EC ECD ECE ECS EF EFA EFI EFN EFO EFQ EFR EP EPH EPP EPT ET ETD ETN IC JC JK JKC JKG JKI "
    "JKM JKO JKQ JKS JX MA MAC MAG MD MDN MDT NN NNB NNG NNM NNP NP NR OH OL ON SE SF SO SP SS "
    "SW UN VA VC VCN VCP VV VX VXA VXV XP XPN XPV XR XSA XSN XSV".split()
)


class KkmaTokenizer(Tokenizer):
    """Morphemes from Kkma:
    ``대한민국은 민주공화국이다`` -> ``대한민국 / 은 / 민주 / 공화국 / 이 / 다``.

    Options:
        pos: emit ``token/TAG`` with Kkma's tags (``대한민국/NNG``).
        keep_pos: keep only these tags, e.g. ``"NNG,NNP,VV,VA"``.

    User words: kept whole by cutting the text around them.
    """

    name = "kkma"
    defaults = {"pos": False, "keep_pos": None}
    native_user_words = False

    def validate(self) -> None:
        super().validate()
        if self.options["keep_pos"] is not None:
            self.options["keep_pos"] = parse_keep_pos(self.options["keep_pos"], "Kkma", KKMA_TAGS)

    def _setup(self) -> None:
        self._kkma = java_class("kr.lucypark.kkma.KkmaInterface", self.name)()
        keep = self.options["keep_pos"]
        self._keep = frozenset(keep) if keep else None
        self._with_pos = bool(self.options["pos"])

    def _tokenize(self, text: str) -> list[str]:
        text = " ".join(text.split())
        if not text:
            return []
        astral = AstralCharacters(text)
        return astral.restore(self._analysed(astral.text))

    def _analysed(self, text: str) -> list[str]:
        try:
            sentences = self._kkma.morphAnalyzer(text)
        except Exception as error:  # a Java exception: say which text, not a JVM trace
            raise KoembedError(
                f"Kkma failed on {text[:60]!r} ({type(error).__name__}: {error})"
            ) from None
        tokens = []
        for sentence in sentences or ():
            for eojeol in sentence:
                for morpheme in eojeol:
                    morph, tag = str(morpheme.getString()), str(morpheme.getTag())
                    if self._keep is not None and tag not in self._keep:
                        continue
                    token = "".join(morph.split())
                    if token:
                        tokens.append(f"{token}/{tag}" if self._with_pos else token)
        return tokens
