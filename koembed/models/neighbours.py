"""Approximate nearest-neighbour indexes over a model's vectors, kept in its directory.

``koembed index`` builds an HNSW graph (faiss's ``IndexHNSWFlat``, inner
product on unit vectors: the cosine) over a model's word vectors or document
vectors; queries then take a few candidates from the graph and score them
exactly, instead of scoring every row. A model directory holds one
folder per indexed matrix, written whole or not at all::

    index/words/        over vectors.npy (the word vectors)
    index/documents/    over doc_vectors.npy (a document model's documents)
        index.json      library and version, parameters, rows indexed, and
                        checksums of the source matrix and of the graph file
        graph.faiss     the graph with the unit vectors, each under its row number

An index is used only as its checksums allow: a damaged graph file, or a
matrix changed after indexing (a stale index), is refused with an error that
says how to rebuild it. A file whose size and modification time are still those
recorded at indexing (and were settled then) is taken as unchanged without
reading it whole, so opening a large index costs a stat, not a checksum. Zero
rows (documents with no known word) are not indexed: an exact search scores
them 0, so they are never near anything.
"""

from __future__ import annotations

import json
import logging
import os
import time
import zlib
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any

import numpy as np

from koembed.errors import BadInputError, MissingDependencyError
from koembed.outputs import atomic_output
from koembed.progress import ProgressCallback, report

log = logging.getLogger(__name__)

INDEX_FORMAT = "koembed-index/1"
INDEX_DIR = "index"
INFO_FILE = "index.json"
GRAPH_FILE = "graph.faiss"
LIBRARY = "faiss"
#: What a model directory can index, and the matrix file each indexes.
WORDS, DOCUMENTS = "words", "documents"
#: Rows added to the graph between progress reports.
ADD_BATCH = 50_000
_CHUNK = 1 << 24  # bytes read at a time for a checksum
#: File times move in clock ticks: a write in the tick a stamp was taken in could
#: leave the time as recorded (git's "racy" entries). A stamp vouches for a file
#: only when its time is this much older than the stamp.
_SETTLED_NS = 2_000_000_000


@dataclass(frozen=True)
class IndexSettings:
    """The graph's parameters (HNSW: Malkov & Yashunin 2018).

    Attributes:
        connectivity: links per node (HNSW's M): more is better recall, a
            larger graph and a slower build.
        expansion_add: candidates kept while inserting (efConstruction).
        expansion_search: candidates kept while searching (ef); a query for
            more neighbours than this searches as wide as it asks.
    """

    # Measured by bench/ann.py on the 712,383 NSMC SIF document vectors: 32/96
    # found 0.982 of the true top 10 (0.952 by row number, ties aside) at 0.31 ms
    # a query, 55x faster than exact; 16/128 0.975 at 0.32 ms; 32/64 0.974.
    connectivity: int = 32
    expansion_add: int = 128
    expansion_search: int = 96

    def check(self) -> None:
        """Raises BadInputError: a parameter out of its range."""
        for name, value in asdict(self).items():
            # Past these the graph grows or searches far beyond any gain in recall.
            most = 256 if name == "connectivity" else 65_536
            if not isinstance(value, int) or isinstance(value, bool) or not 2 <= value <= most:
                raise BadInputError(
                    f"{name} must be an integer from 2 to {most:,}, got {value!r}",
                    parameters=(name,),
                )


@dataclass
class IndexInfo:
    """What ``index.json`` records about an index."""

    what: str  # WORDS or DOCUMENTS
    source: str  # the matrix file indexed, relative to the model directory
    source_checksum: str
    graph_checksum: str
    rows: int  # rows of the source matrix
    indexed: int  # rows in the graph (the non-zero ones)
    dim: int
    settings: IndexSettings
    library: str
    library_version: str
    seconds: float
    created: str
    format: str = INDEX_FORMAT
    # file_stamp() of each file when indexed (absent in indexes built before them).
    source_stamp: list[int] | None = None
    graph_stamp: list[int] | None = None

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "settings": asdict(self.settings)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> IndexInfo:
        """Raises KeyError, TypeError, ValueError: not an index description."""
        if data.get("format") != INDEX_FORMAT:
            raise ValueError(f"format {data.get('format')!r} is not {INDEX_FORMAT}")
        return cls(**{**data, "settings": IndexSettings(**data["settings"])})


