"""koembed shell: load a model once, then ask it questions line by line."""

from __future__ import annotations

import contextlib
import io
import sys
import time
from collections.abc import Callable, Iterator

import typer

from koembed.cli._app import app
from koembed.cli._display import stderr, stdout
from koembed.cli._queries import MODEL, TRUST, explain, ranked_table
from koembed.errors import BadInputError, KoembedError
from koembed.evaluate import (
    ANALOGY_METHODS,
    analogy_resolved,
    doesnt_match_resolved,
    similarity_resolved,
)
from koembed.models import Embeddings, load, word_vectors_of

HELP = """\
  similar W [W ...] [-NEG ...]   nearest words (a bare line of words does the same)
  analogy A B C [3cosmul]        A is to B as C is to ?
  similarity W1 W2               cosine similarity
  doesnt-match W W W ...         the odd one out
  topn N                         answers per question (now {topn})
  help | quit"""


class Shell:
    """Reads commands from ``read`` and answers them on the terminal."""

    def __init__(self, model: Embeddings, topn: int = 10):
        self.model = model
        self.topn = topn
        self.commands: dict[str, Callable[[list[str]], None]] = {
            "similar": self.similar,
            "s": self.similar,
            "analogy": self.analogy,
            "a": self.analogy,
            "similarity": self.similarity,
            "sim": self.similarity,
            "doesnt-match": self.doesnt_match,
            "topn": self.set_topn,
            "help": self.help,
            "?": self.help,
        }

    def run(self, read: Callable[[str], str]) -> None:
        while True:
            try:
                line = read("koembed> ")
            except EOFError:
                break
            words = line.split()
            if not words:
                continue
            if words[0] in ("quit", "exit", "q"):
                break
            command = self.commands.get(words[0])
            try:
                if command is None:
                    self.similar(words)
                else:
                    command(words[1:])
            except KoembedError as error:
                stderr.print(f"error: {error}", markup=False, soft_wrap=True)

    def similar(self, words: list[str]) -> None:
        negative = [w[1:] for w in words if w.startswith("-") and len(w) > 1]
        positive = [w for w in words if not (w.startswith("-") and len(w) > 1)]
        if not positive:
            raise BadInputError("similar needs a word: similar 영화 (or: similar 왕 여자 -남자)")
        neighbours, resolved = self.model.most_similar_resolved(positive, negative, self.topn)
        explain(resolved, self.model)
        stdout.print(ranked_table(neighbours))

    def analogy(self, words: list[str]) -> None:
        method = "3cosadd"
        if words and words[-1] in ANALOGY_METHODS:
            method = words.pop()
        if len(words) != 3:
            raise BadInputError("analogy needs three words: analogy 남자 왕 여자 [3cosmul]")
        result = analogy_resolved(self.model, *words, method=method, topn=self.topn)
        explain(result.resolved, self.model)
        stdout.print(ranked_table(result.answers, score=method))

    def similarity(self, words: list[str]) -> None:
        if len(words) != 2:
            raise BadInputError("similarity needs two words: similarity 영화 드라마")
        result = similarity_resolved(self.model, *words)
        explain(result.resolved, self.model)
        stdout.print(f"{result.cosine:.4f}")

    def doesnt_match(self, words: list[str]) -> None:
        result = doesnt_match_resolved(self.model, words)
        explain(result.resolved, self.model)
        stdout.print(f"odd one out: {result.odd}", markup=False)

    def set_topn(self, words: list[str]) -> None:
        # isdecimal, not isdigit: '²' is a digit that int() refuses.
        if len(words) != 1 or not words[0].isdecimal() or int(words[0]) < 1:
            raise BadInputError("topn needs a number of 1 or more: topn 20")
        self.topn = int(words[0])

    def help(self, words: list[str]) -> None:
        stdout.print(HELP.format(topn=self.topn), markup=False)


@contextlib.contextmanager
def _line_editing() -> Iterator[None]:
    """Arrow keys and a history kept across sessions, when a person is typing."""
    if not sys.stdin.isatty():
        yield
        return
    try:
        import readline
    except ImportError:  # Windows without pyreadline
        yield
        return
    from koembed.resources import cache_dir

    history = cache_dir() / "shell_history"
    with contextlib.suppress(OSError):
        readline.read_history_file(history)
    readline.set_history_length(1000)
    try:
        yield
    finally:
        with contextlib.suppress(OSError):
            history.parent.mkdir(parents=True, exist_ok=True)
            readline.write_history_file(history)


@app.command(epilog="Example: koembed shell --model models/w2v   (then: 왕 여자 -남자)")
def shell(
    model_path: str = MODEL,
    trust: bool = TRUST,
    topn: int = typer.Option(10, "--topn", "-n", help="Answers per question."),
) -> None:
    """Load a model once and answer similar / analogy / similarity lines interactively."""
    if topn < 1:
        raise BadInputError(f"--topn must be 1 or more, got {topn}")
    start = time.perf_counter()
    model = load(model_path, trust=trust)
    words = word_vectors_of(model)
    stderr.print(
        f"{model!r} loaded in {1000 * (time.perf_counter() - start):.0f} ms; "
        f"'help' lists the commands, Ctrl-D quits",
        markup=False,
    )
    if isinstance(sys.stdin, io.TextIOWrapper):
        # A byte that is not UTF-8 (a legacy terminal, a pasted file) becomes
        # a replacement character in the query instead of ending the shell.
        sys.stdin.reconfigure(errors="replace")
    with _line_editing():
        Shell(words, topn).run(input)
