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

# libyaml's parser when PyYAML was built with it: the registry and cue files are most of the
# start-up time with the pure-Python one. Same constructors, so the same data.
YAML_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_load(text: str):
    """Parse YAML with the safe constructors (the C parser when available)."""
    return yaml.load(text, Loader=YAML_LOADER)

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
        data = yaml_load(path.read_text(encoding="utf-8"))
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
        data = yaml_load(path.read_text(encoding="utf-8"))
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


# --- Cue lexicons of the claims and causal taggers (models/cues/*.yaml) ---------------------
# A cue file is a mapping {version, kind, lang, entries: [...]}: unlike the registry it carries a
# version, which the taggers record in doc._.provenance next to the file's sha256 prefix.

from dataclasses import dataclass, field  # noqa: E402  (this section is appended to the module)

CUE_KINDS = {
    "causal": ("role", {"cause", "effect", "verb", "reverse", "lead"},
               {"pairs", "needs_pair", "conditional", "causative", "negated", "score", "gap",
                "after_punct", "temporal_check", "needs_negated_effect", "not_preceded_by", "not_followed_by",
                "needs_followed_by"}),
    "reporting": ("role", {"verb", "source", "frame"}, {"weight", "gap", "not_preceded_by", "not_followed_by", "rebuttable"}),
    "markers": ("type", {"evaluation", "recommendation", "prediction", "explanation", "generalisation",
                         "contrast", "rhetorical", "report_time", "report_verb", "statistic"}, {"weight"}),
    "modifiers": ("type", {"negation", "question", "filler", "connective", "framing", "boundary",
                           "preposition", "pronoun", "copula", "conditional", "causative", "continuation", "contrast", "unnamed", "first_person",
                           "source_noun", "fused_prefix", "anaphor", "frame_suffix", "time_word", "time_noun"}, set()),
}
CUE_BOOL_KEYS = {"needs_pair", "conditional", "causative", "negated", "after_punct", "temporal_check", "rebuttable",
                 "needs_negated_effect"}


@dataclass(frozen=True)
class CueLexicon:
    """One validated cue file: its entries, and the version and sha256 prefix provenance records."""

    path: str
    kind: str
    lang: str
    version: str
    sha256: str
    entries: tuple

    def provenance(self) -> str:
        return f"{self.version}@{self.sha256}"


def cue_words(entry: dict) -> list[str]:
    """Every surface string of a cue entry: its cue, or every alternative of its parts."""
    if "cue" in entry:
        return [entry["cue"]]
    words = []
    for part in entry.get("parts") or []:
        words += part if isinstance(part, list) else [part]
    return words


