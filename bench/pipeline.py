"""Raw NSMC reviews -> mecab tokens -> word2vec, three ways, side by side in one run.

(a) koembed: `koembed tokenize --workers N` + `koembed train word2vec --workers N`.
(b) the book's way: one process calling the analyzer line by line, writing a file,
    then gensim Word2Vec over an in-memory list of sentences.
(c) gensim over LineSentence, with the tokenization parallelised by hand
    (multiprocessing.Pool over python-mecab-ko).

Each step runs in its own process; wall time and peak resident memory are measured
per process (os.wait4). Settings: skip-gram, 100 dims, window 5, min-count 5,
5 epochs, N workers.

    python bench/pipeline.py --lines 200000          # first 200K reviews
    python bench/pipeline.py                         # all 712,383
    python bench/pipeline.py --repeat 2              # a, b, c twice; fastest of each
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import textwrap
from pathlib import Path

from _measure import measure  # bench/ is on sys.path when a script there runs

NSMC = Path(__file__).resolve().parents[2] / "shared" / "data" / "nsmc" / "reviews.tsv.xz"
KOEMBED = str(Path(sys.executable).with_name("koembed"))

W2V = dict(vector_size=100, window=5, min_count=5, epochs=5, sg=1)

BOOK_TOKENIZE = """
import lzma, sys, time, mecab
source, out, limit = sys.argv[1], sys.argv[2], int(sys.argv[3])
tagger = mecab.MeCab()
started = time.perf_counter()
raw = lzma.open(source, "rt", encoding="utf-8", newline="\\n")
with raw, open(out, "w", encoding="utf-8") as sink:
    for number, line in enumerate(raw):
        if limit and number >= limit:
            break
        text = line.rstrip("\\n").split("\\t")[3]
        sink.write(" ".join(tagger.morphs(text)) + "\\n")
print(time.perf_counter() - started)
"""

BOOK_TRAIN = """
import sys, time
from gensim.models import Word2Vec
path, workers = sys.argv[1], int(sys.argv[2])
started = time.perf_counter()
sentences = [line.split() for line in open(path, encoding="utf-8")]
Word2Vec(sentences, workers=workers, seed=1, **{w2v})
print(time.perf_counter() - started)
"""

HAND_TOKENIZE = """
import itertools, lzma, sys, time
from multiprocessing import Pool
import mecab

def init():
    global tagger
    tagger = mecab.MeCab()

def run(lines):
    return "".join(" ".join(tagger.morphs(t)) + "\\n" for t in lines)

def texts(source, limit):
    with lzma.open(source, "rt", encoding="utf-8", newline="\\n") as raw:
        for number, line in enumerate(raw):
            if limit and number >= limit:
                return
            yield line.rstrip("\\n").split("\\t")[3]

def chunks(lines, size=2000):
    it = iter(lines)
    while batch := list(itertools.islice(it, size)):
        yield batch

if __name__ == "__main__":
    source, out, limit, workers = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
    started = time.perf_counter()
    with Pool(workers, initializer=init) as pool, open(out, "w", encoding="utf-8") as sink:
        for block in pool.imap(run, chunks(texts(source, limit))):
            sink.write(block)
    print(time.perf_counter() - started)
"""

HAND_TRAIN = """
import sys, time
from gensim.models import Word2Vec
from gensim.models.word2vec import LineSentence
path, workers = sys.argv[1], int(sys.argv[2])
started = time.perf_counter()
Word2Vec(LineSentence(path), workers=workers, seed=1, **{w2v})
print(time.perf_counter() - started)
"""


def python(script: str, *args: object) -> list[str]:
    return [sys.executable, "-c", textwrap.dedent(script), *map(str, args)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=0, help="first N reviews (0 = all)")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=1, help="rounds; the fastest counts")
    parser.add_argument("--corpus", type=Path, default=NSMC)
    parser.add_argument("--work", type=Path, default=None, help="folder for outputs")
    args = parser.parse_args()
    if not args.corpus.exists():
        raise SystemExit(f"needs the NSMC reviews at {args.corpus}")
    work = args.work or Path(tempfile.mkdtemp(prefix="koembed-bench-"))
    work.mkdir(parents=True, exist_ok=True)
    w2v = repr(W2V)
    limit = ["--max-lines", str(args.lines)] if args.lines else []
    n = args.workers

    a_tokenize = [
        KOEMBED, "tokenize", str(args.corpus), "--column", "4", *limit,
        "-o", str(work / "a.mecab"), "--workers", str(n),
        "--force",  # tokenize again, even if an earlier run left it up to date
    ]  # fmt: skip
    a_train = [
        KOEMBED, "train", "word2vec", str(work / "a.mecab"), "-o", str(work / "a"),
        "--dim", "100", "--window", "5", "--min-count", "5", "--epochs", "5",
        "--workers", str(n), "--seed", "1", "--overwrite",
    ]  # fmt: skip
    ways = {
        "(a) koembed": (a_tokenize, a_train),
        "(b) book: loop + list": (
            python(BOOK_TOKENIZE, args.corpus, work / "b.txt", args.lines),
            python(BOOK_TRAIN.replace("{w2v}", w2v), work / "b.txt", n),
        ),
        "(c) Pool + LineSentence": (
            python(HAND_TOKENIZE, args.corpus, work / "c.txt", args.lines, n),
            python(HAND_TRAIN.replace("{w2v}", w2v), work / "c.txt", n),
        ),
    }
    # Rounds go a, b, c, a, b, c...: a change in the load of a shared machine
    # then falls on every way; each step keeps its fastest round.
    rows: dict[str, list] = {}
    for _ in range(args.repeat):
        for name, (tokenize, train) in ways.items():
            runs = (measure(tokenize), measure(train))
            best = rows.get(name)
            rows[name] = [
                run if best is None or run[0] < best[i][0] else best[i]
                for i, run in enumerate(runs)
            ]

    lines = args.lines or 712_383
    print(
        f"NSMC reviews: {lines:,} lines, {n} workers, word2vec {W2V}, "
        f"fastest of {args.repeat} round(s)"
    )
    print(
        f"{'way':26} {'tokenize s':>11} {'train s':>9} {'total s':>9} {'CPU s':>8} {'peak MB':>9}"
    )
    totals, peaks, cpus = {}, {}, {}
    for name, ((tok_s, tok_mb, tok_cpu), (train_s, train_mb, train_cpu)) in rows.items():
        totals[name] = tok_s + train_s
        peaks[name] = max(tok_mb, train_mb)
        cpus[name] = tok_cpu + train_cpu
        print(
            f"{name:26} {tok_s:11.1f} {train_s:9.1f} {totals[name]:9.1f} {cpus[name]:8.1f} "
            f"{peaks[name]:9.0f}"
        )
        print(f"{'  peak MB of each step':26} {tok_mb:11.0f} {train_mb:9.0f}")
    a, b, c = totals.values()
    ca, cb, cc = cpus.values()
    pa, pb, pc = peaks.values()
    print(f"speed: (b)/(a) = {b / a:.2f}x  (c)/(a) = {c / a:.2f}x   (targets: >= 1.2, >= 1.0)")
    print(f"CPU:   (b)/(a) = {cb / ca:.2f}x  (c)/(a) = {cc / ca:.2f}x")
    print(f"peak memory: (a)/(b) = {pa / pb:.2f}  (a)/(c) = {pa / pc:.2f}   (targets: < 1/7, <= 1)")


if __name__ == "__main__":
    main()
