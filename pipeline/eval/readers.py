"""Reading newsargs/1 documents (gold or predicted) from folders, and pairing them by id.

Kept apart from the scorer so that the scorer stays a function of dicts: tests and other
benchmarks (cnc.py) hand it documents without touching the disk.
"""

from __future__ import annotations

import json
from pathlib import Path

SCHEMA = "newsargs/1"
SKIP_NAMES = {"manifest.json"}


class EvalError(ValueError):
    """Gold or predictions that cannot be read; the message names the file and the problem."""


def read_native(folder: Path | str) -> dict[str, dict]:
    """Every newsargs/1 document under `folder` (recursively), keyed by its `id`.

    Files that are not JSON objects with `"schema": "newsargs/1"` (manifest.json, other JSON)
    are skipped. A *.json file that is not valid JSON, or two files with the same id, raise
    EvalError: silently dropping one would misreport a prediction as missing.
    """
    folder = Path(folder)
    if not folder.is_dir():
        raise EvalError(f"{folder}: not a folder")
    docs: dict[str, dict] = {}
    where: dict[str, Path] = {}
    for path in sorted(folder.rglob("*.json")):
        if path.name in SKIP_NAMES or not path.is_file():
            continue
        try:
            doc = json.loads(path.read_text(encoding="utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise EvalError(f"{path}: not readable as UTF-8 JSON ({exc})") from exc
        if not isinstance(doc, dict) or doc.get("schema") != SCHEMA:
            continue
        doc_id = doc.get("id")
        if not isinstance(doc_id, str) or not doc_id:
            raise EvalError(f"{path}: newsargs/1 document without an id")
        if doc_id in docs:
            raise EvalError(f"{path}: id {doc_id!r} already read from {where[doc_id]}")
        docs[doc_id] = doc
        where[doc_id] = path
    return docs


def pair(gold: dict[str, dict], pred: dict[str, dict]) -> tuple[list[tuple[str, dict, dict | None]], list[str], list[str]]:
    """(id, gold doc, pred doc or None) for every gold id, plus the missing and extra ids.

    A gold id without a prediction pairs with None (scored as an empty prediction, all gold
    missed); a prediction without gold is extra and not scored.
    """
    pairs = [(doc_id, gold[doc_id], pred.get(doc_id)) for doc_id in sorted(gold)]
    missing = sorted(d for d in gold if d not in pred)
    extra = sorted(d for d in pred if d not in gold)
    return pairs, missing, extra
