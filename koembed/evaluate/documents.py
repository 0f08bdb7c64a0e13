"""Downstream evaluation of document vectors: a logistic-regression classifier.

The labels are split (stratified, seeded) into a training and a test part;
a logistic regression (scikit-learn, features standardised, L2, ``C=1``) is
fitted on the training documents' vectors and scored on the test documents.
The same labels and seed give the same split for every model, so figures are
comparable side by side.

The document vectors themselves were learned without labels from the whole
corpus, test documents included (as Le & Mikolov did on IMDB): the classifier
never sees a test label. ``test_vectors`` lets a caller score vectors embedded
afresh instead (``model.embed`` of the test texts), which is what new text gets.

Labels come one per line, aligned with the corpus lines. ``classes`` maps
numeric ranges to classes (``"1-4:neg,9-10:pos"`` for NSMC ratings); values
in no range, and empty labels, are left out.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from koembed.errors import BadInputError, MissingDependencyError
from koembed.models.documents import DocumentModel
from koembed.text.corpus import read_corpus

NSMC_CLASSES = "1-4:neg,9-10:pos"
_RANGE = re.compile(r"^\s*(-?[0-9.]+)\s*(?:-\s*(-?[0-9.]+))?\s*:\s*(\S+)\s*$")


@dataclass
class DocumentScore:
    """Accuracy of a classifier on one model's document vectors."""

    name: str
    accuracy: float
    balanced_accuracy: float  # mean recall over the classes
    majority: float  # accuracy of always answering the most frequent training class
    train: int
    test: int
    classes: dict[str, int] = field(default_factory=dict)  # labelled documents per class
    left_out: int = 0  # documents without a class

    def to_dict(self) -> dict:
        return dataclasses.asdict(self)


def parse_classes(spec: str) -> list[tuple[float, float, str]]:
    """``"1-4:neg,9-10:pos"`` -> ``[(1, 4, "neg"), (9, 10, "pos")]`` (ranges inclusive).

    Raises:
        BadInputError: an item is not ``LOW-HIGH:NAME`` or ``VALUE:NAME``.
    """
    ranges = []
    for item in spec.split(","):
        match = _RANGE.match(item)
        try:
            low = float(match.group(1)) if match else None
            high = float(match.group(2) or match.group(1)) if match else None
        except ValueError:
            low = high = None
        if low is None or high is None or low > high:
            raise BadInputError(
                f"classes item {item.strip()!r} is not LOW-HIGH:NAME or VALUE:NAME "
                f"(e.g. {NSMC_CLASSES!r})",
                parameters=("classes",),
            )
        ranges.append((low, high, match.group(3)))
    return ranges


def read_labels(
    path: str | os.PathLike,
    *,
    label_column: int | None = None,
    delimiter: str = "\t",
    header: bool = False,
    classes: str | None = None,
) -> list[str | None]:
    """One label per line of ``path`` (``None``: left out).

    Args:
        label_column: the 1-based column holding the label (e.g. 3, the NSMC rating).
        classes: numeric ranges to classes, e.g. ``"1-4:neg,9-10:pos"``;
            without it each distinct value is a class.

    Raises:
        BadInputError: a bad ``label_column``, a line without it, or a label
            that is not a number when ``classes`` is given.
    """
    ranges = parse_classes(classes) if classes else None
    if label_column is not None and label_column < 1:
        raise BadInputError(
            f"label_column must be 1 or more (columns count from 1), got {label_column}",
            parameters=("label_column",),
        )
    source = read_corpus(
        path, column=label_column, delimiter=delimiter, header=header, normalize="none"
    )
    source.column_parameter = "label_column"
    labels: list[str | None] = []
    for lineno, value in enumerate(source.iter_raw(), start=1):
        value = value.strip()
        if not value:
            labels.append(None)
        elif ranges is None:
            labels.append(value)
        else:
            try:
                number = float(value)
            except ValueError:
                raise BadInputError(
                    f"{path}:{lineno}: label {value!r} is not a number, but classes maps "
                    f"numbers; check label_column",
                    parameters=("classes", "label_column"),
                ) from None
            labels.append(next((name for low, high, name in ranges if low <= number <= high), None))
    return labels


