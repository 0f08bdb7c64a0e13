"""Queries and benchmarks of koembed.evaluate on hand-made vectors whose
answers are worked out by hand, and on the kolaw/kobill word2vec model for
tokenized lookups."""

from __future__ import annotations

import math

import numpy as np
import pytest

from koembed import Embeddings, UnknownWordError
from koembed.errors import BadInputError, UnknownNameError
from koembed.evaluate import (
    AnalogyItem,
    WordPair,
    analogy,
    analogy_resolved,
    analogy_scores,
    doesnt_match,
    doesnt_match_resolved,
    evaluate_model,
    evaluate_word_analogies,
    evaluate_word_pairs,
    read_analogies,
    read_word_pairs,
    section_kind,
    similarity,
    similarity_resolved,
    top_words,
)

# Words on the unit circle at these angles (degrees), stored at different
# lengths: every method must normalize before taking cosines.
ANGLES = {"남자": 0, "왕": 90, "여자": 30, "여왕": 120, "빵": 180, "돌": 270}
LENGTHS = {"남자": 2.0, "왕": 0.5, "여자": 1.0, "여왕": 3.0, "빵": 1.5, "돌": 1.0}
COUNTS = {"남자": 50, "왕": 10, "여자": 40, "여왕": 5, "빵": 30, "돌": 20}


def circle_model() -> Embeddings:
    words = list(ANGLES)
    vectors = np.array(
        [
            [LENGTHS[w] * math.cos(math.radians(a)), LENGTHS[w] * math.sin(math.radians(a))]
            for w, a in ANGLES.items()
        ],
        dtype=np.float32,
    )
    return Embeddings(words, vectors, np.array([COUNTS[w] for w in words]), {"method": "circle"})


@pytest.fixture
def model() -> Embeddings:
    return circle_model()


# 남자 : 왕 :: 여자 : ?  with a = 0°, b = 90°, c = 30°.
#   여왕 (120°): cos a = -1/2, cos b = √3/2, cos c = 0
#       3CosAdd = √3/2 + 1/2 + 0                      = 1.36603
#       3CosMul = (1+√3/2)/2 · (1+0)/2 / ((1-1/2)/2 + ε) = 0.93301 · 0.5 / 0.251 = 1.85859
#   빵 (180°):  cos a = -1, cos b = 0, cos c = -√3/2
#       3CosAdd = 0 + 1 - √3/2                        = 0.13397
#       3CosMul = 0.5 · (1-√3/2)/2 / (0 + ε)          = 33.49365
#   돌 (270°):  cos a = 0, cos b = -1, cos c = -1/2
#       3CosAdd = -1 - 0 - 1/2 = -1.5;  3CosMul = 0 (shifted cos b is 0)
#   왕 itself would score 3CosAdd 1 - 0 + 1/2 = 1.5 > 여왕: it must be excluded.
ROOT3 = math.sqrt(3)
EXPECTED = {
    "3cosadd": [("여왕", ROOT3 / 2 + 0.5), ("빵", 1 - ROOT3 / 2), ("돌", -1.5)],
    "3cosmul": [
        ("빵", 0.5 * (1 - ROOT3 / 2) / 2 / 0.001),
        ("여왕", (1 + ROOT3 / 2) / 2 * 0.5 / 0.251),
        ("돌", 0.0),
    ],
}


@pytest.mark.parametrize("method", ["3cosadd", "3cosmul"])
def test_analogy_pinned_on_the_circle(model, method):
    answers = analogy(model, "남자", "왕", "여자", method=method, topn=3)
    assert [w for w, _ in answers] == [w for w, _ in EXPECTED[method]]
    for (_, got), (_, want) in zip(answers, EXPECTED[method]):
        assert got == pytest.approx(want, abs=1e-4)


def test_analogy_never_answers_a_question_word(model):
    answers = [w for w, _ in analogy(model, "남자", "왕", "여자", topn=10)]
    assert not {"남자", "왕", "여자"} & set(answers)
    assert len(answers) == 3  # only the three other words exist


def test_analogy_scores_matrix_matches_the_formula(model):
    unit = model.unit_vectors
    a, b, c = (unit[[model.index[w]]] for w in ("남자", "왕", "여자"))
    add = analogy_scores(unit, a, b, c, "3cosadd")[0]
    assert add[model.index["왕"]] == pytest.approx(1.5, abs=1e-6)
    with pytest.raises(UnknownNameError, match="3cosadd, 3cosmul"):
        analogy_scores(unit, a, b, c, "3coswhatever")


