"""LDA topics: training with both backends, the topic arithmetic pinned by hand,
saving and loading, the commands (topics, similar --text, embed, evaluate
--coherence, plot)."""

from __future__ import annotations

import json
import math
import random

import numpy as np
import pytest
from typer.testing import CliRunner

import koembed
from koembed.cli import app
from koembed.documents import topics as topic_math
from koembed.errors import BadInputError

runner = CliRunner()

THEMES = {
    "food": "김치 찌개 비빔밥 불고기 떡볶이 냉면 된장 반찬 식당 요리".split(),
    "sport": "축구 야구 농구 선수 경기 감독 골 우승 리그 시즌".split(),
    "politics": "국회 대통령 선거 정당 의원 법안 정부 장관 투표 헌법".split(),
}
SHARED = "오늘 정말 그리고 너무".split()


@pytest.fixture(scope="module")
def themed_corpus(tmp_path_factory):
    """300 lines, each mostly one theme's words, tokenized on whitespace."""
    rng = random.Random(3)
    lines = []
    for number in range(300):
        theme = list(THEMES)[number % 3]
        words = rng.choices(THEMES[theme], k=8) + rng.choices(SHARED, k=2)
        rng.shuffle(words)
        lines.append(" ".join(words))
    folder = tmp_path_factory.mktemp("lda")
    raw = folder / "themes.txt"
    raw.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return koembed.tokenize_corpus(koembed.read_corpus(raw), folder / "themes.tok",
                                   tokenizer="whitespace")  # fmt: skip


@pytest.fixture(scope="module")
def themed_lda(themed_corpus):
    return koembed.train("lda", themed_corpus, topics=3, min_count=2, workers=1, seed=5,
                         iterations=150)  # fmt: skip


def theme_of(words: list[str]) -> set[str]:
    return {name for name, vocabulary in THEMES.items() for w in words if w in vocabulary}


@pytest.mark.parametrize("backend", ["tomotopy", "gensim"])
def test_topics_separate_the_themes(themed_corpus, backend):
    model = themed_lda_for(themed_corpus, backend)
    found = [theme_of([w for w, _ in t["words"]]) for t in model.topics(5)]
    assert sorted(min(f) for f in found) == ["food", "politics", "sport"]
    assert all(len(f) == 1 for f in found), found
    assert model.meta["topics"]["backend"] == backend
    assert -20 < model.meta["topics"]["coherence"]["u_mass"] < 0
    assert 0 < model.meta["topics"]["coherence"]["c_v"] <= 1


def themed_lda_for(corpus, backend):
    if backend == "gensim":
        return koembed.train("lda", corpus, topics=3, min_count=2, workers=1, seed=5,
                             backend="gensim", passes=20)  # fmt: skip
    return koembed.train("lda", corpus, topics=3, min_count=2, workers=1, seed=5, iterations=150)


def test_one_worker_with_a_seed_is_reproducible(themed_corpus, themed_lda):
    again = koembed.train("lda", themed_corpus, topics=3, min_count=2, workers=1, seed=5,
                          iterations=150)  # fmt: skip
    assert np.array_equal(again.arrays["topic_words"], themed_lda.arrays["topic_words"])


def test_fold_in_and_hellinger_by_hand():
    # Two topics over three words; a document of words 0 and 0: the fixed point
    # of theta <- alpha + theta * sum_w n_w phi_kw / sum_j theta_j phi_jw, normalised.
    phi = np.array([[0.8, 0.1, 0.1], [0.1, 0.1, 0.8]])
    alpha = np.array([0.1, 0.1])
    theta = np.array([0.5, 0.5])
    for _ in range(50):
        responsibility = theta * phi[:, 0] / (theta @ phi[:, 0])
        theta = alpha + 2 * responsibility
        theta /= theta.sum()
    got = topic_math.fold_in(np.array([0, 0]), np.array([0, 0]), 1, phi, alpha)
    assert got[0] == pytest.approx(theta, abs=1e-6)
    assert got[0][0] > 0.9
    # A document with no known word gets the prior.
    empty = topic_math.fold_in(np.array([], dtype=int), np.array([], dtype=int), 1, phi, alpha)
    assert empty[0] == pytest.approx([0.5, 0.5])
    # Hellinger: H(p, q) = sqrt(1 - sum sqrt(p q)).
    p, q = np.array([0.5, 0.5]), np.array([0.9, 0.1])
    expected = 1 - math.sqrt(1 - (math.sqrt(0.45) + math.sqrt(0.05)))
    documents = np.sqrt(np.array([q, p, [0.0, 1.0]]))
    scores = topic_math.hellinger_similarity(p, documents.astype(np.float32))
    # float32: the square root of 1 - (a coefficient within 1e-7 of 1) is about 3e-4.
    assert scores == pytest.approx([expected, 1.0, 1 - math.sqrt(1 - math.sqrt(0.5))], abs=5e-4)


