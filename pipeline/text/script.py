"""Script detection: zh-Hant, zh-Hans, en or mixed, for a document and for each paragraph.

Traditional and Simplified are told apart by asking OpenCC which characters it would change:
a character that t2s changes is Traditional-only, one that s2t changes is Simplified-only.
Latin names and acronyms inside Chinese (IEA, F-35, TikTok) do not make a text mixed; running
English prose (several Latin words in a row) does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
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
        han_chars = "".join(HAN.findall(text))
        trad = _changed(han_chars, self._t2s.convert(han_chars))
        # s2t also rewrites characters that Traditional text uses itself (台 -> 臺, 着 -> 著);
        # only a character Big5 cannot write is evidence of Simplified text.
        simp = _changed(han_chars, self._s2t.convert(han_chars), keep=_in_big5)
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


def _changed(before: str, after: str, keep=lambda ch: False) -> int:
    """How many characters a conversion changed (phrase conversions may change length),
    not counting those for which `keep(ch)` is true."""
    if len(before) != len(after):
        return sum(1 for ch in before if ch not in after and not keep(ch))
    return sum(1 for a, b in zip(before, after) if a != b and not keep(a))


def _in_big5(ch: str) -> bool:
    try:
        ch.encode("big5")
    except UnicodeEncodeError:
        return False
    return True