def validate_cue_lexicon(data, to_simplified=None) -> list[str]:
    """Problems in a parsed cue file (empty when it is sound).

    Checks: header (version, kind, lang, entries); per entry exactly one of cue / parts /
    pattern, the role or type known for the kind, only known keys, booleans, scores in [0, 1],
    weights in [-2, 2], patterns that compile; Chinese cues already Simplified (when a converter
    is given), English cues lower case; no entry listed twice.
    """
    if not isinstance(data, dict):
        return ["expected a mapping with version, kind, lang and entries"]
    problems = []
    for key in ("version", "kind", "lang", "entries"):
        if key not in data:
            problems.append(f"missing {key!r}")
    if problems:
        return problems
    kind, lang = data["kind"], data["lang"]
    if kind not in CUE_KINDS:
        return [f"unknown kind {kind!r} (one of {sorted(CUE_KINDS)})"]
    if lang not in ("zh", "en"):
        problems.append(f"unknown lang {lang!r} (zh or en)")
    if not isinstance(data["entries"], list) or not all(isinstance(e, dict) for e in data["entries"]):
        return problems + ["entries must be a list of mappings"]
    field, values, optional = CUE_KINDS[kind]
    seen = set()
    for number, entry in enumerate(data["entries"], 1):
        where = f"entry {number}"
        forms = [k for k in ("cue", "parts", "pattern") if k in entry]
        if len(forms) != 1:
            problems.append(f"{where}: needs exactly one of cue, parts, pattern")
            continue
        if entry.get(field) not in values:
            problems.append(f"{where}: {field} {entry.get(field)!r} is not one of {sorted(values)}")
        unknown = set(entry) - {"cue", "parts", "pattern", field} - optional
        if unknown:
            problems.append(f"{where}: unknown keys {sorted(unknown)}")
        if "pattern" in entry:
            if kind != "markers":
                problems.append(f"{where}: patterns are allowed in markers files only")
            try:
                re.compile(entry["pattern"])
            except (re.error, TypeError) as exc:
                problems.append(f"{where}: pattern does not compile ({exc})")
        if "parts" in entry:
            parts = entry["parts"]
            if not isinstance(parts, list) or not 1 <= len(parts) <= 2:
                problems.append(f"{where}: parts must be a list of one or two parts")
            elif any(isinstance(p, list) and not p for p in parts):
                problems.append(f"{where}: a part has no alternatives")
        for word in cue_words(entry):
            if not isinstance(word, str) or not word.strip():
                problems.append(f"{where}: cue {word!r} is not a non-empty string (quote YAML words like on/no)")
            elif lang == "zh" and to_simplified is not None and to_simplified(word) != word:
                problems.append(f"{where}: {word!r} is not Simplified (t2s gives {to_simplified(word)!r})")
            elif lang == "en" and word != word.lower():
                problems.append(f"{where}: English cue {word!r} must be lower case")
        for key in CUE_BOOL_KEYS & set(entry):
            if not isinstance(entry[key], bool):
                problems.append(f"{where}: {key} must be true or false")
        if "score" in entry and not (isinstance(entry["score"], (int, float)) and 0 <= entry["score"] <= 1):
            problems.append(f"{where}: score must be a number in [0, 1]")
        if "weight" in entry and not (isinstance(entry["weight"], (int, float)) and -2 <= entry["weight"] <= 2):
            problems.append(f"{where}: weight must be a number in [-2, 2]")
        if "gap" in entry and not (isinstance(entry["gap"], int) and 1 <= entry["gap"] <= 200):
            problems.append(f"{where}: gap must be an integer in [1, 200]")
        for key in ("pairs", "not_preceded_by", "not_followed_by", "needs_followed_by"):
            if key in entry and not (isinstance(entry[key], list) and all(isinstance(p, str) and p for p in entry[key])):
                problems.append(f"{where}: {key} must be a list of words")
        key = (repr(entry.get("cue") or entry.get("parts") or entry.get("pattern")), entry.get(field))
        if key in seen:
            problems.append(f"{where}: listed twice ({key[0]}, {key[1]})")
        seen.add(key)
    return problems


def load_cue_lexicon(path: Path, name: str | None = None, to_simplified=None) -> CueLexicon:
    """Read and validate one cue file; raise E040 naming the file and every problem found."""
    import hashlib

    try:
        raw = path.read_bytes()
        data = yaml_load(raw.decode("utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise NewsargsError("E040", path=str(path), reason=str(exc)) from exc
    problems = validate_cue_lexicon(data, to_simplified)
    if problems:
        raise NewsargsError("E040", path=str(path), reason="; ".join(problems))
    return CueLexicon(path=name or path.name, kind=data["kind"], lang=data["lang"],
                      version=str(data["version"]), sha256=hashlib.sha256(raw).hexdigest()[:12],
                      entries=tuple(data["entries"]))


def load_cue_lexicons(paths, models: str | None = None, kinds=None, to_simplified=None) -> list[CueLexicon]:
    """Load cue files given relative to the models folder; `kinds` limits which kinds may appear."""
    root = models_dir(models)
    out = []
    for rel in paths:
        lexicon = load_cue_lexicon(root / rel, name=str(rel), to_simplified=to_simplified)
        if kinds is not None and lexicon.kind not in kinds:
            raise NewsargsError("E040", path=str(root / rel), reason=f"kind {lexicon.kind!r} is not one of {sorted(kinds)} here")
        out.append(lexicon)
    return out


@dataclass
class CueSet:
    """The cue lexicons one tagger loaded: the files (for provenance) and the modifier words by
    type. A tagger's subclass sorts the other entries into its own lists (`add`) and compiles
    them once all are read (`compile`)."""

    lexicons: list
    modifiers: dict = field(default_factory=dict)  # type -> set of words

    @classmethod
    def from_lexicons(cls, lexs: list):
        out = cls(lexicons=lexs)
        for lex in lexs:
            for entry in lex.entries:
                if lex.kind == "modifiers":
                    out.modifiers.setdefault(entry["type"], set()).add(entry["cue"])
                else:
                    out.add(lex, entry)
        out.compile()
        return out

    def add(self, lex: CueLexicon, entry: dict) -> None:
        raise NotImplementedError

    def compile(self) -> None:
        """Sort and index the entries once every file is read."""

    def words(self, kind: str) -> set:
        return self.modifiers.get(kind, set())

    def provenance(self) -> dict:
        return {lex.path: lex.provenance() for lex in self.lexicons}

