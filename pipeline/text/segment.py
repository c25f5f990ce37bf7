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
from .offsets import keep_text
from .script import ScriptDetector

# posseg's patterns for what its character HMM does not tag (jieba.posseg re_han_detail ...).
DETAIL_PIECES = re.compile(r"([\.0-9]+|[a-zA-Z0-9]+)")
NUMBER = re.compile(r"[\.0-9]+")
LATIN = re.compile("[a-zA-Z0-9]+")


MIN_FLOAT = -3.14e100  # jieba.posseg.viterbi's floor for an unseen emission


class PossegHMM:
    """jieba.posseg's character-and-POS HMM on numpy tables; `viterbi` gives
    jieba.posseg.viterbi's very result (route and score) about four times faster.

    jieba scores every (state, previous state) pair in Python, adding -inf for a missing
    transition. Here one step is a matrix of the same float64 sums, (V + transition) + emission,
    with -inf where there is no transition. States are numbered in descending order, so argmax
    (the first of equal maxima) takes the larger state, as jieba's max over (score, state) does.
    """

    def __init__(self, states: dict, start_p: dict, trans_p: dict, emit_p: dict):
        names = sorted(trans_p, reverse=True)
        index = {y: i for i, y in enumerate(names)}
        self.names = names
        self.start = numpy.array([start_p[y] for y in names])
        self.trans = numpy.full((len(names), len(names)), float("-inf"))
        self.follows = numpy.zeros((len(names), len(names)), dtype=bool)
        for x, row in trans_p.items():
            for y, p in row.items():
                self.trans[index[x], index[y]] = p
                self.follows[index[x], index[y]] = True
        self.emit = [emit_p[y] for y in names]
        self.every = numpy.arange(len(names))
        # A character's possible states (ascending index) with their emissions, ready for a step.
        self.char_states = {}
        for ch, ys in states.items():
            idx = numpy.array(sorted(index[y] for y in ys), dtype=numpy.intp)
            self.char_states[ch] = (idx, self._emission(ch, idx))

    @classmethod
    def jieba(cls) -> "PossegHMM":
        """The model jieba.posseg ships."""
        import jieba.posseg as posseg

        return cls(posseg.char_state_tab_P, posseg.start_P, posseg.trans_P, posseg.emit_P)

    def _emission(self, ch: str, idx) -> numpy.ndarray:
        return numpy.array([self.emit[i].get(ch, MIN_FLOAT) for i in idx.tolist()])

    def viterbi(self, obs: str) -> tuple[float, list]:
        """(score, route of (position, tag) states) of `obs`, as jieba.posseg.viterbi."""
        ch = obs[0]
        cur, emit = self.char_states[ch] if ch in self.char_states else (self.every, self._emission(ch, self.every))
        scores = self.start[cur] + emit
        path = []
        for ch in obs[1:]:
            prev = cur
            expect = self.follows[prev].any(axis=0)
            cur = ()
            if ch in self.char_states:
                cand, emit = self.char_states[ch]
                keep = expect[cand]
                cur, emit = cand[keep], emit[keep]
            if not len(cur):  # jieba: the states that can follow, whatever the character
                cur = numpy.flatnonzero(expect)
                if not len(cur):
                    raise ValueError(f"no posseg state can follow in {obs!r}")  # jieba: max() of nothing
                emit = self._emission(ch, cur)
            # jieba leaves states with no next state out of the previous ones; keeping them is the
            # same, as every state in cur has a transition from prev, so a finite score beats them.
            step = self.trans[prev[:, None], cur]
            step += scores[:, None]  # transition + V is V + transition exactly (float + commutes)
            step += emit
            best = step.argmax(axis=0)
            scores = step.max(axis=0)
            path.append((cur, prev[best]))
        i = int(scores.argmax())
        prob, state = float(scores[i]), cur[i]
        route = [state]
        for states, came in reversed(path):
            state = came[states.searchsorted(state)]
            route.append(state)
        return prob, [self.names[y] for y in reversed(route)]


# jieba.posseg's patterns: blocks it segments (re_han_internal), what posseg yields between
# them (its re_skip_internal pieces and single characters), and inside an unknown stretch the
# Han runs (re_han_detail).
POS_BLOCK = re.compile("([\u4E00-\u9FD5a-zA-Z0-9+#&\\._]+)")
BETWEEN_BLOCKS = re.compile(r"\r\n|.", re.S)
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


