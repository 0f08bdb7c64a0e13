"""Tokenizer throughput: koembed's tokenize_corpus against each library's own loop.

For every backend that needs no fitting, on the first N review texts of NSMC
(column 4 of ../shared/data/nsmc/reviews.tsv.xz), prints lines per second of

- a plain loop over the library's own call, in this process: python-mecab-ko
  ``MeCab().morphs``, konlpy ``Okt().morphs`` (and ``Komoran``, ``Kkma``,
  ``Hannanum``: ``--java-lines``, 20,000 by default), kiwipiepy ``Kiwi().tokenize``,
  ``str.split`` for whitespace and ``koembed.text.jamo.decompose`` for jamo;
- ``koembed.tokenize_corpus`` (what ``koembed tokenize`` runs) with 1 and 2 workers;

and the ratios to the plain loop, plus the CPU seconds each used (children
included): on a machine shared with other work, wall-clock ratios say
little, while 2 x plain CPU / 2-worker CPU bounds what 2 free cores give.
Targets, for the analyzers mecab, kiwi
and okt: 1 worker within 10% of the loop (ratio >= 0.90), 2 workers >= 1.7x.

The texts are first copied to a plain temporary file, so neither side pays
for xz decompression. Setting a tokenizer up in this process (loading a
dictionary, starting the JVM) is left out of both sides, after a short
warm-up; starting worker processes, and their own setup, is counted, as a
user waits for it. Okt is slow (about 1,000 lines/s), so it has its own line
count, 200,000 by default as well: each worker's JVM spends its first tens of
seconds compiling Okt's code (its JIT threads take the second core), so short
runs understate the workers. On 20,000 lines two workers were 1.03x the
plain loop; on 100,000, 1.93x one worker.

    python bench/tokenize_speed.py --lines 200000 --okt-lines 200000

(Not named bench/tokenize.py: a script there would shadow the standard
library's tokenize module for every script run from bench/.)
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import koembed
from koembed.registry import TOKENIZERS

ROOT = Path(__file__).resolve().parents[1]
NSMC_CANDIDATES = [
    ROOT.parent / "shared" / "data" / "nsmc" / "reviews.tsv.xz",
    ROOT.parent.parent / "shared" / "data" / "nsmc" / "reviews.tsv.xz",
]
TARGET_ONE = 0.90
TARGET_TWO = 1.7
# The analyzers: for whitespace and jamo the "loop" is a str.split, so the
# ratio only shows koembed's own per-line cost (read, NFC, join, write).
TARGETED = {"mecab", "kiwi", "okt"}
# konlpy's other Java analyzers: each tens to hundreds of times slower than mecab.
JAVA_ANALYZERS = ("komoran", "kkma", "hannanum")
WARMUP_LINES = 2000


def plain_loops() -> dict[str, Callable[[], Callable[[str], object]]]:
    """backend -> a factory for the library's own per-line call."""

    def mecab():
        from mecab import MeCab

        return MeCab().morphs

    def okt():
        from konlpy.tag import Okt

        return Okt().morphs

    def kiwi():
        from kiwipiepy import Kiwi

        return Kiwi().tokenize

    def komoran():
        from konlpy.tag import Komoran

        return Komoran().morphs

    def kkma():
        from konlpy.tag import Kkma

        return Kkma().morphs

    def hannanum():
        from konlpy.tag import Hannanum

        return Hannanum().morphs

    def jamo():
        from koembed.text.jamo import decompose

        return lambda line: [decompose(word) for word in line.split()]

    return {
        "mecab": mecab,
        "okt": okt,
        "kiwi": kiwi,
        "komoran": komoran,
        "kkma": kkma,
        "hannanum": hannanum,
        "whitespace": lambda: str.split,
        "jamo": jamo,
    }


def cpu_seconds() -> float:
    """CPU time of this process (all threads) and of its finished children."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def rate_plain(call: Callable[[str], object], lines: list[str]) -> tuple[float, float]:
    """(lines/s, CPU seconds) of the library's own loop."""
    for line in lines[:WARMUP_LINES]:
        call(line)
    cpu, started = cpu_seconds(), time.perf_counter()
    for line in lines:
        call(line)
    return len(lines) / (time.perf_counter() - started), cpu_seconds() - cpu


