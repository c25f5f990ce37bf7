"""The Causal News Corpus (CASE 2022/2023 "Event Causality Identification") as a benchmark.

The data is read from a path the caller gives (the CC0 release kept outside the repo, e.g.
../shared/benchmarks/cnc, holding V1/ and V2/); nothing is copied into the repository.

- Subtask 1 (is the sentence causal?): a sentence is predicted causal iff its newsargs/1
  prediction has at least one causal link. P/R/F1 on the causal class, accuracy, MCC: the
  official measures.
- Subtask 2 (cause / effect / signal spans): gold `<ARG0>` (cause), `<ARG1>` (effect) and
  `<SIGn>` (signal) markup becomes causal links with character offsets into the plain sentence.
  Each gold relation is aligned one-to-one with the predicted link of best mean cause/effect
  token F1 (predictions beyond the gold count are dropped), then predicted and gold tokens are
  counted per role: token-overlap P/R/F1 for cause, effect and signal (predicted cues).
  **This approximates, it does not reproduce, the official CASE scorer** (seqeval over
  Cause/Effect/Signal BIO tags with its own alignment search): token overlap gives partial
  credit for a partly right span and uses the scorer's own tokens, so the numbers are not
  directly comparable with the published ones.

Published reference numbers (from SOURCE.md of the benchmark copy) are carried in the report
for context only.
"""

from __future__ import annotations

import ast
import csv
import json
import math
import re
from collections import Counter
from pathlib import Path
from typing import Iterable

from .readers import SCHEMA, EvalError, read_native
from .scorer import match, prf, score_causal, span_tokens, token_f1

VERSIONS = ("V2", "V1")
SPLITS = ("train", "dev")
TAG = re.compile(r"<(/?)(ARG0|ARG1|SIG\d+)>")
ANY_TAG = re.compile(r"</?[A-Za-z]+\d*>")

# Published dev-set numbers (F1 etc. in %), SOURCE.md: repo README of tanfiona/CausalNewsCorpus.
PUBLISHED = {
    "V2": {
        "subtask1": {"BERT-base-cased baseline": {"f1": 86.32, "p": 84.10, "r": 88.65, "acc": 84.71, "mcc": 69.13}},
        "subtask2": {"1Cademy baseline (albert-xxlarge-v2)": {"f1": 62.71, "p": 59.48, "r": 66.32}},
    },
    "V1": {
        "subtask1": {
            "BERT-base-cased baseline": {"f1": 83.47, "p": 80.63, "r": 86.52, "mcc": 61.72},
            "LSTM baseline": {"f1": 74.07},
        },
        "subtask2": {},
    },
}

SUBTASK2_NOTE = (
    "token-overlap P/R/F1 per role after a one-to-one best-alignment of links; an approximation "
    "of the official CASE scorer (seqeval over BIO tags), not a reproduction: not directly "
    "comparable with published subtask-2 numbers"
)


# --- reading ------------------------------------------------------------------------------------

def data_dir(path: Path | str, version: str = "V2") -> Path:
    """The folder holding the CSVs: `path` itself if it has them, else `path/<version>`."""
    path = Path(path)
    if (path / "dev_subtask1.csv").is_file() or (path / "dev_subtask2_grouped.csv").is_file():
        return path
    if version not in VERSIONS:
        raise EvalError(f"CNC version {version!r}: choose one of {', '.join(VERSIONS)}")
    if (path / version).is_dir():
        return path / version
    raise EvalError(f"{path}: no CNC data here (expected dev_subtask1.csv or a {version}/ folder)")


def _rows(path: Path) -> list[dict]:
    if not path.is_file():
        raise EvalError(f"{path}: no such CNC file")
    with path.open(encoding="utf-8-sig", newline="") as fh:  # the release has a BOM
        return list(csv.DictReader(fh))


