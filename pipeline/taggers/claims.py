"""The claims tagger: argumentative assertions, the author's and those attributed to actors.

Attributed claims come from reporting cues (models/cues/reporting-*.yaml): X 指出/认为/警告…，
content; 「…」 after a speaker; 根据 X 的报告，content; 在 X 看来，content; English said / argued /
according to. The speaker is the actor mention (doc.spans["actors"]) that is the subject of the
cue — the nearest one before it in the sentence that is not the object of a preposition — and
the span is the content without speaker and cue. Author claims are the remaining sentences and
clauses whose stance markers (models/cues/markers-*.yaml: 显然, 恐怕, 势必, 之所以…) outweigh the
signs of a bare report (a leading date, announcement verbs, figures). Chinese cues match the
Simplified copy; offsets are offsets into the original text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

import spacy
from spacy.language import Language
from spacy.tokens import Doc

from .. import lexicons
from ..records import Claim
from .view import CueScanner, Words, char_class, doc_view

REGISTRY_NAME = "newsargs.claim_cues.v1"
ZH_CLAUSE = set("，,;；:：。！？!?…—")
EN_CLAUSE = set(",;:!?—–")
PUNCT = set("，,;；:：。！？!?…—–、·.\"'“”‘’「」『』《》〈〉()（）[]【】 \t\n\r\u3000-")
OPEN_Q = "「『“‘"
CLOSE_Q = "」』”’"
QUOTES = char_class(OPEN_Q + CLOSE_Q)
ZH_MARKS = char_class(ZH_CLAUSE | set(OPEN_Q + CLOSE_Q))  # clause marks and quotes (their depth)
EN_MARKS = char_class(EN_CLAUSE | set(OPEN_Q + CLOSE_Q))
KIND_OF_TYPE = {"evaluation": "evaluation", "recommendation": "evaluation", "rhetorical": "evaluation",
                "prediction": "prediction", "explanation": "explanation", "generalisation": "other",
                "contrast": None}
NEGATIVE_TYPES = {"report_time", "report_verb", "statistic"}
SPLIT_STANCE = 1.0  # the stance a clause before 但 needs to be a claim of its own
STANCE_MIN = 0.2  # below this a clause before 但 is background
WEAK_VERB = 0.7  # reporting verbs below this weight (表示, 称, said) need a clause as content
ORG_ANAPHORS = {"it", "the group", "the ministry", "the bloc", "the company", "the agency", "the government",
                "the cartel", "the alliance", "the council", "the commission", "the organisation",
                "the organization", "the firm", "the bank", "the fund", "the department", "the body",
                "该部", "该组织", "该公司", "该机构", "该集团", "该国", "该行", "该会", "该部门"}
FRAME_CLOSERS = ("期间", "会上", "会议上", "之际", "时", "后")
NEWS_NOUNS = ("报道", "报导", "消息")  # 据路透社报道: a source phrase that relays news, not a view
NEWS_WEIGHT = 0.45  # its content needs stance of its own to be a claim
WH_QUESTION = ("为何", "为什么", "何以", "怎么", "怎样", "如何", "是否", "why ", "how ", "what ", "whether ")
PRIOR = 0.3  # the score of a commentary sentence with no stance marker and no sign of a report

@dataclass
class ClaimCues(lexicons.CueSet):
    """The compiled lexicons of the claims tagger."""

    reporting: list = field(default_factory=list)   # (surface or parts, entry, lang)
    markers: list = field(default_factory=list)     # (surface, entry, lang)
    patterns: list = field(default_factory=list)    # (compiled, entry, lang)
    marker_scan: CueScanner | None = None     # finds every marker of a document in one scan
    reporting_scan: CueScanner | None = None  # every reporting cue (first parts of two-part cues)

    def add(self, lex, entry: dict) -> None:
        if lex.kind == "reporting":
            self.reporting.append((entry.get("cue") or entry["parts"], entry, lex.lang))
        elif "pattern" in entry:
            self.patterns.append((re.compile(entry["pattern"]), entry, lex.lang))
        else:
            self.markers.append((entry["cue"], entry, lex.lang))

    def compile(self) -> None:
        self.reporting.sort(key=lambda r: -len(r[0]) if isinstance(r[0], str) else 0)
        self.markers.sort(key=lambda m: -len(m[0]))  # longer markers first: 由此可见 before 可见
        self.marker_scan = CueScanner([([word], lang) for word, _, lang in self.markers])
        self.reporting_scan = CueScanner([(_first_words(surface), lang) for surface, _, lang in self.reporting])


def _first_words(surface) -> list[str]:
    """The words a reporting cue starts with: the cue, or the alternatives of its first part."""
    if isinstance(surface, str):
        return [surface]
    return surface[0] if isinstance(surface[0], list) else [surface[0]]


@spacy.registry.misc(REGISTRY_NAME)
def claim_cues(files: list[str], models: str | None = None) -> ClaimCues:
    """Load the reporting, marker and modifier cue files named in the config."""
    from ..text.convert import Converter

    lexs = lexicons.load_cue_lexicons(files, models, kinds={"reporting", "markers", "modifiers"}, to_simplified=Converter().to_simplified)
    return ClaimCues.from_lexicons(lexs)


@dataclass
class Attribution:
    content: tuple
    speaker: str | None
    cue: tuple
    score: float
    region: tuple  # the part of the sentence the attribution covers (speaker, cue, content)


class ClaimsTagger:
    """The `newsargs_claims` component: fills doc._.claims with Claim records."""

    def __init__(self, name: str, cues: ClaimCues, threshold: float = 0.6, attribution_threshold: float = 0.6):
        self.name = name
        self.cues = cues
        self.threshold = threshold
        self.attribution_threshold = attribution_threshold
        m = cues.modifiers
        self.connectives = Words(sorted(m.get("connective", set()), key=len, reverse=True))
        self.prepositions = Words(sorted(m.get("preposition", set()), key=len, reverse=True))
        pronouns = m.get("pronoun", set())
        self.zh_pronouns = tuple(p for p in pronouns if not p.isascii())
        self.en_pronouns = [re.compile(rf"\b{p}\b") for p in pronouns if p.isascii()]
        self.boundaries = Words(sorted(m.get("boundary", set()), key=len, reverse=True))
        self.negators = sorted(m.get("negation", set()), key=len, reverse=True)
        self.zh_negators = tuple(n for n in self.negators if not n.isascii())
        self.conditionals = Words(sorted(m.get("conditional", set()), key=len, reverse=True))
        self.causatives = Words(sorted(m.get("causative", set()), key=len, reverse=True))
        self.contrasts = sorted(m.get("contrast", set()), key=len, reverse=True)
        # a clause opening with one (white space skipped; an English word whole: no letter or
        # digit after it, [^\W_] being str.isalnum's class)
        words = "|".join(re.escape(w) + (r"(?![^\W_])" if w.isascii() else "") for w in self.contrasts)
        self.contrast_opening = re.compile(rf"\s*+(?:{words})") if words else None
        self.contrast_word = re.compile(words) if words else None
        self.contrast_length = max(map(len, self.contrasts), default=0)
        self.unnamed = m.get("unnamed", set())
        self.first_person = m.get("first_person", set())
        self.source_nouns = m.get("source_noun", set())

    def __call__(self, doc: Doc) -> Doc:
        doc._.claims = ClaimFinder(self, doc).run()
        prov = doc._.provenance if doc._.provenance is not None else {}
        prov[self.name] = {"lexicons": self.cues.provenance(), "rules": REGISTRY_NAME, "model": None}
        doc._.provenance = prov
        return doc


class ClaimFinder:
    """The claims of one Doc: the per-document view (Simplified lower-cased text, token edges,
    actor mentions) and the rules that read it."""

    def __init__(self, tagger: ClaimsTagger, doc: Doc):
        self.doc = doc
        self.cues = tagger.cues
        self.threshold = tagger.threshold
        self.attribution_threshold = tagger.attribution_threshold
        self.connectives = tagger.connectives
        self.prepositions = tagger.prepositions
        self.zh_pronouns = tagger.zh_pronouns
        self.en_pronouns = tagger.en_pronouns
        self.boundaries = tagger.boundaries
        self.zh_negators = tagger.zh_negators
        self.conditionals = tagger.conditionals
        self.causatives = tagger.causatives
        self.contrast_opening = tagger.contrast_opening
        self.contrast_word = tagger.contrast_word
        self.contrast_length = tagger.contrast_length
        self.unnamed = tagger.unnamed
        self.first_person = tagger.first_person
        self.source_nouns = tagger.source_nouns
        self.view = view = doc_view(doc)
        self.text = view.text
        self.starts = view.starts
        self.ends = view.ends
        # every marker and reporting cue of the document, queried by range sentence by sentence
        self.marker_hits = self.cues.marker_scan.scan(self.text, self._zh_ok)
        self.reporting_hits = self.cues.reporting_scan.scan(self.text, self._zh_ok)
        mentions = view.mentions
        self.actors = sorted(m[:3] for m in mentions if m[2])
        self.labels = {(a, b): label for a, b, _, label in mentions}

    def run(self) -> list[Claim]:
        doc = self.doc
        headings, paragraphs = self.view.headings, self.view.paragraphs
        claims = []
        for s, e in self.view.trimmed_sents:
            if (s, e) in headings:
                continue
            if (s, e) in paragraphs and self.text[s:e].rstrip(CLOSE_Q + "）)")[-1:] not in "。！？!?.…；;" and e - s <= 30:
                continue  # a one-line paragraph without final punctuation is a sub-heading
            claims += self.sentence_claims(doc, s, e)
        return claims

    # --- small text helpers ------------------------------------------------------------------
    def _strip(self, s: int, e: int) -> tuple[int, int]:
        while s < e and self.text[s].isspace():
            s += 1
        while e > s and self.text[e - 1].isspace():
            e -= 1
        return s, e

    def _zh(self, s: int, e: int) -> bool:
        return self.view.is_zh(s, e)

    def _zh_ok(self, start: int, end: int) -> bool:
        """A Chinese cue occurrence on token edges: a whole token, or (two characters or more)
        starting or ending one."""
        return (start in self.starts and end in self.ends) or (end - start > 1 and (start in self.starts or end in self.ends))

    def _word_at_end(self, end: int, words) -> str | None:
        """A word of `words` ending at `end` on a token boundary (white space skipped)."""
        while end > 0 and self.text[end - 1].isspace():
            end -= 1
        for w in words.ending(self.text, end):  # longest first
            start = end - len(w)
            if start >= 0 and self.text.startswith(w, start) and start in self.starts:
                if w.isascii() and start > 0 and self.text[start - 1].isalnum():
                    continue
                return w
        return None

    def _word_at_start(self, pos: int, words) -> str | None:
        while pos < len(self.text) and self.text[pos].isspace():
            pos += 1
        for w in words.starting(self.text, pos):  # longest first
            end = pos + len(w)
            if self.text.startswith(w, pos) and (end in self.ends or (w.isascii() and (end >= len(self.text) or not self.text[end].isalnum()))):
                return w
        return None

    def clause_marks(self, s: int, e: int) -> list[int]:
        zh = self._zh(s, e)
        marks = ZH_CLAUSE if zh else EN_CLAUSE
        depth, out = 0, []
        for i in self.view.positions(ZH_MARKS if zh else EN_MARKS, s, e):
            ch = self.text[i]
            if ch in OPEN_Q:
                depth += 1
            elif ch in CLOSE_Q:
                depth = max(0, depth - 1)
            elif ch in marks and depth == 0:
                out.append(i)
        return out

    def trim(self, s: int, e: int, connectives: bool = True) -> tuple[int, int] | None:
        """Strip punctuation, white space and (for author claims) leading connectives."""
        text = self.text
        for _ in range(8):
            s, e = self._strip(s, e)
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
            if connectives:
                w = self._word_at_start(s, self.connectives)
                if w and s + len(w) < e:
                    s += len(w)
                    continue
            break
        return (s, e) if e - s >= 2 else None

    def unquote(self, s: int, e: int) -> tuple[int, int]:
        """A span that is one whole quotation loses its outer quote marks."""
        if e - s >= 3 and self.text[s] in OPEN_Q and self.text[e - 1] in CLOSE_Q:
            depth = 0
            for i in range(s, e):
                if self.text[i] in OPEN_Q:
                    depth += 1
                elif self.text[i] in CLOSE_Q:
                    depth -= 1
                    if depth == 0 and i < e - 1:
                        return s, e
            return s + 1, e - 1
        return s, e

    def in_quote(self, sent_start: int, pos: int) -> bool:
        depth = 0
        for i in self.view.positions(QUOTES, sent_start, pos):
            ch = self.text[i]
            if ch in OPEN_Q:
                depth += 1
            elif ch in CLOSE_Q:
                depth = max(0, depth - 1)
        return depth > 0

    # --- stance ----------------------------------------------------------------------------------
    def stance(self, s: int, e: int) -> tuple[float, float, dict]:
        """(positive weight, negative weight, weight by claim kind) of the markers in [s, e)."""
        pos, neg, kinds = 0.0, 0.0, {}
        taken: list[tuple[int, int]] = []
        for (i, _), a, b in self.marker_hits.in_range(s, e, self.starts):  # marker by marker
            entry = self.cues.markers[i][1]
            if any(a < y and x < b for x, y in taken):
                continue
            taken.append((a, b))
            w = float(entry["weight"])
            if entry["type"] in NEGATIVE_TYPES:
                neg += -w
                continue
            pos += w
            kind = KIND_OF_TYPE.get(entry["type"])
            if kind:
                kinds[kind] = kinds.get(kind, 0.0) + w
        body = self.text[s:e]
        for pattern, entry, lang in self.cues.patterns:
            if pattern.search(body):
                neg += -float(entry["weight"])
        return pos, neg, kinds

    @staticmethod
    def kind_of(kinds: dict) -> str:
        if not kinds:
            return "other"
        # a claim about what will happen is a prediction even when it gives a reason (由于 X，Y 势必…)
        if kinds.get("prediction", 0) >= 0.6:
            return "prediction"
        if kinds.get("explanation", 0) >= 0.7:
            return "explanation"
        return max(kinds.items(), key=lambda kv: kv[1])[0]

    # --- attributed claims ---------------------------------------------------------------------
    def reporting_cues(self, s: int, e: int) -> list[tuple[int, int, dict, str, tuple | None]]:
        found = []
        for (i, _), a, b in self.reporting_hits.in_range(s, e, self.starts):  # cue by cue
            surface, entry, lang = self.cues.reporting[i]
            if isinstance(surface, str):
                if not self._excluded(a, b, entry):
                    found.append((a, b, entry, lang, None))
                continue
            seconds = surface[1] if isinstance(surface[1], list) else [surface[1]]
            marks = self.clause_marks(b, e)
            limit = min([m for m in marks] + [e, b + entry.get("gap", 30)])
            for second in seconds:
                k = self.text.find(second, b + 1, limit + len(second))
                if k > b:
                    found.append((a, b, entry, lang, (k, k + len(second))))
                    break
        found.sort(key=lambda f: (f[0], -(f[1] - f[0])))
        out, last_end = [], -1
        for f in found:
            if f[0] < last_end:
                continue
            out.append(f)
            last_end = f[1] if f[4] is None else f[4][1]
        return out

    def _excluded(self, a: int, b: int, entry: dict) -> bool:
        for w in entry.get("not_preceded_by") or []:
            if self.text.startswith(w, a - len(w)):
                return True
        for w in entry.get("not_followed_by") or []:
            if self.text.startswith(w, b):
                return True
        return False

    def _preceding_word(self, pos: int, words) -> str | None:
        """A word of `words` right before `pos`, skipping an English article."""
        while pos > 0 and self.text[pos - 1].isspace():
            pos -= 1
        for article in ("the ", "a ", "an "):
            start = pos - len(article.strip())
            if start >= 0 and self.text.startswith(article.strip(), start) and (start == 0 or not self.text[start - 1].isalnum()):
                pos = start
                while pos > 0 and self.text[pos - 1].isspace():
                    pos -= 1
                break
        return self._word_at_end(pos, words)

    def eligible_speaker(self, sent_start: int, actor: tuple, cue_start: int) -> bool:
        """An actor mention can speak unless it is quoted, the object of a preposition, or a
        modifier of a following noun (美国企业, 中美关系) other than a source noun (外交部发言人)."""
        a, b, _ = actor
        if not self.text[b:cue_start].strip():
            return not self.in_quote(sent_start, a) and not self._preceding_word(a, self.prepositions)
        if self.in_quote(sent_start, a):
            return False
        if self._preceding_word(a, self.prepositions):
            return False
        prev = [x for x in self.actors if x[1] == a]
        if prev and self._preceding_word(prev[0][0], self.prepositions):
            return False  # 中美 after a preposition: both characters are objects
        after = self.text[b : b + 12].lstrip()
        if after.startswith("的") and not any(n in self.text[b:cue_start][:10] for n in self.source_nouns):
            return False
        if after.startswith(("'s ", "’s ")) and not any(n in self.text[b:cue_start] for n in self.source_nouns):
            return False
        tag = self.view.tag_at(b)  # jieba POS (Chinese only)
        if tag[:1] == "n" and tag not in ("nr", "nrfg", "nrt", "ns", "nt") and not any(n in after[:8] for n in self.source_nouns):
            return False
        return True

    def find_speaker(self, s: int, floor: int, cue_start: int, cue_end: int, clause_start: int, clause_end: int, previous: str | None) -> str | None:
        """The subject of the cue: an eligible actor in its clause, else a pronoun there, else an
        eligible actor in the sentence's earlier clauses, else one right after the cue ("…, said
        X"), else the speaker of the sentence's previous attribution."""
        before = [a for a in self.actors if floor <= a[0] and a[1] <= cue_start]
        own = [a for a in before if a[0] >= clause_start]
        framed = self._framed(max(floor, clause_start), cue_start)
        for actor in reversed(own):
            if any(x <= actor[0] and actor[1] <= y for x, y in framed):
                continue  # 在接受福克斯新闻采访时声称: the frame's actor does not speak
            if self.eligible_speaker(s, actor, cue_start):
                return actor[2]
        if own and self._word_at_end(own[0][0], self.causatives):
            return None  # 令北京认定…: the clause's subject is caused to think, it reports nothing
        region = self.text[max(floor, clause_start) : cue_start]
        zh_pron = any(p in region for p in self.zh_pronouns)
        en_pron = any(p.search(region) for p in self.en_pronouns)
        if zh_pron or en_pron:
            # he / she / 他 / 她: the latest person, not an organisation in an apposition
            people = [a for a in self.actors if a[1] <= cue_start and self._is_person(a) is not False]
            if any(self._is_person(a) for a in people):
                people = [a for a in people if self._is_person(a)]
            if people:
                return people[-1][2]
        if not own and self._org_anaphor(region):
            # "The group said" / "it warned" / 该部表示: the latest actor that is not a person
            others = [a for a in self.actors if a[1] <= cue_start and self._is_person(a) is not True]
            if others:
                return others[-1][2]
        earlier = [a for a in before if a[0] < clause_start and self.eligible_speaker(s, a, cue_start)]
        # the subject of the sentence's clause chain: an actor opening its clause wins over a
        # nearer one inside an apposition ("Rao, who directs the Centre …, warned")
        marks = self.clause_marks(s, clause_start)
        for actor in earlier:
            opening = max([m + 1 for m in marks if m < actor[0]] + [s])
            lead = self.trim(opening, actor[0], connectives=True)
            if self.trim(opening, actor[0] + 2, connectives=True) and (lead is None or self.text[lead[0] : lead[1]] == "the"):
                return actor[2]
        if earlier:
            return earlier[-1][2]
        if self.text[cue_start:cue_end].isascii():
            for actor in self.actors:
                if cue_end <= actor[0] < min(clause_end, cue_end + 3):
                    return actor[2]
        return previous

    def _framed(self, s: int, cue_start: int) -> list[tuple[int, int]]:
        """Chinese adverbial frames (在…时 / 期间 / 会上 / 之际) between a subject and its cue."""
        text, out = self.text, []
        if not self._zh(s, cue_start):
            return out
        i = text.find("在", s, cue_start)
        while i >= 0:
            if i in self.starts:
                for closer in FRAME_CLOSERS:
                    k = text.find(closer, i + 1, cue_start)
                    if k > i and k + len(closer) in self.ends:
                        out.append((i, k + len(closer)))
                        break
            i = text.find("在", i + 1, cue_start)
        return out

    def _is_person(self, actor: tuple) -> bool | None:
        """Whether a mention is a person: its PERSON type, else its id (person:, office:); None for
        an unk: id without a type."""
        label = self.labels.get((actor[0], actor[1]), "")
        if label == "PERSON" or actor[2].startswith(("person:", "office:")):
            return True
        if label and label != "UNK" or not actor[2].startswith("unk:"):
            return False
        return None

    def _org_anaphor(self, region: str) -> bool:
        """Whether the subject before a cue is only an anaphor for an organisation or state."""
        subject = " ".join(region.strip(" ，,").split())
        for adverb in (" also", " then", " later", " further", " again", " has", " had"):
            subject = subject.removesuffix(adverb)
        for adverb in ("也", "亦", "则", "随即", "还", "更"):
            subject = subject.removesuffix(adverb)
        return subject in ORG_ANAPHORS

    def _blocked(self, s: int, a: int, b: int, lang: str, clause_start: int) -> bool:
        """A cue that reports nothing: negated (不承认), or inside a conditional clause (只要X认定)."""
        if lang == "zh":
            before = self.text[max(clause_start, a - 4) : a]
            if before.endswith(self.zh_negators):
                return True
        else:
            before = self.text[max(clause_start, a - 12) : a]
            if re.search(r"\b(?:not|never)\s*$|n[’']t\s*$", before):
                return True
        if self._word_at_start(clause_start, self.conditionals):
            return True
        return False

    def attributions(self, s: int, e: int) -> list[Attribution]:
        out: list[Attribution] = []
        floor = s
        cues = self.reporting_cues(s, e)
        marks = self.clause_marks(s, e) if cues else []
        for a, b, entry, lang, second in cues:
            if a < floor or self.in_quote(s, a):
                continue
            role = entry["role"]
            clause_start = max([m + 1 for m in marks if m < a] + [s])
            clause_end = next((m for m in marks if m >= (second[1] if second else b)), e)
            if self._blocked(s, a, b, lang, clause_start):
                continue
            later = [c for c in cues if c[0] > b]
            if role == "verb":
                inverted = self._inverted_speaker(a, b, clause_start, clause_end)
                if inverted:  # "…, said John Smith, an economist at …": the content precedes
                    content = self._content_before(s, a, marks)
                    if content:
                        cs, ce = content
                        pos, neg, _ = self.stance(cs, ce)
                        score = float(entry.get("weight", 0.7)) + 0.15 * min(pos, 2.0) - 0.5 * neg
                        out.append(Attribution(content, inverted, (a, b), round(min(1.0, max(0.0, score)), 4), (s, e)))
                        floor = e
                    continue
                speaker = self.find_speaker(s, floor, a, b, clause_start, clause_end, out[-1].speaker if out else None)
                if speaker is None:
                    subject = self.text[max(floor, clause_start) : a]
                    if _mentions(subject, self.unnamed) and not _mentions(subject, self.first_person):
                        # 有分析认为…: an unnamed source's view is left out, not made the author's
                        content = self._content_after(s, e, b, marks, entry, later)
                        if content:
                            out.append(Attribution(content, None, (a, b), 0.0, (max(floor, clause_start), content[1])))
                            floor = content[1]
                    continue
                content = self._content_after(s, e, b, marks, entry, later)
                region_start = floor
                if content is None:
                    content = self._content_before(s, a, marks)
            else:
                inner_end = second[0] if second else clause_end
                inner = [x for x in self.actors if b <= x[0] and x[1] <= inner_end]
                if not inner:
                    continue
                speaker = inner[0][2]
                # a verb cue later in the same clause (据 X 称) takes over
                if any(c[0] < clause_end and c[2]["role"] == "verb" for c in later):
                    continue
                content = self._content_after(s, e, clause_end, marks, entry, later) if clause_end < e else None
                region_start = a
                if self.text[a:clause_end].rstrip(" ，,").endswith(NEWS_NOUNS):
                    entry = {**entry, "weight": min(float(entry.get("weight", 0.7)), NEWS_WEIGHT)}
                if content is None:
                    content = self._content_before(s, a, marks)
            if content is None:
                continue
            cs, ce = content
            if float(entry.get("weight", 0.7)) < WEAK_VERB and len(self.text[cs:ce].replace(" ", "")) < 6:
                # 表示强烈不满: a weak verb with a bare noun reports an attitude, no claim at all
                out.append(Attribution(content, speaker, (a, b), 0.0, (region_start, max(ce, b))))
                floor = max(ce, b)
                continue
            pos, neg, _ = self.stance(cs, ce)
            score = float(entry.get("weight", 0.7)) + 0.15 * min(pos, 2.0) - 0.5 * neg
            out.append(Attribution(content, speaker, (a, b), round(min(1.0, max(0.0, score)), 4), (region_start, max(ce, b))))
            floor = max(ce, b)
        return out

    def _inverted_speaker(self, a: int, b: int, clause_start: int, clause_end: int) -> str | None:
        """English 'said X' opening its clause: the actor right after the cue."""
        if not self.text[a:b].isascii() or self.trim(clause_start, a, connectives=False):
            return None
        for actor in self.actors:
            if b <= actor[0] < min(clause_end, b + 3):
                return actor[2]
        return None

    def _content_after(self, s: int, e: int, pos: int, marks: list[int], entry: dict, later: list) -> tuple[int, int] | None:
        text = self.text
        p = pos
        while p < e and (text[p].isspace() or text[p] in "，,：:"):
            p += 1
        if text.startswith("that ", p):
            p += 5
        if p >= e:
            return None
        end = e
        if text[p] in OPEN_Q:
            q_end = self._quote_end(p, e)
            if q_end is not None and (q_end >= e or text[q_end] in PUNCT):
                end = q_end
        # the next reporting cue opening a clause (，并要求…; and vowed …) starts new content
        for c in later:
            if not p < c[0] < end:
                continue
            cuts = [m for m in marks if p < m < c[0]] + [i for i in range(p, c[0]) if text.startswith(" and ", i)]
            if cuts and c[0] - max(cuts) <= 12:
                end = max(cuts)
                break
        if entry.get("rebuttable"):
            for m in marks:
                if p < m < end and self._word_at_start(m + 1, self.boundaries):
                    end = m
                    break
        span = self.trim(p, end, connectives=False)
        if span is None:
            return None
        return self.trim(*self.unquote(*span), connectives=False)

    def _quote_end(self, p: int, e: int) -> int | None:
        depth = 0
        for i in range(p, e):
            if self.text[i] in OPEN_Q:
                depth += 1
            elif self.text[i] in CLOSE_Q:
                depth -= 1
                if depth == 0:
                    return i + 1
        return None

    def _content_before(self, s: int, a: int, marks: list[int]) -> tuple[int, int] | None:
        """「…」，X 说 / "…," he said: the content is what precedes the speaker's clause."""
        clause_start = s
        for m in marks:
            if m < a:
                clause_start = m
        if clause_start <= s:
            p = s
            while p < a and (self.text[p].isspace() or self.text[p] in "—-"):
                p += 1
            q_end = self._quote_end(p, a) if p < a and self.text[p] in OPEN_Q else None
            if q_end is None or self.trim(q_end, a, connectives=False) and len(self.text[q_end:a].strip(" ，,")) > 40:
                return None
            clause_start = q_end
        span = self.trim(s, clause_start, connectives=False)
        if span is None:
            return None
        return self.trim(*self.unquote(*span), connectives=False)

    # --- author claims ---------------------------------------------------------------------------
    def sentence_claims(self, doc: Doc, s: int, e: int) -> list[Claim]:
        claims = []
        attributions = self.attributions(s, e)
        covered = []
        for att in attributions:
            covered.append(att.region)
            if att.score >= self.attribution_threshold:
                claims.append(self._record(doc, att.content, att.speaker, att.cue, "attribution", att.score))
        for seg in self._segments(s, e, covered):
            # 'A，但 B': A with a strong stance is a claim of its own; A with none is background
            # (dropped, its signs of a report kept against B); otherwise A is folded into B
            parts = self._contrast_parts(*seg)
            start, carried = parts[0][0], 0.0
            for a, b in parts[:-1]:
                pos, neg, _ = self.stance(a, b)
                if pos >= SPLIT_STANCE:
                    claim = self.author_claim(doc, start, b)
                    if claim:
                        claims.append(claim)
                    start = b
                elif pos < STANCE_MIN and start == a:
                    start, carried = b, carried + neg
            claim = self.author_claim(doc, start, parts[-1][1], carried)
            if claim:
                claims.append(claim)
        claims.sort(key=lambda c: c.span.start_char)
        return claims

    def _segments(self, s: int, e: int, covered: list[tuple[int, int]]) -> list[tuple[int, int]]:
        segs, cur = [], s
        for a, b in sorted(covered):
            if a > cur:
                segs.append((cur, a))
            cur = max(cur, b)
        if cur < e:
            segs.append((cur, e))
        return segs

    def _contrast_at(self, pos: int) -> bool:
        return self.contrast_opening is not None and self.contrast_opening.match(self.text, pos) is not None

    def _contrast_ahead(self, s: int, e: int) -> bool:
        """Whether a contrastive connective may open a clause after a mark in [s, e): one starts
        after `s` and by the end of the white space after `e` (the search stops a connective's
        length later). Most segments hold none, and then their clause marks need not be read."""
        if self.contrast_word is None:
            return False
        end = e
        while end < len(self.text) and self.text[end].isspace():
            end += 1
        return self.contrast_word.search(self.text, s + 1, end + self.contrast_length) is not None

    def _contrast_parts(self, s: int, e: int) -> list[tuple[int, int]]:
        """[s, e) cut before each clause opened by a contrastive connective (但, 然而, but …)."""
        if not self._contrast_ahead(s, e):
            return [(s, e)]
        cuts = [m for m in self.clause_marks(s, e) if self._contrast_at(m + 1)]
        bounds = [s] + cuts + [e]
        return [(bounds[k], bounds[k + 1]) for k in range(len(bounds) - 1)]

    def author_claim(self, doc: Doc, s: int, e: int, carried: float = 0.0) -> Claim | None:
        """The segment as an author claim when its stance outweighs the signs of a report."""
        span = self.trim(s, e)
        if span is None:
            return None
        body = self.text[span[0] : span[1]]
        if len(body.replace(" ", "")) < 4:
            return None
        question = self.text[span[1] : span[1] + 2].lstrip()[:1] in ("？", "?") or body.endswith(("？", "?"))
        pos, neg, kinds = self.stance(s, e)  # leading connectives (换句话说, 可见) carry stance too
        if question and (kinds.get("evaluation", 0) < 1.0 or (_mentions(body, WH_QUESTION) and not self._rhetorical(s, e))):
            return None  # 为何…？ asks; only a rhetorical question (难道…吗) asserts
        score = PRIOR + 0.35 * pos - 0.35 * (neg + carried)
        if score < self.threshold:
            return None
        return self._record(doc, span, None, None, self.kind_of(kinds), min(1.0, score))

    def _rhetorical(self, s: int, e: int) -> bool:
        """Whether [s, e) holds a rhetorical-question marker (难道, 岂, 何尝)."""
        markers = self.cues.markers
        return any(markers[i][1]["type"] == "rhetorical" for (i, _), _a, _b in self.marker_hits.in_range(s, e, self.starts))

    def _record(self, doc: Doc, span: tuple, speaker, cue, kind: str, score: float) -> Claim:
        sp = doc.char_span(span[0], span[1], alignment_mode="expand")
        cue_span = doc.char_span(cue[0], cue[1], alignment_mode="expand") if cue else None
        inside = []
        start, end = sp.start_char, sp.end_char
        for k in range(bisect_left(self.actors, (start,)), len(self.actors)):  # actors by start
            a, b, kb = self.actors[k]
            if a > end:
                break
            if b <= end and kb not in inside:
                inside.append(kb)
        return Claim(span=sp, speaker=speaker, cue=cue_span, kind=kind, score=round(float(score), 4), actors=inside)


def _mentions(text: str, words) -> bool:
    """Whether `text` holds one of `words` (English words whole, Chinese as substrings)."""
    for w in words:
        if w.isascii():
            if re.search(rf"(?<![a-z]){re.escape(w)}(?![a-z])", text):
                return True
        elif w in text:
            return True
    return False


@Language.factory(
    "newsargs_claims",
    requires=["doc.spans"],
    assigns=["doc._.claims"],
    default_config={
        "cues": {"@misc": REGISTRY_NAME, "files": ["cues/reporting-zh.yaml", "cues/reporting-en.yaml", "cues/markers-zh.yaml", "cues/markers-en.yaml", "cues/modifiers-zh.yaml", "cues/modifiers-en.yaml"], "models": None},
        "threshold": 0.3,
        "attribution_threshold": 0.5,
    },
)
def make_claims(nlp: Language, name: str, cues: ClaimCues, threshold: float, attribution_threshold: float) -> ClaimsTagger:
    return ClaimsTagger(name, cues, threshold, attribution_threshold)
