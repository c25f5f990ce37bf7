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
from bisect import bisect_left
from dataclasses import dataclass, field
from functools import cached_property
from itertools import islice

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .. import lexicons
from ..records import CausalLink
from ..text.offsets import doc_text
from .view import CueScanner, Substrings, Words, char_class, doc_view

REGISTRY_NAME = "newsargs.causal_cues.v1"
ZH_CLAUSE = set("，,;；:：。！？!?…—")
EN_CLAUSE = set(",;:!?—–")
SENT_END = set("。！？!?；;.…")
ZH_MARKS, EN_MARKS = char_class(ZH_CLAUSE), char_class(EN_CLAUSE)
ZH_STOPS, EN_STOPS = char_class(ZH_CLAUSE | SENT_END), char_class(EN_CLAUSE | SENT_END)
PUNCT = set("，,;；:：。！？!?…—–、·.\"'“”‘’「」『』《》〈〉()（）[]【】 \t\n\r\u3000-`")
OPEN_Q, CLOSE_Q = "「『“‘《(（", "」』”’》)）"
PERFECT = re.compile(r"\b(?:has|have|had|'s|’s)\b(?:\s+\w+){0,3}\s*$")
PERFECT_ANY = re.compile(r"\b(?:has|have|had)\s+(?:\w+ly\s+|not\s+|never\s+|n[’']t\s+)?(?:been|\w+ed|seen|witnessed|held|grown|fallen|risen|become|done|kept|made|known)\b")
NUMBER = re.compile(r"^\d")
# English grammar words the span rules read (closed classes, not cue vocabulary)
EN_AUX = frozenset("has have had 's ’s is are was were be been being will would could can may might shall should must did does do also".split())
EN_MODAL = frozenset("will would could can may might shall should must".split())
EN_RELATIVE = frozenset("which that who".split())
EN_DET = frozenset("the a an this these those that its their his her our my your such some many several".split())
EN_PRONOUN = frozenset("we they he she it i you".split())
EN_STOP = frozenset("of in on at to for from by with without against over about after before during into amid despite than "
                    "and or but as while when where because since if".split()) | EN_AUX | EN_RELATIVE
WORD = re.compile(r"\S+")
EN_SUBORDINATORS = frozenset("but as when while whereas although though because since so".split())
EN_PREP_NP = frozenset("after following of amid during before despite since with by in".split())


@dataclass
class CausalCues(lexicons.CueSet):
    """The compiled lexicons of the causal tagger: cue entries and modifier words by type."""

    cues: list = field(default_factory=list)          # (surface, entry, lang) for single cues
    reporting: list = field(default_factory=list)     # reporting verbs: a cause starts after 'X 认为，'
    parts: list = field(default_factory=list)         # (first alternatives, second alternatives, entry, lang)

    def add(self, lex, entry: dict) -> None:
        if lex.kind == "reporting":
            if entry["role"] == "verb":
                self.reporting.append(entry["cue"])
        elif "parts" in entry:
            alts = [p if isinstance(p, list) else [p] for p in entry["parts"]]
            self.parts.append((alts[0], alts[1] if len(alts) > 1 else [], entry, lex.lang))
        else:
            self.cues.append((entry["cue"], entry, lex.lang))

    def compile(self) -> None:
        self.cues.sort(key=lambda c: -len(c[0]))


@spacy.registry.misc(REGISTRY_NAME)
def causal_cues(files: list[str], models: str | None = None) -> CausalCues:
    """Load the causal and modifier cue files named in the config (relative to the models folder)."""
    from ..text.convert import Converter

    lexs = lexicons.load_cue_lexicons(files, models, kinds={"causal", "modifiers", "reporting"}, to_simplified=Converter().to_simplified)
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
    """What the rules read: the Doc's shared view (`doc_view`: the lower-cased Simplified text,
    token edges, tags, actor mentions) with its sentences white-space trimmed and headings flagged."""

    def __init__(self, doc: Doc):
        self.base = base = doc_view(doc)
        self.text, self.starts, self.ends = base.text, base.starts, base.ends
        self.is_zh, self.positions, self.tag_at, self.tokens_from = base.is_zh, base.positions, base.tag_at, base.tokens_from
        headings = base.headings
        self.sents = [(s, e, (s, e) in headings) for s, e in base.trimmed_sents]
        self.doc = doc
        self.reporting_hits: list[tuple[int, int, str]] = []  # reporting verbs (start, end, word), by start

    @cached_property
    def original(self) -> str:
        """The Doc's own text (the segmenter's copy; doc.text would join every token)."""
        return doc_text(self.doc)


