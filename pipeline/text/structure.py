"""Paragraphs, headings and sentences, as character spans on the original text.

Paragraphs are lines (a blank line always separates; a single line break separates too unless the
line is a hard wrap in the middle of a sentence). A heading is a short single line without
sentence-final punctuation. Chinese sentences end at 。！？!?； and at …… that closes a clause,
with closing quotes kept inside; a sentence does not end inside an open quote unless the quote
grows past MAX_QUOTE characters. English sentences end at . ! ? tokens (the English tokenizer
keeps abbreviations such as U.S. and Mr. whole).
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from spacy.tokens import Doc
from spacy.vocab import Vocab

from .offsets import TokenOffsets, doc_text, set_sent_starts

ZH_TERMINALS = set("。！？!?；;")
ELLIPSIS = set("…⋯")
EN_TERMINALS = {".", "!", "?", "...", "…"}
CLOSERS = set("」』”’\"')）]】》")
OPENERS = set("「『“(（[【《")
QUOTE_OPEN = set("「『“")
QUOTE_CLOSE = set("」』”")
LINE_END_PUNCT = set("。！？!?.;；:：，,、…⋯」』”\"')）")
# First characters of the tokens that can open or close a quote or end a sentence.
ZH_MARKS = re.compile("[" + re.escape("".join(sorted(QUOTE_OPEN | QUOTE_CLOSE | ZH_TERMINALS | ELLIPSIS))) + "]")
EN_MARKS = re.compile("[" + re.escape("".join(sorted(QUOTE_OPEN | QUOTE_CLOSE | {t[0] for t in EN_TERMINALS}))) + "]")
MAX_QUOTE = 200
HEADING_MAX_ZH = 40
HEADING_MAX_EN_WORDS = 14


@dataclass(frozen=True)
class Block:
    start: int
    end: int
    heading: bool


def paragraphs(text: str, cjk: bool) -> list[Block]:
    """Paragraph spans (stripped of surrounding white space) with a heading flag."""
    lines = []
    pos = 0
    for raw in text.split("\n"):
        stripped = raw.strip()
        if stripped:
            lead = len(raw) - len(raw.lstrip())
            lines.append((pos + lead, pos + lead + len(stripped)))
        else:
            lines.append(None)
        pos += len(raw) + 1

    wraps = set() if cjk else _wrapped_lines(text, lines)
    merged: list[list[int]] = []
    prev_open = False  # previous line was a hard wrap inside a sentence
    for n, line in enumerate(lines):
        if line is None:
            prev_open = False
            continue
        s, e = line
        body = text[s:e]
        if merged and (n - 1 in wraps or prev_open and not _heading_like(body, cjk) and not body.startswith("#")):
            merged[-1][1] = e
        else:
            merged.append([s, e])
        last = text[merged[-1][0] : merged[-1][1]]
        prev_open = not _ends_sentence(last) and not _heading_like(last, cjk) and not cjk

    out = []
    for s, e in merged:
        body = text[s:e]
        heading = len(merged) > 1 and (body.startswith("#") or _heading_like(body, cjk))
        out.append(Block(s, e, heading))
    return out


def _wrapped_lines(text: str, lines: list) -> set[int]:
    """Indices of English lines that a fixed-width hard wrap broke in the middle of a sentence.

    A line is wrapped when it does not end a sentence and the next line goes on with it: the
    next line starts in lower case, or its first word would not have fit on this line within
    the width of the block (the longest line between two blank lines), so a wrapper broke it.
    A short heading over a body line fits, so it is not taken for a wrap.
    """
    wraps = set()
    n = 0
    while n < len(lines):
        if lines[n] is None:
            n += 1
            continue
        end = n
        while end + 1 < len(lines) and lines[end + 1] is not None:
            end += 1
        width = max(e - s for s, e in lines[n : end + 1])
        for i in range(n, end):
            line, nxt = text[slice(*lines[i])], text[slice(*lines[i + 1])]
            if _ends_sentence(line) or line.startswith("#") or nxt.startswith("#"):
                continue
            first_word = nxt.split()[0]
            if nxt[0].islower() or len(line) + 1 + len(first_word) > width:
                wraps.add(i)
        n = end + 1
    return wraps


def _ends_sentence(line: str) -> bool:
    return bool(line) and line[-1] in LINE_END_PUNCT


def _heading_like(line: str, cjk: bool) -> bool:
    if "\n" in line or _ends_sentence(line):
        return False
    if cjk:
        return len(line) <= HEADING_MAX_ZH
    return len(line.split()) <= HEADING_MAX_EN_WORDS


def sentence_starts(toks: TokenOffsets, start: int, end: int, cjk: bool) -> list[int]:
    """Character offsets where sentences start inside the paragraph [start, end).

    Only tokens that begin with a quote or a terminal can change the state, so the scan jumps
    from one such token to the next (found with one regex over the paragraph) instead of
    stepping through every token."""
    starts_at = toks.starts
    lo, hi = bisect.bisect_left(starts_at, start), bisect.bisect_left(starts_at, end)
    starts = [start]
    depth = 0
    quote_start = None
    resume = lo  # tokens before this one were consumed by the last terminal run
    for mark in (ZH_MARKS if cjk else EN_MARKS).finditer(toks.text, start, end):
        idx = mark.start()
        i = bisect.bisect_left(starts_at, idx, resume, hi)
        if i >= hi or starts_at[i] != idx:
            continue  # the mark is inside a token, not at its start
        text = toks.word(i)
        if text[0] in QUOTE_OPEN:
            depth += 1
            quote_start = idx if depth == 1 else quote_start
        elif text[0] in QUOTE_CLOSE:
            depth = max(0, depth - 1)
        if not _is_terminal(toks, i, hi, cjk):
            continue
        j = i + 1
        while j < hi and (_closes(toks, j, cjk) or _is_terminal_char(toks.word(j), cjk)):
            if toks.word(j) in QUOTE_CLOSE:
                depth = max(0, depth - 1)
            j += 1
        long_quote = depth > 0 and quote_start is not None and idx - quote_start > MAX_QUOTE
        while j < hi and toks.word(j).isspace():
            j += 1
        if j < hi and (depth == 0 or long_quote) and _starts_sentence(toks.word(j), cjk):
            starts.append(starts_at[j])
            if long_quote:
                quote_start = starts_at[j]
        resume = j
    return starts


def _closes(toks: TokenOffsets, j: int, cjk: bool) -> bool:
    """A closing quote or bracket; in English a straight quote closes only when attached."""
    text = toks.word(j)
    if text not in CLOSERS:
        return False
    return cjk or text not in "\"'" or not toks.spaced[j - 1]


def _is_terminal_char(text: str, cjk: bool) -> bool:
    if cjk:
        return bool(text) and all(ch in ZH_TERMINALS or ch in ELLIPSIS for ch in text)
    return text in EN_TERMINALS


def _is_terminal(toks: TokenOffsets, i: int, hi: int, cjk: bool) -> bool:
    text = toks.word(i)
    if not _is_terminal_char(text, cjk):
        return False
    if cjk and all(ch in ELLIPSIS for ch in text):
        # …… closes a clause unless a comma continues it. jieba cuts …… into one token per
        # character, so look past the whole run of ellipsis tokens.
        j = i + 1
        while j < hi and toks.word(j) and all(ch in ELLIPSIS for ch in toks.word(j)):
            j += 1
        nxt = toks.word(j) if j < hi else ""
        return not nxt[:1] in set("，,、")
    return True


def _starts_sentence(text: str, cjk: bool) -> bool:
    if cjk:
        return True
    first = text[:1]
    return first.isupper() or first.isdigit() or first in OPENERS or first in "\"'“"


class Structure:
    """The `newsargs_structure` component: paragraphs, headings, sentence starts, paragraph scripts.

    Assigns `doc.spans["paragraphs"]` (label "heading" or "paragraph"), `doc._.paragraph_langs`
    and `token.is_sent_start` for every token.
    """

    def __init__(self, detector):
        self.detector = detector
        self._english = None

    def __call__(self, doc: Doc) -> Doc:
        text = doc_text(doc)
        cjk = doc._.lang not in ("en", "und")
        blocks = paragraphs(text, cjk)
        spans, langs, starts = [], [], set()
        toks = TokenOffsets.of(doc, text)
        for block in blocks:
            span = doc.char_span(block.start, block.end, label="heading" if block.heading else "paragraph", alignment_mode="expand")
            if span is None:
                continue
            spans.append(span)
            langs.append(self.detector.detect(text[span.start_char : span.end_char]))  # span.text walks its tokens
            if block.heading:
                starts.add(span.start_char)
            elif cjk and langs[-1] == "en":
                starts.update(block.start + s for s in self.english_starts(text[block.start : block.end]))
            else:
                starts.update(sentence_starts(toks, block.start, block.end, cjk))
        doc.spans["paragraphs"] = spans
        doc._.paragraph_langs = langs
        first_tokens = []
        for ch in starts:
            i = bisect.bisect_left(toks.starts, ch)
            if i < len(toks) and toks.starts[i] == ch:
                first_tokens.append(i)
        set_sent_starts(doc, first_tokens)
        return doc

    def english_starts(self, paragraph: str) -> list[int]:
        """Sentence starts of an English paragraph inside a Chinese or mixed document.

        The Doc's tokens there come from jieba, which cuts U.S. and Mr. apart, so the English
        rules run on spaCy's English tokenization of the paragraph instead.
        """
        if self._english is None:
            from .segment import english_tokenizer

            self._english = english_tokenizer(Vocab())
        return sentence_starts(TokenOffsets.of(self._english(paragraph), paragraph), 0, len(paragraph), cjk=False)
