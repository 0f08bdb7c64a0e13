"""Pictures of a vector space: 2-D maps of words and similarity heatmaps.

Needs the ``plot`` extra (matplotlib, koreanize-matplotlib for its NanumGothic
font, plotly, scikit-learn; umap-learn for ``--method umap``). Each output
format and projection is looked up by name in a table; an unknown name lists
the valid ones.

Matplotlib's bundled font (DejaVu Sans) has no Hangul, so labels would come
out as empty boxes: :func:`hangul_font` finds a Korean TrueType font and the
PNG/SVG/PDF writers use it. The HTML writer needs none: the browser draws
the text with its own fonts.
"""

from __future__ import annotations

import importlib.util
import logging
import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from koembed.errors import BadInputError, MissingDependencyError, UnknownNameError
from koembed.models import Embeddings
from koembed.outputs import atomic_output, check_output, model_inputs
from koembed.progress import ProgressCallback, report

log = logging.getLogger(__name__)

# Families with Hangul that a system may have, if koreanize-matplotlib is absent.
_SYSTEM_HANGUL_FAMILIES = (
    "NanumGothic",
    "NanumBarunGothic",
    "Noto Sans CJK KR",
    "Noto Sans KR",
    "Malgun Gothic",
    "AppleGothic",
    "UnDotum",
    "Baekmuk Gulim",
)


@dataclass
class WordMap:
    """Words chosen for a picture, with their unit vectors."""

    labels: list[str]
    vectors: np.ndarray
    highlight: set[str] = field(default_factory=set)  # e.g. the word whose neighbours these are
    counts: list[int | None] = field(default_factory=list)


# -- choosing the words ------------------------------------------------------------


def select_words(
    model: Embeddings,
    *,
    words: Sequence[str] = (),
    top: int | None = None,
    neighbours: str | None = None,
    topn: int = 30,
) -> WordMap:
    """The words to draw: given ones, the ``top`` most frequent, or a word and its neighbours.

    Exactly one of ``words``, ``top`` and ``neighbours`` must be given.

    Raises:
        BadInputError: none or several ways of choosing, or a bad number.
        UnknownWordError: a word has no vector.
    """
    chosen = sum(bool(x) for x in (list(words), top, neighbours))
    if chosen != 1:
        raise BadInputError(
            "choose the words one way: list WORDS, or give top N, or neighbours WORD",
            parameters=("top", "neighbours"),
        )
    highlight: set[str] = set()
    if top is not None:
        from koembed.models.queries import top_words

        labels = [row.word for row in top_words(model, top)]
    elif neighbours:
        if topn < 1:
            raise BadInputError(f"topn must be 1 or more, got {topn}", parameters=("topn",))
        labels = [neighbours] + [w for w, _ in model.most_similar(neighbours, topn=topn)]
        highlight = {neighbours}
    else:
        labels = list(dict.fromkeys(words))
    vectors = []
    for label in labels:
        vector, _ = model.query_vector([label])
        norm = float(np.linalg.norm(vector))
        vectors.append(vector / norm if norm else vector)
    counts: list[int | None] = [
        int(model.counts[model.index[label]])
        if model.counts is not None and label in model.index
        else None
        for label in labels
    ]
    return WordMap(labels, np.vstack(vectors).astype(np.float32), highlight, counts)


# -- projecting to 2-D ------------------------------------------------------------------


def _pca(vectors: np.ndarray, seed: int) -> np.ndarray:
    centred = vectors - vectors.mean(axis=0)
    _, _, components = np.linalg.svd(centred, full_matrices=False)
    return centred @ components[:2].T