class CausalTagger:
    """The `newsargs_causal` component: fills doc._.causal_links with CausalLink records."""

    def __init__(self, name: str, cues: CausalCues, min_score: float = 0.3):
        self.name = name
        self.cues = cues
        self.min_score = min_score
        m = cues.modifiers
        self.fillers = Words(sorted(m.get("filler", set()) | m.get("connective", set()), key=len, reverse=True))
        self.negators = sorted(m.get("negation", set()), key=len, reverse=True)
        self.questions = sorted(m.get("question", set()), key=len, reverse=True)
        self.framing = Words(sorted(m.get("framing", set()), key=len, reverse=True))
        self.boundaries = Words(sorted(m.get("boundary", set()), key=len, reverse=True))
        self.copulas = m.get("copula", set())
        self.copula_words = tuple(self.copulas)  # for str.startswith / endswith
        self.zh_copulas = tuple(w for w in self.copulas if not w.isascii())
        self.filler_set = set(self.fillers)
        self.framing_set = set(self.framing)
        self.continuations = Words(sorted(m.get("continuation", set()), key=len, reverse=True))
        self.reporting = Words(sorted(set(cues.reporting), key=len, reverse=True))
        self.fused_prefixes = m.get("fused_prefix", set())
        self.anaphors = m.get("anaphor", set())
        self.frame_suffixes = tuple(m.get("frame_suffix", set())) + ("的",)
        self.time_words = m.get("time_word", set())
        self.time_nouns = m.get("time_noun", set())
        zh_fillers = "|".join(re.escape(w) for w in self.fillers if not w.isascii())
        # 令其始料不及的(恐怕)是 X: the effect sits between the verb and 的, the cause after 是
        self._de_shi = re.compile(rf"的(?:{zh_fillers})*(是|，|,)")
        neg = "|".join(re.escape(w) for w in self.negators if not re.match(r"^[a-z' ’]+$", w)) or "(?!)"
        self._neg_zh = re.compile(rf"(?:{neg})(?:是|会|能|再|曾|全|完全是|单单是|仅仅是)?$")
        self._neg_en = re.compile(r"\b(?:not|never|no longer)\s+(?!only\b|just\b|merely\b|simply\b)(?:\w+\s+)?$|n[’']t\s+(?:\w+\s+)?$")
        # one scan per document finds the cues, the first parts of two-part cues and the
        # question words (blocking cues inside them); another the reporting verbs
        self.scanner = CueScanner([([w], lang) for w, _, lang in cues.cues]
                                  + [(firsts, lang) for firsts, _, _, lang in cues.parts]
                                  + [([q], "en" if q.isascii() else "zh") for q in self.questions], not_after_hyphen=True)
        self.reporting_scan = Substrings(self.reporting)

    # --- entry point ---------------------------------------------------------------------
    def __call__(self, doc: Doc) -> Doc:
        view = TextView(doc)
        view.reporting_hits = self.reporting_scan.find(view.text)
        drafts = []
        found = self.find_cues(view)  # by start
        starts = [c.start for c in found]
        memory: dict = {"effect": None}
        for i, (s, e, heading) in enumerate(view.sents):
            in_sent = found[bisect_left(starts, s) : bisect_left(starts, e)]
            if in_sent and not heading:
                drafts += self.sentence_links(view, i, in_sent, memory)
            else:
                memory["effect"] = None
        doc._.causal_links = self.to_records(doc, view, drafts)
        prov = doc._.provenance if doc._.provenance is not None else {}
        prov[self.name] = {"lexicons": self.cues.provenance(), "rules": REGISTRY_NAME, "model": None}
        doc._.provenance = prov
        return doc

    # --- cue finding -----------------------------------------------------------------------
    def _zh_ok(self, view: TextView, start: int, end: int) -> bool:
        """A Chinese cue occurrence on token edges: a one-character cue is a whole token, or
        closes one after a connective (但若); a longer one starts or ends a token."""
        if end - start == 1:
            return end in view.ends and (start in view.starts or (start - 1 in view.starts and view.text[start - 1] in self.fused_prefixes))
        return start in view.starts or end in view.ends

    def find_cues(self, view: TextView) -> list[Cue]:
        """Every valid cue occurrence, overlaps resolved in favour of the longer cue."""
        n_cues, n_parts = len(self.cues.cues), len(self.cues.parts)
        hits = self.scanner.scan(view.text, lambda a, b: self._zh_ok(view, a, b)).in_range(0, len(view.text), view.starts)
        cands, blocked = [], []
        for (i, _), s, e in hits:  # cue by cue, then by position
            if i < n_cues:
                _, entry, lang = self.cues.cues[i]
                cands.append(Cue(s, e, entry, lang))
            elif i < n_cues + n_parts:
                _, seconds, entry, lang = self.cues.parts[i - n_cues]
                second = self._second_part(view, e, seconds, entry.get("gap", 30), lang)
                if second:
                    cands.append(Cue(s, e, entry, lang, second=second))
            else:
                blocked.append((s, e))
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
        """The second part of a two-part cue whose first part ends at `pos`: the nearest word of
        `seconds` (the earlier listed one at a tie) starting within `gap` characters and before
        the clause ends; English words whole and on a token start."""
        text = view.text
        stop = (EN_STOPS if lang == "en" else ZH_STOPS).search(text, pos)
        last = min(pos + gap, len(text) - 1, stop.start() if stop else len(text))  # the last start allowed
        best = None
        for word in seconds:
            i = text.find(word, pos + 1, last + len(word))
            while i >= 0 and (best is None or i < best[0]):
                end = i + len(word)
                if lang == "zh" or (i in view.starts and not (end < len(text) and text[end].isalnum())):  # not 'overall'
                    best = (i, end)
                    break
                i = text.find(word, i + 1, last + len(word))
        return best

    def valid(self, view: TextView, c: Cue) -> bool:
        text = view.text
        entry = c.entry
        if entry.get("after_punct"):
            before = text[: c.start].rstrip()
            if not before or before[-1] not in ZH_CLAUSE | EN_CLAUSE:
                return False
        if entry.get("causative") and not self._causative(view, c):
            return False
        if entry.get("needs_negated_effect"):
            # 即使 X，Y 也不会…: only a concession whose main clause is negated is a link
            marks = [i for i in range(c.end, min(len(text), c.end + 60)) if text[i] in ZH_CLAUSE | EN_CLAUSE]
            if not marks or text[marks[0]] in SENT_END:
                return False
            head = text[marks[0] + 1 : marks[0] + 13]
            if not any(n in head for n in self.negators):
                return False
        if entry.get("needs_pair"):
            end = min([i for i in (text.find(ch, c.end) for ch in "。！？!?；;") if i >= 0] + [len(text)])
            if not any(text.find(p, c.end, end) >= 0 for p in entry.get("pairs") or []):
                return False
        if entry.get("temporal_check") and self._temporal(view, c):
            return False
        return self._context_ok(view, c)

    def _causative(self, view: TextView, c: Cue) -> bool:
        """令/让/使 cause only when an object and a predicate follow: 令北京认为…, not 令人, 让我们."""
        after = list(islice(view.tokens_from(c.end), 8))  # the first eight tokens after the cue
        if not after:
            return False
        s0, e0 = after[0]
        first = view.text[s0:e0]
        if all(ch in PUNCT for ch in first):
            return False
        for s, e in after[1:8]:
            if all(ch in PUNCT for ch in view.text[s:e]):
                break
            if view.tag_at(s)[:1] in ("v", "a", "i", "l", "d", "n"):
                return True
        return False

    def _temporal(self, view: TextView, c: Cue) -> bool:
        """English 'since' of time: a date or time word follows, a time noun or 'first' comes
        just before ('40 years since', 'the first since'), or a perfect tense precedes it in its
        clause ('have been on strike since X')."""
        if view.text[c.start : c.end] == "as":
            return self._temporal_as(view, c)
        nxt = view.text[c.end : c.end + 40].split()
        if not nxt or nxt[0][:1].isdigit() or nxt[0] in self.time_words:
            return True
        if nxt[0] in {"the", "its", "their", "his", "her", "that", "this", "a"} and len(nxt) > 1 and (nxt[1] in self.time_nouns or nxt[1][:1].isdigit()):
            return True
        before = view.text[max(0, c.start - 60) : c.start]
        if PERFECT.search(before) or before.rstrip().endswith("ever"):
            return True
        start = c.start
        while start > 0 and view.text[start - 1] not in EN_CLAUSE and view.text[start - 1] not in SENT_END:
            start -= 1
        clause = view.text[start : c.start]
        words = clause.split()
        if any(w in self.time_nouns for w in words[-4:]):
            return True
        return bool(PERFECT_ANY.search(clause))

    def _temporal_as(self, view: TextView, c: Cue) -> bool:
        """'as' of reason needs a clause with a state after it ('as exams are due', 'as he had
        left', 'as they could not agree'); an event or a process is a time ('as police fired',
        'as the bill was passed', 'as crowds were gathering'), and so is no clause at all."""
        end = c.end
        while end < len(view.text) and view.text[end] not in EN_CLAUSE and view.text[end] not in SENT_END:
            end += 1
        words = view.text[c.end : end].split()
        if words and (words[-1] in self.reporting or (words[-1].endswith("ed") and len(words[-1]) > 4) or words[-2:] == ["put", "it"]):
            return True  # 'as the Commission has signalled': a comment, not a reason
        words = words[:8]
        for k, w in enumerate(words):
            if k == 0:
                continue
            if w in EN_AUX and w != "also":
                nxt = words[k + 1] if k + 1 < len(words) else ""
                if w in ("is", "are", "was", "were", "be", "been", "being") and (nxt.endswith("ing") or (nxt.endswith("ed") and len(nxt) > 4)):
                    return True
                return False
            if w.endswith("ed") and len(w) > 4:
                return True
        return True

    def _context_ok(self, view: TextView, c: Cue) -> bool:
        """The entry's context words: not_preceded_by / not_followed_by the next or previous
        word (a Chinese word right before / after the cue), needs_followed_by within 8 words."""
        text, entry = view.text, c.entry
        if c.lang == "en":
            # the word before (and the one before an -ly adverb: 'was allegedly triggered');
            # a two-part cue's context words sit around its connective ('arrested ... for X')
            before = c.second[0] if c.second else c.start
            prev = text[max(0, before - 50) : before].split()[-2:]
            after = c.second[1] if c.second else c.end
            if c.second and entry["role"] == "effect" and self.trim(view, c.end, c.second[0]) is None:
                return False  # 'so that' (purpose), not 'so intense that'
            nxt = [w.rstrip(".,;:!?\"'”’)") or w for w in text[after : after + 80].split()]
            banned = entry.get("not_preceded_by") or ()
            if prev and (prev[-1] in banned or (len(prev) == 2 and prev[-1].endswith("ly") and prev[0] in banned)):
                return False
            head = " ".join(nxt[:4]) + " "
            if nxt and any(head.startswith(w + " ") for w in entry.get("not_followed_by") or ()):
                return False
            if c.second and (not nxt or NUMBER.match(nxt[0])):
                return False  # 'jailed for 16 months', 'over 200 people'
            needs = entry.get("needs_followed_by")
            return not needs or any(w in nxt[:8] for w in needs)
        if any(text.startswith(w, c.start - len(w)) for w in entry.get("not_preceded_by") or ()):
            return False
        if any(text.startswith(w, c.end) for w in entry.get("not_followed_by") or ()):
            return False
        needs = entry.get("needs_followed_by")
        return not needs or any(text.find(w, c.end, c.end + 20) >= 0 for w in needs)

    # --- helpers over the text -------------------------------------------------------------
    def _starts_with(self, view: TextView, pos: int, words) -> str | None:
        """A word of `words` starting at `pos` (white space skipped) and ending on a token edge."""
        text = view.text
        while pos < len(text) and text[pos].isspace():
            pos += 1
        for w in words.starting(text, pos) if isinstance(words, Words) else words:
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

    def _ends_with(self, view: TextView, end: int, words: Words) -> str | None:
        """A word of `words` ending at `end` (white space skipped) and starting on a token edge."""
        text = view.text
        while end > 0 and text[end - 1].isspace():
            end -= 1
        for w in words.ending(text, end):
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
        """Strip punctuation, white space and filler words at both ends; None when too little is left."""
        text = view.text
        for _ in range(16):
            while s < e and text[s] in PUNCT and text[s] not in OPEN_Q and not (text[s] == '"' and '"' in text[s + 1 : e]):
                s += 1
            while e > s and text[e - 1] in PUNCT and text[e - 1] not in CLOSE_Q and not (text[e - 1] == '"' and '"' in text[s : e - 1]):
                e -= 1
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
        if e - s < 2 and text[s:e] not in self.anaphors:
            return None
        return s, e

    def substantive(self, view: TextView, s: int, e: int) -> tuple[int, int] | None:
        """The trimmed span when it says something: not only filler, a copula, a frame (表面看)
        or a modifier of the cue (深层的 + 原因在于)."""
        t = self.trim(view, s, e)
        if not t:
            return None
        body = view.text[t[0] : t[1]]
        if body in self.copulas or body in self.filler_set or body in self.framing_set:
            return None
        if body.endswith(self.frame_suffixes) and len(body) <= 6:
            return None
        if body.isascii() and " " not in body and body.endswith("ly"):
            return None  # 'allegedly due to X': the adverb is no effect
        return t

    def previous_sentence(self, view: TextView, index: int) -> tuple[tuple[int, int] | None, bool]:
        """The event of the sentence before `index`, and whether that sentence was a question.

        For a question the clause holding the question word is dropped when it is only that
        (…，原因何在？) and loses a leading question word otherwise (Why single out India, …?).
        """
        j = index - 1
        while j >= 0 and view.sents[j][2]:
            j -= 1
        if j < 0:
            return None, False
        s, e, _ = view.sents[j]
        body = view.text[s:e].rstrip()
        if not body.endswith(("？", "?")):
            return self.trim(view, s, e), False
        marks = self.clause_marks(view, s, e)
        bounds = [s] + [m + 1 for m in marks] + [e]
        clauses = [(bounds[k], bounds[k + 1] - (1 if k + 1 < len(bounds) - 1 else 0)) for k in range(len(bounds) - 1)]
        for k, (cs, ce) in enumerate(clauses):
            seg = view.text[cs:ce]
            q = next((w for w in self.questions if w in seg), None)
            if q is None:
                continue
            rest = self.trim(view, cs, ce)
            only_question = rest is not None and view.text[rest[0] : rest[1]].strip("？? ") == q
            if only_question and k > 0:
                return self.trim(view, s, clauses[k - 1][1]), True
            lead = self._starts_with(view, cs, [q])
            if lead:
                return self.trim(view, cs + (view.text[cs:].index(q) + len(q)), ce), True
            return self.trim(view, cs, ce), True
        return self.trim(view, s, e), True

    def negated(self, view: TextView, c: Cue, clause_start: int) -> bool:
        if c.entry.get("negated"):
            return True
        before = view.text[max(clause_start, c.start - 8) : c.start]
        if c.lang == "en":
            return bool(self._neg_en.search(before + " "))
        return bool(self._neg_zh.search(before))

    def pair_in(self, view: TextView, c: Cue, s: int, e: int) -> tuple[int, int] | None:
        """A pair word of cue `c` (就, 才, then …) near the start of the region [s, e)."""
        best = None
        for p in c.entry.get("pairs") or []:
            i = view.text.find(p, s, min(e, s + 12))
            while i >= 0:
                if i in view.starts and (i + len(p) in view.ends or len(p) > 1):
                    if best is None or i < best[0]:
                        best = (i, i + len(p))
                    break
                i = view.text.find(p, i + 1, min(e, s + 12))
        return best

    def clause_marks(self, view: TextView, s: int, e: int) -> list[int]:
        """Positions of clause punctuation inside [s, e)."""
        return view.positions(ZH_MARKS if view.is_zh(s, e) else EN_MARKS, s, e)

    # --- linking -----------------------------------------------------------------------------
    def sentence_links(self, view: TextView, index: int, cues: list[Cue], memory: dict) -> list[Draft]:
        return SentenceLinker(self, view, index, cues, memory).run()

    def _trailing_predicate(self, view: TextView, s: int, e: int) -> tuple[int, int] | None:
        """The run of verb/adjective tokens that closes [s, e) (Chinese), if a noun precedes it."""
        toks = []
        for a, b in view.tokens_from(s):  # the tokens inside [s, e)
            if b > e:
                break
            if view.text[a:b].strip() and view.text[a:b] not in PUNCT:
                toks.append((a, b))
        if len(toks) < 2:
            return None
        j = len(toks)
        while j > 0 and view.tag_at(toks[j - 1][0])[:1] in ("v", "a", "u", "i"):
            j -= 1
        if j == len(toks) or j == 0:
            return None
        return toks[j][0], toks[-1][1]

    def _reverse_causative(self, view: TextView, c: Cue, ce: int, linker: "SentenceLinker"):
        """令其始料不及的(恐怕)是 X / 真正令国防部头痛的，不是 A，而是 B: what 'made them worry'
        is named after 是 (effect first). Returns [(cause, effect, extra cue spans, negated)]."""
        if c.lang != "zh":
            return None
        text = view.text
        m = self._de_shi.search(text, c.end, ce + 2)
        if not m or m.start() >= ce:
            return None
        effect = self.trim(view, c.end, m.start())
        if not effect:
            return None
        if m.group(1) == "是":
            cause = self.trim(view, m.end(), ce)
            return [(cause, effect, [], False)] if cause else None
        out = []
        rest_end = linker.e
        k = m.end()
        neg_at = text.find("不是", k, min(rest_end, k + 4))
        if neg_at < 0:
            neg_at = text.find("并非", k, min(rest_end, k + 4))
        inst = text.find("而是", k, rest_end)
        if inst < 0:
            return None
        if neg_at >= 0:
            cause = self.trim(view, neg_at + 2, inst)
            if cause:
                out.append((cause, effect, [(neg_at, neg_at + 2)], True))
        cause = self.trim(view, inst + 2, linker.stop_at_boundary(inst + 2, rest_end))
        if cause:
            out.append((cause, effect, [(inst, inst + 2)], False))
        return out or None

    # --- records -------------------------------------------------------------------------------
    def to_records(self, doc: Doc, view: TextView, drafts: list[Draft]) -> list[CausalLink]:
        actors = [m[:3] for m in view.base.mentions]
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
            cause_actors = _actors_in(actors, cause.start_char, cause.end_char)
            effect_actors = _actors_in(actors, effect.start_char, effect.end_char)
            if not effect_actors and not d.conditional and any(cause.end_char <= c.start_char and c.end_char <= effect.start_char for c in cues):
                effect_actors = _shared_subject(actors, cause, effect, view)  # X，因而 Y: Y's subject is X's
            out.append(CausalLink(
                cause=cause, effect=effect, cues=cues, negated=d.negated, conditional=d.conditional,
                score=round(score, 4), cause_actors=cause_actors, effect_actors=effect_actors,
            ))
        return out