def rate_koembed(
    name: str, source: Path, subset: list[str], workers: int, out: Path
) -> tuple[float, float]:
    """(lines/s, CPU seconds, workers included) of tokenize_corpus."""
    lines = len(subset)
    tokenizer = koembed.create_tokenizer(name).prepare()
    for line in subset[:WARMUP_LINES]:
        tokenizer.tokenize(line)
    cpu, started = cpu_seconds(), time.perf_counter()
    result = koembed.tokenize_corpus(
        koembed.read_corpus(source, max_lines=lines),
        out,
        tokenizer=tokenizer,
        workers=workers,
        overwrite=True,
    )
    seconds = time.perf_counter() - started
    assert result.manifest["lines"] == lines
    return lines / seconds, cpu_seconds() - cpu


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lines", type=int, default=200_000, help="lines per backend")
    parser.add_argument("--okt-lines", type=int, default=200_000, help="lines for okt (slow)")
    parser.add_argument(
        "--java-lines",
        type=int,
        default=20_000,
        help="lines for komoran, kkma and hannanum (slower still)",
    )
    parser.add_argument(
        "--backends",
        default=None,
        help="comma-separated (default: every registered backend that needs no fitting)",
    )
    parser.add_argument("--data", type=Path, default=None, help="NSMC reviews.tsv.xz")
    args = parser.parse_args(argv)

    data = args.data or next((p for p in NSMC_CANDIDATES if p.exists()), None)
    if data is None or not data.exists():
        print(f"NSMC reviews not found (looked in {NSMC_CANDIDATES}); pass --data", file=sys.stderr)
        return 2
    loops = plain_loops()
    if args.backends:
        names = args.backends.split(",")
    else:
        names = [
            n for n in TOKENIZERS.names() if not getattr(TOKENIZERS.get(n), "trainable", False)
        ]
    wanted = max(args.lines, args.okt_lines if "okt" in names else 0, args.java_lines)

    with tempfile.TemporaryDirectory(prefix="koembed-bench-") as work:
        source = Path(work) / "nsmc.txt"
        texts = list(koembed.read_corpus(data, column=4, max_lines=wanted, normalize="none"))
        source.write_text("\n".join(texts) + "\n", encoding="utf-8")
        print(f"NSMC text column: {len(texts):,} lines from {data}")
        print(f"load average at start: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
        header = (
            f"{'backend':<11}{'lines':>9}{'plain l/s':>11}{'1 worker':>10}{'2 workers':>11}"
            f"{'1w/plain':>10}{'2w/plain':>10}  {'CPU s plain/1w/2w':>20}  targets"
        )
        print(header)
        print("-" * len(header))
        for name in names:
            if name not in loops:
                print(f"{name:<11}skipped: no plain loop to compare with is defined here")
                continue
            count = {"okt": args.okt_lines, **dict.fromkeys(JAVA_ANALYZERS, args.java_lines)}
            lines = min(count.get(name, args.lines), len(texts))
            subset = texts[:lines]
            try:
                plain, plain_cpu = rate_plain(loops[name](), subset)
                one, one_cpu = rate_koembed(name, source, subset, 1, Path(work) / f"{name}.1")
                two, two_cpu = rate_koembed(name, source, subset, 2, Path(work) / f"{name}.2")
            except koembed.MissingDependencyError as error:
                print(f"{name:<11}skipped: {error}")
                continue
            if name in TARGETED:
                met_one = one / plain >= TARGET_ONE
                met_two = two / plain >= TARGET_TWO
                notes = [
                    f"1w {'ok' if met_one else 'MISSED'} (>= {TARGET_ONE})",
                    f"2w {'ok' if met_two else 'MISSED'} (>= {TARGET_TWO})",
                ]
            else:  # the loop reads and writes nothing: koembed's I/O is the whole gap
                notes = ["none (no analysis to compare)"]
            cpu = f"{plain_cpu:.1f}/{one_cpu:.1f}/{two_cpu:.1f}"
            print(
                f"{name:<11}{lines:>9,}{plain:>11,.0f}{one:>10,.0f}{two:>11,.0f}"
                f"{one / plain:>10.2f}{two / plain:>10.2f}  {cpu:>20}  {'; '.join(notes)}",
                flush=True,
            )
    print(f"load average at end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
