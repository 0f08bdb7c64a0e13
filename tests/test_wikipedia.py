"""The book's corpora: a Wikipedia dump and KorQuAD to text, and their downloads.

Dumps are written here in the real MediaWiki export format (bz2, as
Wikimedia ships them); downloads run against a local HTTP server that
answers range requests, because these machines have no internet.
"""

from __future__ import annotations

import bz2
import hashlib
import http.server
import json
import threading
from pathlib import Path
from xml.sax.saxutils import escape

import pytest
from typer.testing import CliRunner

import koembed
from koembed.cli import app
from koembed.errors import BadInputError, DownloadError
from koembed.text import wikipedia
from koembed.text.korquad import prepare_korquad
from koembed.text.wikidumps import download_kowiki
from koembed.text.wikipedia import prepare_wikipedia
from koembed.text.wikitext import split_sentences, wikitext_paragraphs

runner = CliRunner()

ARTICLE = """{{다른 뜻|대한민국 (동음이의)}}
{{Infobox country
| 이름 = {{lang|ko|대한민국}}
| 수도 = [[서울특별시|서울]]
}}
'''대한민국'''(大韓民國, {{lang|en|Republic of Korea}})은 [[동아시아]]의 [[한반도|반도]] 남부에 있는 [[민주 공화국|민주공화국]]이다.<ref name="헌법">{{웹 인용|url=https://law.go.kr|제목=헌법}}</ref> 수도는 [[서울특별시|서울]]이다.<!-- 출처 필요 -->
[[파일:Flag of South Korea.svg|thumb|upright|대한민국의 [[국기]]인 [[태극기]]]]
== 역사 ==
고대에는 [[고조선]]이 있었다.<ref name="헌법" /> 1948년 8월 15일 정부가 수립되었다.{{출처 필요|날짜=2020-01}}
* 첫째: <b>삼국</b> 시대
* 둘째: [https://example.org 외부 링크의 글] 참고
{| class="wikitable"
|-
! 연도 !! 사건
|-
| 1948 || 정부 수립
|}
<small>작은 글씨</small>와 &nbsp;공백, <math>x^2</math> 수식은 빠진다.
[[분류:대한민국]]
[[en:South Korea]]"""

EXPECTED = [
    "대한민국(大韓民國, Republic of Korea)은 동아시아의 반도 남부에 있는 민주공화국이다. 수도는 서울이다.",
    "고대에는 고조선이 있었다. 1948년 8월 15일 정부가 수립되었다.",
    "첫째: 삼국 시대",
    "둘째: 외부 링크의 글 참고",
    "작은 글씨와 공백, 수식은 빠진다.",
]


def page(title: str, namespace: int, text: str, redirect: str | None = None) -> str:
    redirected = f'\n    <redirect title="{escape(redirect)}" />' if redirect else ""
    return f"""  <page>
    <title>{escape(title)}</title>
    <ns>{namespace}</ns>
    <id>{abs(hash(title)) % 100000}</id>{redirected}
    <revision>
      <id>1</id>
      <model>wikitext</model>
      <format>text/x-wiki</format>
      <text bytes="{len(text.encode())}" xml:space="preserve">{escape(text)}</text>
    </revision>
  </page>
"""


def dump_xml(pages: list[str]) -> bytes:
    head = """<mediawiki xmlns="http://www.mediawiki.org/xml/export-0.11/" version="0.11" xml:lang="ko">
  <siteinfo>
    <sitename>위키백과</sitename>
    <namespaces>
      <namespace key="0" case="first-letter" />
      <namespace key="1" case="first-letter">토론</namespace>
    </namespaces>
  </siteinfo>
"""
    return (head + "".join(pages) + "</mediawiki>\n").encode("utf-8")


@pytest.fixture
def dump(tmp_path) -> Path:
    path = tmp_path / "kowiki-20240601-pages-articles.xml.bz2"
    pages = [
        page("대한민국", 0, ARTICLE),
        page("남한", 0, "#넘겨주기 [[대한민국]]", redirect="대한민국"),
        page("토론:대한민국", 1, "이 문서의 토론입니다. 본문에 들어가면 안 된다."),
        page("서울특별시", 0, "'''서울특별시'''는 대한민국의 [[수도]]이다. 인구가 많다!"),
    ]
    path.write_bytes(bz2.compress(dump_xml(pages)))
    return path


