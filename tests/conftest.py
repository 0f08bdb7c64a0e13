"""Shared fixtures. Tests use real mecab and real Korean text: the project's
own sentences (data/sentences.txt) and the corpora konlpy ships."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
NSMC = SHARED / "data" / "nsmc" / "reviews.tsv.xz"
EVAL = SHARED / "eval"


@pytest.fixture(autouse=True, scope="session")
def _private_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    # Compiled user dictionaries etc. go to a fresh cache, so tests exercise
    # the compilation and never depend on what an earlier run left behind.
    os.environ["KOEMBED_CACHE"] = str(tmp_path_factory.mktemp("koembed-cache"))


@pytest.fixture
def sentences_path() -> Path:
    return ROOT / "data" / "sentences.txt"


@pytest.fixture
def example_user_dict() -> Path:
    return ROOT / "data" / "user_dict.example.tsv"


@pytest.fixture
def nsmc_path() -> Path:
    if not NSMC.exists():
        pytest.skip(f"needs the NSMC reviews at {NSMC} (../shared is absent here)")
    return NSMC


@pytest.fixture
def eval_dir() -> Path:
    if not EVAL.exists():
        pytest.skip(f"needs the Korean evaluation sets at {EVAL} (../shared is absent here)")
    return EVAL


@pytest.fixture(scope="session")
def law_tokens(tmp_path_factory: pytest.TempPathFactory):
    """konlpy's kolaw + kobill tokenized with mecab, once per test session."""
    import koembed

    out = tmp_path_factory.mktemp("law") / "law.mecab"
    return koembed.tokenize_corpus(koembed.read_corpus(["kolaw", "kobill"]), out)


@pytest.fixture(scope="session")
def law_model(law_tokens):
    """word2vec trained on the tokenized kolaw + kobill (small, seconds)."""
    import koembed

    return koembed.train("word2vec", law_tokens, dim=32, min_count=2, epochs=10, workers=1)


@pytest.fixture(scope="session")
def law_model_dir(law_model, tmp_path_factory) -> Path:
    """``law_model`` saved as a model directory (what ``koembed serve`` loads)."""
    return law_model.save(tmp_path_factory.mktemp("served") / "w2v")


@pytest.fixture(scope="session")
def law_sif_dir(law_tokens, law_model_dir, tmp_path_factory) -> Path:
    """SIF document vectors of kolaw + kobill over ``law_model``, saved."""
    from koembed.documents import train_documents

    model = train_documents("sif", law_tokens, word_model=str(law_model_dir))
    return model.save(tmp_path_factory.mktemp("served") / "sif")
