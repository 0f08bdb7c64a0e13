"""konlpy's Komoran (Shineware's KOMORAN 3, Java) on the process's JVM.

Komoran tags with the Sejong tag set, as mecab does, and takes a user
dictionary natively: a ``word<TAB>POS`` file, written here from the one user
dictionary format.
"""

from __future__ import annotations

import logging
import os
import tempfile

from koembed.tokenizers._pos import check_user_tags, parse_keep_pos
from koembed.tokenizers.base import Tokenizer
from koembed.tokenizers.jvm import AstralCharacters, java_class

log = logging.getLogger(__name__)

# Every tag Komoran emits (konlpy's komoran tag set).
KOMORAN_TAGS = frozenset(
    "EC EF EP ETM ETN IC JC JKB JKC JKG JKO JKQ JKS JKV JX MAG MAJ MM NA NF NNB NNG NNP NP "
    "NR NV SE SF SH SL SN SO SP SS SW VA VCN VCP VV VX XPN XR XSA XSN XSV".split()
)


class KomoranTokenizer(Tokenizer):
    """Morphemes from Komoran:
    ``대한민국은 민주공화국이다`` -> ``대한민국 / 은 / 민주공화국 / 이 / 다``.

    Options:
        pos: emit ``token/TAG`` with Sejong tags (``대한민국/NNP``).
        keep_pos: keep only these tags, e.g. ``"NNG,NNP,VV,VA"``.

    User words go into Komoran's own user dictionary, with their POS.
    """

    name = "komoran"
    defaults = {"pos": False, "keep_pos": None}

    def validate(self) -> None:
        super().validate()
        if self.options["keep_pos"] is not None:
            self.options["keep_pos"] = parse_keep_pos(
                self.options["keep_pos"], "Komoran", KOMORAN_TAGS
            )
        check_user_tags(self.user_dict, "Komoran", KOMORAN_TAGS, "Sejong")

    def _setup(self) -> None:
        from konlpy import utils

        models = os.path.join(utils.installpath, "java", "data", "models")
        self._komoran = java_class("kr.co.shineware.nlp.komoran.core.Komoran", self.name)(models)
        if self.user_dict:
            # Komoran reads the file when it is set; it need not outlive this call.
            with tempfile.TemporaryDirectory(prefix="koembed-komoran-") as folder:
                path = os.path.join(folder, "user.tsv")
                with open(path, "w", encoding="utf-8") as handle:
                    handle.writelines(f"{e.word}\t{e.pos}\n" for e in self.user_dict.entries)
                self._komoran.setUserDic(path)
            log.info("added %d user words to Komoran's dictionary", len(self.user_dict))
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
        pairs = [
            (token.getMorph(), token.getPos())
            for token in self._komoran.analyze(text).getTokenList()
        ]
        if self._keep is not None:
            pairs = [(morph, tag) for morph, tag in pairs if tag in self._keep]
        tokens = [f"{morph}/{tag}" if self._with_pos else morph for morph, tag in pairs]
        # A morpheme Komoran read with a space inside (from a user word or a
        # number) would split the tokenized line; it is joined instead.
        return ["".join(token.split()) for token in tokens if token.strip()]
