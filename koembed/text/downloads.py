"""Named corpora: downloadable ones (with checksums) and small bundled ones.

Downloadable corpora are listed in ``koembed/data/corpora.json`` (name, files
with URL, size and SHA-256, license); ``KOEMBED_CORPORA`` may point at another
registry file. A mirror folder (``--mirror`` or ``KOEMBED_MIRROR``) is looked
in before the network, for machines that are offline. Downloading a corpus
keeps its original files under ``<output>/<name>/`` and writes the text, one
document a line, to ``<output>/<name>.txt``.

Bundled corpora are the small real Korean texts konlpy ships (``kolaw``,
``kobill``); they work offline and can be named wherever a corpus path goes.
"""

from __future__ import annotations

import contextlib
import json
import logging
import os
import shutil
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from koembed.errors import BadInputError, DownloadError, UnknownNameError
from koembed.outputs import atomic_output, check_output
from koembed.progress import ProgressCallback, report
from koembed.resources import sha256_file
from koembed.text.corpus import BUNDLED, bundled_paths, read_corpus
from koembed.text.korquad import prepare_korquad
from koembed.text.wikidumps import download_kowiki

log = logging.getLogger(__name__)

TIMEOUT_SECONDS = 30
CHUNK_BYTES = 1 << 20


@dataclass(frozen=True)
class RemoteFile:
    name: str
    url: str
    size: int
    sha256: str


@dataclass(frozen=True)
class CorpusEntry:
    name: str
    title: str
    license: str
    homepage: str
    files: tuple[RemoteFile, ...]
    text: dict

    @property
    def size(self) -> int:
        return sum(f.size for f in self.files)


def load_registry(path: str | os.PathLike | None = None) -> dict[str, CorpusEntry]:
    """Read the downloadable-corpus registry (``KOEMBED_CORPORA`` overrides)."""
    path = path or os.environ.get("KOEMBED_CORPORA")
    if path:
        text = Path(path).read_text(encoding="utf-8")
    else:
        text = resources.files("koembed").joinpath("data/corpora.json").read_text(encoding="utf-8")
    entries = {}
    for name, raw in json.loads(text).items():
        files = tuple(RemoteFile(**f) for f in raw["files"])
        # Names become paths under the output folder: a registry from elsewhere
        # must not write outside it ('../../.bashrc').
        for plain in (name, *(f.name for f in files)):
            if not _is_plain_name(plain):
                raise BadInputError(
                    f"corpus registry {path or 'koembed/data/corpora.json'}: {plain!r} is not a "
                    f"plain file name (no folders, no '..'); fix the registry"
                )
        entries[name] = CorpusEntry(
            name=name,
            title=raw.get("title", ""),
            license=raw.get("license", "unknown"),
            homepage=raw.get("homepage", ""),
            files=files,
            text=raw.get("text", {}),
        )
    return entries


def _is_plain_name(name: str) -> bool:
    return (
        bool(name)
        and name not in (".", "..")
        and not any(sep in name for sep in ("/", "\\", "\x00"))
        and not Path(name).is_absolute()
    )


def list_corpora() -> list[dict]:
    """Every named corpus: downloadable and bundled, with size and license."""
    rows = [
        {
            "name": e.name,
            "kind": "download",
            "size": e.size,
            "license": e.license,
            "title": e.title,
            "source": e.homepage,
        }
        for e in load_registry().values()
    ]
    rows.append(
        {
            "name": "kowiki",
            "kind": "download",
            "size": 1_000_000_000,  # about; each dump's own size is in its checksum list
            "license": "CC BY-SA 4.0",
            "title": "Korean Wikipedia dump (pages-articles, about 1 GB): then corpus prepare",
            "source": "https://dumps.wikimedia.org/kowiki/",
        }
    )
    for name, title in BUNDLED.items():
        try:
            size = sum(os.path.getsize(p) for p in bundled_paths(name))
        except ImportError:
            size = 0
        rows.append(
            {
                "name": name,
                "kind": "bundled",
                "size": size,
                "license": "see konlpy",
                "title": title,
                "source": "konlpy",
            }
        )
    return rows