def test_analogy_restrict_vocab_searches_only_frequent_rows(model):
    # Rows in order: 남자 왕 여자 여왕 빵 돌; the first 4 leave only 여왕 to answer.
    result = analogy_resolved(model, "남자", "왕", "여자", method="3cosmul", restrict_vocab=4)
    assert [w for w, _ in result.answers] == ["여왕"]


def test_unknown_question_word_is_an_error_with_spellings(model):
    with pytest.raises(UnknownWordError, match="여왕"):
        analogy(model, "남자", "왕", "여웅")


def test_similarity_and_doesnt_match(model):
    assert similarity(model, "남자", "여자") == pytest.approx(ROOT3 / 2, abs=1e-6)
    assert similarity_resolved(model, "남자", "왕").cosine == pytest.approx(0.0, abs=1e-6)
    # The mean of the 0°, 30°, 90° and 180° unit vectors points at 60°: 빵 is furthest.
    assert doesnt_match(model, ["남자", "여자", "왕", "빵"]) == "빵"
    result = doesnt_match_resolved(model, ["남자", "여자", "왕", "빵"])
    assert result.odd == "빵"
    assert next(w for w, _ in result.cosines) == "빵"
    with pytest.raises(BadInputError):
        doesnt_match(model, ["남자"])


def test_top_words_by_count(model):
    rows = top_words(model, 3)
    assert [(r.rank, r.word, r.count) for r in rows] == [
        (1, "남자", 50),
        (2, "여자", 40),
        (3, "빵", 30),
    ]
    uncounted = Embeddings(model.words, model.vectors)
    assert [r.count for r in top_words(uncounted, 2)] == [None, None]


# -- reading test files --------------------------------------------------------------


def test_word_pairs_with_byte_order_mark_and_header(tmp_path):
    path = tmp_path / "ws.csv"
    path.write_bytes("\ufeffword 1,word 2,kor_score\n사랑,섹스,6.42\n호랑이,고양이,7.17\n".encode())
    pairs = read_word_pairs(path)
    assert [(p.first, p.second, p.score) for p in pairs] == [
        ("사랑", "섹스", 6.42),
        ("호랑이", "고양이", 7.17),
    ]
    assert pairs[0].line == 2


def test_word_pairs_tab_separated_with_comments_and_no_header(tmp_path):
    path = tmp_path / "ws.tsv"
    path.write_text("# a comment\n책\t종이\t6.17\n", encoding="utf-8")
    assert read_word_pairs(path) == [WordPair("책", "종이", 6.17, 2)]


def test_word_pairs_bad_score_names_the_line(tmp_path):
    path = tmp_path / "ws.csv"
    path.write_text("a,b,score\n책,종이,6.17\n책,종이,높음\n", encoding="utf-8")
    with pytest.raises(BadInputError, match=r"ws.csv:3: score '높음'"):
        read_word_pairs(path)


def test_published_ws353_reads_as_353_pairs(eval_dir):
    pairs = read_word_pairs(eval_dir / "kor_ws353.csv")
    assert len(pairs) == 353
    assert (pairs[0].first, pairs[0].second, pairs[0].score) == ("사랑", "섹스", 6.42)


def test_analogy_sections_colon_and_hash(tmp_path):
    path = tmp_path / "an.txt"
    path.write_text(
        ": sem1_x\n남자 왕 여자 여왕\n\n# syn1_y\n가다 갔다 오다 왔다\n", encoding="utf-8"
    )
    items = read_analogies(path)
    assert items == [
        AnalogyItem("sem1_x", "남자", "왕", "여자", "여왕", 2),
        AnalogyItem("syn1_y", "가다", "갔다", "오다", "왔다", 5),
    ]
    path.write_text(": s\n남자 왕 여자\n", encoding="utf-8")
    with pytest.raises(BadInputError, match=r"an.txt:2: expected four words"):
        read_analogies(path)


def test_published_analogy_file_has_ten_sections(eval_dir):
    items = read_analogies(eval_dir / "kor_analogy.txt")
    sections = list(dict.fromkeys(item.section for item in items))
    assert len(items) == 10_000
    assert len(sections) == 10
    assert [section_kind(s) for s in sections] == ["semantic"] * 5 + ["syntactic"] * 5


# -- benchmarks: coverage is counted, never scored as 0 -------------------------------------


ANALOGY_FILE = """\
: sem1_test
남자 왕 여자 여왕
남자 왕 여자 없는말
: syn1_test
남자 왕 여자 빵
# other
왕 남자 모름 여자
"""


