"""A slice of the real NSMC reviews (skipped where ../shared is absent)."""

from __future__ import annotations

import lzma

import koembed


def test_text_column_of_the_xz_reviews_tokenizes_in_order(nsmc_path, tmp_path):
    corpus = koembed.read_corpus(nsmc_path, column=4, max_lines=3000)
    tokens = koembed.tokenize_corpus(corpus, tmp_path / "nsmc.mecab", workers=2)
    assert tokens.manifest["lines"] == 3000
    with lzma.open(nsmc_path, "rt", encoding="utf-8") as raw:
        first = raw.readline().rstrip("\n").split("\t")[3]
    mecab = koembed.create_tokenizer("mecab")
    first_line = tokens.path.open(encoding="utf-8").readline().split()
    assert first_line == mecab.tokenize(first)
    model = koembed.train("word2vec", tokens, dim=32, min_count=3, epochs=5, workers=2)
    assert "영화" in model
    assert len(model.most_similar("영화", topn=5)) == 5
