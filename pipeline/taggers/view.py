"""What the claims and causal taggers read: a per-document view and one-scan cue finders.

Both taggers match cues on the lower-cased Simplified copy of an article and check token edges.
Reading the token attributes with one `Doc.to_array` call, and finding every occurrence of a
lexicon's words with one regex scan per document, replaces per-token Python loops over the Doc
and a `str.find` loop per cue word per sentence, which were most of the two taggers' time.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from functools import cached_property

import numpy
from spacy.attrs import IDX, IS_SPACE, LENGTH, SENT_START, TAG
from spacy.tokens import Doc

from ..text.offsets import doc_text

ZH_CHAR = re.compile("[\u4e00-\u9fff]")
VIEW_KEY = "newsargs.view"  # where `doc_view` keeps a Doc's view (Doc.user_data, a plain key)


def lowered(doc: Doc) -> str:
    """The Simplified copy (else the text) lower-cased, keeping its length (and so the offsets)."""
    base = doc._.simplified if doc._.simplified is not None else doc_text(doc)
    low = base.lower()
    if len(low) != len(base):
        low = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in base)
    return low


def doc_view(doc: Doc) -> "DocView":
    """The DocView of `doc`, made by whichever tagger asks first and kept in `doc.user_data` for
    the other: the claims and causal taggers read the same view of the same Doc. A Doc whose
    tokens, Simplified copy or span groups changed since gets a new view."""
    view = doc.user_data.get(VIEW_KEY)
    if view is None or view.made_from != _made_from(doc):
        view = doc.user_data[VIEW_KEY] = DocView(doc)
    return view


def _made_from(doc: Doc) -> tuple:
    """What a view depends on, cheap to compare: the token count, the Simplified copy and the
    actor and paragraph span groups (the objects and their lengths)."""
    groups = [doc.spans[key] if key in doc.spans else None for key in ("actors", "paragraphs")]
    return (len(doc), doc._.simplified, *[(g, len(g)) if g is not None else None for g in groups])


class DocView:
    """The lower-cased Simplified text, token edges, POS tags, sentence bounds and span groups
    of one Doc.

    `starts` / `ends`: the character offsets where tokens start / end (white-space tokens too);
    `sents`: (start_char, end_char) of each sentence, as `doc.sents` gives them, and
    `trimmed_sents` the same without leading and trailing white space (empty ones dropped);
    `mentions`: (start, end, kb_id, label) of doc.spans["actors"]; `paragraphs` / `headings`:
    (start, end) of doc.spans["paragraphs"] / of those labelled heading; `tokens`: (start, end)
    of the tokens that are not white space and `tags` their jieba POS by start offset (or
    `tag_at` one of them), built on first use (few documents need them).
    """

    def __init__(self, doc: Doc):
        self.made_from = _made_from(doc)
        self.text = lowered(doc)
        self._rows = rows = doc.to_array([IDX, LENGTH, IS_SPACE, TAG, SENT_START]).reshape(-1, 5)
        self._strings = doc.vocab.strings
        starts, ends = rows[:, 0], rows[:, 0] + rows[:, 1]
        self.starts, self.ends = set(starts.tolist()), set(ends.tolist())
        if not len(rows) or "sents" in doc.user_hooks or not doc.has_annotation("SENT_START"):
            self.sents = [(s.start_char, s.end_char) for s in doc.sents]  # the same sentences (or error)
        else:
            firsts = [0] + (numpy.flatnonzero(rows[1:, 4] == 1) + 1).tolist()
            lasts = numpy.array(firsts[1:] + [len(rows)]) - 1
            self.sents = list(zip(starts[firsts].tolist(), ends[lasts].tolist()))
        self.mentions = [(a.start_char, a.end_char, a.kb_id_, a.label_) for a in doc.spans["actors"]] if "actors" in doc.spans else []
        paragraphs = [(p.start_char, p.end_char, p.label_) for p in doc.spans["paragraphs"]] if "paragraphs" in doc.spans else []
        self.paragraphs = {(s, e) for s, e, _ in paragraphs}
        self.headings = {(s, e) for s, e, label in paragraphs if label == "heading"}

    @cached_property
    def trimmed_sents(self) -> list[tuple[int, int]]:
        text, out = self.text, []
        for s, e in self.sents:
            while s < e and text[s].isspace():
                s += 1
            while e > s and text[e - 1].isspace():
                e -= 1
            if s < e:
                out.append((s, e))
        return out

    @cached_property
    def tokens(self) -> list[tuple[int, int]]:
        rows = self._rows[self._rows[:, 2] == 0]
        return list(zip(rows[:, 0].tolist(), (rows[:, 0] + rows[:, 1]).tolist()))

    @cached_property
    def tags(self) -> dict[int, str]:
        rows = self._rows[self._rows[:, 2] == 0]
        return dict(zip(rows[:, 0].tolist(), [self._strings[h] for h in rows[:, 3].tolist()]))

    @cached_property
    def _token_starts(self) -> list[int]:
        return self._rows[:, 0].tolist()

    def tokens_from(self, pos: int):
        """(start, end) of the tokens that are not white space, from the first starting at or
        after `pos`, in order: the rules read a few tokens after a cue, so they walk the offsets
        from a binary search instead of listing every token (`tokens`)."""
        starts, rows = self._token_starts, self._rows
        for k in range(bisect_left(starts, pos), len(starts)):
            if not rows[k, 2]:
                yield starts[k], starts[k] + int(rows[k, 1])

    def tag_at(self, pos: int) -> str:
        """The tag of the token starting at `pos` (not white space), else "": the rules ask
        about a few tokens, found by binary search, where `tags` reads every token's."""
        starts = self._token_starts
        k = bisect_left(starts, pos)
        if k < len(starts) and starts[k] == pos and not self._rows[k, 2]:
            return self._strings[int(self._rows[k, 3])]
        return ""

    def is_zh(self, s: int, e: int) -> bool:
        """Whether [s, e) holds a Chinese character."""
        return ZH_CHAR.search(self.text, s, e) is not None

    def positions(self, chars: re.Pattern, s: int, e: int) -> list[int]:
        """Positions inside [s, e) of the characters of a `char_class`."""
        return [m.start() for m in chars.finditer(self.text, s, e)]


