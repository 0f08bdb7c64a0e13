"""Downloads that survive an interruption: HTTP range requests onto a ``.part`` file."""

from __future__ import annotations

import http.client
import time
import urllib.error
import urllib.request
from pathlib import Path

from koembed.errors import DownloadError
from koembed.progress import ProgressCallback, report

TIMEOUT_SECONDS = 30
CHUNK_BYTES = 1 << 20


def fetch_text(url: str, what: str) -> str:
    """A small text file (a checksum list, a feed), whole.

    Raises:
        DownloadError: it cannot be fetched.
    """
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT_SECONDS) as response:
            return response.read().decode("utf-8", errors="replace")
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or error
        raise DownloadError(f"could not download {what} from {url}: {reason}") from None


def fetch_resumable(
    url: str, part: Path, *, label: str, progress: ProgressCallback | None = None
) -> int:
    """Download ``url`` into ``part``, continuing where an earlier run stopped.

    If ``part`` holds bytes, only the rest is asked for (``Range: bytes=N-``);
    a server that answers with the whole file instead (200) is written from
    the start. Returns the size of ``part``. On failure ``part`` is kept, so
    running again resumes.

    Raises:
        DownloadError: the server or the network failed (the message says that
            running again resumes).
    """
    start = part.stat().st_size if part.exists() else 0
    headers = {"Range": f"bytes={start}-"} if start else {}
    request = urllib.request.Request(url, headers=headers)
    done = start
    try:
        try:
            response = urllib.request.urlopen(request, timeout=TIMEOUT_SECONDS)
        except urllib.error.HTTPError as error:
            if error.code == 416 and start:  # nothing left to fetch: the file is whole
                return start
            raise
        with response:
            resumed = start and response.status == 206
            if not resumed:
                done = 0
            length = response.headers.get("Content-Length")
            total = done + int(length) if length and length.isdigit() else None
            last = 0.0
            with open(part, "ab" if resumed else "wb") as out:
                while chunk := response.read(CHUNK_BYTES):
                    out.write(chunk)
                    done += len(chunk)
                    if time.monotonic() - last > 0.2:
                        last = time.monotonic()
                        report(progress, label, done, total, "bytes")
            if total is not None and done < total:  # the connection closed early
                raise DownloadError(
                    f"could not download {url}: the connection closed after {done:,} of "
                    f"{total:,} bytes; {done:,} bytes kept in {part}: run again to resume"
                )
    except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
        reason = getattr(error, "reason", None) or repr(error)
        kept = f"; {done:,} bytes kept in {part}: run again to resume" if done else ""
        raise DownloadError(f"could not download {url}: {reason}{kept}") from None
    report(progress, label, done, done, "bytes", finished=True)
    return done