def _tsne(vectors: np.ndarray, seed: int) -> np.ndarray:
    try:
        from sklearn.manifold import TSNE
    except ImportError:
        raise _needs("scikit-learn", "tsne") from None
    # Perplexity must stay below the number of points.
    perplexity = float(min(30, max(2, (len(vectors) - 1) // 3)))
    # Exact t-SNE is more faithful and, for the few hundred words a picture can
    # label, quick; Barnes-Hut (OpenMP) pays off only for larger sets.
    method = "exact" if len(vectors) <= 300 else "barnes_hut"
    tsne = TSNE(n_components=2, perplexity=perplexity, init="pca", random_state=seed, method=method)
    return tsne.fit_transform(vectors)


def _umap(vectors: np.ndarray, seed: int) -> np.ndarray:
    try:
        import umap
    except ImportError:
        raise _needs("umap-learn", "umap") from None
    reducer = umap.UMAP(
        n_components=2,
        n_neighbors=min(15, len(vectors) - 1),
        metric="cosine",
        random_state=seed,
        n_jobs=1,  # a seed makes umap run on one thread anyway; saying so avoids its warning
    )
    return reducer.fit_transform(vectors)


def _needs(package: str, method: str) -> MissingDependencyError:
    error = MissingDependencyError(package, "plot", f"method={method!r}")
    error.parameters = ("method",)
    return error


PROJECTIONS: dict[str, tuple[Callable[[np.ndarray, int], np.ndarray], int]] = {
    # name -> (function, fewest points it can place)
    "pca": (_pca, 2),
    "tsne": (_tsne, 5),
    "umap": (_umap, 5),
}


def project(vectors: np.ndarray, method: str = "pca", seed: int = 0) -> np.ndarray:
    """``(n, dim)`` -> ``(n, 2)`` coordinates.

    Raises:
        UnknownNameError: not one of :data:`PROJECTIONS`.
        BadInputError: too few points for the method.
    """
    if method not in PROJECTIONS:
        raise UnknownNameError("projection method", method, PROJECTIONS)
    function, fewest = PROJECTIONS[method]
    if len(vectors) < fewest:
        raise BadInputError(
            f"method {method} needs at least {fewest} words, got {len(vectors)}; add words",
            parameters=("method",),
        )
    return np.asarray(function(np.asarray(vectors, dtype=np.float64), seed), dtype=np.float64)


# -- the Hangul font ------------------------------------------------------------------


def hangul_font() -> Path:
    """A TrueType font with Hangul glyphs, registered with matplotlib.

    The NanumGothic that koreanize-matplotlib ships is found without importing
    that package (importing it changes matplotlib's global settings); a system
    font with Hangul is the fallback.

    Raises:
        MissingDependencyError: no Korean font anywhere.
    """
    try:
        from matplotlib import font_manager
    except ImportError:
        raise MissingDependencyError("matplotlib", "plot", "PNG plots") from None
    spec = importlib.util.find_spec("koreanize_matplotlib")
    folders = list(spec.submodule_search_locations or []) if spec else []
    for folder in folders:
        path = Path(folder) / "fonts" / "NanumGothic.ttf"
        if path.is_file():
            # The bold and light cuts too, so a bold label is not faked or warned about.
            for cut in sorted(path.parent.glob("NanumGothic*.ttf")):
                font_manager.fontManager.addfont(str(cut))
            return path
    for entry in font_manager.fontManager.ttflist:
        if entry.name in _SYSTEM_HANGUL_FAMILIES:
            return Path(entry.fname)
    raise MissingDependencyError("koreanize-matplotlib", "plot", "Hangul labels in PNG plots")


def _font_rc() -> dict:
    from matplotlib import font_manager

    name = font_manager.FontProperties(fname=str(hangul_font())).get_name()
    return {"font.family": name, "axes.unicode_minus": False}


# -- writing pictures ---------------------------------------------------------------------


def _figure(**kwargs):
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise MissingDependencyError("matplotlib", "plot", "PNG plots") from None
    # A bare Figure draws with Agg and leaves pyplot's global state alone.
    return Figure(**kwargs)


def _map_matplotlib(words: WordMap, xy: np.ndarray, title: str, out: Path, fmt: str) -> None:
    import matplotlib

    with matplotlib.rc_context(_font_rc()):
        figure = _figure(figsize=(10, 8), dpi=120, layout="constrained")
        axes = figure.add_subplot()
        colours = ["tab:red" if w in words.highlight else "tab:blue" for w in words.labels]
        axes.scatter(xy[:, 0], xy[:, 1], s=14, c=colours, alpha=0.7)
        for (x, y), label in zip(xy, words.labels):
            weight = "bold" if label in words.highlight else "normal"
            axes.annotate(
                label,
                (x, y),
                xytext=(3, 3),
                textcoords="offset points",
                fontsize=10,
                fontweight=weight,
            )
        axes.set_title(title)
        axes.margins(0.08)  # room for the labels of the outermost points
        axes.set_xticks([])
        axes.set_yticks([])
        figure.savefig(out, format=fmt)


def _map_html(words: WordMap, xy: np.ndarray, title: str, out: Path, fmt: str) -> None:
    go = _plotly()
    hover = [
        label if count is None else f"{label} ({count:,})"
        for label, count in zip(words.labels, words.counts or [None] * len(words.labels))
    ]
    colours = ["crimson" if w in words.highlight else "royalblue" for w in words.labels]
    figure = go.Figure(
        go.Scatter(
            x=xy[:, 0],
            y=xy[:, 1],
            mode="markers+text",
            text=words.labels,
            textposition="top center",
            hovertext=hover,
            hoverinfo="text",
            marker={"color": colours, "size": 7, "opacity": 0.8},
        )
    )
    figure.update_layout(title=title, template="plotly_white", width=1000, height=800)
    figure.update_xaxes(showticklabels=False)
    figure.update_yaxes(showticklabels=False)
    # include_plotlyjs=True inlines plotly.js: the file works offline, alone.
    figure.write_html(str(out), include_plotlyjs=True, full_html=True)


def _plotly():
    try:
        import plotly.graph_objects as go
    except ImportError:
        raise MissingDependencyError("plotly", "plot", "HTML plots") from None
    return go


MAP_WRITERS = {
    ".png": _map_matplotlib,
    ".svg": _map_matplotlib,
    ".pdf": _map_matplotlib,
    ".html": _map_html,
}


def _writer(output: Path, writers: dict) -> Callable:
    suffix = output.suffix.lower()
    if suffix not in writers:
        raise BadInputError(
            f"cannot tell the picture format of {output}; end the name with "
            f"{', '.join(sorted(writers))}"
        )
    return writers[suffix]


def plot_words(
    model: Embeddings,
    output: str | os.PathLike,
    *,
    words: Sequence[str] = (),
    top: int | None = None,
    neighbours: str | None = None,
    topn: int = 30,
    method: str = "pca",
    seed: int = 0,
    overwrite: bool = False,
    progress: ProgressCallback | None = None,
) -> Path:
    """Draw chosen words (see :func:`select_words`) on a 2-D map.

    ``progress`` hears when the projection starts and ends (t-SNE and UMAP
    take seconds to minutes for a few hundred words).

    The format follows the name of ``output``: ``.png``/``.svg``/``.pdf``
    (matplotlib, Hangul font included) or ``.html`` (plotly, self-contained,
    hover labels).

    Raises:
        BadInputError, UnknownNameError, UnknownWordError, MissingDependencyError.
    """
    output = Path(output)
    writer = _writer(output, MAP_WRITERS)
    if method not in PROJECTIONS:
        raise UnknownNameError("projection method", method, PROJECTIONS)
    target = check_output(output, overwrite=overwrite, inputs=model_inputs(model))
    chosen = select_words(model, words=words, top=top, neighbours=neighbours, topn=topn)
    task = f"{method} projection"
    report(progress, task, 0, 1, "steps", {"vocabulary": len(chosen.labels)})
    xy = project(chosen.vectors, method, seed)
    report(progress, task, 1, 1, "steps", {"vocabulary": len(chosen.labels)}, finished=True)
    what = f"neighbours of {neighbours}" if neighbours else f"{len(chosen.labels)} words"
    title = f"{model.meta.get('method', 'vectors')}: {what} ({method})"
    with atomic_output(target) as work:
        writer(chosen, xy, title, work, output.suffix.lower().lstrip("."))
    return target


def _heatmap_matplotlib(words: list[str], matrix: np.ndarray, out: Path, fmt: str) -> None:
    import matplotlib

    size = max(4.0, 0.6 * len(words) + 2)
    with matplotlib.rc_context(_font_rc()):
        figure = _figure(figsize=(size + 1, size), dpi=120, layout="constrained")
        axes = figure.add_subplot()
        image = axes.imshow(matrix, cmap="viridis", vmin=min(0.0, matrix.min()), vmax=1.0)
        axes.set_xticks(
            range(len(words)), labels=words, rotation=45, ha="right", rotation_mode="anchor"
        )
        axes.set_yticks(range(len(words)), labels=words)
        if len(words) <= 20:
            for i in range(len(words)):
                for j in range(len(words)):
                    colour = "black" if matrix[i, j] > 0.6 else "white"
                    axes.text(
                        j,
                        i,
                        f"{matrix[i, j]:.2f}",
                        ha="center",
                        va="center",
                        fontsize=8,
                        color=colour,
                    )
        figure.colorbar(image, ax=axes, label="cosine similarity")
        figure.savefig(out, format=fmt)


def _heatmap_html(words: list[str], matrix: np.ndarray, out: Path, fmt: str) -> None:
    go = _plotly()
    figure = go.Figure(
        go.Heatmap(
            z=matrix,
            x=words,
            y=words,
            colorscale="Viridis",
            zmax=1.0,
            hovertemplate="%{y} / %{x}: %{z:.3f}<extra></extra>",
        )
    )
    figure.update_layout(title="cosine similarity", yaxis_autorange="reversed")
    figure.write_html(str(out), include_plotlyjs=True, full_html=True)


HEATMAP_WRITERS = {
    ".png": _heatmap_matplotlib,
    ".svg": _heatmap_matplotlib,
    ".pdf": _heatmap_matplotlib,
    ".html": _heatmap_html,
}


def similarity_matrix(model: Embeddings, words: Sequence[str]) -> np.ndarray:
    """Cosine similarities between every pair of ``words``.

    Raises:
        UnknownWordError: a word has no vector.
    """
    chosen = select_words(model, words=words)
    return chosen.vectors @ chosen.vectors.T


def plot_similarity(
    model: Embeddings,
    words: Sequence[str],
    output: str | os.PathLike,
    *,
    overwrite: bool = False,
) -> Path:
    """Draw the cosine-similarity heatmap of ``words``.

    Raises:
        BadInputError: fewer than two words or an unknown picture format.
        UnknownWordError: a word has no vector.
    """
    output = Path(output)
    writer = _writer(output, HEATMAP_WRITERS)
    words = list(dict.fromkeys(words))
    if len(words) < 2:
        raise BadInputError(f"a similarity heatmap needs at least 2 words, got {len(words)}")
    target = check_output(output, overwrite=overwrite, inputs=model_inputs(model))
    matrix = similarity_matrix(model, words)
    with atomic_output(target) as work:
        writer(words, matrix, work, output.suffix.lower().lstrip("."))
    return target
