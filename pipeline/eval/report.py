"""Plain-text tables for evaluation reports (native gold corpus and CNC).

The report itself is the JSON-serialisable dict the scorers return; this module only renders it.
"""

from __future__ import annotations

import json

PRF_ROWS = (
    ("actors-mention-exact", "actors.mention.exact"),
    ("actors-mention-exact+id", "actors.mention.exact_id"),
    ("actors-mention-overlap", "actors.mention.overlap"),
    ("actors-entity", "actors.entity"),
    ("actors-entity-linked", "actors.entity.linked"),
    ("claims (token F1>=0.5)", "claims.token_f1"),
    ("claims (overlap)", "claims.overlap"),
    ("causal links (token F1>=0.5)", "causal.token_f1"),
    ("causal links (overlap)", "causal.overlap"),
)
ACC_ROWS = (
    ("claims speaker acc", "claims.speaker"),
    ("claims speaker acc (incl. author)", "claims.speaker_all"),
    ("claims kind acc", "claims.kind"),
    ("claims cue acc", "claims.cue"),
    ("causal cue acc", "causal.cue"),
    ("causal negated acc", "causal.negated"),
    ("causal conditional acc", "causal.conditional"),
)


def to_json(report: dict) -> str:
    """The report as indented JSON text (UTF-8 characters kept)."""
    return json.dumps(report, ensure_ascii=False, indent=1) + "\n"


def format_table(report: dict) -> str:
    """An aligned plain-text table for a native or a CNC report."""
    if report.get("format") == "cnc":
        return format_cnc(report)
    return format_native(report)


def _num(value, scale: float = 1.0, digits: int = 3) -> str:
    return "-" if value is None else f"{value * scale:.{digits}f}"


def _align(rows: list[list[str]]) -> list[str]:
    """Rows of cells as lines: first column left-aligned, the others right-aligned."""
    widths = [max(len(row[i]) for row in rows if i < len(row)) for i in range(max(map(len, rows)))]
    lines = []
    for row in rows:
        cells = [row[0].ljust(widths[0])] + [cell.rjust(widths[i + 1]) for i, cell in enumerate(row[1:])]
        lines.append("  ".join(cells).rstrip())
    return lines


def format_native(report: dict) -> str:
    """Overall P/R/F1 and accuracies, then F1/accuracy per language."""
    docs = report.get("docs", {})
    overall = report.get("overall", {})
    lines = [
        f"gold {docs.get('gold', 0)} docs, predicted {docs.get('pred', 0)}, "
        f"missing {len(docs.get('missing', []))}, extra {len(docs.get('extra', []))}, "
        f"text mismatch {len(docs.get('text_mismatch', []))}",
    ]
    if docs.get("missing"):
        lines.append("missing predictions: " + ", ".join(docs["missing"]))
    lines.append("")
    rows = [["metric", "P", "R", "F1", "tp", "fp", "fn"]]
    for label, key in PRF_ROWS:
        m = overall.get(key)
        if m:
            rows.append([label, _num(m["p"]), _num(m["r"]), _num(m["f1"]), str(m["tp"]), str(m["fp"]), str(m["fn"])])
    lines += _align(rows)
    lines.append("")
    rows = [["accuracy (on matched pairs)", "acc", "correct", "total"]]
    for label, key in ACC_ROWS:
        m = overall.get(key)
        if m:
            rows.append([label, _num(m["acc"]), str(m["correct"]), str(m["total"])])
    lines += _align(rows)
    swapped = report.get("diagnostics", {}).get("causal.swapped")
    if swapped is not None:
        lines.append(f"causal links predicted with cause and effect swapped: {swapped}")
    by_lang = report.get("by_lang", {})
    if by_lang:
        langs = sorted(by_lang)
        lines.append("")
        rows = [["by language (F1 / acc)"] + langs]
        for label, key in PRF_ROWS + ACC_ROWS:
            cells = []
            for lang in langs:
                m = by_lang[lang].get(key)
                cells.append("-" if m is None else _num(m.get("f1", m.get("acc"))))
            rows.append([label] + cells)
        lines += _align(rows)
    return "\n".join(lines)


def format_cnc(report: dict) -> str:
    """Subtask 1 and 2 scores in %, with the published dev-set references for context."""
    docs = report.get("docs", {})
    lines = [
        f"Causal News Corpus {report.get('version', '')} {report.get('split', '')}: "
        f"{docs.get('gold', 0)} examples, predicted {docs.get('pred', 0)}, "
        f"missing {len(docs.get('missing', []))}",
        "",
    ]
    s1 = report.get("subtask1")
    if s1:
        rows = [["subtask 1 (causal sentence), %", "P", "R", "F1", "Acc", "MCC", "tp", "fp", "fn", "tn"]]
        rows.append(["newsargs (causal iff >= 1 link)", _num(s1["p"], 100, 2), _num(s1["r"], 100, 2),
                     _num(s1["f1"], 100, 2), _num(s1["acc"], 100, 2), _num(s1["mcc"], 100, 2),
                     str(s1["tp"]), str(s1["fp"]), str(s1["fn"]), str(s1["tn"])])
        for name, ref in report.get("published", {}).get("subtask1", {}).items():
            rows.append([f"published: {name}"] + [_ref(ref.get(k)) for k in ("p", "r", "f1", "acc", "mcc")])
        lines += _align(rows) + [""]
    s2 = report.get("subtask2")
    if s2:
        lines.append(f"subtask 2 (spans), {s2['examples']} causal examples, {s2['relations']} relations")
        lines.append(f"  note: {s2['note']}")
        rows = [["subtask 2, %", "P", "R", "F1", "tp", "fp", "fn"]]
        for label, key in (("cause tokens", "cause"), ("effect tokens", "effect"), ("signal tokens", "signal"),
                           ("cause+effect tokens", "cause_effect"), ("links (token F1>=0.5)", "links")):
            m = s2[key]
            rows.append([label, _num(m["p"], 100, 2), _num(m["r"], 100, 2), _num(m["f1"], 100, 2),
                         str(m["tp"]), str(m["fp"]), str(m["fn"])])
        rows.append(["macro F1 (cause, effect, signal)", "", "", _num(s2["macro_f1"], 100, 2)])
        for name, ref in report.get("published", {}).get("subtask2", {}).items():
            rows.append([f"published (official scorer): {name}"] + [_ref(ref.get(k)) for k in ("p", "r", "f1")])
        lines += _align(rows)
    return "\n".join(lines).rstrip()


def _ref(value) -> str:
    return "-" if value is None else f"{value:.2f}"
