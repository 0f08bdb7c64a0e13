"""Corpus readers: files, folders, globs, compression, columns, encodings."""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import sys
import unicodedata

import pytest

from koembed import BadInputError, read_corpus

LINES = ["희망을 잃지 않았다", "절망 속에서도 내일을 꿈꾼다", "가우스전자가 신제품을 냈다"]


def write(path, lines, encoding="utf-8"):
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


@pytest.mark.parametrize(
    ("suffix", "opener"),
    [(".txt", open), (".gz", gzip.open), (".bz2", bz2.open), (".xz", lzma.open)],
)
def test_reads_plain_and_compressed_files(tmp_path, suffix, opener):
    path = tmp_path / f"corpus{suffix}"
    with opener(path, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(LINES) + "\n")
    assert list(read_corpus(path)) == LINES


def test_is_reiterable_and_streams_each_time(tmp_path):
    corpus = read_corpus(write(tmp_path / "a.txt", LINES))
    assert list(corpus) == list(corpus) == LINES
    assert corpus.stats.lines == 3


def test_several_files_folder_and_glob_keep_sorted_order(tmp_path):
    folder = tmp_path / "docs"
    (folder / "sub").mkdir(parents=True)
    write(folder / "b.txt", LINES[1:2])
    write(folder / "a.txt", LINES[:1])
    write(folder / "sub" / "c.txt", LINES[2:])
    (folder / ".hidden.txt").write_text("숨김\n", encoding="utf-8")
    (folder / "image.bin").write_bytes(b"\x89PNG\x00\x00\x01")
    assert list(read_corpus(folder)) == LINES
    assert list(read_corpus(str(folder / "*.txt"))) == LINES[:2]
    assert list(read_corpus([folder / "b.txt", folder / "a.txt"])) == [LINES[1], LINES[0]]


def test_fifo_in_a_folder_is_skipped_not_waited_on(tmp_path, caplog):
    import os
    import signal

    (tmp_path / "a.txt").write_text("희망\n절망\n", encoding="utf-8")
    os.mkfifo(tmp_path / "b.pipe")  # nobody writes: opening it would block
    signal.alarm(20)  # fail, not hang, if it is ever opened
    try:
        lines = list(read_corpus(tmp_path))
    finally:
        signal.alarm(0)
    assert lines == ["희망", "절망"]
    assert "not a regular file" in caplog.text


def test_folder_without_text_files_is_an_error(tmp_path):
    (tmp_path / "empty").mkdir()
    (tmp_path / "empty" / "blob.bin").write_bytes(b"\x00\x01\x02")
    with pytest.raises(BadInputError, match="holds no text files"):
        read_corpus(tmp_path / "empty")


def test_missing_input_and_unmatched_glob(tmp_path):
    with pytest.raises(BadInputError, match="does not exist"):
        read_corpus(tmp_path / "nope.txt")
    with pytest.raises(BadInputError, match="no files match"):
        read_corpus(str(tmp_path / "*.nothing"))


def test_column_of_tsv_and_csv_with_header(tmp_path):
    tsv = write(tmp_path / "r.tsv", ["id\ttext\tlabel", "1\t좋은 영화\t1", "2\t별로다\t0"])
    assert list(read_corpus(tsv, column=2, header=True)) == ["좋은 영화", "별로다"]
    csv = write(tmp_path / "r.csv", ['1,"좋다, 정말",1', "2,별로,0"])
    assert list(read_corpus(csv, column=2, delimiter=",")) == ["좋다, 정말", "별로"]


def test_short_row_names_file_and_line(tmp_path):
    tsv = write(tmp_path / "r.tsv", ["1\t좋은 영화", "oops"])
    with pytest.raises(BadInputError, match=r"r\.tsv:2: has 1 field"):
        list(read_corpus(tsv, column=2))
    assert list(read_corpus(tsv, column=2, errors="skip")) == ["좋은 영화"]


