"""Segmentation: jieba on the Simplified copy, token lengths laid back onto the original.

jieba segments Traditional text badly (its HMM invents words), so the tokenizer converts to
Simplified with a length-preserving OpenCC config, runs jieba's posseg (precise mode with
POS tags; `posseg_cut` gives its very output several times faster) on that copy, and cuts the
original text at the same offsets. English documents use spaCy's rule-based English tokenizer
on the same vocab. The Doc text is always the original.
"""

from __future__ import annotations

import re
from math import log
from pathlib import Path
from typing import Iterable, Iterator

import numpy
from spacy.attrs import TAG
from spacy.tokens import Doc
from spacy.vocab import Vocab

from ..errors import NewsargsError
from .convert import Converter
from .script import ScriptDetector

WHITESPACE = re.compile(r"\s+")
# posseg's patterns for what its character HMM does not tag (jieba.posseg re_han_detail ...).
DETAIL_PIECES = re.compile(r"([\.0-9]+|[a-zA-Z0-9]+)")
NUMBER = re.compile(r"[\.0-9]+")
LATIN = re.compile("[a-zA-Z0-9]+")


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


# jieba.posseg's patterns: blocks it segments (re_han_internal), white space between them
# (re_skip_internal), and inside an unknown stretch the Han runs (re_han_detail).
POS_BLOCK = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._]+)")
POS_SKIP = re.compile(r"(\r\n|\s)")
HAN_RUN = re.compile("([\u4E00-\u9FD5]+)")


def best_route(freq: dict, log_total: float, blk: str) -> list[int]:
    """jieba's maximum-probability route over the dictionary DAG of `blk`: for each start k,
    where the route's word from k ends (exclusive).

    jieba builds a DAG dict of every word end, then a route dict by `max` over generated
    (score, end) tuples (Tokenizer.get_DAG and calc). Here one backward pass scores each
    dictionary word as the prefix scan finds it, with the same float operations in the same
    order and the same tie-break (the longer word), so the route is jieba's.
    """
    n = len(blk)
    score = [0.0] * (n + 1)
    nxt = list(range(1, n + 1))
    for k in range(n - 1, -1, -1):
        best = None
        end = k + 1
        f = freq.get(blk[k])
        while f is not None:  # every prefix of a dictionary word is in FREQ (0 if not a word)
            if f:
                v = log(f) - log_total + score[end]
                if best is None or v >= best:  # >=: ties go to the longer word, as max((v, x))
                    best, nxt[k] = v, end
            if end == n:
                break
            end += 1
            f = freq.get(blk[k:end])
        score[k] = -log_total + score[k + 1] if best is None else best  # no word: the character, freq 1
    return nxt


def posseg_cut(tok, tags: dict, sentence: str) -> Iterator[tuple[str, str]]:
    """(word, POS) pairs of `jieba.posseg.POSTokenizer(tok).cut(sentence, HMM=True)`, the same
    list, several times faster.

    posseg is jieba's precise mode (the dictionary route, as Tokenizer.cut) whose unknown
    stretches go to its character-and-POS HMM. The route comes from `best_route`, the HMM from
    `posseg_viterbi`; every other rule (block patterns, number/Latin/symbol tags, the whole-piece
    Latin test) follows jieba.posseg. `tags` is the POSTokenizer's word tag table.
    """
    tok.check_initialized()
    freq, log_total = tok.FREQ, log(tok.total)
    for b, blk in enumerate(POS_BLOCK.split(sentence)):
        # re.split with a group alternates text between matches (even) and matches (odd), so
        # the parity says what posseg's re_han_internal.match / re_skip_internal.match would.
        if not b % 2:
            for s, x in enumerate(POS_SKIP.split(blk)):
                if s % 2:
                    yield x, "x"
                    continue
                other = "eng" if LATIN.match(x) else "x"  # posseg tests the whole piece here
                for ch in x:
                    yield ch, "m" if NUMBER.match(ch) else other
            continue
        nxt = best_route(freq, log_total, blk)
        n, run, x = len(blk), 0, 0  # run: start of the current stretch of one-character words
        while x < n:
            y = nxt[x]
            if y - x > 1:
                if run < x:
                    yield from _single_run(blk[run:x], freq, tags)
                word = blk[x:y]
                yield word, tags.get(word, "x")
                run = y
            x = y
        if run < n:
            yield from _single_run(blk[run:], freq, tags)


def _single_run(buf: str, freq: dict, tags: dict) -> Iterator[tuple[str, str]]:
    """posseg's handling of a stretch of one-character route words: one character is itself, a
    dictionary word is cut into its characters, an unknown stretch goes to the HMM."""
    if len(buf) == 1:
        yield buf, tags.get(buf, "x")
    elif freq.get(buf):
        for ch in buf:
            yield ch, tags.get(ch, "x")
    else:
        yield from _unknown(buf)


def _unknown(buf: str) -> Iterator[tuple[str, str]]:
    """jieba.posseg's __cut_detail: Han runs through the character HMM, numbers m, Latin eng."""
    import jieba.posseg as posseg

    for h, blk in enumerate(HAN_RUN.split(buf)):
        if h % 2:
            _, route = posseg_viterbi(blk, posseg.char_state_tab_P, posseg.start_P, posseg.trans_P, posseg.emit_P)
            begin, nexti = 0, 0
            for i, (pos, flag) in enumerate(route):
                if pos == "B":
                    begin = i
                elif pos == "E":
                    yield blk[begin : i + 1], flag
                    nexti = i + 1
                elif pos == "S":
                    yield blk[i], flag
                    nexti = i + 1
            if nexti < len(blk):
                yield blk[nexti:], route[nexti][1]
            continue
        for x in DETAIL_PIECES.split(blk):
            if x:
                yield x, "m" if NUMBER.match(x) else "eng" if LATIN.match(x) else "x"


class JiebaSegmenter:
    """Owns one `jieba.Tokenizer` and posseg's tag table for it; never touches jieba's globals."""

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
        pos = jieba.posseg.POSTokenizer(self._tok)
        pos.makesure_userdict_loaded()  # the user words' tags join posseg's tag table
        self._tags = pos.word_tag_tab

    def cut(self, simplified: str) -> list[tuple[int, str]]:
        """(length, POS) per token of jieba posseg's cut; whitespace runs are one token 'x'."""
        out: list[tuple[int, str | None]] = []
        for word, flag in posseg_cut(self._tok, self._tags, simplified):
            if word.isspace():
                if out and out[-1][1] is None:
                    out[-1] = (out[-1][0] + len(word), None)
                else:
                    out.append((len(word), None))
            else:
                out.append((len(word), flag))
        return [(n, "x" if flag is None else flag) for n, flag in out]


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