def download_corpus(
    name: str,
    output_dir: str | os.PathLike,
    *,
    mirror: str | os.PathLike | None = None,
    overwrite: bool = False,
    date: str = "latest",
    progress: ProgressCallback | None = None,
) -> Path:
    """Fetch a registered corpus, verify it, and write ``<output_dir>/<name>.txt``.

    Files already present with the right checksum are not fetched again.
    ``kowiki`` is a Wikipedia dump of ``date`` (YYYYMMDD or latest): it is
    fetched (resumably) and verified, but not turned into text, which
    ``prepare_wikipedia`` does (it takes a while).

    Returns:
        The path of the text file, one document a line (for ``kowiki``, the dump).

    Raises:
        UnknownNameError: no such corpus.
        DownloadError: a file could not be fetched or failed its checksum.
        OutputExistsError: the text file exists and ``overwrite`` is false.
    """
    registry = load_registry()
    if name == "kowiki":
        return download_kowiki(output_dir, date=date, mirror=mirror, progress=progress)
    if name not in registry:
        raise UnknownNameError("corpus", name, [*registry, "kowiki"])
    entry = registry[name]
    output_dir = Path(output_dir)
    raw_dir = output_dir / name
    made = [folder for folder in (output_dir, raw_dir) if not folder.exists()]
    text_path = check_output(output_dir / f"{name}.txt", overwrite=overwrite)
    raw_dir.mkdir(parents=True, exist_ok=True)
    mirror = mirror or os.environ.get("KOEMBED_MIRROR")
    try:
        raw_paths = [_fetch(entry, remote, raw_dir, mirror, progress) for remote in entry.files]
    except BaseException:
        # A failed first download leaves no empty folders behind; a folder that
        # holds files (an earlier download) is kept.
        for folder in reversed(made):
            with contextlib.suppress(OSError):
                folder.rmdir()
        raise
    _extract_text(entry, raw_paths, text_path)
    return text_path


def _fetch(
    entry: CorpusEntry,
    remote: RemoteFile,
    raw_dir: Path,
    mirror: str | os.PathLike | None,
    progress: ProgressCallback | None,
) -> Path:
    target = raw_dir / remote.name
    if target.exists() and sha256_file(target) == remote.sha256:
        log.info("%s already downloaded and verified", target)
        return target
    if mirror:
        for candidate in (Path(mirror) / entry.name / remote.name, Path(mirror) / remote.name):
            if candidate.is_file():
                with atomic_output(target) as temporary:
                    shutil.copyfile(candidate, temporary)
                    _verify(temporary, remote, str(candidate))
                log.info("copied %s from the mirror %s", remote.name, candidate)
                return target
        log.info("%s not in the mirror %s; trying %s", remote.name, mirror, remote.url)
    with atomic_output(target) as temporary:
        _download(remote, temporary, entry.name, mirror, progress)
        _verify(temporary, remote, remote.url)
    return target


def _download(
    remote: RemoteFile,
    destination: Path,
    corpus: str,
    mirror: str | os.PathLike | None,
    progress: ProgressCallback | None,
) -> None:
    hint = (
        f"; this machine may be offline: put {remote.name} in a folder and pass mirror=DIR "
        f"(or set KOEMBED_MIRROR)"
    )
    parameters: tuple[str, ...] = ("mirror",)
    if mirror:
        # No parameter named here: "the mirror DIR" is the folder, not the flag.
        hint = f"; {remote.name} is not in the mirror {mirror} either"
        parameters = ()
    done = 0
    last = 0.0
    try:
        with (
            urllib.request.urlopen(remote.url, timeout=TIMEOUT_SECONDS) as response,
            open(destination, "wb") as out,
        ):
            while chunk := response.read(CHUNK_BYTES):
                out.write(chunk)
                done += len(chunk)
                if time.monotonic() - last > 0.2:
                    last = time.monotonic()
                    report(progress, f"download {remote.name}", done, remote.size, "bytes")
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        failure = DownloadError(
            f"could not download {corpus} ({remote.name}) from {remote.url}: {reason}{hint}"
        )
        failure.parameters = parameters
        raise failure from None
    report(progress, f"download {remote.name}", done, remote.size, "bytes", finished=True)


def _verify(path: Path, remote: RemoteFile, origin: str) -> None:
    size = path.stat().st_size
    if size != remote.size:
        raise DownloadError(
            f"{remote.name} from {origin} has {size} bytes, expected {remote.size}; "
            f"the copy is incomplete or a different file: fetch it again"
        )
    digest = sha256_file(path)
    if digest != remote.sha256:
        raise DownloadError(
            f"{remote.name} from {origin} failed its checksum (sha256 {digest[:12]}..., "
            f"expected {remote.sha256[:12]}...); the copy is corrupt or changed: fetch it again"
        )


def _extract_text(entry: CorpusEntry, raw_paths: list[Path], text_path: Path) -> None:
    if entry.text.get("format") == "korquad":
        summary = prepare_korquad(raw_paths, text_path, overwrite=True)
        log.info("wrote %d contexts and %d questions of %s to %s", summary.contexts,
                 summary.questions, entry.name, text_path)  # fmt: skip
        return
    corpus = read_corpus(
        [str(p) for p in raw_paths],
        column=entry.text.get("column"),
        header=entry.text.get("header", False),
        delimiter=entry.text.get("delimiter", "\t"),
        normalize="none",
    )
    with atomic_output(text_path) as temporary:
        lines = 0
        with open(temporary, "w", encoding="utf-8") as out:
            for line in corpus:
                out.write(line + "\n")
                lines += 1
        if lines == 0:  # raised inside: no empty file appears under the final name
            raise BadInputError(f"{entry.name}: the downloaded files hold no text lines")
    log.info("wrote %d lines of %s to %s", lines, entry.name, text_path)
