"""Ingest: files -> articles (text, meta, source), with encoding detection and error records.

Accepted inputs: .txt and .md (optionally opening with a YAML front-matter block carrying title,
date, source, lang) and .jsonl (one article per line: `text`, optional `id`, `title`, `date`).
Encodings: UTF-8 (with or without BOM), UTF-16 with BOM, Big5-HKSCS, GB18030. Line endings are
normalised to \\n; every other character is kept as it is. A bad file or line becomes a
`Failure`; the rest of the batch carries on.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import yaml

from . import lexicons
from .errors import InputError

SUFFIXES = (".txt", ".md", ".jsonl")
FOLDER_NOTES = {"README", "LICENSE", "CHANGELOG", "NOTICE", "GUIDELINES"}
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?:(.*?)\n)?---[ \t]*(?:\n|\Z)", re.S)
DATELINE = re.compile(r"\A\s*(?:date|日期)[:：]?\s*(\d{4}-\d{2}-\d{2})\b")
CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f]")
SAFE_ID = re.compile(r"[^\w.\-]+")
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f]")
# Characters that say nothing about the encoding: ASCII, CJK and general punctuation, full-width
# forms, radicals.
NEUTRAL = re.compile(r"[\x00-\x7f\u00b7\u2000-\u206f\u2e80-\u2fdf\u3000-\u303f\uff00-\uffef]")


@dataclass
class Article:
    """One article ready for the pipeline. `out` is its output path relative to OUT."""

    id: str
    text: str
    meta: dict
    source: dict
    out: str


@dataclass
class Failure:
    """One input that could not become an article."""

    path: str
    stage: str
    code: str
    message: str
    extra: dict = field(default_factory=dict)
    out: str | None = None  # the output this input would have written, where it is known

    def record(self) -> dict:
        return {"path": self.path, "stage": self.stage, "code": self.code, "message": self.message, **self.extra}


def find_inputs(root: Path) -> list[Path]:
    """Every accepted file under `root` (or `root` itself), sorted for a stable order.

    Hidden files and folders are skipped, and so are a folder's own notes (README.md,
    LICENSE.txt, ...), which describe a corpus rather than belong to it; a file named on the
    command line is always read.
    """
    if root.is_file():
        return [root]
    found = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith(".")]
        for name in files:
            stem, dot, suffix = name.rpartition(".")
            if not dot or name.startswith(".") or "." + suffix.lower() not in SUFFIXES or stem.upper() in FOLDER_NOTES:
                continue
            path = Path(folder, name)
            if path.is_file():
                found.append(path)
    return sorted(found)


def decode(data: bytes, path: str) -> tuple[str, str]:
    """(text, encoding name). Raises InputError E010/E011/E012."""
    if data.startswith(b"\xef\xbb\xbf"):
        return _strict(data[3:], "utf-8", path), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return _strict(data, "utf-16", path), "utf-16"
    if b"\x00" in data:
        raise InputError("E012", stage="ingest", path=path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    for encoding in ("big5hkscs", "gb18030"):
        try:
            candidates.append((_plausibility(data.decode(encoding), encoding), encoding))
        except UnicodeDecodeError:
            continue
    if not candidates:
        raise InputError("E011", stage="ingest", path=path)
    # On a tie (very short text) GB18030 wins, as before.
    score, encoding = max(candidates)
    return data.decode(encoding), encoding


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise InputError("E011", stage="ingest", path=path) from exc


def _plausibility(text: str, encoding: str) -> float:
    """How much the text decoded with `encoding` looks like real Chinese, in [0, 1].

    Big5 bytes also decode as GB18030 (and often the reverse), but into rare characters and
    into symbols no article uses (kana, Cyrillic, box drawing, private use); real text in
    either encoding uses mostly the 'frequent' level of its own charset. Score: frequent Han
    characters over Han characters plus such stray symbols. HKSCS characters (Cantonese
    啲嘅咗, HK place names) count half: plausible in Big5-HKSCS, but also where GB bytes land.
    """
    han = common = 0.0
    for ch in text:
        if HAN.match(ch):
            han += 1
            common += _common(ch, encoding)
        elif not NEUTRAL.match(ch):
            han += 1  # a stray symbol counts against the reading
    return common / han if han else 0.0


def _common(ch: str, encoding: str) -> float:
    try:
        if encoding == "big5hkscs":
            try:
                code = int.from_bytes(ch.encode("big5"), "big")
            except UnicodeEncodeError:
                ch.encode("big5hkscs")
                return 0.5
            return float(0xA440 <= code <= 0xC67E)
        code = int.from_bytes(ch.encode("gb2312"), "big")
        return float(0xB0A1 <= code <= 0xD7FE)
    except UnicodeEncodeError:
        return 0.0


def normalise(text: str) -> str:
    """Line endings to \\n; a leading BOM dropped; nothing else changes."""
    return text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def check_text(text: str, path: str) -> None:
    if not text.strip():
        raise InputError("E010", stage="ingest", path=path)
    if len(CONTROL.findall(text)) > max(2, len(text) // 1000):
        raise InputError("E012", stage="ingest", path=path)


def iso_date(value) -> str | None:
    """An ISO date string for a YAML/JSON date value, or None when it is not a date."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    m = re.match(r"\s*(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})", str(value))
    if not m:
        return None
    try:
        return dt.date(int(m[1]), int(m[2]), int(m[3])).isoformat()
    except ValueError:
        return None


