"""Script detection: zh-Hant, zh-Hans, en or mixed, for a document and for each paragraph.

Traditional and Simplified are told apart by asking OpenCC which characters it would change:
a character that t2s changes is Traditional-only, one that s2t changes is Simplified-only.
Latin names and acronyms inside Chinese (IEA, F-35, TikTok) do not make a text mixed; running
English prose (several Latin words in a row) does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy

HAN_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"
NOT_HAN = re.compile(f"[^{HAN_RANGES}]+")
LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z'’\-]*")
# A run of at least four Latin words separated only by spaces and light punctuation is prose.
LATIN_PROSE = re.compile(r"[A-Za-z][A-Za-z'’\-]*(?:[ ,;:]+[A-Za-z][A-Za-z'’\-]*){3,}")

MIXED_SHARE = 0.3


@dataclass(frozen=True)
class ScriptCounts:
    han: int
    trad: int
    simp: int
    latin_letters: int
    prose_letters: int

    @property
    def script(self) -> str:
        """The label for a text with these counts."""
        if self.han == 0:
            return "en" if self.latin_letters else "und"
        if self.prose_letters > MIXED_SHARE * (self.han + self.prose_letters):
            return "mixed"
        return "zh-Hant" if self.trad > self.simp else "zh-Hans"


class ScriptDetector:
    """Counts script evidence with two OpenCC converters it owns (t2s and s2t)."""

    def __init__(self):
        import opencc

        self._t2s = opencc.OpenCC("t2s")
        self._s2t = opencc.OpenCC("s2t")

    def counts(self, text: str) -> ScriptCounts:
        han_chars = NOT_HAN.sub("", text)
        trad = len(_changed(han_chars, self._t2s.convert(han_chars)))
        # s2t also rewrites characters that Traditional text uses itself (台 -> 臺, 着 -> 著);
        # only a character Big5 cannot write is evidence of Simplified text.
        simp = _not_big5(_changed(han_chars, self._s2t.convert(han_chars)))
        latin = sum(len(m) for m in LATIN_WORD.findall(text))
        prose = sum(
            sum(len(w) for w in LATIN_WORD.findall(m.group())) for m in LATIN_PROSE.finditer(text)
        )
        return ScriptCounts(len(han_chars), trad, simp, latin, prose)

    def detect(self, text: str) -> str:
        """zh-Hant | zh-Hans | en | mixed (und for text with neither Han nor Latin letters)."""
        return self.counts(text).script

    def detect_document(self, paragraphs: list[str]) -> tuple[str, list[str]]:
        """The document label and one label per paragraph.

        A document whose paragraphs are partly Chinese and partly English prose is mixed even
        when each paragraph alone is not.
        """
        labels = [self.detect(p) for p in paragraphs]
        doc = self.detect("\n".join(paragraphs))
        found = {label for label in labels if label != "und"}
        if doc != "mixed" and "en" in found and found & {"zh-Hant", "zh-Hans"}:
            total = self.counts("\n".join(paragraphs))
            en_letters = sum(
                self.counts(p).latin_letters for p, lab in zip(paragraphs, labels) if lab == "en"
            )
            if en_letters > MIXED_SHARE * (total.han + en_letters):
                doc = "mixed"
        return doc, labels


def _changed(before: str, after: str) -> str:
    """The characters of `before` that a conversion changed (phrase conversions may change
    length: then those that are nowhere in `after`).

    Equal lengths are compared position by position as code point arrays: a Python loop over
    every character cost more than the conversion itself.
    """
    if len(before) != len(after):
        return "".join(ch for ch in before if ch not in after)
    old = numpy.frombuffer(before.encode("utf-32-le"), dtype=numpy.uint32)
    new = numpy.frombuffer(after.encode("utf-32-le"), dtype=numpy.uint32)
    return old[old != new].tobytes().decode("utf-32-le")


def _not_big5(han: str) -> int:
    """How many of the Han characters `han` Big5 cannot write (Big5 writes a Han character in
    two bytes, so the encodable ones are half the bytes of an encoding that drops the rest)."""
    return len(han) - len(han.encode("big5", "ignore")) // 2
