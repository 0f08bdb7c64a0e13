"""koembed train METHOD: tokenized corpus -> model directory."""

from __future__ import annotations

from pathlib import Path

import typer

from koembed.cli import _engine, _raw
from koembed.cli._app import app
from koembed.cli._display import progress_bars, stderr
from koembed.cli._raw import RawInput
from koembed.models import Embeddings
from koembed.trainers.base import create_trainer

train_app = typer.Typer(
    help="Train embeddings on a tokenized corpus; one command per method.",
    no_args_is_help=True,
)
app.add_typer(train_app, name="train")


def fit_and_save(
    method: str,
    corpus: Path,
    output: Path,
    binary: bool,
    overwrite: bool,
    raw: RawInput | None = None,
    **params,
) -> Embeddings:
    """Validate everything first, then (tokenize a raw corpus,) train, save and summarise."""
    from koembed.outputs import check_output
    from koembed.tokenize import open_tokenized

    trainer = create_trainer(method, **params)
    raw = raw or RawInput()
    raw.check()
    if raw.tokenizer is None:
        tokenized = open_tokenized(corpus)
        check_output(output, overwrite=overwrite, inputs=[str(corpus)])
    else:
        source = raw.read(corpus)
        check_output(output, overwrite=overwrite, inputs=list(source.paths))
    with progress_bars() as progress:
        if raw.tokenizer is not None:
            tokenized = _tokenize_on_the_way(source, raw, trainer, progress)
        model = trainer.fit(tokenized, progress=progress)
    model.save(output, binary=binary, overwrite=overwrite)
    stderr.print(
        f"saved {output}: {method}, {len(model):,} words x {model.dim} dims, "
        f"trained in {model.meta['train_seconds']:.1f} s"
    )
    return model


def _tokenize_on_the_way(source, raw: RawInput, trainer, progress):
    import os

    from koembed.tokenize.cache import tokenize_cached

    options = raw.train_options()
    workers = trainer.validated_params().get("workers") or os.cpu_count() or 1
    tokenized = tokenize_cached(
        source,
        tokenizer=options["tokenizer"],
        user_dict=options["user_dict"],
        workers=min(workers, os.cpu_count() or 1),
        cache_dir=options["cache_dir"],
        progress=progress,
        **(options["tokenizer_options"] or {}),
    )
    manifest = tokenized.manifest
    done = "reused" if tokenized.reused else "tokenized into"
    stderr.print(
        f"{done} {tokenized.path}: {manifest['lines']:,} lines, {manifest['tokens']:,} tokens"
    )
    return tokenized


