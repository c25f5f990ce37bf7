"""The actors tagger: who acts or speaks, resolved to one canonical identity across scripts.

Matching runs on the Simplified copy (one Simplified index serves Traditional and Simplified
text) against the registry under models/actors/, then:
  1. registry names and aliases, longest first, aligned to jieba's tokens (a token made of
     several names, like 北京中南海, is cut into them);
  2. one-character country forms in compounds (對華, 訪美, 中美關係), cut out of their tokens;
  3. titles: country + title + name is one mention of the person; a bare title (美國總統) is the
     office holder on the article's date, or the office itself when the article is undated;
     a country + a context-dependent name (美國 + 商務部) is that country's organisation;
  4. names the registry does not know: jieba's person/organisation tags and organisation
     suffixes (…研究所, …委員會) give unlinked actors with an id from their Simplified name.
English text is matched on tokens, with titles and capitalised names around verbs of saying.
Output: doc.spans["actors"] (label = type, kb_id = actor id) and doc._.actors (ActorInfo).
"""

from __future__ import annotations

import bisect
import datetime as dt
import hashlib
import operator
import re
from operator import attrgetter
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from spacy.attrs import IDX, LENGTH, ORTH, TAG
from spacy.language import Language
from spacy.tokens import Doc

from .. import lexicons
from ..records import ActorInfo
from ..text.convert import Converter
from ..text.offsets import doc_text
from ..text.retokenize import split_at

CJK = re.compile(r"[\u3400-\u9fff]")
CLAUSE_PUNCT = re.compile("[，。！？；：,.;:、]")


@dataclass(frozen=True)
class Target:
    """What a surface form can name: an actor, an actor in one country's context, or an office."""

    kind: str  # "name" | "local" | "title"
    id: str
    country: str | None = None


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    id: str
    type: str
    linked: bool = True
    kind: str = "name"  # name | local | title | abbrev | unknown
    country: str | None = None


def _char_class(chars) -> re.Pattern:
    """One regex matching any of some single characters, to jump to the next place worth a look."""
    return re.compile("[" + re.escape("".join(chars)) + "]" if chars else "(?!)")


def _ordered(targets: set[Target]) -> tuple[Target, ...]:
    return tuple(sorted(targets, key=lambda t: (t.kind, t.id, t.country or "")))


def _lengths(words) -> list[int]:
    """The distinct lengths of some words, longest first: a match then tries one slice of the
    text per length in a set, not every word."""
    return sorted({len(w) for w in words}, reverse=True)


