"""SentencePiece: a unigram or BPE subword model trained on the corpus.

Pieces keep SentencePiece's ``▁`` marking a word start (``▁희망``, ``을``).
User words become ``user_defined_symbols`` at training time, each twice:
``▁word`` for the word at a word start and ``word`` inside an eojeol; with
only the bare form, a word-initial user word would leave a stray ``▁`` piece
before it. The trained model file is saved and reused for queries.
"""

from __future__ import annotations

import io
import os
import re
from collections.abc import Iterable
from pathlib import Path

from koembed.errors import BadInputError, MissingDependencyError
from koembed.tokenizers.trained import TrainableTokenizer, corrupt

MODEL_FILE = "sentencepiece.model"
MODEL_TYPES = ("unigram", "bpe")
# Pieces SentencePiece reserves for itself (<unk> only: bos/eos are turned off).
RESERVED_PIECES = 1
# Lines longer than this (bytes) are left out of training by SentencePiece;
# its default of 4192 would drop long law or news paragraphs.
MAX_SENTENCE_BYTES = 1 << 16
# SentencePiece's complaints about vocab_size, and what to tell the user instead.
_VOCABULARY_SIZE_ERRORS = (
    (
        re.compile(r"Vocabulary size too high \((\d+)\)\. Please set it to a value <= (\d+)"),
        "vocab_size {0} is too large for this corpus: sentencepiece can make at most {1} "
        "pieces from it; pass vocab_size {1} or less, or train on more text",
        ("vocab_size",),
    ),
    (
        re.compile(r"Vocabulary size is smaller than required_chars\. (\d+) vs (\d+)"),
        "vocab_size {0} is too small for this corpus: its characters alone need {1} pieces; "
        "pass vocab_size {1} or more, or a lower character_coverage",
        ("vocab_size", "character_coverage"),
    ),
)


def _import_sentencepiece():
    try:
        import sentencepiece
    except ImportError:
        raise MissingDependencyError(
            "sentencepiece", "sentencepiece", "the sentencepiece tokenizer"
        ) from None
    return sentencepiece


class SentencePieceTokenizer(TrainableTokenizer):
    """Subword pieces from a SentencePiece model trained on the corpus.

    Options:
        vocab_size: pieces in the model (user words included).
        model_type: ``unigram`` or ``bpe``.
        character_coverage: share of characters the model covers; rarer ones
            are left out of the vocabulary (0.9995 suits Korean's large set).
    """

    name = "sentencepiece"
    library = "sentencepiece"
    defaults = {"vocab_size": 8000, "model_type": "unigram", "character_coverage": 0.9995}
    choices = {"model_type": MODEL_TYPES}
    files = (MODEL_FILE,)

    def __init__(self, user_dict=None, **options):
        super().__init__(user_dict, **options)
        self.model_: bytes | None = None  # the serialized ModelProto

    def validate(self) -> None:
        super().validate()
        needed = RESERVED_PIECES + 2 * len(self.user_dict) + 1
        if self.options["vocab_size"] < needed:
            raise BadInputError(
                f"vocab_size must be at least {needed} (the reserved piece and two per user "
                f"word, plus one), got {self.options['vocab_size']}",
                parameters=("vocab_size",),
            )
        coverage = self.options["character_coverage"]
        if not 0 < coverage <= 1:
            raise BadInputError(
                f"character_coverage must be in (0, 1], got {coverage}",
                parameters=("character_coverage",),
            )

    def _user_symbols(self) -> list[str]:
        return [form for word in self.user_dict.words for form in (f"▁{word}", word)]

    def _fit(self, lines: Iterable[str]) -> None:
        spm = _import_sentencepiece()
        writer = io.BytesIO()
        try:
            # SentencePiece keeps the sentences in memory to train (it needs
            # them all for its statistics); koembed only streams them in.
            spm.SentencePieceTrainer.train(
                sentence_iterator=(" ".join(line.split()) for line in lines),
                model_writer=writer,
                vocab_size=self.options["vocab_size"],
                model_type=self.options["model_type"],
                character_coverage=self.options["character_coverage"],
                user_defined_symbols=self._user_symbols(),
                # koembed's own normalizer chain ran already; SentencePiece's
                # default NFKC would turn compatibility jamo (ㅋㅋ) into
                # conjoining jamo and make queries differ from the corpus.
                normalization_rule_name="identity",
                bos_id=-1,
                eos_id=-1,
                max_sentence_length=MAX_SENTENCE_BYTES,
                num_threads=os.cpu_count() or 1,
                minloglevel=2,
            )
        except RuntimeError as error:
            for pattern, advice, parameters in _VOCABULARY_SIZE_ERRORS:
                match = pattern.search(str(error))
                if match:
                    said = advice.format(*match.groups())
                    raise BadInputError(said, parameters=parameters) from None
            raise
        self.model_ = writer.getvalue()

    def _setup(self) -> None:
        spm = _import_sentencepiece()
        self._processor = spm.SentencePieceProcessor(model_proto=self.model_)

    def _tokenize(self, text: str) -> list[str]:
        return self._processor.encode(" ".join(text.split()), out_type=str)

    def _save_state(self, directory: Path) -> None:
        (directory / MODEL_FILE).write_bytes(self.model_)

    def _load_state(self, directory: Path) -> None:
        spm = _import_sentencepiece()
        model = (directory / MODEL_FILE).read_bytes()
        try:
            spm.SentencePieceProcessor(model_proto=model)
        except RuntimeError:
            raise corrupt(directory, f"{MODEL_FILE} is not a SentencePiece model") from None
        self.model_ = model
