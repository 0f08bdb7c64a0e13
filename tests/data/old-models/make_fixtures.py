"""Make the model directories of tests/data/old-models with an OLD koembed.

The fixtures pin that directories written before model kinds were recorded
(no ``kind`` in koembed.json) still load and answer as they did. Run this with
the old checkout first on the path, once; its answers go to expected.json:

    PYTHONPATH=/path/to/old/koembed python tests/data/old-models/make_fixtures.py OUT

Everything is small (8 dims, the first 80 lines of konlpy's kolaw tokenized
with mecab, fastText with 500 buckets), so each directory takes a few KB.
Only the public API both versions share is used.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

import numpy as np

import koembed

LINES = 80
WORD = "국민"  # a frequent word of kolaw, the neighbours' query
UNSEEN = ["국민들의", "헌법재판소장", "대한민국만세"]  # not in the vocabulary
TEXT = "대통령은 국민의 자유를 보장한다"
COMMON = {"dim": 8, "min_count": 5, "seed": 1}
GENSIM = {**COMMON, "epochs": 5, "workers": 1}

WORD_MODELS = {
    "word2vec": ("word2vec", GENSIM),
    "glove": ("glove", {**COMMON, "epochs": 5, "workers": 1}),
    "ppmi": ("ppmi", {"dim": 8, "min_count": 5}),
    "lsa": ("lsa", {"dim": 8, "min_count": 5}),
    "fasttext": ("fasttext", {**GENSIM, "bucket": 500}),
    "fasttext-jamo": ("fasttext", {**GENSIM, "bucket": 500, "jamo": True}),
}
DOCUMENT_MODELS = {
    "doc2vec-dm": ("doc2vec", {**GENSIM, "show": "tokens"}),
    "doc2vec-dbow": ("doc2vec", {**GENSIM, "dm": False, "show": "none"}),
    "sif": ("sif", {**GENSIM, "show": "text"}),
    "lsa-doc": ("lsa-doc", {"dim": 8, "min_count": 5, "show": "none"}),
}


def rounded(values) -> list[float]:
    return [float(x) for x in np.asarray(values, dtype=np.float64).round(7)]


def word_answers(model) -> dict:
    return {
        "vocab_size": len(model.words),
        "vector": rounded(model.vector(WORD)),
        "neighbours": [[w, round(s, 7)] for w, s in model.most_similar(WORD, topn=5)],
    }


def main() -> None:
    out = Path(sys.argv[1])
    out.mkdir(parents=True, exist_ok=False)
    expected: dict[str, dict] = {}
    with tempfile.TemporaryDirectory() as scratch:
        raw = Path(scratch) / "kolaw.txt"
        lines = list(koembed.read_corpus("kolaw", max_lines=LINES, normalize="none").iter_raw())
        raw.write_text("".join(line.rstrip("\n") + "\n" for line in lines), encoding="utf-8")
        tokens = koembed.tokenize_corpus(raw, Path(scratch) / "kolaw.mecab", tokenizer="mecab")
        for name, (method, params) in WORD_MODELS.items():
            model = koembed.train(method, tokens, **params)
            model.save(out / name)
            answers = word_answers(model)
            if "fasttext" in name:
                answers["unseen"] = {w: rounded(model.vector(w)) for w in UNSEEN}
            expected[name] = answers
        for name, (method, params) in DOCUMENT_MODELS.items():
            model = koembed.train_documents(method, tokens, **params)
            model.save(out / name)
            answers = {
                "n_documents": model.n_documents,
                "documents": [model.document(row) for row in (0, 1)],
                "embed": rounded(model.embed([TEXT])[0]),
                "nearest": [
                    [m.row, round(m.score, 6)] for m in model.most_similar_documents(TEXT, topn=3)
                ],
            }
            if model.documents.get("word_vectors_trained", True):
                answers.update(word_answers(model))
            expected[name] = answers
    (out / "expected.json").write_text(
        json.dumps(
            {"koembed": koembed.__version__, "word": WORD, "text": TEXT, "models": expected},
            ensure_ascii=False,
            indent=1,
        )
        + "\n",
        encoding="utf-8",
    )


if __name__ == "__main__":
    main()
