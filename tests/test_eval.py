"""Scorer, readers and report of pipeline.eval, on small hand-made gold/prediction dicts."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from pipeline.eval import EvalError, evaluate, read_native
from pipeline.eval import scorer
from pipeline.eval.readers import pair
from pipeline.eval.report import format_table, to_json

TEXT = "美國總統特朗普上周宣布加徵關稅，北京隨即反制。由於關稅上升，出口商被迫轉移產能。分析認為貿易戰沒有贏家。"


def span(sub: str, n: int = 1, text: str = TEXT) -> dict:
    """{start, end, text} of the n-th occurrence of `sub` in `text`."""
    start = -1
    for _ in range(n):
        start = text.index(sub, start + 1)
    return {"start": start, "end": start + len(sub), "text": sub}


def actor(actor_id: str, *subs: str, linked: bool | None = None) -> dict:
    return {
        "id": actor_id,
        "linked": (not actor_id.startswith("unk:")) if linked is None else linked,
        "mentions": [span(s) for s in subs],
    }


def claim(sub: str, speaker=None, cue=None, kind="evaluation") -> dict:
    return {**span(sub), "speaker": speaker, "cue": span(cue) if cue else None, "kind": kind}


def link(cause: str, effect: str, cues=(), negated=False, conditional=False) -> dict:
    return {"cause": span(cause), "effect": span(effect), "cue": [span(c) for c in cues],
            "negated": negated, "conditional": conditional}


def doc(doc_id="d1", lang="zh-Hant", text=TEXT, actors=(), claims=(), links=()) -> dict:
    return {"schema": "newsargs/1", "id": doc_id, "lang": lang, "text": text,
            "actors": list(actors), "claims": list(claims), "causal_links": list(links)}


def gold_doc(doc_id="d1", lang="zh-Hant") -> dict:
    return doc(
        doc_id, lang,
        actors=[actor("person:donald-trump", "美國總統特朗普"), actor("gov:chn", "北京"),
                actor("unk:出口商", "出口商")],
        claims=[claim("貿易戰沒有贏家", speaker="unk:分析", cue="認為", kind="prediction"),
                claim("北京隨即反制")],
        links=[link("關稅上升", "出口商被迫轉移產能", cues=["由於"])],
    )


def overall(gold: dict, pred: dict | None) -> dict:
    return scorer.finalise(scorer.score_document(gold, pred))


# --- tokens -------------------------------------------------------------------------------------

def test_eval_tokens_cjk_chars_and_latin_runs():
    text = "美國加徵25% tariffs, 2025年 U.S."
    assert [text[s:e] for s, e in scorer.tokens(text)] == ["美", "國", "加", "徵", "25", "tariffs", "2025", "年", "U", "S"]


def test_eval_tokens_carry_offsets():
    assert scorer.tokens("a b", offset=10) == [(10, 11), (12, 13)]


def test_eval_token_f1_is_positional():
    text = "關稅上升，關稅上升"
    first, second = span("關稅上升", 1, text), span("關稅上升", 2, text)
    assert scorer.token_f1(first, first) == 1.0
    assert scorer.token_f1(first, second) == 0.0  # same words elsewhere are not overlap
    assert scorer.token_f1(first, second, positional=False) == 1.0


def test_eval_token_f1_ignores_punctuation():
    text = "「關稅」上升"
    assert scorer.token_f1({"start": 0, "end": 6, "text": text}, {"start": 1, "end": 6, "text": text[1:]}) == 1.0


# --- whole documents ----------------------------------------------------------------------------

def test_eval_perfect_match_scores_one_everywhere():
    metrics = overall(gold_doc(), gold_doc())
    for name in scorer.PRF_METRICS:
        assert metrics[name]["f1"] == 1.0, name
    for name in scorer.ACC_METRICS:
        assert metrics[name]["acc"] == 1.0, name


def test_eval_missing_prediction_misses_all_gold():
    report = scorer.score_corpus({"d1": gold_doc("d1"), "d2": gold_doc("d2")}, {"d1": gold_doc("d1")})
    assert report["docs"]["missing"] == ["d2"]
    assert report["overall"]["claims.token_f1"]["fn"] == 2
    assert report["overall"]["claims.token_f1"]["r"] == 0.5
    assert report["overall"]["claims.token_f1"]["p"] == 1.0
    assert report["by_doc"]["d2"]["metrics"]["causal.token_f1"]["r"] == 0.0


def test_eval_extra_prediction_is_listed_not_scored():
    report = scorer.score_corpus({"d1": gold_doc("d1")}, {"d1": gold_doc("d1"), "zz": gold_doc("zz")})
    assert report["docs"]["extra"] == ["zz"]
    assert report["overall"]["claims.token_f1"]["fp"] == 0


def test_eval_empty_prediction_has_undefined_precision():
    metrics = overall(gold_doc(), doc())
    assert metrics["claims.token_f1"]["p"] is None
    assert metrics["claims.token_f1"]["r"] == 0.0
    assert metrics["claims.token_f1"]["f1"] == 0.0
    assert metrics["claims.speaker"]["acc"] is None  # nothing matched, nothing to judge


def test_eval_false_positive_lowers_precision_only():
    pred = gold_doc()
    pred["claims"].append(claim("美國總統特朗普上周宣布加徵關稅"))
    pred["causal_links"].append(link("美國總統特朗普上周宣布加徵關稅", "北京隨即反制"))
    metrics = overall(gold_doc(), pred)
    assert metrics["claims.token_f1"] == {**metrics["claims.token_f1"], "tp": 2, "fp": 1, "fn": 0, "r": 1.0}
    assert metrics["claims.token_f1"]["p"] == pytest.approx(2 / 3)
    assert metrics["causal.token_f1"]["fp"] == 1 and metrics["causal.token_f1"]["r"] == 1.0


def test_eval_swapped_direction_does_not_match():
    pred = doc(links=[link("出口商被迫轉移產能", "關稅上升", cues=["由於"])])
    counts = scorer.score_document(gold_doc(), pred)
    assert counts["causal.token_f1"] == {"tp": 0, "fp": 1, "fn": 1}
    assert counts["causal.overlap"]["tp"] == 0
    assert counts["causal.swapped"] == {"count": 1}
    report = scorer.score_corpus({"d1": gold_doc()}, {"d1": pred})
    assert report["diagnostics"]["causal.swapped"] == 1


def test_eval_causal_needs_both_sides_above_threshold():
    # effect shares only 出口商 (3 of 9 gold tokens): F1 = 2*3/(9+3) = 0.5 -> matches
    ok = doc(links=[link("關稅上升", "出口商")])
    assert scorer.score_document(gold_doc(), ok)["causal.token_f1"]["tp"] == 1
    # 出口 (2 tokens): F1 = 4/11 < 0.5 -> no match though the cause is perfect
    short = doc(links=[link("關稅上升", "出口")])
    counts = scorer.score_document(gold_doc(), short)
    assert counts["causal.token_f1"]["tp"] == 0
    assert counts["causal.overlap"]["tp"] == 1


def test_eval_claim_token_f1_threshold_is_inclusive():
    gold = doc(claims=[claim("北京隨即反制")])  # 6 tokens
    at = doc(claims=[claim("隨即")])  # 2 of 6 -> F1 = 4/8 = 0.5
    below = doc(claims=[claim("隨")])  # 1 of 6 -> F1 = 2/7
    assert scorer.score_document(gold, at)["claims.token_f1"]["tp"] == 1
    counts = scorer.score_document(gold, below)
    assert counts["claims.token_f1"]["tp"] == 0
    assert counts["claims.overlap"]["tp"] == 1


def test_eval_mention_exact_vs_overlap():
    gold = doc(actors=[actor("person:donald-trump", "特朗普")])
    pred = doc(actors=[actor("person:donald-trump", "美國總統特朗普")])
    metrics = overall(gold, pred)
    assert metrics["actors.mention.exact"]["tp"] == 0
    assert metrics["actors.mention.overlap"]["tp"] == 1
    assert metrics["actors.entity"]["f1"] == 1.0


def test_eval_mention_overlap_is_one_to_one():
    gold = doc(actors=[actor("person:donald-trump", "美國總統特朗普")])
    pred = doc(actors=[actor("gpe:usa", "美國"), actor("person:donald-trump", "特朗普")])
    counts = scorer.score_document(gold, pred)
    assert counts["actors.mention.overlap"] == {"tp": 1, "fp": 1, "fn": 0}


def test_eval_mention_exact_id_needs_the_right_actor():
    gold = doc(actors=[actor("gov:chn", "北京")])
    pred = doc(actors=[actor("gpe:chn", "北京")])
    counts = scorer.score_document(gold, pred)
    assert counts["actors.mention.exact"]["tp"] == 1
    assert counts["actors.mention.exact_id"]["tp"] == 0
    assert counts["actors.entity"] == {"tp": 0, "fp": 1, "fn": 1}


def test_eval_entity_linked_leaves_out_unknown_actors():
    gold = doc(actors=[actor("gov:chn", "北京"), actor("unk:出口商", "出口商")])
    pred = doc(actors=[actor("gov:chn", "北京")])
    counts = scorer.score_document(gold, pred)
    assert counts["actors.entity"] == {"tp": 1, "fp": 0, "fn": 1}
    assert counts["actors.entity.linked"] == {"tp": 1, "fp": 0, "fn": 0}


def test_eval_speaker_accuracy_on_matched_attributed_claims():
    gold = doc(claims=[claim("貿易戰沒有贏家", speaker="org:imf", cue="認為"),
                       claim("北京隨即反制", speaker="gov:chn"),
                       claim("出口商被迫轉移產能")])  # author claim
    pred = doc(claims=[claim("貿易戰沒有贏家", speaker="org:imf", cue="認為"),
                       claim("北京隨即反制", speaker=None),
                       claim("出口商被迫轉移產能")])
    counts = scorer.score_document(gold, pred)
    assert counts["claims.speaker"] == {"correct": 1, "total": 2}
    assert counts["claims.speaker_all"] == {"correct": 2, "total": 3}
    assert counts["claims.cue"] == {"correct": 1, "total": 1}


def test_eval_unmatched_claims_do_not_count_for_speaker():
    gold = doc(claims=[claim("貿易戰沒有贏家", speaker="org:imf")])
    pred = doc(claims=[claim("北京隨即反制", speaker="org:imf")])
    assert scorer.score_document(gold, pred)["claims.speaker"] == {"correct": 0, "total": 0}


def test_eval_kind_accuracy():
    gold = doc(claims=[claim("貿易戰沒有贏家", kind="prediction"), claim("北京隨即反制", kind="evaluation")])
    pred = doc(claims=[claim("貿易戰沒有贏家", kind="prediction"), claim("北京隨即反制", kind="explanation")])
    assert scorer.score_document(gold, pred)["claims.kind"] == {"correct": 1, "total": 2}


def test_eval_causal_cue_and_flags_on_matched_links():
    gold = doc(links=[link("關稅上升", "出口商被迫轉移產能", cues=["由於"], negated=True)])
    wrong = doc(links=[link("關稅上升", "出口商被迫轉移產能", cues=["被迫"], conditional=True)])
    counts = scorer.score_document(gold, wrong)
    assert counts["causal.cue"] == {"correct": 0, "total": 1}
    assert counts["causal.negated"] == {"correct": 0, "total": 1}
    assert counts["causal.conditional"] == {"correct": 0, "total": 1}
    assert scorer.score_document(gold, gold)["causal.cue"] == {"correct": 1, "total": 1}


def test_eval_causal_matching_is_one_to_one():
    gold = doc(links=[link("關稅上升", "出口商被迫轉移產能")])
    pred = doc(links=[link("關稅上升", "出口商被迫轉移產能"), link("關稅上升", "出口商被迫轉移")])
    assert scorer.score_document(gold, pred)["causal.token_f1"] == {"tp": 1, "fp": 1, "fn": 0}


def test_eval_text_mismatch_falls_back_to_token_bags():
    shifted = "X" + TEXT
    pred = doc(text=shifted, claims=[{**claim("貿易戰沒有贏家"), "start": TEXT.index("貿易戰") + 1,
                                      "end": TEXT.index("貿易戰") + 8}])
    gold = doc(claims=[claim("貿易戰沒有贏家")])
    report = scorer.score_corpus({"d1": gold}, {"d1": pred})
    assert report["docs"]["text_mismatch"] == ["d1"]
    assert report["overall"]["claims.token_f1"]["tp"] == 1


def test_eval_by_language_breakdown():
    en_text = "Tariffs rose, so exporters moved production."
    en_gold = doc("e1", "en", en_text, links=[{"cause": span("Tariffs rose", text=en_text),
                                                 "effect": span("exporters moved production", text=en_text),
                                                 "cue": [span("so", text=en_text)], "negated": False, "conditional": False}])
    report = scorer.score_corpus({"d1": gold_doc(), "e1": en_gold}, {"d1": gold_doc(), "e1": doc("e1", "en", en_text)})
    assert set(report["by_lang"]) == {"en", "zh-Hant"}
    assert report["by_lang"]["zh-Hant"]["causal.token_f1"]["f1"] == 1.0
    assert report["by_lang"]["en"]["causal.token_f1"]["f1"] == 0.0
    assert report["overall"]["causal.token_f1"]["tp"] == 1 and report["overall"]["causal.token_f1"]["fn"] == 1


def test_eval_micro_average_sums_counts():
    g1, g2 = gold_doc("d1"), gold_doc("d2")
    g2["claims"] = g2["claims"] + [claim("出口商被迫轉移產能")]
    report = scorer.score_corpus({"d1": g1, "d2": g2}, {"d1": g1, "d2": doc("d2")})
    # d1 recall 2/2, d2 recall 0/3: micro 2/5, not the macro 0.5
    assert report["overall"]["claims.token_f1"]["r"] == pytest.approx(2 / 5)


# --- readers, entry point, report ---------------------------------------------------------------

def write(path, data) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")


def test_eval_read_native_recursive_skips_other_json(tmp_path):
    write(tmp_path / "a" / "b" / "d1.json", gold_doc("d1"))
    write(tmp_path / "d2.json", gold_doc("d2"))
    write(tmp_path / "manifest.json", {"schema": "newsargs/1", "id": "not-a-doc"})
    write(tmp_path / "other.json", {"schema": "something/2", "id": "x"})
    write(tmp_path / "list.json", [1, 2])
    (tmp_path / "errors.jsonl").write_text("{}\n", encoding="utf-8")
    assert sorted(read_native(tmp_path)) == ["d1", "d2"]


def test_eval_read_native_rejects_duplicate_ids(tmp_path):
    write(tmp_path / "x.json", gold_doc("d1"))
    write(tmp_path / "y.json", gold_doc("d1"))
    with pytest.raises(EvalError, match="d1"):
        read_native(tmp_path)


def test_eval_read_native_rejects_broken_json(tmp_path):
    (tmp_path / "d1.json").write_text('{"schema": "newsargs/1", "id": ', encoding="utf-8")
    with pytest.raises(EvalError, match="d1.json"):
        read_native(tmp_path)


def test_eval_pair_reports_missing_and_extra():
    pairs, missing, extra = pair({"a": {}, "b": {}}, {"b": {"x": 1}, "c": {}})
    assert pairs == [("a", {}, None), ("b", {}, {"x": 1})]
    assert (missing, extra) == (["a"], ["c"])


def test_eval_evaluate_folders_and_table(tmp_path):
    write(tmp_path / "gold" / "d1.json", gold_doc("d1"))
    write(tmp_path / "gold" / "d2.json", gold_doc("d2"))
    pred = gold_doc("d1")
    pred["claims"] = pred["claims"][:1]
    write(tmp_path / "pred" / "sub" / "d1.json", pred)
    report = evaluate(tmp_path / "gold", tmp_path / "pred")
    assert report["docs"]["missing"] == ["d2"]
    assert report["overall"]["claims.token_f1"] == {**report["overall"]["claims.token_f1"], "tp": 1, "fn": 3}
    assert json.loads(to_json(report))["overall"] == report["overall"]
    table = format_table(report)
    lines = table.splitlines()
    for label in ("actors-mention-exact", "actors-mention-overlap", "actors-entity", "actors-entity-linked",
                  "claims (token F1>=0.5)", "claims speaker acc", "causal links (token F1>=0.5)", "causal cue acc"):
        assert any(line.startswith(label) for line in lines), label
    assert "missing predictions: d2" in table
    header = next(line for line in lines if line.startswith("metric"))
    row = next(line for line in lines if line.startswith("claims (token F1>=0.5)"))
    assert row.index("0.250") + len("0.250") == header.index("R") + 1  # right-aligned under R


def test_eval_imports_no_pipeline_stage():
    code = ("import sys, pipeline.eval, pipeline.eval.cnc, pipeline.eval.report\n"
            "bad = [m for m in sys.modules if m.split('.')[0] in ('spacy', 'jieba', 'opencc')\n"
            "       or (m.startswith('pipeline.') and not m.startswith('pipeline.eval'))]\n"
            "assert not bad, bad\n")
    subprocess.run([sys.executable, "-c", code], check=True)