@pytest.mark.parametrize(
    ("method", "sem_correct", "syn_correct"), [("3cosadd", 1, 0), ("3cosmul", 0, 1)]
)
def test_analogy_evaluation_counts_coverage(model, tmp_path, method, sem_correct, syn_correct):
    path = tmp_path / "an.txt"
    path.write_text(ANALOGY_FILE, encoding="utf-8")
    result = evaluate_word_analogies(model, path, method=method, topk=2)
    by_name = {s.name: s for s in result.sections}
    assert (by_name["sem1_test"].found, by_name["sem1_test"].total) == (1, 2)
    assert (by_name["syn1_test"].found, by_name["syn1_test"].total) == (1, 1)
    assert (by_name["other"].kind, by_name["other"].found, by_name["other"].total) == (
        "other",
        0,
        1,
    )
    assert by_name["sem1_test"].correct == sem_correct
    assert by_name["syn1_test"].correct == syn_correct
    # Accuracy is over the items found: an unknown word is not a wrong answer.
    assert result.semantic.accuracy == sem_correct
    assert result.syntactic.accuracy == syn_correct
    assert (result.overall.found, result.overall.total) == (2, 4)
    assert result.overall.found_vocab == 2
    assert result.overall.hits == 2  # 여왕 and 빵 are each other's runner-up
    assert result.oov_words == ["없는말", "모름"]
    assert result.path == str(path)


def test_batched_evaluation_agrees_with_single_queries(model):
    rng = np.random.default_rng(0)
    words = model.words
    items = []
    for _ in range(40):
        a, b, c, d = rng.choice(len(words), size=4, replace=False)
        items.append(AnalogyItem("s", words[a], words[b], words[c], words[d], 0))
    for method in ("3cosadd", "3cosmul"):
        result = evaluate_word_analogies(model, items, method=method)
        expected = sum(
            analogy(model, i.a, i.b, i.c, method=method, topn=1)[0][0] == i.d for i in items
        )
        assert result.overall.correct == expected


def test_word_pairs_spearman_pearson_and_coverage(model, tmp_path):
    path = tmp_path / "ws.csv"
    path.write_bytes(
        "\ufeffword 1,word 2,kor_score\n남자,왕,1\n왕,여자,2\n남자,여자,3\n남자,없는말,9\n".encode()
    )
    result = evaluate_word_pairs(model, path)
    cosines = [0.0, 0.5, ROOT3 / 2]
    assert result.spearman == pytest.approx(1.0)
    assert result.pearson == pytest.approx(np.corrcoef([1, 2, 3], cosines)[0, 1], abs=1e-6)
    assert (result.found, result.total, result.found_vocab) == (3, 4, 3)
    assert result.oov_words == ["없는말"]
    assert result.oov_pairs == [("남자", "없는말")]


def test_too_few_pairs_give_no_correlation(model):
    pairs = [WordPair("남자", "왕", 1.0, 1), WordPair("왕", "없는말", 2.0, 2)]
    result = evaluate_word_pairs(model, pairs)
    assert result.spearman is None and result.found == 1


def test_evaluate_model_needs_a_test_file(model):
    with pytest.raises(BadInputError, match="nothing to evaluate"):
        evaluate_model(model)


# -- tokenized lookups through the model's own mecab pipeline ------------------------------


def test_query_is_tokenized_like_the_corpus(law_model):
    # kolaw/kobill never say 희망; 국민을 is the same case: mecab gives 국민 / 을.
    assert "국민을" not in law_model
    query = law_model.resolve("국민을")
    assert query.tokens == ["국민", "을"] and query.found == ["국민", "을"]
    result = similarity_resolved(law_model, "국민을", "국민")
    assert result.resolved[0].tokens == ["국민", "을"]
    assert 0 < result.cosine < 1


def test_tokenize_raises_coverage_and_reports_both(law_model, tmp_path):
    pairs = [
        WordPair("국민을", "국민", 9.0, 1),
        WordPair("국회", "의원", 7.0, 2),
        WordPair("헌법", "법률", 8.0, 3),
        WordPair("국민", "쀍쀍", 1.0, 4),
    ]
    plain = evaluate_word_pairs(law_model, pairs)
    tokenized = evaluate_word_pairs(law_model, pairs, tokenize=True)
    assert (plain.found, plain.found_vocab) == (2, 2)
    assert (tokenized.found, tokenized.found_vocab, tokenized.total) == (3, 2, 4)
    assert "국민을" in plain.oov_words and "국민을" not in tokenized.oov_words
    assert tokenized.oov_words == ["쀍쀍"]