def test_saved_and_loaded_it_answers_the_same(themed_lda, tmp_path):
    themed_lda.save(tmp_path / "lda")
    loaded = koembed.load(tmp_path / "lda")
    assert type(loaded).__name__ == "LdaModel" and loaded.meta["kind"] == "lda"
    text = "김치 찌개 냉면 맛있다"
    assert np.array_equal(loaded.embed(text), themed_lda.embed(text))
    assert loaded.embed(text)[0].max() > 0.8
    best = loaded.most_similar_documents(text, topn=3)
    assert all(theme_of(m.text.split()) >= {"food"} for m in best)
    assert best[0].score >= best[-1].score and best[0].line == best[0].row + 1
    # Word vectors are topic profiles: a word's neighbours share its theme.
    neighbours = [w for w, _ in loaded.word_vectors.most_similar("축구", topn=3)]
    assert theme_of(neighbours) == {"sport"}


def test_commands_topics_similar_embed_coherence_and_plot(themed_lda, tmp_path):
    model = tmp_path / "lda"
    themed_lda.save(model)
    result = runner.invoke(app, ["topics", "--model", str(model), "-n", "4"])
    assert result.exit_code == 0, result.output
    assert len([line for line in result.output.splitlines() if "%" in line]) == 3
    shown = json.loads(runner.invoke(app, ["topics", "-m", str(model), "--json"]).output)
    assert len(shown["topics"]) == 3 and len(shown["topics"][0]["words"]) == 10
    result = runner.invoke(app, ["similar", "--text", "국회 선거 투표", "-m", str(model)])
    assert result.exit_code == 0 and "1 - Hellinger" in result.output
    result = runner.invoke(app, ["evaluate", "-m", str(model), "--coherence", "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)[0]["documents"] == 300
    html = tmp_path / "map.html"
    result = runner.invoke(app, ["plot", "-m", str(model), "-o", str(html)])
    assert result.exit_code == 0, result.output
    page = html.read_text(encoding="utf-8")
    assert "intertopic distance map: 3 topics" in page and "<script src=" not in page
    bad = runner.invoke(app, ["plot", "-m", str(model), "-o", str(tmp_path / "map.png")])
    assert bad.exit_code == 1 and "name the --output .html" in bad.output


def test_topics_of_a_word_model_is_a_one_line_error(law_model, tmp_path):
    law_model.save(tmp_path / "w2v")
    result = runner.invoke(app, ["topics", "-m", str(tmp_path / "w2v")])
    assert result.exit_code == 1
    assert result.output.startswith("error: ") and "has no topics" in result.output


def test_stopwords_and_pos_tags(themed_corpus, tmp_path):
    stop = tmp_path / "stop.txt"
    stop.write_text("김치\n축구\n", encoding="utf-8")
    model = koembed.train("lda", themed_corpus, topics=3, min_count=2, workers=1,
                          stopwords=stop, iterations=20)  # fmt: skip
    assert "김치" not in model.word_vectors and "축구" not in model.word_vectors
    tagged = tmp_path / "tagged.tok"
    tagged.write_text("김치/NNG 를/JKO 먹/VV\n축구/NNG 를/JKO 하/VV\n" * 20, encoding="utf-8")
    nouns = koembed.train("lda", tagged, topics=2, min_count=2, workers=1,
                          keep_pos="NNG", iterations=10)  # fmt: skip
    assert sorted(nouns.word_vectors.words) == ["김치/NNG", "축구/NNG"]


@pytest.mark.parametrize(
    ("params", "message"),
    [
        (dict(topics=1), r"topics\(1\) must be >= 2"),
        (dict(backend="mallet"), "backend='mallet' must be one of tomotopy, gensim"),
        (dict(max_doc_freq=0.0), r"max_doc_freq\(0.0\) must be >= 1e-06"),
        (dict(keep_pos="NNG"), "keep_pos needs a corpus tokenized with POS tags"),
        (dict(min_count=10_000), "no word occurs 10000 times or more in"),
        (dict(max_doc_freq=1e-6), "no word of .* is kept"),
        (dict(stopwords="/nonexistent/stop.txt"), "cannot read stopwords /nonexistent/stop.txt"),
    ],
)
def test_bad_parameters_are_clear_errors(themed_corpus, params, message):
    with pytest.raises(BadInputError, match=message):
        koembed.train("lda", themed_corpus, **{"topics": 3, "iterations": 5, **params})