def parse_markup(marked: str) -> tuple[str, dict[str, tuple[int, int]]]:
    """Plain text and {tag: (start, end)} for one marked-up relation string.

    Tags are ARG0 (cause), ARG1 (effect), SIG0, SIG1... (signals); offsets index the plain text
    (markup removed) with white space at the span edges trimmed. Raises EvalError on unbalanced,
    repeated or unknown tags.
    """
    plain, spans, open_at, pos = [], {}, {}, 0
    length = 0
    for m in TAG.finditer(marked):
        chunk = marked[pos : m.start()]
        if ANY_TAG.search(chunk):
            raise EvalError(f"unknown tag {ANY_TAG.search(chunk).group()!r} in {marked!r}")
        plain.append(chunk)
        length += len(chunk)
        pos = m.end()
        closing, name = m.group(1) == "/", m.group(2)
        if not closing:
            if name in open_at or name in spans:
                raise EvalError(f"<{name}> opened twice in {marked!r}")
            open_at[name] = length
        else:
            if name not in open_at:
                raise EvalError(f"</{name}> without <{name}> in {marked!r}")
            spans[name] = (open_at.pop(name), length)
    tail = marked[pos:]
    if ANY_TAG.search(tail):
        raise EvalError(f"unknown tag {ANY_TAG.search(tail).group()!r} in {marked!r}")
    if open_at:
        raise EvalError(f"<{next(iter(open_at))}> never closed in {marked!r}")
    plain.append(tail)
    text = "".join(plain)
    return text, {name: _trim(text, s, e) for name, (s, e) in spans.items()}


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    return start, end


def _span(text: str, start: int, end: int) -> dict:
    return {"start": start, "end": end, "text": text[start:end]}


def relation_link(marked: str, text: str) -> dict:
    """The gold causal link (native shape) for one marked-up relation over the sentence `text`."""
    plain, spans = parse_markup(marked)
    if plain != text:
        raise EvalError(f"markup does not rebuild the sentence: {marked!r}")
    for role in ("ARG0", "ARG1"):
        if role not in spans:
            raise EvalError(f"relation without <{role}>: {marked!r}")
    signals = sorted((spans[k] for k in spans if k.startswith("SIG")))
    return {
        "cause": _span(text, *spans["ARG0"]),
        "effect": _span(text, *spans["ARG1"]),
        "cue": [_span(text, s, e) for s, e in signals],
        "negated": False,
        "conditional": False,
    }


def _doc(doc_id: str, text: str, label: int, links: list[dict], meta: dict) -> dict:
    return {
        "schema": SCHEMA,
        "id": doc_id,
        "lang": "en",
        "meta": meta,
        "text": text,
        "label": label,
        "actors": [],
        "claims": [],
        "causal_links": links,
    }


def read_cnc(path: Path | str, split: str = "dev", subtask: int = 1, version: str = "V2") -> list[dict]:
    """Gold documents (newsargs/1 shape plus `label`) for one CNC split and subtask, in file order.

    Subtask 1: every sentence with its 0/1 `label` and no links (the file has no spans).
    Subtask 2: every sentence of the grouped file, with one causal link per gold relation
    (`label` 1 iff it has relations). Ids are the subtask-1 `index` (train_10_0_2136) so that
    one set of predictions serves both subtasks.
    """
    if split not in SPLITS:
        raise EvalError(f"CNC split {split!r}: choose one of {', '.join(SPLITS)} (test labels were never released)")
    if subtask not in (1, 2):
        raise EvalError(f"CNC subtask {subtask!r}: choose 1 or 2")
    folder = data_dir(path, version)
    meta = {"title": None, "date": None, "source": f"cnc-{folder.name}-{split}"}
    if subtask == 1:
        docs = []
        for row in _rows(folder / f"{split}_subtask1.csv"):
            label = int(row["label"])
            docs.append(_doc(row["index"], _clean(row["text"]), label, [], dict(meta)))
        return docs
    s1_path = folder / f"{split}_subtask1.csv"
    s1 = {row["index"]: row["text"] for row in _rows(s1_path)} if s1_path.is_file() else {}
    docs = []
    for number, row in enumerate(_rows(folder / f"{split}_subtask2_grouped.csv"), 2):
        doc_id = _subtask2_id(row, s1)
        text = _clean(row["text"])
        try:
            links = [relation_link(_clean(m), text) for m in ast.literal_eval(row["causal_text_w_pairs"])]
        except (ValueError, SyntaxError) as exc:
            raise EvalError(f"{folder.name}/{split}_subtask2_grouped.csv line {number}: {exc}") from exc
        docs.append(_doc(doc_id, text, int(bool(links)), links, dict(meta)))
    return docs