class ActorLexicon:
    """The registry and the rules, indexed for matching. Built once per pipeline."""

    def __init__(self, entries: list[dict], zh_rules: dict, en_rules: dict, to_simplified, en_tokenize):
        self.to_simplified = to_simplified
        self.actors = {e["id"]: e for e in entries if not e["id"].startswith("office:")}
        self.offices = {e["id"]: e for e in entries if e["id"].startswith("office:")}
        self.holders: dict[str, list[tuple[str, str, str]]] = {}
        self.zh: dict[str, set[Target]] = {}  # tuples in a fixed order once indexed
        self.en: dict[tuple[str, ...], set[Target]] = {}  # likewise
        self.abbrev: dict[str, str] = {}
        for e in entries:
            self._index(e, en_tokenize)
        # ActorInfo fields per registry id: an article's infos are made from these
        self.info_fields = {}
        for eid, entry in [*self.offices.items(), *self.actors.items()]:
            name = entry.get("name") or {}
            self.info_fields[eid] = (eid, entry.get("type", "ORG"), True, name.get("en"), name.get("zh-Hant"), name.get("zh-Hans"))
        # A surface's targets in a fixed order (a set's order follows the per-process string
        # hash): where one surface could name two actors, every run and worker picks the same.
        self.zh = {surface: _ordered(ts) for surface, ts in self.zh.items()}
        self.abbrev_chars = _char_class(self.abbrev)
        # name lengths by their first two characters (the head), longest first: a lookup tries
        # a few slices of the text in the dict instead of every name with the same start
        self.zh_lengths: dict[str, list[int]] = {}
        for surface in self.zh:
            self.zh_lengths.setdefault(surface[:2], set()).add(len(surface))
        self.zh_lengths = {head: sorted(ns, reverse=True) for head, ns in self.zh_lengths.items()}
        # where a head may begin: a first character followed by a possible second one (or a
        # one-character name); the scan for names jumps from one such place to the next
        heads = [h for h in self.zh_lengths if len(h) == 2]
        places = [f"{_char_class({h[0] for h in heads}).pattern}(?={_char_class({h[1] for h in heads}).pattern})"] if heads else []
        singles = {h for h in self.zh_lengths if len(h) == 1}
        places += [_char_class(singles).pattern] if singles else []
        self.zh_starts = re.compile("|".join(places) or "(?!)")
        # per Chinese surface, what the matcher asks of its targets at every match: the actor it
        # names (the first name target), and whether it is only ever a state ("gpe", "gov" or
        # "both": its names are countries and/or their governments), which may be a place instead
        self.zh_name_of = {surface: next((t.id for t in ts if t.kind == "name"), None) for surface, ts in self.zh.items()}
        self.zh_state: dict[str, str] = {}
        for surface, ts in self.zh.items():
            if all(t.kind == "name" and t.id.startswith(("gpe:", "gov:")) for t in ts):
                prefixes = {t.id[:4] for t in ts}
                self.zh_state[surface] = "both" if len(prefixes) > 1 else prefixes.pop()[:3]
        for key, targets in list(self.en.items()):
            if len(key) > 1:
                self.en.setdefault(tuple(w.lower() for w in key), set()).update(targets)
        self.en = {key: _ordered(ts) for key, ts in self.en.items()}
        # key lengths by lower-cased first word, longest first: the only lengths worth a lookup
        # of the words at a place, as written or lower-cased
        self.en_lengths: dict[str, list[int]] = {}
        for key in self.en:
            if key:
                self.en_lengths.setdefault(key[0].lower(), set()).add(len(key))
        self.en_lengths = {w: sorted(ns, reverse=True) for w, ns in self.en_lengths.items()}
        # the first two words of the longer keys, lower-cased: at "the" (the White House, the
        # United States ...) most lengths need no lookup, as the second word already differs
        self.en_pairs = {(key[0].lower(), key[1].lower()) for key in self.en if len(key) > 1}
        self.zh_rules = zh_rules
        self.en_rules = en_rules
        self.zh_titles = sorted({to_simplified(t) for t in zh_rules.get("person_titles", [])}, key=len, reverse=True)
        self.zh_title_set, self.zh_title_lengths = set(self.zh_titles), _lengths(self.zh_titles)
        self.zh_abbrev_prefixes = set(zh_rules.get("abbrev_prefixes", []))
        self.zh_abbrev_prefix_lengths = _lengths(self.zh_abbrev_prefixes)
        self.zh_location_prefixes = set(zh_rules.get("location_prefixes", []))
        self.zh_gpe_blocking_suffixes = tuple(zh_rules.get("gpe_blocking_suffixes", []))  # tuples for str.startswith
        self.zh_venue_suffixes = tuple(zh_rules.get("venue_suffixes", []))
        self.zh_surname_starts = _char_class({w[0] for w in zh_rules.get("surnames", []) if w})
        self.zh_office_starts = _char_class({w[0] for w in zh_rules.get("generic_offices", {}) if w})
        self.zh_person_tags = {tag for tag, kind in zh_rules.get("unknown_pos", {}).items() if kind == "PERSON"}
        self.zh_org_suffixes = sorted({to_simplified(t) for t in zh_rules.get("org_suffixes", [])}, key=len, reverse=True)
        self.zh_org_suffixes_by_last: dict[str, list[str]] = {}  # same order, keyed by the last character
        for suffix in self.zh_org_suffixes:
            self.zh_org_suffixes_by_last.setdefault(suffix[-1], []).append(suffix)
        self.zh_org_suffix_ends = _char_class(self.zh_org_suffixes_by_last)
        self.not_actors_zh = {to_simplified(t) for t in zh_rules.get("not_actors", [])}
        # rule lists as the matcher asks them, made once here rather than once per Doc
        self.zh_suffix_exceptions = set(zh_rules.get("org_suffix_exceptions", []))
        self.zh_abbrev_run_blockers = set(zh_rules.get("abbrev_run_blockers", []))
        self.zh_abbrev_run_suffixes = set(zh_rules.get("abbrev_run_suffixes", []))
        self.zh_surnames = set(zh_rules.get("surnames", []))
        self.zh_generic_words = sorted([*zh_rules.get("generic_org_words", []), *self.zh_org_suffixes], key=len, reverse=True)
        self.zh_speech_verbs = set(zh_rules.get("speech_verbs", []))
        # a verb of saying starting at a given place (_speaks tries the first few places)
        self.zh_speech_verb_at = re.compile("|".join(map(re.escape, zh_rules.get("speech_verbs", []))) or "(?!)")
        self.en_titles = {tuple(en_tokenize(t)) for t in en_rules.get("person_titles", [])}
        self.en_title_max = max((len(t) for t in self.en_titles), default=1)
        self.en_title_lengths: dict[str, list[int]] = {}  # title lengths by first word, longest first
        for title in self.en_titles:
            if title:
                self.en_title_lengths.setdefault(title[0], set()).add(len(title))
        self.en_title_lengths = {w: sorted(ns, reverse=True) for w, ns in self.en_title_lengths.items()}
        self.en_org_suffixes = set(en_rules.get("org_suffixes", []))
        self.not_actors_en = set(en_rules.get("not_actors", []))
        self.speech_verbs = set(en_rules.get("speech_verbs", []))
        self.title_modifiers = set(en_rules.get("title_modifiers", []))
        self.en_location_prefixes = set(en_rules.get("location_prefixes", []))

    def _index(self, e: dict, en_tokenize) -> None:
        eid = e["id"]
        if eid.startswith("office:"):
            for title in (e.get("titles") or {}).get("zh") or []:
                self.zh.setdefault(self.to_simplified(title), set()).add(Target("title", eid, e.get("country")))
            for title in [(e.get("name") or {}).get("zh-Hant")]:
                if title:
                    self.zh.setdefault(self.to_simplified(title), set()).add(Target("title", eid, e.get("country")))
            for title in [(e.get("name") or {}).get("en"), *((e.get("titles") or {}).get("en") or [])]:
                if title:
                    self.en.setdefault(tuple(en_tokenize(title)), set()).add(Target("title", eid, e.get("country")))
            return
        name = e.get("name") or {}
        aliases = e.get("aliases") or {}
        for surface in [name.get("zh-Hant"), name.get("zh-Hans"), *(aliases.get("zh") or [])]:
            if surface:
                self.zh.setdefault(self.to_simplified(surface), set()).add(Target("name", eid))
        for surface in [name.get("en"), *(aliases.get("en") or [])]:
            if surface:
                self.en.setdefault(tuple(en_tokenize(surface)), set()).add(Target("name", eid))
        local = e.get("local_aliases") or {}
        for surface in local.get("zh") or []:
            self.zh.setdefault(self.to_simplified(surface), set()).add(Target("local", eid, e.get("country")))
        for surface in local.get("en") or []:
            self.en.setdefault(tuple(en_tokenize(surface)), set()).add(Target("local", eid, e.get("country")))
        for ch in (e.get("abbrev") or {}).get("zh") or []:
            self.abbrev.setdefault(self.to_simplified(ch), eid)
        for role in e.get("roles") or []:
            self.holders.setdefault(role["office"], []).append((str(role.get("from") or "0000"), str(role.get("to") or "9999"), eid))

    def country_of(self, actor_id: str) -> str | None:
        entry = self.actors.get(actor_id) or self.offices.get(actor_id)
        if entry and entry.get("country"):
            return entry["country"]
        prefix, _, rest = actor_id.partition(":")
        return rest if prefix in ("gpe", "gov") else None

    def holder(self, office_id: str, date: str | None) -> str:
        """The person holding an office on a date; the office itself when undated or unknown."""
        if not date:
            return office_id
        for start, end, person in self.holders.get(office_id, []):
            if start <= date <= end:
                return person
        return office_id

    def type_of(self, actor_id: str) -> str:
        entry = self.actors.get(actor_id) or self.offices.get(actor_id)
        return entry.get("type", "ORG") if entry else "ORG"

    def info(self, actor_id: str) -> ActorInfo:
        """A new ActorInfo for an id (each Doc gets its own), from its fields read at start-up."""
        fields = self.info_fields.get(actor_id)
        return ActorInfo(*fields) if fields else ActorInfo(actor_id, "ORG", False)


