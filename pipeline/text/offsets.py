"""A Doc's token offsets as plain lists, read in one `Doc.to_array` call.

Iterating a Doc makes one Python `Token` object per step, and setting `token.is_sent_start`
rescans the whole Doc for a parse each time; the text layer reads and writes whole columns instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
from spacy.attrs import IDX, LENGTH, SENT_START, SPACY
from spacy.tokens import Doc

# Where the segmenter leaves the text it made the Doc from (Doc.user_data, a plain key).
TEXT_KEY = "newsargs.text"


def keep_text(doc: Doc, text: str) -> Doc:
    """Record on `doc` the text it was made from, for `doc_text`."""
    doc.user_data[TEXT_KEY] = text
    return doc


def doc_text(doc: Doc) -> str:
    """doc.text without rebuilding it: spaCy joins every token on each read of doc.text (some
    60 µs for a 600-character article), while the text the segmenter kept is the same string
    (retokenizing never changes it). A Doc made elsewhere, or one whose length no longer
    matches, falls back to doc.text."""
    text = doc.user_data.get(TEXT_KEY)
    if text is None or not len(doc):
        return doc.text
    last = doc[-1]
    return text if last.idx + len(last.text_with_ws) == len(text) else doc.text


@dataclass(frozen=True)
class TokenOffsets:
    """Where each token of a Doc lies in its text; `spaced[i]`: token i is followed by a space."""

    text: str
    starts: list[int]
    ends: list[int]
    spaced: list[bool]

    @classmethod
    def of(cls, doc: Doc, text: str | None = None) -> "TokenOffsets":
        """`text` saves rebuilding doc.text (spaCy joins every token to make it) when known."""
        return cls(doc_text(doc) if text is None else text, *token_bounds(doc))

    def __len__(self) -> int:
        return len(self.starts)

    def word(self, i: int) -> str:
        return self.text[self.starts[i] : self.ends[i]]


def token_bounds(doc: Doc) -> tuple[list[int], list[int], list[bool]]:
    """Start offsets, end offsets and trailing-space flags of every token."""
    if not len(doc):
        return [], [], []
    cols = doc.to_array([IDX, LENGTH, SPACY]).astype(numpy.int64)
    return cols[:, 0].tolist(), (cols[:, 0] + cols[:, 1]).tolist(), cols[:, 2].astype(bool).tolist()


def set_sent_starts(doc: Doc, first_tokens) -> None:
    """Mark the tokens `first_tokens` (indices) and token 0 as sentence starts, every other as not.

    Same values as setting `token.is_sent_start` to True/False token by token, in one column write.
    """
    if not len(doc):
        return
    col = numpy.full(len(doc), -1, dtype=numpy.int64)
    col[0] = 1
    col[list(first_tokens)] = 1
    doc.from_array([SENT_START], col.astype(numpy.uint64))
