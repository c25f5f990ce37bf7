"""Segmentation: jieba on the Simplified copy, cuts laid back onto the original text."""

from __future__ import annotations

import functools

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import load_cases
from pipeline import emit, lexicons
from pipeline.errors import NewsargsError
from pipeline.text.convert import Converter
from pipeline.text.segment import JiebaSegmenter, Segmenter, best_route, posseg_cut

CASES = load_cases("segmentation_cases.json")


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_segment_cases(spine_nlp, case):
    doc = spine_nlp.make_doc(case["input"])
    assert [t.text for t in doc] == case["expected"]
    assert doc.text == case["input"]


ZH_CASES = [c for c in CASES if c["id"].startswith("userdict")]


@pytest.mark.parametrize("case", ZH_CASES, ids=[c["id"] for c in ZH_CASES])
def test_segment_traditional_is_cut_where_its_simplified_copy_is_cut(spine_nlp, case):
    trad = spine_nlp.make_doc(case["input"])
    simp = spine_nlp.make_doc(trad._.simplified)
    assert [len(t) for t in trad] == [len(t) for t in simp]
    assert [t.tag_ for t in trad] == [t.tag_ for t in simp]
    assert [t._.simp for t in trad] == [t.text for t in simp]


def test_segment_pos_comes_from_jieba_on_chinese_and_is_empty_on_english(spine_nlp):
    doc = spine_nlp.make_doc("美國將更多企業列入實體清單 Zorblax")
    tags = {t.text: t.tag_ for t in doc}
    assert tags["實體清單"] == "n"       # the project dictionary's tag
    assert tags["列入"] == "v"
    assert tags[" "] == "x"
    assert tags["Zorblax"] == "eng"  # a Latin word no dictionary knows
    english = spine_nlp.make_doc("The U.S. raised tariffs.")
    assert all(t.tag_ == "" for t in english)


def test_segment_doc_text_is_the_docs_text_after_splits_and_on_english(spine_nlp):
    from pipeline.text.offsets import doc_text
    from pipeline.text.retokenize import split_at

    for text in ("美國將更多企業列入實體清單。\n\n北京回應。", "The U.S. raised tariffs.  Again.\n", "  "):
        doc = spine_nlp.make_doc(text)
        assert doc_text(doc) == doc.text == text
        split_at(doc, set(range(len(text))))
        assert doc_text(doc) == doc.text == text


def test_segment_doc_text_falls_back_when_the_kept_text_does_not_fit(spine_nlp):
    from spacy.tokens import Doc

    from pipeline.text.offsets import doc_text, keep_text

    assert doc_text(Doc(spine_nlp.vocab, words=["美國", "加稅"], spaces=[False, False])) == "美國加稅"
    doc = keep_text(Doc(spine_nlp.vocab, words=["美國", "加稅"], spaces=[False, False]), "美國加稅了")
    assert doc_text(doc) == "美國加稅"


def test_segment_sets_lang_and_simplified(spine_nlp):
    trad = spine_nlp.make_doc("美國對華加徵關稅。")
    assert (trad._.lang, trad._.simplified) == ("zh-Hant", "美国对华加征关税。")
    simp = spine_nlp.make_doc("美国对华加征关税。")
    assert (simp._.lang, simp._.simplified) == ("zh-Hans", "美国对华加征关税。")
    eng = spine_nlp.make_doc("Tariffs rise.")
    assert (eng._.lang, eng._.simplified) == ("en", None)
    assert [t._.simp for t in eng] == [t.text for t in eng]
    und = spine_nlp.make_doc("2025。")
    assert (und._.lang, und._.simplified, und.text) == ("und", None, "2025。")


