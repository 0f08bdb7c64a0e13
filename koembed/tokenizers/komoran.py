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
from koembed.tokenizers.jvm import JavaAnalyzer, java_class

log = logging.getLogger(__name__)

# Every tag Komoran emits (konlpy's komoran tag set).
KOMORAN_TAGS = frozenset(
    "EC EF EP ETM ETN IC JC JKB JKC JKG JKO JKQ JKS JKV JX MAG MAJ MM NA NF NNB NNG NNP NP "
    "NR NV SE SF SH SL SN SO SP SS SW VA VCN VCP VV VX XPN XR XSA XSN XSV".split()
)


class KomoranTokenizer(JavaAnalyzer):
    """Morphemes from Komoran:
    ``대한민국은 민주공화국이다`` -> ``대한민국 / 은 / 민주공화국 / 이 / 다``.

    Options:
        pos: emit ``token/TAG`` with Sejong tags (``대한민국/NNP``).
        keep_pos: keep only these tags, e.g. ``"NNG,NNP,VV,VA"``.

    User words go into Komoran's own user dictionary, with their POS.
    """

    name = "komoran"
    display_name = "Komoran"
    defaults = {"pos": False, "keep_pos": None}

    def validate(self) -> None:
        super().validate()
        if self.options["keep_pos"] is not None:
            self.options["keep_pos"] = parse_keep_pos(
                self.options["keep_pos"], "Komoran", KOMORAN_TAGS
            )
        check_user_tags(self.user_dict, "Komoran", KOMORAN_TAGS, "Sejong")

    def _start(self) -> None:
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

    def _pairs(self, text: str) -> list[tuple[str, str]]:
        return [
            (str(token.getMorph()), str(token.getPos()))
            for token in self._komoran.analyze(text).getTokenList()
        ]
