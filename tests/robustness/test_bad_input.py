"""Every command meets bad input: a one-line error that names the problem and
a non-zero exit, never a traceback, or success where success is right.

One table of cases (command line, expected exit, expected fragment of the
message), each run through typer's CliRunner. ``{bad}`` is the folder of bad
inputs and damaged models (inputs.py), ``{out}`` a fresh folder for outputs.
Trainer cases are generated for every registered trainer that has a ``train``
subcommand, from its ``Param`` declarations, and the damaged-model cases for
every command that loads a model; ``test_every_command_has_cases`` fails
when a command has none.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass

import pytest
import typer
from typer.testing import CliRunner

from koembed.cli import app
from koembed.registry import TRAINERS
from tests.robustness.inputs import HUGE_LINE_BYTES

OK, ERROR, USAGE = 0, 1, 2


@dataclass(frozen=True)
class Case:
    argv: tuple[str, ...]
    exit: int
    fragment: str
    stdin: str | bytes | None = None


def case(args: str | list[str], exit: int, fragment: str, stdin: str | bytes | None = None):
    argv = tuple(shlex.split(args) if isinstance(args, str) else args)
    return Case(argv, exit, fragment, stdin)


def cli_commands() -> list[tuple[str, ...]]:
    """Every leaf command of the CLI, e.g. ('train', 'glove')."""

    def walk(command, prefix: tuple[str, ...]):
        subcommands = getattr(command, "commands", None)
        if not subcommands:
            yield prefix
            return
        for name, sub in sorted(subcommands.items()):
            yield from walk(sub, (*prefix, name))

    return list(walk(typer.main.get_command(app), ()))


# -- tokenize --------------------------------------------------------------------

TOKENIZE = [
    case("tokenize {bad}/empty.txt -o {out}/t", ERROR, "gave no tokens (0 lines read)"),
    case("tokenize {bad}/blank.txt -o {out}/t", ERROR, "gave no tokens"),
    case("tokenize {bad}/huge_line.txt -o {out}/t -t whitespace", OK, ": 1 line,"),
    case("tokenize {bad}/long_korean_line.txt -o {out}/t", OK, ": 1 line,"),
    case("tokenize {bad}/nul.txt -o {out}/t", OK, "wrote"),
    case("tokenize {bad}/nul.txt -o {out}/t -t whitespace", OK, "wrote"),
    case(
        "tokenize {bad}/bad_utf8.txt -o {out}/t", ERROR, "bad_utf8.txt:3: bytes not valid in utf-8"
    ),
    case(
        "tokenize {bad}/bad_utf8.txt -o {out}/t --errors replace",
        OK,
        "(2 with bytes not valid in the encoding replaced)",
    ),
    case(
        "tokenize {bad}/bad_utf8.txt -o {out}/t --errors skip",
        OK,
        "(2 with bytes not valid in the encoding left out)",
    ),
    case("tokenize {bad}/cp949.txt -o {out}/t", ERROR, "cp949.txt:1: bytes not valid in utf-8"),
    case("tokenize {bad}/cp949.txt -o {out}/t --encoding auto", OK, "wrote"),
    case("tokenize {bad}/cp949.txt -o {out}/t --encoding cp949", OK, "wrote"),
    case(
        "tokenize {bad}/cp949.txt -o {out}/t --encoding euc-kr",
        ERROR,
        "cp949.txt:1: bytes not valid in euc-kr",
    ),
    case("tokenize {bad}/euckr.txt -o {out}/t --encoding auto", OK, "wrote"),
    case("tokenize {bad}/euckr.txt -o {out}/t --encoding euc-kr", OK, "wrote"),
    case(
        "tokenize {bad}/latin1.txt -o {out}/t --encoding auto",
        ERROR,
        "latin1.txt: not recognised as UTF-8, cp949 or euc-kr; pass --encoding NAME",
    ),
    case("tokenize {bad}/utf16.txt -o {out}/t", ERROR, "utf16.txt is UTF-16 text"),
    case("tokenize {bad}/utf16.txt -o {out}/t --encoding auto", ERROR, "utf16.txt is UTF-16 text"),
    case("tokenize {bad}/nope.txt -o {out}/t --encoding nope", ERROR, "unknown encoding 'nope'"),
    case(
        "tokenize {bad}/truncated.gz -o {out}/t",
        ERROR,
        "truncated.gz: compressed data is damaged or truncated",
    ),
    case(
        "tokenize {bad}/truncated.xz -o {out}/t",
        ERROR,
        "truncated.xz: compressed data is damaged or truncated",
    ),
    case("tokenize {bad}/not_really.gz -o {out}/t", ERROR, "not_really.gz: compressed data"),
    case("tokenize {bad}/complete.gz -o {out}/t", OK, "wrote"),
    case("tokenize {bad}/mixed -o {out}/t", OK, "wrote"),
    case(
        "tokenize {bad}/mixed_cut_gz -o {out}/t",
        ERROR,
        "cut.gz: compressed data is damaged or truncated",
    ),
    case("tokenize {bad}/binary_only -o {out}/t", ERROR, "holds no text files"),
    case("tokenize {bad}/empty_dir -o {out}/t", ERROR, "holds no text files"),
    case("tokenize {bad}/binary.bin -o {out}/t", ERROR, "binary.bin:2: bytes not valid in utf-8"),
    case("tokenize {bad}/english.txt -o {out}/t", OK, "wrote"),
    case("tokenize {bad}/no_newline.txt -o {out}/t", OK, ": 1 line,"),
    case("tokenize {bad}/cr_only.txt -o {out}/t", OK, "wrote"),
    case("tokenize {bad}/nonexistent.txt -o {out}/t", ERROR, "does not exist"),
    case("tokenize {bad}/mixed -o {bad}/mixed/out.txt", ERROR, "would overwrite the input"),
    case(
        "tokenize {bad}/korean.txt -o {bad}/korean.txt --overwrite",
        ERROR,
        "would overwrite the input",
    ),
    case("tokenize {bad}/korean.txt -o {bad}/empty_dir", ERROR, "already exists"),
    case("tokenize {bad}/korean.txt -o {out}/t --workers 0", ERROR, "--workers must be 1 or more"),
    case("tokenize {bad}/korean.txt -o {out}/t --workers -1", ERROR, "--workers must be 1 or more"),
    case(
        "tokenize {bad}/korean.txt -o {out}/t --workers 100000", ERROR, "--workers 100000 is more"
    ),
    case("tokenize {bad}/korean.txt -o {out}/t --max-lines 0", ERROR, "--max-lines must be 1"),
    case("tokenize {bad}/korean.txt -o {out}/t --column 0", ERROR, "--column must be 1 or more"),
    case("tokenize {bad}/korean.txt -o {out}/t --column 5", ERROR, "korean.txt:1: has 1 field(s)"),
    case("tokenize {bad}/korean.txt -o {out}/t --tokenizer nope", ERROR, "unknown tokenizer"),
    case("tokenize {bad}/korean.txt -o {out}/t --normalize nope", ERROR, "unknown normalizer"),
    case(
        "tokenize {bad}/korean.txt -o {out}/t --user-dict {bad}/binary.bin",
        ERROR,
        "is not UTF-8",
    ),
    case("tokenize {bad}/korean.txt -o {out}/t --user-dict {bad}/empty.txt", OK, "wrote"),
    case(
        "tokenize {bad}/korean.txt -o {out}/t --tokenizer-model {bad}/mixed",
        ERROR,
        "is not a trained tokenizer",
    ),
    case(
        "tokenize {bad}/korean.txt -o {out}/t -t sentencepiece --vocab-size 0",
        ERROR,
        "--vocab-size must be at least 2",
    ),
    case(
        "tokenize {bad}/korean.txt -o {out}/t -t sentencepiece --vocab-size 100000000",
        ERROR,
        "--vocab-size 100000000 is too large for this corpus",
    ),
    case(
        "tokenize {bad}/korean.txt -o {out}/t -t sentencepiece --character-coverage 2",
        ERROR,
        "--character-coverage must be in (0, 1]",
    ),
    case(
        "tokenize {bad}/korean.txt -o {out}/t -t bpe --min-frequency -1",
        ERROR,
        "--min-frequency must be 1 or more",
    ),
    case(
        "tokenize {bad}/korean.txt -o {out}/t -t soynlp --min-frequency 0",
        ERROR,
        "--min-frequency must be 1 or more",
    ),
    case("tokenize {bad}/nul.txt -o {out}/t -t sentencepiece --vocab-size 80", OK, "wrote"),
    case("tokenize {bad}/nul.txt -o {out}/t -t soynlp", OK, "wrote"),
    case("tokenize '{bad}/mixed/*.txt' -o {bad}/mixed/out.txt", ERROR, "matches the input pattern"),
    case("tokenize - -o {out}/t", ERROR, "gave no tokens", stdin=b""),
    case("tokenize - -o {out}/t", ERROR, "-:2: bytes not valid in utf-8", stdin=b"ok\n\xff\xfe\n"),
    case("tokenize - -o {out}/t", OK, "wrote", stdin="대한민국\x00은\n".encode()),
]


# -- train METHOD: generated for every trainer -------------------------------------

# A parameter, the CLI flag for it, and values that are wrong or absurd.
BAD_PARAMS = {
    "dim": [0, -1, 10**9],
    "window": [0, -3, 10**9],
    "min_count": [0, -2, 10**9],
    "epochs": [0, -1, 10**9],
    "workers": [0, 10**9],
}


def _small(params: dict) -> str:
    """Options that keep a trainer fast on the small inputs."""
    small = {"min_count": 1, "dim": 8, "epochs": 1, "bucket": 1000}
    return " ".join(
        f"--{name.replace('_', '-')} {value}" for name, value in small.items() if name in params
    )


def _param_case(method: str, params: dict, name: str, value: int):
    spec = params[name]
    flag = f"--{name.replace('_', '-')}"
    # A small n-gram table: gensim allocates it before it finds no word frequent enough.
    bucket = " --bucket 1000" if "bucket" in params else ""
    args = f"train {method} {{bad}}/tokens.txt -o {{out}}/m {flag} {value}{bucket}"
    # The library names the parameter; the CLI shows the flag.
    if spec.low is not None and value < spec.low:
        return case(args, ERROR, f"{flag}({value}) must be >= {spec.low}")
    if spec.high is not None and value > spec.high:
        return case(args, ERROR, f"{flag}({value}) must be <= {spec.high}")
    if name == "min_count":  # allowed, but no word is that frequent
        return case(args, ERROR, f"{value} times or more")
    raise AssertionError(f"no expectation for {method} {name}={value}")


def trainer_cases() -> list[Case]:
    methods = [command[1] for command in cli_commands() if command[0] == "train"]
    cases = []
    for method in methods:
        params = TRAINERS.get(method).params
        small = _small(params)

        def train(
            corpus: str, more: str = "", out: str = "{out}/m", *, method=method, small=small
        ) -> str:
            return f"train {method} {{bad}}/{corpus} -o {out} {small} {more}".strip()

        cases += [
            case(train("empty.txt"), ERROR, "empty.txt is empty"),
            case(train("blank.txt"), ERROR, "blank.txt holds no tokens (only blank lines)"),
            case(train("nul.txt"), ERROR, "nul.txt looks like a binary file"),
            case(train("binary.bin"), ERROR, "binary.bin looks like a binary file"),
            case(train("bad_utf8.txt"), ERROR, "bad_utf8.txt:3: bytes not valid in UTF-8"),
            case(train("cp949.txt"), ERROR, "cp949.txt:1: bytes not valid in UTF-8"),
            case(train("truncated.gz"), ERROR, "truncated.gz is gzip-compressed"),
            case(train("truncated.xz"), ERROR, "truncated.xz is xz-compressed"),
            case(train("mixed"), ERROR, "mixed is a folder"),
            case(train("nonexistent.txt"), ERROR, "does not exist"),
            case(train("english.txt"), OK, "saved"),
            case(train("tokens.txt", out="{bad}/tokens.txt/m"), ERROR, "would overwrite the input"),
            case(
                train("tokens.txt", "--overwrite", out="{bad}/tokens.txt"),
                ERROR,
                "would overwrite the input",
            ),
        ]
        # One 50 MB line: LSA's documents are lines, and one document is too few.
        # fastText's n-grams cost per character, not per line: left out here.
        more = "--maxn 0" if method == "fasttext" else ""
        if method in ("lsa", "lsa-doc"):
            cases.append(case(train("huge_line.txt"), ERROR, "documents(1)"))
        elif method == "lda":  # in one document, every word is in all documents
            cases.append(case(train("huge_line.txt"), ERROR, "is kept (--min-count"))
        else:
            cases.append(case(train("huge_line.txt", more), OK, "saved"))
        for name, values in BAD_PARAMS.items():
            if name in params:
                cases += [_param_case(method, params, name, value) for value in values]
    return cases


# -- commands that load a model ---------------------------------------------------

MODEL_COMMANDS = {
    "similar": ("similar 국민은 --model {model}", None),
    "similarity": ("similarity 국민은 법 --model {model}", None),
    "analogy": ("analogy 국민은 법 모든 --model {model}", None),
    "doesnt-match": ("doesnt-match 국민은 법 모든 --model {model}", None),
    "vocab": ("vocab --model {model}", None),
    "export": ("export --model {model} -o {out}/e", None),
    "plot": ("plot 국민은 법 모든 --model {model} -o {out}/p.png", None),
    "plot-similarity": ("plot-similarity 국민은 법 --model {model} -o {out}/h.png", None),
    "evaluate": ("evaluate --model {model} --ws353 {bad}/ws.csv", None),
    "shell": ("shell --model {model}", "국민은\n"),
    # Writes its index into a good model, so only the damaged ones here (test_index.py).
    "index": ("index --model {model}", None),
}
WRITE_INTO_THE_MODEL = ("index",)

# Damaged model (inputs.py) -> what the error names.
DAMAGED = {
    "model_no_vocab": "incomplete: vocab.txt is missing",
    "model_no_vectors": "incomplete: vectors.npy is missing",
    "model_no_meta": "not a koembed model directory (no koembed.json)",
    "model_truncated_vectors": "vectors.npy is corrupt",
    "model_garbage_vectors": "vectors.npy is corrupt (not a .npy array file)",
    "model_empty_vectors": "vectors.npy is corrupt",
    "model_pickled_vectors": "vectors.npy is corrupt",
    "model_wrong_shape": "inconsistent: 27 words in vocab.txt but vectors of shape (3, 8)",
    "model_vectors_1d": "inconsistent",
    "model_truncated_unit": "vectors.norm.npy is corrupt",
    "model_bad_meta": "koembed.json is not valid JSON",
    "model_meta_list": "holds a JSON list, not the model's metadata object",
    "model_bad_vocab": "vocab.txt is not UTF-8",
    "model_vocab_short": "vocab.txt",
    "model_fifo_vectors": "vectors.npy is not a regular file",
    "model_zero_vocab": "vocab.txt is not a regular file",
    "model_fifo_unit": "vectors.norm.npy is corrupt (not a regular file)",
    "vectors_empty.txt": "vectors_empty.txt is empty",
    "vectors_garbage.txt": "cannot read",
    "vectors_bad_utf8.txt": "cannot read",
    "vectors_truncated.bin": "its header promises 27 words x 8 dims",
    "vectors_binary.bin": "its header promises 10 words x 8 dims",
    "vectors_huge_header.txt": "its header promises 2,000,000,000 words x 300 dims",
    "vectors_huge_header.bin": "its header promises 2,000,000,000 words x 300 dims",
    "not_a_model": "not a koembed model directory",
    "empty_dir": "not a koembed model directory",
    "binary.bin": "cannot read",
    "korean.txt": "cannot read",
    "nonexistent": "no model at",
}


def model_cases() -> list[Case]:
    cases = []
    for command, (template, stdin) in MODEL_COMMANDS.items():
        for name, fragment in DAMAGED.items():
            args = template.replace("{model}", f"{{bad}}/{name}")
            cases.append(case(args, ERROR, fragment, stdin))
        if command not in WRITE_INTO_THE_MODEL:
            good = template.replace("{model}", "{bad}/model")
            cases.append(case(good, OK, "", stdin))
    return cases


M = "--model {bad}/model"
QUERIES = [
    case(f"similar '' {M}", ERROR, "is not in the model's vocabulary"),
    case(["similar", "\x1b[31m", "--model", "{bad}/model"], ERROR, "not in the model's vocabulary"),
    case(["similar", "\udcff\udcfe", "--model", "{bad}/model"], ERROR, "not in the model's"),
    case(
        ["similar", "국민은\x00", "--model", "{bad}/model"], OK, "국민은\\x00 -> 국민은 (tokenized"
    ),
    case(f"similar 국민은 {M} --topn 0", ERROR, "--topn must be 1 or more, got 0"),
    case(f"similar 국민은 {M} --topn -1", ERROR, "--topn must be 1 or more, got -1"),
    case(f"similar 국민은 {M} --topn 1000000000", OK, ""),
    case(f"similar 국민은 {M} --restrict-vocab 0", ERROR, "--restrict-vocab must be 1 or more"),
    case(f"similar 국민은 {M} --restrict-vocab 1000000000", OK, ""),
    case(f"similar --negative 국민은 {M}", ERROR, "give at least one word"),
    case("embed 국민 --model {bad}/nowhere -o {out}/v.npy", ERROR, "no model at"),
    case(
        "embed --model {bad}/documents -o {out}/v.npy",
        ERROR,
        "give the texts as arguments or --input",
    ),
    case(
        "embed 국민 --model {bad}/model -o {out}/v.npy",
        ERROR,
        "holds word vectors (word2vec), not documents",
    ),
    case("embed 국민 --model {bad}/documents -o {out}/v.csv", ERROR, "name it .npy"),
    case(
        "embed --model {bad}/documents --input {bad}/bad_utf8.txt -o {out}/v.npy",
        ERROR,
        "bad_utf8.txt:3: bytes not valid in utf-8",
    ),
    case("embed --model {bad}/documents --input {bad}/korean.txt -o {out}/v.tsv", OK, "wrote"),
    case(
        "embed --model {bad}/model_no_vectors --input {bad}/korean.txt -o {out}/v.tsv",
        ERROR,
        "incomplete",
    ),
    case(
        "evaluate-docs --model {bad}/documents --labels {bad}/nowhere.tsv", ERROR, "does not exist"
    ),
    case("evaluate-docs --model {bad}/documents --labels {bad}/empty.txt", ERROR, "0 labels for"),
    case("evaluate-docs --model {bad}/model --labels {bad}/korean.txt", ERROR, "not documents"),
    case(
        "evaluate-docs --model {bad}/documents --labels {bad}/bad_utf8.txt --label-column 2",
        ERROR,
        "has 1 field(s) (split at '\\t') but --label-column 2 was asked for",
    ),
    case(
        "evaluate-docs --model {bad}/documents --labels {bad}/korean.txt --label-column 0",
        ERROR,
        "--label-column must be 1 or more",
    ),
    case("similar 국민은 --model {bad}/model_nan_vectors", ERROR, "hold NaN or infinity"),
    case("vocab --model {bad}/model_nan_vectors", OK, "27 words"),
    case("similar 국민은 --model {bad}/model_no_unit", OK, ""),
    case("similar 없는말 --model {bad}/model_bad_pipeline", ERROR, "unknown tokenizer 'nope'"),
    case(f"similarity 국민은 {M}", USAGE, "Missing argument"),
    case(f"similarity 국민은 없는말 {M}", ERROR, "'없는말' is not in the model's vocabulary"),
    case(f"analogy 국민은 법 {M}", USAGE, "Missing argument"),
    case(f"analogy 국민은 법 모든 {M} --topn 0", ERROR, "--topn must be 1 or more"),
    case(f"analogy 국민은 법 모든 {M} --method nope", ERROR, "unknown analogy method"),
    case(f"doesnt-match 국민은 {M}", ERROR, "needs at least 2 words, got 1"),
    case(f"vocab {M} --top 0", ERROR, "--top must be 1 or more, got 0"),
    case(f"vocab {M} --top -1", ERROR, "--top must be 1 or more, got -1"),
    case(f"vocab {M} --top 1000000000", OK, "27 words"),
    case(f"export {M} -o {{bad}}/model/e", ERROR, "would overwrite the input"),
    case(f"export {M} -o {{bad}}/model --overwrite", ERROR, "would overwrite the input"),
    case(f"export {M} -o {{out}}/e --top 0", ERROR, "--top must be 1 or more"),
    case(f"export {M} -o {{out}}/e --format nope", ERROR, "unknown export format 'nope'"),
    case(f"plot 국민은 법 {M} -o {{out}}/p.txt", ERROR, "cannot tell the picture format"),
    case(f"plot 국민은 법 {M} -o {{bad}}/model/p.png", ERROR, "would overwrite the input"),
    case(f"plot {M} -o {{out}}/p.png --top 0", ERROR, "choose the words one way"),
    case(f"plot {M} -o {{out}}/p.png --top 1", ERROR, "needs at least 2 words, got 1"),
    case(f"plot {M} -o {{out}}/p.png --top 1000000000", OK, "wrote"),
    case(f"plot {M} -o {{out}}/p.html --top 3 --method tsne", ERROR, "needs at least 5 words"),
    case(f"plot {M} -o {{out}}/p.png --top 5 --method nope", ERROR, "unknown projection method"),
    case(f"plot {M} -o {{out}}/p.png --neighbours 없는말", ERROR, "not in the model's vocabulary"),
    case(f"plot {M} -o {{out}}/p.png --neighbours 국민은 --topn 0", ERROR, "--topn must be 1"),
    case(f"plot-similarity 국민은 {M} -o {{out}}/h.png", ERROR, "needs at least 2 words, got 1"),
    case(f"plot-similarity 국민은 법 {M} -o {{bad}}/model/h.png", ERROR, "overwrite the input"),
    case(f"shell {M} --topn 0", ERROR, "--topn must be 1 or more, got 0"),
    case(f"shell {M}", OK, "topn needs a number of 1 or more", stdin="topn ²\nquit\n"),
    case(f"shell {M}", OK, "vocabulary", stdin="\x00\x1b[31m\nanalogy a\n"),
    case(f"shell {M}", OK, "", stdin=b"\xff\xfe\n\n"),
    case(f"evaluate {M}", ERROR, "nothing to evaluate"),
    case(f"evaluate {M} --ws353 {{bad}}/empty.txt", ERROR, "empty.txt has no word pairs"),
    case(f"evaluate {M} --ws353 {{bad}}/blank.txt", ERROR, "blank.txt has no word pairs"),
    case(f"evaluate {M} --ws353 {{bad}}/binary.bin", ERROR, "binary.bin is not UTF-8 text"),
    case(f"evaluate {M} --ws353 {{bad}}/bad_utf8.txt", ERROR, "bad_utf8.txt is not UTF-8 text"),
    case(f"evaluate {M} --ws353 {{bad}}/cp949.txt", ERROR, "cp949.txt is not UTF-8 text"),
    case(f"evaluate {M} --ws353 {{bad}}/nul.txt", ERROR, "nul.txt:1: expected word1,word2,score"),
    case(f"evaluate {M} --ws353 {{bad}}/huge_line.txt", ERROR, "huge_line.txt:1: field larger"),
    case(f"evaluate {M} --ws353 {{bad}}/mixed", ERROR, "no test file"),
    case(f"evaluate {M} --analogy {{bad}}/empty.txt", ERROR, "empty.txt has no analogy items"),
    case(f"evaluate {M} --analogy {{bad}}/blank.txt", ERROR, "blank.txt has no analogy items"),
    case(f"evaluate {M} --analogy {{bad}}/binary.bin", ERROR, "binary.bin is not UTF-8 text"),
    case(f"evaluate {M} --analogy {{bad}}/korean.txt", ERROR, "korean.txt:1: expected four words"),
    case(f"evaluate {M} --analogy {{bad}}/analogy.txt", OK, ""),
    case(f"evaluate {M} --analogy {{bad}}/analogy.txt --topk 0", ERROR, "--topk must be 1"),
    case(f"evaluate {M} --analogy {{bad}}/analogy.txt --method nope", ERROR, "unknown analogy"),
    case(f"evaluate {M} --analogy {{bad}}/analogy.txt --restrict-vocab 0", ERROR, "must be 1"),
]

D = "--model {bad}/documents"
DOCUMENTS = [
    case(f"embed {D} 국민은 법 -o {{out}}/v.npy", OK, "wrote"),
    case(f"embed {D} -i {{bad}}/korean.txt -o {{out}}/v.tsv", OK, "80 vectors"),
    case(f"embed {D} -i {{bad}}/tokens.txt --pretokenized -o {{out}}/v.npy", OK, "80 vectors"),
    case(f"embed {D} -i {{bad}}/empty.txt -o {{out}}/v.npy", OK, "0 vectors"),
    case(f"embed {D} -i {{bad}}/blank.txt -o {{out}}/v.npy", OK, "had no word"),
    case(f"embed {D} -i {{bad}}/nul.txt -o {{out}}/v.npy", OK, "wrote"),
    case(f"embed {D} -i {{bad}}/english.txt -o {{out}}/v.npy", OK, "had no word"),
    case(f"embed {D} -i {{bad}}/truncated.xz -o {{out}}/v.npy", ERROR, "damaged or truncated"),
    case(f"embed {D} -i {{bad}}/nonexistent.txt -o {{out}}/v.npy", ERROR, "does not exist"),
    case(f"embed {D} -i {{bad}}/korean.txt -o {{bad}}/korean.txt", ERROR, "cannot tell the format"),
    case(f"embed {D} 법 -i {{bad}}/korean.txt -o {{out}}/v.npy", ERROR, "one of the two"),
    case(f"embed {D} 법 -o {{out}}/v.npy --batch-size 0", ERROR, "--batch-size must be 1"),
    case(f"embed {D} 법 -o {{bad}}/documents/v.npy", ERROR, "would overwrite the input"),
    case(f"embed {D} -i - -o {{out}}/v.npy", OK, "2 vectors", stdin="국민은\n법\n"),
    case(f"embed {D} -i - -o {{out}}/v.npy", OK, "0 vectors", stdin=b""),
    case(f"embed {D} -i - -o {{out}}/v.npy", ERROR, "-:1: bytes not valid", stdin=b"\xff\n"),
    case(f"similar --text 국민은 {D}", OK, "cosine line document"),
    case(f"similar --text 국민은 {D} --topn 1000000000", OK, ""),
    case(f"similar --text 국민은 {D} --topn 0", ERROR, "--topn must be 1 or more"),
    case(f"similar --text '' {D}", ERROR, "no token of ''"),
    case(["similar", "--text", "\x1b[31m", "--model", "{bad}/documents"], ERROR, "no token of"),
    case(f"similar --text 국민은 {M}", ERROR, "holds word vectors"),
    case(f"similar 국민은 --text 법 {D}", ERROR, "--text finds documents"),
    case(f"similar 국민은 {D}", OK, ""),  # a document model's word vectors
    case(f"evaluate-docs {D} --labels {{bad}}/doc_labels.txt", OK, "accuracy"),
    case(f"evaluate-docs {D} --labels {{bad}}/korean.txt", OK, "100.00%"),  # 4 sentences, 4 classes
    case(
        f"evaluate-docs {D} --labels {{bad}}/doc_labels_one.txt",
        ERROR,
        "a classifier needs two labels or more with two documents each "
        "(check --label-column and --classes)",
    ),
    case(f"evaluate-docs {D} --labels {{bad}}/binary.bin", ERROR, "bytes not valid in utf-8"),
    case(
        f"evaluate-docs {D} --labels {{bad}}/doc_labels.txt --classes 1-4:neg",
        ERROR,
        ":1: label 'neg' is not a number",
    ),
    case(f"evaluate-docs {D} --labels {{bad}}/doc_labels.txt --test-size 1", ERROR, "--test-size"),
]
for _name, _fragment in {
    "doc_model_no_doc_vectors": "doc_vectors.npy is missing or corrupt",
    "doc_model_short_offsets": "doc_offsets.npy must hold 81 offsets for 80 documents",
    "doc_model_no_weights": "weights.npy is missing or corrupt",
    "doc_model_bad_kind": "unknown kind 'nope'",
    "model_no_vocab": "incomplete: vocab.txt is missing",
    "nonexistent": "no model at",
}.items():
    DOCUMENTS += [
        case(f"embed --model {{bad}}/{_name} 법 -o {{out}}/v.npy", ERROR, _fragment),
        case(f"similar --text 법 --model {{bad}}/{_name}", ERROR, _fragment),
        case(
            f"evaluate-docs --model {{bad}}/{_name} --labels {{bad}}/doc_labels.txt",
            ERROR,
            _fragment,
        ),
    ]

CORPUS = [
    case("corpus list", OK, "kolaw"),
    case(
        "corpus download nope -o {out}/c",
        ERROR,
        "unknown corpus 'nope'; valid corpuses: korquad, kowiki, nsmc",
    ),
    case(
        "corpus download nsmc -o {out}/c --mirror {bad}/mirror",
        ERROR,
        "bytes, expected 14628807; the copy is incomplete",
    ),
    case("corpus download nsmc -o {bad}/korean.txt --mirror {bad}/mirror", ERROR, "Not a dir"),
]

PREPARE = [
    case(
        "corpus prepare kowiki {bad}/korean.txt -o {out}/w.txt",
        ERROR,
        "is not a MediaWiki XML dump",
    ),
    case(
        "corpus prepare kowiki {bad}/binary.bin -o {out}/w.txt",
        ERROR,
        "is not a MediaWiki XML dump",
    ),
    case("corpus prepare kowiki {bad}/empty.txt -o {out}/w.txt", ERROR, "empty.txt is empty"),
    case(
        "corpus prepare kowiki {bad}/truncated.xz -o {out}/w.txt",
        ERROR,
        "is not a MediaWiki XML dump",
    ),
    case("corpus prepare kowiki {bad}/mixed -o {out}/w.txt", ERROR, "mixed is a folder"),
    case("corpus prepare kowiki {bad}/nonexistent -o {out}/w.txt", ERROR, "does not exist"),
    case(
        "corpus prepare kowiki {bad}/korean.txt -o {out}/w.txt --workers 0",
        ERROR,
        "--workers(0) must be >= 1",
    ),
    case(
        "corpus prepare korquad {bad}/korean.txt -o {out}/q.txt",
        ERROR,
        "korean.txt is not JSON (line 1",
    ),
    case(
        "corpus prepare korquad {bad}/empty.txt -o {out}/q.txt",
        ERROR,
        "empty.txt is not JSON (line 1",
    ),
    case("corpus prepare korquad {bad}/binary.bin -o {out}/q.txt", ERROR, "binary.bin is not"),
    case("corpus prepare korquad {bad}/nonexistent -o {out}/q.txt", ERROR, "does not exist"),
    case(
        "corpus prepare korquad {bad}/korean.txt -o {bad}/korean.txt",
        ERROR,
        "would overwrite the input",
    ),
]
TOPICS = [case("topics --model {bad}/model", ERROR, "is a word2vec model, which has no topics")] + [
    case(f"topics --model {{bad}}/{name}", ERROR, fragment) for name, fragment in DAMAGED.items()
]

# koembed serve refuses before it listens (a case that started it would not return).
SERVE = [
    *(
        case(f"serve --model {{bad}}/{name} --port 0", ERROR, fragment)
        for name, fragment in DAMAGED.items()
    ),
    case(f"serve {M} --host 0.0.0.0", ERROR, "needs an API key: give --api-key"),
    case(f"serve {M} --host 0.0.0.0 --api-key short", ERROR, "--api-key must be at least 16"),
    case(f"serve {M} --workers 0", ERROR, "--workers must be 1 to 64, got 0"),
    case(f"serve {M} --port 70000", ERROR, "--port must be 0 to 65535"),
    case(f"serve {M} {M}", ERROR, "two models are named model; name them apart with NAME=PATH"),
    case("serve --model =x", ERROR, "has no name or no path"),
    case("serve", USAGE, "Missing option '--model'"),
]

T = "tune ppmi {bad}/tokens.txt -o {out}/t"
TUNE = [
    # One word pair: no Spearman to choose by; said, with the leaderboard written.
    case(f"{T} --grid dim=2 --ws353 {{bad}}/ws.csv", OK, "warning: no trial scored"),
    case(f"{T} --grid dim=2", ERROR, "tuning needs a benchmark to score on: give --ws353"),
    case(
        "tune nope {bad}/tokens.txt -o {out}/t --ws353 {bad}/ws.csv",
        ERROR,
        "unknown training method",
    ),
    case(f"{T} --grid windw=2 --ws353 {{bad}}/ws.csv", ERROR, "unknown parameter 'windw'"),
    case(f"{T} --grid dim=two --ws353 {{bad}}/ws.csv", ERROR, "--grid 'dim=two': dim='two'"),
    case(f"{T} --grid dim=2:8 --ws353 {{bad}}/ws.csv", ERROR, "a grid needs listed values"),
    case(f"{T} --grid dim=2 --set dim=3 --ws353 {{bad}}/ws.csv", ERROR, "both searched and"),
    case(f"{T} --grid dim=2 --trials 0 --ws353 {{bad}}/ws.csv", ERROR, "--trials must be 1"),
    case(f"{T} --grid dim=2 --ws353 {{bad}}/nonexistent", ERROR, "nonexistent"),
    case(f"{T} --grid dim=2 --ws353 {{bad}}/ws.csv --metric analogy", ERROR, "needs its bench"),
    case("tune ppmi {bad}/nonexistent -o {out}/t --ws353 {bad}/ws.csv", ERROR, "does not exist"),
    case(f"{T} --grid dim=2 --dev {{bad}}/ws.csv", ERROR, "give --dev and --test together"),
]

CASES = (
    TOKENIZE
    + trainer_cases()
    + model_cases()
    + QUERIES
    + DOCUMENTS
    + CORPUS
    + PREPARE
    + TOPICS
    + SERVE
    + TUNE
)


def _id(c: Case) -> str:
    return " ".join(c.argv).replace("{bad}/", "").replace("{out}/", "")[:80]


@pytest.mark.parametrize("c", [pytest.param(c, id=_id(c)) for c in CASES])
def test_bad_input(c: Case, bad, tmp_path, monkeypatch):
    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.chdir(tmp_path)  # nothing may land in the working folder either
    argv = [arg.format(bad=bad, out=out) for arg in c.argv]
    before = _names(bad)
    result = CliRunner().invoke(app, argv, input=c.stdin)
    shown = f"exit {result.exit_code}\nstdout: {result.stdout}\nstderr: {result.stderr}"
    assert result.exception is None or isinstance(result.exception, SystemExit), (
        f"{type(result.exception).__name__}: {result.exception}\n{shown}"
    )
    assert "Traceback" not in result.stdout + result.stderr, shown
    assert result.exit_code == c.exit, shown
    fragment = c.fragment.format(bad=bad, out=out)
    if c.exit == ERROR:
        errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
        assert len(errors) == 1, shown
        assert fragment in errors[0], shown
    else:  # rich wraps long lines of the summary
        assert " ".join(fragment.split()) in " ".join((result.stdout + result.stderr).split()), (
            shown
        )
    if c.exit != OK:
        # Nothing half-written anywhere: no output, temporary or lock.
        assert [p for p in out.rglob("*") if not p.is_dir()] == [], shown
    assert _names(bad) == before, shown  # inputs are never touched
    assert [p.name for p in tmp_path.iterdir()] == ["out"], shown


def _names(folder) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*"))


def test_every_command_has_cases():
    commands = cli_commands()
    covered = {c.argv[: len(command)] for c in CASES for command in commands}
    missing = [" ".join(command) for command in commands if command not in covered]
    assert not missing, f"commands without robustness cases: {missing}"


# -- what the successful cases produced ---------------------------------------------


def _tokenize(*args: object) -> str:
    result = CliRunner().invoke(app, ["tokenize", *map(str, args)])
    assert result.exit_code == 0, result.stderr
    return result.stderr


@pytest.mark.parametrize(
    ("name", "expected"), [("cp949.txt", "똠방각하"), ("euckr.txt", "대한민국은")]
)
def test_legacy_encodings_are_detected_and_decoded(bad, tmp_path, name, expected):
    out = tmp_path / "t"
    _tokenize(bad / name, "-o", out, "--encoding", "auto", "-t", "whitespace")
    original = (bad / name).read_bytes().decode("cp949")
    assert out.read_text(encoding="utf-8").split() == original.split()
    assert expected in out.read_text(encoding="utf-8")
    manifest = json.loads(out.with_name("t.manifest.json").read_text(encoding="utf-8"))
    assert list(manifest["encodings"].values()) == ["cp949"]


@pytest.mark.parametrize(("errors", "lines"), [("replace", 85), ("skip", 83)])
def test_undecodable_lines_are_counted(bad, tmp_path, errors, lines):
    out = tmp_path / "t"
    _tokenize(bad / "bad_utf8.txt", "-o", out, "--errors", errors, "-t", "whitespace")
    manifest = json.loads(out.with_name("t.manifest.json").read_text(encoding="utf-8"))
    assert manifest["undecodable_lines"] == 2
    assert manifest["lines"] == lines
    text = out.read_text(encoding="utf-8")
    assert ("\ufffd" in text) == (errors == "replace")


@pytest.mark.parametrize("tokenizer", ["mecab", "whitespace", "kiwi"])
def test_control_characters_never_reach_a_token(bad, tmp_path, tokenizer):
    out = tmp_path / "t"
    _tokenize(bad / "nul.txt", "-o", out, "-t", tokenizer)
    text = out.read_text(encoding="utf-8")
    lines = text.split("\n")
    # The words after a NUL are kept (mecab used to drop the rest of the line).
    assert "공화국" in lines[0]
    assert lines[1] == ""  # a line of NULs is an empty line, still there
    assert not any((ch < " " and ch != "\n") or "\x7f" <= ch <= "\x9f" for ch in text)
    assert "\ufeff" not in text and "\u200b" not in text


def test_a_50_mb_line_stays_one_line(bad, tmp_path):
    out = tmp_path / "t"
    _tokenize(bad / "huge_line.txt", "-o", out, "-t", "whitespace")
    # The same tokens, one space apart, on one line (the input's last space goes).
    assert out.stat().st_size == (bad / "huge_line.txt").stat().st_size - 1 > 0.99 * HUGE_LINE_BYTES
    with open(out, "rb") as handle:
        assert handle.read().count(b"\n") == 1


def test_skipped_and_foreign_files_are_reported(bad, tmp_path, caplog):
    _tokenize(bad / "mixed", "-o", tmp_path / "t")
    skipped = {r.args[0].rsplit("/", 1)[1] for r in caplog.records if "skipping" in r.msg}
    assert skipped == {"image.png", "model.npy", "random.bin"}
    caplog.clear()
    _tokenize(bad / "english.txt", "-o", tmp_path / "e")
    assert any("holds no Hangul" in record.getMessage() for record in caplog.records)


def test_training_that_diverges_writes_no_model(tmp_path, bad, monkeypatch):
    import numpy as np

    from koembed.trainers.word2vec import Word2VecTrainer

    original = Word2VecTrainer._fit

    def diverged(self, *args, **kwargs):
        model = original(self, *args, **kwargs)
        model.vectors[0, 0] = np.nan
        return model

    monkeypatch.setattr(Word2VecTrainer, "_fit", diverged)
    result = CliRunner().invoke(
        app,
        [
            "train",
            "word2vec",
            str(bad / "tokens.txt"),
            "-o",
            str(tmp_path / "m"),
            "--min-count",
            "1",
        ],
    )
    assert result.exit_code == 1
    assert "training diverged: 1 of 27 vectors hold NaN" in result.stderr
    assert not (tmp_path / "m").exists()
