"""The benchmark program: its corpus generator, its report, and the exact posseg Viterbi it motivated."""

from __future__ import annotations

import json
import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from pipeline import bench, ingest


def test_bench_corpus_reaches_size_and_parses(tmp_path):
    info = bench.make_corpus(tmp_path / "c", 0.05, seed=3)
    files = sorted((tmp_path / "c").rglob("*.txt"))
    assert info["files"] == len(files) > 0
    assert info["bytes"] == sum(p.stat().st_size for p in files) >= 50_000
    articles = [a for p in files for a in ingest.read_path(p, tmp_path / "c")]
    assert all(isinstance(a, ingest.Article) for a in articles)


def test_bench_corpus_is_seeded(tmp_path):
    bench.make_corpus(tmp_path / "a", 0.02, seed=7)
    bench.make_corpus(tmp_path / "b", 0.02, seed=7)
    read = lambda d: {p.name: p.read_bytes() for p in d.rglob("*.txt")}  # noqa: E731
    assert read(tmp_path / "a") == read(tmp_path / "b")


def test_bench_corpus_strips_gold_markup_and_falls_back(tmp_path):
    src = tmp_path / "corpora" / "gold" / "src" / "test"
    src.mkdir(parents=True)
    (src / "x.ann").write_text("---\ntitle: t\n---\n[北京](gov:chn)表示反對。\n", encoding="utf-8")
    assert bench.source_articles(tmp_path / "corpora") == [("x", "---\ntitle: t\n---\n北京表示反對。\n")]
    empty = tmp_path / "nothing"
    empty.mkdir()
    assert [name for name, _ in bench.source_articles(empty)] == ["fallback"]


def test_bench_shuffled_copy_keeps_front_matter_lede_and_paragraphs():
    text = "---\ntitle: t\n---\nlede\n\np1\n\np2\n\np3\n"
    out = bench.shuffled_copy(text, random.Random(0))
    head, body = out[: len("---\ntitle: t\n---\n")], out[len("---\ntitle: t\n---\n"):]
    assert head == "---\ntitle: t\n---\n"
    blocks = body.strip().split("\n\n")
    assert blocks[0] == "lede" and sorted(blocks[1:]) == ["p1", "p2", "p3"]


def fake_child(mode, args, **extra):
    """Stand-in measurements: what each child process reports, with made-up numbers."""
    return {**fake_measure(mode, extra), "process_seconds": 6.0 if mode == "pipeline" else 1.0}


def fake_measure(mode, extra):
    row = {"seconds": 1.0, "cpu_seconds": 1.0, "chars": 1000, "articles": 10}
    if mode == "convert":
        return {"convert": row, "peak_rss_mb": 90.0}
    if mode == "jieba":
        return {"jieba_cut": row, "jieba_posseg": {**row, "seconds": 2.0}, "posseg_cut": {**row, "seconds": 1.5}, "segmenter": {**row, "seconds": 2.5},
                "peak_rss_mb": 250.0}
    if mode in ("pipeline", "rerun"):
        done = mode == "pipeline"
        jobs = extra.get("jobs", 1)
        return {"seconds": 4.0 / jobs if done else 0.01, "cpu_seconds": 4.0 if done else 0.01, "build_seconds": 1.5 if done else 0.0, "articles": 10,
                "written": 10 if done else 0, "skipped": 0 if done else 10, "failed": 0, "chars": 1000 if done else 0,
                "stage_seconds": {"segment": 2.0, "structure": 1.0, "emit": 0.5}, "peak_rss_mb": 300.0,
                "peak_rss_mb_workers": 280.0 if jobs > 1 else None}
    if mode == "cold":
        return {"seconds": 2.0, "peak_rss_mb": 250.0}
    if mode == "langs":
        return {"by_lang": {"en": {"articles": 2, "chars": 500, "jieba_cut_chars_per_cpu_s": 4000.0, "pipeline_chars_per_cpu_s": 1000.0,
                                   "pipeline_vs_jieba_cpu": 0.25}}}
    return {"stage": extra["stage"], "chars": 1000, "articles": 10, "sort": "cumulative", "top": ["a line"]}