def checksum(path: Path) -> str:
    """CRC-32 of a file's bytes, as ``crc32:HEX`` (damage and change, not tampering)."""
    value = 0
    with open(path, "rb") as handle:
        while block := handle.read(_CHUNK):
            value = zlib.crc32(block, value)
    return f"crc32:{value:08x}"


def file_stamp(path: Path) -> list[int]:
    """A file's size, modification time and the time it was read (ns)."""
    status = path.stat()
    return [status.st_size, status.st_mtime_ns, time.time_ns()]


def _unchanged(path: Path, stamp: list[int] | None, recorded_checksum: str) -> bool:
    """``path`` is as when it was stamped: by its size and time when the stamp
    vouches for them, by its checksum otherwise."""
    if not path.is_file():
        return False
    if stamp is not None:
        size, modified, taken = stamp
        status = path.stat()
        settled = modified < taken - _SETTLED_NS
        if settled and (status.st_size, status.st_mtime_ns) == (size, modified):
            return True
    return checksum(path) == recorded_checksum


def _faiss():
    try:
        import faiss
    except ImportError:
        raise MissingDependencyError("faiss-cpu", "index", "an approximate index") from None
    return faiss


def index_folder(model_dir: Path, what: str) -> Path:
    """Where the index over ``what`` (words or documents) of a model directory lives."""
    return model_dir / INDEX_DIR / what


def build_index(
    unit: np.ndarray,
    model_dir: Path,
    what: str,
    source: str,
    *,
    settings: IndexSettings | None = None,
    workers: int | None = None,
    progress: ProgressCallback | None = None,
) -> IndexInfo:
    """Index the rows of ``unit`` (unit length, or zero) into ``model_dir``.

    Args:
        unit: the rows to index, each of length 1 or 0 (zero rows are left out).
        what: ``"words"`` or ``"documents"``: names the folder.
        source: the matrix file the rows come from, relative to ``model_dir``;
            its checksum tells a stale index later.
        workers: threads adding rows (default: all cores).

    The folder appears only when complete, replacing an earlier index.

    Raises:
        BadInputError: bad settings.
        MissingDependencyError: faiss is not installed.
    """
    settings = settings or IndexSettings()
    settings.check()
    if workers is not None and workers < 1:
        raise BadInputError(f"workers must be 1 or more, got {workers}", parameters=("workers",))
    faiss = _faiss()
    started = time.perf_counter()
    source_stamp = file_stamp(model_dir / source)  # before the checksum: a later write shows
    source_checksum = checksum(model_dir / source)
    rows = np.flatnonzero(np.any(unit != 0, axis=1))
    hnsw = faiss.IndexHNSWFlat(unit.shape[1], settings.connectivity, faiss.METRIC_INNER_PRODUCT)
    hnsw.hnsw.efConstruction = settings.expansion_add
    hnsw.hnsw.efSearch = settings.expansion_search
    graph = faiss.IndexIDMap(hnsw)  # answers row numbers, with the zero rows left out
    threads = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(workers or os.cpu_count() or 1)
    try:
        for first in range(0, len(rows), ADD_BATCH):
            keys = rows[first : first + ADD_BATCH]
            graph.add_with_ids(np.ascontiguousarray(unit[keys], dtype=np.float32), keys)
            report(progress, f"index {what}", first + len(keys), len(rows), "vectors")
    finally:
        faiss.omp_set_num_threads(threads)
    folder = index_folder(model_dir, what)
    folder.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(folder, directory=True) as work:
        graph_path = work / GRAPH_FILE
        faiss.write_index(graph, os.fspath(graph_path))
        # The graph's time is set back, so that any later write changes it, even one
        # in this clock tick, and its stamp vouches for it from the start.
        written = time.time_ns() - 5 * _SETTLED_NS
        os.utime(graph_path, ns=(written, written))
        info = IndexInfo(
            what=what,
            source=source,
            source_checksum=source_checksum,
            graph_checksum=checksum(graph_path),
            rows=int(unit.shape[0]),
            indexed=len(rows),
            dim=int(unit.shape[1]),
            settings=settings,
            library=LIBRARY,
            library_version=faiss.__version__,
            seconds=round(time.perf_counter() - started, 3),
            created=datetime.now(timezone.utc).isoformat(timespec="seconds"),
            source_stamp=source_stamp,
            graph_stamp=file_stamp(graph_path),
        )
        (work / INFO_FILE).write_text(json.dumps(info.to_json(), indent=2), encoding="utf-8")
    report(
        progress, f"index {what}", len(rows), len(rows), "vectors", {"seconds": info.seconds}, True
    )
    return info


