"""The JSON endpoints: one for each query the CLI has, on the served models.

Endpoints are ``async`` on purpose: a query is a fraction of a millisecond
of NumPy, so answering it on the event loop costs less than handing it to a
thread, and one thread per worker keeps BLAS from fighting the other worker
for the cores (see :func:`koembed.serve.app.create_app`).

No ``from __future__ import annotations`` here: FastAPI reads the endpoints'
annotations at runtime, and ``ModelName`` is local to :func:`api_router`.
"""

from typing import Annotated, Literal

import orjson
from fastapi import APIRouter, Query
from fastapi.responses import Response
from pydantic import StringConstraints, WithJsonSchema

from koembed.serve import answers
from koembed.serve.catalog import ModelCatalog
from koembed.serve.schemas import (
    MAX_TOPN,
    MAX_WORD_LENGTH,
    MAX_WORDS,
    Analogy,
    Documents,
    DocumentsRequest,
    DoesntMatch,
    Embedded,
    EmbedRequest,
    ModelInfo,
    Models,
    Neighbourhood,
    Problem,
    Similar,
    SimilarityAnswer,
    Vocabulary,
)


class JSONBytes(Response):
    """JSON rendered by orjson (several times faster than the standard library's)."""

    media_type = "application/json"

    def render(self, content: object) -> bytes:
        return orjson.dumps(content)


#: The OpenAPI format of a query word: for clients a plain string; the fuzz test
#: draws such strings from the vocabulary as well as at random.
WORD_FORMAT = "koembed-word"
Word = Annotated[
    str,
    StringConstraints(max_length=MAX_WORD_LENGTH),
    WithJsonSchema({"type": "string", "maxLength": MAX_WORD_LENGTH, "format": WORD_FORMAT}),
]
Words = Annotated[list[Word], Query(min_length=1, max_length=MAX_WORDS)]
TopN = Annotated[int, Query(ge=1, le=MAX_TOPN, description="How many answers.")]
RestrictVocab = Annotated[
    int | None, Query(ge=1, description="Search only the N most frequent words.")
]
Partial = Annotated[
    bool,
    Query(description="A query with tokens out of the vocabulary stands for its other tokens."),
]
Exact = Annotated[
    bool,
    Query(description="Score every vector even if the model has an approximate index."),
]

# Every endpoint may answer these; documented so clients (and the fuzz test) know them.
PROBLEMS = {
    400: {"model": Problem, "description": "A value the model cannot use."},
    404: {"model": Problem, "description": "An unknown word (with spellings) or model."},
    413: {"model": Problem, "description": "The body is too large."},
    422: {"model": Problem, "description": "A parameter out of its range or of the wrong type."},
}


def api_router(catalog: ModelCatalog) -> APIRouter:
    """The ``/api`` endpoints answering from ``catalog``'s models."""
    router = APIRouter(prefix="/api", responses=PROBLEMS)
    # The served models' names, so the schema lists them and a wrong one is a 422.
    ModelName = Annotated[
        Literal[tuple(catalog.models)] | None,  # type: ignore[valid-type]
        Query(description="A served model; the first if none."),
    ]

    @router.get("/models", response_model=Models, summary="The served models")
    async def models() -> Response:
        return JSONBytes({"models": [served.info() for served in catalog.models.values()]})

    @router.get("/models/{name}", response_model=ModelInfo, summary="One model's information")
    async def model_info(name: Annotated[str, StringConstraints(max_length=200)]) -> Response:
        return JSONBytes(catalog.get(name).info())

    _add_word_queries(router, catalog, ModelName)

    @router.get("/vocabulary", response_model=Vocabulary, summary="Words beginning like a prefix")
    async def vocabulary(
        prefix: Annotated[str, Query(max_length=MAX_WORD_LENGTH)],
        limit: Annotated[int, Query(ge=1, le=100)] = 10,
        model: ModelName = None,
    ) -> Response:
        """Hangul-aware: 희ㅁ and 희마 begin 희망, and consonants alone match
        initial consonants (ㅎㅁ -> 희망); the most frequent first."""
        return JSONBytes(answers.vocabulary(catalog.get(model), prefix, limit))

    @router.get(
        "/neighbourhood", response_model=Neighbourhood, summary="A word's neighbours, mapped"
    )
    async def neighbourhood(
        word: Word,
        topn: Annotated[int, Query(ge=1, le=200)] = 30,
        partial: Partial = False,
        model: ModelName = None,
    ) -> Response:
        """The nearest words placed on 2-D by PCA of their unit vectors, the query first."""
        return JSONBytes(answers.neighbourhood(catalog.get(model), word, topn, partial))

    @router.post("/embed", response_model=Embedded, summary="Texts to vectors")
    async def embed(request: EmbedRequest) -> Response:
        """A document model's vector for each text, or the mean of a word model's
        vectors of its tokens; tokenized as the model's corpus was."""
        return JSONBytes(answers.embed(catalog.get(request.model), request.texts))

    @router.post("/documents", response_model=Documents, summary="Nearest corpus documents")
    async def documents(request: DocumentsRequest) -> Response:
        """Document models (doc2vec, sif, lsa-doc, lda) only."""
        served = catalog.get(request.model)
        return JSONBytes(
            answers.nearest_documents(served, request.text, request.topn, request.exact)
        )

    return router


def _add_word_queries(router: APIRouter, catalog: ModelCatalog, ModelName: object) -> None:
    """The queries on word vectors: similar, analogy, similarity, doesnt-match."""

    @router.get("/similar", response_model=Similar, summary="Nearest words")
    async def similar(
        positive: Words,
        negative: Annotated[list[Word], Query(max_length=MAX_WORDS)] = [],  # noqa: B006
        topn: TopN = 10,
        restrict_vocab: RestrictVocab = None,
        partial: Partial = False,
        exact: Exact = False,
        model: ModelName = None,
    ) -> Response:
        """The mean of the positive words' unit vectors minus the negative ones',
        and its nearest words by cosine (the query words are never answers)."""
        served = catalog.get(model)
        return JSONBytes(
            answers.similar(served, positive, negative, topn, restrict_vocab, partial, exact)
        )

    @router.get("/analogy", response_model=Analogy, summary="A is to B as C is to ?")
    async def analogy(
        a: Word,
        b: Word,
        c: Word,
        method: Literal["3cosadd", "3cosmul"] = "3cosadd",
        topn: TopN = 10,
        restrict_vocab: RestrictVocab = None,
        partial: Partial = False,
        exact: Exact = False,
        model: ModelName = None,
    ) -> Response:
        served = catalog.get(model)
        return JSONBytes(
            answers.analogy(served, a, b, c, method, topn, restrict_vocab, partial, exact)
        )

    @router.get("/similarity", response_model=SimilarityAnswer, summary="Cosine of two words")
    async def similarity(
        first: Word, second: Word, partial: Partial = False, model: ModelName = None
    ) -> Response:
        return JSONBytes(answers.similarity(catalog.get(model), first, second, partial))

    @router.get("/doesnt-match", response_model=DoesntMatch, summary="The odd one out")
    async def doesnt_match(
        word: Annotated[list[Word], Query(min_length=2, max_length=MAX_WORDS)],
        partial: Partial = False,
        model: ModelName = None,
    ) -> Response:
        return JSONBytes(answers.doesnt_match(catalog.get(model), word, partial))
