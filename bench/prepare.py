"""`koembed corpus prepare kowiki` throughput on a generated dump.

    python bench/prepare.py [--megabytes 100] [--workers 1 2]

Writes a MediaWiki export of at least ``--megabytes`` MB of XML (bz2
compressed, as Wikimedia ships it): articles made of konlpy's kolaw and
kobill sentences, shuffled, wrapped in the markup kowiki uses (links, bold,
templates nested in infoboxes, named references, tables, files with
captions, lists, categories, comments), plus redirects and talk pages. Then
prepares it with each number of workers and prints pages/s and MB/s (of
uncompressed XML and of the bz2 file), checking that every run wrote the
same text.
"""

from __future__ import annotations

import argparse
import bz2
import hashlib
import random
import sys
import tempfile
import time
from pathlib import Path
from xml.sax.saxutils import escape

from koembed.text.corpus import read_corpus
from koembed.text.wikipedia import prepare_wikipedia


def article(rng: random.Random, sentences: list[str], number: int) -> str:
    def sentence() -> str:
        words = rng.choice(sentences).split()
        if len(words) > 3:
            at = rng.randrange(len(words))
            words[at] = rng.choice([f"[[{words[at]}]]", f"[[{words[at]}|{words[at]}]]",
                                    f"'''{words[at]}'''"])  # fmt: skip
        return " ".join(words)

    parts = [
        f"{{{{Infobox 문서\n| 이름 = {{{{lang|ko|문서{number}}}}}\n| 설명 = [[링크|글]]\n}}}}",
        f"'''문서{number}'''({{{{lang|en|Document {number}}}}})는 " + sentence(),
    ]
    for section in range(rng.randint(2, 5)):
        parts.append(f"== 절 {section} ==")
        for _ in range(rng.randint(2, 6)):
            paragraph = " ".join(sentence() for _ in range(rng.randint(1, 4)))
            if rng.random() < 0.4:
                paragraph += (
                    f'<ref name="r{number}">{{{{웹 인용|url=https://example.org|제목=출처}}}}</ref>'
                )
            parts.append(paragraph)
        if rng.random() < 0.3:
            parts.append('{| class="wikitable"\n|-\n! 가 !! 나\n|-\n| 1 || 2\n|}')
        if rng.random() < 0.3:
            parts.append(f"[[파일:그림{number}.jpg|thumb|{sentence()}]]")
        if rng.random() < 0.3:
            parts.append("\n".join(f"* {sentence()}" for _ in range(3)))
        parts.append("<!-- 주석 -->")
    parts.append("[[분류:문서]]")
    return "\n".join(parts)


def page(title: str, namespace: int, text: str, redirect: bool = False) -> str:
    extra = f'<redirect title="{escape(title)}" />' if redirect else ""
    return (
        f"  <page>\n    <title>{escape(title)}</title>\n    <ns>{namespace}</ns>\n"
        f"    <id>1</id>{extra}\n    <revision><id>1</id><model>wikitext</model>"
        f'<format>text/x-wiki</format><text xml:space="preserve">{escape(text)}</text>'
        f"</revision>\n  </page>\n"
    )


def write_dump(path: Path, megabytes: int) -> tuple[int, int]:
    """Returns (pages, uncompressed bytes)."""
    sentences = [line for line in read_corpus(["kolaw", "kobill"]) if len(line) > 20]
    rng = random.Random(1)
    head = (
        '<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11">\n'
        "  <siteinfo><sitename>위키백과</sitename></siteinfo>\n"
    )
    size, pages = 0, 0
    with bz2.open(path, "wt", encoding="utf-8") as out:
        out.write(head)
        while size < megabytes * 1_000_000:
            pages += 1
            if pages % 10 == 0:
                text = page(f"다른이름{pages}", 0, "#넘겨주기 [[문서]]", redirect=True)
            elif pages % 10 == 1:
                text = page(f"토론:문서{pages}", 1, "토론 내용")
            else:
                text = page(f"문서{pages}", 0, article(rng, sentences, pages))
            out.write(text)
            size += len(text.encode("utf-8"))
        out.write("</mediawiki>\n")
    return pages, size


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=100)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    parser.add_argument("--spark", action="store_true", help="also on Spark, local[2]")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="koembed-bench-") as folder:
        dump = Path(folder) / "kowiki-20240601-pages-articles.xml.bz2"
        started = time.perf_counter()
        pages, size = write_dump(dump, args.megabytes)
        compressed = dump.stat().st_size
        print(f"dump: {pages:,} pages, {size / 1e6:.1f} MB of XML, {compressed / 1e6:.1f} MB bz2 "
              f"(generated in {time.perf_counter() - started:.0f} s)")  # fmt: skip
        print(f"{'workers':>7} {'seconds':>8} {'pages/s':>9} {'XML MB/s':>9} {'bz2 MB/s':>9} "
              f"{'lines':>10}  sha256")  # fmt: skip
        digests = set()
        for workers in args.workers:
            out = Path(folder) / f"out{workers}.txt"
            started = time.perf_counter()
            summary = prepare_wikipedia(dump, out, workers=workers)
            seconds = time.perf_counter() - started
            digest = hashlib.sha256(out.read_bytes()).hexdigest()[:12]
            digests.add(digest)
            print(f"{workers:>7} {seconds:>8.1f} {summary.pages / seconds:>9,.0f} "
                  f"{size / 1e6 / seconds:>9.2f} {compressed / 1e6 / seconds:>9.2f} "
                  f"{summary.lines:>10,}  {digest}", flush=True)  # fmt: skip
        if args.spark:
            from koembed.engines import create_engine

            engine = create_engine("spark")
            engine.configure("local[2]")
            out = Path(folder) / "spark.txt"
            started = time.perf_counter()
            summary = engine.prepare_wikipedia(dump, out)
            seconds = time.perf_counter() - started
            digest = hashlib.sha256(out.read_bytes()).hexdigest()[:12]
            digests.add(digest)
            print(f"{'spark':>7} {seconds:>8.1f} {summary.pages / seconds:>9,.0f} "
                  f"{size / 1e6 / seconds:>9.2f} {compressed / 1e6 / seconds:>9.2f} "
                  f"{summary.lines:>10,}  {digest}  (local[2], session start included)",
                  flush=True)  # fmt: skip
        print("same text from every run" if len(digests) == 1 else "OUTPUTS DIFFER")
    return 0 if len(digests) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
