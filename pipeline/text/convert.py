"""OpenCC conversion to Simplified with a length-preserving config, asserted.

The Simplified copy has exactly the length of the original, so every offset is valid in both.
Phrase configs (tw2sp, s2twp, ...) change length and are refused here.
"""

from __future__ import annotations

from ..errors import NewsargsError

LENGTH_PRESERVING = ("t2s", "tw2s", "hk2s")


class Converter:
    """Owns one OpenCC converter; `to_simplified(text)` returns a copy of the same length."""

    def __init__(self, config: str = "t2s"):
        if config not in LENGTH_PRESERVING:
            raise NewsargsError("E021", stage="convert", config=config)
        import opencc

        self.config = config
        self._cc = opencc.OpenCC(config)

    def to_simplified(self, text: str) -> str:
        out = self._cc.convert(text)
        if len(out) != len(text):
            out = self._per_char(text)
        if len(out) != len(text):
            raise NewsargsError("E020", stage="convert", config=self.config, before=len(text), after=len(out))
        return out

    def _per_char(self, text: str) -> str:
        # Defensive fallback: if a dictionary entry ever changed the length, convert one
        # character at a time, keeping the character where the conversion is not 1:1.
        chars = []
        for ch in text:
            conv = self._cc.convert(ch)
            chars.append(conv if len(conv) == 1 else ch)
        return "".join(chars)
