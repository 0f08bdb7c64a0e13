"""What the shared co-occurrence counter counts, pinned on hand-computed examples,
and that spilling to disk changes no count."""

from __future__ import annotations

import numpy as np
import pytest

import koembed.counts.table as table
from koembed.counts import SCALE, build_vocabulary, count_cooccurrences, iter_pairs
from koembed.errors import BadInputError

# "z" occurs once: with min_count=2 it is dropped before windowing, so in the
# first line "b" and "c" become neighbours (distance 1, not 2). The two "c"s at
# the end of line 1 and the start of line 2 never pair: windows stop at lines.
TINY = [["a", "b", "z", "c"], ["c", "a", "b"], ["b"]]


def as_dict(counts) -> dict[tuple[str, str], float]:
    return {(word, context): value for word, context, value in iter_pairs(counts)}


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        # 1/d weighting, symmetric, window 2 (after dropping z):
        #   line 1 "a b c": a-b at 1, b-c at 1, a-c at 2 (1/2)
        #   line 2 "c a b": c-a at 1, a-b at 1, c-b at 2 (1/2)
        (
            dict(window=2),
            {
                ("a", "b"): 2.0,
                ("b", "a"): 2.0,
                ("b", "c"): 1.5,
                ("c", "b"): 1.5,
                ("a", "c"): 1.5,
                ("c", "a"): 1.5,
            },
        ),
        # window 1: the pairs at distance 2 go
        (
            dict(window=1),
            {
                ("a", "b"): 2.0,
                ("b", "a"): 2.0,
                ("b", "c"): 1.0,
                ("c", "b"): 1.0,
                ("a", "c"): 1.0,
                ("c", "a"): 1.0,
            },
        ),
        # plain counts (PPMI): every pair within the window counts 1
        (
            dict(window=2, distance_weighting=False),
            {
                ("a", "b"): 2.0,
                ("b", "a"): 2.0,
                ("b", "c"): 2.0,
                ("c", "b"): 2.0,
                ("a", "c"): 2.0,
                ("c", "a"): 2.0,
            },
        ),
        # asymmetric: row = word, column = context to its left
        #   line 1: b<-a 1, c<-b 1, c<-a 1/2; line 2: a<-c 1, b<-a 1, b<-c 1/2
        (
            dict(window=2, symmetric=False),
            {("b", "a"): 2.0, ("c", "b"): 1.0, ("c", "a"): 0.5, ("a", "c"): 1.0, ("b", "c"): 0.5},
        ),
        # min_count=1 keeps z: "a b z c" has b-z 1, z-c 1, a-z 1/2, b-c 1/2 (a-c at 3 is out)
        (
            dict(window=2, min_count=1),
            {
                ("a", "b"): 2.0,
                ("b", "a"): 2.0,
                ("b", "z"): 1.0,
                ("z", "b"): 1.0,
                ("z", "c"): 1.0,
                ("c", "z"): 1.0,
                ("a", "z"): 0.5,
                ("z", "a"): 0.5,
                ("b", "c"): 1.0,
                ("c", "b"): 1.0,
                ("a", "c"): 1.0,
                ("c", "a"): 1.0,
            },
        ),
    ],
)
def test_counts_on_a_hand_computed_example(options, expected):
    options.setdefault("min_count", 2)
    counts = count_cooccurrences(TINY, **options)
    assert as_dict(counts) == pytest.approx(expected, rel=1e-6)
    assert counts.nnz == len(expected)


def test_a_word_next_to_itself_is_counted_on_the_diagonal():
    counts = count_cooccurrences([["a", "a", "b", "a"]], window=3, min_count=1)
    # a-a at distances 1, 3, 2 -> 1 + 1/3 + 1/2, both ways round
    assert as_dict(counts)[("a", "a")] == pytest.approx(2 * (1 + 1 / 3 + 1 / 2), rel=1e-6)


def test_third_weights_are_held_in_exact_fixed_point():
    counts = count_cooccurrences([["a", "x", "y", "b"]] * 3, window=3, min_count=1)
    value = as_dict(counts)[("a", "b")]
    assert value == pytest.approx(1.0, rel=1e-6)  # 3 x 1/3
    assert value * SCALE == round(value * SCALE)


