"""Causal News Corpus reader and scorers (pipeline.eval.cnc), on in-test markup and the real dev set."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from pipeline.eval import EvalError, cnc
from pipeline.eval.report import format_table

CNC = Path(__file__).resolve().parent.parent.parent / "shared" / "benchmarks" / "cnc"

# Written for these tests (same markup as the release, not taken from it).
SENT = "Hundreds of workers marched on Monday after the plant closed , police said ."
REL = "<ARG1>Hundreds of workers marched on Monday</ARG1> <SIG0>after</SIG0> <ARG0>the plant closed</ARG0> , police said ."
SENT2 = "The strike was called off because the union won a pay rise ."
REL2 = "<ARG1>The strike was called off</ARG1> <SIG0>because</SIG0> <ARG0>the union won a pay rise</ARG0> ."
SENT3 = "Students gathered outside the ministry on Friday ."


def write_release(folder: Path) -> Path:
    """A two-file miniature of a CNC release folder (V2 layout) under `folder`/V2."""
    v2 = folder / "V2"
    v2.mkdir(parents=True)
    with (v2 / "dev_subtask1.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["index", "text", "label"])
        w.writerow(["train_1_0_5", SENT, 1])
        w.writerow(["train_1_1_9", SENT2, 1])
        w.writerow(["train_1_2_3", SENT3, 0])
    with (v2 / "dev_subtask2_grouped.csv").open("w", encoding="utf-8-sig", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["corpus", "doc_id", "sent_id", "eg_id", "index", "text", "causal_text_w_pairs", "num_rs"])
        w.writerow(["cnc", "train_1_0", 5, 0, "cnc_train_1_0_5_0", SENT, repr([REL]), 1])
        w.writerow(["cnc", "train_1_1", 9, 0, "cnc_train_1_1_9_0", SENT2, repr([REL2]), 1])
        w.writerow(["cnc", "train_1_2", 3, 0, "cnc_train_1_2_3_0", SENT3, "[]", 0])
    return folder


def pred_doc(doc_id: str, text: str, links=()) -> dict:
    return {"schema": "newsargs/1", "id": doc_id, "lang": "en", "text": text, "actors": [], "claims": [],
            "causal_links": list(links)}


def pred_link(text: str, cause: str, effect: str, cues=()) -> dict:
    def s(sub):
        i = text.index(sub)
        return {"start": i, "end": i + len(sub), "text": sub}

    return {"cause": s(cause), "effect": s(effect), "cue": [s(c) for c in cues], "negated": False, "conditional": False}


# --- markup -------------------------------------------------------------------------------------

def test_eval_cnc_markup_offsets_index_the_plain_text():
    plain, spans = cnc.parse_markup(REL)
    assert plain == SENT
    assert plain[slice(*spans["ARG0"])] == "the plant closed"
    assert plain[slice(*spans["ARG1"])] == "Hundreds of workers marched on Monday"
    assert plain[slice(*spans["SIG0"])] == "after"


def test_eval_cnc_markup_nested_signal_and_trimmed_edges():
    plain, spans = cnc.parse_markup("<ARG1>Riots</ARG1> were <ARG0><SIG0>a response to</SIG0> the verdict </ARG0>.")
    assert plain == "Riots were a response to the verdict ."
    assert plain[slice(*spans["ARG0"])] == "a response to the verdict"
    assert plain[slice(*spans["SIG0"])] == "a response to"


@pytest.mark.parametrize("bad", [
    "<ARG0>open never closed",
    "closed</ARG1> never opened",
    "<ARG0>a</ARG0> and <ARG0>b</ARG0>",
    "<ARG0>a</ARG0> <E1>b</E1>",
])
def test_eval_cnc_markup_errors(bad):
    with pytest.raises(EvalError):
        cnc.parse_markup(bad)


def test_eval_cnc_relation_must_rebuild_the_sentence():
    with pytest.raises(EvalError, match="rebuild"):
        cnc.relation_link(REL, SENT.replace("Monday", "Tuesday"))


def test_eval_cnc_relation_link_shape():
    link = cnc.relation_link(REL, SENT)
    assert link["cause"] == {"start": SENT.index("the plant"), "end": SENT.index(" , police"), "text": "the plant closed"}
    assert [c["text"] for c in link["cue"]] == ["after"]
    assert link["negated"] is False and link["conditional"] is False


# --- reading a release --------------------------------------------------------------------------

def test_eval_cnc_read_subtasks_share_ids(tmp_path):
    root = write_release(tmp_path)
    st1 = cnc.read_cnc(root, "dev", 1)
    st2 = cnc.read_cnc(root, "dev", 2)
    assert [d["id"] for d in st1] == [d["id"] for d in st2] == ["train_1_0_5", "train_1_1_9", "train_1_2_3"]
    assert [d["label"] for d in st1] == [1, 1, 0]
    assert [len(d["causal_links"]) for d in st2] == [1, 1, 0]
    assert all(d["schema"] == "newsargs/1" and d["lang"] == "en" for d in st2)
    assert cnc.read_cnc(root / "V2", "dev", 2) == st2  # the version folder itself works too


def test_eval_cnc_read_rejects_test_split_and_bad_subtask(tmp_path):
    root = write_release(tmp_path)
    with pytest.raises(EvalError, match="test labels"):
        cnc.read_cnc(root, "test", 1)
    with pytest.raises(EvalError):
        cnc.read_cnc(root, "dev", 3)
    with pytest.raises(EvalError, match="no CNC data"):
        cnc.read_cnc(tmp_path / "V2" / "nowhere", "dev", 1)


def test_eval_cnc_write_inputs_jsonl(tmp_path):
    root = write_release(tmp_path)
    out = tmp_path / "in" / "cnc.jsonl"
    assert cnc.write_inputs(root, out) == 3
    lines = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert lines[0] == {"id": "train_1_0_5", "text": SENT}
    assert [line["id"] for line in lines] == ["train_1_0_5", "train_1_1_9", "train_1_2_3"]


# --- scoring ------------------------------------------------------------------------------------

def test_eval_cnc_subtask1_counts_and_mcc(tmp_path):
    gold = cnc.read_cnc(write_release(tmp_path), "dev", 1)
    pred = {
        "train_1_0_5": pred_doc("train_1_0_5", SENT, [pred_link(SENT, "the plant closed", "Hundreds of workers")]),
        "train_1_2_3": pred_doc("train_1_2_3", SENT3, [pred_link(SENT3, "Students", "the ministry")]),
        # train_1_1_9 missing -> predicted non-causal
    }
    s = cnc.score_cnc_subtask1(gold, pred)
    assert (s["tp"], s["fp"], s["fn"], s["tn"]) == (1, 1, 1, 0)
    assert s["p"] == 0.5 and s["r"] == 0.5 and s["acc"] == pytest.approx(1 / 3)
    assert s["mcc"] == pytest.approx(-0.5)
    assert s["missing"] == ["train_1_1_9"]


def test_eval_cnc_mcc_perfect_and_degenerate():
    assert cnc.mcc(3, 0, 0, 2) == 1.0
    assert cnc.mcc(0, 0, 3, 2) == 0.0  # nothing predicted causal: undefined, reported as 0


def test_eval_cnc_subtask2_perfect_prediction(tmp_path):
    gold = cnc.read_cnc(write_release(tmp_path), "dev", 2)
    pred = {d["id"]: d for d in gold}
    s = cnc.score_cnc_subtask2(gold, pred)
    assert s["examples"] == 2 and s["relations"] == 2
    for role in ("cause", "effect", "signal", "cause_effect", "links"):
        assert s[role]["f1"] == 1.0, role
    assert s["macro_f1"] == 1.0
    assert "approximat" in s["note"]


def test_eval_cnc_subtask2_partial_spans_get_token_credit(tmp_path):
    gold = cnc.read_cnc(write_release(tmp_path), "dev", 2)
    pred = {
        # cause exact (3 tokens), effect 3 of 6 tokens, no cue
        "train_1_0_5": pred_doc("train_1_0_5", SENT, [pred_link(SENT, "the plant closed", "Hundreds of workers")]),
        # cause and effect swapped: no token of either role right
        "train_1_1_9": pred_doc("train_1_1_9", SENT2, [pred_link(SENT2, "The strike was called off", "the union won a pay rise")]),
    }
    s = cnc.score_cnc_subtask2(gold, pred)
    assert (s["cause"]["tp"], s["cause"]["fp"], s["cause"]["fn"]) == (3, 5, 6)
    assert (s["effect"]["tp"], s["effect"]["fp"], s["effect"]["fn"]) == (3, 6, 8)
    assert (s["signal"]["tp"], s["signal"]["fn"]) == (0, 2)
    assert s["links"] == {**s["links"], "tp": 1, "fp": 1, "fn": 1}  # 3/6 effect tokens: F1 0.67 >= 0.5


def test_eval_cnc_subtask2_extra_predictions_are_dropped(tmp_path):
    gold = cnc.read_cnc(write_release(tmp_path), "dev", 2)
    good = pred_link(SENT, "the plant closed", "Hundreds of workers marched on Monday", ["after"])
    noise = pred_link(SENT, "police", "Monday")
    pred = {"train_1_0_5": pred_doc("train_1_0_5", SENT, [noise, good])}
    s = cnc.score_cnc_subtask2([gold[0]], pred)
    assert s["cause"]["f1"] == 1.0 and s["effect"]["f1"] == 1.0 and s["signal"]["f1"] == 1.0
    assert s["links"]["fp"] == 1  # the link-level criterion does count the extra link


def test_eval_cnc_evaluate_and_table(tmp_path):
    root = write_release(tmp_path)
    preds = tmp_path / "pred" / "cnc"
    preds.mkdir(parents=True)
    gold = cnc.read_cnc(root, "dev", 2)
    for d in gold[:2]:
        (preds / f"{d['id']}.json").write_text(json.dumps(pred_doc(d["id"], d["text"], d["causal_links"])), encoding="utf-8")
    report = cnc.evaluate_cnc(root, tmp_path / "pred")
    assert report["subtask1"]["f1"] == 1.0 and report["subtask2"]["cause"]["f1"] == 1.0
    assert report["docs"]["missing"] == ["train_1_2_3"]
    assert report["published"]["subtask1"]  # V2 reference numbers carried along
    only2 = cnc.evaluate_cnc(root, tmp_path / "pred", subtask=2)
    assert "subtask1" not in only2 and "subtask2" in only2
    table = format_table(report)
    assert "subtask 1" in table and "cause tokens" in table and "published" in table
    json.dumps(report)


# --- the real dev set ---------------------------------------------------------------------------

needs_cnc = pytest.mark.skipif(not (CNC / "V2" / "dev_subtask1.csv").is_file(), reason="CNC benchmark copy not present")


@needs_cnc
@pytest.mark.parametrize("version, n, causal, relations, with_relations", [
    ("V2", 340, 185, 249, 185),
    ("V1", 323, 178, 18, 15),
])
def test_eval_cnc_real_dev_counts(version, n, causal, relations, with_relations):
    st1 = cnc.read_cnc(CNC, "dev", 1, version)
    st2 = cnc.read_cnc(CNC, "dev", 2, version)
    assert len(st1) == len(st2) == n
    assert sum(d["label"] for d in st1) == causal
    assert sum(len(d["causal_links"]) for d in st2) == relations
    assert sum(1 for d in st2 if d["causal_links"]) == with_relations
    assert {d["id"] for d in st1} == {d["id"] for d in st2}
    assert {d["id"]: d["text"] for d in st1} == {d["id"]: d["text"] for d in st2}


@needs_cnc
def test_eval_cnc_real_dev_span_texts_match():
    st2 = cnc.read_cnc(CNC, "dev", 2)
    spans = 0
    for d in st2:
        assert "\ufeff" not in d["text"]
        for link in d["causal_links"]:
            for s in [link["cause"], link["effect"], *link["cue"]]:
                assert d["text"][s["start"]:s["end"]] == s["text"] and s["text"].strip() == s["text"] != ""
                spans += 1
    assert spans == 249 * 2 + 157 + 3  # causes, effects, SIG0 and SIG1 signals
    # the worked example of SOURCE.md: a two-link chain
    chain = next(d for d in st2 if d["id"] == "train_10_1_350")
    assert [(link["cause"]["text"][:14], link["effect"]["text"][:14]) for link in chain["causal_links"]] == [
        ("six pro-indepe", "Several thousa"), ("an act of poli", "six pro-indepe")]


# --- the tagger on the real dev set -------------------------------------------------------------

# Measured on V2 dev with the English causal rules of models/cues/causal-en.yaml version 2:
# subtask 1 P 0.887 R 0.341 F1 0.492; subtask 2 cause+effect token F1 0.314. The floors only
# catch a collapse (a lexicon that stops loading, a rule that stops firing), not a small drift.
CNC_ST1_F1_FLOOR = 0.40
CNC_ST1_P_FLOOR = 0.75
CNC_ST2_F1_FLOOR = 0.22


@needs_cnc
def test_eval_cnc_tagger_dev_floor(nlp):
    from pipeline import emit

    st1 = cnc.read_cnc(CNC, "dev", 1)
    pred = {}
    for gold in st1:
        doc = nlp(gold["text"])
        links = [{"cause": emit.span_obj(link.cause), "effect": emit.span_obj(link.effect),
                  "cue": [emit.span_obj(c) for c in link.cues], "negated": link.negated,
                  "conditional": link.conditional} for link in doc._.causal_links]
        pred[gold["id"]] = pred_doc(gold["id"], gold["text"], links)
    s1 = cnc.score_cnc_subtask1(st1, pred)
    assert s1["f1"] >= CNC_ST1_F1_FLOOR and s1["p"] >= CNC_ST1_P_FLOOR, {k: s1[k] for k in ("p", "r", "f1")}
    s2 = cnc.score_cnc_subtask2(cnc.read_cnc(CNC, "dev", 2), pred)
    assert s2["cause_effect"]["f1"] >= CNC_ST2_F1_FLOOR, s2["cause_effect"]
