"""Cut tokens at given character offsets, keeping every span group on the same characters.

A tagger that finds a mention inside a jieba token (華 in 對華, 中 and 美 in 中美關係) cuts the
token so the mention is aligned to token boundaries. spaCy's retokenizer does not move span
groups on a split, so they are rebuilt from their character offsets.
"""

from __future__ import annotations

import bisect

import numpy
from spacy.attrs import IDX, SENT_START
from spacy.tokens import Doc

from .offsets import doc_text, set_sent_starts, token_bounds


def split_at(doc: Doc, offsets: set[int]) -> None:
    """Split every token that has one of `offsets` strictly inside it."""
    starts, ends, _ = token_bounds(doc)
    cuts: dict[int, list[int]] = {}
    for o in sorted(offsets):  # sorted, so each token's inner offsets come out in order
        i = bisect.bisect_right(starts, o) - 1
        if i >= 0 and starts[i] < o < ends[i]:
            cuts.setdefault(i, []).append(o)
    if not cuts:
        return
    saved = {
        name: [(s.start_char, s.end_char, s.label_, s.kb_id_) for s in group]
        for name, group in doc.spans.items()
    }
    # The new pieces come out of the split with no sentence-start value; in a one-token doc
    # that leaves the sentence boundaries unset and doc.sents raises. Keep them by offset.
    sent_starts = None
    if doc.has_annotation("SENT_START"):
        flags = doc.to_array([SENT_START]).astype(numpy.int64)
        sent_starts = {starts[i] for i in numpy.flatnonzero(flags == 1).tolist()}
    text = doc_text(doc)  # the split does not change it
    with doc.retokenize() as retok:
        for i, inner in cuts.items():
            tok = doc[i]
            bounds = [starts[i], *inner, ends[i]]
            orths = [text[a:b] for a, b in zip(bounds, bounds[1:])]
            heads = [(tok, 0)] * len(orths)
            retok.split(tok, orths, heads=heads, attrs={"TAG": [tok.tag_] * len(orths)})
    if sent_starts is not None:
        new_starts = doc.to_array([IDX]).tolist()
        set_sent_starts(doc, [i for i, ch in enumerate(new_starts) if ch in sent_starts])
    for name, spans in saved.items():
        doc.spans[name] = [
            doc.char_span(s, e, label=label, kb_id=kb, alignment_mode="expand") for s, e, label, kb in spans
        ]