def split_front_matter(text: str, path: str) -> tuple[dict, str]:
    """(front-matter mapping, body). The body is the text after the closing '---' line."""
    m = FRONT_MATTER.match(text)
    if not m:
        return {}, text
    try:
        data = lexicons.yaml_load(m.group(1) or "") or {}
    except yaml.YAMLError as exc:
        raise InputError("E015", stage="ingest", path=path, reason=str(exc).splitlines()[0]) from exc
    except Exception as exc:  # noqa: BLE001  a value the constructors choke on: date: 2025-13-45,
        # !!timestamp nope (AttributeError inside PyYAML), !!binary garbage ...
        raise InputError("E015", stage="ingest", path=path, reason=f"{type(exc).__name__}: {exc}") from exc
    if not isinstance(data, dict):
        raise InputError("E015", stage="ingest", path=path, reason="front matter is not a mapping")
    return data, text[m.end():]


def make_meta(fields: dict, body: str) -> dict:
    """meta: title, date (ISO or None), then every other front-matter field as a JSON value."""
    meta = {"title": None, "date": None}
    for key, value in fields.items():
        if key in ("text", "id"):
            continue
        meta[str(key)] = json_value(value)
    meta["title"] = None if fields.get("title") is None else str(fields["title"])
    meta["date"] = iso_date(fields.get("date"))
    if meta["date"] is None:
        m = DATELINE.match(body)
        if m:
            meta["date"] = iso_date(m.group(1))
    return meta


def json_value(value):
    """A YAML/JSON value as plain JSON: lists and mappings kept, dates ISO, other objects str."""
    if value is None or isinstance(value, (str, bool, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)  # NaN/Infinity are not JSON
    if isinstance(value, (list, tuple)):
        return [json_value(v) for v in value]
    if isinstance(value, dict):
        return {str(k): json_value(v) for k, v in value.items()}
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def given_id(value) -> str | None:
    """The id an input gives itself (0 is an id; None and blank strings are not)."""
    if value is None or isinstance(value, (dict, list)) or not str(value).strip():
        return None
    return str(value)


def _source(path: str, data: bytes, encoding: str, **extra) -> dict:
    return {"path": path, "sha256": sha256(data), "encoding": encoding, "bytes": len(data), **extra}


def relative(path: Path, root: Path) -> str:
    """The input's path as ids, outputs and records name it: relative to the folder given."""
    return path.name if root.is_file() else path.relative_to(root).as_posix()


def document_out(rel: str) -> str:
    """The output a .txt/.md input writes (a .jsonl writes one per line, under its stem)."""
    return (rel.rsplit(".", 1)[0] if "." in Path(rel).name else rel) + ".json"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_path(path: Path, root: Path) -> Iterator[Article | Failure]:
    """Articles (or failures) from one input file; `root` makes ids and output paths relative."""
    rel = relative(path, root)
    try:
        data = path.read_bytes()
    except OSError as exc:
        yield Failure(rel, "ingest", "E011", f"{rel}: cannot read ({exc.strerror})")
        return
    if path.suffix.lower() == ".jsonl":
        yield from read_jsonl(data, rel)
    else:
        yield read_document(data, rel)


def read_document(data: bytes, rel: str, doc_id: str | None = None) -> Article | Failure:
    """One .txt/.md file (or stdin) as an article."""
    out = document_out(rel)
    try:
        text, encoding = decode(data, rel)
        text = normalise(text)
        fields, body = split_front_matter(text, rel)
        check_text(body, rel)
    except InputError as exc:
        return Failure(rel, exc.stage, exc.code, exc.message, out=out)
    return Article(
        id=doc_id or given_id(fields.get("id")) or out[: -len(".json")],
        text=body,
        meta=make_meta(fields, body),
        source=_source(rel, data, encoding),
        out=out,
    )


def read_jsonl(data: bytes, rel: str) -> Iterator[Article | Failure]:
    """One article per line; a bad line is a failure of its own."""
    try:
        text, encoding = decode(data, rel)
    except InputError as exc:
        yield Failure(rel, exc.stage, exc.code, exc.message)
        return
    if not text.strip():
        yield Failure(rel, "ingest", "E010", InputError("E010", path=rel).message)
        return
    stem = rel[: -len(".jsonl")] if rel.lower().endswith(".jsonl") else rel
    seen = set()
    for number, line in enumerate(normalise(text).split("\n"), 1):
        if not line.strip():
            continue
        where = {"line": number}
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            err = InputError("E013", stage="ingest", path=rel, line=number, reason=exc.msg)
            yield Failure(rel, "ingest", err.code, err.message, where)
            continue
        body = record.get("text") if isinstance(record, dict) else None
        doc_id = (given_id(record.get("id")) if isinstance(record, dict) else None) or f"line-{number}"
        if not isinstance(body, str) or not body.strip():
            err = InputError("E014", stage="ingest", path=rel, line=number)
            out = f"{stem}/{SAFE_ID.sub('_', doc_id)}.json" if doc_id not in seen else None
            yield Failure(rel, "ingest", err.code, err.message, where, out=out)
            continue
        if doc_id in seen:
            err = InputError("E016", stage="ingest", path=rel, line=number, id=doc_id)
            yield Failure(rel, "ingest", err.code, err.message, where)
            continue
        seen.add(doc_id)
        yield Article(
            id=doc_id,
            text=normalise(body),
            meta=make_meta(record, body),
            source=_source(rel, line.encode("utf-8"), encoding, line=number),
            out=f"{stem}/{SAFE_ID.sub('_', doc_id)}.json",
        )
