"""BPE and WordPiece from Hugging Face ``tokenizers``, trained on the corpus.

Both use SentencePiece's convention: spaces become ``▁`` and a piece that
starts a word carries it (``▁희망``, then ``을`` for BPE or ``##을`` for
WordPiece). The whole trained pipeline is saved as one JSON file and reused.

User words are added tokens, matched before the model sees the text, each in
two forms: ``▁word`` at a word start and ``word`` inside an eojeol. Two
details make that work:

* The pre-tokenizer is ``Metaspace(prepend_scheme="first")``: with the
  default ``"always"`` the text after an added token is treated as a new
  sentence and gets a spurious ``▁`` (``가우스전자`` / ``▁가``).
* Spaces become ``▁`` in the normalizer, so ``▁word`` can be matched; the
  leading ``▁`` is made by prepending a space to each line here rather than
  by a ``Prepend`` normalizer, which would also be applied to the bare
  ``word`` form and leave it unable to match inside an eojeol.

WordPiece training in ``tokenizers`` (0.23 included) is not reproducible: on
pairs with equal counts it may pick different merges from one run to the
next (huggingface/tokenizers#1794; BPE is not affected). koembed trains once
and saves the result, so the corpus, the workers and every query use the
same vocabulary; only retraining can give a slightly different one.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import ClassVar

from koembed.errors import MissingDependencyError
from koembed.tokenizers.trained import TrainableTokenizer, corrupt

TOKENIZER_FILE = "hf-tokenizer.json"
UNKNOWN = "[UNK]"
WORD_START = "▁"


def _import_tokenizers():
    try:
        import tokenizers
    except ImportError:
        raise MissingDependencyError(
            "tokenizers", "hf", "the bpe and wordpiece tokenizers"
        ) from None
    return tokenizers


def _prepared(text: str) -> str:
    # One space before every word, none doubled: see the module docstring.
    return " " + " ".join(text.split())


class _HFTokenizer(TrainableTokenizer):
    """Shared by ``bpe`` and ``wordpiece``; subclasses pick model and trainer."""

    library = "tokenizers"
    defaults = {"vocab_size": 8000, "min_frequency": 2}
    minimums = {"vocab_size": 2, "min_frequency": 1}
    files = (TOKENIZER_FILE,)

    def __init__(self, user_dict=None, **options):
        super().__init__(user_dict, **options)
        self.json_: str | None = None  # the whole trained tokenizer, serialized

    #: the ``tokenizers`` model and trainer classes (in ``tokenizers.models`` / ``.trainers``)
    model_name: ClassVar[str]
    trainer_name: ClassVar[str]

    def _model_and_trainer(self, tk):
        model = getattr(tk.models, self.model_name)(unk_token=UNKNOWN)
        trainer = getattr(tk.trainers, self.trainer_name)(
            vocab_size=self.options["vocab_size"],
            min_frequency=self.options["min_frequency"],
            special_tokens=[UNKNOWN],
            show_progress=False,
        )
        return model, trainer

    def _fit(self, lines: Iterable[str]) -> None:
        tk = _import_tokenizers()
        model, trainer = self._model_and_trainer(tk)
        tokenizer = tk.Tokenizer(model)
        tokenizer.normalizer = tk.normalizers.Replace(" ", WORD_START)
        tokenizer.pre_tokenizer = tk.pre_tokenizers.Metaspace(
            replacement=WORD_START, prepend_scheme="first"
        )
        tokenizer.decoder = tk.decoders.Metaspace(replacement=WORD_START, prepend_scheme="first")
        tokenizer.train_from_iterator((_prepared(line) for line in lines), trainer=trainer)
        # Added after training: added before it, some were not matched
        # afterwards (seen with tokenizers 0.23).
        tokenizer.add_tokens(
            [
                tk.AddedToken(form, normalized=True, single_word=False)
                for word in self.user_dict.words
                for form in (WORD_START + word, word)
            ]
        )
        self.json_ = tokenizer.to_str()

    def _setup(self) -> None:
        tk = _import_tokenizers()
        self._tokenizer = tk.Tokenizer.from_str(self.json_)

    def _tokenize(self, text: str) -> list[str]:
        if not text or text.isspace():
            return []
        return self._tokenizer.encode(_prepared(text), add_special_tokens=False).tokens

    def _save_state(self, directory: Path) -> None:
        (directory / TOKENIZER_FILE).write_text(self.json_, encoding="utf-8")

    def _load_state(self, directory: Path) -> None:
        tk = _import_tokenizers()
        text = (directory / TOKENIZER_FILE).read_text(encoding="utf-8")
        try:
            tk.Tokenizer.from_str(text)
        except Exception:  # the library raises plain Exception for a bad file
            raise corrupt(directory, f"{TOKENIZER_FILE} is not a tokenizers JSON file") from None
        self.json_ = text


class BPETokenizer(_HFTokenizer):
    """Byte-pair-encoding subwords (``▁희망``, ``을``).

    Options:
        vocab_size: subwords to learn (the characters seen count towards it).
        min_frequency: a pair seen fewer times is not merged.
    """

    name = "bpe"
    model_name = "BPE"
    trainer_name = "BpeTrainer"


class WordPieceTokenizer(_HFTokenizer):
    """WordPiece subwords, BERT-style (``▁희망``, ``##을``); options as :class:`BPETokenizer`'s."""

    name = "wordpiece"
    model_name = "WordPiece"
    trainer_name = "WordPieceTrainer"
