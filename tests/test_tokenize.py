"""Parallel tokenization into a tokenized corpus plus manifest."""

from __future__ import annotations

import json

import pytest

import koembed
from koembed import BadInputError, OutputExistsError
from koembed.tokenize import manifest_path


def leftovers(folder):
    return [p.name for p in folder.iterdir() if ".partial-" in p.name]


def test_two_workers_equal_one_and_keep_line_order(tmp_path):
    corpus = koembed.read_corpus(["kolaw", "kobill"])
    one = koembed.tokenize_corpus(corpus, tmp_path / "one.mecab", workers=1)
    two = koembed.tokenize_corpus(corpus, tmp_path / "two.mecab", workers=2)
    assert one.path.read_bytes() == two.path.read_bytes()
    lines = one.path.read_text(encoding="utf-8").splitlines()
    assert len(lines) == one.manifest["lines"] == len(list(corpus))
    assert lines[0] == "대한민국 헌법"


def test_manifest_records_how_the_tokens_were_made(tmp_path, sentences_path, example_user_dict):
    out = tmp_path / "s.mecab"
    result = koembed.tokenize_corpus(
        koembed.read_corpus(sentences_path),
        out,
        tokenizer="mecab",
        user_dict=str(example_user_dict),
    )
    manifest = json.loads(manifest_path(out).read_text(encoding="utf-8"))
    assert manifest == result.manifest
    tokenizer = manifest["pipeline"]["tokenizer"]
    assert tokenizer["name"] == "mecab"
    assert tokenizer["user_dict_sha256"] == koembed.load_user_dict(example_user_dict).sha256
    assert manifest["pipeline"]["normalizer"] == ["nfc"]
    assert manifest["lines"] == 10
    assert manifest["tokens"] == sum(len(line.split()) for line in out.open(encoding="utf-8"))
    assert manifest["input"]["paths"] == [str(sentences_path)]
    assert out.read_text(encoding="utf-8").startswith("가우스전자 가 신 제품 을 냈 다 .\n")
    # The tokenized corpus rebuilds the pipeline that made it.
    assert result.pipeline()("가우스전자가") == ["가우스전자", "가"]


def test_existing_output_made_otherwise_is_refused_unless_overwrite(tmp_path, sentences_path):
    out = tmp_path / "s.mecab"
    koembed.tokenize_corpus(sentences_path, out)
    with pytest.raises(OutputExistsError, match="already exists"):
        koembed.tokenize_corpus(sentences_path, out, pos=True)
    assert "/" not in out.read_text(encoding="utf-8")
    koembed.tokenize_corpus(sentences_path, out, overwrite=True, pos=True)
    assert "/NNG" in out.read_text(encoding="utf-8")


def test_output_may_not_replace_the_input(tmp_path, sentences_path):
    copy = tmp_path / "in.txt"
    copy.write_bytes(sentences_path.read_bytes())
    with pytest.raises(BadInputError, match="would overwrite the input"):
        koembed.tokenize_corpus(copy, copy, overwrite=True)
    assert copy.read_bytes() == sentences_path.read_bytes()


def test_empty_corpus_is_an_error_and_leaves_nothing(tmp_path):
    blank = tmp_path / "blank.txt"
    blank.write_text("\n  \n\n", encoding="utf-8")
    with pytest.raises(BadInputError, match="gave no tokens"):
        koembed.tokenize_corpus(blank, tmp_path / "out.mecab")
    assert not (tmp_path / "out.mecab").exists()
    assert not manifest_path(tmp_path / "out.mecab").exists()
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("workers", [1, 2])
def test_interrupted_run_leaves_no_output_and_keeps_the_previous_one(tmp_path, workers):
    out = tmp_path / "law.mecab"
    koembed.tokenize_corpus("kolaw", out)
    previous = out.read_bytes()
    calls = []

    def interrupt(event):
        if not event.finished:  # as Ctrl-C would, midway through
            calls.append(event)
            raise KeyboardInterrupt

    corpus = koembed.read_corpus(["kobill"])
    from koembed.engines import pool

    original = pool.BATCH_LINES
    pool.BATCH_LINES = 50  # several batches, so the interrupt lands midway
    try:
        with pytest.raises(KeyboardInterrupt):
            koembed.tokenize_corpus(
                corpus, out, overwrite=True, workers=workers, progress=interrupt
            )
    finally:
        pool.BATCH_LINES = original
    assert calls
    assert out.read_bytes() == previous
    assert leftovers(tmp_path) == []


def test_bad_worker_count(tmp_path, sentences_path):
    with pytest.raises(BadInputError, match="workers must be 1 or more"):
        koembed.tokenize_corpus(sentences_path, tmp_path / "o", workers=0)


def test_open_tokenized_detects_a_file_that_does_not_match_its_manifest(tmp_path, sentences_path):
    out = tmp_path / "s.mecab"
    koembed.tokenize_corpus(sentences_path, out)
    with out.open("a", encoding="utf-8") as handle:
        handle.write("덧붙인 줄\n")
    with pytest.raises(BadInputError, match="does not match its manifest"):
        koembed.open_tokenized(out)


def test_plain_tokenized_file_without_manifest_is_whitespace(tmp_path):
    path = tmp_path / "plain.txt"
    path.write_text("희망 을 잃 지 않 았 다\n", encoding="utf-8")
    tokenized = koembed.open_tokenized(path)
    assert list(tokenized) == [["희망", "을", "잃", "지", "않", "았", "다"]]
    assert tokenized.pipeline_spec["tokenizer"]["name"] == "whitespace"


@pytest.mark.parametrize("space", ["\u2028", "\x85", "\u3000", "\x1c", "\xa0", "\r", "\x0b"])
def test_odd_whitespace_never_yields_empty_or_spaced_tokens(tmp_path, space):
    path = tmp_path / "odd.txt"
    path.write_bytes(f"희망{space}절망\n둘째 줄\n".encode())
    tokens = koembed.tokenize_corpus(path, tmp_path / "odd.mecab")
    assert tokens.path.read_text(encoding="utf-8") == "희망 절망\n둘째 줄\n"
    assert list(tokens) == [["희망", "절망"], ["둘째", "줄"]]


def test_default_workers_one_per_core_but_in_process_for_small_inputs(tmp_path, monkeypatch):
    import koembed.tokenize.run

    small = tmp_path / "small.txt"
    small.write_text("희망을 품은 영화\n절망 속의 희망\n", encoding="utf-8")
    result = koembed.tokenize_corpus(small, tmp_path / "small.tok", tokenizer="whitespace")
    assert result.manifest["workers"] == 1
    # Lower the threshold rather than write 4 MiB; the file is now "large".
    monkeypatch.setattr(koembed.tokenize.run, "AUTO_WORKERS_MIN_BYTES", small.stat().st_size)
    monkeypatch.setattr(koembed.tokenize.run.os, "cpu_count", lambda: 2)
    result = koembed.tokenize_corpus(small, tmp_path / "large.tok", tokenizer="whitespace")
    assert result.manifest["workers"] == 2
    assert result.path.read_text(encoding="utf-8") == (tmp_path / "small.tok").read_text(
        encoding="utf-8"
    )
