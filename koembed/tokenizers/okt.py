"""konlpy's Okt (Open Korean Text, a Scala analyzer) on a JVM through JPype.

The JVM starts once per process, on first use: in the main process, or in
each worker (workers are spawned and rebuild the tokenizer from its spec, so
no JVM handle is ever copied). Okt's dictionary lives in the JVM and is
shared by the whole process; nouns can be added to it but never removed.
"""

from __future__ import annotations

import logging

from koembed.text.userdict import UserWord
from koembed.tokenizers._pos import TagFilter, parse_keep_pos
from koembed.tokenizers.base import Tokenizer
from koembed.tokenizers.jvm import JavaNotFoundError, find_jvm, java_class, java_string_join

__all__ = ["JavaNotFoundError", "OktTokenizer", "find_jvm"]

log = logging.getLogger(__name__)

# Every tag Okt emits (its KoreanPos enumeration).
OKT_TAGS = frozenset(
    "Noun Verb Adjective Adverb Determiner Exclamation Josa Eomi PreEomi Conjunction "
    "Modifier VerbPrefix Suffix Unknown Korean Foreign Number KoreanParticle Alpha "
    "Punctuation Hashtag ScreenName Email URL CashTag Space Others ProperNoun".split()
)
# Okt's user dictionary takes nouns only; these user-dictionary POS are nouns.
NOUN_POS = frozenset({"NNG", "NNP", "NNB"})
# Okt's tag for a user word's Sejong POS (by its first two letters, then one).
OKT_TAG_OF_POS = {
    "NN": "Noun", "NP": "Noun", "NR": "Number", "VV": "Verb", "VA": "Adjective",
    "VX": "Verb", "MA": "Adverb", "MM": "Determiner", "IC": "Exclamation", "J": "Josa",
    "E": "Eomi", "XS": "Suffix", "XP": "VerbPrefix", "SL": "Alpha", "SN": "Number",
    "S": "Punctuation",
}  # fmt: skip

_KEEP_POS_HINT = (
    " (Okt's tags are coarse: Noun for NNG/NNP, Verb for VV, Adjective for VA, Josa for particles)"
)

# Per-process JVM state: the konlpy interface object, and the nouns this
# process has added to Okt's (process-wide, append-only) dictionary.
_interface = None
_added_nouns: set[str] = set()


def _okt_interface():
    """konlpy's Java-side Okt object, starting the JVM on the first call."""
    global _interface
    if _interface is None:
        _interface = java_class("kr.lucypark.okt.OktInterface", "okt")()
    return _interface


def _add_nouns(words: list[str]) -> None:
    new = [word for word in words if word not in _added_nouns]
    if not new:
        return
    import jpype

    # The Java processor takes a java.util.List; JPype refuses a Python list.
    nouns = jpype.java.util.ArrayList()
    for word in new:
        nouns.add(word)
    processor = jpype.JClass("org.openkoreantext.processor.OpenKoreanTextProcessorJava")
    processor.addNounsToDictionary(nouns)
    _added_nouns.update(new)
    log.info("added %d user nouns to Okt's dictionary", len(new))


class OktTokenizer(Tokenizer):
    """Morphemes from Okt: ``이것도 되나욬ㅋㅋ`` -> ``이 / 것 / 도 / 되나욬 / ㅋㅋ``.

    Options:
        stem: reduce verbs and adjectives to their dictionary form (``했다`` -> ``하다``).
        norm: correct informal spellings first (``되나욬`` -> ``되나요``).
        pos: emit ``token/TAG`` with Okt's tags (``희망/Noun``).
        keep_pos: keep only these Okt tags, e.g. ``"Noun,Verb,Adjective"``.

    User words: Okt's dictionary takes nouns only, so entries tagged NNG, NNP
    or NNB are added to it, and any other entry is kept whole by cutting the
    text around it (:mod:`koembed.tokenizers.protect`).
    """

    name = "okt"
    defaults = {"stem": False, "norm": False, "pos": False, "keep_pos": None}

    def validate(self) -> None:
        super().validate()
        if self.options["keep_pos"] is not None:
            self.options["keep_pos"] = parse_keep_pos(
                self.options["keep_pos"], "Okt", OKT_TAGS, _KEEP_POS_HINT
            )

    def protected_words(self) -> list[UserWord]:
        return [e for e in self.user_dict.entries if e.pos not in NOUN_POS]

    def user_word_tag(self, entry: UserWord) -> str:
        return OKT_TAG_OF_POS.get(entry.pos[:2], OKT_TAG_OF_POS.get(entry.pos[:1], "Unknown"))

    def _setup(self) -> None:
        protected = self.protected_words()
        if protected:
            shown = ", ".join(f"{e.word}/{e.pos}" for e in protected[:10])
            more = f" and {len(protected) - 10} more" if len(protected) > 10 else ""
            log.info(
                "user dictionary %s: Okt takes nouns only; kept whole by cutting the text "
                "around them: %s%s",
                self.user_dict.source,
                shown,
                more,
            )
        self._interface = _okt_interface()
        import jpype  # present once the JVM runs

        nouns = [e.word for e in self.user_dict.entries if e.pos in NOUN_POS]
        foreign = sorted(_added_nouns.difference(nouns))
        if foreign:
            log.warning(
                "Okt's dictionary is shared by the whole process: %d noun(s) added by an "
                "earlier Okt tokenizer stay in effect (%s)",
                len(foreign),
                ", ".join(foreign[:5]),
            )
        _add_nouns(nouns)
        self._norm = jpype.java.lang.Boolean(self.options["norm"])
        self._stem = jpype.java.lang.Boolean(self.options["stem"])
        self._join = java_string_join()
        self._tags = TagFilter(self.options)

    def _tokenize(self, text: str) -> list[str]:
        # Okt returns tab, no-break or ideographic spaces as tokens; turning
        # all whitespace into plain spaces first makes it drop them.
        text = " ".join(text.split())
        if not text:
            return []
        joined = self._join("\n", self._interface.tokenize(text, self._norm, self._stem))
        if not joined:
            return []
        return self._tags.tokens(item.rpartition("/")[::2] for item in joined.split("\n"))