def test_cp949_strict_error_names_file_and_line_and_auto_detects(tmp_path):
    path = write(tmp_path / "legacy.txt", LINES, encoding="cp949")
    with pytest.raises(BadInputError, match=r"legacy\.txt:1: bytes not valid in utf-8"):
        list(read_corpus(path))
    assert list(read_corpus(path, encoding="auto")) == LINES
    assert list(read_corpus(path, encoding="euc-kr")) == LINES


def test_bad_bytes_replace_or_skip_and_counted(tmp_path):
    path = tmp_path / "mixed.txt"
    path.write_bytes("좋다\n".encode() + b"\xff\xfe bad\n" + "싫다\n".encode())
    corpus = read_corpus(path, errors="skip")
    assert list(corpus) == ["좋다", "싫다"]
    assert corpus.stats.bad_lines == 1
    replaced = list(read_corpus(path, errors="replace"))
    assert replaced[1].startswith("\ufffd")


def test_nfc_by_default_so_decomposed_jamo_do_not_split_the_vocabulary(tmp_path):
    decomposed = unicodedata.normalize("NFD", "한국어")
    assert decomposed != "한국어"
    path = write(tmp_path / "nfd.txt", [decomposed])
    assert list(read_corpus(path)) == ["한국어"]
    assert list(read_corpus(path, normalize="none")) == [decomposed]


def test_byte_order_mark_is_dropped(tmp_path):
    path = tmp_path / "bom.txt"
    path.write_bytes(b"\xef\xbb\xbf" + "첫 줄\n".encode())
    assert list(read_corpus(path)) == ["첫 줄"]


def test_truncated_xz_is_a_clear_error_not_a_short_corpus(tmp_path):
    data = lzma.compress(("\n".join(LINES * 200) + "\n").encode())
    path = tmp_path / "cut.xz"
    path.write_bytes(data[: len(data) // 2])
    with pytest.raises(BadInputError, match="damaged or truncated"):
        list(read_corpus(path))


def test_max_lines_spans_files(tmp_path):
    a = write(tmp_path / "a.txt", LINES)
    b = write(tmp_path / "b.txt", LINES)
    assert list(read_corpus([a, b], max_lines=4)) == [*LINES, LINES[0]]


def test_stdin_is_read_once(monkeypatch):
    fake = io.TextIOWrapper(io.BytesIO(("\n".join(LINES) + "\n").encode()), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", fake)
    corpus = read_corpus("-")
    assert list(corpus) == LINES
    with pytest.raises(BadInputError, match="only be read once"):
        list(corpus)


def test_bundled_corpus_by_name():
    lines = list(read_corpus("kolaw"))
    assert lines[0] == "대한민국헌법"
    assert len(lines) > 300


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"column": 0}, "column must be 1 or more"),
        ({"errors": "ignore"}, "errors must be one of"),
        ({"encoding": "klingon"}, "unknown encoding"),
        ({"max_lines": 0}, "max_lines must be 1 or more"),
    ],
)
def test_bad_options(tmp_path, kwargs, message):
    with pytest.raises(BadInputError, match=message):
        read_corpus(write(tmp_path / "a.txt", LINES), **kwargs)


def test_file_with_only_carriage_returns_is_one_line_with_a_warning(tmp_path, caplog):
    path = tmp_path / "mac.txt"
    path.write_bytes("희망\r절망\r신념\r".encode())
    assert list(read_corpus(path)) == ["희망\r절망\r신념"]
    assert "no line feeds but 3 carriage returns" in caplog.text
    assert "tr '\\r' '\\n'" in caplog.text
    caplog.clear()
    # A lone CR inside an ordinary line (as in some NSMC reviews) is no warning.
    ordinary = tmp_path / "ok.txt"
    ordinary.write_bytes("희망\r절망\n신념\n".encode())
    assert list(read_corpus(ordinary)) == ["희망\r절망", "신념"]
    assert "carriage returns" not in caplog.text
