"""Evaluation: score newsargs/1 predictions against gold (native corpus, Causal News Corpus).

Pure Python over JSON-like dicts; imports no pipeline stage, so measuring never depends on the
code being measured. `evaluate` is the entry point for the native gold corpus; CNC lives in
`pipeline.eval.cnc`.
"""

from __future__ import annotations

from pathlib import Path

from .readers import EvalError, read_native
from .scorer import score_corpus

__all__ = ["EvalError", "evaluate", "read_native", "score_corpus"]


def evaluate(gold_dir: Path | str, pred_dir: Path | str) -> dict:
    """The evaluation report (a JSON-serialisable dict) for a gold folder and a predictions folder."""
    report = score_corpus(read_native(gold_dir), read_native(pred_dir))
    report["gold_dir"], report["pred_dir"] = str(gold_dir), str(pred_dir)
    return report
