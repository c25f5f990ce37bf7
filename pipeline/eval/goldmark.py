"""Gold corpus builder: corpora/gold/src/<split>/<id>.ann -> corpora/gold/<split>/<id>.txt + .json.

An `.ann` file is YAML front matter, the article body with inline actor markup
`[surface](actor-id)`, a line `=== annotations ===` and YAML listing claims and causal links as
substrings of the plain text. The builder turns substrings into character offsets so that
annotators never count characters, and fails loudly (file + problem) on anything it cannot
resolve. The format is described in corpora/GUIDELINES.md.

    python -m pipeline.eval.goldmark corpora/gold          # build every split under src/
    python -m pipeline.eval.goldmark corpora/gold --check  # fail if a built file is stale

Pure Python + PyYAML on purpose: the gold corpus must not depend on the pipeline it measures.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import re
import sys
from pathlib import Path

import yaml

SCHEMA = "newsargs/1"
LANGS = ("zh-Hant", "zh-Hans", "en")
KINDS = ("evaluation", "explanation", "prediction", "attribution", "other")
SEPARATOR = re.compile(r"^=== annotations ===[ \t]*$", re.M)
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?)\n---[ \t]*\n", re.S)
MARKUP = re.compile(r"\[([^\[\]\n]*)\]\(([^()\n]*)\)")
KNOWN_ID = re.compile(r"^(gpe|gov|person|org|company|office):[a-z0-9]+(?:-[a-z0-9]+)*$")
UNK_ID = re.compile(r"^unk:\S(?:.*\S)?$")
NUMBERED = re.compile(r"^(.+?)@([1-9][0-9]*)$", re.S)
FRONT_KEYS = {"id", "lang", "date", "title", "source"}
ANNOTATION_KEYS = {"claims", "causal_links"}
CLAIM_KEYS = {"span", "speaker", "cue", "kind"}
LINK_KEYS = {"cause", "effect", "cue", "negated", "conditional"}
# A cue farther than this from what it belongs to is almost surely another occurrence of the
# same word (or a typo); the annotator must then number it explicitly with @N.
MAX_CUE_GAP = 120


class GoldError(ValueError):
    """An .ann file that cannot be built; the message names the file and the problem."""

    def __init__(self, name: str, problem: str):
        self.name = name
        self.problem = problem
        super().__init__(f"{name}: {problem}")


def is_actor_id(value) -> bool:
    """True for a registry-style id (gpe:usa, person:xi-jinping) or an unk: id."""
    return isinstance(value, str) and bool(KNOWN_ID.match(value) or UNK_ID.match(value))


def parse_ann(text: str, name: str) -> dict:
    """The gold document (newsargs/1 gold shape) for the contents of one .ann file.

    `name` is only used in error messages. Raises GoldError.
    """
    text = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    front, rest = _front_matter(text, name)
    seps = list(SEPARATOR.finditer(rest))
    if not seps:
        raise GoldError(name, "no '=== annotations ===' line after the body")
    if len(seps) > 1:
        raise GoldError(name, "more than one '=== annotations ===' line")
    body_offset = len(text) - len(rest)
    body = rest[: seps[0].start()]
    plain, mentions = strip_markup(body, name, text, body_offset)
    annotations = _annotations(rest[seps[0].end():], name)

    actors: dict[str, list[dict]] = {}
    for actor_id, start, end in mentions:
        actors.setdefault(actor_id, []).append(_span(plain, start, end))
    gold = {
        "schema": SCHEMA,
        "id": front["id"],
        "lang": front["lang"],
        "meta": {"title": front["title"], "date": front["date"], "source": front["source"]},
        "text": plain,
        "actors": [
            {"id": actor_id, "linked": not actor_id.startswith("unk:"), "mentions": actors[actor_id]}
            for actor_id in sorted(actors)
        ],
        "claims": _claims(annotations.get("claims") or [], plain, set(actors), name),
        "causal_links": _links(annotations.get("causal_links") or [], plain, name),
    }
    return gold


def strip_markup(body: str, name: str, source: str = "", offset: int = 0) -> tuple[str, list[tuple[str, int, int]]]:
    """(plain text, [(actor id, start, end)]) for a body with `[surface](id)` markup.

    The plain text loses leading blank lines and trailing white space and ends with one newline,
    exactly as the built .txt body. `source`/`offset` only serve line numbers in errors.
    """
    lead = len(body) - len(body.lstrip("\n"))
    body = body[lead:].rstrip()
    offset += lead
    source = source or body

    def line_of(pos: int) -> int:
        return source.count("\n", 0, offset + pos) + 1

    parts: list[str] = []
    mentions: list[tuple[str, int, int]] = []
    length = 0
    last = 0
    for m in MARKUP.finditer(body):
        between = body[last: m.start()]
        _check_leftover(between, name, line_of(last))
        parts.append(between)
        length += len(between)
        surface, actor_id = m.group(1), m.group(2).strip()
        where = f"line {line_of(m.start())}, {m.group(0)!r}"
        if not surface.strip():
            raise GoldError(name, f"malformed markup at {where}: empty surface")
        if surface != surface.strip():
            raise GoldError(name, f"malformed markup at {where}: surface starts or ends with white space")
        if not is_actor_id(actor_id):
            raise GoldError(
                name,
                f"malformed markup at {where}: {actor_id!r} is not an actor id "
                "(gpe|gov|person|org|company|office:<lowercase-hyphenated> or unk:<name>)",
            )
        mentions.append((actor_id, length, length + len(surface)))
        parts.append(surface)
        length += len(surface)
        last = m.end()
    _check_leftover(body[last:], name, line_of(last))
    parts.append(body[last:])
    plain = "".join(parts)
    if not plain.strip():
        raise GoldError(name, "the article body is empty")
    return plain + "\n", mentions


def _check_leftover(segment: str, name: str, first_line: int) -> None:
    """Square brackets are reserved for markup: any left outside a [surface](id) is a mistake."""
    for i, ch in enumerate(segment):
        if ch in "[]":
            line = first_line + segment.count("\n", 0, i)
            snippet = segment[max(0, i - 10): i + 20].replace("\n", " ")
            raise GoldError(
                name,
                f"malformed markup on line {line} near {snippet!r}: a '{ch}' outside a complete "
                "[surface](actor-id) (unclosed bracket or parenthesis, or a bracket in the text)",
            )


def _front_matter(text: str, name: str) -> tuple[dict, str]:
    m = FRONT_MATTER.match(text)
    if not m:
        raise GoldError(name, "no YAML front matter: the file must open with '---', the fields and '---'")
    try:
        data = yaml.safe_load(m.group(1)) or {}
    except yaml.YAMLError as exc:
        raise GoldError(name, f"front matter is not valid YAML ({str(exc).splitlines()[0]})") from exc
    if not isinstance(data, dict):
        raise GoldError(name, "front matter is not a mapping")
    unknown = set(data) - FRONT_KEYS
    if unknown:
        raise GoldError(name, f"unknown front-matter field(s) {sorted(map(str, unknown))}; allowed: {sorted(FRONT_KEYS)}")
    for key in ("id", "lang", "title", "source"):
        if not isinstance(data.get(key), str) or not data[key].strip():
            raise GoldError(name, f"front matter needs a non-empty string '{key}'")
    if data["lang"] not in LANGS:
        raise GoldError(name, f"lang {data['lang']!r} is not one of {list(LANGS)}")
    data["date"] = _iso_date(data.get("date"), name)
    return data, text[m.end():]


def _iso_date(value, name: str) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    try:
        return dt.date.fromisoformat(str(value)).isoformat()
    except ValueError:
        raise GoldError(name, f"date {value!r} is not an ISO date (YYYY-MM-DD) or null") from None


def _annotations(block: str, name: str) -> dict:
    try:
        data = yaml.safe_load(block)
    except yaml.YAMLError as exc:
        raise GoldError(name, f"annotations are not valid YAML ({' '.join(str(exc).split())})") from exc
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise GoldError(name, "annotations must be a mapping with 'claims' and 'causal_links'")
    unknown = set(data) - ANNOTATION_KEYS
    if unknown:
        raise GoldError(name, f"unknown annotation section(s) {sorted(map(str, unknown))}; allowed: {sorted(ANNOTATION_KEYS)}")
    for key in ANNOTATION_KEYS:
        if data.get(key) is not None and not isinstance(data[key], list):
            raise GoldError(name, f"'{key}' must be a list")
    return data


def _span(text: str, start: int, end: int) -> dict:
    return {"start": start, "end": end, "text": text[start:end]}


def _as_text(value, what: str, name: str) -> str:
    if not isinstance(value, str):
        raise GoldError(name, f"{what} {value!r} is not a string (quote it in the YAML)")
    value = value.strip()
    if not value:
        raise GoldError(name, f"{what} is empty")
    return value


def _occurrences(text: str, needle: str) -> list[int]:
    out, i = [], text.find(needle)
    while i >= 0:
        out.append(i)
        i = text.find(needle, i + 1)
    return out


def _split_number(spec: str) -> tuple[str, int | None]:
    m = NUMBERED.match(spec)
    if m:
        return m.group(1), int(m.group(2))
    return spec, None


def locate(text: str, spec, what: str, name: str) -> tuple[int, int]:
    """(start, end) of a substring that must be unique, or numbered `text@N` (1-based)."""
    spec = _as_text(spec, what, name)
    needle, number = _split_number(spec)
    occ = _occurrences(text, needle)
    if not occ:
        raise GoldError(name, f"{what} {needle!r} is not a substring of the plain text (markup removed)")
    if number is None:
        if len(occ) > 1:
            raise GoldError(
                name, f"{what} {needle!r} is ambiguous: it occurs {len(occ)} times; write {needle}@1 .. {needle}@{len(occ)}"
            )
        number = 1
    if number > len(occ):
        raise GoldError(name, f"{what} {spec!r}: {needle!r} occurs only {len(occ)} time(s)")
    start = occ[number - 1]
    return start, start + len(needle)


def locate_near(text: str, spec, anchors: list[tuple[int, int]], what: str, name: str) -> tuple[int, int]:
    """(start, end) of the cue occurrence nearest to the anchors (between or around them).

    The smallest gap wins (between or inside the anchors is gap 0); on a tie an occurrence outside
    the anchors beats one inside them (禁令令 holds 令 twice); `text@N` picks one explicitly.
    """
    spec = _as_text(spec, what, name)
    needle, number = _split_number(spec)
    occ = _occurrences(text, needle)
    if not occ:
        raise GoldError(name, f"{what} {needle!r} not found in the plain text")
    if number is not None:
        if number > len(occ):
            raise GoldError(name, f"{what} {spec!r}: {needle!r} occurs only {len(occ)} time(s)")
        start = occ[number - 1]
        return start, start + len(needle)
    lo = min(a[0] for a in anchors)
    hi = max(a[1] for a in anchors)

    def gap(start: int) -> int:
        return max(0, lo - start - len(needle), start - hi)

    def inside(start: int) -> bool:
        return any(start < a_end and a_start < start + len(needle) for a_start, a_end in anchors)

    near = [o for o in occ if gap(o) <= MAX_CUE_GAP]
    if not near:
        raise GoldError(
            name,
            f"{what} {needle!r} not found near {text[lo:hi][:30]!r}: the nearest occurrence is "
            f"{min(map(gap, occ))} characters away (check the cue, or number it with @N)",
        )
    start = min(near, key=lambda o: (gap(o), inside(o), o))
    return start, start + len(needle)


def _claims(items: list, text: str, actor_ids: set[str], name: str) -> list[dict]:
    out, seen = [], set()
    for i, item in enumerate(items, 1):
        where = f"claim {i}"
        if not isinstance(item, dict):
            raise GoldError(name, f"{where} must be a mapping with span, speaker, cue, kind")
        unknown = set(item) - CLAIM_KEYS
        if unknown:
            raise GoldError(name, f"{where}: unknown field(s) {sorted(map(str, unknown))}; allowed: {sorted(CLAIM_KEYS)}")
        if "span" not in item:
            raise GoldError(name, f"{where} has no span")
        start, end = locate(text, item["span"], f"{where} span", name)
        where = f"claim {i} ({text[start:end][:20]!r})"
        speaker = item.get("speaker")
        if speaker is not None:
            if not is_actor_id(speaker):
                raise GoldError(name, f"{where}: speaker {speaker!r} is not an actor id (or null for the author)")
            if speaker not in actor_ids:
                raise GoldError(name, f"{where}: speaker {speaker!r} is not marked anywhere in the body")
        kind = item.get("kind")
        if kind not in KINDS:
            raise GoldError(name, f"{where}: kind {kind!r} is not one of {list(KINDS)}")
        cue = None
        if item.get("cue") is not None:
            c_start, c_end = locate_near(text, item["cue"], [(start, end)], f"{where} cue", name)
            cue = _span(text, c_start, c_end)
        if (start, end) in seen:
            raise GoldError(name, f"{where}: the same span is annotated twice")
        seen.add((start, end))
        out.append({**_span(text, start, end), "speaker": speaker, "cue": cue, "kind": kind})
    out.sort(key=lambda c: (c["start"], c["end"]))
    return out


def _links(items: list, text: str, name: str) -> list[dict]:
    out, seen = [], set()
    for i, item in enumerate(items, 1):
        where = f"causal link {i}"
        if not isinstance(item, dict):
            raise GoldError(name, f"{where} must be a mapping with cause, effect, cue, negated, conditional")
        unknown = set(item) - LINK_KEYS
        if unknown:
            raise GoldError(name, f"{where}: unknown field(s) {sorted(map(str, unknown))}; allowed: {sorted(LINK_KEYS)}")
        for key in ("cause", "effect"):
            if key not in item:
                raise GoldError(name, f"{where} has no {key}")
        cause = locate(text, item["cause"], f"{where} cause", name)
        effect = locate(text, item["effect"], f"{where} effect", name)
        where = f"causal link {i} ({text[cause[0]:cause[1]][:15]!r} -> {text[effect[0]:effect[1]][:15]!r})"
        if cause[0] < effect[1] and effect[0] < cause[1]:
            raise GoldError(name, f"{where}: cause and effect overlap")
        cues = item.get("cue")
        if cues is None:
            cues = []
        if not isinstance(cues, list):
            cues = [cues]
        cue_spans = sorted({locate_near(text, c, [cause, effect], f"{where} cue", name) for c in cues})
        flags = {}
        for key in ("negated", "conditional"):
            value = item.get(key, False)
            if not isinstance(value, bool):
                raise GoldError(name, f"{where}: {key} must be true or false, not {value!r}")
            flags[key] = value
        if (cause, effect) in seen:
            raise GoldError(name, f"{where}: the same cause and effect are annotated twice")
        seen.add((cause, effect))
        out.append({
            "cause": _span(text, *cause),
            "effect": _span(text, *effect),
            "cue": [_span(text, s, e) for s, e in cue_spans],
            "negated": flags["negated"],
            "conditional": flags["conditional"],
        })
    out.sort(key=lambda link: (link["cause"]["start"], link["cause"]["end"], link["effect"]["start"], link["effect"]["end"]))
    return out


def render_txt(gold: dict) -> str:
    """The pipeline input file: YAML front matter (title, date, lang, source) + the plain text."""
    date = gold["meta"]["date"]
    front = {
        "title": gold["meta"]["title"],
        "date": dt.date.fromisoformat(date) if date else None,
        "lang": gold["lang"],
        "source": gold["meta"]["source"],
    }
    head = yaml.safe_dump(front, allow_unicode=True, sort_keys=False, width=10**6)
    return f"---\n{head}---\n{gold['text']}"


def render_json(gold: dict) -> str:
    """The gold JSON, byte-stable: fixed key order, sorted lists, indent 1, trailing newline."""
    return json.dumps(gold, ensure_ascii=False, indent=1) + "\n"


def build(root: Path, check: bool = False) -> tuple[list[Path], list[str]]:
    """Build (or with `check`, verify) every split under root/src/. Returns (changed files, errors)."""
    root = Path(root)
    src = root / "src"
    if not src.is_dir():
        return [], [f"{src}: no src/ folder with <split>/<id>.ann files"]
    changed: list[Path] = []
    errors: list[str] = []
    ids: dict[str, Path] = {}
    for split_dir in sorted(p for p in src.iterdir() if p.is_dir()):
        for ann in sorted(split_dir.glob("*.ann")):
            name = str(ann)
            try:
                gold = parse_ann(ann.read_text(encoding="utf-8"), name)
                if gold["id"] != ann.stem:
                    raise GoldError(name, f"id {gold['id']!r} differs from the file name {ann.stem!r}")
                if gold["id"] in ids:
                    raise GoldError(name, f"id {gold['id']!r} is also used by {ids[gold['id']]}")
            except GoldError as exc:
                errors.append(str(exc))
                continue
            except (OSError, UnicodeDecodeError) as exc:
                errors.append(f"{name}: cannot read ({exc})")
                continue
            ids[gold["id"]] = ann
            out_dir = root / split_dir.name
            for path, content in ((out_dir / f"{gold['id']}.txt", render_txt(gold)), (out_dir / f"{gold['id']}.json", render_json(gold))):
                if path.is_file() and path.read_text(encoding="utf-8") == content:
                    continue
                changed.append(path)
                if not check:
                    out_dir.mkdir(parents=True, exist_ok=True)
                    path.write_text(content, encoding="utf-8", newline="\n")
    return changed, errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m pipeline.eval.goldmark", description=__doc__.split("\n")[0])
    parser.add_argument("root", type=Path, help="gold corpus root holding src/<split>/*.ann (e.g. corpora/gold)")
    parser.add_argument("--check", action="store_true", help="write nothing; exit 1 if any built file is missing or stale")
    args = parser.parse_args(argv)
    changed, errors = build(args.root, check=args.check)
    for err in errors:
        sys.stderr.write(f"error: {err}\n")
    verb = "stale" if args.check else "written"
    for path in changed:
        sys.stderr.write(f"{verb}: {path}\n")
    sys.stderr.write(f"{len(changed)} file(s) {verb}, {len(errors)} error(s)\n")
    return 1 if errors or (args.check and changed) else 0


if __name__ == "__main__":
    sys.exit(main())
