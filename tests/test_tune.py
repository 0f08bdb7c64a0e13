"""koembed tune: the space is checked before training, the dev/test split is
fixed and disjoint, counts are shared between trials that count alike, the
best model is kept and scored on test once, and a second run resumes."""

from __future__ import annotations

import csv
import json
import subprocess
import sys

import pytest

import koembed
from koembed.errors import BadInputError, UnknownNameError
from koembed.text.testsets import read_analogies, read_word_pairs
from koembed.trainers import SharedCounts, create_trainer
from koembed.tune import Protocol, parse_space, split_analogies, split_half, tune

# Word pairs and analogies over kolaw + kobill words, scored by hand (0-10):
# enough for a Spearman on each half of a small corpus.
PAIRS = [
    ("국민", "국가", 7.5), ("국회", "의원", 8.0), ("대통령", "국회", 6.0), ("법률", "법", 9.0),
    ("권리", "자유", 7.0), ("국민", "권리", 5.5), ("의원", "선거", 6.5), ("대통령", "임기", 5.0),
    ("법률", "국민", 3.5), ("자유", "선거", 3.0), ("국가", "의무", 4.5), ("권리", "의무", 6.0),
    ("국회", "법률", 6.5), ("대통령", "권리", 2.0), ("임기", "선거", 5.5), ("국가", "정부", 8.0),
    ("정부", "대통령", 7.0), ("법원", "법률", 7.0), ("법원", "선거", 2.5), ("의무", "자유", 3.0),
]  # fmt: skip


