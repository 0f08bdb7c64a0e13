"""Training speed of every registered method on the first 200,000 NSMC reviews.

    python bench/train.py --work work/bench

Tokenizes the reviews once with mecab (cached in --work), then trains each
method in the registry in its own child process and prints, per method: wall
seconds of training, corpus words per second (word2vec, fastText: corpus words
x epochs / seconds), peak memory (the child's ru_maxrss) and the settings
used. word2vec and fastText are also trained by calling gensim directly with
the same settings through the same input path (``LineSentence`` or
``corpus_file``, as koembed picks for the thread count), alternating with
koembed's runs, and the ratio koembed / gensim is printed (target: <= 1.10).

Methods whose optional dependency is missing are skipped with a note.
Figures are wall-clock: on a shared machine they vary between runs.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# ../shared beside the checkout (or two levels up, from a git worktree).
SHARED = next(
    (p / "shared" for p in (ROOT.parent, ROOT.parent.parent) if (p / "shared").exists()),
    ROOT.parent / "shared",
)
NSMC = SHARED / "data" / "nsmc" / "reviews.tsv.xz"

# Settings per method; only those a trainer declares are passed to it (so a
# table entry for a method registered later does no harm). GloVe's are the
# ones the reference run used (window 10, x_max 10, 100 dims, 15 epochs).
SETTINGS = {
    "word2vec": {"dim": 100, "window": 5, "min_count": 5, "epochs": 5},
    "fasttext": {"dim": 100, "window": 5, "min_count": 5, "epochs": 5},
    "glove": {"dim": 100, "window": 10, "x_max": 10.0, "epochs": 15, "min_count": 5},
    "ppmi": {"dim": 100, "min_count": 5},
    "lsa": {"dim": 100, "min_count": 5},
}
# Methods whose time is spent streaming the corpus once per epoch, and which
# gensim can train directly for comparison.
GENSIM = {"word2vec": "Word2Vec", "fasttext": "FastText"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=ROOT / "work" / "bench")
    parser.add_argument("--corpus", type=Path, default=NSMC)
    parser.add_argument("--lines", type=int, default=200_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--methods", nargs="*", help="default: every registered method")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each (the least counts)")
    parser.add_argument("--jamo", action="store_true", help="also time fasttext with jamo=True")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(json.loads(args.child))))
        return

    from koembed.documents import document_methods
    from koembed.errors import KoembedError, MissingDependencyError
    from koembed.registry import TRAINERS
    from koembed.trainers.base import create_trainer

    if not args.corpus.exists():
        sys.exit(f"no corpus at {args.corpus}; pass --corpus")
    args.work.mkdir(parents=True, exist_ok=True)
    tokens = tokenize_once(args)
    tokens_count = json.loads(Path(f"{tokens}.manifest.json").read_text())["tokens"]
    print(
        f"corpus: first {args.lines:,} lines of {args.corpus.name}, mecab, "
        f"{tokens_count:,} tokens; {args.workers} workers; {os.cpu_count()} cores "
        f"({platform.processor() or platform.machine()}); load average "
        f"{os.getloadavg()[0]:.1f} at start (other work may share the machine)"
    )

    runs = []
    # The word methods (document methods are trained by bench/sentiment.py, bench/embed.py).
    documents = document_methods()
    word_methods = [name for name in TRAINERS.names() if name not in documents]
    for method in args.methods or word_methods:
        for jamo in (False, True) if method == "fasttext" and args.jamo else (False,):
            try:
                trainer_class = TRAINERS.get(method)
                wanted = {**SETTINGS.get(method, {}), "workers": args.workers}
                if jamo:
                    wanted["jamo"] = True
                given = {k: v for k, v in wanted.items() if k in trainer_class.params}
                params = create_trainer(method, **given).validated_params()
            except (MissingDependencyError, ImportError) as error:
                print(f"skipping {method}: {error}")
                continue
            except KoembedError as error:
                sys.exit(f"{method}: {error}")
            runs.append((method, params))

    results = []
    for method, params in runs:
        label = method + (" (jamo)" if params.get("jamo") else "")
        direct = method in GENSIM and not params.get("jamo")
        best: dict[str, dict] = {}
        for repeat in range(args.repeat):
            kinds = ("gensim", "koembed") if direct else ("koembed",)
            if repeat % 2:
                kinds = kinds[::-1]  # alternate, so neither always runs first
            for kind in kinds:
                spec = {"kind": kind, "method": method, "params": params}
                spec.update(tokens=str(tokens), out=str(args.work / "models" / label))
                result = run_child(spec)
                print(
                    f"  {label:16} {kind:8} {result['seconds']:8.1f} s wall "
                    f"{result['cpu_seconds']:8.1f} s cpu",
                    file=sys.stderr,
                )
                if kind not in best:
                    best[kind] = result
                else:  # the fastest wall and the least CPU time, from whichever run
                    for what in ("seconds", "cpu_seconds"):
                        best[kind][what] = min(best[kind][what], result[what])
                    best[kind]["peak_mib"] = max(best[kind]["peak_mib"], result["peak_mib"])
        results.append((label, method, params, best))

    print()
    header = f"{'method':16} {'runner':8} {'train s':>8} {'cpu s':>7} {'words/s':>10}"
    print(header + f" {'peak MiB':>9} {'save s':>7}  vocabulary")
    for label, method, _, best in results:
        for kind, result in best.items():
            epochs = result.get("epochs")
            rate = (
                f"{result['corpus_words'] * epochs / result['seconds']:,.0f}"
                if method in GENSIM and epochs
                else "-"
            )
            save = f"{result['save_seconds']:.1f}" if "save_seconds" in result else "-"
            print(
                f"{label:16} {kind:8} {result['seconds']:8.1f} {result['cpu_seconds']:7.1f} "
                f"{rate:>10} {result['peak_mib']:9,.0f} {save:>7}  {result['vocabulary']:,}"
            )
        if "gensim" in best:
            for what in ("seconds", "cpu_seconds"):
                ratio = best["koembed"][what] / best["gensim"][what]
                verdict = "ok" if ratio <= 1.10 else "OVER the 10% budget"
                name = "wall" if what == "seconds" else "cpu"
                print(f"{'':16} koembed / gensim, {name}: {ratio:.3f} ({verdict})")
    print()
    for label, _, params, _ in results:
        print(f"{label}: {json.dumps(params, sort_keys=True)}")
    report = args.work / "bench-train.json"
    report.write_text(
        json.dumps([{"method": m, "params": p, "runs": b} for m, _, p, b in results], indent=2),
        encoding="utf-8",
    )
    print(f"\nfigures also written to {report}")


def tokenize_once(args: argparse.Namespace) -> Path:
    """The mecab-tokenized first --lines lines, made once and then reused."""
    tokens = args.work / f"nsmc-{args.lines}.mecab"
    manifest = Path(f"{tokens}.manifest.json")
    if tokens.exists() and manifest.exists():
        recorded = json.loads(manifest.read_text(encoding="utf-8"))
        if recorded.get("bytes") == tokens.stat().st_size:
            return tokens
    command = [sys.executable, "-c", "from koembed.cli import main; main()"]
    command += ["tokenize", str(args.corpus)]
    command += ["-o", str(tokens), "--column", "4", "--max-lines", str(args.lines)]
    command += ["--workers", str(args.workers), "--overwrite"]
    print("tokenizing once: koembed", " ".join(command[3:]), file=sys.stderr)
    started = time.perf_counter()
    subprocess.run(command, check=True)
    print(f"tokenized in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    return tokens


def run_child(spec: dict) -> dict:
    """Run one training in a fresh process, so its peak memory is its own."""
    command = [sys.executable, __file__, "--child", json.dumps(spec)]
    done = subprocess.run(command, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{spec['kind']} {spec['method']} failed:\n{done.stderr}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def child(spec: dict) -> dict:
    # Both runners import gensim before the clock starts: the comparison is
    # about training, not import time.
    import gensim.models  # noqa: F401

    params = spec["params"]
    cpu_started = cpu_seconds()
    if spec["kind"] == "gensim":
        started = time.perf_counter()
        model = train_gensim(spec["method"], spec["tokens"], params)
        seconds = time.perf_counter() - started
        cpu = cpu_seconds() - cpu_started
        result = {"vocabulary": len(model.wv), "corpus_words": model.corpus_total_words}
    else:
        from koembed.tokenize import open_tokenized
        from koembed.trainers.base import create_trainer

        trainer = create_trainer(spec["method"], **params)
        started = time.perf_counter()
        model = trainer.fit(open_tokenized(spec["tokens"]))
        seconds = time.perf_counter() - started
        cpu = cpu_seconds() - cpu_started
        saving = time.perf_counter()
        model.save(spec["out"], overwrite=True)
        result = {
            "vocabulary": len(model),
            "corpus_words": model.meta.get("corpus_words") or model.meta["corpus"]["tokens"],
            "save_seconds": round(time.perf_counter() - saving, 3),
        }
    peak_kib = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        **result,
        "seconds": round(seconds, 3),
        "cpu_seconds": round(cpu, 3),
        "epochs": params.get("epochs"),
        "peak_mib": peak_kib / 1024,
    }


def cpu_seconds() -> float:
    """User + system CPU time of this process, all threads."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def train_gensim(method: str, path: str, params: dict):
    """gensim's own Word2Vec/FastText with the same settings and input path."""
    import gensim.models

    from koembed.engines.gensim import corpus_arguments, model_settings

    settings = model_settings(params)
    if method == "fasttext":
        settings.update(min_n=params["min_n"], max_n=params["max_n"], bucket=params["bucket"])
    model = getattr(gensim.models, GENSIM[method])(**settings)
    corpus = corpus_arguments(path, params["workers"])
    model.build_vocab(**corpus)
    model.train(
        **corpus,
        total_words=model.corpus_total_words,
        total_examples=model.corpus_count,
        epochs=model.epochs,
    )
    return model


if __name__ == "__main__":
    main()