@pytest.fixture(scope="module")
def registry_segmenter(spine_nlp, tmp_path_factory):
    """A segmenter fed by a small hand-made registry (made-up names) and the hk2s converter."""
    folder = tmp_path_factory.mktemp("models") / "actors"
    folder.mkdir()
    entries = [
        {"id": "org:east-asia-trade-institute", "type": "ORG",
         "name": {"en": "East Asia Trade Institute", "zh-Hant": "東亞貿易研究院", "zh-Hans": "东亚贸易研究院"},
         "aliases": {"zh": ["東亞貿研所"]}},
        {"id": "person:situ-bowen", "type": "PERSON",
         "name": {"en": "Situ Bowen", "zh-Hant": "司徒博文", "zh-Hans": "司徒博文"}},
    ]
    (folder / "test.yaml").write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    converter = Converter("hk2s")
    words = lexicons.registry_words(lexicons.load_registry(folder), converter.to_simplified)
    jseg = JiebaSegmenter(lexicons.cache_dir() / "jieba", words)
    return Segmenter(spine_nlp.vocab, converter, jseg)


@pytest.mark.parametrize(
    "text, name, tag",
    [("東亞貿易研究院周二發表報告", "東亞貿易研究院", "nt"), ("东亚贸易研究院周二发表报告", "东亚贸易研究院", "nt"),
     ("據東亞貿研所估計，關稅將推高物價", "東亞貿研所", "nt"), ("司徒博文認為，衞生署應及早準備", "司徒博文", "nr")],
)
def test_segment_registry_name_is_one_token(registry_segmenter, text, name, tag):
    doc = registry_segmenter(text)
    assert name in [t.text for t in doc]
    assert {t.text: t.tag_ for t in doc}[name] == tag


def test_segment_uses_the_configured_converter(registry_segmenter):
    doc = registry_segmenter("司徒博文認為，衞生署應及早準備")
    assert doc._.simplified == "司徒博文认为，卫生署应及早准备"  # hk2s, not t2s (which keeps 衞)


def test_segment_does_not_touch_the_global_jieba(registry_segmenter):
    import jieba

    assert not jieba.dt.initialized or "东亚贸易研究院" not in jieba.dt.FREQ


def test_segment_lost_text_is_an_error(spine_nlp):
    class Lossy:
        def cut(self, simplified):
            return [(1, "n")] * (len(simplified) - 1)

    seg = Segmenter(spine_nlp.vocab, Converter("t2s"), Lossy())
    with pytest.raises(NewsargsError) as err:
        seg("美國關稅")
    assert (err.value.code, err.value.stage) == ("E030", "segment")


# --- offset invariants over random mixed-script text ----------------------------------------

@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_segment_offset_invariants(spine_nlp, mixed_text, data):
    text = data.draw(mixed_text)
    doc = spine_nlp.make_doc(text)
    assert doc.text == text
    if doc._.simplified is not None:
        assert len(doc._.simplified) == len(text)
    # tokens (and the white space spaCy keeps after English tokens) tile the text
    tokens = emit._tokens(doc)
    assert tokens[0]["start"] == 0 and tokens[-1]["end"] == len(text)
    for a, b in zip(tokens, tokens[1:]):
        assert a["end"] == b["start"]
    for t in tokens:
        assert t["end"] > t["start"]
    for tok in doc:
        assert text[tok.idx : tok.idx + len(tok.text)] == tok.text
        assert len(tok._.simp) == len(tok.text)
        assert tok.is_space == tok.text.isspace()


# --- posseg_cut: jieba's posseg, rewritten for speed, must give the same words and tags ------

# Dictionary words and their prefixes, characters jieba's HMM has to join, and everything posseg
# treats specially (+#&._ inside blocks, %- outside, \r\n and white space, numbers, Latin).
CUT_PIECES = [
    "中华人民共和国", "中华", "人民", "共和国", "贸易战", "贸易", "关税", "加征", "稀土", "出口管制", "实体清单",
    "只会", "只", "会", "令", "若", "肯", "这是", "的", "了", "将", "帕斯卡尔", "研究所", "贝森特", "荷姆兹",
    "美國", "對華", "關稅", "F-35", "H20", "5G", "25%", "1.5", "AI", "C++", "C#", "a&b", "x_y", "-", "%", ".",
    " ", "  ", "\n", "\r\n", "\t", "\u3000", "。", "，", "「", "」", "……", "、", "（", "）",
]
CUT_CHARS = "".join(sorted({ch for piece in CUT_PIECES for ch in piece} | set("龘靐齉㐀豈")))


