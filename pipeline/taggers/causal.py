"""The causal-links tagger: cause span -> effect span, with the cue words that link them.

Rules over cue lexicons (models/cues/causal-*.yaml, modifiers-*.yaml): connectives (由于 X，Y;
X，因此 Y; 之所以 Y，是因为 X; 受 X 影响), causative verbs (X 导致 Y; 令/让/使 only with an
object and a predicate after them), conditionals (如果 X，就 Y -> conditional), negation (并非因为,
没有因为 -> negated), chains (X 令 Y，因而 Z -> X->Y and Y->Z) and question-answer pairs across
sentences (…原因何在？…是由于 X -> X causes the event asked about). English cues (because, due to,
led to, prompted, forced …) go through the same machinery. Chinese cues match the Simplified
copy, so one lexicon serves both scripts; every offset is an offset into the original text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .. import lexicons
from ..records import CausalLink

REGISTRY_NAME = "newsargs.causal_cues.v1"
ZH_CLAUSE = set("，,;；:：。！？!?…—")
EN_CLAUSE = set(",;:!?—–")
SENT_END = set("。！？!?；;.…")
PUNCT = set("，,;；:：。！？!?…—–、·.\"'“”‘’「」『』《》〈〉()（）[]【】 \t\n\r\u3000-")
OPEN_Q, CLOSE_Q = "「『“‘《(（", "」』”’》)）"
ANAPHORS = {"这", "此", "其", "它", "this", "it", "that"}
TIME_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august", "september",
              "october", "november", "december", "then", "last", "early", "late", "monday", "tuesday",
              "wednesday", "thursday", "friday", "saturday", "sunday", "mid", "before", "after",
              "becoming", "taking", "yesterday", "today", "childhood", "independence", "birth"}
TIME_NOUNS = {"start", "beginning", "end", "outbreak", "day", "days", "year", "years", "month", "months",
              "week", "weeks", "morning", "afternoon", "evening", "night", "time", "1990s", "2000s",
              "election", "elections", "handover", "launch", "summer", "winter", "spring", "autumn",
              "fall", "early", "late", "first", "last", "previous", "past", "protests", "protest",
              "crisis", "pandemic", "war", "invasion", "incident", "death", "arrest", "killing"}
PERFECT = re.compile(r"\b(?:has|have|had|'s|’s)\b(?:\s+\w+){0,3}\s*$")


@dataclass
class CausalCues:
    """The compiled lexicons of the causal tagger: cue entries and modifier words by type."""

    lexicons: list
    cues: list = field(default_factory=list)          # (surface, entry, lang) for single cues
    parts: list = field(default_factory=list)         # (first alternatives, second alternatives, entry, lang)
    modifiers: dict = field(default_factory=dict)     # type -> set of words

    @classmethod
    def from_lexicons(cls, lexs: list) -> "CausalCues":
        out = cls(lexicons=lexs)
        for lex in lexs:
            for entry in lex.entries:
                if lex.kind == "modifiers":
                    out.modifiers.setdefault(entry["type"], set()).add(entry["cue"])
                elif "parts" in entry:
                    alts = [p if isinstance(p, list) else [p] for p in entry["parts"]]
                    out.parts.append((alts[0], alts[1] if len(alts) > 1 else [], entry, lex.lang))
                else:
                    out.cues.append((entry["cue"], entry, lex.lang))
        out.cues.sort(key=lambda c: -len(c[0]))
        return out

    def words(self, kind: str) -> set:
        return self.modifiers.get(kind, set())

    def provenance(self) -> dict:
        return {lex.path: lex.provenance() for lex in self.lexicons}


@spacy.registry.misc(REGISTRY_NAME)
def causal_cues(files: list[str], models: str | None = None) -> CausalCues:
    """Load the causal and modifier cue files named in the config (relative to the models folder)."""
    from ..text.convert import Converter

    lexs = lexicons.load_cue_lexicons(files, models, kinds={"causal", "modifiers"}, to_simplified=Converter().to_simplified)
    return CausalCues.from_lexicons(lexs)


@dataclass
class Cue:
    """One cue occurrence in the text (character offsets); parts cues carry their second part."""

    start: int
    end: int
    entry: dict
    lang: str
    second: tuple | None = None
    used: bool = False

    @property
    def role(self) -> str:
        return self.entry["role"]

    @property
    def spans(self) -> list[tuple[int, int]]:
        return [(self.start, self.end)] + ([self.second] if self.second else [])


@dataclass
class Draft:
    cause: tuple
    effect: tuple
    cues: list
    negated: bool = False
    conditional: bool = False
    score: float = 0.5


class TextView:
    """What the rules read: the lower-cased Simplified text, token edges and sentence bounds."""

    def __init__(self, doc: Doc):
        base = doc._.simplified if doc._.simplified is not None else doc.text
        low = base.lower()
        if len(low) != len(base):
            low = "".join(ch.lower() if len(ch.lower()) == 1 else ch for ch in base)
        self.text = low
        self.starts = {t.idx for t in doc}
        self.ends = {t.idx + len(t.text) for t in doc}
        self.tags = {t.idx: t.tag_ for t in doc}
        self.tokens = [(t.idx, t.idx + len(t.text)) for t in doc if not t.is_space]
        headings = {(p.start_char, p.end_char) for p in doc.spans.get("paragraphs", []) if p.label_ == "heading"} if "paragraphs" in doc.spans else set()
        self.sents = []
        for sent in doc.sents:
            s, e = sent.start_char, sent.end_char
            while s < e and low[s].isspace():
                s += 1
            while e > s and low[e - 1].isspace():
                e -= 1
            if s < e:
                self.sents.append((s, e, (s, e) in headings))

    def is_zh(self, s: int, e: int) -> bool:
        return any("\u4e00" <= ch <= "\u9fff" for ch in self.text[s:e])


class CausalTagger:
    """The `newsargs_causal` component: fills doc._.causal_links with CausalLink records."""

    def __init__(self, name: str, cues: CausalCues, min_score: float = 0.3):
        self.name = name
        self.cues = cues
        self.min_score = min_score
        m = cues.modifiers
        self.fillers = sorted(m.get("filler", set()) | m.get("connective", set()), key=len, reverse=True)
        self.negators = sorted(m.get("negation", set()), key=len, reverse=True)
        self.questions = sorted(m.get("question", set()), key=len, reverse=True)
        self.framing = sorted(m.get("framing", set()), key=len, reverse=True)
        self.boundaries = sorted(m.get("boundary", set()), key=len, reverse=True)
        self.copulas = m.get("copula", set())
        neg = "|".join(re.escape(w) for w in self.negators if not re.match(r"^[a-z' ’]+$", w)) or "(?!)"
        self._neg_zh = re.compile(rf"(?:{neg})(?:是|会|能|再|曾|全|完全是|单单是|仅仅是)?$")
        self._neg_en = re.compile(r"\b(?:not|never|no longer)\s+(?!only\b|just\b|merely\b|simply\b)(?:\w+\s+)?$|n[’']t\s+(?:\w+\s+)?$")

    # --- entry point ---------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        view = TextView(doc)
        drafts = []
        found = self.find_cues(view)
        for i, (s, e, heading) in enumerate(view.sents):
            in_sent = [c for c in found if s <= c.start < e]
            if in_sent and not heading:
                drafts += self.sentence_links(view, i, in_sent)
        doc._.causal_links = self.to_records(doc, view, drafts)
        prov = doc._.provenance if doc._.provenance is not None else {}
        prov[self.name] = {"lexicons": self.cues.provenance(), "rules": REGISTRY_NAME, "model": None}
        doc._.provenance = prov
        return doc

    # --- cue finding -----------------------------------------------------------------------
    def _occurrences(self, view: TextView, word: str, lang: str):
        text = view.text
        if lang == "en":
            pattern = r"(?<![a-z0-9])" + r"\s+".join(re.escape(w) for w in word.split()) + r"(?![a-z0-9])"
            for m in re.finditer(pattern, text):
                if m.start() in view.starts:
                    yield m.start(), m.end()
            return
        start = text.find(word)
        while start >= 0:
            end = start + len(word)
            if len(word) == 1:
                ok = start in view.starts and end in view.ends
            else:
                ok = start in view.starts or end in view.ends
            if ok:
                yield start, end
            start = text.find(word, start + 1)

    def find_cues(self, view: TextView) -> list[Cue]:
        """Every valid cue occurrence, overlaps resolved in favour of the longer cue."""
        cands = []
        for word, entry, lang in self.cues.cues:
            for s, e in self._occurrences(view, word, lang):
                cands.append(Cue(s, e, entry, lang))
        for firsts, seconds, entry, lang in self.cues.parts:
            gap = entry.get("gap", 30)
            for first in firsts:
                for s, e in self._occurrences(view, first, lang):
                    second = self._second_part(view, e, seconds, gap, lang)
                    if second:
                        cands.append(Cue(s, e, entry, lang, second=second))
        blocked = []
        for q in self.questions:
            blocked += list(self._occurrences(view, q, "en" if q.isascii() else "zh"))
        cands.sort(key=lambda c: (-(c.end - c.start), c.start))
        taken: list[tuple[int, int]] = list(blocked)
        out = []
        for c in cands:
            if any(c.start < e and s < c.end for s, e in taken):
                continue
            if c.second and any(c.second[0] < e and s < c.second[1] for s, e in taken):
                continue
            if not self.valid(view, c):
                continue
            taken += c.spans
            out.append(c)
        out.sort(key=lambda c: c.start)
        return out

    def _second_part(self, view: TextView, pos: int, seconds: list, gap: int, lang: str):
        text = view.text
        clause = EN_CLAUSE if lang == "en" else ZH_CLAUSE
        limit = pos + gap
        for i in range(pos + 1, min(limit + 1, len(text))):
            if text[i - 1] in clause or text[i - 1] in SENT_END:
                return None
            for word in seconds:
                if text.startswith(word, i) and (i in view.starts or lang == "zh"):
                    return (i, i + len(word))
        return None

    def valid(self, view: TextView, c: Cue) -> bool:
        text = view.text
        entry = c.entry
        if entry.get("after_punct"):
            before = text[: c.start].rstrip()
            if not before or before[-1] not in ZH_CLAUSE | EN_CLAUSE:
                return False
        if entry.get("causative") and not self._causative(view, c):
            return False
        if entry.get("temporal_check") and self._temporal(view, c):
            return False
        if c.lang == "en":
            return self._valid_en(view, c)
        return True

    def _causative(self, view: TextView, c: Cue) -> bool:
        """令/让/使 cause only when an object and a predicate follow: 令北京认为…, not 令人, 让我们."""
        after = [(s, e) for s, e in view.tokens if s >= c.end]
        if not after:
            return False
        s0, e0 = after[0]
        first = view.text[s0:e0]
        if first in PUNCT or all(ch in PUNCT for ch in first) or first in {"人", "我们", "咱们", "步", "位"}:
            return False
        for s, e in after[1:8]:
            if view.text[s:e] in ZH_CLAUSE or any(ch in SENT_END for ch in view.text[s:e]):
                break
            if (view.tags.get(s) or "")[:1] in ("v", "a", "i", "l", "d"):
                return True
        return False

    def _temporal(self, view: TextView, c: Cue) -> bool:
        """English 'since' of time: a date or time word follows, or a perfect tense precedes."""
        nxt = view.text[c.end : c.end + 40].split()
        if not nxt or nxt[0][:1].isdigit() or nxt[0] in TIME_WORDS:
            return True
        if nxt[0] in {"the", "its", "their", "his", "her", "that", "this", "a"} and len(nxt) > 1 and (nxt[1] in TIME_NOUNS or nxt[1][:1].isdigit()):
            return True
        before = view.text[max(0, c.start - 60) : c.start]
        return bool(PERFECT.search(before)) or before.rstrip().endswith("ever")

    def _valid_en(self, view: TextView, c: Cue) -> bool:
        text = view.text
        word = text[c.start : c.end]
        prev = text[max(0, c.start - 20) : c.start].split()
        nxt = text[c.end : c.end + 60].split()
        if word == "if":
            if prev and prev[-1] in {"even", "as", "asked", "ask", "asks", "wonder", "wondered", "see", "know", "whether", "unclear", "decide"}:
                return False
        if word in {"cause", "causes"}:
            if (prev and prev[-1] in {"the", "a", "root", "this", "that", "its", "main", "common", "their", "his", "her", "our", "good", "lost"}) or (nxt and nxt[0] == "of"):
                return False
        if word in {"force", "forces"}:
            return "to" in nxt[:8] and not (prev and prev[-1] in {"the", "security", "police", "armed", "military", "special", "government", "opposition", "rebel", "allied", "market", "of"})
        if word in {"drove", "driving"}:
            return bool(nxt) and nxt[0] not in {"to", "through", "into", "past", "away", "home", "off", "by", "around", "out"}
        return True

    # --- helpers over the text -------------------------------------------------------------
    def clause_marks(self, view: TextView, s: int, e: int) -> list[int]:
        """Positions of clause punctuation inside [s, e)."""
        zh = view.is_zh(s, e)
        marks = ZH_CLAUSE if zh else EN_CLAUSE
        return [i for i in range(s, e) if view.text[i] in marks]

    @staticmethod
    def clause_of(marks: list[int], pos: int, s: int, e: int) -> tuple[int, int]:
        start, end = s, e
        for m in marks:
            if m < pos:
                start = m + 1
            elif m >= pos:
                end = m
                break
        return start, end

    def _starts_with(self, view: TextView, pos: int, words) -> str | None:
        text = view.text
        while pos < len(text) and text[pos].isspace():
            pos += 1
        for w in words:
            if not text.startswith(w, pos):
                continue
            end = pos + len(w)
            if w.isascii():
                if end < len(text) and (text[end].isalnum() or text[end] in "'’"):
                    continue
            elif end not in view.ends:
                continue
            return w
        return None

    def _ends_with(self, view: TextView, end: int, words) -> str | None:
        text = view.text
        while end > 0 and text[end - 1].isspace():
            end -= 1
        for w in words:
            start = end - len(w)
            if start < 0 or not text.startswith(w, start):
                continue
            if w.isascii():
                if start > 0 and (text[start - 1].isalnum() or text[start - 1] in "'’"):
                    continue
            elif start not in view.starts:
                continue
            return w
        return None

    def trim(self, view: TextView, s: int, e: int) -> tuple[int, int] | None:
        """Strip punctuation, white space and leading filler words; None when nothing is left."""
        text = view.text
        for _ in range(12):
            while s < e and text[s] in PUNCT and text[s] not in OPEN_Q:
                s += 1
            while e > s and text[e - 1] in PUNCT and text[e - 1] not in CLOSE_Q:
                e -= 1
            # unbalanced quotes at the edges
            if s < e and text[s] in OPEN_Q and not any(ch in CLOSE_Q for ch in text[s + 1 : e]):
                s += 1
                continue
            if e > s and text[e - 1] in CLOSE_Q and not any(ch in OPEN_Q for ch in text[s : e - 1]):
                e -= 1
                continue
            w = self._starts_with(view, s, self.fillers)
            if w and s + len(w) < e:
                s += len(w)
                continue
            w = self._ends_with(view, e, self.fillers)
            if w and e - len(w) > s:
                e -= len(w)
                continue
            break
        if e <= s:
            return None
        if e - s < 2 and text[s:e] not in ANAPHORS:
            return None
        return s, e

    def substantive(self, view: TextView, s: int, e: int) -> tuple[int, int] | None:
        t = self.trim(view, s, e)
        if not t:
            return None
        body = view.text[t[0] : t[1]]
        if body in self.copulas or body in set(self.fillers):
            return None
        return t

    def _clause_starts_with(self, view: TextView, marks: list[int], pos: int, s: int, words) -> bool:
        cs, _ = self.clause_of(marks, pos, s, pos + 1)
        return self._starts_with(view, cs, words) is not None

    def back_start(self, view: TextView, marks: list[int], s: int, pos: int, floor: int) -> int:
        """Where a cause or effect sought before `pos` may begin: after the previous cue, and not
        before the latest clause opened by a boundary word (但, 虽然 …)."""
        start = max(s, floor)
        for m in marks:
            if start <= m < pos and self._starts_with(view, m + 1, self.boundaries):
                start = m + 1
        if self._starts_with(view, start, self.framing) and start < pos:
            for m in marks:
                if start <= m < pos:
                    start = m + 1
                    break
        return start

    def previous_sentence(self, view: TextView, index: int) -> tuple[tuple[int, int] | None, bool]:
        """The sentence before `index` (trimmed; a trailing question clause dropped) and whether
        it was a question."""
        j = index - 1
        while j >= 0 and view.sents[j][2]:
            j -= 1
        if j < 0:
            return None, False
        s, e, _ = view.sents[j]
        body = view.text[s:e].rstrip()
        question = body.endswith(("？", "?"))
        if question:
            marks = self.clause_marks(view, s, e - 1)
            if marks:
                last = marks[-1]
                tail = view.text[last + 1 : e]
                if any(q in tail for q in self.questions):
                    e = last
        return self.trim(view, s, e), question

    def negated(self, view: TextView, c: Cue, clause_start: int) -> bool:
        if c.entry.get("negated"):
            return True
        before = view.text[max(clause_start, c.start - 8) : c.start]
        if c.lang == "en":
            return bool(self._neg_en.search(before + " "))
        return bool(self._neg_zh.search(before))

    def pair_in(self, view: TextView, c: Cue, s: int, e: int) -> tuple[int, int] | None:
        """A pair word of cue `c` (就, 才, then …) near the start of the region [s, e)."""
        pairs = c.entry.get("pairs") or []
        if not pairs:
            return None
        window = view.text[s : min(e, s + 10)]
        best = None
        for p in pairs:
            i = window.find(p)
            while i >= 0:
                at = s + i
                if at in view.starts and (at + len(p) in view.ends or len(p) > 1):
                    if best is None or at < best[0]:
                        best = (at, at + len(p))
                    break
                i = window.find(p, i + 1)
        return best

    # --- linking -----------------------------------------------------------------------------
    def sentence_links(self, view: TextView, index: int, cues: list[Cue]) -> list[Draft]:
        s, e, _ = view.sents[index]
        marks = self.clause_marks(view, s, e)
        text = view.text
        drafts: list[Draft] = []
        conditional_from = None  # position of the first conditional cue in the sentence
        pending_negated = None  # 并非因为 X，而是因为 Z，才 Y: X waits for the effect Y

        def prev_end(i: int) -> int:
            return cues[i - 1].end if i > 0 else s

        def next_start(i: int) -> int:
            return cues[i + 1].start if i + 1 < len(cues) else e

        def clause_initial(c: Cue) -> bool:
            cs, _ = self.clause_of(marks, c.start, s, e)
            return self.substantive(view, cs, c.start) is None

        def forward(c: Cue, i: int, to_sentence_end: bool = False) -> tuple[int, int] | None:
            """The effect after cue c: to its clause end (or the next cue); the next clause when
            the cue ends its clause."""
            _, ce = self.clause_of(marks, c.end, s, e)
            stop = next_start(i)
            end = min(ce, stop)
            if to_sentence_end:
                end = stop
                for m in marks:
                    if c.end < m < stop and self._starts_with(view, m + 1, self.boundaries):
                        end = m
                        break
            span = self.trim(view, c.end, end)
            if span is None and ce < stop:
                _, ce2 = self.clause_of(marks, ce + 1, s, e)
                span = self.trim(view, c.end, min(ce2, stop))
            return span

        def backward(c: Cue, i: int, clause_only_first: bool) -> tuple[tuple[int, int] | None, str]:
            """What precedes cue c: its own clause if it has content (verbs), else the clauses
            back to the previous cue, else the previous sentence."""
            cs, _ = self.clause_of(marks, c.start, s, e)
            floor = prev_end(i)
            if clause_only_first:
                span = self.substantive(view, max(cs, floor), c.start)
                if span:
                    return span, "clause"
            start = self.back_start(view, marks, s, c.start, floor)
            span = self.substantive(view, start, c.start)
            if span:
                return span, "clauses"
            if floor > s:
                return None, "none"
            prev, question = self.previous_sentence(view, index)
            return prev, ("question" if question else "sentence")

        for i, c in enumerate(cues):
            if c.used:
                continue
            role = c.role
            cs, ce = self.clause_of(marks, c.start, s, e)
            cond = bool(c.entry.get("conditional")) or (conditional_from is not None and conditional_from < c.start)
            if c.entry.get("conditional") and conditional_from is None:
                conditional_from = c.start
            neg = self.negated(view, c, cs)
            base = float(c.entry.get("score", 0.7))
            cue_spans = list(c.spans)

            if role == "lead":
                # 之所以 Y，是因为 X: the pair opens the cause
                pair = None
                for j in range(i + 1, len(cues)):
                    if cues[j].role in ("cause", "reverse"):
                        pair = (cues[j].start, cues[j].end)
                        cues[j].used = True
                        stop = next_start(j)
                        break
                else:
                    for p in c.entry.get("pairs") or []:
                        k = text.find(p, c.end, e)
                        if k > 0:
                            pair, stop = (k, k + len(p)), e
                            break
                if pair:
                    effect = self.trim(view, c.end, pair[0])
                    _, pce = self.clause_of(marks, pair[1], s, e)
                    cause = self.trim(view, pair[1], min(stop, pce) if pce > pair[1] + 1 else stop)
                    if cause and effect:
                        drafts.append(Draft(cause, effect, cue_spans + [pair], neg, cond, base))
                continue

            if role == "cause":
                if c.second:  # 受 X 影响，Y: the cause lies between the parts
                    cause = self.trim(view, c.end, c.second[0])
                    after = self.trim(view, c.second[1], next_start(i))
                    pre = self.substantive(view, max(cs, prev_end(i)), c.start)
                    if after and self.clause_of(marks, after[0], s, e)[0] > cs:
                        effect = forward(Cue(c.second[0], c.second[1], c.entry, c.lang), i, to_sentence_end=True)
                    elif pre:
                        effect = pre
                    else:
                        effect = forward(Cue(c.second[0], c.second[1], c.entry, c.lang), i)
                    if cause and effect:
                        drafts.append(Draft(cause, effect, cue_spans, neg, cond, base))
                    continue
                pre = self.substantive(view, max(cs, prev_end(i)), c.start)
                surface = text[c.start : c.end]
                before = text[max(cs, prev_end(i)) : c.start].strip()
                copula = surface.startswith("是") or "是" in surface[:3] or any(before.endswith(w) for w in self.copulas)
                later_clause = any(c.end < m < e - 1 for m in marks)
                # inline pair in the same clause: 因为 X 而 Y
                inline = None
                if c.entry.get("pairs") and "而" in c.entry["pairs"]:
                    k = text.find("而", c.end, ce)
                    if k > c.end and k in view.starts and k + 1 in view.ends:
                        inline = (k, k + 1)
                if inline:
                    cause = self.trim(view, c.end, inline[0])
                    effect = self.trim(view, inline[1], ce)
                    if effect is None or (pre is None and later_clause):
                        effect = self.trim(view, inline[1], next_start(i))
                    if cause and effect:
                        drafts.append(Draft(cause, effect, cue_spans + [inline], neg, cond, base))
                    continue
                if c.entry.get("needs_pair") and not self.pair_in(view, c, ce + 1, e):
                    continue
                if surface.startswith("而是") and not c.entry.get("negated"):
                    # 并非因为 X(而 Y)，而是因为 Z(，才 Y): Z causes the effect of the negated link
                    cause = self.trim(view, c.end, min(ce, next_start(i)))
                    later = self.trim(view, ce, next_start(i)) if ce < next_start(i) else None
                    negs = [d for d in drafts if d.negated]
                    if pending_negated and not negs:
                        negs = [Draft(pending_negated[0], pending_negated[0], pending_negated[1], True, cond, pending_negated[2])]
                        drafts.append(negs[0])
                    effect = later if later and self.pair_in(view, Cue(c.start, c.end, {"pairs": ["才"]}, c.lang), later[0], later[1]) else (negs[-1].effect if negs else None)
                    if cause and effect:
                        drafts.append(Draft(cause, effect, cue_spans, False, cond, base))
                        if effect == later:
                            for d in negs:
                                if d.effect[1] <= c.start:
                                    d.effect = later
                    continue
                if pre is not None and not copula:
                    verbs = self._trailing_predicate(view, c.end, ce)
                    if verbs:
                        # 中国经济没有因为贸易战停滞: the cause ends where the clause's last predicate begins
                        cause = self.trim(view, c.end, verbs[0])
                        effect = self.trim(view, *verbs)
                        if cause and effect:
                            drafts.append(Draft(cause, effect, cue_spans, neg, cond, base - 0.1))
                        continue
                back = pre is not None or (copula and not c.entry.get("conditional")) or (not later_clause and not c.entry.get("conditional"))
                if back:
                    cause = self.trim(view, c.end, min(ce, next_start(i)))
                    if pre is not None:
                        effect, how = pre, "clause"
                    else:
                        effect, how = backward(c, i, clause_only_first=False)
                    if cause and effect:
                        score = base - (0.1 if how == "sentence" else 0.0)
                        drafts.append(Draft(cause, effect, cue_spans, neg, cond, score))
                    continue
                # lead: 由于 X，(因此) Y
                nxt = cues[i + 1] if i + 1 < len(cues) else None
                if nxt and not nxt.used and nxt.start > ce and (nxt.role == "effect" or (nxt.role == "verb" and clause_initial(nxt))):
                    ncs, nce = self.clause_of(marks, nxt.start, s, e)
                    cause = self.trim(view, c.end, ncs)
                    if clause_initial(nxt):
                        effect = forward(nxt, i + 1, to_sentence_end=nxt.role == "effect")
                    else:  # 由于 X，北京因而 Y: the subject belongs to the effect
                        effect = self.trim(view, ncs, min(nce, next_start(i + 1)))
                    nxt.used = True
                    if cause and effect:
                        drafts.append(Draft(cause, effect, cue_spans + nxt.spans, neg or self.negated(view, nxt, ncs), cond, max(base, float(nxt.entry.get("score", 0.7)))))
                    continue
                cause = self.trim(view, c.end, min(ce, next_start(i)))
                effect = self.trim(view, ce, next_start(i)) if ce < next_start(i) else None
                if cause and effect is None and neg:
                    pending_negated = (cause, cue_spans, base)
                if effect:
                    stop = next_start(i)
                    for m in marks:
                        if effect[0] < m < stop and self._starts_with(view, m + 1, self.boundaries):
                            effect = self.trim(view, effect[0], m)
                            break
                if cause and effect:
                    pair = self.pair_in(view, c, effect[0], effect[1])
                    if pair:
                        cue_spans.append(pair)
                    drafts.append(Draft(cause, effect, cue_spans, neg, cond, base))
                continue

            if role == "effect":
                nxt = cues[i + 1] if i + 1 < len(cues) else None
                subject = self.substantive(view, max(cs, prev_end(i)), c.start)
                if subject:
                    # X，北京因而 Y: the subject opens the effect; the cause lies in earlier clauses
                    floor = prev_end(i)
                    start = self.back_start(view, marks, s, cs, floor)
                    cause = self.substantive(view, start, cs) if cs > start else None
                    how = "clauses"
                    if cause is None and cs <= s and floor <= s:
                        cause, how = self.previous_sentence(view, index)
                        how = "sentence" if cause else how
                    effect = self.trim(view, max(cs, floor), min(ce, next_start(i)))
                    if cause and effect:
                        drafts.append(Draft(cause, effect, cue_spans, neg, cond, base - (0.15 if how == "sentence" else 0.0)))
                    continue
                cause, how = backward(c, i, clause_only_first=False)
                if nxt and not nxt.used and nxt.role == "verb" and self.trim(view, c.end, nxt.start) is None:
                    effect = forward(nxt, i + 1)
                    cue_spans += nxt.spans
                    nxt.used = True
                else:
                    effect = forward(c, i)
                if cause and effect:
                    score = base - (0.15 if how in ("sentence", "question") else 0.0)
                    drafts.append(Draft(cause, effect, cue_spans, neg, cond, score))
                continue

            if role == "verb":
                reverse = self._reverse_causative(view, c, ce)
                if reverse:
                    effect, cause = reverse
                else:
                    cause, how = backward(c, i, clause_only_first=True)
                    if how in ("sentence", "question"):
                        cause = None  # a causative verb finds its cause in its own sentence
                    effect = forward(c, i)
                if cause and effect:
                    drafts.append(Draft(cause, effect, cue_spans, neg, cond, base))
                continue

            if role == "reverse":
                effect, how = backward(c, i, clause_only_first=True)
                cause = forward(c, i)
                if cause and effect:
                    score = base - (0.1 if how == "sentence" else 0.0)
                    drafts.append(Draft(cause, effect, cue_spans, neg, cond, score))
        return drafts

    def _trailing_predicate(self, view: TextView, s: int, e: int) -> tuple[int, int] | None:
        """The run of verb/adjective tokens that closes [s, e) (Chinese), if a noun precedes it."""
        toks = [(a, b) for a, b in view.tokens if s <= a and b <= e and view.text[a:b].strip() and view.text[a:b] not in PUNCT]
        if len(toks) < 2:
            return None
        j = len(toks)
        while j > 0 and (view.tags.get(toks[j - 1][0]) or "")[:1] in ("v", "a", "u", "i"):
            j -= 1
        if j == len(toks) or j == 0:
            return None
        return toks[j][0], toks[-1][1]

    def _reverse_causative(self, view: TextView, c: Cue, ce: int):
        """令其始料不及的(恐怕)是 X: what 'made them surprised' is X (effect first, cause after 是)."""
        if c.entry.get("causative") is not True and view.text[c.start : c.end] not in ("令到", "使得"):
            return None
        seg = view.text[c.end : ce]
        m = re.search(r"的(?:恐怕|正|就|却|也|更|则|无疑|显然)*是", seg)
        if not m:
            return None
        effect = self.trim(view, c.end, c.end + m.start())
        cause = self.trim(view, c.end + m.end(), ce)
        if effect and cause:
            return effect, cause
        return None

    # --- records -------------------------------------------------------------------------------
    def to_records(self, doc: Doc, view: TextView, drafts: list[Draft]) -> list[CausalLink]:
        actors = [(a.start_char, a.end_char, a.kb_id_) for a in doc.spans.get("actors", [])] if "actors" in doc.spans else []
        merged: dict[tuple, Draft] = {}
        for d in drafts:
            key = (d.cause, d.effect)
            if key in merged:
                merged[key].cues += [c for c in d.cues if c not in merged[key].cues]
                merged[key].score = max(merged[key].score, d.score)
            else:
                merged[key] = d
        out = []
        for d in sorted(merged.values(), key=lambda d: (min(d.cause[0], d.effect[0]), d.cause[0])):
            if d.cause[0] < d.effect[1] and d.effect[0] < d.cause[1]:
                continue  # overlapping sides are not a link
            score = d.score
            if max(d.cause[1] - d.cause[0], d.effect[1] - d.effect[0]) > 90:
                score -= 0.1
            score = min(1.0, max(0.0, score))
            if score < self.min_score:
                continue
            cause = doc.char_span(*d.cause, alignment_mode="expand")
            effect = doc.char_span(*d.effect, alignment_mode="expand")
            cues = [doc.char_span(s, e, alignment_mode="expand") for s, e in sorted(set(d.cues))]
            if cause is None or effect is None or any(c is None for c in cues):
                continue
            out.append(CausalLink(
                cause=cause, effect=effect, cues=cues, negated=d.negated, conditional=d.conditional,
                score=round(score, 4),
                cause_actors=_actors_in(actors, cause.start_char, cause.end_char),
                effect_actors=_actors_in(actors, effect.start_char, effect.end_char),
            ))
        return out


def _actors_in(actors: list, s: int, e: int) -> list[str]:
    out = []
    for a_s, a_e, kb in actors:
        if s <= a_s and a_e <= e and kb and kb not in out:
            out.append(kb)
    return out


@Language.factory(
    "newsargs_causal",
    requires=["doc.spans"],
    assigns=["doc._.causal_links"],
    default_config={
        "cues": {"@misc": REGISTRY_NAME, "files": ["cues/causal-zh.yaml", "cues/causal-en.yaml", "cues/modifiers-zh.yaml", "cues/modifiers-en.yaml"], "models": None},
        "min_score": 0.3,
    },
)
def make_causal(nlp: Language, name: str, cues: CausalCues, min_score: float) -> CausalTagger:
    return CausalTagger(name, cues, min_score)
