"""Loaders and validators for the data under models/: the jieba dictionary and the actor registry.

Stages never hard-code a word; they read it through these functions. Paths in configs are
relative to the models folder, which is `models/` at the project root unless NEWSARGS_MODELS or
the config says otherwise.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Iterator

import yaml

from .errors import NewsargsError

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ID_PATTERN = re.compile(r"^(gpe|gov|person|org|company|office):[a-z0-9-]+$")
TYPES = {"GPE", "GOV", "PERSON", "ORG", "MIL", "COMPANY", "PARTY", "GROUP"}
# jieba POS for registry names, so posseg tags them as names.
POS_BY_TYPE = {"GPE": "ns", "GOV": "nt", "PERSON": "nr", "ORG": "nt", "MIL": "nt",
               "COMPANY": "nt", "PARTY": "nt", "GROUP": "nt"}


def models_dir(configured: str | None = None) -> Path:
    """The models folder: the configured one, else $NEWSARGS_MODELS, else <project>/models."""
    if configured:
        return Path(configured)
    env = os.environ.get("NEWSARGS_MODELS")
    return Path(env) if env else PROJECT_ROOT / "models"


def cache_dir() -> Path:
    """A cache folder the project owns (jieba's prefix-dictionary cache lives here)."""
    env = os.environ.get("NEWSARGS_CACHE")
    return Path(env) if env else PROJECT_ROOT / ".cache"


def read_userdict(path: Path) -> Iterator[tuple[str, int | None, str | None]]:
    """Entries of a jieba user dictionary: `word [freq] [pos]` per line, `#` comments allowed."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        word, freq, tag = parts[0], None, None
        for part in parts[1:]:
            if part.isdigit():
                freq = int(part)
            else:
                tag = part
        if len(parts) > 3:
            raise NewsargsError("E040", path=f"{path}:{number}", reason="expected 'word [freq] [pos]'")
        yield word, freq, tag


def load_yaml_list(path: Path) -> list[dict]:
    """A YAML file holding a list of mappings (the shape of every lexicon file)."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise NewsargsError("E040", path=str(path), reason=f"YAML error: {exc}") from exc
    if data is None:
        return []
    if not isinstance(data, list) or not all(isinstance(x, dict) for x in data):
        raise NewsargsError("E040", path=str(path), reason="expected a list of mappings")
    return data


def load_registry(folder: Path) -> list[dict]:
    """Every actor and office entry under `folder` (*.yaml), each tagged with its file."""
    entries = []
    for path in sorted(folder.glob("*.yaml")):
        for entry in load_yaml_list(path):
            entry = dict(entry)
            entry["_file"] = path.name
            entries.append(entry)
    return entries


def zh_names(entry: dict) -> list[str]:
    """Every Chinese surface form of an entry: names, aliases, local aliases and titles."""
    names = [entry.get("name", {}).get("zh-Hant"), entry.get("name", {}).get("zh-Hans")]
    for key in ("aliases", "local_aliases", "titles"):
        names += (entry.get(key) or {}).get("zh") or []
    return [n for n in names if n]


def registry_words(entries: list[dict], to_simplified) -> list[tuple[str, int | None, str | None]]:
    """jieba dictionary entries (Simplified form, POS by actor type) for every registry name."""
    words = {}
    for entry in entries:
        tag = POS_BY_TYPE.get(entry.get("type", ""), "nz")
        for name in zh_names(entry):
            simp = to_simplified(name)
            if len(simp) >= 2:
                words.setdefault(simp, tag)
    return [(w, None, t) for w, t in sorted(words.items())]