@functools.lru_cache(maxsize=None)  # POSTokenizer reads jieba's dictionary file: once per segmenter
def jieba_posseg(seg: JiebaSegmenter):
    import jieba.posseg

    plain = jieba.posseg.POSTokenizer(seg._tok)
    plain.word_tag_tab = dict(seg._tags)  # with the user words' tags, as the segmenter loaded them
    return lambda text: [(p.word, p.flag) for p in plain.cut(text, HMM=True)]


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.one_of(st.sampled_from(CUT_PIECES), st.text(alphabet=CUT_CHARS, min_size=1, max_size=6)), max_size=30))
def test_segment_posseg_cut_is_jiebas_posseg_on_generated_text(spine_nlp, pieces):
    seg = spine_nlp.tokenizer.jieba
    text = "".join(pieces)
    assert list(posseg_cut(seg._tok, seg._tags, seg._hmm, text)) == jieba_posseg(seg)(text)


def test_segment_posseg_cut_is_jiebas_posseg_on_the_corpora(spine_nlp):
    from conftest import ROOT

    seg = spine_nlp.tokenizer.jieba
    reference = jieba_posseg(seg)
    texts = [p.read_text(encoding="utf-8") for d in ("corpora/samples", "corpora/gold/dev") for p in sorted((ROOT / d).glob("*.txt"))]
    assert texts
    for text in texts:
        for variant in (text, spine_nlp.tokenizer.converter.to_simplified(text)):
            assert list(posseg_cut(seg._tok, seg._tags, seg._hmm, variant)) == reference(variant)


def test_segment_best_route_breaks_ties_as_jieba(tmp_path):
    # 甲|乙丙 and 甲乙|丙 score the same sum (a + b == b + a in floats); jieba's max over
    # (score, end) takes the longer first word.
    from math import log

    import jieba

    (tmp_path / "dict.txt").write_text("甲 10 n\n乙丙 20 n\n甲乙 20 n\n丙 10 n\n丁 5 n\n", encoding="utf-8")
    tok = jieba.Tokenizer(str(tmp_path / "dict.txt"))
    tok.tmp_dir = str(tmp_path)
    for text in ("甲乙丙", "丁甲乙丙丁甲乙丙"):
        route: dict = {}
        tok.calc(text, tok.get_DAG(text), route)
        assert best_route(tok.FREQ, log(tok.total), text) == [route[k][1] + 1 for k in range(len(text))]
    assert best_route(tok.FREQ, log(tok.total), "甲乙丙")[0] == 2


def test_segment_tag_table_is_posseg_table_with_user_words(tmp_path):
    # The table is copied from jieba.posseg's global tokenizer (same dictionary file) instead of
    # read again; it must equal what a POSTokenizer of this very tokenizer loads.
    import jieba.posseg

    seg = JiebaSegmenter(tmp_path, [("帕斯卡尔研究所", 50, "nt"), ("的", None, "zz")])
    pos = jieba.posseg.POSTokenizer(jieba.Tokenizer())
    pos.tokenizer.tmp_dir = str(tmp_path)
    pos.tokenizer.add_word("帕斯卡尔研究所", 50, "nt")
    pos.tokenizer.add_word("的", None, "zz")
    pos.makesure_userdict_loaded()
    assert seg._tags == pos.word_tag_tab
    assert (seg._tags["帕斯卡尔研究所"], seg._tags["的"]) == ("nt", "zz")
