"""Doc -> newsargs/1 document. The one place that knows the output field names.

The schema file beside this module (schema/newsargs-1.schema.json) is the contract; tests
validate every emitted document against it.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from functools import lru_cache
from operator import itemgetter
from pathlib import Path
from typing import NamedTuple

import numpy
from spacy.attrs import IDX, IS_SPACE, LENGTH, SPACY, TAG
from spacy.tokens import Doc, Span

from .text.offsets import doc_text


SCHEMA = "newsargs/1"
SCHEMA_PATH = Path(__file__).parent / "schema" / "newsargs-1.schema.json"


def span_obj(span: Span | None, text: str | None = None) -> dict | None:
    """{start, end, text} of a span; `text`, the Doc's text, spares Span.text a walk over its tokens."""
    if span is None:
        return None
    start, end = span.start_char, span.end_char
    return {"start": start, "end": end, "text": span.text if text is None else text[start:end]}


def document(doc: Doc, article, pipeline_info: dict) -> dict:
    """The newsargs/1 dict for an annotated Doc and the Article it came from."""
    ext = doc._  # each read of `doc._` makes a new accessor object: one will do
    lang = ext.lang
    paragraphs = list(doc.spans["paragraphs"]) if "paragraphs" in doc.spans else []
    para_starts = [p.start_char for p in paragraphs]
    langs = ext.paragraph_langs or []
    text = doc_text(doc)
    cols = _Columns.of(doc)
    links = ext.causal_links or []
    return {
        "schema": SCHEMA,
        "id": article.id,
        "source": article.source,
        "lang": lang,
        "meta": article.meta,
        "text": text,
        "simplified": ext.simplified,
        "paragraphs": [
            {"start": p.start_char, "end": p.end_char, "heading": p.label_ == "heading", "lang": langs[i] if i < len(langs) else lang}
            for i, p in enumerate(paragraphs)
        ],
        "sentences": _sentences(doc, para_starts, text, cols),
        "tokens": _tokens(doc, text, cols),
        "actors": _actors(doc, text, ext.actors),
        "claims": [_claim(c, text) for c in ext.claims or []],
        "causal_links": [_link(link, text) for link in links],
        "actor_links": _actor_links(links),
        "pipeline": pipeline_info,
    }


class _Columns(NamedTuple):
    """Token columns of a Doc as plain lists, read in one `Doc.to_array` call: iterating the
    Doc (or each sentence) makes one Token object per step."""

    starts: list[int]
    ends: list[int]
    spaced: list[bool]  # followed by a space (English tokens)
    solid: list[int]  # indices of the tokens that are not white space
    tags: list[int]

    @classmethod
    def of(cls, doc: Doc) -> "_Columns":
        if not len(doc):
            return cls([], [], [], [], [])
        cols = doc.to_array([IDX, LENGTH, SPACY, IS_SPACE, TAG])
        starts = cols[:, 0].astype(numpy.int64)
        return cls(starts.tolist(), (starts + cols[:, 1].astype(numpy.int64)).tolist(), cols[:, 2].astype(bool).tolist(),
                   numpy.flatnonzero(cols[:, 3] == 0).tolist(), cols[:, 4].tolist())


def _sentences(doc: Doc, para_starts: list[int], text: str | None = None, cols: _Columns | None = None) -> list[dict]:
    """Each sentence from its first to its last non-space token, with its paragraph's index."""
    import bisect

    text = doc_text(doc) if text is None else text
    cols = _Columns.of(doc) if cols is None else cols
    solid = cols.solid
    out = []
    for sent in doc.sents:
        first = bisect.bisect_left(solid, sent.start)
        if first == len(solid) or solid[first] >= sent.end:
            continue  # white space only
        last = solid[bisect.bisect_left(solid, sent.end) - 1]
        start, end = cols.starts[solid[first]], cols.ends[last]
        chunk = text[start:end]
        # A token may carry edge white space (an English token never does; a jieba one might).
        start += len(chunk) - len(chunk.lstrip())
        end -= len(chunk) - len(chunk.rstrip())
        para = bisect.bisect_right(para_starts, start) - 1
        out.append({"start": start, "end": end, "paragraph": max(para, 0)})
    return out


