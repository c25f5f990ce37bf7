"""Emit: Doc -> newsargs/1 document, the schema, stable bytes, atomic writes."""

from __future__ import annotations

import json
import os

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from spacy.tokens import Span

from conftest import ROOT
from pipeline import emit, ingest
from pipeline.executors.worker import process_article
from pipeline.ingest import Article
from pipeline.records import ActorInfo, CausalLink, Claim

INFO = {"version": "0.0.0", "config_hash": "test", "components": ["newsargs.segmenter.v1", "newsargs_structure"]}
TEXT = "關稅戰的代價\n\n美國周二宣布對中國加徵關稅，北京隨即表示將採取反制措施。分析人士認為，香港出口商首當其衝。"


def article_for(text: str, meta: dict | None = None) -> Article:
    data = text.encode("utf-8")
    source = {"path": "t.txt", "sha256": "0" * 64, "encoding": "utf-8", "bytes": len(data)}
    return Article("t", text, meta or {"title": None, "date": None}, source, "t.json")


def char_span(doc, start: int, end: int, **kw) -> Span:
    return doc.char_span(start, end, alignment_mode="expand", **kw)


@pytest.fixture
def annotated(spine):
    """A Doc with hand-made actors, a claim and a causal link."""
    doc = spine(TEXT)
    usa = TEXT.index("美國")
    chn = TEXT.index("中國")
    bj = TEXT.index("北京")
    doc.spans["actors"] = [
        char_span(doc, usa, usa + 2, label="GPE", kb_id="gpe:usa"),
        char_span(doc, chn, chn + 2, label="GPE", kb_id="gpe:chn"),
        char_span(doc, bj, bj + 2, label="GOV", kb_id="gov:chn"),
    ]
    doc._.actors = [ActorInfo("gpe:usa", "GPE", True, "United States", "美國", "美国"),
                    ActorInfo("gov:chn", "GOV", True, "Government of China", "中國政府", "中国政府")]
    s1 = TEXT.index("美國周二")
    e1 = TEXT.index("措施。") + 3
    cue = TEXT.index("認為")
    doc._.claims = [Claim(char_span(doc, TEXT.index("香港"), len(TEXT)), None, char_span(doc, cue, cue + 2),
                          "prediction", 0.73456, [])]
    doc._.causal_links = [CausalLink(char_span(doc, s1, TEXT.index("，")), char_span(doc, bj, e1),
                                     [char_span(doc, TEXT.index("隨即"), TEXT.index("隨即") + 2)], False, False, 0.6,
                                     ["gpe:usa"], ["gov:chn", "gpe:chn"])]
    return doc


def test_emit_document_fields_and_schema(annotated):
    d = emit.document(annotated, article_for(TEXT), INFO)
    assert emit.validate(d) == []
    assert d["schema"] == "newsargs/1"
    assert d["text"] == TEXT and len(d["simplified"]) == len(TEXT)
    assert d["lang"] == "zh-Hant"
    assert [p["heading"] for p in d["paragraphs"]] == [True, False]
    assert [p["lang"] for p in d["paragraphs"]] == ["zh-Hant", "zh-Hant"]
    assert [s["paragraph"] for s in d["sentences"]] == [0, 1, 1]
    assert d["pipeline"] == INFO


def test_emit_actors_group_mentions_by_id(annotated):
    d = emit.document(annotated, article_for(TEXT), INFO)
    actors = {a["id"]: a for a in d["actors"]}
    assert set(actors) == {"gpe:usa", "gpe:chn", "gov:chn"}
    assert actors["gpe:usa"]["name"] == {"en": "United States", "zh-Hant": "美國", "zh-Hans": "美国"}
    assert actors["gpe:usa"]["linked"] is True
    # an actor without an ActorInfo still gets its type from the span label
    assert actors["gpe:chn"]["type"] == "GPE" and actors["gpe:chn"]["linked"] is False
    assert [m["text"] for m in actors["gov:chn"]["mentions"]] == ["北京"]


def test_emit_claims_and_links_are_spans_with_plain_numbers(annotated):
    d = emit.document(annotated, article_for(TEXT), INFO)
    (claim,) = d["claims"]
    assert claim["text"] == TEXT[claim["start"] : claim["end"]]
    assert claim["cue"]["text"] == "認為"
    assert claim["score"] == 0.7346 and isinstance(claim["score"], float)
    (link,) = d["causal_links"]
    assert link["cause"]["text"] == "美國周二宣布對中國加徵關稅"
    assert [c["text"] for c in link["cue"]] == ["隨即"]
    assert link["negated"] is False and link["conditional"] is False


