"""Trainable tokenizers (soynlp, sentencepiece, bpe, wordpiece): fit -> save -> load.

Each backend is trained on konlpy's kolaw + kobill plus data/sentences.txt
(about 4,600 lines, under a second each) and must: keep the user words
가우스전자 and 서울대입구역 one token, give the same tokens after a save and
reload, after a round trip through worker processes, and from a model
directory after the tokenized corpus is gone.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import koembed
from koembed.errors import BadInputError, KoembedError, NotFittedError
from koembed.tokenize import manifest_path
from koembed.tokenizers.trained import ARTEFACT_META, load_tokenizer

ROOT = Path(__file__).resolve().parents[1]
SENTENCES = ROOT / "data" / "sentences.txt"

# name -> (backend, options). Small vocabularies: the training text is small.
BACKENDS = {
    "soynlp": ("soynlp", {}),
    "soynlp-maxscore": ("soynlp", {"soynlp_mode": "maxscore"}),
    "sentencepiece": ("sentencepiece", {"vocab_size": 1500}),
    "sentencepiece-bpe": ("sentencepiece", {"vocab_size": 1500, "model_type": "bpe"}),
    "bpe": ("bpe", {"vocab_size": 1500}),
    "wordpiece": ("wordpiece", {"vocab_size": 1500}),
}
MODULES = {
    "soynlp": "soynlp",
    "sentencepiece": "sentencepiece",
    "bpe": "tokenizers",
    "wordpiece": "tokenizers",
}

# With the user dictionary, trained on the corpus above: (sentence, tokens).
EXPECTED = {
    "soynlp": [
        ("가우스전자가 신제품을 냈다.", ["가우스전자", "가", "신제품을", "냈다."]),
        (
            "오늘 서울대입구역에서 만나기로 했다.",
            ["오늘", "서울대입구역", "에서", "만나기로", "했다."],
        ),
        ("대한민국은 민주공화국이다.", ["대한", "민국은", "민주", "공화국이다."]),
    ],
    "soynlp-maxscore": [
        ("가우스전자가 신제품을 냈다.", ["가우스전자", "가", "신제품을", "냈", "다."]),
        ("대한민국은 민주공화국이다.", ["대한", "민국은", "민주", "공화국이", "다."]),
    ],
    "sentencepiece": [
        ("가우스전자가 신제품을", ["▁가우스전자", "가", "▁신", "제", "품", "을"]),
        ("오늘 서울대입구역에서", ["▁", "오", "늘", "▁서울대입구역", "에서"]),
        (
            "대한민국은 민주공화국이다.",
            ["▁대한민국", "은", "▁민주", "공", "화", "국", "이", "다", "."],
        ),
    ],
    "sentencepiece-bpe": [
        ("가우스전자가 신제품을", ["▁가우스전자", "가", "▁신", "제", "품", "을"]),
        (
            "대한민국은 민주공화국이다.",
            ["▁대한민국", "은", "▁민", "주", "공", "화", "국", "이다", "."],
        ),
    ],
    "bpe": [
        ("가우스전자가 신제품을", ["▁가우스전자", "가", "▁신", "제", "품", "을"]),
        ("오늘 서울대입구역에서", ["▁", "오", "늘", "▁서울대입구역", "에서"]),
        ("우리가우스전자가", ["▁우리", "가우스전자", "가"]),
        ("대한민국은 민주공화국이다.", ["▁대한민국", "은", "▁민", "주", "공", "화", "국", "이다."]),
    ],
    "wordpiece": [
        ("가우스전자가 신제품을", ["▁가우스전자", "가", "▁신", "##제", "##품", "##을"]),
        ("오늘 서울대입구역에서", ["▁", "##오", "##늘", "▁서울대입구역", "에", "##서"]),
        ("우리가우스전자가", ["▁우리", "가우스전자", "가"]),
    ],
}
USER_SENTENCES = ["가우스전자가 신제품을 냈다.", "오늘 서울대입구역에서 만나기로 했다."]


def _needs(backend: str) -> None:
    pytest.importorskip(MODULES[backend], reason=f"the {backend} tokenizer's package is absent")


@pytest.fixture(scope="module")
def corpus() -> koembed.Corpus:
    return koembed.read_corpus(["kolaw", "kobill", SENTENCES])


@pytest.fixture(scope="module")
def user_dict(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("userdict") / "words.tsv"
    path.write_text("가우스전자\n서울대입구역\tNNP\n", encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def fitted(corpus, user_dict):
    """Each backend trained once with the user dictionary, once without."""
    cache: dict = {}

    def get(case: str, with_dict: bool = True):
        if (case, with_dict) not in cache:
            backend, options = BACKENDS[case]
            _needs(backend)
            tokenizer = koembed.create_tokenizer(
                backend, user_dict=user_dict if with_dict else None, **options
            )
            cache[case, with_dict] = tokenizer.fit(corpus)
        return cache[case, with_dict]

    return get


def _surface(token: str) -> str:
    return token.replace("▁", "").removeprefix("##")


# -- each backend ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("case", "sentence", "expected"),
    [(case, s, tokens) for case, rows in EXPECTED.items() for s, tokens in rows],
)
def test_expected_tokens(fitted, case, sentence, expected):
    assert fitted(case).tokenize(sentence) == expected


@pytest.mark.parametrize("case", BACKENDS)
def test_user_words_stay_one_token_only_with_the_dictionary(fitted, case):
    for sentence, word in zip(USER_SENTENCES, ["가우스전자", "서울대입구역"]):
        with_dict = [_surface(t) for t in fitted(case).tokenize(sentence)]
        without = [_surface(t) for t in fitted(case, with_dict=False).tokenize(sentence)]
        assert word in with_dict
        assert word not in without
        # No stray word-start piece left just before the user word.
        tokens = fitted(case).tokenize(sentence)
        index = with_dict.index(word)
        assert index == 0 or tokens[index - 1] != "▁"


@pytest.mark.parametrize("case", BACKENDS)
def test_tokens_keep_every_character(fitted, case):
    # The training text covers every character here, so nothing is dropped or <unk>.
    for line in SENTENCES.read_text(encoding="utf-8").splitlines():
        tokens = fitted(case).tokenize(line)
        assert "".join(_surface(t) for t in tokens) == "".join(line.split())


@pytest.mark.parametrize("case", BACKENDS)
def test_save_and_load_give_identical_tokens(fitted, corpus, case, tmp_path):
    tokenizer = fitted(case)
    folder = tokenizer.save(tmp_path / "tok")
    reloaded = load_tokenizer(folder)
    assert reloaded.name == tokenizer.name
    assert reloaded.options == tokenizer.options
    assert reloaded.user_dict.words == ["가우스전자", "서울대입구역"]
    lines = [line for _, line in zip(range(300), corpus)]
    lines += SENTENCES.read_text(encoding="utf-8").splitlines()
    assert [reloaded.tokenize(x) for x in lines] == [tokenizer.tokenize(x) for x in lines]
    meta = json.loads((folder / ARTEFACT_META).read_text(encoding="utf-8"))
    assert meta["fitted"]["lines"] == 4587
    assert set(meta["files"]) == set(tokenizer.files)


def test_soynlp_user_words_outscore_every_learned_word(fitted, tmp_path):
    tokenizer = fitted("soynlp")
    scores = tokenizer._scores()
    learned = max(score for score, *_ in tokenizer.learned_.values())
    assert min(scores["가우스전자"], scores["서울대입구역"]) > learned
    # The saved scores are plain text: word, score and its two components.
    tokenizer.save(tmp_path / "tok")
    rows = (tmp_path / "tok" / "scores.tsv").read_text(encoding="utf-8").splitlines()
    assert rows[0].startswith("# word\tscore")
    word, score, *_ = rows[1].split("\t")
    assert float(score) == learned == tokenizer.learned_[word][0]
    assert "가우스전자" not in tokenizer.learned_  # user words are applied at load time


def test_soynlp_tokenizes_without_importing_the_whole_package(fitted, tmp_path):
    # Workers and queries load only soynlp's tokenizer file, not scikit-learn.
    import subprocess
    import sys

    folder = fitted("soynlp").save(tmp_path / "tok")
    code = (
        "import sys, koembed;"
        f"t = koembed.load_tokenizer({str(folder)!r});"
        "print(' '.join(t.tokenize('가우스전자가 신제품을 냈다.')));"
        "print('soynlp' in sys.modules, 'sklearn' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert result.stdout.splitlines() == ["가우스전자 가 신제품을 냈다.", "False False"]


def test_soynlp_score_choice_changes_the_scores(corpus):
    pytest.importorskip("soynlp")
    by_score = {
        choice: koembed.create_tokenizer("soynlp", soynlp_score=choice).fit(corpus).learned_
        for choice in ("combined", "cohesion", "branching")
    }
    word = "헌법"
    _, cohesion, entropy, _ = by_score["combined"][word]
    assert by_score["cohesion"][word][0] == pytest.approx(cohesion)
    assert by_score["branching"][word][0] == pytest.approx(entropy)
    assert by_score["combined"][word][0] == pytest.approx(cohesion * 2.718281828459045**entropy)


# -- through tokenize_corpus, workers and a model -------------------------------------


@pytest.mark.parametrize("case", ["soynlp", "sentencepiece", "bpe", "wordpiece"])
def test_workers_give_the_same_output_in_order(fitted, corpus, case, tmp_path, monkeypatch):
    # One trained tokenizer for both runs: WordPiece training itself is not
    # reproducible run to run (see koembed/tokenizers/hf.py).
    tokenizer = fitted(case)
    monkeypatch.setattr("koembed.engines.pool.BATCH_LINES", 300)  # 16 batches to reorder
    one = koembed.tokenize_corpus(corpus, tmp_path / "one.txt", tokenizer=tokenizer)
    # The workers load the tokenizer from the folder saved for the output.
    two = koembed.tokenize_corpus(corpus, tmp_path / "two.txt", tokenizer=tokenizer, workers=2)
    assert one.path.read_bytes() == two.path.read_bytes()
    assert one.manifest["lines"] == 4587
    assert one.manifest["pipeline"]["tokenizer"]["model"] == "one.txt.tokenizer"
    assert (tmp_path / "one.txt.tokenizer" / ARTEFACT_META).exists()
    lines = two.path.read_text(encoding="utf-8").splitlines()
    assert lines[-1] == " ".join(tokenizer.tokenize(SENTENCES.read_text("utf-8").splitlines()[-1]))


@pytest.mark.parametrize("backend", ["soynlp", "sentencepiece", "bpe", "wordpiece"])
def test_model_tokenizes_queries_as_the_corpus_after_it_is_deleted(
    corpus, user_dict, backend, tmp_path
):
    _needs(backend)
    options = dict(BACKENDS[backend][1])
    work = tmp_path / "work"
    tokenized = koembed.tokenize_corpus(
        SENTENCES,
        work / "small.txt",
        tokenizer=backend,
        user_dict=user_dict,
        fit_on=corpus,
        **options,
    )
    corpus_lines = tokenized.path.read_text(encoding="utf-8").splitlines()
    model = koembed.train("word2vec", tokenized, dim=8, min_count=1, epochs=1, workers=1)
    model.save(tmp_path / "model")
    shutil.rmtree(work)  # the tokenized file, its manifest and its tokenizer folder

    loaded = koembed.load(tmp_path / "model")
    assert loaded.meta["pipeline"]["tokenizer"]["model"] == "tokenizer"
    for line, expected in zip(SENTENCES.read_text(encoding="utf-8").splitlines(), corpus_lines):
        assert " ".join(loaded.pipeline()(line)) == expected
    query = loaded.resolve("가우스전자가")
    assert any(_surface(t) == "가우스전자" for t in query.found)
    # Saving the loaded model elsewhere carries the tokenizer along again.
    loaded.save(tmp_path / "copy")
    shutil.rmtree(tmp_path / "model")
    again = koembed.load(tmp_path / "copy")
    assert again.pipeline()(USER_SENTENCES[1]) == loaded.pipeline()(USER_SENTENCES[1])


def test_output_and_tokenizer_folder_move_together(tmp_path):
    pytest.importorskip("sentencepiece")
    koembed.tokenize_corpus(
        SENTENCES, tmp_path / "a" / "s.txt", tokenizer="sentencepiece", vocab_size=122
    )
    shutil.move(tmp_path / "a", tmp_path / "elsewhere")
    opened = koembed.open_tokenized(tmp_path / "elsewhere" / "s.txt")
    pipeline = opened.pipeline()
    written = opened.path.read_text(encoding="utf-8").splitlines()
    raw = SENTENCES.read_text(encoding="utf-8").splitlines()
    assert [" ".join(pipeline(line)) for line in raw] == written


def test_tokenizer_model_reuses_a_trained_tokenizer(corpus, tmp_path):
    pytest.importorskip("tokenizers")
    first = koembed.tokenize_corpus(corpus, tmp_path / "first.txt", tokenizer="bpe", vocab_size=800)
    second = koembed.tokenize_corpus(
        corpus, tmp_path / "second.txt", tokenizer_model=tmp_path / "first.txt.tokenizer"
    )
    assert first.path.read_bytes() == second.path.read_bytes()
    assert second.manifest["tokenizer_training"]["loaded_from"].endswith("first.txt.tokenizer")
    # The second output has its own copy: it survives the first one's deletion.
    shutil.rmtree(tmp_path / "first.txt.tokenizer")
    assert koembed.open_tokenized(second.path).pipeline()("헌법") == ["▁헌법"]


def test_fit_on_trains_on_other_text(corpus, tmp_path):
    pytest.importorskip("sentencepiece")
    # Trained on sentences.txt alone (122 pieces fit in it, 1500 would not).
    result = koembed.tokenize_corpus(
        corpus, tmp_path / "law.txt", tokenizer="sentencepiece", vocab_size=122, fit_on=SENTENCES
    )
    assert result.manifest["tokenizer_training"]["lines"] == 10
    assert result.manifest["tokenizer_training"]["fitted_on"]["paths"] == [str(SENTENCES)]
    assert result.manifest["lines"] == 4587


# -- bad input ------------------------------------------------------------------


@pytest.fixture
def saved(fitted, tmp_path) -> Path:
    """A saved sentencepiece tokenizer to damage."""
    return fitted("sentencepiece").save(tmp_path / "tok")


def test_missing_or_wrong_tokenizer_folder(saved, tmp_path):
    with pytest.raises(BadInputError, match="does not exist; pass the folder"):
        load_tokenizer(tmp_path / "nowhere")
    with pytest.raises(BadInputError, match="is a file; pass the folder"):
        load_tokenizer(saved / "sentencepiece.model")
    with pytest.raises(BadInputError, match="not a trained tokenizer"):
        load_tokenizer(tmp_path)


def _rewrite_meta(folder: Path, **changes) -> None:
    meta = json.loads((folder / ARTEFACT_META).read_text(encoding="utf-8"))
    meta.update(changes)
    (folder / ARTEFACT_META).write_text(json.dumps(meta), encoding="utf-8")


def _garbage_with_checksum(folder: Path) -> None:
    import hashlib

    (folder / "sentencepiece.model").write_bytes(b"garbage")
    meta = json.loads((folder / ARTEFACT_META).read_text(encoding="utf-8"))
    meta["files"]["sentencepiece.model"] = hashlib.sha256(b"garbage").hexdigest()
    (folder / ARTEFACT_META).write_text(json.dumps(meta), encoding="utf-8")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda d: (d / "sentencepiece.model").unlink(), "sentencepiece.model is missing"),
        (
            lambda d: (d / "sentencepiece.model").write_bytes(b"garbage"),
            "does not match its checksum",
        ),
        (lambda d: (d / ARTEFACT_META).write_text("{", encoding="utf-8"), "is not valid"),
        (lambda d: _rewrite_meta(d, name="mecab"), "not a trainable tokenizer"),
        (lambda d: _rewrite_meta(d, format="koembed-tokenizer/99"), "format"),
        (_garbage_with_checksum, "is not a SentencePiece model"),
    ],
)
def test_corrupt_tokenizer_folder(saved, damage, message):
    damage(saved)
    with pytest.raises(BadInputError, match=message) as error:
        load_tokenizer(saved)
    assert "\n" not in str(error.value)
    assert "retrain it" in str(error.value) or "not a trainable" in str(error.value)


@pytest.mark.parametrize(
    ("backend", "options", "message"),
    [
        ("soynlp", {"vocab_size": 100}, "soynlp has no option 'vocab_size'"),
        ("soynlp", {"soynlp_mode": "x"}, "soynlp_mode 'x' is not one of l, maxscore"),
        ("soynlp", {"soynlp_score": "x"}, "soynlp_score"),
        ("soynlp", {"min_frequency": 0}, "min_frequency must be 1 or more"),
        ("sentencepiece", {"model_type": "word"}, "model_type 'word' is not one of"),
        ("sentencepiece", {"character_coverage": 1.5}, "character_coverage must be in"),
        ("sentencepiece", {"vocab_size": "big"}, "should be a int"),
        ("bpe", {"model_type": "bpe"}, "bpe has no option 'model_type'"),
        ("wordpiece", {"vocab_size": 1}, "vocab_size must be 2 or more"),
    ],
)
def test_bad_options_are_refused_before_any_work(backend, options, message):
    with pytest.raises(BadInputError, match=message):
        koembed.create_tokenizer(backend, **options)


def test_whole_numbers_pass_as_float_options():
    tokenizer = koembed.create_tokenizer("sentencepiece", character_coverage=1)
    assert tokenizer.options["character_coverage"] == 1.0


def test_untrained_tokenizer_says_how_to_train_it(tmp_path):
    tokenizer = koembed.create_tokenizer("bpe")
    with pytest.raises(NotFittedError, match="call fit"):
        tokenizer.tokenize("희망")
    with pytest.raises(NotFittedError):
        tokenizer.save(tmp_path / "tok")


@pytest.mark.parametrize("backend", ["soynlp", "sentencepiece", "bpe", "wordpiece"])
def test_training_on_no_text_is_refused(backend):
    _needs(backend)
    with pytest.raises(BadInputError, match="no text to train the"):
        koembed.create_tokenizer(backend).fit(["", "  "])


@pytest.mark.parametrize(
    ("vocab_size", "message"),
    [
        (5000, r"vocab_size 5000 is too large .* pass vocab_size 124 or less"),
        (100, r"vocab_size 100 is too small .* pass vocab_size 120 or more"),
    ],
)
def test_vocabulary_size_the_corpus_cannot_fill_names_the_limit(vocab_size, message):
    pytest.importorskip("sentencepiece")
    lines = SENTENCES.read_text(encoding="utf-8").splitlines()
    with pytest.raises(BadInputError, match=message):
        koembed.create_tokenizer("sentencepiece", vocab_size=vocab_size).fit(lines)


def test_a_reading_error_during_training_is_kept(tmp_path):
    pytest.importorskip("sentencepiece")
    bad = tmp_path / "bad.txt"
    bad.write_bytes("희망을 잃지\n".encode() * 50 + "희망".encode("cp949") + b"\n")
    corpus = koembed.read_corpus(bad)
    # SentencePiece turns errors inside its input into RuntimeError; ours comes through.
    with pytest.raises(BadInputError, match=r"bad\.txt:51: bytes not valid in utf-8"):
        koembed.create_tokenizer("sentencepiece", vocab_size=20).fit(corpus)


def test_tokenize_corpus_refuses_contradictions(fitted, tmp_path):
    folder = fitted("sentencepiece").save(tmp_path / "tok")
    out = tmp_path / "out.txt"
    with pytest.raises(BadInputError, match="fit_on is for trainable tokenizers"):
        koembed.tokenize_corpus(SENTENCES, out, tokenizer="whitespace", fit_on=SENTENCES)
    with pytest.raises(BadInputError, match="fit_on and tokenizer_model exclude"):
        koembed.tokenize_corpus(SENTENCES, out, tokenizer_model=folder, fit_on=SENTENCES)
    with pytest.raises(BadInputError, match="tokenizer=bpe does not match"):
        koembed.tokenize_corpus(SENTENCES, out, tokenizer="bpe", tokenizer_model=folder)
    with pytest.raises(BadInputError, match="leave out user_dict, vocab_size"):
        koembed.tokenize_corpus(
            SENTENCES, out, tokenizer_model=folder, user_dict=SENTENCES, vocab_size=3
        )
    assert not out.exists()


def test_only_a_folder_given_as_tokenizer_model_is_told_to_leave_it_out(saved, tmp_path):
    """load_tokenizer also loads a model's and an interrupted run's folder, which
    no tokenizer_model named; tokenize_corpus adds that advice for its own."""
    with pytest.raises(BadInputError) as error:
        load_tokenizer(tmp_path / "nowhere")
    assert "tokenizer_model" not in str(error.value) and error.value.parameters == ()
    with pytest.raises(BadInputError, match="or leave out tokenizer_model to train one") as error:
        koembed.tokenize_corpus(SENTENCES, tmp_path / "o.txt", tokenizer_model=tmp_path / "no")
    assert error.value.parameters == ("tokenizer_model",)
    (saved / "sentencepiece.model").unlink()
    with pytest.raises(BadInputError, match=r"is corrupt .*; tokenize its corpus again") as error:
        koembed.tokenize_corpus(SENTENCES, tmp_path / "o.txt", tokenizer_model=saved)
    assert "tokenizer_model" not in str(error.value)


def test_stdin_cannot_be_read_twice(monkeypatch, tmp_path):
    corpus = koembed.read_corpus("-")
    with pytest.raises(BadInputError, match="standard input can be read only once"):
        koembed.tokenize_corpus(corpus, tmp_path / "out.txt", tokenizer="soynlp")


def test_a_missing_tokenizer_folder_stops_training_before_it_starts(tmp_path):
    pytest.importorskip("tokenizers")
    result = koembed.tokenize_corpus(SENTENCES, tmp_path / "s.txt", tokenizer="wordpiece")
    shutil.rmtree(tmp_path / "s.txt.tokenizer")
    with pytest.raises(BadInputError, match=r"folder .* is missing; keep that folder"):
        koembed.train("word2vec", result.path, min_count=1)


# -- the command line -------------------------------------------------------------


def test_cli_trains_reuses_and_reports_errors_in_one_line(tmp_path):
    pytest.importorskip("sentencepiece")
    from koembed.cli import app

    runner = CliRunner()
    out = tmp_path / "s.txt"
    args = ["tokenize", str(SENTENCES), "-o", str(out), "-t", "sentencepiece"]
    result = runner.invoke(app, [*args, "--vocab-size", "200", "--model-type", "bpe"])
    assert result.exit_code == 0, result.output
    manifest = json.loads(manifest_path(out).read_text(encoding="utf-8"))
    assert manifest["pipeline"]["tokenizer"]["options"]["vocab_size"] == 200
    assert manifest["pipeline"]["tokenizer"]["options"]["model_type"] == "bpe"

    again = tmp_path / "again.txt"
    result = runner.invoke(
        app,
        ["tokenize", str(SENTENCES), "-o", str(again), "--tokenizer-model", f"{out}.tokenizer"],
    )
    assert result.exit_code == 0, result.output
    assert again.read_bytes() == out.read_bytes()
    # It was reused, not trained: the summary says so (it used to say "saved").
    assert "trained tokenizer saved" not in result.stderr
    assert f"trained tokenizer reused from {Path(f'{out}.tokenizer').resolve()}" in result.stderr

    for extra, message in [
        (["--vocab-size", "5000", "--overwrite"], "too large for this corpus"),
        (["--soynlp-mode", "l", "--overwrite"], "has no option 'soynlp_mode'"),
        (["--tokenizer-model", str(tmp_path / "nowhere")], "does not exist"),
    ]:
        result = runner.invoke(app, [*args, *extra])
        assert result.exit_code == 1
        assert message in result.output
        assert "Traceback" not in result.output


def test_every_error_is_a_koembed_error():
    assert issubclass(NotFittedError, KoembedError)
    assert issubclass(BadInputError, KoembedError)
