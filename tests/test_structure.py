"""Paragraphs, headings and sentences as character spans on the original text."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import load_cases
from pipeline import emit
from pipeline.text.structure import paragraphs

CASES = load_cases("structure_cases.json")


def sentence_texts(doc) -> list[str]:
    para_starts = [p.start_char for p in doc.spans["paragraphs"]]
    return [doc.text[s["start"] : s["end"]] for s in emit._sentences(doc, para_starts)]


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_structure_cases(spine, case):
    doc = spine(case["input"])
    got = [[p.text, p.label_ == "heading"] for p in doc.spans["paragraphs"]]
    assert got == case["expected"]["paragraphs"]
    assert sentence_texts(doc) == case["expected"]["sentences"]


def test_structure_heading_is_its_own_sentence(spine):
    doc = spine("關稅戰的代價\n美國宣布加徵關稅，北京隨即回應。")
    heading, body = doc.spans["paragraphs"]
    assert heading.label_ == "heading" and body.label_ == "paragraph"
    assert [s.text.strip() for s in doc.sents] == ["關稅戰的代價", "美國宣布加徵關稅，北京隨即回應。"]


def test_structure_paragraph_labels_and_langs(spine):
    doc = spine("美國宣布加徵關稅。\n\n商务部宣布反制。")
    assert [p.label_ for p in doc.spans["paragraphs"]] == ["paragraph", "paragraph"]
    assert doc._.paragraph_langs == ["zh-Hant", "zh-Hans"]


@pytest.mark.parametrize("line, heading", [("# Tariffs", True), ("Tariffs and the truce", True),
                                           ("Tariffs rose.", False), ("關稅戰：誰是贏家", True), ("誰是贏家？", False)])
def test_structure_heading_shape(line, heading):
    text = line + "\n\nBody text here. More body text.\n"
    blocks = paragraphs(text, cjk=not line.isascii())
    assert blocks[0].heading is heading


@pytest.mark.parametrize("text", ["對華", "美國宣布加徵關稅。對華政策轉趨強硬。", "中美關係緊張。"])
def test_structure_sentences_survive_a_token_split(spine, text):
    # Regression: split_at (a tagger cutting 對華 into 對|華) left the new pieces without a
    # sentence-start value; in a one-token article doc.sents then raised "Sentence boundaries
    # unset" and the article failed in the claims stage.
    from pipeline.text.retokenize import split_at

    doc = spine(text)
    before, n_tokens = [s.text for s in doc.sents], len(doc)
    split_at(doc, {i for i in range(1, len(text)) if text[i - 1 : i + 1] in ("對華", "中美")})
    assert len(doc) > n_tokens
    assert [s.text for s in doc.sents] == before
    assert all(tok.is_sent_start is not None for tok in doc)


# --- invariants over random mixed-script text ----------------------------------------------

@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_structure_sentences_lie_inside_paragraphs(spine, mixed_text, data):
    text = data.draw(mixed_text)
    doc = spine(text)
    paras = [(p.start_char, p.end_char) for p in doc.spans["paragraphs"]]
    for (s1, e1), (s2, e2) in zip(paras, paras[1:]):
        assert e1 <= s2  # in order, no overlap
    for s, e in paras:
        assert e > s and text[s:e] == text[s:e].strip()
    sentences = emit._sentences(doc, [s for s, _ in paras])
    for sent in sentences:
        ps, pe = paras[sent["paragraph"]]
        assert ps <= sent["start"] < sent["end"] <= pe
    for a, b in zip(sentences, sentences[1:]):
        assert a["end"] <= b["start"]
    # every non-space character of a paragraph is in exactly one sentence
    covered = sum(sent["end"] - sent["start"] for sent in sentences)
    inside = sum(e - s for s, e in paras)
    assert covered <= inside
    in_sentences = {i for sent in sentences for i in range(sent["start"], sent["end"])}
    for s, e in paras:
        assert all(i in in_sentences for i in range(s, e) if not text[i].isspace())
