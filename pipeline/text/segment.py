"""Segmentation: jieba on the Simplified copy, token lengths laid back onto the original.

jieba segments Traditional text badly (its HMM invents words), so the tokenizer converts to
Simplified with a length-preserving OpenCC config, runs jieba's precise-mode cut on that copy
(with posseg's tags looked up per word: posseg itself costs twice the cut), and cuts the
original text at the same offsets. English documents use
spaCy's rule-based English tokenizer on the same vocab. The Doc text is always the original.
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
HAN_WORD = re.compile("[\u4E00-\u9FD5]+")
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


def whole_word_tag(word: str, states: dict, start_p: dict, trans_p: dict, emit_p: dict) -> str | None:
    """The POS under which posseg's character HMM scores `word` best as one word (B M.. E, or S).

    posseg_viterbi may cut an unknown word into pieces; jieba's precise cut keeps it whole, so
    only the one-word paths are scored. Ties go to the larger tag, as jieba's max does. None when
    no tag can span the word.
    """
    first = "S" if len(word) == 1 else "B"
    best = None
    for b, tag in states.get(word[0], start_p.keys()):
        if b != first:
            continue
        state = (first, tag)
        v = start_p[state] + emit_p[state].get(word[0], MIN_FLOAT)
        for i in range(1, len(word)):
            nxt = ("E" if i == len(word) - 1 else "M", tag)
            tp = trans_p[state].get(nxt)
            if tp is None:
                break
            v += tp + emit_p[nxt].get(word[i], MIN_FLOAT)
            state = nxt
        else:
            if best is None or (v, tag) > best:
                best = (v, tag)
    return None if best is None else best[1]


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


# jieba's Tokenizer.cut patterns (jieba re_han_default, re_skip_default).
CUT_BLOCK = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._%\\-]+)")
CUT_SKIP = re.compile(r"(\r\n|\s)")


def precise_cut(tok, sentence: str) -> Iterator[str]:
    """The words of `tok.cut(sentence, HMM=True)`, the same list, with a tighter route search.

    jieba builds a DAG dict of every word end, then a route dict by `max` over generated
    (score, end) tuples. Here one backward pass scores each dictionary word as it is found,
    with the same float operations in the same order and the same tie-break (the longer word),
    so the route, and the words, are jieba's. Unknown stretches go to jieba's own finalseg HMM.
    """
    from jieba import finalseg

    tok.check_initialized()
    freq, log_total = tok.FREQ, log(tok.total)
    # re.split with a group alternates text between matches (even) and matches (odd), so the
    # parity says what jieba's re_han.match / re_skip.match would.
    for b, blk in enumerate(CUT_BLOCK.split(sentence)):
        if not b % 2:
            for s, x in enumerate(CUT_SKIP.split(blk)):
                if s % 2:
                    yield x
                else:
                    yield from x
            continue
        n = len(blk)
        score = [0.0] * (n + 1)
        nxt = list(range(1, n + 1))  # where the word starting at k ends (exclusive)
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
        run = 0  # start of the current run of one-character route words
        x = 0
        while x < n:
            y = nxt[x]
            if y - x > 1:
                if run < x:
                    yield from _single_run(blk[run:x], freq, finalseg)
                yield blk[x:y]
                run = y
            x = y
        if run < n:
            yield from _single_run(blk[run:], freq, finalseg)


def _single_run(buf: str, freq: dict, finalseg) -> Iterator[str]:
    """jieba's handling of a run of one-character route words: one character is itself, a
    dictionary word is cut into its characters, an unknown run goes to the HMM (finalseg)."""
    if len(buf) == 1 or freq.get(buf):
        return buf
    return finalseg.cut(buf)


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
        self._pos.makesure_userdict_loaded()  # the user words' tags join posseg's tag table
        self._tags = self._pos.word_tag_tab

    def cut(self, simplified: str) -> list[tuple[int, str]]:
        """(length, POS) per token of jieba's precise-mode cut; whitespace runs are one token 'x'.

        The tokens are `Tokenizer.cut(HMM=True)`'s (posseg would double the time). A word of the
        dictionary gets posseg's tag for it; a word only the HMM found gets `unknown_tag`.
        """
        tags, freq = self._tags, self._tok.FREQ
        unknown: dict[str, str] = {}  # this text's unknown words (punctuation repeats a lot)
        out: list[tuple[int, str]] = []
        for word in precise_cut(self._tok, simplified):
            if word.isspace():
                if out and out[-1][1] is None:
                    out[-1] = (out[-1][0] + len(word), None)
                else:
                    out.append((len(word), None))
                continue
            flag = tags.get(word)
            if flag is None:
                if freq.get(word):
                    flag = "x"  # a dictionary word without a tag: posseg says x
                else:
                    flag = unknown.get(word)
                    if flag is None:
                        flag = unknown[word] = self.unknown_tag(word)
            out.append((len(word), flag))
        return [(n, "x" if flag is None else flag) for n, flag in out]

    def unknown_tag(self, word: str) -> str:
        """posseg's tag for a word outside the dictionary, as posseg would tag it alone.

        Han words: the POS under which posseg's character HMM scores the word best as one word
        (`whole_word_tag`: a dozen times cheaper than the full posseg_viterbi, whose first
        piece's tag gave the same outputs on all bench files but for the tags themselves).
        Numbers, Latin and symbols: posseg's detail rules on the word's first piece (25% -> m).
        """
        import jieba.posseg as posseg

        if HAN_WORD.fullmatch(word):
            tag = whole_word_tag(word, posseg.char_state_tab_P, posseg.start_P, posseg.trans_P, posseg.emit_P)
            if tag is not None:
                return tag
            return posseg_viterbi(word, posseg.char_state_tab_P, posseg.start_P, posseg.trans_P, posseg.emit_P)[1][0][1]
        first = next(p for p in DETAIL_PIECES.split(word) if p)
        if NUMBER.match(first):
            return "m"
        return "eng" if LATIN.match(first) else "x"


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
