"""soynlp: unsupervised word scores learned from the corpus itself.

``fit`` trains soynlp's WordExtractor: the cohesion of each word-initial
substring (how strongly its characters stick together) and the branching
entropy after it (how varied the next character is, high at a word's end).
A word's score combines the two; ``LTokenizer`` then splits every eojeol into
its best-scoring left part and the rest (``희망을`` -> ``희망 / 을``), or
``MaxScoreTokenizer`` picks the best-scoring substrings anywhere in it.

User words get a score above every learned one, so they always win. The
learned scores are saved as a TSV file (no pickle) and reused for queries.

soynlp 0.0.493 runs on Python 3.11 with numpy 2 and current scipy, with
three things worked around here:

* ``WordExtractor.train`` calls ``len()`` on its input and prints to stdout
  unless ``verbose_points=0``, so it is always 0 (that also lets it stream a
  corpus once, without loading it).
* ``import soynlp`` imports every submodule, scikit-learn and scipy included:
  about 2.5 s on the shared 2-core machine, paid by every worker process
  and every query.
  Tokenizing needs only ``soynlp/tokenizer/_tokenizer.py`` (numpy and the
  standard library), so that file is loaded on its own; training imports
  the package as usual.
* Its modules hold regexes with invalid escapes (``'\\d'``), which warn when
  compiled; the warnings are silenced during the import.
"""

from __future__ import annotations

import importlib.util
import math
import warnings
from collections.abc import Iterable
from pathlib import Path

from koembed.errors import MissingDependencyError
from koembed.tokenizers.trained import TrainableTokenizer, corrupt

SCORES_FILE = "scores.tsv"
MODES = ("l", "maxscore")
#: how cohesion C (forward) and right branching entropy H combine into one score
SCORE_FORMULAS = {
    "combined": lambda cohesion, entropy: cohesion * math.exp(entropy),
    "cohesion": lambda cohesion, entropy: cohesion,
    "branching": lambda cohesion, entropy: entropy,
}
# MaxScoreTokenizer's default longest candidate; longer user words raise it.
MAX_WORD_LENGTH = 10
_HEADER = "# word\tscore\tcohesion_forward\tright_branching_entropy\tfrequency"


def _missing() -> MissingDependencyError:
    return MissingDependencyError("soynlp", "soynlp", "the soynlp tokenizer")


def _word_extractor():
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DeprecationWarning)
            warnings.simplefilter("ignore", SyntaxWarning)
            from soynlp.word import WordExtractor
    except ImportError:
        raise _missing() from None
    return WordExtractor


_tokenizer_module = None


def _soynlp_tokenizers():
    """soynlp's ``LTokenizer`` and ``MaxScoreTokenizer``, without ``import soynlp``."""
    global _tokenizer_module
    if _tokenizer_module is None:
        package = importlib.util.find_spec("soynlp")  # finds it without importing it
        if package is None or not package.submodule_search_locations:
            raise _missing()
        path = Path(package.submodule_search_locations[0]) / "tokenizer" / "_tokenizer.py"
        if path.is_file():
            spec = importlib.util.spec_from_file_location("koembed._soynlp_tokenizer", path)
            module = importlib.util.module_from_spec(spec)
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                warnings.simplefilter("ignore", SyntaxWarning)
                spec.loader.exec_module(module)
        else:  # another soynlp layout: take the slow, ordinary import
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", DeprecationWarning)
                import soynlp.tokenizer as module
        _tokenizer_module = module
    return _tokenizer_module.LTokenizer, _tokenizer_module.MaxScoreTokenizer


class SoynlpTokenizer(TrainableTokenizer):
    """Eojeols split by word scores learned without supervision.

    Options:
        min_frequency: a substring seen fewer times gets no score.
        soynlp_mode: ``l`` (left part + rest of each eojeol, LTokenizer) or
            ``maxscore`` (best-scoring substrings anywhere, MaxScoreTokenizer).
        soynlp_score: ``combined`` (cohesion x exp(branching entropy), as
            soynlp's author recommends), ``cohesion`` or ``branching``.
    """

    name = "soynlp"
    library = "soynlp"
    defaults = {"min_frequency": 5, "soynlp_mode": "l", "soynlp_score": "combined"}
    minimums = {"min_frequency": 1}
    choices = {"soynlp_mode": MODES, "soynlp_score": tuple(SCORE_FORMULAS)}
    files = (SCORES_FILE,)

    def __init__(self, user_dict=None, **options):
        super().__init__(user_dict, **options)
        # word -> (score, cohesion_forward, right_branching_entropy, frequency)
        self.learned_: dict[str, tuple[float, float, float, int]] = {}

    def _fit(self, lines: Iterable[str]) -> None:
        WordExtractor = _word_extractor()
        extractor = WordExtractor(min_frequency=self.options["min_frequency"], verbose_points=0)
        extractor.train(lines)
        formula = SCORE_FORMULAS[self.options["soynlp_score"]]
        learned = {}
        for word, scores in extractor.extract().items():
            cohesion = float(scores.cohesion_forward)
            entropy = float(scores.right_branching_entropy)
            score = float(formula(cohesion, entropy))
            # A score of 0 is what unknown substrings get anyway; leaving
            # those out keeps the file small and changes no split.
            if score > 0:
                learned[word] = (score, cohesion, entropy, int(scores.leftside_frequency))
        self.learned_ = learned

    def _scores(self) -> dict[str, float]:
        scores = {word: values[0] for word, values in self.learned_.items()}
        top = max(scores.values(), default=0.0)
        given = [entry.score for entry in self.user_dict.entries if entry.score is not None]
        lowest = min(given, default=0.0)
        for entry in self.user_dict.entries:
            # Above every learned score; among user words, a higher dictionary
            # score still ranks higher.
            preference = (entry.score if entry.score is not None else lowest) - lowest
            scores[entry.word] = top + 1.0 + preference
        return scores

    def _setup(self) -> None:
        LTokenizer, MaxScoreTokenizer = _soynlp_tokenizers()
        scores = self._scores()
        if self.options["soynlp_mode"] == "l":
            self._tokenizer = LTokenizer(scores=scores)
        else:
            longest = max((len(word) for word in self.user_dict.words), default=0)
            self._tokenizer = MaxScoreTokenizer(
                scores=scores, max_length=max(MAX_WORD_LENGTH, longest)
            )

    def _tokenize(self, text: str) -> list[str]:
        return self._tokenizer.tokenize(text)

    def _save_state(self, directory: Path) -> None:
        rows = sorted(self.learned_.items(), key=lambda item: (-item[1][0], item[0]))
        with open(directory / SCORES_FILE, "w", encoding="utf-8", newline="\n") as out:
            out.write(_HEADER + "\n")
            for word, (score, cohesion, entropy, frequency) in rows:
                # repr() round-trips a float exactly: reloaded scores split identically.
                out.write(f"{word}\t{score!r}\t{cohesion!r}\t{entropy!r}\t{frequency}\n")

    def _load_state(self, directory: Path) -> None:
        learned = {}
        path = directory / SCORES_FILE
        with open(path, encoding="utf-8", newline="\n") as handle:
            for lineno, line in enumerate(handle, start=1):
                if line.startswith("#"):
                    continue
                fields = line.rstrip("\n").split("\t")
                try:
                    word, score, cohesion, entropy, frequency = fields
                    learned[word] = (float(score), float(cohesion), float(entropy), int(frequency))
                except ValueError:
                    raise corrupt(directory, f"{SCORES_FILE} line {lineno} is not valid") from None
        self.learned_ = learned
