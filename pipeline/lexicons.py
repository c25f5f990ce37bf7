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


def load_rules(path: Path) -> dict:
    """A rules file (a YAML mapping with a `version`), e.g. models/actor-rules/zh.yaml."""
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise NewsargsError("E040", path=str(path), reason=str(exc)) from exc
    if not isinstance(data, dict) or "version" not in data:
        raise NewsargsError("E040", path=str(path), reason="expected a mapping with a 'version'")
    for key, value in data.items():
        if key != "version" and not isinstance(value, (list, dict)):
            raise NewsargsError("E040", path=str(path), reason=f"{key} must be a list or a mapping")
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


def validate_registry(entries: list[dict], to_simplified) -> list[str]:
    """Problems in the actor registry (empty when it is sound).

    Checks: ids unique and well formed; types known; t2s(zh-Hant) == zh-Hans; no alias (after
    t2s; English case-folded) names two actors unless their dated roles keep them apart;
    local aliases carry a country; every role names an existing office and from <= to.
    """
    problems = []
    ids = {}
    offices = {e["id"] for e in entries if str(e.get("id", "")).startswith("office:")}
    owners: dict[str, set[str]] = {}
    for e in entries:
        where = f"{e.get('_file', '?')}: {e.get('id')}"
        eid = e.get("id")
        if not isinstance(eid, str) or not ID_PATTERN.match(eid):
            problems.append(f"{where}: malformed id")
            continue
        if eid in ids:
            problems.append(f"{where}: duplicate id (also in {ids[eid]})")
        ids[eid] = e.get("_file")
        if e.get("type") not in TYPES:
            problems.append(f"{where}: unknown type {e.get('type')!r}")
        name = e.get("name") or {}
        if not name.get("en") or not name.get("zh-Hant") or not name.get("zh-Hans"):
            problems.append(f"{where}: name needs en, zh-Hant and zh-Hans")
        elif to_simplified(name["zh-Hant"]) != name["zh-Hans"]:
            problems.append(f"{where}: t2s({name['zh-Hant']}) = {to_simplified(name['zh-Hant'])} != zh-Hans {name['zh-Hans']}")
        if e.get("local_aliases") and not e.get("country"):
            problems.append(f"{where}: local_aliases need a country")
        for role in e.get("roles") or []:
            if role.get("office") not in offices:
                problems.append(f"{where}: role office {role.get('office')!r} is not in offices")
            if role.get("to") and role.get("from") and str(role["from"]) > str(role["to"]):
                problems.append(f"{where}: role {role.get('office')} ends before it starts")
        if eid.startswith("office:"):
            continue
        surfaces = {to_simplified(n) for n in [name.get("zh-Hant"), name.get("zh-Hans"), *((e.get("aliases") or {}).get("zh") or [])] if n}
        surfaces |= {n.casefold() for n in [name.get("en"), *((e.get("aliases") or {}).get("en") or [])] if n}
        for surface in surfaces:
            owners.setdefault(surface, set()).add(eid)
    for surface, who in sorted(owners.items()):
        if len(who) > 1:
            problems.append(f"alias {surface!r} names several actors: {sorted(who)}")
    return problems


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