class ActorTagger:
    """The `newsargs_actors` component."""

    def __init__(self, lexicon: ActorLexicon, provenance: dict):
        self.lex = lexicon
        self.provenance = provenance

    def __call__(self, doc: Doc) -> Doc:
        ext = doc._  # each read of `doc._` makes a new accessor object: one will do
        meta = ext.meta
        date = _iso(meta.get("date")) if meta else None
        english = ext.simplified is None
        matcher = EnglishMatcher(self.lex, doc) if english else ChineseMatcher(self.lex, doc)
        mentions = matcher.run(date)
        inner = _inside_tokens(matcher.starts, matcher.ends, {m.start for m in mentions} | {m.end for m in mentions})
        if inner:
            split_at(doc, inner)
        hant = not english and ext.lang == "zh-Hant"
        spans, infos = [], {}
        for m in sorted(mentions, key=attrgetter("start")):
            span = doc.char_span(m.start, m.end, label=m.type, kb_id=m.id)
            if span is None:
                continue
            spans.append(span)
            if m.id not in infos:
                # an unknown actor's Traditional name: the span's own characters, as written
                infos[m.id] = self.lex.info(m.id) if m.linked else _unknown_info(m, english, span.text if hant else None)
        doc.spans["actors"] = spans
        ext.actors = list(infos.values())
        ext.provenance = {**(ext.provenance or {}), "actors": self.provenance}
        return doc


def _unknown_info(m: Mention, english: bool, hant: str | None) -> ActorInfo:
    surface = m.id.split(":", 1)[1]
    if english:
        return ActorInfo(m.id, m.type, False, name_en=surface)
    return ActorInfo(m.id, m.type, False, name_hant=hant, name_hans=surface)


def _iso(value) -> str | None:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()[:10]
    return str(value)[:10] if value else None


def _inside_tokens(starts: list[int], ends: list[int], offsets: set[int]) -> set[int]:
    """The offsets strictly inside a token, the only ones a split cuts at (most mentions
    already sit on token boundaries, and most Docs then need no split at all)."""
    inner = set()
    for o in offsets:
        k = bisect.bisect_right(starts, o) - 1
        if k >= 0 and starts[k] < o < ends[k]:
            inner.add(o)
    return inner


def _token_table(doc: Doc, attr=TAG) -> tuple[list[int], list[int], list[str]]:
    """Token start and end offsets and one string attribute (the tag, or the text: ORTH) as plain
    lists, read once per Doc: the matchers look tokens up many times, and iterating a Doc builds
    a Token object per step (doc.text too: spaCy joins every token's text on each read).
    Token texts are sliced from the kept text, cheaper than a string-store lookup per word."""
    idx, length, value = doc.to_array([IDX, LENGTH, attr]).T.tolist() if len(doc) else ([], [], [])
    ends = list(map(operator.add, idx, length))
    if attr == ORTH:
        text = doc_text(doc)
        return idx, ends, [text[s:e] for s, e in zip(idx, ends)]
    strings = doc.vocab.strings
    names = {h: strings[h] for h in set(value)}
    return idx, ends, list(map(names.__getitem__, value))