def test_an_article_becomes_its_paragraphs_without_markup():
    assert wikitext_paragraphs(ARTICLE) == EXPECTED


def test_a_dump_keeps_articles_and_skips_redirects_and_talk_pages(dump, tmp_path):
    summary = prepare_wikipedia(dump, tmp_path / "kowiki.txt")
    text = (tmp_path / "kowiki.txt").read_text(encoding="utf-8")
    assert text.splitlines() == [*EXPECTED, "서울특별시는 대한민국의 수도이다. 인구가 많다!"]
    assert (summary.pages, summary.articles, summary.redirects, summary.lines) == (4, 2, 1, 6)


def test_sentences_one_a_line(dump, tmp_path):
    prepare_wikipedia(dump, tmp_path / "s.txt", sentences=True)
    lines = (tmp_path / "s.txt").read_text(encoding="utf-8").splitlines()
    assert lines[:3] == [
        "대한민국(大韓民國, Republic of Korea)은 동아시아의 반도 남부에 있는 민주공화국이다.",
        "수도는 서울이다.",
        "고대에는 고조선이 있었다.",
    ]
    assert lines[-2:] == ["서울특별시는 대한민국의 수도이다.", "인구가 많다!"]


def test_sentence_splitting_leaves_numbers_and_abbreviations_whole():
    assert split_sentences("U.S. Army는 1.5배 크다. 정말? 그렇다") == [
        "U.S. Army는 1.5배 크다.",
        "정말?",
        "그렇다",
    ]


def test_two_workers_write_what_one_does(tmp_path, monkeypatch):
    monkeypatch.setattr(wikipedia, "BATCH_PAGES", 3)  # several batches over both workers
    pages = [page(f"문서{i}", 0, f"'''문서{i}'''는 [[예시|예]] {i}번째 글이다.") for i in range(20)]
    path = tmp_path / "many.xml.bz2"
    path.write_bytes(bz2.compress(dump_xml(pages)))
    prepare_wikipedia(path, tmp_path / "one.txt", workers=1)
    prepare_wikipedia(path, tmp_path / "two.txt", workers=2)
    one = (tmp_path / "one.txt").read_text(encoding="utf-8")
    assert (tmp_path / "two.txt").read_text(encoding="utf-8") == one
    assert one.splitlines()[7] == "문서7는 예 7번째 글이다."


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("truncated", "ends early (truncated: the download stopped?); fetch it again"),
        ("plain", "is not a MediaWiki XML dump"),
        ("other-xml", "is XML but not a MediaWiki export (its root is <html>"),
    ],
)
def test_a_bad_dump_is_a_one_line_error_and_writes_nothing(dump, tmp_path, content, message):
    bad = tmp_path / "bad.xml.bz2"
    if content == "truncated":
        bad.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    elif content == "plain":
        bad.write_bytes(b"this is not xml at all\n")
    else:
        bad.write_bytes(bz2.compress(b"<html><body>hi</body></html>"))
    out = tmp_path / "out.txt"
    result = runner.invoke(app, ["corpus", "prepare", "kowiki", str(bad), "-o", str(out)])
    assert result.exit_code == 1
    assert result.output.startswith("error: ") and message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert not out.exists() and list(tmp_path.glob("out*")) == []


def test_the_command_writes_text_that_tokenize_reads(dump, tmp_path):
    out = tmp_path / "kowiki.txt"
    result = runner.invoke(
        app, ["corpus", "prepare", "kowiki", str(dump), "-o", str(out), "--workers", "2"]
    )
    assert result.exit_code == 0, result.output
    assert "wrote" in result.output and "6 paragraphs from 2 articles (4 pages, 1 redirects)" in (
        " ".join(result.output.split())
    )
    tokenized = koembed.tokenize_corpus(koembed.read_corpus(out), tmp_path / "kowiki.mecab")
    assert tokenized.manifest["lines"] == 6
    assert "고조선" in tokenized.path.read_text(encoding="utf-8").split()


