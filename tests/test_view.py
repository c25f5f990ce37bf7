"""The taggers' shared view (pipeline/taggers/view.py): the one-scan cue finders must find
exactly what the per-word `str.find` loops and per-range English regex scans they replace
found, and the Doc view must hold what iterating the Doc gives."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from pipeline.taggers.view import CueScanner, DocView, Substrings, Words, doc_view, trie_pattern

ZH_WORDS = st.lists(st.text(alphabet="由此可见因为而", min_size=1, max_size=4), min_size=1, max_size=8)
ZH_TEXT = st.text(alphabet="由此可见因为而，", max_size=40)
EN_WORDS = st.lists(st.sampled_from(["due to", "due", "to", "a a", "as a", "a", "d-ue", "t o"]), min_size=1, max_size=6)
EN_TEXT = st.text(alphabet="duetoas -\n", max_size=40)


def _find_loop(text: str, word: str) -> list[tuple[int, int]]:
    out, i = [], text.find(word)
    while i >= 0:
        out.append((i, i + len(word)))
        i = text.find(word, i + 1)
    return out


@settings(max_examples=300, deadline=None)
@given(ZH_WORDS, ZH_TEXT)
def test_view_substrings_find_every_occurrence_like_a_find_loop(words, text):
    found = Substrings(words).find(text)
    for w in set(words):
        assert [(a, b) for a, b, x in found if x == w] == _find_loop(text, w)
    assert [a for a, _, _ in found] == sorted(a for a, _, _ in found)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab c", min_size=1, max_size=5).filter(str.split), min_size=1, max_size=6), st.text(alphabet="ab c\t", max_size=30))
def test_view_trie_pattern_matches_where_the_plain_alternation_does(words, text):
    plain = re.compile("|".join(r"\s+".join(map(re.escape, w.split())) for w in sorted(words, key=len, reverse=True)))
    trie = re.compile(trie_pattern(words, separator=r"\s+"))
    for p in range(len(text) + 1):
        assert bool(plain.match(text, p)) == bool(trie.match(text, p))


def english_cue_pattern(word: str, not_after_hyphen: bool = False) -> re.Pattern:
    """The reference: what an English cue matches, as one regex per cue (what the taggers ran
    per sentence before the one-scan finder)."""
    guard = r"(?<![a-z0-9])(?<![a-z0-9]-)" if not_after_hyphen else r"(?<![a-z0-9])"
    return re.compile(guard + r"\s+".join(re.escape(w) for w in word.split()) + r"(?![a-z0-9])")


@settings(max_examples=300, deadline=None)
@given(EN_WORDS, EN_TEXT, st.integers(0, 40), st.integers(0, 40), st.booleans())
@example(["due"], "dues to", 0, 3, False)  # a bounded scan takes a match ending at its bound
@example(["a a"], "a a a a", 0, 7, False)  # matches do not overlap: the second starts at 4
def test_view_english_hits_in_a_range_match_a_bounded_regex_scan(words, text, s, e, hyphen):
    s, e = min(s, len(text)), min(max(s, e), len(text))
    starts = {m.start() for m in re.finditer(r"\S+", text)} | {0}
    hits = CueScanner([([w], "en") for w in words], not_after_hyphen=hyphen).scan(text, lambda a, b: True)
    got = hits.in_range(s, e, starts)
    for i, w in enumerate(words):
        pattern = english_cue_pattern(w, not_after_hyphen=hyphen)
        want = [(m.start(), m.end()) for m in pattern.finditer(text, s, e) if m.start() in starts]
        assert [(a, b) for (k, _), a, b in got if k == i] == want


def test_view_words_try_only_the_words_that_can_start_or_end_there():
    words = Words(["因为", "因", "为了", "as"])
    assert words.starting("因为如此", 0) == ["因为", "因"]
    assert words.ending("以为", 2) == ["因为"]
    assert words.starting("因为", 2) == [] and words.ending("", 0) == []


def test_view_doc_view_holds_what_iterating_the_doc_gives(spine):
    doc = spine("美國宣布加徵關稅。北京隨即表示反制。\n\nThe ministry said it would respond. Markets fell.")
    view = DocView(doc)
    assert view.starts == {t.idx for t in doc}
    assert view.ends == {t.idx + len(t.text) for t in doc}
    assert view.tags == {t.idx: t.tag_ for t in doc if not t.is_space}
    assert all(view.tag_at(t.idx) == t.tag_ for t in doc if not t.is_space)
    assert view.tag_at(len(doc.text) + 1) == "" and all(view.tag_at(t.idx) == "" for t in doc if t.is_space)
    assert view.tokens == [(t.idx, t.idx + len(t.text)) for t in doc if not t.is_space]
    for pos in range(len(doc.text) + 2):
        assert list(view.tokens_from(pos)) == [(a, b) for a, b in view.tokens if a >= pos]
    assert view.sents == [(s.start_char, s.end_char) for s in doc.sents]
    assert len(view.sents) >= 3 and view.is_zh(*view.sents[0]) and not view.is_zh(*view.sents[-1])


def test_view_doc_view_is_made_once_per_doc_and_again_when_its_spans_change(spine):
    doc = spine("  美國宣布加徵關稅。 \n\nThe ministry said it would respond.")
    view = doc_view(doc)
    assert doc_view(doc) is view  # the second tagger reads the first one's view
    assert view.trimmed_sents == [(s.start_char + len(s.text) - len(s.text.lstrip()), s.end_char - len(s.text) + len(s.text.rstrip())) for s in doc.sents if s.text.strip()]
    assert view.mentions == []
    doc.spans["actors"] = [doc.char_span(2, 4, label="GPE", kb_id="gpe:usa")]
    fresh = doc_view(doc)
    assert fresh is not view and fresh.mentions == [(2, 4, "gpe:usa", "GPE")]
    other = spine("  美國宣布加徵關稅。 \n\nThe ministry said it would respond.")
    assert doc_view(other) is not fresh  # never shared across Docs