class ChineseMatcher:
    """Finds mentions in one Chinese (or mixed) Doc; all offsets are into doc.text."""

    def __init__(self, lex: ActorLexicon, doc: Doc):
        self.lex = lex
        self.doc = doc
        self.simp = doc._.simplified  # as long as doc.text, so its offsets are the text's
        self.starts, self.ends, self.tags = _token_table(doc)
        self.tokens = list(zip(self.starts, self.ends, self.tags))
        # token boundaries: the index of the token starting at each token start, and the text's end
        self.bounds = dict(zip(self.starts, range(len(self.starts))))
        self.bounds[len(self.simp)] = len(self.starts)
        self.book_titles = "《" in self.simp or "〈" in self.simp
        self.covered = bytearray(len(self.simp))  # 1 where a mention found so far lies
        self.suffix_exceptions = lex.zh_suffix_exceptions
        self.place_end = -1

    def _token_at(self, i: int) -> int | None:
        """The index of the token holding character i (None between tokens)."""
        k = bisect.bisect_right(self.starts, i) - 1
        return k if k >= 0 and i < self.ends[k] else None

    def _tokens_ending_in(self, chars: re.Pattern):
        """Indices of the tokens whose last character matches `chars`, in order: a look at a
        few candidates instead of every token."""
        for hit in chars.finditer(self.simp):
            k = self._token_at(hit.start())
            if k is not None and self.ends[k] == hit.end():
                yield k

    def _tokens_starting_in(self, chars: re.Pattern):
        """Indices of the tokens whose first character matches `chars`, in order."""
        for hit in chars.finditer(self.simp):
            k = self.bounds.get(hit.start())
            if k is not None and k < len(self.starts):
                yield k

    @cached_property
    def home(self) -> str | None:
        """The country an article is written from (Taiwan, Hong Kong; mainland for Simplified);
        worked out on first use, as few Docs need it."""
        counts = {c: sum(self.simp.count(w) for w in words) for c, words in self.lex.zh_rules.get("home_markers", {}).items()}
        best = max(counts, key=counts.get, default=None)
        if best and counts[best] >= 2:
            return best
        return "chn" if self.doc._.lang == "zh-Hans" else None

    def run(self, date: str | None) -> list[Mention]:
        self.date = date
        found = self.registry_matches() + self.latin_matches()
        self._cover(found)
        found += self.abbreviations()
        self._cover(found)
        found = [m for m in found if not self._in_book_title(m.start)]  # 《香港政策法》 is a law
        unknown = [m for m in self.unknowns() if not self._in_book_title(m.start)]
        spans = [(m.start, m.end) for m in unknown]
        found = [m for m in found if not any(s <= m.start and m.end <= e for s, e in spans)] + unknown
        found += self.generic_offices(found)
        return self.resolve(sorted(found, key=lambda m: m.start), date)

    # 1. registry names -------------------------------------------------------------------
    def _longest(self, i: int, aligned: bool, limit: int | None = None):
        """The longest registry name at i (ending at a token boundary if aligned, by limit)."""
        limit = len(self.simp) if limit is None else min(limit, len(self.simp))
        for head in (self.simp[i : i + 2], self.simp[i]):  # longer names first, then one-character ones
            for n in self.lex.zh_lengths.get(head, ()):
                end = i + n
                if end <= limit and (not aligned or end in self.bounds) and self.simp[i:end] in self.lex.zh:
                    return self.simp[i:end]
        return None

    def _name_places(self) -> list[int]:
        """The positions where some registry name begins (its first two characters), in order:
        one regex scan for a possible first and second character, then the exact head."""
        heads, simp = self.lex.zh_lengths, self.simp
        return [i for i in map(re.Match.start, self.lex.zh_starts.finditer(simp)) if simp[i : i + 2] in heads or simp[i] in heads]

    def registry_matches(self) -> list[Mention]:
        out = []
        i = 0
        places = self._name_places()
        for place in places:
            if place < i:
                continue  # inside the name just found
            i = place
            surface = self._longest(i, aligned=True) if i in self.bounds or self._after_prefix(i) else None
            if surface is None and i in self.bounds:
                surface = self._person_in_token(i)
            if surface and not self._blocked_gpe(i, surface):
                out.extend(self._targets(i, i + len(surface), surface))
                i += len(surface)
        taken = bytearray(len(self.simp))
        for m in out:
            taken[m.start : m.end] = b"\x01" * (m.end - m.start)
        for s in places:  # a token made of several names (北京中南海) starts where a name may
            k = self.bounds.get(s)
            if k is None or k == len(self.starts):
                continue
            e = self.ends[k]
            if e - s < 3 or any(taken[s:e]):
                continue
            parts, i = [], s
            while i < e:
                surface = self._longest(i, aligned=False, limit=e)
                if not surface:
                    break
                parts.append((i, surface))
                i += len(surface)
            if i == e and len(parts) > 1:
                for start, surface in parts:
                    out.extend(self._targets(start, start + len(surface), surface))
        return out

    def _in_book_title(self, i: int) -> bool:
        """Inside 《…》 or 〈…〉: the name of a law, report or book, not an actor."""
        if not self.book_titles:
            return False
        opened = max(self.simp.rfind("《", 0, i), self.simp.rfind("〈", 0, i))
        closed = max(self.simp.rfind("》", 0, i), self.simp.rfind("〉", 0, i))
        return opened > closed

    def _person_in_token(self, i: int) -> str | None:
        """jieba glued a verb to a known name (拜登簽署): the person's name still counts."""
        _, end, tag = self.tokens[self._token_at(i)]
        if tag not in ("nr", "nrt", "nrfg"):
            return None
        surface = self._longest(i, aligned=False, limit=end)
        if surface and len(surface) >= 2 and all(t.kind == "name" and t.id.startswith("person:") for t in self.lex.zh[surface]):
            return surface
        return None

    def _after_prefix(self, i: int) -> bool:
        """jieba cut 對華|為: a name may start right after a prefix inside a token."""
        k = self._token_at(i)
        return k is not None and self.simp[self.tokens[k][0] : i] in self.lex.zh_abbrev_prefixes

    def _blocked_gpe(self, i: int, surface: str) -> bool:
        """A country or capital used as a place (在越南設廠, 美國市場) or a people (中國人)."""
        state = self.lex.zh_state.get(surface)
        if state is None:
            return False
        end = i + len(surface)
        rest = self.simp[end : end + 3]
        if self.place_end >= 0 and i - self.place_end == 1 and self.simp[self.place_end] in ("及", "和", "与", "、", "或"):
            self.place_end = end  # 轉移至越南及墨西哥: the second is a place too
            return True
        if state == "gpe" and rest.startswith(self.lex.zh_gpe_blocking_suffixes):
            return True
        venue = state == "gov" and not surface.endswith("方")
        if venue and rest.startswith(self.lex.zh_venue_suffixes):
            return True
        k = self._token_at(i - 1)
        if k is not None and self.simp[self.tokens[k][0] : self.tokens[k][1]] in self.lex.zh_location_prefixes:
            self.place_end = end
            return True
        return False

    def _targets(self, start: int, end: int, surface: str) -> list[Mention]:
        name = self.lex.zh_name_of[surface]
        if name is not None:
            return [Mention(start, end, name, self.lex.type_of(name))]
        kind = "title" if any(t.kind == "title" for t in self.lex.zh[surface]) else "local"
        return [Mention(start, end, "?" + surface, "PERSON" if kind == "title" else "ORG", kind=kind)]

    def latin_matches(self) -> list[Mention]:
        """Latin names inside Chinese text (TikTok, IEA, NATO), one token each."""
        out = []
        text = doc_text(self.doc)
        for k, (s, e, tag) in enumerate(self.tokens):
            if tag != "eng":
                continue
            for t in self.lex.en.get((text[s:e],), ()):
                if t.kind == "name":
                    out.append(Mention(s, e, t.id, self.lex.type_of(t.id)))
                    break
        return out

    def _cover(self, mentions: list[Mention]) -> None:
        for m in mentions:
            self.covered[m.start : m.end] = b"\x01" * (m.end - m.start)

    # 2. one-character country forms ------------------------------------------------------
    def abbreviations(self) -> list[Mention]:
        blockers, suffixes = self.lex.zh_abbrev_run_blockers, self.lex.zh_abbrev_run_suffixes
        abbrev = self.lex.abbrev
        out = []
        i, n = 0, len(self.simp)
        while (hit := self.lex.abbrev_chars.search(self.simp, i)) is not None:
            i = hit.start()
            if self.covered[i]:
                i += 1
                continue
            j = i
            while j < n and not self.covered[j] and self.simp[j] in abbrev:
                j += 1
            run = list(range(i, j))
            ids = [abbrev[self.simp[c]] for c in run]
            if len(run) >= 2 and len(set(ids)) == len(ids) and self._run_ok(i, j, blockers, suffixes):
                out.extend(Mention(c, c + 1, abbrev[self.simp[c]], "GPE", kind="abbrev") for c in run)
            elif len(run) == 1 and self._prefixed(i):
                out.append(Mention(i, i + 1, ids[0], "GPE", kind="abbrev"))
            i = j
        return out

    def _run_ok(self, i: int, j: int, blockers: set, suffixes: set) -> bool:
        """中美, 美日韓, 中美關係: the run starts a jieba token that is the run (+ a relation word)."""
        if i not in self.bounds or (j < len(self.simp) and self.simp[j] in blockers):
            return False
        if all(c in self.bounds for c in range(i, j + 1)):  # 中 | 美 | 之間: one token each
            return any(self.simp.startswith(x, j) for x in suffixes)
        tok_start, tok_end, _ = self.tokens[self._token_at(i)]
        if tok_start != i or tok_end < j:
            return False
        return tok_end == j or self.simp[j:tok_end] in suffixes

    def _prefixed(self, i: int) -> bool:
        """對華, 訪美: the character follows a prefix inside one token, or stands alone after it.
        The token is looked up only after a prefix is seen (most characters follow none)."""
        for n in self.lex.zh_abbrev_prefix_lengths:
            if i - n >= 0 and self.simp[i - n : i] in self.lex.zh_abbrev_prefixes:
                tok_start, tok_end, _ = self.tokens[self._token_at(i)]
                if tok_start == i - n:
                    return True
                if tok_start == i and tok_end == i + 1:
                    return True
        return False

    # 4. unknown names ----------------------------------------------------------------------
    NAME_JOINERS = ("·", "‧", "•", "・", "-")
    NOUNISH = ("n", "nz", "nt", "ns", "nr", "nrt", "nrfg", "vn", "v", "j", "l", "b", "an", "eng", "s", "f", "m")
    ORG_JOINERS = ("及", "与", "和", "暨")

    def unknowns(self) -> list[Mention]:
        found = self._unknown_orgs() + self._unknown_people()
        return found + self._surname_names(found)

    def _unknown_orgs(self) -> list[Mention]:
        """Runs of nouns that start with a proper name and end with an organisation word."""
        out = []
        suffixes = self.lex.zh_org_suffixes
        for k in self._tokens_ending_in(self.lex.zh_org_suffix_ends):
            s, e, tag = self.tokens[k]
            word = self.simp[s:e]
            if self.covered[s] or word in self.suffix_exceptions:
                continue  # inside a name already found (外交部), or a word that only looks like one
            ending = self.lex.zh_org_suffixes_by_last[self.simp[e - 1]]
            suffix = next((x for x in ending if self.simp.endswith(x, 0, e) and (e - len(x) in self.bounds or word.endswith(x))), None)
            if suffix is None:
                continue
            k = self._token_at(min(s, e - len(suffix))) if e - len(suffix) >= 0 else k
            first = k
            while first > 0 and k - first < 5:
                ps, pe, ptag = self.tokens[first - 1]
                joiner = (self.simp[ps:pe] in self.ORG_JOINERS and first - 2 >= 0 and self.tokens[first - 2][2].startswith(self.NOUNISH)
                          and not any(self.simp.endswith(x, 0, self.tokens[first - 2][1]) for x in suffixes))
                if not ptag.startswith(self.NOUNISH) and not joiner:
                    break
                if self.covered[ps] and not self._place_name(ps):
                    break  # 中共 + 政治勢力… is no organisation name
                first -= 1
                if self.covered[ps]:
                    break
            # the run must open with a proper name (or a registry name), not a common noun
            while first < k:
                ftag = self.tokens[first][2]
                if self.covered[self.tokens[first][0]] or ftag in ("ns", "nz", "nt", "nr", "nrt", "nrfg", "j", "eng"):
                    break
                first += 1
            start = self.tokens[first][0]
            if first == k and (tag != "nt" or len(word) < 3):
                continue
            if self._generic_org(start, e):
                continue  # 俄羅斯銀行, 美國公司控股: a known name and generic words
            name = self.simp[start:e]
            if name in self.lex.not_actors_zh or len(name) < 3:
                continue
            gov = self._country_government(start, e)
            if gov is not None:
                out.append(Mention(start, e, gov, "GOV"))  # 吉里巴斯共和國政府 = gov:kir
                continue
            if out and out[-1].end > start:  # overlapping runs: keep the longer
                if e - start <= out[-1].end - out[-1].start:
                    continue
                out.pop()
            out.append(self._unknown(start, e, "ORG"))
        return out

    def _place_name(self, start: int) -> bool:
        """A registry name that can open a longer organisation name: a place or an institution
        (北京 + 信通產業研究所, 眾議院 + 外交事務委員會), not a party or a company."""
        surface = self._longest(start, aligned=False)
        return bool(surface) and all(self.lex.type_of(t.id) in ("GPE", "GOV", "ORG") for t in self.lex.zh[surface])

    def _country_government(self, start: int, end: int) -> str | None:
        """A registry country + (共和國|王國)? + 政府/當局 is that country's government."""
        surface = self._longest(start, aligned=False, limit=end)
        if not surface:
            return None
        ids = {t.id for t in self.lex.zh[surface] if t.kind == "name"}
        rest = self.simp[start + len(surface) : end]
        for filler in self.lex.zh_rules.get("state_fillers", []):
            if rest.startswith(filler):
                rest = rest[len(filler) :]
                break
        if len(ids) != 1 or rest not in self.lex.zh_rules.get("government_words", []):
            return None
        gov = "gov:" + next(iter(ids)).split(":", 1)[1]
        return gov if next(iter(ids)).startswith("gpe:") and gov in self.lex.actors else None

    def _generic_org(self, start: int, end: int) -> bool:
        """A registry name followed only by generic or organisation words (美國公司)."""
        name = self._longest(start, aligned=False, limit=end)
        if not name:
            return False
        rest = self.simp[start + len(name) : end]
        while rest:
            word = next((w for w in self.lex.zh_generic_words if rest.startswith(w)), None)
            if word is None:
                return False
            rest = rest[len(word) :]
        return True

    def _unknown_people(self) -> list[Mention]:
        """Person names jieba tagged, accepted after a title or before a verb of saying."""
        pos_types = self.lex.zh_rules.get("unknown_pos", {})
        out = []
        after = 0  # the first token not yet part of a name
        for k in [k for k, tag in enumerate(self.tags) if tag in self.lex.zh_person_tags]:
            s, e, tag = self.tokens[k]
            if k < after or self.covered[s]:
                continue
            last = k
            while last + 1 < len(self.tokens):
                ns_, ne_, ntag = self.tokens[last + 1]
                piece = self.simp[ns_:ne_]
                if self.covered[ns_]:
                    break
                if pos_types.get(ntag) == "PERSON" or (piece in self.NAME_JOINERS and last + 2 < len(self.tokens) and pos_types.get(self.tokens[last + 2][2]) == "PERSON"):
                    last += 1
                    continue
                break
            end = self.tokens[last][1]
            if end - s == 2 and last + 2 < len(self.tokens) and self.tokens[last + 1][1] - end == 1 and CJK.match(self.simp[end]) and self._speaks(end + 1):
                last += 1  # 邱韻 | 如 | 表示: a given name jieba cut off
                end += 1
            name = self.simp[s:end]
            joined = any(j in name for j in self.NAME_JOINERS)
            shaped = 2 <= len(name) <= (12 if joined else 6) and CJK.search(name)
            if shaped and name not in self.lex.not_actors_zh and (self._titled(s) or self._speaks(end)):
                out.append(self._unknown(s, end, "PERSON"))
            after = last + 1
        return out

    def _surname_names(self, taken: list[Mention]) -> list[Mention]:
        """After a title, a surname + one or two characters is a name jieba cut apart."""
        surnames = self.lex.zh_surnames
        busy = bytearray(len(self.simp))  # 1 inside the names found so far
        for m in taken:
            busy[m.start : m.end] = b"\x01" * (m.end - m.start)
        out = []
        for k in self._tokens_starting_in(self.lex.zh_surname_starts):
            s, e, _ = self.tokens[k]
            word = self.simp[s:e]
            if word not in surnames or self.covered[s] or busy[s] or not self._titled(s) or k + 1 >= len(self.tokens):
                continue
            ns_, ne_, _ = self.tokens[k + 1]
            given = self.simp[ns_:ne_]
            if not (1 <= len(given) <= 2 and CJK.fullmatch(given[0]) and all(CJK.match(c) for c in given)):
                continue
            if given in self.lex.zh_speech_verbs or self.covered[ns_]:
                continue
            out.append(self._unknown(s, ne_, "PERSON"))
        return out

    def _titled(self, start: int) -> bool:
        return any(start >= n and self.simp[start - n : start] in self.lex.zh_title_set for n in self.lex.zh_title_lengths)

    def _speaks(self, end: int) -> bool:
        """A verb of saying within the next six characters, starting at most 3 in and before
        any clause punctuation."""
        window = self.simp[end : end + 6]
        stop = CLAUSE_PUNCT.search(window)
        limit = min(3, stop.start() if stop else len(window))
        return any(self.lex.zh_speech_verb_at.match(window, at) for at in range(limit + 1))

    def _unknown(self, start: int, end: int, kind: str) -> Mention:
        return Mention(start, end, "unk:" + self.simp[start:end], kind, linked=False, kind="unknown")

    # 3. titles, countries, context --------------------------------------------------------
    def resolve(self, mentions: list[Mention], date: str | None) -> list[Mention]:
        out: list[Mention] = []
        recent_local: dict[str, str] = {}
        for m in mentions:
            prev = out[-1] if out else None
            adjacent = prev is not None and prev.end == m.start
            country_before = adjacent and prev.id.startswith(("gpe:", "gov:")) and prev.kind != "abbrev"
            if m.kind == "title":
                self._title(m, prev if country_before else None, date)
                if country_before and m.country == self.lex.country_of(prev.id):
                    out.pop()
                    m.start = prev.start
            elif m.kind == "local":
                if not self._local(m, prev if country_before else None, out, recent_local):
                    continue
                if country_before and self.lex.country_of(m.id) == self.lex.country_of(prev.id):
                    out.pop()
                    m.start = prev.start
            elif m.type == "PERSON" and adjacent and prev.kind == "title":
                out.pop()  # title + name: one mention of the named person
                m.start = prev.start
            if m.type == "PERSON" and m.kind != "title":
                m.start = self._generic_title_start(m.start, out)
            if out and out[-1].end == m.start and out[-1].id == m.id and m.kind != "title":
                out[-1].end = m.end  # 北京中南海: two adjacent names of one actor
                continue
            out.append(m)
        return [m for m in out if not m.id.startswith("?")]

    def _title(self, m: Mention, prev: Mention | None, date: str | None) -> None:
        """Resolve a title to its office (by the country before it) and the holder on the date."""
        if not m.id.startswith("?"):
            return  # a generic office, resolved when it was found
        targets = [t for t in self.lex.zh[m.id[1:]] if t.kind == "title"]
        country = self.lex.country_of(prev.id) if prev else None
        chosen = next((t for t in targets if t.country == country), None) if country else None
        if chosen is None and len({t.id for t in targets}) == 1:
            chosen = targets[0]
        if chosen is None:
            return
        m.id = self.lex.holder(chosen.id, date)
        m.country = chosen.country
        m.type = "PERSON"
        m.linked = True

    def generic_offices(self, mentions: list[Mention]) -> list[Mention]:
        """Bare titles (外交部長) as the office of the country before them or of the article."""
        table = self.lex.zh_rules.get("generic_offices", {})
        busy = bytearray(len(self.simp))  # 1 inside the mentions
        for m in mentions:
            busy[m.start : m.end] = b"\x01" * (m.end - m.start)
        out = []
        for k in self._tokens_starting_in(self.lex.zh_office_starts):
            s, e, _ = self.tokens[k]
            role = table.get(self.simp[s:e])
            if role is None or any(busy[s:e]):
                continue
            before = next((m for m in mentions if m.end == s and m.id.startswith(("gpe:", "gov:"))), None)
            country = self.lex.country_of(before.id) if before else self.home
            office = f"office:{country}-{role}"
            if country and office in self.lex.offices:
                out.append(Mention(s, e, self.lex.holder(office, self.date), "PERSON", kind="title", country=country))
        return out

    def _local(self, m: Mention, prev: Mention | None, done: list[Mention], recent: dict[str, str]) -> bool:
        """Resolve a context-dependent name (商務部) by the country before it, earlier use, or context."""
        surface = m.id[1:]
        targets = [t for t in self.lex.zh[surface] if t.kind == "local"]
        by_country = {t.country: t.id for t in targets}
        country = self.lex.country_of(prev.id) if prev else None
        chosen = by_country.get(country)
        if chosen is None and surface in recent:
            chosen = recent[surface]
        if chosen is None:
            chosen = by_country.get(self.home)
        if chosen is None:
            for earlier in reversed(done):
                if self.lex.country_of(earlier.id) in by_country and earlier.id.startswith(("gpe:", "gov:")):
                    chosen = by_country[self.lex.country_of(earlier.id)]
                    break
        if chosen is None and len(by_country) == 1:
            chosen = next(iter(by_country.values()))
        if chosen is None:
            return False
        recent[surface] = chosen
        m.id, m.type, m.kind, m.linked = chosen, self.lex.type_of(chosen), "name", True
        return True

    def _generic_title_start(self, start: int, done: list[Mention]) -> int:
        """Extend a person mention over the generic title right before it (主任帕斯卡爾蘭)."""
        original = start
        moved = True
        while moved:
            moved = False
            for n in self.lex.zh_title_lengths:
                s = start - n
                if s >= 0 and self.simp[s:start] in self.lex.zh_title_set and not any(self.covered[s:start]):
                    start, moved = s, True
                    for prefix in self.lex.zh_rules.get("title_prefixes", []):
                        if self.simp[start - len(prefix) : start] == prefix and not any(self.covered[start - len(prefix) : start]):
                            start -= len(prefix)
                            break
                    if self.simp[start - 1 : start] in ("兼", "暨"):
                        start -= 1
                    break
        titled = start != original
        # organisation + title + name is one mention of the person (中國外交部發言人華春瑩)
        while titled and done and done[-1].end == start and done[-1].type != "PERSON" and done[-1].kind != "abbrev" and not done[-1].id.startswith("?"):
            start = done.pop().start  # 中華經濟研究院 + 第一研究所 + 副研究員 + name
        if done and done[-1].end == start and done[-1].type == "GPE" and done[-1].kind != "abbrev":
            return done.pop().start
        return start