def test_emit_actor_links_come_from_cause_and_effect_actors(annotated):
    d = emit.document(annotated, article_for(TEXT), INFO)
    assert d["actor_links"] == [{"source": "gpe:usa", "target": "gov:chn", "links": [0]},
                                {"source": "gpe:usa", "target": "gpe:chn", "links": [0]}]


def test_emit_english_document(spine):
    text = "The U.S. raised tariffs.  China responded.\n"
    d = emit.document(spine(text), article_for(text), INFO)
    assert emit.validate(d) == []
    assert d["lang"] == "en" and d["simplified"] is None
    assert all(t["pos"] is None or t["pos"] == "x" for t in d["tokens"])
    assert [text[s["start"] : s["end"]] for s in d["sentences"]] == ["The U.S. raised tariffs.", "China responded."]


@pytest.mark.parametrize(
    "breakage, message",
    [
        (lambda d: d["claims"][0].update(start=d["claims"][0]["start"] + 1), "span text does not match"),
        (lambda d: d.update(simplified=d["simplified"][:-1]), "simplified: length differs"),
        (lambda d: d.pop("tokens"), "'tokens' is a required property"),
        (lambda d: d.update(lang="zh"), "lang"),
        (lambda d: d["causal_links"][0].update(score=1.5), "score"),
        (lambda d: d["actors"][0].update(id="usa"), "id"),
        (lambda d: d["meta"].update(date="14/10/2025"), "date"),
        (lambda d: d.update(extra=1), "Additional properties"),
    ],
    ids=["span-text", "simplified-length", "missing-field", "lang", "score", "actor-id", "date", "extra-field"],
)
def test_emit_validate_catches_broken_documents(annotated, breakage, message):
    d = emit.document(annotated, article_for(TEXT), INFO)
    breakage(d)
    errors = emit.validate(d)
    assert errors and any(message in e for e in errors), errors


@pytest.mark.parametrize(
    "breakage, message",
    [
        (lambda d: d["claims"][0].update(start=d["claims"][0]["end"] + 3, text=""), "reversed or outside"),
        (lambda d: d["causal_links"][0]["cue"][0].update(end=10_000, text=""), "reversed or outside"),
        (lambda d: d["tokens"][-1].update(end=len(d["text"]) + 1), "tokens/"),
        (lambda d: d["sentences"][0].update(paragraph=7), "does not exist"),
        (lambda d: d["sentences"][1].update(paragraph=0), "not inside paragraph"),
        (lambda d: d["tokens"].pop(3), "tile"),
        (lambda d: d["tokens"].pop(), "tile"),
        (lambda d: d["tokens"][2].update(start=d["tokens"][2]["start"] - 1), "tile"),
    ],
    ids=["reversed-span", "span-past-the-end", "token-past-the-end", "no-such-paragraph", "sentence-outside-paragraph",
         "token-gap", "tokens-short-of-the-end", "token-overlap"],
)
def test_emit_validate_catches_reversed_and_out_of_range_offsets(annotated, breakage, message):
    # Regression: a span with start > end and text "" passed (text[start:end] is "" too), and
    # offsets outside the text, token tiling and sentence->paragraph links were never checked.
    d = emit.document(annotated, article_for(TEXT), INFO)
    breakage(d)
    errors = emit.validate(d)
    assert any(message in e for e in errors), errors


@pytest.mark.parametrize(
    "breakage",
    [lambda d: d["claims"][0].pop("end"), lambda d: d["actors"][0].pop("mentions"),
     lambda d: d["causal_links"][0].update(cause=None), lambda d: d.update(text=None),
     lambda d: d["sentences"][0].pop("paragraph")],
    ids=["span-without-end", "actor-without-mentions", "link-without-cause", "text-null", "sentence-without-paragraph"],
)
def test_emit_validate_reports_instead_of_raising_on_malformed_documents(annotated, breakage):
    # Regression: validate raised KeyError on a span without "end" or an actor without
    # "mentions", the very documents it exists to report.
    d = emit.document(annotated, article_for(TEXT), INFO)
    breakage(d)
    assert emit.validate(d)


def test_emit_dumps_is_stable_utf8_json(annotated):
    d = emit.document(annotated, article_for(TEXT), INFO)
    a, b = emit.dumps(d), emit.dumps(json.loads(emit.dumps(d)))
    assert a == b
    assert a.endswith("\n") and a.count("\n") == 1
    assert "美國" in a and "\\u" not in a.replace("\\u3000", "")
    assert json.loads(a) == d