@pytest.fixture(scope="module")
def benchmarks(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench")
    pairs = folder / "pairs.csv"
    pairs.write_text(
        "word 1,word 2,score\n" + "".join(f"{a},{b},{s}\n" for a, b, s in PAIRS), encoding="utf-8"
    )
    analogy = folder / "analogy.txt"
    analogy.write_text(
        ": sem1_law\n국회 의원 대통령 임기\n국민 권리 국가 의무\n법률 국회 법원 법률\n"
        "국가 정부 국회 의원\n: syn1_josa\n국민 국민의 국가 국가의\n국회 국회의 법률 법률의\n",
        encoding="utf-8",
    )
    return pairs, analogy


def test_split_is_fixed_disjoint_and_whole(benchmarks):
    pairs = read_word_pairs(benchmarks[0])
    dev, test = split_half(pairs, seed=0)
    assert len(dev) == 10 and len(test) == 10
    assert {p.line for p in dev}.isdisjoint({p.line for p in test})
    assert split_half(pairs, seed=0) == (dev, test)  # fixed by the seed
    assert split_half(pairs, seed=1) != (dev, test)
    items = read_analogies(benchmarks[1])
    dev_items, test_items = split_analogies(items, seed=0)
    assert sorted(i.line for i in dev_items + test_items) == sorted(i.line for i in items)
    for section in ("sem1_law", "syn1_josa"):  # both halves hold every section
        assert any(i.section == section for i in dev_items)
        assert any(i.section == section for i in test_items)


def test_space_is_checked_before_any_training(law_tokens):
    trainer = create_trainer("ppmi")
    space = parse_space(trainer, ["window=2,5", "dim=8,16"], ["min-count=2"], [law_tokens.path])
    settings = list(space.grid())
    assert len(settings) == space.size() == 4
    assert [params["window"] for _, params in settings] == [2, 2, 5, 5]  # counting grouped
    assert all(params["min_count"] == 2 for _, params in settings)
    with pytest.raises(UnknownNameError, match="unknown parameter 'windw'"):
        parse_space(trainer, ["windw=2"], [], [law_tokens.path])
    with pytest.raises(BadInputError, match=r"window\(0\) must be >= 1"):
        parse_space(trainer, ["window=0,5"], [], [law_tokens.path])
    with pytest.raises(BadInputError, match="is not a int"):
        parse_space(trainer, ["dim=big"], [], [law_tokens.path])
    with pytest.raises(BadInputError, match="a grid needs listed values"):
        list(parse_space(trainer, ["dim=8:32"], [], [law_tokens.path]).grid())
    with pytest.raises(BadInputError, match="does not exist"):
        parse_space(trainer, ["dim=8"], [], ["nope.tok"])


def test_protocol_needs_a_benchmark_and_its_metric(benchmarks):
    with pytest.raises(BadInputError, match="needs a benchmark"):
        Protocol.from_files()
    with pytest.raises(BadInputError, match="metric analogy needs its benchmark"):
        Protocol.from_files(ws353=benchmarks[0], metric="analogy")
    with pytest.raises(BadInputError, match="dev and test together"):
        Protocol.from_files(dev=benchmarks[0])


def test_shared_counts_count_each_window_once(law_tokens):
    shared = SharedCounts()
    models = []
    for dim in (8, 12):
        trainer = create_trainer("ppmi", dim=dim, window=3, min_count=2)
        trainer.shared_counts = shared
        models.append(trainer.fit(law_tokens))
    assert shared.hits == 1 and shared.seconds_saved > 0
    alone = koembed.train("ppmi", law_tokens, dim=12, window=3, min_count=2)
    assert alone.words == models[1].words  # the same counts made the same vectors
    assert abs(alone.vectors - models[1].vectors).max() < 1e-5
    glove = create_trainer("glove", dim=8, window=3, min_count=2, epochs=2, workers=1)
    glove.shared_counts = shared  # GloVe frees the arrays it shuffles: the kept ones stay
    glove.fit(law_tokens)
    glove.fit(law_tokens)
    assert shared.hits == 2


def test_tune_keeps_the_best_scores_test_once_and_resumes(law_tokens, benchmarks, tmp_path):
    trainer = create_trainer("ppmi")
    space = parse_space(trainer, ["window=2,5", "dim=8,24"], ["min_count=2"], [law_tokens.path])
    protocol = Protocol.from_files(ws353=benchmarks[0], analogy=benchmarks[1], seed=0)
    seen = []
    result = tune(space, protocol, tmp_path / "t", on_trial=lambda t, best: seen.append(t))
    assert result.trained == 4 and result.resumed == 0 and len(seen) == 4
    assert result.counts_reused == 2  # two windows, each counted once
    best = max((t for t in seen if t.score is not None), key=lambda t: t.score)
    assert result.best.number == best.number
    kept = koembed.load(tmp_path / "t" / "best")
    assert kept.meta["params"]["dim"] == best.params["dim"]
    assert kept.meta["params"]["window"] == best.params["window"]
    # The test half, scored on the kept model, is what result.json reports.
    written = json.loads((tmp_path / "t" / "result.json").read_text(encoding="utf-8"))
    assert written["test"] == protocol.score(kept, protocol.test) == result.test
    text = (tmp_path / "t" / "leaderboard.csv").read_text(encoding="utf-8")
    rows = list(csv.DictReader(text.splitlines()))
    assert [int(r["trial"]) for r in rows] == [1, 2, 3, 4]
    markdown = (tmp_path / "t" / "leaderboard.md").read_text(encoding="utf-8")
    assert markdown.splitlines()[2].startswith(f"| {best.number} |")  # best first

    again = tune(space, protocol, tmp_path / "t")
    assert again.trained == 0 and again.resumed == 4 and again.best.number == best.number
    wider = parse_space(trainer, ["window=2,5", "dim=8,24,32"], ["min_count=2"], [law_tokens.path])
    grown = tune(wider, protocol, tmp_path / "t")
    assert grown.trained == 2 and grown.resumed == 4
    other = Protocol.from_files(ws353=benchmarks[0], seed=1)
    with pytest.raises(BadInputError, match="holds a tuning with other settings"):
        tune(space, other, tmp_path / "t")


def test_trials_sample_with_a_seed(law_tokens, benchmarks, tmp_path):
    trainer = create_trainer("ppmi")
    space = parse_space(
        trainer, ["window=2:6", "cds=0.5:1.0"], ["min_count=2", "dim=8"], [law_tokens.path]
    )
    protocol = Protocol.from_files(ws353=benchmarks[0])
    first = tune(space, protocol, tmp_path / "a", trials=4, seed=3)
    second = tune(space, protocol, tmp_path / "b", trials=4, seed=3)
    chosen = [t.params for t in first.leaderboard.trials]
    assert chosen == [t.params for t in second.leaderboard.trials]
    assert all(2 <= p["window"] <= 6 and 0.5 <= p["cds"] <= 1.0 for p in chosen)
    more = tune(space, protocol, tmp_path / "a", trials=6, seed=3)
    assert more.resumed == 4 and more.trained == 2


def test_command_prints_trials_best_and_gap(law_tokens, benchmarks, tmp_path):
    out = tmp_path / "cli"
    result = subprocess.run(
        [sys.executable, "-m", "koembed", "tune", "ppmi", str(law_tokens.path),
         "--grid", "dim=8,16", "--set", "min-count=2", "--ws353", str(benchmarks[0]),
         "-o", str(out)],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "trial 2 " in result.stderr and "dev - test gap" in result.stderr
    assert (out / "leaderboard.png").stat().st_size > 1000
    bad = subprocess.run(
        [sys.executable, "-m", "koembed", "tune", "ppmi", str(law_tokens.path),
         "--grid", "dim=0,8", "--ws353", str(benchmarks[0]), "-o", str(tmp_path / "bad")],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert bad.returncode == 1 and "Traceback" not in bad.stderr
    assert "--grid 'dim=0,8': dim(0) must be >= 1" in bad.stderr
    assert not (tmp_path / "bad" / "leaderboard.csv").exists()
