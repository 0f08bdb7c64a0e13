"""The Spark engine in local[2] mode: same tokens, MLlib word2vec, exact co-occurrence counts.

Needs pyspark and Java 17+; run without them with ``pytest -m 'not spark'``.
"""

from __future__ import annotations

import bz2
import gzip
import json
import shutil

import numpy as np
import pytest
from typer.testing import CliRunner

import koembed
from koembed.cli import app
from koembed.counts import count_cooccurrences
from tests.conftest import ROOT

pytestmark = pytest.mark.spark


@pytest.fixture(scope="module")
def spark():
    pytest.importorskip("pyspark")
    if shutil.which("java") is None:
        pytest.skip("the Spark engine needs Java")
    from koembed.engines import create_engine
    from koembed.engines.spark.session import session as spark_session

    engine = create_engine("spark")
    engine.configure("local[2]")
    session = spark_session()
    yield session
    session.stop()
    engine.configure(None)


def one_line(result) -> str:
    return " ".join(result.stderr.split())


@pytest.fixture(scope="module")
def reviews(tmp_path_factory):
    """A gzipped TSV with a header and a BOM, the text in column 2, an empty field."""
    folder = tmp_path_factory.mktemp("reviews")
    lines = (ROOT / "data" / "sentences.txt").read_text(encoding="utf-8").splitlines()
    law = list(koembed.read_corpus("kobill"))[:300]
    rows = ["\ufeffid\ttext"] + [f"{n}\t{text}" for n, text in enumerate(lines + law + [""])]
    path = folder / "reviews.tsv.gz"
    with gzip.open(path, "wt", encoding="utf-8", newline="\n") as handle:
        handle.write("\n".join(rows) + "\n")
    plain = folder / "more.txt.bz2"
    with bz2.open(plain, "wt", encoding="utf-8") as handle:
        handle.write("\n".join(law[::-1]) + "\r\n끝 줄\n")
    return path, plain


def test_spark_tokenize_writes_what_the_local_engine_writes(
    spark, tmp_path, reviews, example_user_dict
):
    tsv, plain = reviews
    options = dict(tokenizer="mecab", user_dict=example_user_dict)
    corpus = koembed.read_corpus([tsv], column=2, header=True)
    local = koembed.tokenize_corpus(corpus, tmp_path / "local.txt", **options)
    remote = koembed.tokenize_corpus(corpus, tmp_path / "spark.txt", engine="spark", **options)
    assert remote.path.read_bytes() == local.path.read_bytes()
    assert "가우스전자" in remote.path.read_text(encoding="utf-8")  # the user dictionary travelled
    for key in ("lines", "tokens", "empty_lines", "bytes", "pipeline", "input"):
        assert remote.manifest[key] == local.manifest[key], key
    assert remote.manifest["engine"] == "spark"
    # Several files (bz2 split by Spark, a \r\n line) come back in order.
    both = koembed.read_corpus([plain, "kolaw"])
    local = koembed.tokenize_corpus(both, tmp_path / "l2.txt")
    remote = koembed.tokenize_corpus(both, tmp_path / "s2.txt", engine="spark")
    assert remote.path.read_bytes() == local.path.read_bytes()
    # A URI goes to Spark as it is (hdfs://, s3a://...; file:// here), and is not cached.
    uri = koembed.read_corpus(plain.as_uri())
    result = koembed.tokenize_corpus(uri, tmp_path / "s3.txt", engine="spark")
    assert (
        result.path.read_bytes()
        == koembed.tokenize_corpus(plain, tmp_path / "l3.txt").path.read_bytes()
    )
    assert "cache" not in result.manifest
    with pytest.raises(koembed.BadInputError, match="URIs are read by engine='spark'"):
        koembed.tokenize_corpus(uri, tmp_path / "l4.txt")


def test_parquet_in_and_out(spark, tmp_path, reviews):
    tsv, _ = reviews
    frame = spark.read.option("header", True).option("sep", "\t").csv(str(tsv))
    table = str(tmp_path / "reviews.parquet")
    frame.write.parquet(table)
    corpus = koembed.read_corpus([table], column=2)
    out = tmp_path / "tokens.parquet"
    result = koembed.tokenize_corpus(corpus, out, engine="spark")
    assert out.is_dir() and result.manifest["storage"] == "parquet"
    rows = [row.tokens for row in spark.read.parquet(str(out)).collect()]
    local = koembed.tokenize_corpus(
        koembed.read_corpus([tsv], column=2, header=True), tmp_path / "l"
    )
    expected = local.path.read_text(encoding="utf-8").splitlines()
    # CSV reads the empty last field as null; the reviews themselves match.
    assert sorted(rows) == sorted(expected)
    with pytest.raises(koembed.BadInputError, match="train with engine='spark'"):
        koembed.train("word2vec", out, min_count=1)
    model = koembed.train("ppmi", out, engine="spark", dim=4, min_count=2)
    assert len(model) > 10


