"""What the API takes and gives, for its OpenAPI schema, and the limits on requests.

The answers are built as plain dicts (:mod:`koembed.serve.answers`) and sent
as they are; these models describe them for the docs page and for clients,
and the fuzz test checks every answer against them.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, ConfigDict, Field

#: Neighbours, answers or documents in one answer.
MAX_TOPN = 1000
#: Words in one query (positive + negative, or doesnt-match's words).
MAX_WORDS = 32
#: Characters in one word or query text.
MAX_WORD_LENGTH = 200
#: Texts embedded in one request, and the characters of each.
MAX_TEXTS = 256
MAX_TEXT_LENGTH = 5000
#: Bytes of a request body.
MAX_BODY_BYTES = 2 * 1024 * 1024


class _Answer(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Resolved(_Answer):
    """How a query text maps onto the vocabulary."""

    text: str
    tokens: list[str] = Field(description="What the model's tokenizer made of the text.")
    found: list[str] = Field(description="The tokens with vectors, averaged.")
    missing: list[str] = Field(description="Tokens with no vector (left out with partial=true).")
    subword: list[str] = Field(description="Tokens whose vectors come from character n-grams.")


class Ranked(_Answer):
    word: str
    score: float


class Similar(_Answer):
    model: str
    positive: list[str]
    negative: list[str]
    resolved: list[Resolved]
    neighbours: list[Ranked]


class Analogy(_Answer):
    model: str
    a: str
    b: str
    c: str
    method: str
    resolved: list[Resolved]
    answers: list[Ranked]


class SimilarityAnswer(_Answer):
    model: str
    first: str
    second: str
    cosine: float
    resolved: list[Resolved]


class DoesntMatch(_Answer):
    model: str
    words: list[str]
    odd: str = Field(description="The word least like the others.")
    cosines: list[Ranked] = Field(description="Each word's cosine to the mean, lowest first.")
    left_out: list[str] = Field(description="Words with no vector, left out.")
    resolved: list[Resolved]


class Completion(_Answer):
    word: str
    count: int | None = Field(description="Its corpus frequency, where the model knows it.")


class Vocabulary(_Answer):
    model: str
    prefix: str
    words: list[Completion]


class Point(_Answer):
    word: str
    score: float
    x: float
    y: float


class Neighbourhood(_Answer):
    model: str
    word: str
    resolved: list[Resolved]
    points: list[Point] = Field(description="The query first, then its neighbours, on 2-D.")


class EmbedRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    texts: list[Annotated[str, Field(max_length=MAX_TEXT_LENGTH)]] = Field(
        max_length=MAX_TEXTS, description="Texts to embed."
    )
    model: str | None = Field(
        None, max_length=MAX_WORD_LENGTH, description="A served model's name; the first if none."
    )


class Embedded(_Answer):
    model: str
    dim: int
    tokens: list[list[str]]
    vectors: list[list[float]]
    empty: list[int] = Field(description="Texts with no known token (rows of zeros), from 0.")


class DocumentsRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(
        min_length=1, max_length=MAX_TEXT_LENGTH, description="The text to find documents like."
    )
    topn: int = Field(10, ge=1, le=MAX_TOPN)
    exact: bool = Field(
        False, description="Score every document even if the model has an approximate index."
    )
    model: str | None = Field(
        None, max_length=MAX_WORD_LENGTH, description="A served model's name; the first if none."
    )


class DocumentMatch(_Answer):
    row: int
    score: float
    text: str
    line: int | None = None


class Documents(_Answer):
    model: str
    text: str
    score: str
    rows: str
    resolved: Resolved
    documents: list[DocumentMatch]


class ModelInfo(_Answer):
    name: str
    kind: str
    method: str | None
    vocab_size: int
    dim: int
    documents: int | None
    #: the approximate indexes queries go through (koembed index), by what they index
    indexes: dict[str, dict[str, Any]]
    tokenizer: dict[str, Any] | None
    params: dict[str, Any]
    corpus: Any
    meta: dict[str, Any]


class Models(_Answer):
    models: list[ModelInfo]


class Problem(_Answer):
    """Why a request got no answer."""

    detail: str = Field(description="What is wrong and how to fix it, in one line.")
    word: str | None = None
    suggestions: list[str] | None = Field(None, description="Closest vocabulary spellings.")
    valid: list[str] | None = Field(None, description="The valid names, for an unknown one.")
    errors: list[dict[str, Any]] | None = None