@train_app.command(
    "word2vec",
    epilog=(
        "Example: koembed train word2vec work/nsmc.mecab -o models/w2v "
        "--dim 100 --window 5 --min-count 5 --epochs 5"
    ),
)
def word2vec(
    corpus: Path = typer.Argument(
        ..., help="Tokenized corpus (from 'koembed tokenize'), or raw text with --tokenizer."
    ),
    output: Path = typer.Option(..., "--output", "-o", help="Model directory to write."),
    dim: int = typer.Option(100, "--dim", help="Vector dimensions."),
    window: int = typer.Option(5, "--window", help="Context words on each side."),
    min_count: int = typer.Option(5, "--min-count", help="Ignore words rarer than this."),
    epochs: int = typer.Option(5, "--epochs", help="Passes over the corpus."),
    sg: bool = typer.Option(True, "--sg/--cbow", help="Skip-gram or CBOW."),
    negative: int = typer.Option(5, "--negative", help="Negative samples (0 = none)."),
    hs: bool = typer.Option(False, "--hs", help="Use hierarchical softmax."),
    sample: float = typer.Option(1e-3, "--sample", help="Down-sampling of frequent words."),
    alpha: float = typer.Option(0.025, "--alpha", help="Initial learning rate."),
    workers: int | None = typer.Option(
        None, "--workers", "-w", help="Threads (default: all cores)."
    ),
    seed: int = typer.Option(1, "--seed", help="Random seed."),
    binary: bool = typer.Option(False, "--binary", help="Also write word2vec binary vectors.bin."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing model."),
    tokenizer: str | None = _raw.TOKENIZER,
    user_dict: Path | None = _raw.USER_DICT,
    column: int | None = _raw.COLUMN,
    delimiter: str = _raw.DELIMITER,
    header: bool = _raw.HEADER,
    encoding: str = _raw.ENCODING,
    errors: str = _raw.ERRORS,
    normalize: str | None = _raw.NORMALIZE,
    max_lines: int | None = _raw.MAX_LINES,
    pos: bool = _raw.POS,
    cache_dir: Path | None = _raw.CACHE_DIR,
    engine: str = _engine.ENGINE,
    master: str | None = _engine.MASTER,
) -> None:
    """word2vec (gensim): skip-gram with negative sampling, or CBOW (MLlib with --engine spark)."""
    _engine.use_engine(engine, master)
    params = dict(
        dim=dim,
        window=window,
        min_count=min_count,
        epochs=epochs,
        sg=sg,
        negative=negative,
        hs=hs,
        sample=sample,
        alpha=alpha,
        seed=seed,
        engine=engine,
    )
    if workers is not None:
        params["workers"] = workers
    fit_and_save(
        "word2vec",
        corpus,
        output,
        binary,
        overwrite,
        raw=RawInput(
            tokenizer,
            user_dict,
            column,
            delimiter,
            header,
            encoding,
            errors,
            normalize,
            max_lines,
            pos,
            cache_dir,
        ),
        **params,
    )


@train_app.command(
    "glove",
    epilog=(
        "Example: koembed train glove work/nsmc.mecab -o models/glove "
        "--dim 100 --window 10 --x-max 10 --epochs 15 --min-count 5 --workers 2"
    ),
)
def glove(
    corpus: Path = typer.Argument(
        ..., help="Tokenized corpus (from 'koembed tokenize'), or raw text with --tokenizer."
    ),
    output: Path = typer.Option(..., "--output", "-o", help="Model directory to write."),
    dim: int = typer.Option(100, "--dim", help="Vector dimensions."),
    window: int = typer.Option(10, "--window", help="Context words on each side (1/d weighted)."),
    min_count: int = typer.Option(5, "--min-count", help="Ignore words rarer than this."),
    x_max: float = typer.Option(100.0, "--x-max", help="Count where the weighting f(x) reaches 1."),
    alpha: float = typer.Option(0.75, "--alpha", help="Exponent of the weighting f(x)."),
    epochs: int = typer.Option(15, "--epochs", help="Passes over the co-occurrence entries."),
    learning_rate: float = typer.Option(0.05, "--learning-rate", help="AdaGrad learning rate."),
    memory: float = typer.Option(
        1.0, "--memory", help="GiB for counting; spills to disk when over it."
    ),
    workers: int | None = typer.Option(
        None, "--workers", "-w", help="Threads (default: all cores)."
    ),
    seed: int = typer.Option(1, "--seed", help="Random seed."),
    binary: bool = typer.Option(False, "--binary", help="Also write word2vec binary vectors.bin."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing model."),
    tokenizer: str | None = _raw.TOKENIZER,
    user_dict: Path | None = _raw.USER_DICT,
    column: int | None = _raw.COLUMN,
    delimiter: str = _raw.DELIMITER,
    header: bool = _raw.HEADER,
    encoding: str = _raw.ENCODING,
    errors: str = _raw.ERRORS,
    normalize: str | None = _raw.NORMALIZE,
    max_lines: int | None = _raw.MAX_LINES,
    pos: bool = _raw.POS,
    cache_dir: Path | None = _raw.CACHE_DIR,
    engine: str = _engine.ENGINE,
    master: str | None = _engine.MASTER,
) -> None:
    """GloVe (Pennington et al. 2014): AdaGrad on weighted log co-occurrence counts."""
    _engine.use_engine(engine, master)
    params = dict(
        dim=dim,
        window=window,
        min_count=min_count,
        x_max=x_max,
        alpha=alpha,
        epochs=epochs,
        learning_rate=learning_rate,
        memory=memory,
        seed=seed,
        engine=engine,
    )
    if workers is not None:
        params["workers"] = workers
    fit_and_save(
        "glove",
        corpus,
        output,
        binary,
        overwrite,
        raw=RawInput(
            tokenizer,
            user_dict,
            column,
            delimiter,
            header,
            encoding,
            errors,
            normalize,
            max_lines,
            pos,
            cache_dir,
        ),
        **params,
    )


@train_app.command(
    "ppmi",
    epilog=(
        "Example: koembed train ppmi work/nsmc.mecab -o models/ppmi "
        "--dim 100 --window 5 --cds 0.75 --neg 1 --eig 0.5 --min-count 5"
    ),
)
def ppmi(
    corpus: Path = typer.Argument(
        ..., help="Tokenized corpus (from 'koembed tokenize'), or raw text with --tokenizer."
    ),
    output: Path = typer.Option(..., "--output", "-o", help="Model directory to write."),
    dim: int = typer.Option(100, "--dim", help="Vector dimensions (SVD rank)."),
    window: int = typer.Option(5, "--window", help="Context words on each side."),
    min_count: int = typer.Option(5, "--min-count", help="Ignore words rarer than this."),
    cds: float = typer.Option(
        0.75, "--cds", help="Context-distribution smoothing exponent (1 = none)."
    ),
    neg: float = typer.Option(1.0, "--neg", help="Shift PMI by log(neg) (1 = no shift)."),
    eig: float = typer.Option(0.5, "--eig", help="Eigenvalue weighting: vectors U * S^eig."),
    add_context: bool = typer.Option(
        False, "--add-context", help="Add the context vectors to the word vectors."
    ),
    memory: float = typer.Option(
        1.0, "--memory", help="GiB for counting; spills to disk when over it."
    ),
    seed: int = typer.Option(1, "--seed", help="Random seed of the SVD."),
    binary: bool = typer.Option(False, "--binary", help="Also write word2vec binary vectors.bin."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing model."),
    tokenizer: str | None = _raw.TOKENIZER,
    user_dict: Path | None = _raw.USER_DICT,
    column: int | None = _raw.COLUMN,
    delimiter: str = _raw.DELIMITER,
    header: bool = _raw.HEADER,
    encoding: str = _raw.ENCODING,
    errors: str = _raw.ERRORS,
    normalize: str | None = _raw.NORMALIZE,
    max_lines: int | None = _raw.MAX_LINES,
    pos: bool = _raw.POS,
    cache_dir: Path | None = _raw.CACHE_DIR,
    engine: str = _engine.ENGINE,
    master: str | None = _engine.MASTER,
) -> None:
    """PPMI + SVD (Levy, Goldberg & Dagan 2015): smoothed, shifted PPMI, truncated SVD."""
    _engine.use_engine(engine, master)
    fit_and_save(
        "ppmi",
        corpus,
        output,
        binary,
        overwrite,
        raw=RawInput(
            tokenizer,
            user_dict,
            column,
            delimiter,
            header,
            encoding,
            errors,
            normalize,
            max_lines,
            pos,
            cache_dir,
        ),
        dim=dim,
        window=window,
        min_count=min_count,
        cds=cds,
        neg=neg,
        eig=eig,
        add_context=add_context,
        memory=memory,
        seed=seed,
        engine=engine,
    )


@train_app.command(
    "fasttext",
    epilog=(
        "Example: koembed train fasttext work/nsmc.mecab -o models/ft-jamo "
        "--jamo --minn 3 --maxn 6 --dim 100 --epochs 5"
    ),
)
def fasttext(
    corpus: Path = typer.Argument(
        ..., help="Tokenized corpus (from 'koembed tokenize'), or raw text with --tokenizer."
    ),
    output: Path = typer.Option(..., "--output", "-o", help="Model directory to write."),
    dim: int = typer.Option(100, "--dim", help="Vector dimensions."),
    window: int = typer.Option(5, "--window", help="Context words on each side."),
    min_count: int = typer.Option(5, "--min-count", help="Ignore words rarer than this."),
    epochs: int = typer.Option(5, "--epochs", help="Passes over the corpus."),
    sg: bool = typer.Option(True, "--sg/--cbow", help="Skip-gram or CBOW."),
    negative: int = typer.Option(5, "--negative", help="Negative samples (0 = none)."),
    hs: bool = typer.Option(False, "--hs", help="Use hierarchical softmax."),
    sample: float = typer.Option(1e-3, "--sample", help="Down-sampling of frequent words."),
    alpha: float = typer.Option(0.025, "--alpha", help="Initial learning rate."),
    minn: int = typer.Option(3, "--minn", help="Shortest character n-gram (jamo with --jamo)."),
    maxn: int = typer.Option(6, "--maxn", help="Longest character n-gram; 0 for none."),
    bucket: int = typer.Option(
        2_000_000, "--bucket", help="Hash buckets for n-grams (bucket x dim floats are saved)."
    ),
    jamo: bool = typer.Option(
        False, "--jamo", help="Train on jamo-decomposed tokens (Park et al. 2018)."
    ),
    workers: int | None = typer.Option(
        None, "--workers", "-w", help="Threads (default: all cores)."
    ),
    seed: int = typer.Option(1, "--seed", help="Random seed."),
    binary: bool = typer.Option(False, "--binary", help="Also write word2vec binary vectors.bin."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing model."),
    tokenizer: str | None = _raw.TOKENIZER,
    user_dict: Path | None = _raw.USER_DICT,
    column: int | None = _raw.COLUMN,
    delimiter: str = _raw.DELIMITER,
    header: bool = _raw.HEADER,
    encoding: str = _raw.ENCODING,
    errors: str = _raw.ERRORS,
    normalize: str | None = _raw.NORMALIZE,
    max_lines: int | None = _raw.MAX_LINES,
    pos: bool = _raw.POS,
    cache_dir: Path | None = _raw.CACHE_DIR,
) -> None:
    """fastText (gensim): word2vec with character n-grams; unseen words get vectors."""
    params = dict(
        dim=dim,
        window=window,
        min_count=min_count,
        epochs=epochs,
        sg=sg,
        negative=negative,
        hs=hs,
        sample=sample,
        alpha=alpha,
        min_n=minn,
        max_n=maxn,
        bucket=bucket,
        jamo=jamo,
        seed=seed,
    )
    if workers is not None:
        params["workers"] = workers
    fit_and_save(
        "fasttext",
        corpus,
        output,
        binary,
        overwrite,
        raw=RawInput(
            tokenizer,
            user_dict,
            column,
            delimiter,
            header,
            encoding,
            errors,
            normalize,
            max_lines,
            pos,
            cache_dir,
        ),
        **params,
    )


@train_app.command(
    "lsa",
    epilog=(
        "Example: koembed train lsa work/nsmc.mecab -o models/lsa --dim 100 --min-count 5 "
        "(add --doc-sep when documents are separated by blank lines)"
    ),
)
def lsa(
    corpus: Path = typer.Argument(
        ..., help="Tokenized corpus (from 'koembed tokenize'), or raw text with --tokenizer."
    ),
    output: Path = typer.Option(..., "--output", "-o", help="Model directory to write."),
    dim: int = typer.Option(100, "--dim", help="Vector dimensions (SVD components)."),
    min_count: int = typer.Option(5, "--min-count", help="Ignore words rarer than this."),
    doc_sep: bool = typer.Option(
        False, "--doc-sep", help="Documents are separated by blank lines (default: one a line)."
    ),
    sublinear_tf: bool = typer.Option(False, "--sublinear-tf", help="Use 1 + log(tf)."),
    eig: float = typer.Option(
        1.0, "--eig", help="Word vectors are V * S^eig (0: unweighted, 1: classic LSA)."
    ),
    n_iter: int = typer.Option(5, "--n-iter", help="Power iterations of the randomized SVD."),
    seed: int = typer.Option(1, "--seed", help="Random seed."),
    binary: bool = typer.Option(False, "--binary", help="Also write word2vec binary vectors.bin."),
    overwrite: bool = typer.Option(False, "--overwrite", help="Replace an existing model."),
    tokenizer: str | None = _raw.TOKENIZER,
    user_dict: Path | None = _raw.USER_DICT,
    column: int | None = _raw.COLUMN,
    delimiter: str = _raw.DELIMITER,
    header: bool = _raw.HEADER,
    encoding: str = _raw.ENCODING,
    errors: str = _raw.ERRORS,
    normalize: str | None = _raw.NORMALIZE,
    max_lines: int | None = _raw.MAX_LINES,
    pos: bool = _raw.POS,
    cache_dir: Path | None = _raw.CACHE_DIR,
) -> None:
    """LSA (scikit-learn): TF-IDF document-term matrix factorised by truncated SVD."""
    fit_and_save(
        "lsa",
        corpus,
        output,
        binary,
        overwrite,
        raw=RawInput(
            tokenizer,
            user_dict,
            column,
            delimiter,
            header,
            encoding,
            errors,
            normalize,
            max_lines,
            pos,
            cache_dir,
        ),
        dim=dim,
        min_count=min_count,
        doc_sep=doc_sep,
        sublinear_tf=sublinear_tf,
        eig=eig,
        n_iter=n_iter,
        seed=seed,
    )
