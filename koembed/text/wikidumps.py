"""``koembed corpus download kowiki``: a Korean Wikipedia dump, resumable and verified.

Wikimedia publishes a dump of every wiki about twice a month under
``https://dumps.wikimedia.org/kowiki/YYYYMMDD/``, with a SHA-1 list of its
files (``kowiki-YYYYMMDD-sha1sums.txt``). ``date="latest"`` reads which dump
that is from the feed Wikimedia keeps beside the newest one
(``latest/kowiki-latest-pages-articles.xml.bz2-rss.xml``). The dump (about
1 GB) is fetched into ``<name>.part`` with HTTP range requests, so an
interrupted download continues where it stopped; only a copy whose SHA-1
matches the published one is renamed into place. A mirror folder holding the
dump and its checksum list is used first. ``KOEMBED_WIKIMEDIA`` replaces the
dumps site's address (for a local mirror server).
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import shutil
from pathlib import Path

from koembed.errors import BadInputError, DownloadError
from koembed.progress import ProgressCallback
from koembed.text.http import fetch_resumable, fetch_text

log = logging.getLogger(__name__)

DUMPS_SITE = "https://dumps.wikimedia.org"
WIKI = "kowiki"
_DATE = re.compile(r"^\d{8}$")
_FEED_DATE = re.compile(r"/kowiki/(\d{8})")


def dumps_site() -> str:
    return os.environ.get("KOEMBED_WIKIMEDIA", DUMPS_SITE).rstrip("/")


def dump_name(date: str) -> str:
    return f"{WIKI}-{date}-pages-articles.xml.bz2"


def latest_date(mirror: Path | None = None) -> str:
    """The date of the newest dump: the newest in ``mirror``, else from Wikimedia's feed."""
    if mirror is not None:
        dates = sorted(
            match.group(1)
            for path in mirror.glob(f"{WIKI}-*-pages-articles.xml.bz2")
            if (match := re.match(rf"{WIKI}-(\d{{8}})-", path.name))
        )
        if dates:
            return dates[-1]
    url = f"{dumps_site()}/{WIKI}/latest/{WIKI}-latest-pages-articles.xml.bz2-rss.xml"
    found = _FEED_DATE.findall(fetch_text(url, "the newest dump's feed"))
    if not found:
        raise DownloadError(f"the feed {url} names no dump date; give date=YYYYMMDD")
    return max(found)


def published_sha1(date: str, mirror: Path | None) -> str:
    """The SHA-1 Wikimedia published for the dump of ``date``."""
    listing = f"{WIKI}-{date}-sha1sums.txt"
    local = mirror / listing if mirror is not None else None
    if local is not None and local.is_file():
        text = local.read_text(encoding="utf-8", errors="replace")
        origin = str(local)
    else:
        origin = f"{dumps_site()}/{WIKI}/{date}/{listing}"
        text = fetch_text(origin, f"the checksums of the {date} dump")
    name = dump_name(date)
    for line in text.splitlines():
        fields = line.split()
        if len(fields) == 2 and fields[1] == name and re.fullmatch(r"[0-9a-f]{40}", fields[0]):
            return fields[0]
    raise DownloadError(f"{origin} lists no SHA-1 for {name}; is {date} a finished dump?")


def sha1_file(path: Path) -> str:
    digest = hashlib.sha1(usedforsecurity=False)
    with open(path, "rb") as handle:
        while block := handle.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def download_kowiki(
    output_dir: str | os.PathLike,
    *,
    date: str = "latest",
    mirror: str | os.PathLike | None = None,
    progress: ProgressCallback | None = None,
) -> Path:
    """Fetch ``kowiki-DATE-pages-articles.xml.bz2`` into ``<output_dir>/kowiki/``,
    resuming a partial download, and verify its SHA-1.

    Returns:
        The dump's path (give it to ``prepare_wikipedia``).

    Raises:
        BadInputError: ``date`` is neither ``latest`` nor YYYYMMDD.
        DownloadError: it cannot be fetched, or fails its checksum.
    """
    if date != "latest" and not _DATE.match(str(date)):
        raise BadInputError(
            f"date {date!r} is neither YYYYMMDD (a dump's date, e.g. 20240601) nor latest",
            parameters=("date",),
        )
    mirror_dir = Path(mirror) if mirror else None
    if mirror_dir is None and os.environ.get("KOEMBED_MIRROR"):
        mirror_dir = Path(os.environ["KOEMBED_MIRROR"])
    if date == "latest":
        date = latest_date(mirror_dir)
    name = dump_name(date)
    folder = Path(output_dir) / WIKI
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / name
    expected = published_sha1(date, mirror_dir)
    if target.is_file() and sha1_file(target) == expected:
        log.info("%s already downloaded and verified", target)
        return target
    part = folder / f"{name}.part"
    local = mirror_dir / name if mirror_dir is not None else None
    if local is not None and local.is_file():
        shutil.copyfile(local, part)
        origin = str(local)
    else:
        origin = f"{dumps_site()}/{WIKI}/{date}/{name}"
        fetch_resumable(origin, part, label=f"download {name}", progress=progress)
    actual = sha1_file(part)
    if actual != expected:
        part.unlink()
        raise DownloadError(
            f"{name} from {origin} failed its checksum (sha1 {actual[:12]}..., published "
            f"{expected[:12]}...); the copy was removed: download it again"
        )
    os.replace(part, target)
    return target