def split(
    labels: Sequence[str | None], *, test_size: float = 0.2, seed: int = 1
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Rows of the labelled documents for training and testing, and every row's class.

    Returns:
        ``(train_rows, test_rows, y)``; ``y[row]`` is the class (``""`` if none).

    Raises:
        BadInputError: a bad ``test_size``, or fewer than two classes with
            two documents each.
    """
    from sklearn.model_selection import train_test_split

    if not 0 < test_size < 1:
        raise BadInputError(
            f"test_size must be between 0 and 1, got {test_size}", parameters=("test_size",)
        )
    y = np.array([label or "" for label in labels], dtype=object)
    rows = np.flatnonzero(y != "")
    counts = Counter(y[rows])
    if len(counts) < 2 or min(counts.values()) < 2:
        raise BadInputError(
            f"the labels give {dict(counts)}; a classifier needs two labels or more with two "
            f"documents each (check label_column and classes)",
            parameters=("label_column", "classes"),
        )
    train_rows, test_rows = train_test_split(
        rows, test_size=test_size, random_state=seed, stratify=y[rows]
    )
    return np.sort(train_rows), np.sort(test_rows), y


def score(
    train_x: np.ndarray,
    train_y: np.ndarray,
    test_x: np.ndarray,
    test_y: np.ndarray,
    *,
    sparse: bool = False,
) -> tuple[float, float, float]:
    """Fit logistic regression on the training part; accuracy, balanced accuracy, majority.

    Dense features are standardised first (document vectors of different
    methods differ in scale by orders of magnitude); ``sparse`` features
    (TF-IDF) are used as they are.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.metrics import accuracy_score, balanced_accuracy_score
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    classifier = LogisticRegression(max_iter=1000)
    model = classifier if sparse else make_pipeline(StandardScaler(), classifier)
    model.fit(train_x, train_y.astype(str))
    predicted = model.predict(test_x)
    majority = Counter(train_y.tolist()).most_common(1)[0][0]
    truth = test_y.astype(str)
    return (
        float(accuracy_score(truth, predicted)),
        float(balanced_accuracy_score(truth, predicted)),
        float(np.mean(truth == majority)),
    )


def evaluate_documents(
    vectors: np.ndarray,
    labels: Sequence[str | None],
    *,
    test_size: float = 0.2,
    seed: int = 1,
    name: str = "",
    test_vectors: np.ndarray | None = None,
) -> DocumentScore:
    """Train and score a classifier on ``vectors`` (one row per label).

    Args:
        test_vectors: vectors for the test rows instead of ``vectors``' own
            (same shape as ``vectors``; only the test rows are read).

    Raises:
        BadInputError: not one label per vector, or labels unfit for a classifier.
        MissingDependencyError: scikit-learn is not installed.
    """
    _need_sklearn()
    if len(labels) != len(vectors):
        raise BadInputError(
            f"{len(labels)} labels for {len(vectors)} documents; the labels file must have "
            f"one line per corpus line"
        )
    train_rows, test_rows, y = split(labels, test_size=test_size, seed=seed)
    source = vectors if test_vectors is None else test_vectors
    accuracy, balanced, majority = score(
        np.asarray(vectors[train_rows]), y[train_rows], np.asarray(source[test_rows]), y[test_rows]
    )
    counts = Counter(y[y != ""].tolist())
    return DocumentScore(
        name=name,
        accuracy=round(accuracy, 6),
        balanced_accuracy=round(balanced, 6),
        majority=round(majority, 6),
        train=len(train_rows),
        test=len(test_rows),
        classes=dict(sorted(counts.items())),
        left_out=int((y == "").sum()),
    )


def evaluate_document_model(
    model: object,
    labels: Sequence[str | None],
    *,
    test_size: float = 0.2,
    seed: int = 1,
    name: str = "",
) -> DocumentScore:
    """:func:`evaluate_documents` on a document model's corpus vectors.

    Raises:
        BadInputError: the model's documents are tags or blocks, not lines.
    """
    if not isinstance(model, DocumentModel):
        raise BadInputError(f"{name or 'the model'} is a word model; evaluate-docs needs documents")
    rows = model.documents.get("rows")
    if rows != "lines":
        raise BadInputError(
            f"{name or 'the model'} has one vector per {rows[:-1]}, not per corpus line; "
            f"labels are per line: train it with one document a line (no tags, no "
            f"blank-line blocks)"
        )
    return evaluate_documents(model.doc_vectors, labels, test_size=test_size, seed=seed, name=name)


def _need_sklearn() -> None:
    import importlib.util

    if importlib.util.find_spec("sklearn") is None:
        raise MissingDependencyError("scikit-learn", "documents", "evaluate-docs")