class SentenceLinker:
    """The links of one sentence: where each cue finds its cause and its effect."""

    def __init__(self, tagger: CausalTagger, view: TextView, index: int, cues: list[Cue], memory: dict):
        self.t = tagger
        self.view = view
        self.text = view.text
        self.index = index
        self.s, self.e, _ = view.sents[index]
        self.cues = cues
        self.marks = tagger.clause_marks(view, self.s, self.e)
        self.memory = memory  # effects explained by earlier back-pointing links (previous sentence)
        self.drafts: list[Draft] = []
        self.back_links: list[tuple[int, tuple]] = []  # (cue start, effect) of back-pointing links here
        self.en = not view.is_zh(self.s, self.e)

    # clause geometry
    def clause_of(self, pos: int) -> tuple[int, int]:
        start, end = self.s, self.e
        for m in self.marks:
            if m < pos:
                start = m + 1
            else:
                end = m
                break
        return start, end

    def prev_clause(self, cs: int) -> tuple[int, int] | None:
        """The clause before the one starting at `cs`, without a reporting or framing lead-in."""
        if cs <= self.s:
            return None
        ps, pe = self.clause_of(cs - 1)
        ps = self.after_reporting(ps, pe)
        return ps, pe

    def after_reporting(self, start: int, end: int) -> int:
        """Move `start` past a reporting lead-in inside [start, end): 'X 认为，' / 'X argued that'."""
        best = start
        text, hits = self.text, self.view.reporting_hits
        for k in range(bisect_left(hits, (start,)), len(hits)):
            i, j, word = hits[k]
            if i >= end:
                break
            if j > end:
                continue
            if (i in self.view.starts) and (j in self.view.ends or word.isascii()):
                if word.isascii() and (j < len(text) and text[j].isalnum()):
                    pass
                elif text.startswith("的", j):
                    pass  # 最担心的是 X: a noun phrase, not a reporting lead-in
                elif word.isascii() and text[j : j + 8].split()[:1] in (["off"], ["up"], ["out"], ["back"], ["away"], ["down"]):
                    pass  # 'the match was called off': a phrasal verb, not a reporting lead-in
                else:
                    p = j
                    while p < end and (text[p].isspace() or text[p] in "，,：:"):
                        p += 1
                    if text.startswith("that ", p):
                        p += 5
                    best = max(best, p)
        return best

    def next_start(self, i: int) -> int:
        return self.cues[i + 1].start if i + 1 < len(self.cues) else self.e

    def prev_end(self, i: int) -> int:
        return self.cues[i - 1].end if i > 0 else self.s

    def clause_initial(self, c: Cue) -> bool:
        cs, _ = self.clause_of(c.start)
        return self.t.substantive(self.view, cs, c.start) is None

    def stop_at_boundary(self, start: int, end: int) -> int:
        """The end of a multi-clause region: before a clause opened by a boundary word (但, 并 …)
        or by a reporting verb ("…, said X")."""
        for m in self.marks:
            if start < m < end and (self.t._starts_with(self.view, m + 1, self.t.boundaries) or self.t._starts_with(self.view, m + 1, self.t.reporting)):
                return m
            if self.en and start < m < end and self.text.startswith((" and ", " but "), m + 1):
                return m
        return end

    def forward(self, pos: int, i: int, whole: bool = False) -> tuple[int, int] | None:
        """The span after `pos`: to the clause end (or the next cue); with `whole`, to the
        sentence end or the next cue, stopping before a boundary clause. An empty rest of the
        clause takes the next clause."""
        stop = self.next_start(i)
        _, ce = self.clause_of(pos)
        end = self.stop_at_boundary(pos, stop) if whole else min(ce, stop)
        span = self.t.trim(self.view, pos, end)
        if span is None and ce < stop:
            _, ce2 = self.clause_of(ce + 1)
            span = self.t.trim(self.view, pos, min(ce2, stop))
        return span

    def explained_before(self, cs: int, i: int) -> tuple[tuple | None, str]:
        """The effect of a back-pointing cue with nothing before it in its clause: the previous
        clause (unless that clause is itself an explanation, whose effect is reused), else the
        previous sentence (a question's event for an answer)."""
        for pos, effect in reversed(self.back_links):
            if pos < cs:
                return effect, "reuse"
        prev = self.prev_clause(cs)
        floor = self.prev_end(i)
        while prev is not None:
            ps, pe = prev
            if ps < floor and floor > self.s:
                break
            if self.t._starts_with(self.view, ps, self.t.framing) or self.t.substantive(self.view, ps, pe) is None:
                prev = self.prev_clause(self.clause_of(ps)[0])
                continue
            return self.t.trim(self.view, max(ps, floor), pe), "clause"
        if floor > self.s:
            return None, "none"
        if self.memory.get("effect") is not None:
            return self.memory["effect"], "reuse"
        prev_sent, question = self.t.previous_sentence(self.view, self.index)
        return prev_sent, ("question" if question else "sentence")

    def add(self, cause, effect, cues, negated, conditional, score, back=False, c: Cue | None = None, how: str = "clause"):
        if not cause or not effect:
            return
        if c is not None and c.entry.get("needs_negated_effect"):
            head = self.text[effect[0] : effect[0] + 12]
            if not any(n in head for n in self.t.negators):
                return
        self.drafts.append(Draft(cause, effect, list(cues), negated, conditional, score))
        if back and c is not None:
            self.back_links.append((c.start, effect))
            if how in ("question", "reuse", "sentence"):
                self.explains_earlier = effect

    def run(self) -> list[Draft]:
        conditional_from = None
        self.pending_negated = None
        self.explains_earlier = None
        for i, c in enumerate(self.cues):
            if c.used:
                continue
            cs, ce = self.clause_of(c.start)
            cond = bool(c.entry.get("conditional")) or (conditional_from is not None and conditional_from < c.start)
            if c.entry.get("conditional") and conditional_from is None:
                conditional_from = c.start
            neg = self.t.negated(self.view, c, cs)
            base = float(c.entry.get("score", 0.7))
            getattr(self, "link_" + c.role)(c, i, cs, ce, neg, cond, base)
        # an answer that explains the previous sentence's event may be continued by the next one
        self.memory["effect"] = self.explains_earlier
        return self.drafts

    # roles
    def link_verb(self, c: Cue, i: int, cs: int, ce: int, neg: bool, cond: bool, base: float) -> None:
        if c.second and c.lang == "en":
            self._reaction(c, i, cs, ce, neg, cond, base)
            return
        reverse = self.t._reverse_causative(self.view, c, ce, self)
        if reverse:
            for cause, effect, extra, negated in reverse:
                self.add(cause, effect, c.spans + extra, negated, cond, base)
            return
        floor = max(cs, self.prev_end(i), self.after_reporting(cs, c.start))
        end = c.start
        if neg and c.lang == "zh":  # 一次表态并不会让 Y: the negator is no part of the cause
            m = self.t._neg_zh.search(self.text, max(floor, c.start - 8), c.start)
            end = m.start() if m else end
        cause = self.t.substantive(self.view, floor, end)
        if cause is not None and c.lang == "en":
            cause = self.en_subject(floor, end)
        if cause is None and self.prev_end(i) <= cs:
            prev = self.prev_clause(cs)
            if prev:
                start = prev[0]
                # 一面 A，一面 B，试图让 Y: the cause is the whole run of paired clauses
                while self.t._starts_with(self.view, start, self.t.continuations):
                    pp = self.prev_clause(self.clause_of(start)[0])
                    if not pp or pp[0] < self.prev_end(i):
                        break
                    start = pp[0]
                cause = self.t.trim(self.view, max(start, self.prev_end(i)), prev[1])
        effect = self.forward(c.end, i)
        self.add(cause, effect, c.spans, neg, cond, base)

    def link_effect(self, c: Cue, i: int, cs: int, ce: int, neg: bool, cond: bool, base: float) -> None:
        if c.second and c.lang == "en":
            self._reaction(c, i, cs, ce, neg, cond, base)
            return
        subject = self.t.substantive(self.view, max(cs, self.prev_end(i)), c.start)
        prev = self.prev_clause(cs)
        how = "clause"
        cause = None
        if prev:
            ps, pe = prev
            cause = self.t.trim(self.view, ps, pe)
            opener = next((p for p in self.cues[:i] if p.role == "verb" and cause and p.start <= cause[0] + 2 and ps <= p.start), None)
            if opener:  # X，令 Y，因而 Z: the chain shares Y
                cause = self.t.trim(self.view, opener.end, pe)
            if cause and cause[1] - cause[0] < 4:
                pp = self.prev_clause(ps)
                if pp:
                    cause = self.t.trim(self.view, pp[0], pe)
        elif cs <= self.s:
            cause, how = self.t.previous_sentence(self.view, self.index)
            how = "sentence"
        if prev and c.lang == "en":
            cause = self.en_prev_event(prev, i) or cause
        score = base - (0.15 if how == "sentence" else 0.0)
        if subject and c.lang == "en" and self.t.trim(self.view, c.end, min(ce, self.next_start(i))) is None:
            # 'X, and Y has suffered as a result': the cue closes its clause
            self.add(cause, subject, c.spans, neg, cond, score)
            return
        if subject:
            # X，北京因而 Y: the subject opens the effect
            effect = self.t.trim(self.view, max(cs, self.prev_end(i)), min(ce, self.next_start(i)))
            self.add(cause, effect, c.spans, neg, cond, score)
            return
        nxt = self.cues[i + 1] if i + 1 < len(self.cues) else None
        cues = list(c.spans)
        if nxt and not nxt.used and nxt.role == "verb" and self.t.trim(self.view, c.end, nxt.start) is None:
            effect = self.forward(nxt.end, i + 1)
            cues += nxt.spans
            nxt.used = True
        else:
            effect = self.forward(c.end, i)
        self.add(cause, effect, cues, neg, cond, score)

    def link_reverse(self, c: Cue, i: int, cs: int, ce: int, neg: bool, cond: bool, base: float) -> None:
        floor = max(cs, self.prev_end(i), self.after_reporting(cs, c.start))
        effect = self.t.substantive(self.view, floor, c.start)
        how = "clause"
        if effect is None and self.en and c.lang == "en" and cs <= self.s and ce < self.next_start(i):
            # 'Angered by X, workers Y': a participle opening the sentence describes the main clause
            effect = self.t.trim(self.view, ce, self.stop_at_boundary(ce + 1, self.next_start(i)))
            if effect is not None:
                self.add(self.forward(c.end, i), effect, c.spans, neg, cond, base)
                return
        if effect is None:
            effect, how = self.explained_before(cs, i)
        cause = self.forward(c.end, i)
        self.add(cause, effect, c.spans, neg, cond, base - (0.1 if how == "sentence" else 0.0), back=True, c=c, how=how)

    def link_lead(self, c: Cue, i: int, cs: int, ce: int, neg: bool, cond: bool, base: float) -> None:
        """之所以 Y，是因为 X: the pair opens the cause, which runs to the sentence end."""
        pair = None
        for j in range(i + 1, len(self.cues)):
            if self.cues[j].role in ("cause", "reverse"):
                pair = (self.cues[j].start, self.cues[j].end)
                self.cues[j].used = True
                break
        if pair is None:
            for p in c.entry.get("pairs") or []:
                k = self.text.find(p, c.end, self.e)
                if k > c.end and k in self.view.starts:
                    pair = (k, k + len(p))
                    break
        if pair is None:
            return
        effect = self.t.trim(self.view, c.end, pair[0])
        cause = self.t.trim(self.view, pair[1], self.stop_at_boundary(pair[1], self.e))
        self.add(cause, effect, c.spans + [pair], neg, cond, base)

    def link_cause(self, c: Cue, i: int, cs: int, ce: int, neg: bool, cond: bool, base: float) -> None:
        t, view, text = self.t, self.view, self.text
        stop = self.next_start(i)
        if c.second and c.lang == "en":
            self._reaction(c, i, cs, ce, neg, cond, base)
            return
        if c.second:  # 受 X 影响，Y
            cause = t.trim(view, c.end, c.second[0])
            pre = t.substantive(view, max(cs, self.prev_end(i), self.after_reporting(cs, c.start)), c.start)
            effect = pre or self.forward(c.second[1], i)
            self.add(cause, effect, c.spans, neg, cond, base)
            return
        surface = text[c.start : c.end]
        floor = max(cs, self.prev_end(i), self.after_reporting(cs, c.start))
        pre = t.substantive(view, floor, c.start)
        if pre is not None and c.lang == "en" and self.en_words(*pre)[0] in EN_AUX:
            # 'The strike, under the aegis of X, would be intensified if Y': the subject sits before the aside
            pre = t.substantive(view, max(self.s, self.prev_end(i), self.after_reporting(self.s, c.start)), c.start) or pre
        before = text[floor : c.start].strip()
        # 是因为 / 正是由于 / 这是因为: a copula points back to what is explained
        copula = surface.startswith(t.zh_copulas, 0) or surface.startswith(t.zh_copulas, 1) or before.endswith(t.copula_words)
        later = any(c.end < m < self.e - 1 for m in self.marks)
        if surface.startswith("而是") and not c.entry.get("negated"):
            self._instead(c, i, cs, ce, cond, base)
            return
        if later and neg and c.lang == "zh" and self._instead_follows(ce):
            # Y(，)并非因为 A，而是因为 B: both reasons explain the Y before them
            if pre is not None and view.text[pre[0] : pre[1]] in t.anaphors:
                pre = None  # 这并非因为 A: the pronoun points back to the event explained
            effect, how = (pre, "clause") if pre is not None else self.explained_before(cs, i)
            if effect is not None:
                self.add(t.trim(view, c.end, min(ce, stop)), effect, c.spans, neg, cond, base, back=True, c=c, how=how)
                return
        if later and pre is None:
            nxt_clause = self.clause_of(ce + 1)
            if t.pair_in(view, c, nxt_clause[0], nxt_clause[1]):
                self._lead(c, i, cs, ce, neg, cond, base)  # 正是由于 X，Y 才 Z
                return
            if any(pos < cs for pos, _ in self.back_links):
                effect, how = self.explained_before(cs, i)  # …mainly because X, not because Z
                self.add(t.trim(view, c.end, min(ce, stop)), effect, c.spans, neg, cond, base, back=True, c=c, how=how)
                return
        # 因为 X 而 Y inside one clause
        if "而" in (c.entry.get("pairs") or []):
            k = text.find("而", c.end, ce)
            if k > c.end and k in view.starts and k + 1 in view.ends:
                cause = t.trim(view, c.end, k)
                effect = t.trim(view, k + 1, ce)
                if effect is None and later:
                    effect = t.trim(view, k + 1, stop)
                self.add(cause, effect, c.spans + [(k, k + 1)], neg, cond, base)
                if effect is None and cause:
                    self.pending_negated = (cause, c.spans + [(k, k + 1)], base) if neg else None
                return
        if pre is not None and c.lang == "en" and later and ce < stop and self.en_words(floor, c.start)[-1:] in (["and"], ["but"], ["so"], ["yet"], ["that"]):
            pre = None  # 'X and due to Y, Z': the cue opens its own clause pair
            if not c.entry.get("conditional"):
                self._lead(c, i, cs, ce, neg, cond, base)
                return
        if pre is not None:
            if copula:
                self.add(t.trim(view, c.end, min(ce, stop)), pre, c.spans, neg, cond, base, back=True, c=c)
                return
            if neg:
                pred = t._trailing_predicate(view, c.end, ce)
                if pred:  # 中国经济没有因为贸易战停滞
                    self.add(t.trim(view, c.end, pred[0]), t.trim(view, *pred), c.spans, neg, cond, base - 0.1)
                    return
            if c.lang == "en":
                cause, effect = self.en_back_sides(c, t.trim(view, c.end, min(ce, stop)), pre)
                self.add(cause, effect, c.spans, neg, cond, base, back=True, c=c)
                return
            if not later:
                self.add(t.trim(view, c.end, min(ce, stop)), pre, c.spans, neg, cond, base, back=True, c=c)
                return
        elif (copula or not later) and not c.entry.get("conditional"):
            effect, how = self.explained_before(cs, i)
            score = base - (0.1 if how == "sentence" else 0.0)
            self.add(t.trim(view, c.end, min(ce, stop)), effect, c.spans, neg, cond, score, back=True, c=c, how=how)
            return
        self._lead(c, i, cs, ce, neg, cond, base)

    def _instead_follows(self, ce: int) -> bool:
        """The next clause opens with a 而是因为-type cue and no 才/所以 closes the sentence, so the
        explained effect lies before the negated reason (Y，并非因为 A，而是因为 B)."""
        nxt = next((d for d in self.cues if d.start > ce and self.clause_of(d.start)[0] <= d.start), None)
        if nxt is None or not self.text.startswith("而是", nxt.start) or nxt.role != "cause":
            return False
        if self.t.trim(self.view, ce, nxt.start) is not None:
            return False
        _, nce = self.clause_of(nxt.start)
        rest = self.t.trim(self.view, nce, self.e) if nce < self.e else None
        return not (rest and self.t.pair_in(self.view, nxt, rest[0], rest[1]))

    def _reaction(self, c: Cue, i: int, cs: int, ce: int, neg: bool, cond: bool, base: float) -> None:
        """English head + connective ('workers protested ... over X', 'arrested ... for X'): the
        clause up to the connective (its subject and the head) is the effect, what follows the
        connective the cause; only the connective is the cue. Role effect turns it round ('the
        blast was so strong that Y': the clause up to 'that' is the cause)."""
        floor = max(cs, self.prev_end(i), self.after_reporting(cs, c.start))
        before = self.t.trim(self.view, floor, c.second[0])
        after = self.forward(c.second[1], i)
        if c.role == "effect":
            self.add(before, after, [c.second], neg, cond, base)
            return
        if c.role == "verb":  # 'blamed X for Y': the one blamed is the cause, Y the effect
            self.add(self.t.trim(self.view, c.end, c.second[0]), after, c.spans, neg, cond, base)
            return
        if after:
            after = self.en_cut_at_and(*after)
        head = self.text[c.start : c.end]
        if " " not in head and not head.endswith(("ed", "ing")):
            np_start = self.en_np_start(floor, c.start)
            in_pp = np_start > floor and self.en_words(floor, np_start)[-1:] and self.en_words(floor, np_start)[-1] in EN_PREP_NP
            if (np_start == floor or in_pp) and after:
                after = self.en_cut_at_verb(*after)  # 'Protests over X continued': X stops before the main verb
            if in_pp:  # 'a probe was ordered after protests over X': X caused the protests, not the probe
                before = self.t.trim(self.view, np_start, c.second[0])
        self.add(after, before, [c.second], neg, cond, base)

    # English span helpers (the text has no parts of speech: closed-class words guide them)
    def en_words(self, s: int, e: int) -> list[str]:
        return self.text[s:e].split()

    def en_np_start(self, floor: int, head: int) -> int:
        """Where the noun phrase ending at `head` starts: back over at most four words, stopping
        after a determiner or before a preposition, conjunction, auxiliary or verb form."""
        words = [(m.start() + floor, m.group()) for m in WORD.finditer(self.text[floor:head])]
        start = head
        for k, (pos, w) in enumerate(reversed(words)):
            if w in ("'s", "’s", "s", "’", "'") and k < 4:  # a possessive stays in its noun phrase
                start = pos
                continue
            if k >= 4 or w in EN_STOP or w.endswith(("ing", "ed")) or not any(ch.isalnum() for ch in w) and w not in ("’", "'", "-"):
                return start
            start = pos
            if w in EN_DET:
                break
        return floor if not words or start == words[0][0] else start

    def en_cut_at_verb(self, s: int, e: int) -> tuple[int, int] | None:
        """A cause that runs on into the main verb of its clause ('X started on Monday') ends
        before it: the first auxiliary, or past form not right after a determiner (nor the verb
        of a relative clause: 'protests by people who are demanding X')."""
        prev = None
        for k, m in enumerate(WORD.finditer(self.text[s:e])):
            w = m.group()
            if k >= 1 and prev not in EN_RELATIVE and (w in EN_AUX or (w.endswith("ed") and len(w) > 4 and prev not in EN_DET)):
                return self.t.trim(self.view, s, s + m.start()) or (s, e)
            prev = w
        return s, e

    @staticmethod
    def en_verbal(word: str) -> bool:
        return word in EN_AUX or (word.endswith("ed") and len(word) > 4)

    def en_back_sides(self, c: Cue, cause, pre) -> tuple:
        """Cause and effect of an English cue that points back ('Y because X', 'Y due to X').

        The effect is the last clause of what precedes, after a subordinator ('..., as traffic
        was disrupted due to X') or a complementiser with its own subject ('sorry that Y'). A
        noun-phrase cue (due to, because of) ends its cause before a following main verb; when
        the words before the cue are only a subject, the predicate after the cause is the effect
        ('Hazare due to ill health was forced to X')."""
        words = list(WORD.finditer(self.text[pre[0] : pre[1]]))
        for k in range(len(words) - 2, -1, -1):
            w, rest = words[k].group(), [m.group() for m in words[k + 1 :]]
            subordinate = w in EN_SUBORDINATORS and len(rest) >= 2 and any(self.en_verbal(x) for x in rest)
            complement = w == "that" and any(self.en_verbal(x) for x in rest[1:4])
            if subordinate or complement:
                pre = self.t.trim(self.view, pre[0] + words[k].end(), pre[1]) or pre
                break
        if cause and self.text[c.start : c.end].endswith((" to", " of")):
            cut = self.en_cut_at_verb(*cause)
            if cut and cut[1] < cause[1]:
                rest = self.t.trim(self.view, cut[1], cause[1])
                if rest and not any(self.en_verbal(w) for w in self.en_words(*pre)):
                    pre = rest
                cause = cut
        return cause, pre

    def en_cut_at_and(self, s: int, e: int) -> tuple[int, int]:
        """A reason that runs on into a second predicate of the main clause ('convicted for X
        and sentenced to Y') ends before 'and'."""
        words = list(WORD.finditer(self.text[s:e]))
        for k in range(1, len(words) - 1):
            if words[k].group() in ("and", "but") and (words[k + 1].group() in EN_AUX or (words[k + 1].group().endswith("ed") and len(words[k + 1].group()) > 4)):
                return self.t.trim(self.view, s, s + words[k].start()) or (s, e)
        return s, e

    def en_subject(self, floor: int, end: int) -> tuple[int, int] | None:
        """The cause of an English causative verb: the words before it without trailing
        auxiliaries and adverbs ('X has led to', 'X allegedly caused'); after a relative pronoun
        the noun phrase it stands for ('the protests that caused Y'), or None when the relative
        opens the clause (', which led to Y': the previous clause is the cause)."""
        words = [(m.start() + floor, m.end() + floor, m.group()) for m in WORD.finditer(self.text[floor:end])]
        while words and (words[-1][2] in EN_AUX or (words[-1][2].endswith("ly") and len(words[-1][2]) > 3) or words[-1][2] in ("not", "never")):
            words.pop()
        if not words:
            return None
        if words[-1][2] in EN_RELATIVE:
            rel = words[-1][0]
            if len(words) == 1:
                return None
            start = self.en_np_start(floor, rel)
            return self.t.substantive(self.view, start, rel)
        return self.t.substantive(self.view, floor, words[-1][1])

    def en_prev_event(self, prev: tuple[int, int], i: int) -> tuple[int, int] | None:
        """The clause before an English cue, passing over relative asides (', which has X,') and
        bare noun phrases (', and Saudi Arabia,') back to a clause with a verb."""
        floor = self.prev_end(i)
        while prev and prev[0] >= floor:
            words = self.en_words(*prev)
            if words and words[0] not in EN_RELATIVE and words[0] not in ("who", "whose") and any(self.en_verbal(w) or w.endswith("s") for w in words[1:]):
                return self.t.trim(self.view, *prev)
            prev = self.prev_clause(self.clause_of(prev[0])[0]) if prev[0] > self.s else None
        return None

    def en_reporting_tag(self, span: tuple[int, int] | None) -> bool:
        """'Gumede said', 'said the minister': a short clause made of a speaker and a reporting verb."""
        if span is None:
            return False
        words = self.en_words(*span)
        return len(words) <= 6 and any(w in self.t.reporting for w in words)

    def en_modal_split(self, s: int, e: int) -> tuple[tuple, tuple] | None:
        """'If X the protests would continue': the condition and its result, split before the
        subject of the first modal (a pronoun, or a determiner within three words of it)."""
        words = [(m.start() + s, m.group()) for m in WORD.finditer(self.text[s:e])]
        for k, (pos, w) in enumerate(words):
            if w not in EN_MODAL or k < 3:
                continue
            for j in range(k - 1, max(k - 4, 0), -1):
                if words[j][1] in EN_PRONOUN or words[j][1] in EN_DET:
                    cause, effect = self.t.trim(self.view, s, words[j][0]), self.t.trim(self.view, words[j][0], e)
                    return (cause, effect) if cause and effect else None
            return None
        return None

    def _lead(self, c: Cue, i: int, cs: int, ce: int, neg: bool, cond: bool, base: float) -> None:
        """由于 X，(因此) Y / 如果 X，(就) Y: the cause clause (with 而/又 continuations), then the
        effect: the clause of a following effect cue, or the rest of the sentence."""
        t, view = self.t, self.view
        stop = self.next_start(i)
        cause_end = min(ce, stop)
        while cause_end < stop:
            nxt_s, nxt_e = self.clause_of(cause_end + 1)
            if t._starts_with(view, nxt_s, t.continuations) and nxt_e <= stop:
                cause_end = nxt_e
            else:
                break
        cause = t.trim(view, c.end, cause_end)
        nxt = self.cues[i + 1] if i + 1 < len(self.cues) else None
        next_clause = self.clause_of(cause_end + 1) if cause_end < self.e else None
        anaphoric = False
        if nxt and c.lang == "en" and nxt.role == "verb" and next_clause and next_clause[0] <= nxt.start < next_clause[1]:
            subj = self.en_subject(next_clause[0], nxt.start)
            anaphoric = subj is not None and self.text[subj[0] : subj[1]] in self.t.anaphors
        if nxt and not nxt.used and next_clause and next_clause[0] <= nxt.start < next_clause[1] \
                and (nxt.role == "effect" or (nxt.role == "verb" and (self.clause_initial(nxt) or anaphoric))):
            ncs, nce = self.clause_of(nxt.start)
            if self.clause_initial(nxt) or anaphoric:  # 'if X, it will push Y': X pushes Y
                effect = self.forward(nxt.end, i + 1, whole=nxt.role == "effect")
            else:
                effect = t.trim(view, ncs, min(nce, self.next_start(i + 1)))
            nxt.used = True
            self.add(cause, effect, c.spans + nxt.spans, neg or t.negated(view, nxt, ncs), cond, max(base, float(nxt.entry.get("score", 0.7))), c=c)
            return
        start = cause_end
        if self.en:  # skip an aside: "If X, as Y has signalled, Z"
            ns, ne = self.clause_of(start + 1)
            if self.text[ns:ne].strip().startswith(("as ", "which ", "who ")) and ne < stop:
                start = ne
        effect = t.trim(view, start, self.stop_at_boundary(start, stop)) if start < stop else None
        if c.lang == "en" and cause and (effect is None or self.en_reporting_tag(effect)):
            split = self.en_modal_split(*cause)  # 'If X the protests would continue, he said'
            if split:
                cause, effect = split
            elif effect is None and cs > self.s:
                effect, how = self.explained_before(cs, i)  # 'Y will face a tariff, unless X'
                if how != "clause":
                    effect = None
        if cause and effect is None and neg:
            self.pending_negated = (cause, list(c.spans), base)
        cues = list(c.spans)
        if effect:
            pair = t.pair_in(view, c, effect[0], effect[1])
            if pair:
                cues.append(pair)
        self.add(cause, effect, cues, neg, cond, base, c=c)

    def _instead(self, c: Cue, i: int, cs: int, ce: int, cond: bool, base: float) -> None:
        """并非因为 X(而 Y)，而是因为 Z(，才 Y): Z causes the effect of the negated link."""
        t, view = self.t, self.view
        stop = self.next_start(i)
        cause = t.trim(view, c.end, min(ce, stop))
        later = t.trim(view, ce, stop) if ce < stop else None
        negs = [d for d in self.drafts if d.negated]
        if self.pending_negated and not negs:
            p_cause, p_cues, p_score = self.pending_negated
            negs = [Draft(p_cause, p_cause, p_cues, True, cond, p_score)]
            self.drafts.append(negs[0])
        has_cai = later is not None and t.pair_in(view, c, later[0], later[1])
        effect = later if has_cai else (negs[-1].effect if negs else None)
        if effect is None:
            return
        for d in negs:
            if d.effect == d.cause or (has_cai and d.effect[1] <= c.start):
                d.effect = effect
        self.add(cause, effect, c.spans, False, cond, base)


