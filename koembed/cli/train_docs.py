"""koembed train doc2vec|sif|lsa-doc: tokenized corpus -> document model directory."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import typer

from koembed.cli import _raw
from koembed.cli._display import progress_bars, stderr
from koembed.cli._raw import RawInput
from koembed.cli.train import _tokenize_on_the_way, train_app
from koembed.documents.base import create_document_trainer
from koembed.models.documents import DocumentModel

CORPUS_HELP = (
    "Tokenized corpus (from 'koembed tokenize'), one document a line; or raw text with --tokenizer."
)
SHOW_HELP = (
    "What a nearest-document answer shows: text (the raw corpus line, re-read through the "
    "manifest), tokens, none, or auto (text where it can be read, else tokens)."
)


def fit_and_save_documents(
    method: str,
    corpus: Path,
    output: Path,
    binary: bool,
    overwrite: bool,
    raw: RawInput,
    **params: Any,
) -> DocumentModel:
    """Validate everything first, then (tokenize a raw corpus,) train, save and summarise."""
    from koembed.outputs import check_output
    from koembed.tokenize import open_tokenized

    trainer = create_document_trainer(method, **params)
    raw.check()
    if raw.tokenizer is None:
        tokenized = open_tokenized(corpus)
        check_output(output, overwrite=overwrite, inputs=[str(corpus)])
    else:
        source = raw.read(corpus)
        check_output(output, overwrite=overwrite, inputs=list(source.paths))
    with progress_bars() as progress:
        if raw.tokenizer is not None:
            # Cached with its manifest, which records the raw input: documents
            # show (and --tag-column reads) the raw lines as from a tokenized file.
            tokenized = _tokenize_on_the_way(source, raw, trainer, progress)
        model = trainer.fit(tokenized, progress=progress)
    model.save(output, binary=binary, overwrite=overwrite)
    empty = model.documents.get("empty", 0)
    stderr.print(
        f"saved {output}: {method}, {model.n_documents:,} {model.documents['rows']} x "
        f"{model.doc_dim} dims over {model.vocab_size:,} words, trained in "
        f"{model.meta['train_seconds']:.1f} s"
        + (f"; {empty:,} with no vocabulary word have zero vectors" if empty else ""),
        markup=False,
    )
    return model


def _output() -> Any:
    return typer.Option(..., "--output", "-o", help="Model directory to write.")


def _show() -> Any:
    return typer.Option("auto", "--show", help=SHOW_HELP)


def _overwrite() -> Any:
    return typer.Option(False, "--overwrite", help="Replace an existing model.")


def _binary() -> Any:
    return typer.Option(False, "--binary", help="Also write word2vec binary vectors.bin.")


@train_app.command(
    "doc2vec",
    epilog=(
        "Examples: koembed train doc2vec work/nsmc.mecab -o models/d2v-dm --dm --epochs 10; "
        "koembed train doc2vec work/nsmc.mecab -o models/d2v-movies --dbow --tag-column 2 "
        "(one vector per movie id, column 2 of the raw corpus)"
    ),
)
def doc2vec(
    corpus: Path = typer.Argument(..., help=CORPUS_HELP),
    output: Path = _output(),
    dm: bool = typer.Option(True, "--dm/--dbow", help="PV-DM or PV-DBOW."),
    dbow_words: bool = typer.Option(
        False, "--dbow-words", help="PV-DBOW also trains skip-gram word vectors."
    ),
    dm_mean: bool = typer.Option(
        True, "--dm-mean/--dm-sum", help="PV-DM averages or sums the context vectors."
    ),
    dim: int = typer.Option(100, "--dim", help="Vector dimensions."),
    window: int = typer.Option(5, "--window", help="Context words on each side."),
    min_count: int = typer.Option(5, "--min-count", help="Ignore words rarer than this."),
    epochs: int = typer.Option(10, "--epochs", help="Passes over the corpus."),
    negative: int = typer.Option(5, "--negative", help="Negative samples."),
    sample: float = typer.Option(1e-3, "--sample", help="Down-sampling of frequent words."),
    alpha: float = typer.Option(0.025, "--alpha", help="Initial learning rate."),
    infer_epochs: int | None = typer.Option(
        None, "--infer-epochs", help="Epochs when embedding new text (default: --epochs)."
    ),
    tags: Path | None = typer.Option(
        None, "--tags", help="File with one tag per corpus line (with --tag-column: its column)."
    ),
    tag_column: int | None = typer.Option(
        None,
        "--tag-column",
        help="Documents are tags from this 1-based column (of --tags, else of the raw corpus).",
    ),
    show: str = _show(),
    workers: int | None = typer.Option(
        None, "--workers", "-w", help="Threads (default: all cores)."
    ),
    seed: int = typer.Option(1, "--seed", help="Random seed (training and inference)."),
    binary: bool = _binary(),
    overwrite: bool = _overwrite(),
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
    """doc2vec (gensim): a vector per line, or per tag, that new text is inferred against."""
    params: dict[str, Any] = dict(
        dm=dm,
        dbow_words=dbow_words,
        dm_mean=dm_mean,
        dim=dim,
        window=window,
        min_count=min_count,
        epochs=epochs,
        negative=negative,
        sample=sample,
        alpha=alpha,
        infer_epochs=infer_epochs,
        tags=str(tags) if tags is not None else None,
        tag_column=tag_column,
        show=show,
        seed=seed,
    )
    if workers is not None:
        params["workers"] = workers
    raw = RawInput(
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
    )
    fit_and_save_documents("doc2vec", corpus, output, binary, overwrite, raw, **params)


@train_app.command(
    "sif",
    epilog=(
        "Examples: koembed train sif work/nsmc.mecab -o models/sif --word-model models/w2v; "
        "koembed train sif work/nsmc.mecab -o models/usif --variant usif (trains word2vec first)"
    ),
)
def sif(
    corpus: Path = typer.Argument(..., help=CORPUS_HELP),
    output: Path = _output(),
    word_model: str | None = typer.Option(
        None,
        "--word-model",
        help="Word vectors to average (a model directory); default: train word2vec first.",
    ),
    variant: str = typer.Option("sif", "--variant", help="sif, usif, or average (plain mean)."),
    sif_a: float | None = typer.Option(
        None, "--sif-a", help="SIF's a in the weight a / (a + p(w)) [default: 1e-3]."
    ),
    components: int | None = typer.Option(
        None,
        "--components",
        help="Principal components removed [default: 1 for sif, 5 for usif, 0 for average].",
    ),
    dim: int | None = typer.Option(None, "--dim", help="word2vec dimensions [default: 100]."),
    window: int | None = typer.Option(None, "--window", help="word2vec window [default: 5]."),
    min_count: int | None = typer.Option(
        None, "--min-count", help="word2vec min count [default: 5]."
    ),
    epochs: int | None = typer.Option(None, "--epochs", help="word2vec epochs [default: 5]."),
    show: str = _show(),
    workers: int | None = typer.Option(
        None, "--workers", "-w", help="word2vec threads (default: all cores)."
    ),
    seed: int | None = typer.Option(None, "--seed", help="word2vec random seed [default: 1]."),
    binary: bool = _binary(),
    overwrite: bool = _overwrite(),
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
    """SIF (Arora et al. 2017): frequency-weighted mean of word vectors minus the common part."""
    given = dict(
        sif_a=sif_a,
        dim=dim,
        window=window,
        min_count=min_count,
        epochs=epochs,
        workers=workers,
        seed=seed,
    )
    # Only what was given: the word2vec settings clash with --word-model.
    params: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
    params.update(word_model=word_model, variant=variant, components=components, show=show)
    raw = RawInput(
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
    )
    fit_and_save_documents("sif", corpus, output, binary, overwrite, raw, **params)


@train_app.command(
    "lsa-doc",
    epilog=(
        "Example: koembed train lsa-doc work/nsmc.mecab -o models/lsa-doc --dim 100 "
        "--min-count 5 (add --doc-sep when documents are separated by blank lines)"
    ),
)
def lsa_doc(
    corpus: Path = typer.Argument(..., help=CORPUS_HELP),
    output: Path = _output(),
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
    show: str = _show(),
    seed: int = typer.Option(1, "--seed", help="Random seed."),
    binary: bool = _binary(),
    overwrite: bool = _overwrite(),
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
    """LSA documents: TF-IDF x truncated SVD; new text folded in."""
    raw = RawInput(
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
    )
    fit_and_save_documents(
        "lsa-doc",
        corpus,
        output,
        binary,
        overwrite,
        raw,
        dim=dim,
        min_count=min_count,
        doc_sep=doc_sep,
        sublinear_tf=sublinear_tf,
        eig=eig,
        n_iter=n_iter,
        show=show,
        seed=seed,
    )