# -- KorQuAD --------------------------------------------------------------------------


def korquad(contexts: list[tuple[str, list[str]]]) -> dict:
    return {
        "version": "KorQuAD_v1.0_train",
        "data": [
            {
                "title": "문서",
                "paragraphs": [
                    {
                        "context": context,
                        "qas": [
                            {
                                "question": q,
                                "id": str(i),
                                "answers": [{"text": "x", "answer_start": 0}],
                            }
                            for i, q in enumerate(questions)
                        ],
                    }
                    for context, questions in contexts
                ],
            }
        ],
    }


def test_korquad_writes_each_context_once_then_the_questions(tmp_path):
    train, dev = tmp_path / "train.json", tmp_path / "dev.json"
    train.write_text(json.dumps(korquad([("첫 문단이다.\n둘째 줄.", ["무엇인가?"]), ("다른 문단.", ["왜?"])]), ensure_ascii=False), encoding="utf-8")  # fmt: skip
    dev.write_text(json.dumps(korquad([("다른 문단.", ["어디?"])]), ensure_ascii=False), encoding="utf-8")  # fmt: skip
    summary = prepare_korquad([train, dev], tmp_path / "korquad.txt")
    assert (tmp_path / "korquad.txt").read_text(encoding="utf-8").splitlines() == [
        "첫 문단이다. 둘째 줄.",
        "다른 문단.",
        "무엇인가?",
        "왜?",
        "어디?",
    ]
    assert (summary.contexts, summary.duplicates, summary.questions) == (2, 1, 3)


def test_korquad_refuses_what_is_not_korquad(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"version": 1}', encoding="utf-8")
    with pytest.raises(BadInputError, match=r"JSON but not KorQuAD 1\.0"):
        prepare_korquad([bad], tmp_path / "out.txt")
    bad.write_text("{nope", encoding="utf-8")
    result = runner.invoke(app, ["corpus", "prepare", "korquad", str(bad), "-o", str(tmp_path / "o.txt")])  # fmt: skip
    assert result.exit_code == 1 and "is not JSON (line 1" in result.output
    assert not (tmp_path / "o.txt").exists()


# -- downloading a dump: resumable, verified ---------------------------------------------


class RangeHandler(http.server.BaseHTTPRequestHandler):
    """Serves files from ``root``, honouring ``Range: bytes=N-`` unless
    ``ignore_range``; ``cut_after`` bytes into a body, drops the connection."""

    root: Path
    ignore_range = False
    cut_after: int | None = None
    ranges: list = []

    def log_message(self, *args):
        pass

    def do_GET(self):
        path = self.root / self.path.lstrip("/")
        if not path.is_file():
            self.send_error(404)
            return
        data = path.read_bytes()
        wanted = self.headers.get("Range")
        type(self).ranges.append(wanted)
        start = 0
        if wanted and not self.ignore_range:
            start = int(wanted.removeprefix("bytes=").rstrip("-"))
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(data) - 1}/{len(data)}")
        else:
            self.send_response(200)
        self.send_header("Content-Length", str(len(data) - start))
        self.end_headers()
        body = data[start:]
        if self.cut_after is not None:
            self.wfile.write(body[: self.cut_after])
            self.wfile.flush()
            self.connection.close()
            return
        self.wfile.write(body)


@pytest.fixture
def dumps_site(tmp_path, monkeypatch, dump):
    root = tmp_path / "site"
    dated = root / "kowiki" / "20240601"
    dated.mkdir(parents=True)
    (root / "kowiki" / "latest").mkdir()
    data = dump.read_bytes() * 50  # large enough to cut in the middle
    (dated / dump.name).write_bytes(data)
    sha1 = hashlib.sha1(data).hexdigest()
    (dated / "kowiki-20240601-sha1sums.txt").write_text(
        f"{'0' * 40}  kowiki-20240601-stub-articles.xml.gz\n{sha1}  {dump.name}\n"
    )
    (root / "kowiki" / "latest" / "kowiki-latest-pages-articles.xml.bz2-rss.xml").write_text(
        "<rss><channel><item><link>https://dumps.wikimedia.org/kowiki/20240601</link>"
        "</item></channel></rss>"
    )
    handler = type("Handler", (RangeHandler,), {"root": root, "ranges": []})
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    monkeypatch.setenv("KOEMBED_WIKIMEDIA", f"http://127.0.0.1:{server.server_address[1]}")
    monkeypatch.delenv("KOEMBED_MIRROR", raising=False)
    yield handler, data
    server.shutdown()
    server.server_close()


