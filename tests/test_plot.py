"""Pictures: the Hangul font, PNG/HTML maps, heatmaps and projector export."""

from __future__ import annotations

import json
import math
import warnings

import numpy as np
import pytest

from koembed import Embeddings
from koembed.errors import BadInputError, OutputExistsError, UnknownNameError

pytest.importorskip("matplotlib")
pytest.importorskip("plotly")

from koembed.evaluate.export import export
from koembed.evaluate.plot import hangul_font, plot_similarity, plot_words, project

WORDS = ["영화", "드라마", "배우", "감독", "음악", "노래", "가수", "사과", "포도", "딸기"]
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def model() -> Embeddings:
    rng = np.random.default_rng(0)
    vectors = rng.normal(size=(len(WORDS), 8)).astype(np.float32)
    counts = np.arange(len(WORDS), 0, -1) * 10
    return Embeddings(WORDS, vectors, counts, {"method": "random"})


def test_hangul_font_is_found_by_matplotlib():
    from matplotlib import font_manager
    from matplotlib.ft2font import FT2Font

    path = hangul_font()
    assert path.is_file()
    # It has glyphs for Hangul syllables (a glyph index of 0 means "missing").
    font = FT2Font(str(path))
    assert all(font.get_char_index(ord(char)) for char in "한국어영화")
    # And matplotlib resolves the family name to that very file.
    name = font_manager.FontProperties(fname=str(path)).get_name()
    found = font_manager.findfont(
        font_manager.FontProperties(family=name), fallback_to_default=False
    )
    assert font_manager.FontProperties(fname=found).get_name() == name


def _hangul_warnings(record) -> list[str]:
    return [str(w.message) for w in record if "missing from font" in str(w.message)]


def test_default_font_would_draw_boxes(tmp_path):
    # What the check below guards against: DejaVu Sans has no Hangul.
    from matplotlib.figure import Figure

    figure = Figure()
    figure.add_subplot().set_title("영화")
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        figure.savefig(tmp_path / "boxes.png", format="png")
    assert _hangul_warnings(record)


def test_png_map_has_hangul_labels(model, tmp_path):
    out = tmp_path / "map.png"
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        path = plot_words(model, out, words=WORDS[:6])
    assert not _hangul_warnings(record)
    data = path.read_bytes()
    assert data.startswith(PNG_SIGNATURE) and len(data) > 5000
    assert not list(tmp_path.glob(".*partial*"))  # written under a temporary name, then renamed


def test_html_map_is_self_contained_with_hover_labels(model, tmp_path):
    path = plot_words(model, tmp_path / "map.html", neighbours="영화", topn=5)
    html = path.read_text(encoding="utf-8")
    assert "<script src=" not in html  # plotly.js is inlined, not fetched
    assert "plotly" in html.lower()
    # plotly writes them JSON-escaped, or as they are when it serializes with orjson.
    assert ("영화" in html or json.dumps("영화")[1:-1] in html) and "hovertext" in html


def test_top_words_with_tsne(model, tmp_path):
    path = plot_words(model, tmp_path / "top.png", top=8, method="tsne")
    assert path.read_bytes().startswith(PNG_SIGNATURE)


def test_plot_refuses_bad_requests(model, tmp_path):
    with pytest.raises(BadInputError, match="one way"):
        plot_words(model, tmp_path / "x.png", words=["영화"], top=3)
    with pytest.raises(BadInputError, match=r"\.html"):
        plot_words(model, tmp_path / "x.gif", words=WORDS)
    with pytest.raises(UnknownNameError, match="pca, tsne, umap"):
        plot_words(model, tmp_path / "x.png", words=WORDS, method="mds")
    with pytest.raises(BadInputError, match="at least 5"):
        plot_words(model, tmp_path / "x.png", words=WORDS[:3], method="tsne")
    (tmp_path / "exists.png").write_bytes(b"")
    with pytest.raises(OutputExistsError):
        plot_words(model, tmp_path / "exists.png", words=WORDS)


def test_pca_recovers_a_plane():
    # Points on a 2-D plane inside 5-D space keep their distances under PCA.
    angles = np.linspace(0, 2 * math.pi, 7, endpoint=False)
    plane = np.stack([np.cos(angles), np.sin(angles)], axis=1)
    basis = np.linalg.qr(np.random.default_rng(1).normal(size=(5, 2)))[0]
    xy = project(plane @ basis.T, "pca")
    distances = np.linalg.norm(xy[:, None] - xy[None], axis=-1)
    expected = np.linalg.norm(plane[:, None] - plane[None], axis=-1)
    assert np.allclose(distances, expected, atol=1e-6)


def test_similarity_heatmap_png(model, tmp_path):
    with warnings.catch_warnings(record=True) as record:
        warnings.simplefilter("always")
        path = plot_similarity(model, ["영화", "드라마", "사과"], tmp_path / "heat.png")
    assert not _hangul_warnings(record)
    assert path.read_bytes().startswith(PNG_SIGNATURE)
    with pytest.raises(BadInputError, match="at least 2"):
        plot_similarity(model, ["영화"], tmp_path / "one.png")


def test_projector_export(model, tmp_path):
    folder = export(model, tmp_path / "projector", top=4)
    vectors = np.loadtxt(folder / "vectors.tsv", delimiter="\t")
    metadata = (folder / "metadata.tsv").read_text(encoding="utf-8").splitlines()
    assert vectors.shape == (4, 8)
    assert metadata == ["word\tcount", "영화\t100", "드라마\t90", "배우\t80", "감독\t70"]
    assert np.allclose(vectors[1], model.vectors[1], atol=1e-5)
    assert (folder / "projector_config.pbtxt").is_file()
    with pytest.raises(UnknownNameError, match="projector"):
        export(model, tmp_path / "other", format="csv")
