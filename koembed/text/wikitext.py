"""Wikitext to plain text: what ``koembed corpus prepare kowiki`` keeps of an article.

Parsed with mwparserfromhell (a real wikitext parser, so nested templates,
tables and tags are matched as MediaWiki matches them, not by regular
expressions), then walked node by node:

- kept: text, the text of links (``[[서울특별시|서울]]`` -> 서울), the title of
  external links, the contents of formatting tags (``<b>``, ``<small>``...),
  the text argument of language templates (``{{lang|en|Korea}}`` -> Korea);
- removed: every other template (infoboxes, citations, navigation), references
  (``<ref>``, named or not), tables, files and images with their captions,
  categories, interlanguage links, headings, comments, math, code and galleries;
- then each line is a paragraph (list items are lines of their own), with
  whitespace collapsed and the empty brackets removed templates leave behind.
"""

from __future__ import annotations

import re

from koembed.errors import MissingDependencyError

# Links into these namespaces are not prose: files and their captions,
# categories, templates (Korean and English names, as kowiki accepts both).
SKIPPED_LINK_PREFIXES = (
    "파일:", "file:", "그림:", "image:", "분류:", "category:", "틀:", "template:",
    "위키백과:", "wikipedia:", "포털:", "portal:", "미디어:", "media:", "특수:", "special:",
)  # fmt: skip
# Tags whose contents are not prose.
DROPPED_TAGS = frozenset(
    "ref references table gallery math chem code pre syntaxhighlight source score timeline "
    "imagemap templatedata graph mapframe maplink hiero poem nowiki noinclude includeonly "
    "div style".split()
)
# Templates that wrap running text in another language: keep their last argument.
TEXT_TEMPLATES = frozenset({"lang", "llang", "lang-en", "lang-ja", "lang-zh", "lang-ko", "welsh"})
_INTERLANGUAGE = re.compile(r"^:?[a-z]{2,3}(-[a-z]+)?:")
_EMPTY_BRACKETS = re.compile(r"\(\s*[,;:·]?\s*\)|（\s*）|\[\s*\]")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_SPACE_BEFORE_PUNCT = re.compile(r" +([,.)\]」』])")


def _parser():
    try:
        import mwparserfromhell
    except ImportError:
        raise MissingDependencyError(
            "mwparserfromhell", "wiki", "koembed corpus prepare kowiki"
        ) from None
    return mwparserfromhell


def wikitext_paragraphs(text: str) -> list[str]:
    """The plain-text paragraphs of an article's wikitext, one per line, in order."""
    code = _parser().parse(text, skip_style_tags=False)
    plain = _plain(code)
    paragraphs = []
    for line in plain.split("\n"):
        line = _EMPTY_BRACKETS.sub("", line)
        line = _SPACES.sub(" ", line).strip()
        line = _SPACE_BEFORE_PUNCT.sub(r"\1", line)
        if line and any(char.isalnum() for char in line):
            paragraphs.append(line)
    return paragraphs


def _plain(code) -> str:
    """The text a reader sees of a parsed piece of wikitext (see the module docstring)."""
    parts: list[str] = []
    for node in code.nodes:
        kind = type(node).__name__
        if kind == "Text":
            parts.append(str(node.value))
        elif kind == "Wikilink":
            title = str(node.title).strip()
            if title.lower().startswith(SKIPPED_LINK_PREFIXES) or _INTERLANGUAGE.match(title):
                continue
            parts.append(_plain(node.text) if node.text is not None else _plain(node.title))
        elif kind == "ExternalLink":
            if node.title is not None:
                parts.append(_plain(node.title))
        elif kind == "Tag":
            parts.append(_tag_text(node))
        elif kind == "Template":
            name = str(node.name).strip().lower()
            positional = [p for p in node.params if not p.showkey]
            if name in TEXT_TEMPLATES and positional:
                parts.append(_plain(positional[-1].value))
        elif kind == "HTMLEntity":
            parts.append(node.normalize())
        elif kind == "Heading":
            parts.append("\n")
        # Comments, arguments ({{{1}}}) and anything else: nothing.
    return "".join(parts)


def _tag_text(node) -> str:
    tag = str(node.tag).strip().lower()
    if tag in DROPPED_TAGS:
        return ""
    if tag in ("li", "dt", "dd"):  # a list marker (*, #, ;, :): the item is its own line
        return "\n"
    if tag == "br":
        return "\n"
    if node.self_closing or node.contents is None:
        return ""
    return _plain(node.contents)


# A sentence ends at . ? ! (and their full-width forms) after a Hangul syllable,
# a closing bracket or quote, or at ? and ! anywhere, when a space follows.
_SENTENCE_END = re.compile(r"(?<=[가-힣)\]\"'”’」』][.。])\s+|(?<=[?!？！])\s+")


def split_sentences(paragraph: str) -> list[str]:
    """A paragraph's sentences: cut after a full stop that ends a Korean word
    (``...국가이다. 수도는``), or after ? and !; numbers (``1.5``), initials and
    abbreviations (``U.S. Army``) stay whole."""
    return [part.strip() for part in _SENTENCE_END.split(paragraph) if part.strip()]
