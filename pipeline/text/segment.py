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

import numpy
from spacy.attrs import TAG
from spacy.tokens import Doc
from spacy.vocab import Vocab

from ..errors import NewsargsError
from .convert import Converter
from .script import ScriptDetector

WHITESPACE = re.compile(r"\s+")


MIN_FLOAT = -3.14e100  # jieba.posseg.viterbi's floor for an unseen emission


def posseg_viterbi(obs: str, states: dict, start_p: dict, trans_p: dict, emit_p: dict) -> tuple[float, list]:
    """jieba.posseg.viterbi, same result (same sums, same tie-break), 2.5 to 4 times faster.

    jieba scores every (state, previous state) pair and adds -inf for the missing transitions;
    those candidates can never win against a finite one, so only the transitions that exist are
    scored. Ties go to the larger previous state, as jieba's max over (score, state) tuples does.
    """
    all_states = trans_p.keys()
    V = {y: start_p[y] + emit_p[y].get(obs[0], MIN_FLOAT) for y in states.get(obs[0], all_states)}
    mem_path = [dict.fromkeys(V, "")]
    for t in range(1, len(obs)):
        ch = obs[t]
        prev = [(x, V[x], trans_p[x]) for x in V if trans_p[x]]
        expect: set = set()
        for _, _, trans in prev:
            expect.update(trans)
        obs_states = expect.intersection(states.get(ch, all_states))
        if not obs_states:
            obs_states = expect if expect else all_states
        V, mem = {}, {}
        for y in obs_states:
            emit = emit_p[y].get(ch, MIN_FLOAT)
            best_v = best_y = None
            for y0, v0, trans in prev:
                tp = trans.get(y)
                if tp is None:
                    continue
                v = v0 + tp + emit
                if best_y is None or v > best_v or (v == best_v and y0 > best_y):
                    best_v, best_y = v, y0
            if best_y is None:  # no transition into y: jieba's own formula
                best_v, best_y = max((v0 + trans.get(y, float("-inf")) + emit, y0) for y0, v0, trans in prev)
            V[y] = best_v
            mem[y] = best_y
        mem_path.append(mem)
    prob, state = max((v, y) for y, v in V.items())
    route = [None] * len(obs)
    for i in range(len(obs) - 1, -1, -1):
        route[i] = state
        state = mem_path[i][state]
    return prob, route


def _pos_tokenizer_class():
    """jieba's POSTokenizer with its HMM step (the bulk of posseg's time) on `posseg_viterbi`."""
    import jieba.posseg as posseg

    class POSTokenizer(posseg.POSTokenizer):
        def _POSTokenizer__cut(self, sentence):  # overrides the name-mangled POSTokenizer.__cut
            prob, pos_list = posseg_viterbi(sentence, posseg.char_state_tab_P, posseg.start_P, posseg.trans_P, posseg.emit_P)
            begin, nexti = 0, 0
            for i, char in enumerate(sentence):
                pos = pos_list[i][0]
                if pos == "B":
                    begin = i
                elif pos == "E":
                    yield posseg.pair(sentence[begin : i + 1], pos_list[i][1])
                    nexti = i + 1
                elif pos == "S":
                    yield posseg.pair(char, pos_list[i][1])
                    nexti = i + 1
            if nexti < len(sentence):
                yield posseg.pair(sentence[nexti:], pos_list[nexti][1])

    return POSTokenizer


class JiebaSegmenter:
    """Owns one `jieba.Tokenizer` and its posseg wrapper; never touches jieba's global tokenizer."""

    def __init__(self, cache_dir: Path | None = None, words: Iterable[tuple[str, int | None, str | None]] = ()):
        import logging

        import jieba

        # jieba logs cache building at DEBUG on its own logger; the CLI owns the terminal.
        logging.getLogger("jieba").setLevel(logging.WARNING)

        self._tok = jieba.Tokenizer()
        if cache_dir is not None:
            cache_dir.mkdir(parents=True, exist_ok=True)
            self._tok.tmp_dir = str(cache_dir)
        self._tok.initialize()
        for word, freq, tag in words:
            self._tok.add_word(word, freq, tag)
        self._pos = _pos_tokenizer_class()(self._tok)

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
        words, start = [], 0
        for length, _ in pieces:
            words.append(text[start : start + length])
            start += length
        if start != len(text) or "".join(words) != text:
            raise NewsargsError("E030", stage="segment", where=f"covered {start} of {len(text)} characters")
        doc = Doc(self.vocab, words=words, spaces=[False] * len(words))
        if pieces:
            # One TAG column write; Doc(tags=...) interns and sets every tag one by one.
            ids = {flag: self.vocab.strings.add(flag) for flag in {flag for _, flag in pieces}}
            doc.from_array([TAG], numpy.array([ids[flag] for _, flag in pieces], dtype=numpy.uint64))
        return doc

    # spaCy calls these when a pipeline is saved or loaded; the segmenter is rebuilt from config.
    def to_bytes(self, **kwargs) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "Segmenter":
        return self

    def to_disk(self, path, **kwargs) -> None:
        Path(path).mkdir(parents=True, exist_ok=True)

    def from_disk(self, path, **kwargs) -> "Segmenter":
        return self
