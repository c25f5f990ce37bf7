"""Script detection: zh-Hant, zh-Hans, en or mixed, for a document and for each paragraph.

Traditional and Simplified are told apart by asking OpenCC which characters it would change:
a character that t2s changes on its own is Traditional-only, one that s2t changes on its own
(and Big5 cannot write) is Simplified-only. Both sets are worked out once, for every Han code
point, so counting a text's evidence is one table lookup per character.
Latin names and acronyms inside Chinese (IEA, F-35, TikTok) do not make a text mixed; running
English prose (several Latin words in a row) does.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

HAN_CODEPOINTS = ((0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0xF900, 0xFAFF), (0x20000, 0x3134F))
HAN_RANGES = "".join(f"{chr(lo)}-{chr(hi)}" for lo, hi in HAN_CODEPOINTS)
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
    """Counts script evidence with a table marking each Traditional-only (T), Simplified-only (S)
    or both (B) Han character, made from OpenCC's t2s and s2t when the detector is built.

    Counting used to convert every text twice; inside the pipeline, where jieba's tables push
    OpenCC's out of the CPU caches between calls, that was a tenth of the whole run.
    """

    def __init__(self):
        import opencc

        han = [chr(c) for lo, hi in HAN_CODEPOINTS for c in range(lo, hi + 1)]
        trad = {ch for ch, conv in zip(han, _each(opencc.OpenCC("t2s"), han)) if conv != ch}
        # s2t also rewrites characters that Traditional text uses itself (台 -> 臺, 着 -> 著);
        # only a character Big5 cannot write is evidence of Simplified text.
        simp = {ch for ch, conv in zip(han, _each(opencc.OpenCC("s2t"), han)) if conv != ch and not _in_big5(ch)}
        self._marks = str.maketrans({ch: "B" if ch in simp else "T" for ch in trad} | {ch: "S" for ch in simp - trad})

    def counts(self, text: str) -> ScriptCounts:
        han_chars = NOT_HAN.sub("", text)
        marks = han_chars.translate(self._marks)
        both = marks.count("B")
        trad, simp = marks.count("T") + both, marks.count("S") + both
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


def _each(converter, chars: list[str]) -> list[str]:
    """Each character's conversion on its own: one call, with a line break between characters
    (no dictionary phrase holds one, so no phrase spans two of them)."""
    out = converter.convert("\n".join(chars)).split("\n")
    if len(out) != len(chars):
        raise ValueError("OpenCC changed the line breaks between characters")
    return out


def _in_big5(ch: str) -> bool:
    try:
        ch.encode("big5")
    except UnicodeEncodeError:
        return False
    return True