def test_vocabulary_is_most_frequent_first_ties_by_word_and_cut_at_max_vocab():
    vocabulary = build_vocabulary(TINY, min_count=1, max_vocab=3)
    assert vocabulary.words == ["b", "a", "c"]  # b 3; a, c 2 each; z 1 cut
    assert vocabulary.counts.tolist() == [3, 2, 2]
    assert vocabulary.tokens == 8 and vocabulary.lines == 3


def test_matrix_views_agree():
    counts = count_cooccurrences(TINY, window=2, min_count=1)
    dense = counts.to_coo().toarray()
    assert np.array_equal(dense, counts.to_csr().toarray())
    assert np.allclose(dense, dense.T)  # symmetric counting


def test_reads_a_tokenized_file_like_token_lists(law_tokens):
    lines = list(law_tokens)[:200]
    from_lists = count_cooccurrences(lines, window=3, min_count=2)
    path = law_tokens.path.parent / "head.tokens"
    path.write_text("".join(" ".join(line) + "\n" for line in lines), encoding="utf-8")
    from_file = count_cooccurrences(path, window=3, min_count=2)
    assert from_file.vocabulary.words == from_lists.vocabulary.words
    assert np.array_equal(from_file.values, from_lists.values)


def _same(first, second) -> None:
    assert first.vocabulary.words == second.vocabulary.words
    assert np.array_equal(first.rows, second.rows)
    assert np.array_equal(first.cols, second.cols)
    assert np.array_equal(first.values, second.values)  # exactly, not approximately


@pytest.mark.parametrize("dense_share", [0.0, 0.25, 0.9])
@pytest.mark.parametrize("distance_weighting", [True, False])
def test_spilling_to_disk_gives_exactly_the_in_memory_counts(
    law_tokens, monkeypatch, dense_share, distance_weighting
):
    options = dict(window=5, min_count=2, distance_weighting=distance_weighting)
    in_memory = count_cooccurrences(law_tokens, memory=1.0, **options)
    assert in_memory.spills == 0
    # All pairs hashed, some in the dense block, or (with a large enough
    # share) as many as fit; a budget of ~200 KB spills dozens of times.
    monkeypatch.setattr(table, "_DENSE_SHARE", dense_share)
    spilled = count_cooccurrences(
        law_tokens, memory=2e-4, vocabulary=in_memory.vocabulary, **options
    )
    assert spilled.spills > 5
    _same(in_memory, spilled)


def test_growing_the_hash_table_changes_no_count(law_tokens, monkeypatch):
    options = dict(window=5, min_count=2)
    reference = count_cooccurrences(law_tokens, **options)
    monkeypatch.setattr(table, "_FIRST_CAPACITY", 64)
    monkeypatch.setattr(table, "_DENSE_SHARE", 0.0)
    _same(reference, count_cooccurrences(law_tokens, **options))


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (dict(window=0), "window(0) must be 1 to 10000"),
        (dict(window=2.5), "window=2.5 must be an int"),
        (dict(min_count=0), "min_count(0) must be >= 1"),
        (dict(memory=0), "memory(0) must be a positive number of GiB"),
        (dict(memory=-1.0), "memory(-1.0) must be a positive number of GiB"),
        (dict(min_count=100), "no word occurs 100 times or more"),
    ],
)
def test_bad_arguments_are_one_line_errors(options, message):
    with pytest.raises(BadInputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        count_cooccurrences(TINY, **options)


def test_a_generator_is_refused_because_counting_reads_twice():
    with pytest.raises(BadInputError, match="one-shot iterator"):
        count_cooccurrences(iter(TINY), min_count=1)


def test_file_lines_are_the_lines_a_tokenized_corpus_yields(tmp_path):
    # U+2028 and U+0085 are whitespace inside a line, not line breaks; CR LF is one break.
    path = tmp_path / "odd.tokens"
    path.write_bytes("a b\u2028c\r\nc a\x85b\n".encode())
    counts = count_cooccurrences(path, window=1, min_count=1)
    assert counts.vocabulary.lines == 2
    assert as_dict(counts)[("b", "c")] == 1.0  # "a b c" (the line break is between c and c)
    assert ("c", "c") not in as_dict(counts)
