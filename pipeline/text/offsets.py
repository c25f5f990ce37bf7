"""A Doc's token offsets as plain lists, read in one `Doc.to_array` call.

Iterating a Doc makes one Python `Token` object per step, and setting `token.is_sent_start`
rescans the whole Doc for a parse each time; the text layer reads and writes whole columns instead.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy
from spacy.attrs import IDX, LENGTH, SENT_START, SPACY
from spacy.tokens import Doc


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
        return cls(doc.text if text is None else text, *token_bounds(doc))

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
