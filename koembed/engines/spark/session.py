"""The Spark session the engine's jobs run in, and a failed job as one koembed error.

An active session is used (``spark-submit``, or one the caller built);
otherwise one is built with the configured master (CLI ``--master``, default
``local[*]``).
"""

from __future__ import annotations

import atexit
import contextlib
import functools
import os
import re
import shutil
import sys
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from koembed.errors import BadInputError, KoembedError, MissingDependencyError
from koembed.outputs import private_temp_dir

_settings: dict[str, Any] = {"master": None, "conf": {}}


def configure(master: str | None = None, conf: dict[str, str] | None = None) -> None:
    """Set the master and configuration of the session koembed builds (CLI ``--master``)."""
    _settings["master"] = master
    _settings["conf"] = dict(conf or {})


def session():
    """The active SparkSession, or a new one (``local[*]`` unless configured).

    Raises:
        MissingDependencyError: pyspark is not installed.
        KoembedError: no Java to run Spark on.
    """
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        raise MissingDependencyError("pyspark", "spark", "the Spark engine") from None
    active = SparkSession.getActiveSession()
    master = _settings["master"]
    if active is not None and (master is None or active.sparkContext.master == master):
        return active
    if "PYSPARK_GATEWAY_PORT" not in os.environ:  # not launched by spark-submit
        if not (os.environ.get("JAVA_HOME") or shutil.which("java")):
            raise KoembedError(
                "the Spark engine needs Java 17 or newer: install it (e.g. apt-get install "
                "openjdk-17-jre-headless) or set JAVA_HOME"
            )
        master = master or "local[*]"
        # Local workers must run this interpreter, which has koembed installed.
        os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("koembed")
    if master is not None:
        if active is not None:
            active.stop()
        builder = builder.master(master)
    if master and master.startswith("local"):
        builder = builder.config("spark.ui.enabled", "false")
        if "spark.driver.memory" not in _settings["conf"]:
            # Local tasks run in the driver's JVM, whose default heap (1 GiB)
            # is small for them; a quarter of the machine, 1 to 8 GiB.
            builder = builder.config("spark.driver.memory", f"{_local_heap_mib()}m")
    # Progress is koembed's to show; Spark's console bars would garble it.
    builder = builder.config("spark.ui.showConsoleProgress", "false")
    for key, value in _settings["conf"].items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def _local_heap_mib() -> int:
    try:
        total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):  # not POSIX
        return 2048
    return int(min(max(total // 4 >> 20, 1024), 8192))


def _job_error(error: BaseException) -> KoembedError:
    """A failed Spark job as one line: koembed's own error if a task raised one."""
    text = str(error)
    for kind in ("BadInputError", "MissingDependencyError", "KoembedError", "UnknownNameError"):
        marker = f"koembed.errors.{kind}: "
        if marker in text:
            message = text.split(marker, 1)[1].splitlines()[0].strip()
            return BadInputError(message) if kind == "BadInputError" else KoembedError(message)
    # The root cause: the last "SomeException: message" line of the Java trace.
    causes = re.findall(r"([\w.$]+(?:Exception|Error): [^\n]*)", text)
    detail = causes[-1].strip()[:300] if causes else type(error).__name__
    return KoembedError(f"the Spark job failed: {detail}")


def run_job(action):
    """Run a Spark action; its failure becomes one koembed error."""
    try:
        from py4j.protocol import Py4JError
    except ImportError:  # pragma: no cover - py4j comes with pyspark
        Py4JError = RuntimeError
    try:
        return action()
    except Py4JError as error:
        raise _job_error(error) from None
    except Exception as error:
        if type(error).__module__.startswith(("pyspark", "py4j")):
            raise _job_error(error) from None
        raise


def partitions_in_order(rdd) -> Iterator[tuple[list, int, int]]:
    """The rows of ``rdd`` in partition order, a wave of a few partitions per
    core at a time: (the wave's rows, partitions done, partitions in all). The
    driver holds one wave, never the whole dataset."""
    context = rdd.context
    total = rdd.getNumPartitions()
    wave = max(2, 2 * context.defaultParallelism)
    for first in range(0, total, wave):
        part = list(range(first, min(first + wave, total)))
        rows = run_job(lambda part=part: context.runJob(rdd, lambda it: it, part))
        yield rows, part[-1] + 1, total


# Archives of shipped folders live as long as this process: an executor that
# joins later (a worker restarted) fetches them then.
_archives = contextlib.ExitStack()
atexit.register(_archives.close)
_shipped: dict[tuple, str] = {}


def ship_folder(spark, folder: Path) -> str:
    """Send a folder (a model directory, a trained tokenizer) to every executor,
    as an archive Spark unpacks in each one's working directory; the name
    ``pyspark.SparkFiles.get`` finds it under there.

    Spark ships single files but not a local folder to a cluster, so the folder
    goes as one uncompressed zip; a folder shipped before, unchanged, is not
    shipped again.
    """
    folder = folder.resolve()
    files = sorted(path for path in folder.rglob("*") if path.is_file())
    stats = [(path, path.stat()) for path in files]
    stamp = tuple((str(p.relative_to(folder)), st.st_size, st.st_mtime_ns) for p, st in stats)
    key = (spark.sparkContext.applicationId, str(folder), stamp)
    if key in _shipped:
        return _shipped[key]
    where = _archive_dir()
    name = f"koembed-{folder.name}-{zlib.crc32(repr(key).encode()):08x}"
    archive = where / f"{name}.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_STORED) as packed:
        for path in files:
            packed.write(path, path.relative_to(folder))
    run_job(lambda: spark.sparkContext.addArchive(f"{archive}#{name}"))
    _shipped[key] = name
    return name


@functools.cache
def _archive_dir() -> Path:
    """This process's folder of archives, made on first use."""
    return _archives.enter_context(private_temp_dir("ship"))