class EnglishMatcher:
    """Finds mentions in one English Doc by token sequences."""

    def __init__(self, lex: ActorLexicon, doc: Doc):
        self.lex = lex
        self.doc = doc
        self.starts, self.ends, self.texts = _token_table(doc, ORTH)
        self.lowered = [w.lower() for w in self.texts]  # the registry lookup's case-folded key, once per token

    def run(self, date: str | None) -> list[Mention]:
        out: list[Mention] = []
        recent_local: dict[tuple, str] = {}
        places = self._places()
        i, k = 0, 0
        while (k := bisect.bisect_left(places, i, k)) < len(places):
            i = places[k]
            m, length = self._registry(i, date, out, recent_local)
            if m is None:
                m, length = self._unknown(i, out)
            if m is None:
                i += 1
                continue
            out.append(m)
            i += length
        return self._surnames(self._title_heads(out))

    def _places(self) -> list[int]:
        """The tokens a mention can start at: a registry key's first word, a title's first
        word or modifier, or a capitalised word. Most tokens are none of these, and the match
        tries there would all fail."""
        lex = self.lex
        starters = {word for word in set(self.texts)  # each distinct word tested once
                    if word[:1].isupper() or word.lower() in lex.en_lengths or word in lex.title_modifiers or word in lex.en_title_lengths}
        return [k for k, word in enumerate(self.texts) if word in starters]

    def _title_heads(self, mentions: list[Mention]) -> list[Mention]:
        """"Russian Deputy Prime Minister X", "US Energy Secretary X": the head words join the person."""
        starts = {s: k for k, s in enumerate(self.starts)}
        out: list[Mention] = []
        for m in mentions:
            i = starts.get(m.start)
            titled = m.type == "PERSON" and i is not None and i + 1 < len(self.texts) and self._has_title(i)
            if titled:
                k = i
                while k > 0 and i - k < 2 and self._cap(k - 1) and not self.doc[k].is_sent_start and not (out and out[-1].end > self.starts[k - 1]):
                    k -= 1
                if out and k > 0 and out[-1].end == self.ends[k - 1] and out[-1].end + 1 >= self.starts[k] and out[-1].id.startswith(("gpe:", "gov:", "org:", "company:")):
                    k = starts.get(out.pop().start, k)
                m.start = self.starts[k]
            out.append(m)
        return out

    def _has_title(self, i: int) -> bool:
        for tl in range(min(self.lex.en_title_max + 1, len(self.texts) - i), 0, -1):
            words = tuple(self.texts[i : i + tl])
            if words in self.lex.en_titles or (words[0] in self.lex.title_modifiers and words[1:] in self.lex.en_titles):
                return True
        return False

    def _span(self, i: int, j: int) -> tuple[int, int]:
        return self.starts[i], self.ends[j - 1]

    def _text(self, i: int, j: int) -> str:
        """The text of tokens i..j-1 as written (a Span joins its own tokens; doc.text joins all)."""
        return self.doc[i:j].text

    def _registry(self, i: int, date, out, recent) -> tuple[Mention | None, int]:
        pair = tuple(self.lowered[i : i + 2])
        for length in self.lex.en_lengths.get(self.lowered[i], ()):
            if length > len(self.texts) - i or (length > 1 and pair not in self.lex.en_pairs):
                continue
            key = tuple(self.texts[i : i + length])
            targets = self.lex.en.get(key)
            if not targets and length > 1:
                targets = self.lex.en.get(tuple(self.lowered[i : i + length]))
            if not targets:
                continue
            start, end = self._span(i + 1 if key[0] in ("the", "The") and length > 1 else i, i + length)
            names = [t for t in targets if t.kind == "name"]
            if names:
                t = names[0]
                first = i + 1 if key[0] in ("the", "The") else i
                before = first - 1 - (first > 1 and self.texts[first - 1] in ("the", "The"))
                if t.id.startswith("gpe:") and before >= 0 and self.texts[before].lower() in self.lex.en_location_prefixes:
                    return None, 0  # "factories in Mexico": a place
                return Mention(start, end, t.id, self.lex.type_of(t.id)), length
            titles = [t for t in targets if t.kind == "title"]
            if titles:
                # title + name: let the name decide; else the holder on the date
                nxt, nlen = self._registry_name_after(i + length)
                if nxt is not None:
                    _, e = self._span(i + length, i + length + nlen)
                    return Mention(start, e, nxt, "PERSON"), length + nlen
                holder = self.lex.holder(titles[0].id, date)
                j = i + length
                while j < len(self.texts) and j - (i + length) < 3 and self._cap(j):
                    j += 1
                if j > i + length:  # title + a name the registry does not know
                    _, e = self._span(i + length, j)
                    pid = holder if holder.startswith("person:") else "unk:" + " ".join(self.texts[i + length : j])
                    return Mention(start, e, pid, "PERSON", linked=pid.startswith("person:"), kind="name" if pid.startswith("person:") else "unknown"), j - i
                return Mention(start, end, holder, "PERSON"), length
            locals_ = {t.country: t.id for t in targets if t.kind == "local"}
            owner = out[-1] if out and i >= 2 and self.texts[i - 1] in ("'s", "’s") and out[-1].end == self.starts[i - 1] else None
            if owner is not None and self.lex.country_of(owner.id) in locals_:
                out.pop()  # China's commerce ministry: one mention of the ministry
                chosen = locals_[self.lex.country_of(owner.id)]
                return Mention(owner.start, end, chosen, self.lex.type_of(chosen)), length
            context = (self.lex.country_of(m.id) for m in reversed(out) if m.id.startswith(("gpe:", "gov:")))
            chosen = recent.get(key) or next((locals_[c] for c in context if c in locals_), None)
            if chosen is None and len(locals_) == 1:
                chosen = next(iter(locals_.values()))
            if chosen:
                recent[key] = chosen
                return Mention(start, end, chosen, self.lex.type_of(chosen)), length
        return None, 0

    def _registry_name_after(self, i: int) -> tuple[str | None, int]:
        for length in self.lex.en_lengths.get(self.lowered[i], ()) if i < len(self.texts) else ():
            if length > len(self.texts) - i:
                continue
            for t in self.lex.en.get(tuple(self.texts[i : i + length]), ()):
                if t.kind == "name" and t.id.startswith("person:"):
                    return t.id, length
        return None, 0

    def _cap(self, k: int) -> bool:
        word = self.texts[k] if k < len(self.texts) else ""
        return word[:1].isupper() and word not in self.lex.not_actors_en and word.replace("-", "").replace("'", "").isalpha()

    def _unknown(self, i: int, out) -> tuple[Mention | None, int]:
        m, n = self._unknown_candidate(i, out)
        if m is not None and m.id[4:] in self.lex.not_actors_en:
            return None, 0  # "Cold War"
        return m, n

    def _unknown_candidate(self, i: int, out) -> tuple[Mention | None, int]:
        # title + capitalised name
        mods = (1, 0) if self.texts[i] in self.lex.title_modifiers else (0,)
        # (modifier, title end) pairs to try, longest title first; only lengths of titles that
        # start with the word there
        spans = [(mod, mod + n) for mod in mods if i + mod < len(self.texts)
                 for n in self.lex.en_title_lengths.get(self.texts[i + mod], ()) if i + mod + n <= len(self.texts)]
        for mod, tl in spans:
            if tuple(self.texts[i + mod : i + tl]) in self.lex.en_titles:
                known, klen = self._registry_name_after(i + tl)
                if known:
                    start, end = self._span(i, i + tl + klen)
                    return Mention(start, end, known, "PERSON"), tl + klen
                j = self._name_end(i + tl)
                if j - (i + tl) >= 2 or (j - (i + tl) == 1 and self._speech_near(i, j)):
                    start, end = self._span(i, j)
                    name = self._text(i + tl, j)
                    return Mention(start, end, "unk:" + name, "PERSON", linked=False, kind="unknown"), j - i
                break
        if not self._cap(i):
            return None, 0
        # capitalised run ending with an organisation word: "Pascal Institute for Strategy"
        j = i
        while j < len(self.texts) and (self._cap(j) or self.texts[j] in self.lex.en_org_suffixes or (self.texts[j] in ("of", "for", "and", "&", "on") and self._cap(j + 1))):
            j += 1
        if j - i >= 2 and any(self.texts[k] in self.lex.en_org_suffixes for k in range(i, j)):
            while self.texts[j - 1] in ("of", "for", "and", "&", "on"):
                j -= 1
            start, end = self._span(i, j)
            return Mention(start, end, "unk:" + self._text(i, j), "ORG", linked=False, kind="unknown"), j - i
        # a two- or three-word capitalised name next to a verb of saying
        j = i
        while j < len(self.texts) and j - i < 3 and self._cap(j):
            j += 1
        appositive = j + 2 < len(self.texts) and self.texts[j] == "," and self.texts[j + 1] in ("a", "an", "the", "who", "whose")
        if j - i >= 2 and (appositive or (self._speech_near(i, j) and i > 0 and not self.doc[i].is_sent_start)):
            start, end = self._span(i, j)
            return Mention(start, end, "unk:" + self._text(i, j), "PERSON", linked=False, kind="unknown"), j - i
        return None, 0

    NAME_PARTICLES = {"al", "el", "bin", "ibn", "van", "von", "de", "da", "del", "der", "la", "le", "du", "-"}

    def _name_end(self, i: int) -> int:
        """End of a capitalised name from token i: up to three words, particles inside
        ("Saad al-Kaabi", "Ursula von der Leyen")."""
        j, words = i, 0
        while j < len(self.texts) and words < 3:
            if self._cap(j):
                j, words = j + 1, words + 1
            elif words and self.texts[j] in self.NAME_PARTICLES:
                k = j
                while k < len(self.texts) and self.texts[k] in self.NAME_PARTICLES:
                    k += 1
                if not self._cap(k):
                    break
                j = k
            else:
                break
        return j

    def _speech_near(self, i: int, j: int) -> bool:
        window = self.texts[max(0, i - 2) : i] + self.texts[j : j + 4]
        return any(w in self.lex.speech_verbs for w in window)

    def _surnames(self, mentions: list[Mention]) -> list[Mention]:
        """Later surname-only mentions of an unknown person ("Doe said")."""
        surnames = {m.id.split(" ")[-1]: m.id for m in mentions if m.kind == "unknown" and m.type == "PERSON"}
        if not surnames:
            return mentions
        taken = {(m.start, m.end) for m in mentions}
        covered = {c for m in mentions for c in range(m.start, m.end)}
        extra = []
        for word, s, e in zip(self.texts, self.starts, self.ends):
            pid = surnames.get(word)
            if pid and s not in covered and (s, e) not in taken:
                extra.append(Mention(s, e, pid, "PERSON", linked=False, kind="unknown"))
        return sorted(mentions + extra, key=lambda m: m.start)


