"""The gold corpus builder: .ann -> plain text, .txt input and gold .json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.eval import goldmark
from pipeline.eval.goldmark import GoldError, parse_ann

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "corpora" / "gold"

ANN = """---
id: dev-xx-01
lang: zh-Hant
date: 2025-05-12
title: 測試：關稅
source: team-written
---
[美國總統特朗普](person:donald-trump)上周宣布加徵關稅，[北京](gov:chn)隨即反制。

[帕斯卡研究所](unk:帕斯卡研究所)警告，關稅最終會由美國消費者承擔。由於[華府](gov:usa)擴大實體清單，[北京](gov:chn)收緊稀土出口。
=== annotations ===
claims:
  - span: 關稅最終會由美國消費者承擔
    speaker: unk:帕斯卡研究所
    cue: 警告
    kind: attribution
causal_links:
  - cause: 華府擴大實體清單
    effect: 北京收緊稀土出口
    cue: [由於]
    negated: false
    conditional: false
"""


def _ann(body: str, annotations: str = "claims: []\n") -> str:
    head = "---\nid: t-01\nlang: zh-Hant\ndate: 2024-03-01\ntitle: t\nsource: team-written\n---\n"
    return head + body + "\n=== annotations ===\n" + annotations


def _spans(gold: dict):
    for actor in gold["actors"]:
        yield from actor["mentions"]
    for claim in gold["claims"]:
        yield claim
        if claim["cue"]:
            yield claim["cue"]
    for link in gold["causal_links"]:
        yield link["cause"]
        yield link["effect"]
        yield from link["cue"]


def test_goldmark_strips_markup():
    gold = parse_ann(ANN, "x.ann")
    assert "[" not in gold["text"] and "](" not in gold["text"]
    assert gold["text"].startswith("美國總統特朗普上周宣布加徵關稅，北京隨即反制。\n\n帕斯卡研究所警告")
    assert gold["text"].endswith("收緊稀土出口。\n")


def test_goldmark_offsets_point_at_their_text():
    gold = parse_ann(ANN, "x.ann")
    text = gold["text"]
    for span in _spans(gold):
        assert text[span["start"]: span["end"]] == span["text"]
    actors = {a["id"]: a for a in gold["actors"]}
    assert [m["text"] for m in actors["gov:chn"]["mentions"]] == ["北京", "北京"]
    assert actors["gov:chn"]["mentions"][0]["start"] == text.index("北京")
    assert actors["person:donald-trump"]["mentions"] == [{"start": 0, "end": 7, "text": "美國總統特朗普"}]
    claim = gold["claims"][0]
    assert claim["speaker"] == "unk:帕斯卡研究所" and claim["cue"]["text"] == "警告"
    link = gold["causal_links"][0]
    assert link["cause"]["text"] == "華府擴大實體清單" and [c["text"] for c in link["cue"]] == ["由於"]


def test_goldmark_unk_actor_is_not_linked():
    gold = parse_ann(ANN, "x.ann")
    linked = {a["id"]: a["linked"] for a in gold["actors"]}
    assert linked == {"gov:chn": True, "gov:usa": True, "person:donald-trump": True, "unk:帕斯卡研究所": False}


def test_goldmark_meta_and_undated():
    gold = parse_ann(ANN, "x.ann")
    assert gold["meta"] == {"title": "測試：關稅", "date": "2025-05-12", "source": "team-written"}
    undated = parse_ann(ANN.replace("date: 2025-05-12\n", ""), "x.ann")
    assert undated["meta"]["date"] is None
    assert "date: null\n" in goldmark.render_txt(undated)


def test_goldmark_numbered_substring():
    body = "[北京](gov:chn)表示反對。[北京](gov:chn)認為制裁無效。"
    gold = parse_ann(_ann(body, "claims:\n  - {span: 北京@2, speaker: null, cue: null, kind: other}\n"), "x.ann")
    assert gold["claims"][0]["start"] == gold["text"].index("北京", 1)


def test_goldmark_cue_nearest_occurrence():
    body = "[甲](unk:甲)表示同意。[乙](unk:乙)表示，制裁只會適得其反。"
    ann = _ann(body, "claims:\n  - {span: 制裁只會適得其反, speaker: unk:乙, cue: 表示, kind: attribution}\n")
    gold = parse_ann(ann, "x.ann")
    assert gold["claims"][0]["cue"]["start"] == gold["text"].rindex("表示")


def test_goldmark_cue_outside_spans_beats_cue_inside():
    body = "[美國](gpe:usa)的禁令令[中國](gpe:chn)企業加快研發。"
    links = "causal_links:\n  - {cause: 美國的禁令, effect: 中國企業加快研發, cue: [令@2]}\n"
    numbered = parse_ann(_ann(body, links), "x.ann")["causal_links"][0]["cue"][0]
    nearest = parse_ann(_ann(body, links.replace("令@2", "令")), "x.ann")["causal_links"][0]["cue"][0]
    assert nearest == numbered and nearest["start"] == 5


@pytest.mark.parametrize(
    ("ann", "message"),
    [
        (_ann("北京認為。", "claims:\n  - {span: 華府, speaker: null, cue: null, kind: other}\n"), "not a substring"),
        (_ann("北京認為北京。", "claims:\n  - {span: 北京, speaker: null, cue: null, kind: other}\n"), "ambiguous"),
        (_ann("北京認為北京。", "claims:\n  - {span: 北京@3, speaker: null, cue: null, kind: other}\n"), "only 2"),
        (_ann("[北京(gov:chn)認為。"), "malformed markup"),
        (_ann("[北京](gov:chn認為。"), "malformed markup"),
        (_ann("[北京](Beijing)認為。"), "not an actor id"),
        (_ann("[](gov:chn)認為。"), "empty surface"),
        (_ann("北京認為。", "claims:\n  - {span: 北京認為, speaker: null, cue: 指出, kind: other}\n"), "cue '指出' not found"),
        (_ann("[北京](gov:chn)認為。", "claims:\n  - {span: 認為, speaker: Beijing, cue: null, kind: other}\n"), "not an actor id"),
        (_ann("[北京](gov:chn)認為。", "claims:\n  - {span: 認為, speaker: gov:usa, cue: null, kind: other}\n"), "not marked"),
        (_ann("北京認為。", "claims:\n  - {span: 認為, speaker: null, cue: null, kind: opinion}\n"), "kind"),
        (_ann("甲導致乙。", "causal_links:\n  - {cause: 甲, effect: 乙, cue: [因為]}\n"), "not found"),
        (_ann("甲導致乙。", "causal_links:\n  - {cause: 甲, effect: 乙, negated: 'no'}\n"), "true or false"),
        (_ann("甲導致乙。", "claim:\n  - {span: 甲}\n"), "unknown annotation section"),
        (_ann("甲導致乙。").replace("=== annotations ===\n", ""), "no '=== annotations ==='"),
        ("甲導致乙。\n=== annotations ===\n", "no YAML front matter"),
        (_ann("甲導致乙。").replace("lang: zh-Hant", "lang: zh"), "lang"),
    ],
)
def test_goldmark_errors_name_file_and_problem(ann, message):
    with pytest.raises(GoldError) as err:
        parse_ann(ann, "src/dev/bad.ann")
    assert str(err.value).startswith("src/dev/bad.ann: ")
    assert message in str(err.value)


def test_goldmark_distant_cue_must_be_numbered():
    far = "。" * (goldmark.MAX_CUE_GAP + 5)
    body = "[甲](unk:甲)指出" + far + "制裁無效。"
    ann = _ann(body, "claims:\n  - {span: 制裁無效, speaker: unk:甲, cue: 指出, kind: attribution}\n")
    with pytest.raises(GoldError, match="characters away"):
        parse_ann(ann, "x.ann")
    assert parse_ann(ann.replace("cue: 指出", "cue: 指出@1"), "x.ann")["claims"][0]["cue"]["text"] == "指出"


def _write_corpus(root: Path) -> None:
    src = root / "src" / "dev"
    src.mkdir(parents=True)
    (src / "dev-xx-01.ann").write_text(ANN, encoding="utf-8")


def test_goldmark_rebuild_is_byte_identical(tmp_path):
    _write_corpus(tmp_path)
    changed, errors = goldmark.build(tmp_path)
    assert errors == [] and len(changed) == 2
    first = {p: p.read_bytes() for p in (tmp_path / "dev").iterdir()}
    changed, errors = goldmark.build(tmp_path)
    assert errors == [] and changed == []
    assert {p: p.read_bytes() for p in (tmp_path / "dev").iterdir()} == first
    assert goldmark.main([str(tmp_path), "--check"]) == 0
    gold = json.loads(first[tmp_path / "dev" / "dev-xx-01.json"])
    assert goldmark.render_json(gold).encode("utf-8") == first[tmp_path / "dev" / "dev-xx-01.json"]


def test_goldmark_check_reports_stale_and_errors(tmp_path):
    _write_corpus(tmp_path)
    assert goldmark.main([str(tmp_path), "--check"]) == 1
    assert goldmark.main([str(tmp_path)]) == 0
    (tmp_path / "src" / "dev" / "dev-xx-02.ann").write_text(ANN, encoding="utf-8")
    changed, errors = goldmark.build(tmp_path)
    assert any("differs from the file name" in e for e in errors)


def test_goldmark_txt_reads_back_through_ingest(tmp_path):
    from pipeline.ingest import read_document

    gold = parse_ann(ANN, "x.ann")
    article = read_document(goldmark.render_txt(gold).encode("utf-8"), "dev-xx-01.txt")
    assert article.text == gold["text"]
    assert article.meta["date"] == "2025-05-12" and article.meta["title"] == gold["meta"]["title"]


def test_goldmark_committed_gold_is_consistent():
    """Every committed gold json has span text == text[start:end] and matches its .ann source."""
    files = sorted(GOLD.glob("*/*.json"))
    for path in files:
        gold = json.loads(path.read_text(encoding="utf-8"))
        text = gold["text"]
        for span in _spans(gold):
            assert text[span["start"]: span["end"]] == span["text"], (path.name, span)
        for claim in gold["claims"]:
            assert claim["speaker"] is None or claim["speaker"] in {a["id"] for a in gold["actors"]}, path.name
        txt = path.with_suffix(".txt").read_text(encoding="utf-8")
        assert txt.endswith("\n---\n" + text), path.name
    if files:
        changed, errors = goldmark.build(GOLD, check=True)
        assert errors == [] and changed == []


def test_goldmark_cue_inside_span_beats_distant_cue():
    body = "這才是關鍵。正是由於技術受制於人，企業才更加清醒。"
    links = "causal_links:\n  - {cause: 技術受制於人, effect: 企業才更加清醒, cue: [正是由於, 才]}\n"
    gold = parse_ann(_ann(body, links), "x.ann")
    cues = gold["causal_links"][0]["cue"]
    assert [c["text"] for c in cues] == ["正是由於", "才"] and cues[1]["start"] == gold["text"].rindex("才")