def read_info(model_dir: Path, what: str) -> IndexInfo | None:
    """The description of the index over ``what``, or ``None`` when there is none.

    Raises:
        BadInputError: the description is unreadable.
    """
    path = index_folder(model_dir, what) / INFO_FILE
    if not path.exists():
        return None
    try:
        return IndexInfo.from_json(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise BadInputError(
            f"{path} is damaged ({error}); rebuild it with 'koembed index --model {model_dir}'"
        ) from None


class NeighbourIndex:
    """An index opened for queries: candidate rows for a unit query vector.

    Open with :func:`open_index`, which checks it first.
    """

    def __init__(self, graph: Any, info: IndexInfo):
        self._graph = graph
        self._hnsw = _faiss().downcast_index(graph.index)
        self.info = info

    def candidates(self, query: np.ndarray, count: int) -> np.ndarray:
        """Rows of the (about) ``count`` nearest indexed vectors to ``query`` (unit
        length) by cosine, nearest first; fewer when fewer are indexed."""
        if count < 1:
            return np.zeros(0, dtype=np.int64)
        # faiss searches max(ef, count) wide: a query for many still finds them.
        _, found = self._graph.search(np.ascontiguousarray(query, dtype=np.float32)[None], count)
        rows = found[0]
        return rows[rows >= 0].astype(np.int64)

    @property
    def expansion_search(self) -> int:
        """Candidates kept while searching (ef): the recorded setting, or one set here."""
        return int(self._hnsw.hnsw.efSearch)

    @expansion_search.setter
    def expansion_search(self, value: int) -> None:
        IndexSettings(expansion_search=value).check()
        self._hnsw.hnsw.efSearch = value

    def nearest(
        self,
        matrix: np.ndarray,
        query: np.ndarray,
        count: int,
        norms: np.ndarray | None = None,
    ) -> tuple[np.ndarray, np.ndarray]:
        """The candidate rows for ``query`` scored exactly, best first: their
        ``matrix @ query``, divided by ``norms`` where given (the scores an exact
        search gives those rows; a cosine needs a unit ``query``).

        Returns:
            rows and scores, each of (at most) ``count`` entries.
        """
        length = float(np.linalg.norm(query))
        if length == 0:
            return np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.float32)
        rows = self.candidates(query / length, count)
        scores = np.asarray(matrix[rows] @ query.astype(np.float32), dtype=np.float32)
        if norms is not None:
            scores /= norms[rows]
        order = np.argsort(-scores, kind="stable")
        return rows[order], scores[order]


def open_index(model_dir: Path, what: str, rows: int) -> NeighbourIndex | None:
    """The index over ``what`` in ``model_dir``, checked, or ``None`` when there is
    none (or faiss is missing, which is logged: queries are then exact).

    Args:
        rows: rows of the matrix the index must cover.

    Raises:
        BadInputError: the index is damaged or stale (the matrix changed
            after indexing); the message says how to rebuild it.
    """
    info = read_info(model_dir, what)
    if info is None:
        return None
    try:
        faiss = _faiss()
    except MissingDependencyError as error:
        log.warning("%s; searching exactly", error)
        return None
    folder = index_folder(model_dir, what)
    rebuild = f"rebuild it with 'koembed index --model {model_dir}', or search with exact=True"
    graph_path = folder / GRAPH_FILE
    if not _unchanged(graph_path, info.graph_stamp, info.graph_checksum):
        raise BadInputError(
            f"the {what} index in {folder} is damaged; {rebuild}", parameters=("exact",)
        )
    source = model_dir / info.source
    if rows != info.rows or not _unchanged(source, info.source_stamp, info.source_checksum):
        raise BadInputError(
            f"the {what} index in {folder} is stale: {info.source} changed after indexing; "
            f"{rebuild}",
            parameters=("exact",),
        )
    try:
        graph = faiss.read_index(os.fspath(graph_path))
    except RuntimeError:
        graph = None
    if graph is None or graph.ntotal != info.indexed or graph.d != info.dim:
        raise BadInputError(
            f"the {what} index in {folder} is damaged; {rebuild}", parameters=("exact",)
        )
    # Queries come one at a time: one thread each. An OpenMP team for a single
    # query only waits on itself, and on a busy machine that wait costs
    # milliseconds (seen here: 8 ms a query with two threads, as slow as exact).
    faiss.omp_set_num_threads(1)
    index = NeighbourIndex(graph, info)
    index.expansion_search = info.settings.expansion_search
    return index
