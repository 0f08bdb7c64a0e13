"""Kiwi (kiwipiepy): a fast C++ morphological analyzer with a built-in model.

Kiwi's tag set is the Sejong set mecab-ko also uses, plus a few of its own
(SP, SO, SW, SB, W_URL, W_EMAIL, W_HASHTAG, W_MENTION, W_SERIAL, W_EMOJI,
Z_CODA, Z_SIOT, ...). Irregular predicates carry a suffix (``걷/VV-I``);
``keep_pos`` compares the tag without it.
"""

from __future__ import annotations

import logging

from koembed.errors import BadInputError, MissingDependencyError
from koembed.tokenizers._pos import check_user_tags, parse_keep_pos
from koembed.tokenizers.base import Tokenizer

log = logging.getLogger(__name__)

# One Kiwi per user dictionary and process: loading its model takes a second
# or more, and a model answering queries may rebuild its tokenizer often.
_kiwis: dict[tuple, object] = {}

# Every tag kiwipiepy 0.24 knows (its add_user_word accepts exactly these).
KIWI_TAGS = frozenset(
    "NNG NNP NNB NR NP VV VA VX VCP VCN MM MAG MAJ IC JKS JKC JKG JKO JKB JKV JKQ JX JC "
    "EP EF EC ETN ETM XPN XSN XSV XSA XSM XR SF SP SS SSO SSC SE SO SW SL SH SN SB UN "
    "W_URL W_EMAIL W_HASHTAG W_MENTION W_SERIAL W_EMOJI Z_CODA Z_SIOT "
    "USER0 USER1 USER2 USER3 USER4".split()
)


class KiwiTokenizer(Tokenizer):
    """Morphemes from Kiwi: ``희망을`` -> ``희망 / 을``.

    Options:
        pos: emit ``token/TAG`` (``희망/NNG``) so homographs stay apart.
        keep_pos: keep only these tags, e.g. ``"NNG,NNP"`` for nouns.
        normalize_coda: split a consonant typed onto a syllable before
            ``ㅋㅋ``-like runs (``했닼ㅋㅋ`` is read as ``했다 + ㅋㅋㅋ``).
        split_complex: split compound words Kiwi knows (``고마움`` -> ``고맙 / 음``).

    User words are added with ``add_user_word`` under their POS; a score,
    when given, is Kiwi's own preference score (higher = preferred).
    """

    name = "kiwi"
    defaults = {"pos": False, "keep_pos": None, "normalize_coda": False, "split_complex": False}

    def validate(self) -> None:
        super().validate()
        if self.options["keep_pos"] is not None:
            self.options["keep_pos"] = parse_keep_pos(self.options["keep_pos"], "Kiwi", KIWI_TAGS)
        check_user_tags(self.user_dict, "Kiwi", KIWI_TAGS)

    def _setup(self) -> None:
        key = self.user_dict.entries
        if key not in _kiwis:
            _kiwis[key] = self._load()
        self._kiwi = _kiwis[key]
        self._flags = {
            "normalize_coda": bool(self.options["normalize_coda"]),
            "split_complex": bool(self.options["split_complex"]),
        }
        keep = self.options["keep_pos"]
        self._keep = frozenset(keep) if keep else None
        self._with_pos = bool(self.options["pos"])

    def _load(self):
        try:
            from kiwipiepy import Kiwi
        except ImportError:
            raise MissingDependencyError("kiwipiepy", "kiwi", "the kiwi tokenizer") from None
        kiwi = Kiwi()
        # Kiwi builds its analyser lazily on first use (even reading a
        # property can trigger it), and a word added after that may have no
        # effect: so user words go in before anything else touches it.
        for entry in self.user_dict.entries:
            score = 0.0 if entry.score is None else entry.score
            try:
                kiwi.add_user_word(entry.word, entry.pos, score)
            except ValueError as error:
                raise BadInputError(
                    f"user dictionary {self.user_dict.source}: Kiwi refused "
                    f"{entry.word}/{entry.pos} ({error})"
                ) from None
        return kiwi

    def _tokenize(self, text: str) -> list[str]:
        tokens = []
        for token in self._kiwi.tokenize(text, **self._flags):
            form = token.form
            # Multi-word dictionary entries may hold a space; a token in the
            # tokenized file must not.
            if " " in form:
                form = form.replace(" ", "_")
            if self._keep is not None and token.tag.partition("-")[0] not in self._keep:
                continue
            tokens.append(f"{form}/{token.tag}" if self._with_pos else form)
        return tokens
