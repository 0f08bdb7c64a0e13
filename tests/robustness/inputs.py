"""Bad inputs for the robustness suite, written into a folder once per session.

Every name here is a file or folder under that folder; the tables in
test_bad_input.py refer to them by name.
"""

from __future__ import annotations

import gzip
import lzma
import os
import shutil
from pathlib import Path

import numpy as np

import koembed

KOREAN = (
    "대한민국은 민주공화국이다.\n"
    "모든 국민은 인간으로서의 존엄과 가치를 가지며 행복을 추구할 권리를 가진다.\n"
    "국가는 개인이 가지는 불가침의 기본적 인권을 확인하고 이를 보장할 의무를 진다.\n"
    "모든 국민은 법 앞에 평등하다.\n"
) * 20
# 똠 is in cp949 but not in euc-kr (KS X 1001): the cp949 file must not be euc-kr.
CP949_TEXT = "똠방각하 " + KOREAN
HUGE_LINE_BYTES = 50 * 1024 * 1024
# URL-like tokens of 1,000 bytes (a data: URI or a minified page in scraped
# text): the 50 MB line holds 50 K tokens, so training on it takes seconds,
# while the readers, tokenizer and writers still meet one 50 MB line.
_URL_TOKENS = [f"https://example.com/{i:03d}/" + "x" * (1000 - 24) for i in range(40)]
#: A long line of Korean sentences for the analyzers (cut into pieces for them).
LONG_KOREAN_LINE_CHARS = 300_000


def korean_tokens(folder: Path) -> Path:
    """A small tokenized corpus (whitespace tokens, no manifest)."""
    path = folder / "tokens.txt"
    path.write_text(KOREAN.replace(".", " ."), encoding="utf-8")
    return path