def test_latest_dump_is_found_fetched_and_verified(dumps_site, tmp_path):
    _, data = dumps_site
    path = download_kowiki(tmp_path / "corpora")
    assert path.name == "kowiki-20240601-pages-articles.xml.bz2"
    assert path.read_bytes() == data and not list(path.parent.glob("*.part"))
    assert download_kowiki(tmp_path / "corpora", date="20240601") == path  # already there


def test_an_interrupted_download_resumes_with_a_range_request(dumps_site, tmp_path):
    handler, data = dumps_site
    handler.cut_after = len(data) // 3
    with pytest.raises(DownloadError, match=r"bytes kept in .*part: run again to resume"):
        download_kowiki(tmp_path / "corpora", date="20240601")
    part = tmp_path / "corpora" / "kowiki" / "kowiki-20240601-pages-articles.xml.bz2.part"
    assert part.stat().st_size == len(data) // 3
    handler.cut_after = None
    path = download_kowiki(tmp_path / "corpora", date="20240601")
    assert path.read_bytes() == data
    assert handler.ranges[-1] == f"bytes={len(data) // 3}-"


def test_a_server_ignoring_ranges_is_read_from_the_start(dumps_site, tmp_path):
    handler, data = dumps_site
    folder = tmp_path / "corpora" / "kowiki"
    folder.mkdir(parents=True)
    (folder / "kowiki-20240601-pages-articles.xml.bz2.part").write_bytes(b"stale bytes")
    handler.ignore_range = True
    assert download_kowiki(tmp_path / "corpora", date="20240601").read_bytes() == data


def test_a_corrupt_download_fails_its_checksum_and_is_removed(dumps_site, tmp_path):
    _, data = dumps_site
    folder = tmp_path / "corpora" / "kowiki"
    folder.mkdir(parents=True)
    part = folder / "kowiki-20240601-pages-articles.xml.bz2.part"
    part.write_bytes(b"X" * (len(data) // 2))  # wrong bytes; the rest is resumed onto them
    with pytest.raises(DownloadError, match=r"failed its checksum .*download it again"):
        download_kowiki(tmp_path / "corpora", date="20240601")
    assert not part.exists() and not list(folder.glob("*.bz2"))


def test_a_bad_date_and_a_missing_dump_are_one_line_errors(dumps_site, tmp_path):
    result = runner.invoke(app, ["corpus", "download", "kowiki", "--date", "2024-06"])
    assert result.exit_code == 1
    assert result.output.startswith("error: --date '2024-06' is neither YYYYMMDD")
    result = runner.invoke(
        app, ["corpus", "download", "kowiki", "--date", "20990101", "-o", str(tmp_path)]
    )
    assert result.exit_code == 1 and "could not download the checksums" in result.output


def test_the_mirror_folder_is_used_first(dump, tmp_path, monkeypatch):
    monkeypatch.setenv("KOEMBED_WIKIMEDIA", "http://127.0.0.1:9")  # nothing listens there
    mirror = tmp_path / "mirror"
    mirror.mkdir()
    (mirror / dump.name).write_bytes(dump.read_bytes())
    sha1 = hashlib.sha1(dump.read_bytes()).hexdigest()
    (mirror / "kowiki-20240601-sha1sums.txt").write_text(f"{sha1}  {dump.name}\n")
    result = runner.invoke(
        app, ["corpus", "download", "kowiki", "-o", str(tmp_path / "c"), "--mirror", str(mirror)]
    )
    assert result.exit_code == 0, result.output
    assert "next: koembed corpus prepare kowiki" in " ".join(result.output.split())
    assert (tmp_path / "c" / "kowiki" / dump.name).read_bytes() == dump.read_bytes()