# --- atomic writes -----------------------------------------------------------------------------

def test_emit_write_atomic_writes_and_replaces(tmp_path):
    path = tmp_path / "deep" / "a.json"
    emit.write_atomic(path, '{"a":1}\n')
    emit.write_atomic(path, '{"a":2}\n')
    assert path.read_text(encoding="utf-8") == '{"a":2}\n'
    assert [p.name for p in path.parent.iterdir()] == ["a.json"]


@pytest.mark.parametrize("exc", [OSError("disk full"), KeyboardInterrupt()])
def test_emit_write_atomic_crash_leaves_old_file_and_no_temp(tmp_path, monkeypatch, exc):
    path = tmp_path / "a.json"
    path.write_text('{"old":true}\n', encoding="utf-8")

    def crash(src, dst):
        raise exc

    monkeypatch.setattr(os, "replace", crash)
    with pytest.raises(type(exc)):
        emit.write_atomic(path, '{"new":true}\n' * 1000)
    monkeypatch.undo()
    assert path.read_text(encoding="utf-8") == '{"old":true}\n'
    assert [p.name for p in tmp_path.iterdir()] == ["a.json"]


def test_emit_write_atomic_crash_while_writing_leaves_no_file(tmp_path, monkeypatch):
    import io

    real_fdopen = os.fdopen

    class Exploding(io.TextIOWrapper):
        def write(self, s):
            super().write(s[: len(s) // 2])
            raise OSError("killed halfway")

    def fdopen(fd, *args, **kwargs):
        fh = real_fdopen(fd, *args, **kwargs)
        return Exploding(fh.detach(), encoding="utf-8")

    monkeypatch.setattr(os, "fdopen", fdopen)
    with pytest.raises(OSError):
        emit.write_atomic(tmp_path / "a.json", '{"half":"written"}\n')
    assert list(tmp_path.iterdir()) == []


# --- schema over real and random documents ------------------------------------------------------

SAMPLES = ROOT / "corpora" / "samples"


def sample_articles():
    if not SAMPLES.is_dir():
        return []
    items = []
    for path in ingest.find_inputs(SAMPLES):
        items += list(ingest.read_path(path, SAMPLES))
    return items


def test_emit_every_sample_document_matches_the_schema(nlp):
    items = sample_articles()
    if not items:
        pytest.skip("corpora/samples is empty")
    info = {"version": "test", "config_hash": nlp.meta["newsargs_config_hash"],
            "components": ["newsargs.segmenter.v1", *nlp.pipe_names]}
    failures = [i for i in items if not isinstance(i, Article)]
    assert failures == [], failures
    for article in items:
        result = process_article(nlp, info, article, None)
        assert result.ok, result.error
        doc = json.loads(result.json)
        assert emit.validate(doc) == [], article.source["path"]
        assert doc["text"] == article.text


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_emit_every_span_matches_the_text(spine, mixed_text, data):
    text = data.draw(mixed_text)
    doc = spine(text)
    n = len(doc)

    def span(label=""):
        i = data.draw(st.integers(0, n - 1))
        j = data.draw(st.integers(i + 1, n))
        return Span(doc, i, j, label=label)

    actor = span("ORG")
    actor.kb_id_ = "org:test"
    doc.spans["actors"] = [actor]
    doc._.claims = [Claim(span(), "org:test", span(), "evaluation", 0.5, ["org:test"])]
    doc._.causal_links = [CausalLink(span(), span(), [span(), span()], True, True, 0.25, ["org:test"], ["unk:某人"])]
    d = emit.document(doc, article_for(text), INFO)
    assert emit.validate(d) == []
    json.loads(emit.dumps(d))


CUE_PIECES = ["美國總統", "特朗普", "北京", "華府", "中美", "對華", "因為", "所以", "導致", "他說：", "表示", "認為",
              "Trump said", "because", "China", "the U.S.", "Washington", "if", "then", "，", "。"]


@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_emit_full_pipeline_documents_are_valid(nlp, mixed_text, data):
    # The whole pipeline (taggers too) on random text: the document validates, whatever the
    # taggers found or cut. Actor names and cue words are mixed in so that they fire.
    text = data.draw(st.lists(st.one_of(mixed_text, st.sampled_from(CUE_PIECES)), min_size=1, max_size=6).map("".join))
    info = {"version": "test", "config_hash": "test", "components": []}
    result = process_article(nlp, info, article_for(text, {"title": None, "date": "2025-10-14"}), None)
    assert result.ok, result.error
    assert emit.validate(json.loads(result.json)) == []
