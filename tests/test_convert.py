"""Conversion: OpenCC to Simplified with a length-preserving config, length asserted."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import load_cases
from pipeline.errors import NewsargsError
from pipeline.text.convert import LENGTH_PRESERVING, Converter

CASES = load_cases("conversion_cases.json")


@pytest.fixture(scope="module")
def converters():
    return {config: Converter(config) for config in LENGTH_PRESERVING}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_convert_cases(converters, case):
    out = converters[case.get("config", "t2s")].to_simplified(case["input"])
    assert out == case["expected"]
    assert len(out) == len(case["input"])


def test_convert_default_config_is_t2s():
    assert Converter().config == "t2s"


@pytest.mark.parametrize("config", ["tw2sp", "s2twp", "s2t", "nonsense"])
def test_convert_refuses_other_configs(config):
    with pytest.raises(NewsargsError) as err:
        Converter(config)
    assert err.value.code == "E021"


class _LengthChangingCC:
    """Stands in for an OpenCC dictionary with a phrase entry that changes the length."""

    def __init__(self, per_char_too: bool):
        self.per_char_too = per_char_too

    def convert(self, text: str) -> str:
        if len(text) > 1:
            return text.replace("美國", "美利坚合众国").replace("關", "关")
        if self.per_char_too and text == "國":
            return "国家"
        return {"美": "美", "國": "国", "關": "关"}.get(text, text)


def test_convert_falls_back_to_one_character_at_a_time_when_a_phrase_changes_length():
    conv = Converter("t2s")
    conv._cc = _LengthChangingCC(per_char_too=False)
    assert conv.to_simplified("美國關稅") == "美国关稅"


def test_convert_keeps_a_character_whose_own_conversion_changes_length():
    conv = Converter("t2s")
    conv._cc = _LengthChangingCC(per_char_too=True)
    out = conv.to_simplified("美國關稅")
    assert len(out) == 4 and out == "美國关稅"


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_convert_simplified_has_the_length_of_the_text(converters, mixed_text, data):
    text = data.draw(mixed_text)
    for conv in converters.values():
        out = conv.to_simplified(text)
        assert len(out) == len(text)
        # white space and line breaks stay where they are, so paragraph offsets carry over
        assert [i for i, ch in enumerate(out) if ch.isspace()] == [i for i, ch in enumerate(text) if ch.isspace()]