def _tokens(doc: Doc, text: str | None = None, cols: _Columns | None = None) -> list[dict]:
    """Tokens tile the text: white space after an English token is a token of its own."""
    text = doc_text(doc) if text is None else text
    cols = _Columns.of(doc) if cols is None else cols
    tag_names = {h: doc.vocab.strings[h] for h in set(cols.tags)}
    if "" in tag_names.values():  # an untagged token's pos: "x" if it is white space, else None
        pos = [tag_names[h] or ("x" if text[s:e].isspace() else None) for h, s, e in zip(cols.tags, cols.starts, cols.ends)]
    else:  # every token tagged (jieba's): the pos is the tag
        pos = list(map(tag_names.__getitem__, cols.tags))
    if True not in cols.spaced:  # jieba's tokens tile the text themselves
        return [{"start": s, "end": e, "pos": p} for s, e, p in zip(cols.starts, cols.ends, pos)]
    out = []
    for start, end, space, p in zip(cols.starts, cols.ends, cols.spaced, pos):
        out.append({"start": start, "end": end, "pos": p})
        if space:  # spaCy's trailing white space is one " "
            out.append({"start": end, "end": end + 1, "pos": "x"})
    return out


def _actors(doc: Doc, text: str | None = None, infos: list | None = None) -> list[dict]:
    """One entry per actor id in order of first mention, its mentions by start; each span's
    offsets are read once (`infos`: doc._.actors, when the caller has it)."""
    text = doc_text(doc) if text is None else text
    infos = {a.id: a for a in (doc._.actors if infos is None else infos) or []}
    mentions: dict[str, tuple[Span, list]] = {}  # id -> (its first span, [(start, end)])
    for span in doc.spans.get("actors", []):
        kb = span.kb_id_
        entry = mentions.get(kb)
        if entry is None:
            entry = mentions[kb] = (span, [])
        entry[1].append((span.start_char, span.end_char))
    out = []
    for actor_id, (first, offsets) in mentions.items():
        info = infos.get(actor_id)
        offsets.sort(key=itemgetter(0))  # stable: equal starts keep the group's order
        out.append({
            "id": actor_id,
            "name": {"en": info.name_en if info else None, "zh-Hant": info.name_hant if info else None,
                     "zh-Hans": info.name_hans if info else None},
            "type": info.type if info else first.label_,
            "linked": info.linked if info else False,
            "mentions": [{"start": s, "end": e, "text": text[s:e]} for s, e in offsets],
        })
    return out


def _claim(claim, text: str | None = None) -> dict:
    return {
        **span_obj(claim.span, text),
        "speaker": claim.speaker,
        "cue": span_obj(claim.cue, text),
        "kind": claim.kind,
        "score": round(float(claim.score), 4),
        "actors": list(claim.actors),
    }


def _link(link, text: str | None = None) -> dict:
    return {
        "cause": span_obj(link.cause, text),
        "effect": span_obj(link.effect, text),
        "cue": [span_obj(c, text) for c in link.cues],
        "negated": bool(link.negated),
        "conditional": bool(link.conditional),
        "cause_actors": list(link.cause_actors),
        "effect_actors": list(link.effect_actors),
        "score": round(float(link.score), 4),
    }


def _actor_links(links) -> list[dict]:
    """For each (cause-side actor, effect-side actor) pair, the indices of the links joining them.

    An actor on both sides of a link (its judgement leads to its own action) is no edge between
    actors and is left out.
    """
    pairs: dict[tuple[str, str], list[int]] = {}
    for i, link in enumerate(links):
        for source in link.cause_actors:
            for target in link.effect_actors:
                if source != target:
                    pairs.setdefault((source, target), []).append(i)
    return [{"source": s, "target": t, "links": idx} for (s, t), idx in pairs.items()]


def dumps(document_dict: dict) -> str:
    """Stable serialisation: same document, same bytes (UTF-8, no ASCII escaping).

    `document` builds a tree, so the encoder skips its reference-cycle bookkeeping (one dict
    insert and delete per container, some 190k token dicts a 300k-character batch)."""
    return json.dumps(document_dict, ensure_ascii=False, separators=(",", ":"), check_circular=False) + "\n"


# The temp names write_atomic makes: .<name>.<8 random characters from mkstemp>.tmp
TEMP_NAME = re.compile(r"\..+\.[a-z0-9_]{8}\.tmp")