def build(folder: Path) -> Path:
    """Write every bad input into ``folder``; return it."""
    folder.mkdir(parents=True, exist_ok=True)
    text = folder / "korean.txt"
    text.write_text(KOREAN, encoding="utf-8")
    (folder / "empty.txt").write_bytes(b"")
    (folder / "blank.txt").write_text("\n\n   \n\t\n\r\n\u3000\n\xa0\n", encoding="utf-8")
    line = " ".join(_URL_TOKENS).encode() + b" "
    with open(folder / "huge_line.txt", "wb") as out:
        out.write(line * (HUGE_LINE_BYTES // len(line)) + b"\n")
    sentence = KOREAN.replace("\n", " ")
    (folder / "long_korean_line.txt").write_text(
        (sentence * (LONG_KOREAN_LINE_CHARS // len(sentence) + 1))[:LONG_KOREAN_LINE_CHARS] + "\n",
        encoding="utf-8",
    )
    (folder / "nul.txt").write_bytes(
        "대한민국은\x00 민주공화국이다.\n".encode()
        + b"\x00\x00\x00\n"
        + "국민\x07의 \x1b[31m권리\x1b[0m와 \x0c의무\x0b는 \x7f평등하다\x1c.\n".encode()
        + "줄\x85바꿈과 \u2028 문단\u2029 구분자, \ufeffBOM, \u200b폭없는 공백\n".encode()
        + KOREAN.encode()
    )
    (folder / "bad_utf8.txt").write_bytes(
        "모든 국민은 법 앞에 평등하다.\n".encode() * 2
        + b"\xff\xfe broken \xc3\x28 bytes\n"
        + "국가는 인권을 보장한다.\n".encode()
        + b"\xed\xa0\x80 surrogate\n"
        + KOREAN.encode()
    )
    (folder / "cp949.txt").write_bytes(CP949_TEXT.encode("cp949"))
    (folder / "euckr.txt").write_bytes(KOREAN.encode("euc-kr"))
    (folder / "utf16.txt").write_bytes(KOREAN.encode("utf-16"))
    (folder / "latin1.txt").write_bytes("café naïve ÿ\n".encode("latin-1") * 5)
    # Truncated archives: big enough that the cut falls after some whole lines.
    payload = (KOREAN * 40).encode()
    (folder / "truncated.gz").write_bytes(
        gzip.compress(payload)[: len(gzip.compress(payload)) // 2]
    )
    xz = lzma.compress(payload)
    (folder / "truncated.xz").write_bytes(xz[: len(xz) // 2])
    (folder / "not_really.gz").write_bytes(b"this is not gzip data\n")
    (folder / "complete.gz").write_bytes(gzip.compress(payload))
    mixed = folder / "mixed"
    mixed.mkdir()
    (mixed / "a.txt").write_text(KOREAN, encoding="utf-8")
    (mixed / "b.txt.gz").write_bytes(gzip.compress(KOREAN.encode()))
    (mixed / "image.png").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + os.urandom(2048))
    (mixed / "random.bin").write_bytes(bytes(range(256)) * 8)
    (mixed / "model.npy").write_bytes(b"\x93NUMPY\x01\x00" + b"\x00" * 100)
    cut = folder / "mixed_cut_gz"
    shutil.copytree(mixed, cut)
    (cut / "cut.gz").write_bytes(gzip.compress(payload)[:200])
    (folder / "binary_only").mkdir()
    (folder / "binary_only" / "random.bin").write_bytes(os.urandom(4096) + b"\x00")
    (folder / "empty_dir").mkdir()
    (folder / "english.txt").write_text(
        "The quick brown fox jumps over the lazy dog.\n"
        "All human beings are born free and equal in dignity and rights.\n"
        * 30
        + "日本語のテキストだけ。中文文本。\n" * 10
        + "1234 5678 !!! ??? ... 😀😀😀\n" * 10,
        encoding="utf-8",
    )
    (folder / "binary.bin").write_bytes(bytes(range(256)) * 16)
    (folder / "no_newline.txt").write_text("대한민국은 민주공화국이다", encoding="utf-8")
    (folder / "cr_only.txt").write_bytes(KOREAN.replace("\n", "\r").encode())
    korean_tokens(folder)
    (folder / "ws.csv").write_text(
        "word1,word2,score\n국민은,법,3.5\n모든,앞에,2.0\n", encoding="utf-8"
    )
    (folder / "analogy.txt").write_text(": 헌법\n국민은 법 모든 앞에\n", encoding="utf-8")
    # A mirror holding a half-downloaded corpus file: its checksum must fail.
    (folder / "mirror" / "nsmc").mkdir(parents=True)
    (folder / "mirror" / "nsmc" / "ratings_train.txt").write_text(
        "id\tdocument\tlabel\n1\t재밌다\t1\n", encoding="utf-8"
    )
    return folder


def build_models(folder: Path, tokens: Path) -> Path:
    """A small good model, and damaged copies of it."""
    model = koembed.train("word2vec", tokens, dim=8, min_count=1, epochs=1, workers=1, seed=1)
    good = model.save(folder / "model")
    documents = koembed.train_documents("sif", tokens, dim=8, min_count=1, epochs=1, workers=1)
    documents.save(folder / "documents")
    for name, damage in _DAMAGE.items():
        target = folder / name
        shutil.copytree(good, target)
        damage(target)
    (folder / "vectors_empty.txt").write_bytes(b"")
    (folder / "vectors_garbage.txt").write_text("3 4\n가 1 2\n나 x y z w\n", encoding="utf-8")
    (folder / "vectors_truncated.bin").write_bytes((good / "vectors.txt").read_bytes()[:7])
    (folder / "vectors_binary.bin").write_bytes(b"10 8\n" + os.urandom(100))
    (folder / "vectors_huge_header.txt").write_text("2000000000 300\n가 1\n", encoding="utf-8")
    (folder / "vectors_huge_header.bin").write_bytes(b"2000000000 300\n" + os.urandom(64))
    (folder / "vectors_bad_utf8.txt").write_bytes(b"2 2\n\xff\xfe 1 2\n\xc3\x28 3 4\n")
    (folder / "not_a_model").mkdir()
    (folder / "not_a_model" / "readme.txt").write_text("nothing here\n", encoding="utf-8")
    _damaged_documents(folder, folder / "documents", tokens)
    return folder


def _damaged_documents(folder: Path, good: Path, tokens: Path) -> None:
    """Damaged copies of the document model ``good``, and labels for its lines."""
    for name, damage in _DOC_DAMAGE.items():
        shutil.copytree(good, folder / name)
        damage(folder / name)
    lines = tokens.read_text(encoding="utf-8").count("\n")
    labels = "".join(("pos" if i % 2 else "neg") + "\n" for i in range(lines))
    (folder / "doc_labels.txt").write_text(labels, encoding="utf-8")
    (folder / "doc_labels_one.txt").write_text("pos\n" * lines, encoding="utf-8")


_DOC_DAMAGE = {
    "doc_model_no_doc_vectors": lambda m: (m / "doc_vectors.npy").unlink(),
    "doc_model_short_offsets": lambda m: np.save(m / "doc_offsets.npy", np.zeros(3, np.int64)),
    "doc_model_no_weights": lambda m: (m / "weights.npy").unlink(),
    "doc_model_bad_kind": lambda m: _edit_meta(m, kind="nope"),
}


def _truncate(path: Path, keep: int | None = None) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2 if keep is None else keep])


def _nan(model: Path) -> None:
    for name in ("vectors.npy", "vectors.norm.npy"):
        np.save(model / name, np.full(np.load(model / name).shape, np.nan, np.float32))


def _object_array(path: Path) -> None:
    # An .npy of Python objects: a pickle inside; allow_pickle=False must refuse it.
    np.save(path, np.array([{"a": 1}, None], dtype=object), allow_pickle=True)


_DAMAGE = {
    "model_no_vocab": lambda m: (m / "vocab.txt").unlink(),
    "model_no_vectors": lambda m: (m / "vectors.npy").unlink(),
    "model_no_meta": lambda m: (m / "koembed.json").unlink(),
    "model_no_unit": lambda m: (m / "vectors.norm.npy").unlink(),
    "model_truncated_vectors": lambda m: _truncate(m / "vectors.npy"),
    "model_garbage_vectors": lambda m: (m / "vectors.npy").write_bytes(os.urandom(512)),
    "model_empty_vectors": lambda m: (m / "vectors.npy").write_bytes(b""),
    "model_pickled_vectors": lambda m: _object_array(m / "vectors.npy"),
    "model_nan_vectors": lambda m: _nan(m),
    "model_wrong_shape": lambda m: np.save(m / "vectors.npy", np.zeros((3, 8), np.float32)),
    "model_vectors_1d": lambda m: np.save(m / "vectors.npy", np.zeros(24, np.float32)),
    "model_truncated_unit": lambda m: _truncate(m / "vectors.norm.npy"),
    "model_bad_meta": lambda m: (m / "koembed.json").write_text("{not json", encoding="utf-8"),
    "model_meta_list": lambda m: (m / "koembed.json").write_text("[1, 2]", encoding="utf-8"),
    "model_bad_vocab": lambda m: (m / "vocab.txt").write_bytes(b"\xff\xfe\n\xc3\x28\n"),
    "model_vocab_short": lambda m: _truncate(m / "vocab.txt", 10),
    "model_bad_pipeline": lambda m: _edit_meta(m, pipeline={"tokenizer": {"name": "nope"}}),
    # Would hang (FIFO) or read forever (/dev/zero) if opened.
    "model_fifo_vectors": lambda m: _replace(m / "vectors.npy", os.mkfifo),
    "model_zero_vocab": lambda m: _replace(m / "vocab.txt", lambda p: os.symlink("/dev/zero", p)),
    "model_fifo_unit": lambda m: _replace(m / "vectors.norm.npy", os.mkfifo),
}


def _replace(path: Path, make) -> None:
    path.unlink()
    make(path)


def _edit_meta(model: Path, **changes: object) -> None:
    import json

    meta = json.loads((model / "koembed.json").read_text(encoding="utf-8"))
    meta.update(changes)
    (model / "koembed.json").write_text(json.dumps(meta), encoding="utf-8")
