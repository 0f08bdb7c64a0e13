"""Tokenizer backends. Each lives in its own module and is found by name."""

from koembed.tokenizers.base import Tokenizer, create_tokenizer
from koembed.tokenizers.spec import TextPipeline, tokenizer_from_spec

__all__ = ["TextPipeline", "Tokenizer", "create_tokenizer", "tokenizer_from_spec"]
