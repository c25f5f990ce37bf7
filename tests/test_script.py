"""Script detection: zh-Hant, zh-Hans, en, mixed, per document and per paragraph."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline.text.script import ScriptDetector


@pytest.fixture(scope="module")
def detector():
    return ScriptDetector()


@pytest.fixture(scope="module")
def converters():
    import opencc

    return opencc.OpenCC("t2s"), opencc.OpenCC("s2t")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("美國周二宣布對更多中國貨品加徵關稅，北京隨即表示將採取反制措施。", "zh-Hant"),
        ("香港特區政府回應稱，會密切留意事態發展，並與業界保持溝通。", "zh-Hant"),
        ("商务部宣布对部分稀土物项实施出口管制，此举是对美方实体清单的回应。", "zh-Hans"),
        ("The U.S. said on Tuesday that it would keep tariffs on steel and aluminium.", "en"),
        ("美國商務部長在記者會上說：The export controls will stay in place for as long as needed. 此話一出，市場震動。",
         "mixed"),
        ("2025-10-14 12:00", "und"),
        ("。，！？「」", "und"),
    ],
    ids=["hant", "hant-hk", "hans", "en", "mixed", "digits", "punctuation"],
)
def test_script_detects_each_label(detector, text, expected):
    assert detector.detect(text) == expected


@pytest.mark.parametrize(
    "text, expected",
    [
        ("國際能源署（IEA）警告，歐洲天然氣存量偏低，今冬供應仍然緊張。", "zh-Hant"),
        ("美國批准向台灣出售F-35戰機的消息傳出後，北京表示強烈不滿。", "zh-Hant"),
        ("美国国会再次要求TikTok剥离中国业务，字节跳动表示将诉诸法律。", "zh-Hans"),
        ("台積電(TSMC)與NVIDIA、AMD合作，推動AI晶片在台灣生產。", "zh-Hant"),
        ("WTO裁定美方措施違規，USTR表示不會接受。", "zh-Hant"),
    ],
    ids=["IEA", "F-35", "TikTok", "several-names", "acronyms"],
)
def test_script_latin_names_inside_chinese_are_not_mixed(detector, text, expected):
    assert detector.detect(text) == expected


@pytest.mark.parametrize("text", ["台灣的下一步", "台北的回應", "台灣", "台海緊張局勢升溫"])
def test_script_tai_does_not_make_traditional_text_simplified(detector, text):
    # Regression: 台 (which s2t writes 臺) counted as a Simplified-only character, so a short
    # Traditional heading about Taiwan came out zh-Hans (a tie, or Simplified ahead).
    assert detector.detect(text) == "zh-Hant"


@pytest.mark.parametrize("text", ["台湾的下一步", "台海紧张局势升温"])
def test_script_tai_in_simplified_text_stays_simplified(detector, text):
    assert detector.detect(text) == "zh-Hans"


def test_script_detect_document_mixes_chinese_and_english_paragraphs(detector):
    paragraphs = ["美國商務部周二宣布，將更多中國企業列入實體清單。",
                  "The Commerce Department said on Tuesday that it would add more firms to the list."]
    doc, labels = detector.detect_document(paragraphs)
    assert labels == ["zh-Hant", "en"]
    assert doc == "mixed"


def test_script_detect_document_single_script(detector):
    doc, labels = detector.detect_document(["美國宣布加徵關稅。", "北京隨即回應，表示將採取反制措施。"])
    assert (doc, labels) == ("zh-Hant", ["zh-Hant", "zh-Hant"])


def test_script_doc_and_paragraph_langs_on_the_doc(spine):
    text = "關稅戰的代價\n\n美國周二宣布加徵關稅，北京隨即回應。\n\nThe White House said the tariffs would stay in place for now."
    doc = spine(text)
    assert doc._.lang == "mixed"
    assert doc._.paragraph_langs == ["zh-Hant", "zh-Hant", "en"]


@pytest.mark.parametrize(
    "text, lang",
    [("美國周二宣布加徵關稅。", "zh-Hant"), ("商务部宣布实施出口管制。", "zh-Hans"),
     ("The U.S. raised tariffs.", "en")],
)
def test_script_lang_reaches_the_doc(spine, text, lang):
    doc = spine(text)
    assert doc._.lang == lang
    assert doc._.paragraph_langs == [lang]


def _reference_counts(text, t2s, s2t):
    """counts() spelled out: each Han character converted on its own by OpenCC, Big5 asked one by one."""
    import re

    from pipeline.text.script import HAN_RANGES, LATIN_PROSE, LATIN_WORD, ScriptCounts

    def in_big5(ch):
        try:
            ch.encode("big5")
        except UnicodeEncodeError:
            return False
        return True

    han = re.findall(f"[{HAN_RANGES}]", text)
    trad = sum(1 for ch in han if t2s.convert(ch) != ch)
    simp = sum(1 for ch in han if s2t.convert(ch) != ch and not in_big5(ch))
    latin = sum(len(m) for m in LATIN_WORD.findall(text))
    prose = sum(sum(len(w) for w in LATIN_WORD.findall(m.group())) for m in LATIN_PROSE.finditer(text))
    return ScriptCounts(len(han), trad, simp, latin, prose)


# Traditional-only, Simplified-only, shared, s2t-changed but Big5 (台 着), Big5-less HK and
# extension characters, compatibility ideographs, Latin, digits, punctuation and white space.
SCRIPT_CHARS = "美國关税關稅台臺着著这們们干乾幹发髮發嘅㗎𠝹𡃁豈更車中文香港，。「」 \nTheUSa-z'0"


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=SCRIPT_CHARS, max_size=60))
def test_script_counts_match_the_character_by_character_count(detector, converters, text):
    assert detector.counts(text) == _reference_counts(text, *converters)
