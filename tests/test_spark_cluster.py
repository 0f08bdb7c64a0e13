"""The Spark engine on a real standalone cluster: a master and two workers on
127.0.0.1, each its own JVM started from pyspark's own scripts (bin/spark-class)
with its own ports and work directory. The commands run with --master
spark://127.0.0.1:PORT and must write what the local engine writes, also when a
worker is killed in the middle of a job.

Needs pyspark and Java 17+ (marked spark and cluster: ``-m 'not cluster'``
leaves them out of a quick run; ``make test`` runs them).
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

import koembed
from koembed.cli import app

pytestmark = [pytest.mark.spark, pytest.mark.cluster]

WORKERS = 2
START_SECONDS = 90


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Cluster:
    master: str  # spark://127.0.0.1:PORT
    ui: str  # the master's web UI (its /json/ says what runs where)
    processes: list[subprocess.Popen]  # the master, then the workers
    home: Path

    def state(self) -> dict:
        with urllib.request.urlopen(f"{self.ui}/json/", timeout=5) as answer:
            return json.load(answer)

    def alive_workers(self) -> int:
        return sum(w["state"] == "ALIVE" for w in self.state()["workers"])


def _daemon(home: Path, log: Path, *args: str) -> subprocess.Popen:
    """One Spark daemon JVM through pyspark's bin/spark-class, in a process group
    of its own (a worker's executors join it: killing the group kills them too)."""
    env = {
        **os.environ,
        "SPARK_HOME": str(home),
        "SPARK_LOG_DIR": str(log.parent),
        "SPARK_LOCAL_IP": "127.0.0.1",
        "PYSPARK_PYTHON": sys.executable,  # executors run this interpreter (koembed installed)
    }
    with open(log, "wb") as out:
        return subprocess.Popen(
            [str(home / "bin" / "spark-class"), *args],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
        )


def _stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        for sig in (signal.SIGTERM, signal.SIGKILL):
            try:
                os.killpg(process.pid, sig)
            except ProcessLookupError:
                break
            try:
                process.wait(timeout=10)
                break
            except subprocess.TimeoutExpired:
                continue


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    pyspark = pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("the Spark engine needs Java")
    home = Path(pyspark.__file__).parent
    folder = tmp_path_factory.mktemp("cluster")
    port, ui_port = free_port(), free_port()
    master = f"spark://127.0.0.1:{port}"
    processes = [
        _daemon(
            home,
            folder / "master.log",
            *("org.apache.spark.deploy.master.Master", "--host", "127.0.0.1"),
            *("--port", str(port), "--webui-port", str(ui_port)),
        )
    ]
    cluster = Cluster(master, f"http://127.0.0.1:{ui_port}", processes, home)
    try:
        for number in range(1, WORKERS + 1):
            work = folder / f"worker{number}"
            work.mkdir()
            processes.append(
                _daemon(
                    home,
                    folder / f"worker{number}.log",
                    *("org.apache.spark.deploy.worker.Worker", master, "--host", "127.0.0.1"),
                    *("--cores", "1", "--memory", "1g", "--work-dir", str(work)),
                    *("--port", str(free_port()), "--webui-port", str(free_port())),
                )
            )
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                if cluster.alive_workers() == WORKERS:
                    break
            except (OSError, ValueError):
                pass  # the master's UI is not up yet, or not its JSON yet
            if time.monotonic() > deadline or any(p.poll() is not None for p in processes):
                logs = "\n".join(p.read_text()[-1500:] for p in folder.glob("*.log"))
                pytest.fail(f"the standalone cluster did not come up:\n{logs}")
            time.sleep(0.5)
        yield cluster
    finally:
        stop_session()
        from koembed.engines import create_engine

        create_engine("spark").configure(None)
        for process in reversed(processes):
            _stop(process)


def stop_session() -> None:
    """Stop this process's Spark application: the cluster's two cores are then
    free for another (a standalone master gives an application every free core)."""
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None:
        active.stop()


def invoke(*args: str):
    result = CliRunner().invoke(app, [str(arg) for arg in args])
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def law_text(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("text") / "law.txt"
    lines = list(koembed.read_corpus(["kolaw", "kobill"]))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_tokenize_embed_and_ppmi_on_the_cluster_equal_the_local_engine(
    cluster, tmp_path, law_text, law_sif_dir, law_tokens
):
    spark = ("--engine", "spark", "--master", cluster.master)
    started = time.perf_counter()
    invoke("tokenize", law_text, "-o", tmp_path / "law.spark", *spark)
    tokenized = time.perf_counter()
    local = koembed.tokenize_corpus(koembed.read_corpus(law_text), tmp_path / "law.local")
    assert (tmp_path / "law.spark").read_bytes() == local.path.read_bytes()
    # It ran on the cluster: the master lists the application, on both workers.
    apps = cluster.state()["activeapps"] + cluster.state()["completedapps"]
    assert any(app["name"] == "koembed" for app in apps)

    invoke(
        "embed", "--model", law_sif_dir, "--input", law_text, "-o", tmp_path / "v.parquet", *spark
    )
    embedded = time.perf_counter()
    invoke("embed", "--model", law_sif_dir, "--input", law_text, "-o", tmp_path / "v.npy")
    import pyarrow.parquet as pq

    table = pq.read_table(tmp_path / "v.parquet").to_pandas().sort_values("id")
    assert (table["id"].to_numpy() == np.arange(len(table))).all()
    vectors = np.stack(table["vector"].to_numpy()).astype(np.float32)
    assert np.array_equal(vectors, np.load(tmp_path / "v.npy"))  # the same floats

    options = ("--dim", "8", "--min-count", "3")
    invoke("train", "ppmi", law_tokens.path, "-o", tmp_path / "ppmi", *spark, *options)
    counted = time.perf_counter()
    remote = koembed.load(tmp_path / "ppmi")
    here = koembed.train("ppmi", law_tokens, dim=8, min_count=3)
    assert remote.words == here.words
    assert np.allclose(remote.vectors, here.vectors, atol=1e-5)  # the same counts
    from koembed.counts import count_cooccurrences
    from koembed.engines import create_engine

    counts = dict(window=4, symmetric=True, min_count=2)
    exact = count_cooccurrences(law_tokens, **counts)
    on_cluster = create_engine("spark").count_cooccurrences(law_tokens, **counts)
    assert (on_cluster.rows == exact.rows).all() and (on_cluster.cols == exact.cols).all()
    assert (on_cluster.values == exact.values).all()
    print(
        f"\ncluster: tokenize {tokenized - started:.1f} s, embed {embedded - tokenized:.1f} s, "
        f"train ppmi {counted - embedded:.1f} s"
    )


def test_a_worker_killed_in_the_middle_of_a_job_changes_nothing(cluster, tmp_path, law_text):
    """24 files of the law text three times over: 24 partitions, run in waves of
    four (two cores); one worker and its executor are killed (SIGKILL to its
    process group) once the tokenized output has begun to grow, and Spark
    reruns the lost tasks on the other worker."""
    stop_session()  # the job runs in a process of its own
    text = law_text.read_text(encoding="utf-8") * 3
    files = []
    for number in range(24):
        files.append(tmp_path / f"part{number:02d}.txt")
        files[-1].write_text(text, encoding="utf-8")
    output = tmp_path / "many.spark"
    started = time.perf_counter()
    command = [sys.executable, "-m", "koembed", "tokenize", *map(str, files), "-o", str(output)]
    log = tmp_path / "job.log"  # a file, not a pipe: nobody reads it while the job runs
    with open(log, "wb") as sink:
        job = subprocess.Popen(
            [*command, "--engine", "spark", "--master", cluster.master],
            stdout=sink,
            stderr=subprocess.STDOUT,
        )
    try:
        partial = None
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and job.poll() is None:
            written = list(tmp_path.glob(".many.spark.partial-*"))
            if written and written[0].stat().st_size > 0:
                partial = written[0].stat().st_size
                break
            time.sleep(0.05)
        assert partial is not None and job.poll() is None, (
            f"the job ended before a worker could die: {log.read_text()[-3000:]}"
        )
        victim = cluster.processes[1]  # worker 1 and the executor it launched
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait(timeout=30)
        killed = time.perf_counter()
        job.wait(timeout=600)
        finished = time.perf_counter()
    finally:
        if job.poll() is None:
            job.kill()
            job.wait()
    assert job.returncode == 0, log.read_text()[-3000:]
    size = output.stat().st_size
    assert partial < size  # the worker died with most of the output still to come
    local = koembed.tokenize_corpus(koembed.read_corpus(files), tmp_path / "many.local")
    assert output.read_bytes() == local.path.read_bytes()
    workers = [w["state"] for w in cluster.state()["workers"]]
    assert sorted(workers) == ["ALIVE", "DEAD"]
    print(
        f"\nworker killed {killed - started:.1f} s into the job with {partial:,} of {size:,} "
        f"bytes written; the job finished {finished - killed:.1f} s later"
    )