def test_inputs_spark_cannot_read_are_refused_in_one_line(spark, tmp_path, sentences_path):
    packed = tmp_path / "s.txt.xz"
    import lzma

    packed.write_bytes(lzma.compress(sentences_path.read_bytes()))
    result = CliRunner().invoke(
        app, ["tokenize", str(packed), "-o", str(tmp_path / "o"), "--engine", "spark"]
    )
    assert result.exit_code == 1
    assert "Spark cannot read .xz files; decompress it" in one_line(result)
    legacy = tmp_path / "legacy.txt"
    legacy.write_bytes("첫 줄\n".encode() + "둘째 줄\n".encode("cp949"))
    result = CliRunner().invoke(
        app, ["tokenize", str(legacy), "-o", str(tmp_path / "o"), "--engine", "spark"]
    )
    assert result.exit_code == 1 and "Traceback" not in result.output
    assert "legacy.txt:2: bytes not valid in utf-8" in one_line(result)
    assert not (tmp_path / "o").exists()
    skipped = koembed.tokenize_corpus(
        koembed.read_corpus(legacy, errors="skip"), tmp_path / "o", engine="spark"
    )
    assert skipped.manifest["lines"] == 1 and skipped.manifest["undecodable_lines"] == 1


def test_word2vec_on_spark_writes_a_model_directory(spark, tmp_path, law_tokens):
    out = tmp_path / "w2v"
    args = ["train", "word2vec", str(law_tokens.path), "-o", str(out), "--engine", "spark"]
    result = CliRunner().invoke(
        app, [*args, "--dim", "16", "--min-count", "3", "--epochs", "1", "--workers", "2"]
    )
    assert result.exit_code == 0, result.output
    model = koembed.load(out)
    meta = json.loads((out / "koembed.json").read_text(encoding="utf-8"))
    assert meta["params"]["engine"] == "spark" and meta["params"]["hs"] is True
    counts = {}
    for tokens in law_tokens:
        for token in tokens:
            counts[token] = counts.get(token, 0) + 1
    frequent = sorted((w for w, c in counts.items() if c >= 3), key=lambda w: (-counts[w], w))
    assert model.words == frequent
    assert model.dim == 16 and np.isfinite(model.vectors).all()
    assert model.most_similar("헌법", topn=3)
    refused = CliRunner().invoke(app, [*args, "--cbow", "--overwrite"])
    assert refused.exit_code == 1 and "cannot take --cbow" in one_line(refused)


@pytest.mark.parametrize("weighting", [True, False])
def test_spark_cooccurrence_counts_equal_the_local_counts(spark, law_tokens, weighting):
    from koembed.engines import create_engine

    count_with_spark = create_engine("spark").count_cooccurrences

    options = dict(window=4, distance_weighting=weighting, symmetric=True, min_count=2)
    local = count_cooccurrences(law_tokens, **options)
    remote = count_with_spark(law_tokens, **options)
    assert remote.vocabulary.words == local.vocabulary.words
    assert (remote.vocabulary.counts == local.vocabulary.counts).all()
    assert remote.vocabulary.tokens == local.vocabulary.tokens
    assert (remote.rows == local.rows).all() and (remote.cols == local.cols).all()
    assert (remote.values == local.values).all()  # exact, not close


def test_spark_counts_take_the_local_counters_options(spark, law_tokens):
    from koembed.engines import create_engine

    engine = create_engine("spark")
    options = dict(window=3, symmetric=False, min_count=2, max_vocab=40)
    local = count_cooccurrences(law_tokens, **options)
    remote = engine.count_cooccurrences(law_tokens, **options)
    assert remote.vocabulary.words == local.vocabulary.words and len(local.vocabulary) == 40
    assert (remote.rows == local.rows).all() and (remote.cols == local.cols).all()
    assert (remote.values == local.values).all()
    assert (remote.window, remote.symmetric) == (3, False)
    with pytest.raises(koembed.BadInputError, match="unexpected keyword argument 'windw'"):
        engine.count_cooccurrences(law_tokens, windw=3)