def posseg_cut(tok, tags: dict, hmm: PossegHMM, sentence: str) -> Iterator[tuple[str, str]]:
    """(word, POS) pairs of `jieba.posseg.POSTokenizer(tok).cut(sentence, HMM=True)`, the same
    list, several times faster.

    posseg is jieba's precise mode (the dictionary route, as Tokenizer.cut) whose unknown
    stretches go to its character-and-POS HMM. The route comes from `best_route`, the HMM is
    `hmm`; every other rule (block patterns, number/Latin/symbol tags, the whole-piece Latin
    test) follows jieba.posseg. `tags` is the POSTokenizer's word tag table.
    """
    tok.check_initialized()
    freq, log_total = tok.FREQ, log(tok.total)
    for b, blk in enumerate(POS_BLOCK.split(sentence)):
        # re.split with a group alternates text between matches (even) and matches (odd), so
        # the parity says what posseg's re_han_internal.match / re_skip_internal.match would.
        if not b % 2:
            # posseg splits this at \r\n and single white space and tags every other character
            # by itself, m if a number, eng if its piece is Latin, else x. The block pattern took
            # every ASCII digit, letter and '.', so here all is x, \r\n one piece.
            for x in BETWEEN_BLOCKS.findall(blk):
                yield x, "x"
            continue
        nxt = best_route(freq, log_total, blk)
        n, x = len(blk), 0
        while x < n:
            y = nxt[x]
            if y - x == 1:  # a stretch of one-character words, up to the next longer word
                while y < n and nxt[y] == y + 1:
                    y += 1
                if y - x > 1:
                    yield from _single_run(blk[x:y], freq, tags, hmm)
                    x = y
                    continue
            word = blk[x:y]
            yield word, tags.get(word, "x")
            x = y


def _single_run(buf: str, freq: dict, tags: dict, hmm: PossegHMM) -> Iterator[tuple[str, str]]:
    """posseg's handling of a stretch of several one-character route words: a dictionary word is
    cut into its characters, an unknown stretch goes to the HMM."""
    if freq.get(buf):
        for ch in buf:
            yield ch, tags.get(ch, "x")
    else:
        yield from _unknown(buf, hmm)


def _unknown(buf: str, hmm: PossegHMM) -> Iterator[tuple[str, str]]:
    """jieba.posseg's __cut_detail: Han runs through the character HMM, numbers m, Latin eng."""
    for h, blk in enumerate(HAN_RUN.split(buf)):
        if h % 2:
            _, route = hmm.viterbi(blk)
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
        self._tags = self._tag_table(jieba)
        self._hmm = PossegHMM.jieba()

    def _tag_table(self, jieba) -> dict[str, str]:
        """posseg's word -> POS table for this tokenizer: its dictionary's tags, then the user words'.

        Importing jieba.posseg already read the default dictionary's tags (for its global
        tokenizer, half a second); with the same dictionary file they are copied, not read again.
        """
        if self._tok.dictionary == jieba.dt.dictionary:
            tags = dict(jieba.posseg.dt.word_tag_tab)
            tags.update(self._tok.user_word_tag_tab)
            return tags
        pos = jieba.posseg.POSTokenizer(self._tok)
        pos.makesure_userdict_loaded()
        return pos.word_tag_tab

    def cut(self, simplified: str) -> list[tuple[int, str]]:
        """(length, POS) per token of jieba posseg's cut; whitespace runs are one token 'x'."""
        out: list[tuple[int, str]] = []
        space = False  # the last token is white space
        for word, flag in posseg_cut(self._tok, self._tags, self._hmm, simplified):
            if not word.isspace():
                out.append((len(word), flag))
                space = False
            elif space:
                out[-1] = (out[-1][0] + len(word), "x")
            else:
                out.append((len(word), "x"))
                space = True
        return out


def english_tokenizer(vocab: Vocab):
    """spaCy's rule-based English tokenizer (the one `spacy.blank("en")` has) on `vocab`.

    Its Docs live on the pipeline's vocab directly, with no English Language object (and its
    own vocab) built for the tokenizer alone.
    """
    from spacy.lang.en import English
    from spacy.tokenizer import Tokenizer
    from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex

    d = English.Defaults
    return Tokenizer(
        vocab,
        rules=d.tokenizer_exceptions,
        prefix_search=compile_prefix_regex(d.prefixes).search,
        suffix_search=compile_suffix_regex(d.suffixes).search,
        infix_finditer=compile_infix_regex(d.infixes).finditer,
        token_match=d.token_match,
        url_match=d.url_match,
    )


class Segmenter:
    """The spaCy tokenizer of newsargs: text -> Doc with `doc._.lang` and `doc._.simplified` set."""

    def __init__(self, vocab: Vocab, converter: Converter, jieba_segmenter: JiebaSegmenter):
        self.vocab = vocab
        self.converter = converter
        self.detector = ScriptDetector()
        self.jieba = jieba_segmenter
        self._english = english_tokenizer(vocab)

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
        """spaCy's rule-based English tokenization, on this pipeline's vocab."""
        return keep_text(self._english(text), text)

    def segment(self, text: str, simplified: str) -> Doc:
        """Cut `text` where jieba cuts `simplified` (same length); POS goes to `token.tag_`."""
        pieces = self.jieba.cut(simplified)
        words, start = [], 0
        for length, _ in pieces:
            words.append(text[start : start + length])
            start += length
        if start != len(text) or "".join(words) != text:
            raise NewsargsError("E030", stage="segment", where=f"covered {start} of {len(text)} characters")
        doc = keep_text(Doc(self.vocab, words=words, spaces=[False] * len(words)), text)
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