def _shared_subject(actors: list, cause, effect, view: TextView) -> list[str]:
    """A Chinese effect clause with no subject of its own (北京認其缺乏誠意，因而發起反擊) acts
    through the actor that opens the cause clause, when the cause comes first."""
    if cause.doc._.simplified is None or cause.end_char > effect.start_char:
        return []
    head = next((t for t in effect if not t.is_space), None)
    if head is None or not head.tag_.startswith(("v", "d")):
        return []
    text = view.original
    clause = cause.start_char
    while clause > 0 and text[clause - 1] not in CLAUSE_MARKS:
        clause -= 1
    for a_s, _a_e, kb in sorted(actors):
        if clause <= a_s < cause.end_char and kb:
            return [kb]  # the first actor of the cause's clause is its subject
    return []


CLAUSE_MARKS = set("，。；！？,;!?\n：:")


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
        "cues": {"@misc": REGISTRY_NAME, "files": ["cues/causal-zh.yaml", "cues/causal-en.yaml", "cues/modifiers-zh.yaml", "cues/modifiers-en.yaml", "cues/reporting-zh.yaml", "cues/reporting-en.yaml"], "models": None},
        "min_score": 0.3,
    },
)
def make_causal(nlp: Language, name: str, cues: CausalCues, min_score: float) -> CausalTagger:
    return CausalTagger(name, cues, min_score)
