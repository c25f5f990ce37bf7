"""Segmentation: jieba on the Simplified copy, cuts laid back onto the original text."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import load_cases
from pipeline import emit, lexicons
from pipeline.errors import NewsargsError
from pipeline.text.convert import Converter
from pipeline.text.segment import JiebaSegmenter, Segmenter, precise_cut

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


# --- precise_cut: jieba's Tokenizer.cut, rewritten for speed, must give the same words --------

# Dictionary words and their prefixes, characters jieba's HMM has to join, and everything
# Tokenizer.cut treats specially (+#&._%- inside blocks, \r\n and white space between them).
CUT_PIECES = [
    "中华人民共和国", "中华", "人民", "共和国", "贸易战", "贸易", "关税", "加征", "稀土", "出口管制", "实体清单",
    "只会", "只", "会", "令", "若", "肯", "这是", "的", "了", "将", "帕斯卡尔", "研究所", "贝森特", "荷姆兹",
    "美國", "對華", "關稅", "F-35", "H20", "5G", "25%", "1.5", "AI", "C++", "C#", "a&b", "x_y", "-", "%", ".",
    " ", "  ", "\n", "\r\n", "\t", "\u3000", "。", "，", "「", "」", "……", "、", "（", "）",
]
CUT_CHARS = "".join(sorted({ch for piece in CUT_PIECES for ch in piece} | set("龘靐齉㐀豈")))


@settings(max_examples=300, deadline=None)
@given(pieces=st.lists(st.one_of(st.sampled_from(CUT_PIECES), st.text(alphabet=CUT_CHARS, min_size=1, max_size=6)), max_size=30))
def test_segment_precise_cut_is_jiebas_cut_on_generated_text(spine_nlp, pieces):
    tok = spine_nlp.tokenizer.jieba._tok
    text = "".join(pieces)
    assert list(precise_cut(tok, text)) == list(tok.cut(text, HMM=True))


def test_segment_precise_cut_is_jiebas_cut_on_the_corpora(spine_nlp):
    from conftest import ROOT

    tok = spine_nlp.tokenizer.jieba._tok
    texts = [p.read_text(encoding="utf-8") for d in ("corpora/samples", "corpora/gold/dev") for p in sorted((ROOT / d).glob("*.txt"))]
    assert texts
    for text in texts:
        for variant in (text, spine_nlp.tokenizer.converter.to_simplified(text)):
            assert list(precise_cut(tok, variant)) == list(tok.cut(variant, HMM=True))


def test_segment_tags_dictionary_words_as_posseg_and_unknown_words_by_its_hmm(spine_nlp):
    import jieba.posseg

    seg = spine_nlp.tokenizer.jieba
    text = "禁令只会令日本企业加快自主研发，关税升至25%。"
    words = list(seg._tok.cut(text, HMM=True))
    assert "只会令" in words  # jieba's HMM joins it; posseg would cut 只|会|令
    tags = dict(zip(words, (flag for _, flag in seg.cut(text))))
    posseg_tags = {p.word: p.flag for p in jieba.posseg.POSTokenizer(seg._tok).cut(text)}
    for word in ("禁令", "日本", "企业", "加快", "研发", "关税"):
        assert tags[word] == posseg_tags[word] == seg._tags[word]
    assert (tags["只会令"], tags["25%"], tags["，"]) == ("l", "m", "x")


def test_segment_precise_cut_breaks_route_ties_as_jieba(tmp_path):
    # 甲|乙丙 and 甲乙|丙 score the same sum (a + b == b + a in floats); jieba's max over
    # (score, end) takes the longer first word.
    import jieba

    (tmp_path / "dict.txt").write_text("甲 10 n\n乙丙 20 n\n甲乙 20 n\n丙 10 n\n丁 5 n\n", encoding="utf-8")
    tok = jieba.Tokenizer(str(tmp_path / "dict.txt"))
    tok.tmp_dir = str(tmp_path)
    for text in ("甲乙丙", "丁甲乙丙丁甲乙丙", "甲乙丙 甲乙丙。"):
        assert list(precise_cut(tok, text)) == list(tok.cut(text, HMM=True))
    assert list(precise_cut(tok, "甲乙丙")) == ["甲乙", "丙"]


def test_segment_whole_word_tag_agrees_with_posseg_where_posseg_keeps_the_word_whole():
    # The one-word paths include posseg's best path whenever that path is one word.
    import random

    from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P

    from pipeline.text.segment import posseg_viterbi, whole_word_tag

    rng = random.Random(7)
    chars = sorted(char_state_tab_P)[:3000]
    whole = 0
    for _ in range(2000):
        word = "".join(rng.choice(chars) for _ in range(rng.randint(1, 4)))
        _, route = posseg_viterbi(word, char_state_tab_P, start_P, trans_P, emit_P)
        if [b for b, _ in route] in (["S"], ["B"] + ["M"] * (len(word) - 2) + ["E"]) and len({t for _, t in route}) == 1:
            whole += 1
            assert whole_word_tag(word, char_state_tab_P, start_P, trans_P, emit_P) == route[0][1], word
    assert whole > 100