def test_glove_on_spark_from_the_cli(spark, tmp_path, law_tokens):
    out = tmp_path / "glove"
    result = CliRunner().invoke(
        app,
        ["train", "glove", str(law_tokens.path), "-o", str(out), "--engine", "spark",
         "--master", "local[2]", "--dim", "8", "--epochs", "2", "--min-count", "3",
         "--workers", "1"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    local = koembed.train("glove", law_tokens, dim=8, epochs=2, min_count=3, workers=1)
    remote = koembed.load(out)
    assert remote.words == local.words
    assert np.allclose(remote.vectors, local.vectors)  # same counts, same seed


def test_row_blocks_share_the_estimated_entries_evenly():
    from koembed.engines.spark.count import BLOCK_BYTES, row_blocks

    # Zipf-like counts in frequency order, as a vocabulary holds them.
    counts = (1_000_000 / np.arange(1, 50_001)).astype(np.int64) + 5
    bounds = row_blocks(counts, window=10, parallelism=2)
    assert bounds[0] == 0 and bounds[-1] == len(counts)
    assert (np.diff(bounds) >= 0).all()
    load = np.minimum(counts * 20, len(counts)).astype(float)
    per_block = np.add.reduceat(load, bounds[:-1][np.diff(bounds) > 0])
    assert len(bounds) - 1 >= np.ceil(16 * load.sum() / BLOCK_BYTES)
    # Equal row ranges would put most of the load in block 0; these are even.
    assert per_block.max() <= 2 * load.sum() / (len(bounds) - 1)
    assert len(row_blocks(counts[:10], window=10, parallelism=2)) - 1 == 4  # small: 2 x cores


# -- prepare kowiki on Spark ------------------------------------------------------------


def _wiki_dump(tmp_path, compress: bool):
    from tests.test_wikipedia import ARTICLE, dump_xml, page

    pages = [page("대한민국", 0, ARTICLE), page("남한", 0, "#넘겨주기 [[대한민국]]", "대한민국")]
    pages += [
        page(f"문서{i}", 0, f"'''문서{i}'''는 [[예시|예]] {i}번째 글이다.") for i in range(40)
    ]
    pages.append(page("토론:문서", 1, "토론 내용이다."))
    data = dump_xml(pages)
    path = tmp_path / ("kowiki.xml.bz2" if compress else "kowiki.xml")
    path.write_bytes(bz2.compress(data) if compress else data)
    return path


@pytest.mark.parametrize("compress", [True, False])
def test_prepare_kowiki_on_spark_writes_what_the_local_engine_does(spark, tmp_path, compress):
    from koembed.engines.spark.wikipedia import prepare_wikipedia as on_spark
    from koembed.text.wikipedia import prepare_wikipedia

    dump = _wiki_dump(tmp_path, compress)
    local = prepare_wikipedia(dump, tmp_path / "local.txt")
    # Small splits: many tasks, each starting mid-file, and the lines still in dump order.
    spread = on_spark(dump, tmp_path / "spark.txt", split_bytes=None if compress else 1500)
    assert (tmp_path / "spark.txt").read_bytes() == (tmp_path / "local.txt").read_bytes()
    assert (spread.pages, spread.articles, spread.redirects, spread.lines) == (
        local.pages, local.articles, local.redirects, local.lines,
    )  # fmt: skip
    assert local.articles == 41 and local.redirects == 1


def test_prepare_kowiki_command_takes_the_spark_engine(spark, tmp_path):
    dump = _wiki_dump(tmp_path, True)
    out = tmp_path / "kowiki.txt"
    result = CliRunner().invoke(
        app, ["corpus", "prepare", "kowiki", str(dump), "-o", str(out), "--engine", "spark"]
    )
    assert result.exit_code == 0, result.output
    assert "from 41 articles (43 pages, 1 redirects)" in " ".join(result.output.split())
    truncated = tmp_path / "truncated.xml.bz2"
    truncated.write_bytes(dump.read_bytes()[: dump.stat().st_size // 2])
    bad = tmp_path / "bad.txt"
    result = CliRunner().invoke(
        app, ["corpus", "prepare", "kowiki", str(truncated), "-o", str(bad), "--engine", "spark"]
    )
    assert result.exit_code == 1 and len(result.output.strip().splitlines()) == 1
    assert result.output.startswith("error: ") and not bad.exists()