def write_atomic(path: Path, content: str) -> None:
    """Write via a temp file in the same folder and rename, so a killed run leaves no half file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(content)
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise


def remove_stale_temps(folder: Path) -> int:
    """Delete the temp files a killed run (SIGKILL, power loss) left under `folder`.

    write_atomic removes its temp file on any exception, but nothing runs on SIGKILL; the
    half-written file would stay next to the outputs for good. Returns how many were removed.
    """
    removed = 0
    for p in folder.rglob(".*.tmp"):
        if p.is_file() and TEMP_NAME.fullmatch(p.name):
            p.unlink(missing_ok=True)
            removed += 1
    return removed


@lru_cache(maxsize=1)
def load_schema() -> dict:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


def validate(document_dict: dict) -> list[str]:
    """Schema errors of a document plus the offset invariants a JSON Schema cannot state.

    Every span's text is text[start:end] with 0 <= start <= end <= len(text) (a reversed span
    would otherwise match the empty string); paragraphs, sentences and tokens lie inside the
    text, tokens tile it, and each sentence lies inside the paragraph it names. Never raises on a malformed
    document: what the schema rejects is reported, not tripped over.
    """
    import jsonschema

    validator = jsonschema.Draft202012Validator(load_schema())
    errors = [f"{'/'.join(map(str, e.path))}: {e.message}" for e in validator.iter_errors(document_dict)]
    if not isinstance(document_dict, dict):
        return errors
    text = document_dict.get("text")
    text = text if isinstance(text, str) else ""
    for where, span in _spans(document_dict):
        if not _in_text(span, len(text)):
            errors.append(f"{where}: offsets {span.get('start')}..{span.get('end')} are reversed or outside the text")
        elif text[span["start"] : span["end"]] != span.get("text"):
            errors.append(f"{where}: span text does not match text[{span['start']}:{span['end']}]")
    for key in ("paragraphs", "sentences", "tokens"):
        for i, item in enumerate(_list(document_dict, key)):
            if not _in_text(item, len(text)):
                errors.append(f"{key}/{i}: offsets {item.get('start')}..{item.get('end')} are reversed or outside the text")
    tokens = _list(document_dict, "tokens")
    if tokens and all(_in_text(t, len(text)) for t in tokens):
        pos = 0
        for i, tok in enumerate(tokens):
            if tok["start"] != pos or tok["end"] == tok["start"]:
                errors.append(f"tokens/{i}: starts at {tok['start']}, not at {pos} (tokens must tile the text)")
                break
            pos = tok["end"]
        else:
            if pos != len(text):
                errors.append(f"tokens: end at {pos}, the text at {len(text)} (tokens must tile the text)")
    paragraphs = _list(document_dict, "paragraphs")
    for i, sent in enumerate(_list(document_dict, "sentences")):
        p = sent.get("paragraph")
        if not isinstance(p, int) or not 0 <= p < len(paragraphs):
            errors.append(f"sentences/{i}: paragraph {p!r} does not exist")
        elif _in_text(sent, len(text)) and _in_text(paragraphs[p], len(text)) and not (
                paragraphs[p]["start"] <= sent["start"] and sent["end"] <= paragraphs[p]["end"]):
            errors.append(f"sentences/{i}: not inside paragraph {p}")
    simplified = document_dict.get("simplified")
    if isinstance(simplified, str) and len(simplified) != len(text):
        errors.append("simplified: length differs from text")
    return errors


def _list(d: dict, key: str) -> list[dict]:
    value = d.get(key)
    return [x for x in value if isinstance(x, dict)] if isinstance(value, list) else []


def _in_text(item: dict, length: int) -> bool:
    start, end = item.get("start"), item.get("end")
    ints = all(isinstance(x, int) and not isinstance(x, bool) for x in (start, end))
    return ints and 0 <= start <= end <= length


def _spans(d: dict):
    for a in _list(d, "actors"):
        for m in _list(a, "mentions"):
            yield f"actors/{a.get('id')}", m
    for i, c in enumerate(_list(d, "claims")):
        yield f"claims/{i}", c
        if isinstance(c.get("cue"), dict):
            yield f"claims/{i}/cue", c["cue"]
    for i, link in enumerate(_list(d, "causal_links")):
        for part in ("cause", "effect"):
            if isinstance(link.get(part), dict):
                yield f"causal_links/{i}/{part}", link[part]
        for cue in _list(link, "cue"):
            yield f"causal_links/{i}/cue", cue