def test_tokenized_analogy_can_answer_an_inflected_word(law_model):
    items = [AnalogyItem("syn_case", "국회", "국회가", "국민", "국민이", 1)]
    plain = evaluate_word_analogies(law_model, items)
    tokenized = evaluate_word_analogies(law_model, items, tokenize=True)
    assert plain.overall.found == 0 and plain.oov_words == ["국회가", "국민이"]
    assert tokenized.overall.found == 1 and tokenized.overall.found_vocab == 0
    assert tokenized.composed == 2  # 국회가 and 국민이 joined the candidates


def test_batched_3cosadd_agrees_with_gensim(law_model):
    from gensim.models import KeyedVectors

    reference = KeyedVectors(law_model.dim)
    reference.add_vectors(law_model.words, np.asarray(law_model.vectors))
    rng = np.random.default_rng(7)
    items, expected = [], 0
    for i in range(60):
        a, b, c, other = (law_model.words[j] for j in rng.choice(300, size=4, replace=False))
        best = reference.most_similar(positive=[b, c], negative=[a], topn=1)[0][0]
        # Half the items expect gensim's answer, half some other word.
        d = best if i % 2 == 0 else (other if other != best else a)
        expected += d == best
        items.append(AnalogyItem("s", a, b, c, d, i))
    result = evaluate_word_analogies(law_model, items)
    assert result.overall.found == 60
    assert result.overall.correct == expected == 30


def test_half_known_queries_are_refused_unless_partial(model):
    with pytest.raises(UnknownWordError, match="남자 여웅") as caught:
        model.most_similar("남자 여웅")
    assert caught.value.missing == ["여웅"] and "partial=True" in str(caught.value)
    assert model.most_similar("남자 여웅", partial=True) == model.most_similar("남자")
    with pytest.raises(UnknownWordError):
        similarity(model, "남자 여웅", "왕")
    assert similarity(model, "남자 여웅", "왕", partial=True) == similarity(model, "남자", "왕")
    with pytest.raises(UnknownWordError):
        analogy(model, "남자", "왕", "여자 여웅")
    assert doesnt_match(model, ["남자", "여자", "여웅", "빵"]) == doesnt_match(
        model, ["남자", "여자", "빵"]
    )


def test_mean_distance_is_the_3cosadd_vectors_cosine_distance_to_the_answer(model, tmp_path):
    # b - a + c for 남자 : 왕 :: 여자 : ? on the unit circle is (cos 30° - 1, 1 + sin 30°);
    # its cosine distance to 여왕 (120°) and to 빵 (180°), by hand:
    target = np.array([math.cos(math.radians(30)) - 1, 1 + math.sin(math.radians(30))])
    target /= np.linalg.norm(target)
    to_queen = 1 - target @ [math.cos(math.radians(120)), math.sin(math.radians(120))]
    to_bread = 1 - target @ [-1.0, 0.0]
    assert to_queen == pytest.approx(0.092927, abs=1e-6)
    path = tmp_path / "an.txt"
    path.write_text(ANALOGY_FILE, encoding="utf-8")
    for method in ("3cosadd", "3cosmul"):  # the distance is 3CosAdd's whatever ranks answers
        result = evaluate_word_analogies(model, path, method=method)
        assert result.semantic.mean_distance == pytest.approx(to_queen, abs=1e-6)
        assert result.syntactic.mean_distance == pytest.approx(to_bread, abs=1e-6)
        assert result.overall.mean_distance == pytest.approx((to_queen + to_bread) / 2, abs=1e-6)
        assert result.to_dict()["overall"]["mean_distance"] == result.overall.mean_distance
        assert {s.name: s.mean_distance for s in result.sections}["other"] is None


def test_tokenized_evaluation_also_reports_vocabulary_only_analogies(law_model, tmp_path):
    path = tmp_path / "an.txt"
    path.write_text(": syn1_josa\n국민 국민의 국가 국가의\n국민 국민 국가 국가\n", encoding="utf-8")
    report = evaluate_model(law_model, analogy=path, tokenize=True)
    assert report.analogies.tokenized and report.analogies.overall.found == 2
    alone = report.analogies_vocabulary
    assert alone is not None and not alone.tokenized
    assert (alone.overall.found, alone.composed) == (1, 0)  # 국민의 is not a vocabulary word
    assert evaluate_model(law_model, analogy=path).analogies_vocabulary is None