def _clean(text: str) -> str:
    """The text without stray U+FEFF (one V2 dev sentence starts with one; ingest drops it)."""
    return text.replace("\ufeff", "")


def _subtask2_id(row: dict, s1: dict[str, str]) -> str:
    """The subtask-1 id of a subtask-2 row: V2 uses <doc_id>_<sent_id>, V1 uses <doc_id>."""
    sent_level = f"{row['doc_id']}_{row['sent_id']}"
    if sent_level in s1:
        return sent_level
    if s1.get(row["doc_id"]) == row["text"]:
        return row["doc_id"]
    return sent_level


def articles(gold: Iterable[dict]) -> list[dict]:
    """Pipeline inputs ({id, text}, one article per example) for gold documents."""
    return [{"id": doc["id"], "text": doc["text"]} for doc in gold]


def write_inputs(path: Path | str, out_jsonl: Path | str, split: str = "dev", version: str = "V2") -> int:
    """Write the examples of a CNC split as a .jsonl pipeline input; returns how many.

    Every example of the subtask-1 file (a superset of subtask 2's), one article per line.
    """
    items = articles(read_cnc(path, split, 1, version))
    out = Path(out_jsonl)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(json.dumps(a, ensure_ascii=False) + "\n" for a in items), encoding="utf-8")
    return len(items)


# --- scoring ------------------------------------------------------------------------------------

def _by_id(docs) -> dict[str, dict]:
    return dict(docs) if isinstance(docs, dict) else {d["id"]: d for d in docs}


def mcc(tp: int, fp: int, fn: int, tn: int) -> float:
    """Matthews correlation coefficient; 0 when a marginal is empty (sklearn's convention)."""
    denom = math.sqrt((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn))
    return (tp * tn - fp * fn) / denom if denom else 0.0


def score_cnc_subtask1(gold, pred) -> dict:
    """Binary causal/non-causal scores: predicted causal iff the prediction has a causal link.

    `gold`: documents with `label` (list or dict by id); `pred`: newsargs/1 documents by id. A
    missing prediction counts as non-causal and is listed.
    """
    gold, pred = _by_id(gold), _by_id(pred)
    tp = fp = fn = tn = 0
    for doc_id, doc in gold.items():
        predicted = bool((pred.get(doc_id) or {}).get("causal_links"))
        actual = bool(doc["label"])
        tp += predicted and actual
        fp += predicted and not actual
        fn += actual and not predicted
        tn += not predicted and not actual
    n = tp + fp + fn + tn
    return {
        **prf({"tp": tp, "fp": fp, "fn": fn}),
        "tn": tn,
        "n": n,
        "acc": (tp + tn) / n if n else None,
        "mcc": mcc(tp, fp, fn, tn),
        "missing": sorted(d for d in gold if d not in pred),
    }


def _bag(spans: list[dict], positional: bool) -> Counter:
    if positional:
        return Counter(t for s in spans for t in set(span_tokens(s)))
    return Counter(
        s["text"][a - s["start"] : b - s["start"]].lower() for s in spans for a, b in span_tokens(s)
    )


def _add(counts: dict, gold_bag: Counter, pred_bag: Counter) -> None:
    common = sum((gold_bag & pred_bag).values())
    counts["tp"] += common
    counts["fp"] += sum(pred_bag.values()) - common
    counts["fn"] += sum(gold_bag.values()) - common