def char_class(chars) -> re.Pattern:
    """A compiled character class matching any of `chars`."""
    return re.compile("[" + "".join(re.escape(ch) for ch in sorted(set(chars))) + "]")


class Words(tuple):
    """An ordered tuple of words, indexed by first and last character, so that finding the
    first word (in order) that starts or ends at a position tries only the few that can."""

    def __new__(cls, words):
        self = super().__new__(cls, words)
        self.by_first, self.by_last = {}, {}
        for w in self:
            if w:
                self.by_first.setdefault(w[0], []).append(w)
                self.by_last.setdefault(w[-1], []).append(w)
        return self

    def starting(self, text: str, pos: int) -> list[str]:
        """The words, in order, that may start at `pos` (those beginning with text[pos])."""
        return self.by_first.get(text[pos], []) if pos < len(text) else []

    def ending(self, text: str, end: int) -> list[str]:
        """The words, in order, that may end at `end` (those closing with text[end - 1])."""
        return self.by_last.get(text[end - 1], []) if end > 0 else []


def trie_pattern(words, separator: str | None = None) -> str:
    """A regex alternation of `words` shaped as a trie (common prefixes factored out), so that
    the regex engine tries a branch per next character instead of every word at a position.
    With `separator` (a regex), each run of white space inside a word matches it instead."""
    trie: dict = {}
    for w in words:
        node = trie
        for ch in " ".join(w.split()) if separator else w:
            node = node.setdefault(separator if separator and ch == " " else ch, {})
        node[""] = {}  # a word ends here

    def emit(node: dict) -> str:
        alts = [(unit if unit == separator else re.escape(unit)) + emit(child) for unit, child in node.items() if unit]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:  # the path so far is a word: what follows is optional
            return "(?:" + body + ")?"
        return body

    return emit(trie)


class Substrings:
    """Every occurrence of a fixed set of words in a text, overlaps included (what a
    `str.find` loop per word finds), from one regex scan: the alternation finds each position
    where some word starts, and the words beginning with that character are tried there."""

    def __init__(self, words):
        words = sorted({w for w in words if w}, key=lambda w: (-len(w), w))
        self.by_first: dict[str, list[str]] = {}
        for w in words:
            self.by_first.setdefault(w[0], []).append(w)
        self.pattern = re.compile(trie_pattern(words)) if words else None

    def find(self, text: str) -> list[tuple[int, int, str]]:
        """(start, end, word) of every occurrence, by start."""
        out = []
        for p in _match_starts(self.pattern, text):
            for w in self.by_first[text[p]]:
                if text.startswith(w, p):
                    out.append((p, p + len(w), w))
        return out


def _match_starts(pattern: re.Pattern | None, text: str):
    """Every position where `pattern` matches, overlapping matches included, in order."""
    if pattern is None:
        return
    m = pattern.search(text)
    while m:
        yield m.start()
        m = pattern.search(text, m.start() + 1)


