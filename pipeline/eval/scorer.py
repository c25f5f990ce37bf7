"""Scoring newsargs/1 predictions against gold: pure functions over JSON-like dicts.

Nothing here reads files or imports a pipeline stage, so the measure cannot drift with the thing
it measures. Counts are summed over documents (micro average) and turned into P/R/F1 or accuracy
at the end; the same counts give the per-language breakdown.

Matching criteria (all one-to-one, greedy: best-scoring pair first, ties by position):
- actor mentions, exact: same (start, end); `exact_id` also needs the same actor id;
  overlap: any shared character.
- actor entities: the set of (doc id, actor id); `linked` keeps actors with `linked: true` only.
- claims, `overlap`: any shared character; `token_f1`: token F1 >= 0.5 (the primary criterion,
  the one speaker, kind and cue accuracies are computed on).
- causal links, `token_f1` (primary): cause with cause and effect with effect each token F1 >=
  0.5, so a swapped pair does not match; `overlap`: cause and effect each share a character.
  Cue accuracy: some predicted cue overlaps some gold cue; negated/conditional: same boolean.

Tokens (for token F1) are the scorer's own: each CJK character is a token, each run of other
letters/digits is a token, punctuation and space are ignored. A token is identified by its
character offsets, so the same words elsewhere in the article do not count as overlap.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Callable, Iterable, Sequence

TOKEN_F1_THRESHOLD = 0.5

_CJK = (
    "\u2e80-\u2fdf"  # radicals
    "\u3040-\u30ff"  # kana
    "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"  # Han
    "\uac00-\ud7af"  # Hangul syllables
    "\U00020000-\U0003134f"  # Han extensions B-H
)
TOKEN = re.compile(rf"([{_CJK}])|([^\W_{_CJK}]+)")

# Names of the counted metrics, in report order. "prf" metrics carry tp/fp/fn, "acc" metrics
# carry correct/total.
PRF_METRICS = (
    "actors.mention.exact",
    "actors.mention.exact_id",
    "actors.mention.overlap",
    "actors.entity",
    "actors.entity.linked",
    "claims.token_f1",
    "claims.overlap",
    "causal.token_f1",
    "causal.overlap",
)
ACC_METRICS = (
    "claims.speaker",
    "claims.speaker_all",
    "claims.kind",
    "claims.cue",
    "causal.cue",
    "causal.negated",
    "causal.conditional",
)

CRITERIA = {
    "tokens": "each CJK character is a token, each run of other letters/digits is a token; "
    "punctuation and space ignored; tokens compared by character offset",
    "actors.mention.exact": "same (start, end), one-to-one",
    "actors.mention.exact_id": "same (start, end) and same actor id",
    "actors.mention.overlap": "any character overlap, one-to-one greedy by overlap size",
    "actors.entity": "set of (doc id, actor id)",
    "actors.entity.linked": "set of (doc id, actor id) over actors with linked=true",
    "claims.token_f1": "token F1 >= 0.5, one-to-one greedy (primary claim criterion)",
    "claims.overlap": "any character overlap, one-to-one greedy by overlap size",
    "claims.speaker": "same speaker, on token_f1-matched claims whose gold speaker is not null",
    "claims.speaker_all": "same speaker (null = author), on all token_f1-matched claims",
    "claims.kind": "same kind, on token_f1-matched claims",
    "claims.cue": "predicted cue overlaps gold cue, on matched claims whose gold cue is not null",
    "causal.token_f1": "cause~cause and effect~effect each token F1 >= 0.5 (swapped pairs do "
    "not match), one-to-one greedy by the weaker of the two F1s",
    "causal.overlap": "cause~cause and effect~effect each share a character, one-to-one",
    "causal.cue": "some predicted cue overlaps some gold cue, on token_f1-matched links with a gold cue",
    "causal.negated": "same negated flag, on token_f1-matched links",
    "causal.conditional": "same conditional flag, on token_f1-matched links",
}


# --- spans and tokens ---------------------------------------------------------------------------

def tokens(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """(start, end) of every token in `text`, shifted by `offset` (CJK char / letter-digit run)."""
    return [(m.start() + offset, m.end() + offset) for m in TOKEN.finditer(text)]


def span_tokens(span: dict) -> list[tuple[int, int]]:
    """The positional tokens of a {start, end, text} span."""
    return tokens(span.get("text") or "", span["start"])


def token_f1(a: dict, b: dict, positional: bool = True) -> float:
    """Token F1 between two spans; by position, or (positional=False) as bags of token strings.

    Bags are the fallback for a prediction whose text differs from the gold text, where offsets
    cannot be compared.
    """
    if positional:
        ta, tb = Counter(span_tokens(a)), Counter(span_tokens(b))
    else:
        ta = Counter(_token_strings(a.get("text") or ""))
        tb = Counter(_token_strings(b.get("text") or ""))
    common = sum((ta & tb).values())
    total = sum(ta.values()) + sum(tb.values())
    return 2 * common / total if total else 0.0


def _token_strings(text: str) -> list[str]:
    return [text[s:e].lower() for s, e in tokens(text)]


def overlap(a: dict, b: dict) -> int:
    """Characters shared by two spans."""
    return max(0, min(a["end"], b["end"]) - max(a["start"], b["start"]))


# --- matching and counts ------------------------------------------------------------------------

def match(golds: Sequence, preds: Sequence, score: Callable, accept: Callable[[float], bool]) -> list[tuple[int, int]]:
    """One-to-one greedy matching: (gold index, pred index) pairs, best score first.

    Greedy rather than optimal on purpose: it is what annotators would do by eye and is stable
    under small changes; ties go to the earlier gold and then the earlier prediction.
    """
    candidates = []
    for gi, g in enumerate(golds):
        for pi, p in enumerate(preds):
            s = score(g, p)
            if accept(s):
                candidates.append((-s, gi, pi))
    candidates.sort()
    used_g, used_p, pairs = set(), set(), []
    for _, gi, pi in candidates:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return sorted(pairs)


def prf_counts(tp: int, n_gold: int, n_pred: int) -> dict:
    return {"tp": tp, "fp": n_pred - tp, "fn": n_gold - tp}


def acc_counts(correct: int, total: int) -> dict:
    return {"correct": correct, "total": total}


def prf(counts: dict) -> dict:
    """P, R, F1 from tp/fp/fn; None where the ratio is 0/0 (nothing predicted, nothing gold)."""
    tp, fp, fn = counts["tp"], counts["fp"], counts["fn"]
    return {
        **counts,
        "p": tp / (tp + fp) if tp + fp else None,
        "r": tp / (tp + fn) if tp + fn else None,
        "f1": 2 * tp / (2 * tp + fp + fn) if tp + fp + fn else None,
    }


def accuracy(counts: dict) -> dict:
    total = counts["total"]
    return {**counts, "acc": counts["correct"] / total if total else None}


def add_counts(into: dict, counts: dict) -> dict:
    """Sum `counts` ({metric: {field: int}}) into `into`, in place; returns `into`."""
    for name, fields in counts.items():
        slot = into.setdefault(name, dict.fromkeys(fields, 0))
        for key, value in fields.items():
            slot[key] = slot.get(key, 0) + value
    return into


def finalise(counts: dict) -> dict:
    """Metric values (P/R/F1 or accuracy) for summed counts, in report order."""
    out = {}
    for name in PRF_METRICS + ACC_METRICS:
        if name in counts:
            out[name] = prf(counts[name]) if "tp" in counts[name] else accuracy(counts[name])
    return out


# --- one document -------------------------------------------------------------------------------

def _mentions(doc: dict) -> list[dict]:
    return [
        {"start": m["start"], "end": m["end"], "text": m.get("text", ""), "actor": a["id"]}
        for a in doc.get("actors") or []
        for m in a.get("mentions") or []
    ]


def score_actors(gold: dict, pred: dict) -> dict:
    """Mention-level (exact, exact+id, overlap) and entity-level (all, linked) counts."""
    gm, pm = _mentions(gold), _mentions(pred)
    exact = sum((Counter((m["start"], m["end"]) for m in gm) & Counter((m["start"], m["end"]) for m in pm)).values())
    exact_id = sum(
        (Counter((m["start"], m["end"], m["actor"]) for m in gm) & Counter((m["start"], m["end"], m["actor"]) for m in pm)).values()
    )
    over = match(gm, pm, overlap, lambda s: s > 0)
    ge = {a["id"] for a in gold.get("actors") or []}
    pe = {a["id"] for a in pred.get("actors") or []}
    gl = {a["id"] for a in gold.get("actors") or [] if a.get("linked")}
    pl = {a["id"] for a in pred.get("actors") or [] if a.get("linked")}
    return {
        "actors.mention.exact": prf_counts(exact, len(gm), len(pm)),
        "actors.mention.exact_id": prf_counts(exact_id, len(gm), len(pm)),
        "actors.mention.overlap": prf_counts(len(over), len(gm), len(pm)),
        "actors.entity": prf_counts(len(ge & pe), len(ge), len(pe)),
        "actors.entity.linked": prf_counts(len(gl & pl), len(gl), len(pl)),
    }


def _same_place(a: dict, b: dict, positional: bool) -> bool:
    """Two cue spans agree: they overlap, or (texts differ, offsets useless) have the same text."""
    return overlap(a, b) > 0 if positional else a.get("text") == b.get("text")


def _cue_hit(gold_cues: Iterable[dict], pred_cues: Iterable[dict], positional: bool = True) -> bool:
    pred_cues = list(pred_cues)
    return any(_same_place(g, p, positional) for g in gold_cues for p in pred_cues)


def score_claims(gold: dict, pred: dict, positional: bool = True) -> dict:
    """Claim detection counts (token F1 >= 0.5 and any overlap) and attribute accuracies."""
    gc, pc = list(gold.get("claims") or []), list(pred.get("claims") or [])
    primary = match(gc, pc, lambda g, p: token_f1(g, p, positional), lambda s: s >= TOKEN_F1_THRESHOLD)
    over = match(gc, pc, overlap, lambda s: s > 0) if positional else primary
    speaker, speaker_all, kind, cue = ([0, 0] for _ in range(4))
    for gi, pi in primary:
        g, p = gc[gi], pc[pi]
        same_speaker = g.get("speaker") == p.get("speaker")
        speaker_all[0] += same_speaker
        speaker_all[1] += 1
        if g.get("speaker") is not None:
            speaker[0] += same_speaker
            speaker[1] += 1
        kind[0] += g.get("kind") == p.get("kind")
        kind[1] += 1
        if g.get("cue"):
            cue[0] += bool(p.get("cue")) and _same_place(g["cue"], p["cue"], positional)
            cue[1] += 1
    return {
        "claims.token_f1": prf_counts(len(primary), len(gc), len(pc)),
        "claims.overlap": prf_counts(len(over), len(gc), len(pc)),
        "claims.speaker": acc_counts(*speaker),
        "claims.speaker_all": acc_counts(*speaker_all),
        "claims.kind": acc_counts(*kind),
        "claims.cue": acc_counts(*cue),
    }


def link_score(gold_link: dict, pred_link: dict, positional: bool = True) -> float:
    """The weaker of cause~cause and effect~effect token F1: a link is as good as its worse side."""
    return min(
        token_f1(gold_link["cause"], pred_link["cause"], positional),
        token_f1(gold_link["effect"], pred_link["effect"], positional),
    )


def match_links(golds: Sequence[dict], preds: Sequence[dict], positional: bool = True) -> list[tuple[int, int]]:
    """Causal links matched under the primary criterion (both sides token F1 >= 0.5)."""
    return match(golds, preds, lambda g, p: link_score(g, p, positional), lambda s: s >= TOKEN_F1_THRESHOLD)


def swapped_links(golds: Sequence[dict], preds: Sequence[dict], positional: bool = True) -> int:
    """How many predictions would match a gold link with cause and effect exchanged.

    A diagnostic (direction errors), counted by score_causal over links left unmatched.
    """
    flipped = [{**p, "cause": p["effect"], "effect": p["cause"]} for p in preds]
    return len(match_links(golds, flipped, positional))


def score_causal(gold: dict, pred: dict, positional: bool = True) -> dict:
    """Causal link counts (token F1 and overlap criteria) and cue/negated/conditional accuracies."""
    gl, pl = list(gold.get("causal_links") or []), list(pred.get("causal_links") or [])
    primary = match_links(gl, pl, positional)
    if positional:
        over = match(
            gl, pl,
            lambda g, p: min(overlap(g["cause"], p["cause"]), overlap(g["effect"], p["effect"])),
            lambda s: s > 0,
        )
    else:
        over = primary
    cue, negated, conditional = [0, 0], [0, 0], [0, 0]
    for gi, pi in primary:
        g, p = gl[gi], pl[pi]
        if g.get("cue"):
            cue[0] += _cue_hit(g["cue"], p.get("cue") or [], positional)
            cue[1] += 1
        negated[0] += bool(g.get("negated")) == bool(p.get("negated"))
        negated[1] += 1
        conditional[0] += bool(g.get("conditional")) == bool(p.get("conditional"))
        conditional[1] += 1
    matched_g = {gi for gi, _ in primary}
    matched_p = {pi for _, pi in primary}
    swapped = swapped_links(
        [g for i, g in enumerate(gl) if i not in matched_g], [p for i, p in enumerate(pl) if i not in matched_p], positional
    )
    return {
        "causal.swapped": {"count": swapped},
        "causal.token_f1": prf_counts(len(primary), len(gl), len(pl)),
        "causal.overlap": prf_counts(len(over), len(gl), len(pl)),
        "causal.cue": acc_counts(*cue),
        "causal.negated": acc_counts(*negated),
        "causal.conditional": acc_counts(*conditional),
    }


EMPTY = {"actors": [], "claims": [], "causal_links": []}


def score_document(gold: dict, pred: dict | None) -> dict:
    """All counts for one article; a missing prediction (None) scores as an empty one.

    When the predicted text differs from the gold text, offsets mean different things: span
    matches fall back to bags of tokens and offset-only criteria (exact/overlap) find nothing.
    """
    pred = EMPTY if pred is None else pred
    positional = "text" not in pred or pred.get("text") == gold.get("text")
    return {
        **score_actors(gold, pred),
        **score_claims(gold, pred, positional),
        **score_causal(gold, pred, positional),
    }


# --- a corpus -----------------------------------------------------------------------------------

def score_corpus(gold_docs: dict[str, dict], pred_docs: dict[str, dict]) -> dict:
    """The evaluation report (JSON-serialisable) for gold and predictions keyed by doc id.

    Gold ids without a prediction count as empty predictions and are listed in `docs.missing`;
    predictions without gold are listed in `docs.extra` and not scored.
    """
    overall: dict = {}
    by_lang: dict[str, dict] = {}
    by_doc: dict[str, dict] = {}
    mismatch = []
    for doc_id in sorted(gold_docs):
        gold = gold_docs[doc_id]
        pred = pred_docs.get(doc_id)
        counts = score_document(gold, pred)
        if pred is not None and "text" in pred and pred.get("text") != gold.get("text"):
            mismatch.append(doc_id)
        add_counts(overall, counts)
        lang = gold.get("lang") or (pred or {}).get("lang") or "und"
        add_counts(by_lang.setdefault(lang, {}), counts)
        by_doc[doc_id] = {"lang": lang, "metrics": finalise(counts)}
    return {
        "format": "native",
        "docs": {
            "gold": len(gold_docs),
            "pred": len(pred_docs),
            "scored": sum(1 for d in gold_docs if d in pred_docs),
            "missing": sorted(d for d in gold_docs if d not in pred_docs),
            "extra": sorted(d for d in pred_docs if d not in gold_docs),
            "text_mismatch": mismatch,
        },
        "criteria": dict(CRITERIA),
        "overall": finalise(overall),
        "by_lang": {lang: finalise(c) for lang, c in sorted(by_lang.items())},
        "diagnostics": {"causal.swapped": overall.get("causal.swapped", {}).get("count", 0)},
        "by_doc": by_doc,
    }
