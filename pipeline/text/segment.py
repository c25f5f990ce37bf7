"""Segmentation: jieba on the Simplified copy, token lengths laid back onto the original.

jieba segments Traditional text badly (its HMM invents words) and its posseg is far slower
there, so the tokenizer converts to Simplified with a length-preserving OpenCC config, runs
posseg on that copy, and cuts the original text at the same offsets. English documents use
spaCy's rule-based English tokenizer on the same vocab. The Doc text is always the original.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Iterable

from spacy.tokens import Doc
from spacy.vocab import Vocab

from ..errors import NewsargsError
from .convert import Converter
from .script import ScriptDetector

WHITESPACE = re.compile(r"\s+")


class JiebaSegmenter:
    """Owns one `jieba.Tokenizer` and its posseg wrapper; never touches jieba's global tokenizer."""

    def __init__(self, cache_dir: Path | None = None, words: Iterable[tuple[str, int | None, str | None]] = ()):
        import logging

        import jieba
        import jieba.posseg

        # jieba logs cache building at DEBUG on its own logger; the CLI owns the terminal.
        logging.getLogger("jieba").setLevel(logging.WARNING)

        self._tok = jieba.Tokenizer()
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            self._tok.tmp_dir = str(cache_dir)
        self._tok.initialize()
        for word, freq, tag in words:
            self._tok.add_word(word, freq, tag)
        self._pos = jieba.posseg.POSTokenizer(self._tok)

    def cut(self, simplified: str) -> list[tuple[int, str]]:
        """(length, POS) per token of the Simplified text; whitespace runs are one token 'x'."""
        out: list[tuple[int, str]] = []
        for word, flag in self._pos.cut(simplified, HMM=True):
            if word.isspace() and out and out[-1][1] == "_space":
                out[-1] = (out[-1][0] + len(word), "_space")
            else:
                out.append((len(word), "_space" if word.isspace() else flag))
        return [(n, "x" if flag == "_space" else flag) for n, flag in out]


class Segmenter:
    """The spaCy tokenizer of newsargs: text -> Doc with `doc._.lang` and `doc._.simplified` set."""

    def __init__(self, vocab: Vocab, converter: Converter, jieba_segmenter: JiebaSegmenter):
        import spacy

        self.vocab = vocab
        self.converter = converter
        self.detector = ScriptDetector()
        self.jieba = jieba_segmenter
        self._english = spacy.blank("en").tokenizer

    def __call__(self, text: str) -> Doc:
        lang = self.detector.detect(text)
        if lang in ("en", "und"):
            doc = self.english(text)
            doc._.lang = "en" if lang == "en" else "und"
            doc._.simplified = None
            return doc
        simplified = self.converter.to_simplified(text)
        doc = self.segment(text, simplified)
        doc._.lang = lang
        doc._.simplified = simplified
        return doc

    def english(self, text: str) -> Doc:
        """spaCy's rule-based English tokenization, rebuilt on this pipeline's vocab."""
        eng = self._english(text)
        return Doc(self.vocab, words=[t.text for t in eng], spaces=[bool(t.whitespace_) for t in eng])

    def segment(self, text: str, simplified: str) -> Doc:
        """Cut `text` where jieba cuts `simplified` (same length); POS goes to `token.tag_`."""
        pieces = self.jieba.cut(simplified)
        words, tags, start = [], [], 0
        for length, flag in pieces:
            words.append(text[start : start + length])
            tags.append(flag)
            start += length
        if start != len(text) or "".join(words) != text:
            raise NewsargsError("E030", stage="segment", where=f"covered {start} of {len(text)} characters")
        return Doc(self.vocab, words=words, spaces=[False] * len(words), tags=tags)

    # spaCy calls these when a pipeline is saved or loaded; the segmenter is rebuilt from config.
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "Segmenter":
        return self

    def to_disk(self, path, **kwargs) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path, **kwargs) -> "Segmenter":
        return self