def align_links(golds: list[dict], preds: list[dict], positional: bool = True) -> list[tuple[int, int]]:
    """One-to-one alignment by mean cause/effect token F1, best first; extra predictions dropped."""

    def mean_f1(g, p):
        return (token_f1(g["cause"], p["cause"], positional) + token_f1(g["effect"], p["effect"], positional)) / 2

    return match(golds, preds, mean_f1, lambda s: True)


def score_cnc_subtask2(gold, pred) -> dict:
    """Cause/effect/signal token-overlap P/R/F1 over the gold-causal examples (an approximation).

    See the module docstring: this is not the official CASE scorer. Sentences without gold
    relations are left to subtask 1; predicted links there are ignored. `links` is the native
    link-level criterion (cause and effect each token F1 >= 0.5) on the same sentences.
    """
    gold, pred = _by_id(gold), _by_id(pred)
    roles = {role: {"tp": 0, "fp": 0, "fn": 0} for role in ("cause", "effect", "signal")}
    links: dict = {"tp": 0, "fp": 0, "fn": 0}
    examples = relations = 0
    for doc_id, doc in gold.items():
        gl = doc.get("causal_links") or []
        if not gl:
            continue
        examples += 1
        relations += len(gl)
        p_doc = pred.get(doc_id) or {}
        pl = p_doc.get("causal_links") or []
        positional = "text" not in p_doc or p_doc.get("text") == doc["text"]
        pairs = dict(align_links(gl, pl, positional))
        for gi, g in enumerate(gl):
            p = pl[pairs[gi]] if gi in pairs else None
            _add(roles["cause"], _bag([g["cause"]], positional), _bag([p["cause"]] if p else [], positional))
            _add(roles["effect"], _bag([g["effect"]], positional), _bag([p["effect"]] if p else [], positional))
            _add(roles["signal"], _bag(g.get("cue") or [], positional), _bag((p or {}).get("cue") or [], positional))
        native = score_causal(doc, p_doc, positional)["causal.token_f1"]
        for key in links:
            links[key] += native[key]
    both = {k: roles["cause"][k] + roles["effect"][k] for k in ("tp", "fp", "fn")}
    f1s = [prf(roles[r])["f1"] for r in ("cause", "effect", "signal")]
    return {
        "examples": examples,
        "relations": relations,
        "cause": prf(roles["cause"]),
        "effect": prf(roles["effect"]),
        "signal": prf(roles["signal"]),
        "cause_effect": prf(both),
        "macro_f1": sum(f or 0.0 for f in f1s) / 3,
        "links": prf(links),
        "missing": sorted(d for d, doc in gold.items() if doc.get("causal_links") and d not in pred),
        "note": SUBTASK2_NOTE,
    }


def evaluate_cnc(cnc_path: Path | str, pred_dir: Path | str, subtask: int | None = None,
                 split: str = "dev", version: str = "V2") -> dict:
    """The CNC report for predictions in `pred_dir` (newsargs/1 JSON, ids from write_inputs).

    `subtask` 1 or 2 scores one subtask; None scores both.
    """
    pred = read_native(pred_dir)
    folder = data_dir(cnc_path, version)
    chosen = (1, 2) if subtask is None else (subtask,)
    report: dict = {"format": "cnc", "version": folder.name, "split": split, "path": str(folder)}
    ids: set[str] = set()
    for task in chosen:
        gold = read_cnc(cnc_path, split, task, version)
        ids.update(d["id"] for d in gold)
        scorer = score_cnc_subtask1 if task == 1 else score_cnc_subtask2
        report[f"subtask{task}"] = scorer(gold, pred)
    report["docs"] = {
        "gold": len(ids),
        "pred": len(pred),
        "missing": sorted(ids - set(pred)),
        "extra": sorted(set(pred) - ids),
    }
    report["published"] = PUBLISHED.get(folder.name, {}) if split == "dev" else {}
    return report