def _file_digest(paths: list[Path]) -> str:
    h = hashlib.sha256()
    for p in paths:
        h.update(p.read_bytes())
    return h.hexdigest()[:12]


@Language.factory(
    "newsargs_actors",
    default_config={"registry": "actors", "zh_rules": "actor-rules/zh.yaml", "en_rules": "actor-rules/en.yaml", "models": None},
    requires=["doc._.simplified"],
    assigns=["doc.spans", "doc._.actors"],
)
def make_actors(nlp: Language, name: str, registry: str, zh_rules: str, en_rules: str, models: str | None):
    from spacy.vocab import Vocab

    from ..text.segment import english_tokenizer

    root = lexicons.models_dir(models)
    converter = Converter("t2s")
    entries = lexicons.load_registry(root / registry)
    english = english_tokenizer(Vocab())
    lex = ActorLexicon(
        entries,
        lexicons.load_rules(root / zh_rules),
        lexicons.load_rules(root / en_rules),
        converter.to_simplified,
        lambda s: [t.text for t in english(s)],
    )
    files = sorted((root / registry).glob("*.yaml")) + [root / zh_rules, root / en_rules]
    provenance = {"registry": registry, "actors": len(lex.actors), "offices": len(lex.offices), "sha256": _file_digest(files)}
    return ActorTagger(lex, provenance)
