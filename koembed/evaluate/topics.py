"""Reports over topic models: coherence, and the intertopic distance map.

The map places the topics in two dimensions by classical multidimensional
scaling (principal coordinates) of the Jensen-Shannon distances between
their word distributions, as LDAvis does by default (Sievert & Shirley 2014);
a circle's area is the topic's share of the corpus, and hovering shows its
top words. It is one self-contained HTML file (plotly's script inside).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from koembed.documents.lda import LdaModel
from koembed.outputs import atomic_output, check_output

MAP_TOP_WORDS = 10


def jensen_shannon(distributions: np.ndarray) -> np.ndarray:
    """Pairwise Jensen-Shannon distances (square root of the divergence, base 2)
    between the rows of ``distributions``."""
    p = np.clip(np.asarray(distributions, dtype=np.float64), 1e-300, None)
    p = p / p.sum(axis=1, keepdims=True)
    count = len(p)
    distances = np.zeros((count, count))
    for i in range(count):
        middle = 0.5 * (p[i] + p)
        divergence = 0.5 * (
            (p[i] * np.log2(p[i] / middle)).sum(axis=1) + (p * np.log2(p / middle)).sum(axis=1)
        )
        distances[i] = np.sqrt(np.clip(divergence, 0.0, None))
    return distances


def principal_coordinates(distances: np.ndarray, dims: int = 2) -> np.ndarray:
    """Classical multidimensional scaling: points whose distances approximate ``distances``."""
    count = len(distances)
    centering = np.eye(count) - np.full((count, count), 1.0 / count)
    inner = -0.5 * centering @ (distances**2) @ centering
    values, vectors = np.linalg.eigh(inner)
    order = np.argsort(values)[::-1][:dims]
    points = vectors[:, order] * np.sqrt(np.clip(values[order], 0.0, None))
    # A fixed sign per axis, so the same model draws the same map.
    signs = np.sign(points[np.abs(points).argmax(axis=0), range(points.shape[1])])
    return points * np.where(signs == 0, 1.0, signs)


def intertopic_map(model: LdaModel, output: str | os.PathLike, *, overwrite: bool = False) -> Path:
    """Draw the intertopic distance map of ``model`` to a self-contained HTML file.

    Raises:
        BadInputError: ``output`` is not .html.
        OutputExistsError: ``output`` exists and ``overwrite`` is false.
    """
    from koembed.errors import BadInputError

    if Path(output).suffix.lower() not in (".html", ".htm"):
        raise BadInputError(
            f"an intertopic distance map is interactive HTML; name the output .html, "
            f"not {Path(output).name}",
            parameters=("output",),
        )
    target = check_output(output, overwrite=overwrite)
    try:
        import plotly.graph_objects as go
    except ImportError:
        from koembed.errors import MissingDependencyError

        raise MissingDependencyError("plotly", "plot", "the intertopic distance map") from None
    topics = model.topics(MAP_TOP_WORDS)
    points = principal_coordinates(jensen_shannon(model.arrays["topic_words"]))
    shares = np.array([topic["share"] for topic in topics])
    sizes = 12 + 80 * np.sqrt(shares / shares.max())
    labels = [
        f"topic {t['topic']} ({100 * t['share']:.1f}%)<br>"
        + ", ".join(word for word, _ in t["words"])
        for t in topics
    ]
    figure = go.Figure(
        go.Scatter(
            x=points[:, 0],
            y=points[:, 1],
            mode="markers+text",
            text=[str(t["topic"]) for t in topics],
            hovertext=labels,
            hoverinfo="text",
            marker={"size": sizes, "opacity": 0.5, "line": {"width": 1}},
        )
    )
    figure.update_layout(
        title=f"intertopic distance map: {model.n_topics} topics (Jensen-Shannon, PCoA)",
        xaxis_title="PC1",
        yaxis_title="PC2",
        font={"family": "NanumGothic, Malgun Gothic, AppleGothic, sans-serif"},
    )
    with atomic_output(target) as temporary:
        figure.write_html(str(temporary), include_plotlyjs=True, full_html=True)
    return target
