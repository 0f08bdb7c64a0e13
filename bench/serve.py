"""koembed serve under load: requests/s and latency beside the Python API's ceiling.

    python bench/serve.py MODEL_DIR [--workers 2] [--seconds 10] [--concurrency 1,16,64]

Starts ``koembed serve --model MODEL_DIR --workers N`` and loads it with wrk
(Debian's ``wrk``: one C thread, so the load costs little of the 2 cores) at
each concurrency, for ``similar`` (1,000 different words from the 10,000 most
frequent, so no answer is the last one again) and for ``embed`` (one text of
eight such words a request, tokenized by the model's mecab). For each run:
requests/s, p50 and p99 latency, the server's CPU use per worker, and each
worker's resident and proportional (shared pages split) memory. Then, in the
same run, the same queries through the Python API in this one process, one
BLAS thread, as the ceiling a worker could reach with no HTTP at all.

Target (issue 14): at least 1,500 similar requests/s with 2 workers at a p99
under 100 ms at concurrency 64.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

TARGET_RPS, TARGET_P99_MS = 1500.0, 100.0
_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0}
_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def lua_script(requests: list[tuple[str, str, str | None]]) -> str:
    """A wrk script cycling through ``(method, path, body)`` requests."""
    rows = ",\n".join(
        f"{{{json.dumps(m)}, {json.dumps(p)}, {json.dumps(b) if b else 'nil'}}}"
        for m, p, b in requests
    )
    return (
        f"local requests = {{\n{rows}\n}}\nlocal i = 0\n"
        'local headers = {["Content-Type"] = "application/json"}\n'
        "request = function()\n  i = i % #requests + 1\n  local r = requests[i]\n"
        "  return wrk.format(r[1], r[2], headers, r[3])\nend\n"
    )


def children(pid: int) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        for child in (task / "children").read_text().split():
            found += [int(child), *children(int(child))]
    return found


def cpu_seconds(pid: int) -> float:
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def memory_mb(pid: int) -> tuple[float, float]:
    """Resident and proportional set size (shared pages divided among their users)."""
    values = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:]:
        name, amount = line.split(":", 1)
        values[name] = int(amount.split()[0]) / 1024
    return values["Rss"], values["Pss"]


def workers_of(server: subprocess.Popen) -> list[int]:
    # uvicorn's workers: the python processes under the server that serve (not
    # multiprocessing's resource tracker).
    pids = [pid for pid in children(server.pid) if "spawn_main" in _cmdline(pid)]
    return pids or [server.pid]


def _cmdline(pid: int) -> str:
    return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()


def run_wrk(url: str, script: Path, connections: int, seconds: float) -> dict:
    output = subprocess.run(
        ["wrk", "-t1", f"-c{connections}", f"-d{seconds:g}s", "--latency", "-s", str(script), url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    latency = {
        percent: float(value) * _UNITS[unit]
        for percent, value, unit in re.findall(
            r"^\s+(50|99)%\s+([\d.]+)(us|ms|s)\s*$", output, re.M
        )
    }
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    socket_errors = re.search(r"Socket errors: (.*)", output)
    return {
        "rps": float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)),
        "p50": latency["50"],
        "p99": latency["99"],
        "errors": int(errors.group(1)) if errors else 0,
        "socket_errors": socket_errors.group(1) if socket_errors else "",
    }


def wait_until_up(port: int, server: subprocess.Popen) -> None:
    for _ in range(300):
        if server.poll() is not None:
            sys.exit(f"the server stopped: {server.stderr.read()}")
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/api/models", timeout=2)
            return
        except OSError:
            time.sleep(0.2)
    sys.exit("the server did not start in 60 s")


def ceiling(model_dir: Path, words: list[str], texts: list[str], seconds: float) -> dict:
    """Queries per second through the Python API in this process, one BLAS thread."""
    from threadpoolctl import threadpool_limits

    import koembed

    threadpool_limits(1)
    model = koembed.load(model_dir)
    model.most_similar(words[0])
    rates = {}
    for name, ask, inputs in (
        ("similar", lambda w: model.most_similar(w, topn=10), words),
        ("embed", lambda t: model.query_vector([t], partial=True), texts),
    ):
        done, start = 0, time.perf_counter()
        while time.perf_counter() - start < seconds:
            ask(inputs[done % len(inputs)])
            done += 1
        rates[name] = done / (time.perf_counter() - start)
    return rates


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("model", type=Path, help="A koembed word model directory.")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--concurrency", default="1,16,64")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        sys.exit("needs wrk: apt-get install wrk")
    levels = [int(c) for c in args.concurrency.split(",")]

    import koembed

    vocabulary = koembed.load(args.model).words[:10_000]
    rng = random.Random(args.seed)
    words = rng.sample(vocabulary, min(1000, len(vocabulary)))
    texts = [" ".join(rng.choices(vocabulary[100:], k=8)) for _ in range(1000)]
    scripts = {
        "similar": [
            ("GET", f"/api/similar?positive={urllib.parse.quote(w)}&topn=10", None) for w in words
        ],
        "embed": [
            ("POST", "/api/embed", json.dumps({"texts": [t]}, ensure_ascii=False)) for t in texts
        ],
    }
    folder = Path(tempfile.mkdtemp(prefix="koembed-bench-serve-"))
    for name, requests in scripts.items():
        (folder / f"{name}.lua").write_text(lua_script(requests), encoding="utf-8")

    port = free_port()
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "koembed",
            "serve",
            "--model",
            str(args.model),
            "--workers",
            str(args.workers),
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    url = f"http://127.0.0.1:{port}"
    rows = []
    try:
        wait_until_up(port, server)
        workers = workers_of(server)
        print(f"koembed serve --model {args.model} --workers {args.workers}: worker pids {workers}")
        for name in scripts:
            run_wrk(url, folder / f"{name}.lua", 16, 2)  # warm up: pages, caches
            for connections in levels:
                before = [cpu_seconds(pid) for pid in workers]
                result = run_wrk(url, folder / f"{name}.lua", connections, args.seconds)
                used = [cpu_seconds(pid) - b for pid, b in zip(workers, before)]
                result["cpu"] = [100 * u / args.seconds for u in used]
                result["memory"] = [memory_mb(pid) for pid in workers]
                rows.append((name, connections, result))
    finally:
        server.terminate()
        server.wait(timeout=60)
        shutil.rmtree(folder, ignore_errors=True)

    print(
        f"\n{'query':<8}{'conc':>5}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'non-2xx':>9}  {'CPU % per worker':<18}{'RSS / PSS MB per worker'}"
    )
    for name, connections, r in rows:
        cpu = " ".join(f"{c:.0f}" for c in r["cpu"])
        memory = " ".join(f"{rss:.0f}/{pss:.0f}" for rss, pss in r["memory"])
        print(
            f"{name:<8}{connections:>5}{r['rps']:>9.0f}{r['p50']:>9.1f}{r['p99']:>9.1f}"
            f"{r['errors']:>9}  {cpu:<18}{memory}  {r['socket_errors']}"
        )

    rates = ceiling(args.model, words, texts, min(args.seconds, 5))
    print("\nceiling, the same queries through the Python API in one process (1 BLAS thread):")
    for name, rate in rates.items():
        print(f"  {name:<8}{rate:>9.0f} queries/s")
    top = next((r for n, c, r in rows if n == "similar" and c == max(levels)), None)
    if top is not None and args.workers == 2 and max(levels) == 64:
        verdict = "ok" if top["rps"] >= TARGET_RPS and top["p99"] < TARGET_P99_MS else "MISSED"
        print(
            f"\ntarget: similar at concurrency 64 with 2 workers >= {TARGET_RPS:,.0f} req/s at "
            f"p99 < {TARGET_P99_MS:.0f} ms: {top['rps']:,.0f} req/s, p99 {top['p99']:.1f} ms "
            f"({top['rps'] / rates['similar']:.2f}x one process's API ceiling)  {verdict}"
        )


if __name__ == "__main__":
    main()
