"""Cut tokens at given character offsets, keeping every span group on the same characters.

A tagger that finds a mention inside a jieba token (華 in 對華, 中 and 美 in 中美關係) cuts the
token so the mention is aligned to token boundaries. spaCy's retokenizer does not move span
groups on a split, so they are rebuilt from their character offsets.
"""

from __future__ import annotations

from spacy.tokens import Doc


def split_at(doc: Doc, offsets: set[int]) -> None:
    """Split every token that has one of `offsets` strictly inside it."""
    cuts = {}
    for tok in doc:
        start, end = tok.idx, tok.idx + len(tok.text)
        inner = sorted(o for o in offsets if start < o < end)
        if inner:
            cuts[tok.i] = inner
    if not cuts:
        return
    saved = {
        name: [(s.start_char, s.end_char, s.label_, s.kb_id_) for s in group]
        for name, group in doc.spans.items()
    }
    # The new pieces come out of the split with no sentence-start value; in a one-token doc
    # that leaves the sentence boundaries unset and doc.sents raises. Keep them by offset.
    sent_starts = {tok.idx for tok in doc if tok.is_sent_start} if doc.has_annotation("SENT_START") else None
    text = doc.text  # spaCy rebuilds doc.text on every read; the split does not change it
    with doc.retokenize() as retok:
        for i, inner in cuts.items():
            tok = doc[i]
            bounds = [tok.idx, *inner, tok.idx + len(tok.text)]
            orths = [text[a:b] for a, b in zip(bounds, bounds[1:])]
            heads = [(tok, 0)] * len(orths)
            retok.split(tok, orths, heads=heads, attrs={"TAG": [tok.tag_] * len(orths)})
    if sent_starts is not None:
        for tok in doc:
            tok.is_sent_start = tok.i == 0 or tok.idx in sent_starts
    for name, spans in saved.items():
        doc.spans[name] = [
            doc.char_span(s, e, label=label, kb_id=kb, alignment_mode="expand") for s, e, label, kb in spans
        ]