def test_bench_report_shape_and_verdicts(monkeypatch, tmp_path):
    monkeypatch.setattr(bench, "run_child", fake_child)
    args = bench.build_parser().parse_args(["--size-mb", "0.01"])
    args.work, args.input = tmp_path, tmp_path
    res = bench.measure(args, lambda message: None)
    assert set(res["rows"]) == {"convert", "jieba_cut", "jieba_posseg", "posseg_cut", "segmenter", "jobs1", "jobs2", "rerun", "cold_start"}
    assert res["segment_breakdown_share"] == {"convert": 0.4, "posseg_cut": 0.6, "detect_doc_english": 0.0}
    assert res["rows"]["jobs1"]["chars_per_s"] == 250.0
    assert res["stage_share"] == {"segment": 0.5714, "structure": 0.2857, "emit": 0.1429}
    t = res["targets"]
    assert set(t) == set(bench.TARGETS)
    assert t["pipeline_vs_jieba"]["value"] == 0.25 and t["pipeline_vs_jieba"]["pass"] is False
    assert t["jobs2_vs_jobs1"]["value"] == 2.0
    assert t["rerun_speedup"]["value"] == 550.0 and t["rerun_speedup"]["pass"] is True
    assert t["peak_rss_mb_per_worker"]["value"] == 300.0 and t["peak_rss_mb_per_worker"]["pass"] is True
    assert t["cold_start_s"]["pass"] is True
    assert res["ratios"]["rerun_speedup_process"] == 6.0
    assert res["ratios"]["pipeline_vs_jieba_cpu"] == 0.25 and res["ratios"]["jobs2_cpu_per_wall"] == 2.0
    assert res["ratios"]["jobs2_stage_time_vs_jobs1"] == 1.0
    assert res["profile"]["stage"] == "segment"
    report = {"environment": {"cpus": 2, "commit": "x"}, "input": {"files": 1, "bytes": 10}, "results": res}
    table = bench.format_table(report)
    assert "pipeline --jobs 2" in table and "FAIL" in table
    assert "en pipeline 1,000 vs jieba cut 4,000 chars/s = 0.25" in table
    json.dumps(report)


@pytest.mark.slow
def test_bench_end_to_end_tiny(tmp_path):
    out = tmp_path / "bench.json"
    assert bench.main(["--size-mb", "0.02", "--out", str(out), "--profile-lines", "3", "--keep", str(tmp_path / "w")]) == 0
    report = json.loads(out.read_text(encoding="utf-8"))
    assert report["schema"] == "newsargs-bench/1"
    rows = report["results"]["rows"]
    assert rows["jobs1"]["failed"] == 0 and rows["jobs1"]["articles"] == report["input"]["files"]
    assert rows["rerun"]["skipped"] == report["input"]["files"] and rows["rerun"]["written"] == 0
    assert all(t["value"] is not None for t in report["results"]["targets"].values())
    assert all(v["pipeline_chars_per_cpu_s"] for v in report["results"]["by_lang"].values())


# The bench's profile led to segment.PossegHMM; its viterbi must give jieba's exact result.
def test_bench_posseg_viterbi_matches_jieba():
    from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P
    from jieba.posseg.viterbi import viterbi

    from pipeline.text.segment import PossegHMM

    hmm = PossegHMM(char_state_tab_P, start_P, trans_P, emit_P)
    rng = random.Random(5)
    chars = sorted(char_state_tab_P)[:3000] + list("龘靐齉中美贸易战关税芯片")
    for _ in range(400):
        obs = "".join(rng.choice(chars) for _ in range(rng.randint(1, 25)))
        assert hmm.viterbi(obs) == viterbi(obs, char_state_tab_P, start_P, trans_P, emit_P), obs


def _hmm_alphabet() -> str:
    """Characters with posseg states, characters it has emissions for but no state list (any
    state that can follow is a candidate), and characters it has never seen."""
    from jieba.posseg import char_state_tab_P, emit_P

    with_states = sorted(char_state_tab_P)[::40]
    emitted_only = sorted({ch for row in emit_P.values() for ch in row} - set(char_state_tab_P))[::60]
    return "".join(with_states + emitted_only) + "龘靐齉㐀中美贸易战关税"


@pytest.fixture(scope="module")
def posseg_hmm():
    from pipeline.text.segment import PossegHMM

    return PossegHMM.jieba()


@settings(max_examples=400, deadline=None)
@given(obs=st.text(alphabet=_hmm_alphabet(), min_size=1, max_size=12))
def test_bench_posseg_viterbi_matches_jieba_on_generated_text(posseg_hmm, obs):
    from jieba.posseg import char_state_tab_P, emit_P, start_P, trans_P
    from jieba.posseg.viterbi import viterbi

    assert posseg_hmm.viterbi(obs) == viterbi(obs, char_state_tab_P, start_P, trans_P, emit_P)


def test_bench_segmenter_uses_exact_posseg(nlp):
    import jieba.posseg

    seg = nlp.tokenizer.jieba
    text = "特朗普宣布对华加征关税，北京随即收紧稀土出口管制，帕斯卡尔研究所的分析员认为贸易战难以降温。"
    plain = jieba.posseg.POSTokenizer(seg._tok)
    plain.word_tag_tab = dict(seg._tags)  # the user words' tags, as the segmenter loaded them
    assert seg.cut(text) == [(len(p.word), p.flag) for p in plain.cut(text)]