_ALNUM = re.compile("[a-z0-9]")


class EnglishWords:
    """Every start of a whole-word match of English cues in a text, from one regex scan: a cue's
    words separated by any white space, no letter or digit on either side (with
    `not_after_hyphen`, not the second half of a compound: 'flood-affected').

    The guard after the cue is reported, not applied (`closed`): a scan bounded at `e`
    (`finditer(text, s, e)`) accepts a match ending at `e` whatever follows, so range queries
    (`Hits.in_range`) decide."""

    def __init__(self, words, not_after_hyphen: bool = False):
        self.not_after_hyphen = not_after_hyphen
        cores = {}
        for w in sorted({w for w in words if w.split()}, key=lambda w: (-len(w), w)):
            cores[w] = r"\s+".join(re.escape(part) for part in w.split())
        # the cues by the first two characters of their first word (by the one, for a word of
        # one character: white space follows it), so that a position tries only the few that
        # can match there, where one first letter begins dozens of cues
        self.by_two: dict[str, list[tuple[str, re.Pattern]]] = {}
        self.by_one: dict[str, list[tuple[str, re.Pattern]]] = {}
        for w, core in cores.items():
            first = w.split()[0]
            (self.by_two.setdefault(first[:2], []) if len(first) > 1 else self.by_one.setdefault(first, [])).append((w, re.compile(core)))
        self.pattern = re.compile(trie_pattern(cores, separator=r"\s+")) if cores else None

    def _guarded(self, text: str, p: int) -> bool:
        """The guard before a match: no letter or digit (nor 'x-' with `not_after_hyphen`)."""
        if p > 0 and _ALNUM.match(text, p - 1):
            return False
        if self.not_after_hyphen and p > 1 and text[p - 1] == "-" and _ALNUM.match(text, p - 2):
            return False
        return True

    def find(self, text: str) -> list[tuple[int, int, str, bool]]:
        """(start, end, word, closed) of every guarded match start, by start; `closed` when no
        letter or digit follows the match."""
        out = []
        for p in _match_starts(self.pattern, text):
            if self._guarded(text, p):
                for w, core in self.by_two.get(text[p : p + 2], []) + self.by_one.get(text[p], []):
                    hit = core.match(text, p)
                    if hit:
                        b = hit.end()
                        out.append((p, b, w, not _ALNUM.match(text, b)))
        return out


class Hits:
    """The cue occurrences of one document, by start, with range queries: what the per-range
    scans of each cue would find, in the order of the cues (cue by cue, each by position)."""

    def __init__(self, hits: list[tuple]):
        # (start, end, key, closed, lang): key orders the cues; closed only for English
        self.hits = sorted(hits)

    def in_range(self, s: int, e: int, starts: set) -> list[tuple]:
        """(key, start, end) of the occurrences inside [s, e), in (key, start) order."""
        hits = self.hits
        out = []
        last: dict = {}
        for k in range(bisect_left(hits, (s,)), len(hits)):
            a, b, key, closed, lang = hits[k]
            if a >= e:
                break
            if b > e:
                continue
            if lang == "en":
                if not (closed or b == e) or a < last.get(key, -1):
                    continue
                last[key] = b
                if a not in starts:
                    continue
            out.append((key, a, b))
        out.sort()
        return out


class CueScanner:
    """Finds the cues of a lexicon in a document in one scan per language.

    `items`: per cue, (its alternative words, its language); a hit's key is (item, alternative),
    so sorting hits by key gives the order of a loop over the cues and their alternatives.
    Chinese cues are substrings (the tagger's `zh_ok` keeps those on token edges); English cues
    whole words (`EnglishWords`)."""

    def __init__(self, items: list[tuple[list[str], str]], not_after_hyphen: bool = False):
        self.owners: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for i, (words, lang) in enumerate(items):
            for k, w in enumerate(words):
                self.owners.setdefault((lang, w), []).append((i, k))
        self.zh = Substrings(w for lang, w in self.owners if lang != "en")
        self.en = EnglishWords((w for lang, w in self.owners if lang == "en"), not_after_hyphen)

    def scan(self, text: str, zh_ok) -> Hits:
        """The hits in `text`; `zh_ok(start, end)` says whether a Chinese occurrence counts."""
        hits = []
        for a, b, w in self.zh.find(text):
            if zh_ok(a, b):
                hits += [(a, b, key, True, "zh") for key in self.owners[("zh", w)]]
        for a, b, w, closed in self.en.find(text):
            hits += [(a, b, key, closed, "en") for key in self.owners[("en", w)]]
        return Hits(hits)
