"""The batch runner: outputs, error records, resume, --force, killed runs, --jobs, manifest."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from spacy.language import Language

from conftest import ARTICLES
from pipeline import batch, cli, emit
from pipeline.executors import get_executor

EXPECTED_OUTS = sorted([
    "hk-tariffs.json", "tw-chips.json", "cn-rare-earth.json", "en-steel.json", "sub/hk-freight.json",
    "sub/tw-energy.json", "mixed.json", "feed/j1.json", "feed/j2.json",
])


def run(inputs, out: Path, config, jobs: int = 1, force: bool = False) -> batch.RunStats:
    inputs = inputs if isinstance(inputs, list) else [inputs]
    return batch.run(inputs, out, get_executor("local", jobs), str(config) if config else None, force)


def outputs(out: Path) -> dict[str, bytes]:
    """Every article JSON under OUT (not the manifest), by relative path."""
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*.json")) if p.name != "manifest.json"}


def errors(out: Path) -> list[dict]:
    return [json.loads(line) for line in (out / "errors.jsonl").read_text(encoding="utf-8").splitlines()]


def test_batch_writes_one_valid_document_per_article(corpus, tmp_path, spine_config):
    out = tmp_path / "out"
    stats = run(corpus, out, spine_config)
    assert (stats.articles, stats.written, stats.failed, stats.skipped) == (9, 9, 0, 0)
    docs = outputs(out)
    assert sorted(docs) == EXPECTED_OUTS
    for rel, raw in docs.items():
        d = json.loads(raw)
        assert emit.validate(d) == [], rel
    assert json.loads(docs["sub/hk-freight.json"])["id"] == "sub/hk-freight"
    assert json.loads(docs["sub/hk-freight.json"])["meta"]["title"] == "紅海航運受阻"
    assert json.loads(docs["feed/j1.json"])["id"] == "j1"
    assert json.loads(docs["feed/j1.json"])["source"]["line"] == 1
    assert json.loads(docs["en-steel.json"])["lang"] == "en"
    assert json.loads(docs["cn-rare-earth.json"])["lang"] == "zh-Hans"
    assert json.loads(docs["mixed.json"])["lang"] == "mixed"
    assert json.loads(docs["hk-tariffs.json"])["text"] == ARTICLES["hk-tariffs.txt"]
    assert errors(out) == []


def test_batch_manifest_has_versions_config_hash_counts_and_timings(corpus, tmp_path, spine_config, fixed_hash):
    from pipeline import __version__

    out = tmp_path / "out"
    (corpus / "empty.txt").write_bytes(b"")
    run(corpus, out, spine_config)
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["versions"]["newsargs"] == __version__
    for dep in ("spacy", "jieba", "opencc", "python"):
        assert manifest["versions"][dep]
    assert manifest["config_hash"] == "h1"  # what the runner computed (pinned here)
    assert manifest["counts"] == {"articles": 10, "written": 9, "skipped": 0, "failed": 1}
    assert manifest["timings"]["chars"] == sum(len(json.loads(b)["text"]) for b in outputs(out).values())
    assert manifest["executor"] == {"name": "local", "jobs": 1}
    doc = json.loads((out / "hk-tariffs.json").read_text(encoding="utf-8"))
    assert len(doc["pipeline"]["config_hash"]) == 16
    assert doc["pipeline"]["components"] == ["newsargs.segmenter.v1", "structure"]


BAD_INPUTS = {
    "undecodable": ("bad/undecodable.txt", b"tariffs \xff\xff\xfa\xfb rise", "E011", None),
    "binary": ("bad/binary.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "E012", None),
    "empty": ("bad/empty.txt", b"", "E010", None),
    "bad-front-matter": ("bad/front.md", "---\ntitle: [oops\n---\n正文。".encode(), "E015", None),
    "jsonl-not-json": ("bad/feed.jsonl", b'{"id": "ok", "text": "fine"}\n{"id": "x", "text": \n', "E013", 2),
    "jsonl-without-text": ("bad/feed.jsonl", b'{"id": "ok", "text": "fine"}\n{"id": "x", "title": "t"}\n', "E014", 2),
    "jsonl-duplicate-id": ("bad/feed.jsonl", b'{"id": "ok", "text": "fine"}\n{"id": "ok", "text": "again"}\n', "E016", 2),
}


@pytest.mark.parametrize("kind", list(BAD_INPUTS))
def test_batch_bad_input_is_an_error_record_and_the_batch_carries_on(corpus, tmp_path, spine_config, capsys, kind):
    rel, data, code, line = BAD_INPUTS[kind]
    path = corpus / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)
    out = tmp_path / "out"
    rc = cli.main(["extract", str(corpus), "-o", str(out), "--config", str(spine_config), "-q"])
    assert rc == 1
    (record,) = errors(out)
    assert (record["path"], record["stage"], record["code"]) == (rel, "ingest", code)
    assert rel in record["message"]
    if line:
        assert record["line"] == line
    docs = outputs(out)
    good = [o for o in docs if o.startswith("bad/")]
    assert sorted(set(docs) - set(good)) == EXPECTED_OUTS
    assert good == (["bad/feed/ok.json"] if rel.endswith(".jsonl") else [])
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"]["failed"] == 1
    assert "errors.jsonl" in capsys.readouterr().err


def test_batch_two_files_writing_the_same_output_is_an_error(tmp_path, spine_config):
    root = tmp_path / "in"
    root.mkdir()
    (root / "a.txt").write_text("美國宣布加徵關稅。", encoding="utf-8")
    (root / "a.md").write_text("北京隨即回應。", encoding="utf-8")
    out = tmp_path / "out"
    stats = run(root, out, spine_config)
    assert (stats.written, stats.failed) == (1, 1)
    (record,) = errors(out)
    assert record["code"] == "E017" and record["stage"] == "ingest"


# --- resume and --force -------------------------------------------------------------------------

def test_batch_rerun_skips_everything(corpus, tmp_path, spine_config, fixed_hash):
    out = tmp_path / "out"
    run(corpus, out, spine_config)
    first = outputs(out)
    stamps = {p: p.stat().st_mtime_ns for p in out.rglob("*.json") if p.name != "manifest.json"}
    stats = run(corpus, out, spine_config)
    assert (stats.written, stats.skipped, stats.failed) == (0, 9, 0)
    assert outputs(out) == first
    assert {p: p.stat().st_mtime_ns for p in stamps} == stamps
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["counts"] == {"articles": 9, "written": 0, "skipped": 9, "failed": 0}


def test_batch_rerun_decodes_only_what_changed(corpus, tmp_path, spine_config, fixed_hash, monkeypatch):
    from pipeline import ingest

    out = tmp_path / "out"
    run(corpus, out, spine_config)
    (corpus / "mixed.txt").write_text("美國與中國再談關稅。", encoding="utf-8")
    decoded = []
    real = ingest.read_document
    monkeypatch.setattr(ingest, "read_document", lambda data, rel, *a: decoded.append(rel) or real(data, rel, *a))
    stats = run(corpus, out, spine_config)
    assert (stats.written, stats.skipped) == (1, 8)
    assert decoded == ["mixed.txt"]  # unchanged .txt/.md inputs are matched by their sha256 alone


def test_batch_rerun_redoes_an_edited_file_only(corpus, tmp_path, spine_config, fixed_hash):
    out = tmp_path / "out"
    run(corpus, out, spine_config)
    (corpus / "tw-chips.txt").write_text("台灣半導體業者評估影響。", encoding="utf-8")
    feed = (corpus / "feed.jsonl").read_text(encoding="utf-8").replace("強烈不滿", "不滿")
    (corpus / "feed.jsonl").write_text(feed, encoding="utf-8")
    stats = run(corpus, out, spine_config)
    assert (stats.written, stats.skipped) == (2, 7)
    assert json.loads((out / "tw-chips.json").read_text(encoding="utf-8"))["text"] == "台灣半導體業者評估影響。"
    assert "不滿" in json.loads((out / "feed/j1.json").read_text(encoding="utf-8"))["text"]


def test_batch_rerun_redoes_a_deleted_output(corpus, tmp_path, spine_config, fixed_hash):
    out = tmp_path / "out"
    run(corpus, out, spine_config)
    (out / "mixed.json").unlink()
    stats = run(corpus, out, spine_config)
    assert (stats.written, stats.skipped) == (1, 8)
    assert (out / "mixed.json").is_file()


def test_batch_changed_config_hash_redoes_everything(corpus, tmp_path, spine_config, fixed_hash):
    out = tmp_path / "out"
    run(corpus, out, spine_config)
    fixed_hash("h2")
    stats = run(corpus, out, spine_config)
    assert (stats.written, stats.skipped) == (9, 0)
    stats = run(corpus, out, spine_config)
    assert (stats.written, stats.skipped) == (0, 9)


def test_batch_config_hash_follows_the_config_text(spine_config, tmp_path):
    from pipeline import nlp

    other = tmp_path / "other.cfg"
    other.write_text(spine_config.read_text(encoding="utf-8").replace('opencc_config = "t2s"', 'opencc_config = "hk2s"'),
                     encoding="utf-8")
    assert nlp.config_hash(other) != nlp.config_hash(spine_config)


def test_batch_force_redoes_everything(corpus, tmp_path, spine_config, fixed_hash):
    out = tmp_path / "out"
    run(corpus, out, spine_config)
    stats = run(corpus, out, spine_config, force=True)
    assert (stats.written, stats.skipped) == (9, 0)
    stats = run(corpus, out, spine_config)
    assert (stats.written, stats.skipped) == (0, 9)  # --force keeps the resume state usable


def test_batch_input_that_now_fails_loses_its_old_output(corpus, tmp_path, failing_config, fixed_hash):
    # Regression: an input that was written by one run and fails in the next kept its old JSON,
    # so OUT showed a stale analysis next to an error record for the same article.
    out = tmp_path / "out"
    (corpus / "later-fails.txt").write_text("美國宣布加徵關稅。", encoding="utf-8")
    (corpus / "a.md").write_text("北京回應。", encoding="utf-8")
    run(corpus, out, failing_config)
    assert (out / "later-fails.json").is_file() and (out / "tw-chips.json").is_file()
    (corpus / "later-fails.txt").write_text("美國宣布加徵關稅。FAIL", encoding="utf-8")   # stage failure
    (corpus / "tw-chips.txt").write_bytes(b"\xff\xfe\x00")                          # ingest failure
    feed = (corpus / "feed.jsonl").read_text(encoding="utf-8").replace('"text": "The EU', '"body": "The EU')
    (corpus / "feed.jsonl").write_text(feed, encoding="utf-8")                        # jsonl line failure
    (corpus / "a.txt").write_bytes(b"")  # fails, but a.json belongs to a.md, which did not
    stats = run(corpus, out, failing_config)
    assert sorted(e["path"] for e in errors(out)) == ["a.txt", "feed.jsonl", "later-fails.txt", "tw-chips.txt"]
    assert stats.skipped == 8
    for gone in ("later-fails.json", "tw-chips.json", "feed/j2.json"):
        assert not (out / gone).exists(), gone
    assert (out / "a.json").is_file() and (out / "feed/j1.json").is_file()


def test_batch_output_folder_inside_the_input_folder_is_not_read(corpus, tmp_path, spine_config, fixed_hash):
    # Regression: OUT inside INPUT made the next run read OUT/errors.jsonl as an input feed.
    (corpus / "empty.txt").write_bytes(b"")
    out = corpus / "out"
    run(corpus, out, spine_config)
    stats = run(corpus, out, spine_config)
    assert (stats.written, stats.skipped, stats.failed) == (0, 9, 1)
    assert [e["path"] for e in errors(out)] == ["empty.txt"]


# --- killed runs ----------------------------------------------------------------------------

# --- killed runs ------------------------------------------------------------------------------

def test_batch_run_killed_in_write_atomic_leaves_no_half_json_and_resumes(corpus, tmp_path, spine_config, fixed_hash,
                                                                          monkeypatch):
    out = tmp_path / "out"
    real_replace = os.replace
    calls = {"n": 0}

    def replace(src, dst):
        calls["n"] += 1
        if calls["n"] == 4:
            raise KeyboardInterrupt  # the run is stopped while the 4th document is being written
        return real_replace(src, dst)

    # Regression: with one job the results of a batch (up to 64 articles) were recorded only
    # after the whole batch, so a run stopped halfway redid every article of its last batch.
    monkeypatch.setattr(os, "replace", replace)
    with pytest.raises(KeyboardInterrupt):
        run(corpus, out, spine_config)
    monkeypatch.setattr(os, "replace", real_replace)
    assert list(out.rglob("*.tmp")) == []
    done = outputs(out)
    assert len(done) == 3
    for raw in done.values():
        assert emit.validate(json.loads(raw)) == []
    stats = run(corpus, out, spine_config)
    assert (stats.written, stats.skipped) == (6, 3)
    assert sorted(outputs(out)) == EXPECTED_OUTS


def test_batch_stale_temp_files_of_a_killed_run_are_removed(corpus, tmp_path, spine_config, fixed_hash):
    # Regression: a run killed with SIGKILL between writing a temp file and renaming it left
    # the half-written .<name>.json.<random>.tmp behind for good.
    out = tmp_path / "out"
    (out / "sub").mkdir(parents=True)
    stale = [out / ".hk-tariffs.json.k3j_x9qz.tmp", out / "sub" / ".tw-energy.json.a8b2c4d6.tmp",
             out / ".manifest.json.zz11yy22.tmp"]
    for p in stale:
        p.write_text('{"half": ', encoding="utf-8")
    keep = out / "notes.tmp"
    keep.write_text("not ours", encoding="utf-8")
    run(corpus, out, spine_config)
    assert [p for p in stale if p.exists()] == []
    assert keep.exists()


# --- jobs ---------------------------------------------------------------------------------------

def test_batch_small_runs_are_spread_over_every_job():
    # Regression: batches held up to 64 articles whatever --jobs said, so a run of fewer than
    # 64 articles went to a single worker and --jobs 2 did nothing.
    from pipeline.ingest import Article

    articles = [Article(str(i), "文" * 100, {}, {}, f"{i}.json") for i in range(9)]
    assert [len(b) for b in batch.batches(articles)] == [9]
    two = list(batch.batches(articles, jobs=2))
    assert len(two) >= 4 and sum(len(b) for b in two) == 9
    assert [a.id for b in two for a in b] == [a.id for a in articles]
    assert [len(b) for b in batch.batches(articles * 100, jobs=2)] == [64] * 14 + [4]
    big = [Article(str(i), "文" * 150_000, {}, {}, f"{i}.json") for i in range(3)]
    assert [len(b) for b in batch.batches(big, jobs=2)] == [1, 1, 1]


@Language.factory("test_fails_on_marker")
def _make_failing(nlp, name):
    """A component that fails on articles containing FAIL (a stage error, not an ingest one)."""

    def fail(doc):
        if "FAIL" in doc.text:
            raise RuntimeError("marker found")
        return doc

    return fail


@pytest.fixture
def failing_config(spine_config, tmp_path):
    text = spine_config.read_text(encoding="utf-8")
    text = text.replace('pipeline = ["structure"]', 'pipeline = ["structure","fails"]')
    path = tmp_path / "failing.cfg"
    path.write_text(text + '\n[components.fails]\nfactory = "test_fails_on_marker"\n', encoding="utf-8")
    return path


def test_batch_stage_failure_names_file_and_stage_and_errors_are_in_input_order(corpus, tmp_path, failing_config):
    # Regression: errors.jsonl listed ingest failures first and then stage failures in the order
    # workers finished them, so the log followed neither the input nor itself from run to run.
    for name in ("z-fail.txt", "a-fail.txt", "m-fail.txt"):
        (corpus / name).write_text("美國宣布加徵關稅。FAIL", encoding="utf-8")
    (corpus / "zz-empty.txt").write_bytes(b"")
    logs = []
    for jobs in (1, 2):
        out = tmp_path / f"out{jobs}"
        stats = run(corpus, out, failing_config, jobs=jobs)
        assert (stats.written, stats.failed) == (9, 4)
        records = errors(out)
        assert [(r["path"], r["stage"], r["code"]) for r in records] == [
            ("a-fail.txt", "fails", "E050"), ("m-fail.txt", "fails", "E050"),
            ("z-fail.txt", "fails", "E050"), ("zz-empty.txt", "ingest", "E010")]
        assert "marker found" in records[0]["message"] and "a-fail.txt" in records[0]["message"]
        assert not (out / "a-fail.json").exists()
        logs.append((out / "errors.jsonl").read_bytes())
    assert logs[0] == logs[1]


@pytest.fixture
def fresh_default_pipeline():
    """Leave no default pipeline in the per-process cache: models/ may change while the suite
    runs, and a later test building one fresh must not be compared with a stale one."""
    from pipeline.executors.worker import pipeline

    yield
    pipeline.cache_clear()


def test_batch_jobs_2_writes_the_same_bytes_as_jobs_1(corpus, tmp_path, fresh_default_pipeline):
    one, two = tmp_path / "one", tmp_path / "two"
    s1 = run(corpus, one, None, jobs=1)
    s2 = run(corpus, two, None, jobs=2)
    assert (s1.written, s2.written) == (9, 9)
    a, b = outputs(one), outputs(two)
    assert sorted(a) == EXPECTED_OUTS
    assert a == b
    assert (one / "errors.jsonl").read_bytes() == (two / "errors.jsonl").read_bytes()


def test_batch_config_hash_follows_a_configured_models_folder(tmp_path):
    """Regression: the hash read the default models folder even when the config named another."""
    import shutil

    from pipeline import nlp as nlp_module

    models = tmp_path / "models"
    shutil.copytree(nlp_module.lexicons.models_dir(), models)
    cfg = tmp_path / "custom.cfg"
    cfg.write_text(nlp_module.DEFAULT_CONFIG.read_text(encoding="utf-8").replace("models = null", f'models = "{models}"', 1), encoding="utf-8")
    before = nlp_module.config_hash(cfg)
    (models / "jieba" / "userdict.txt").write_text("新词条 n\n", encoding="utf-8")
    assert nlp_module.config_hash(cfg) != before


def test_batch_skips_folder_notes(tmp_path):
    """Regression: corpora/samples/README.md was read as an article."""
    from pipeline import ingest

    (tmp_path / "README.md").write_text("# About these files\n", encoding="utf-8")
    (tmp_path / "a.txt").write_text("美國宣布加徵關稅。", encoding="utf-8")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "LICENSE.txt").write_text("text", encoding="utf-8")
    assert [p.name for p in ingest.find_inputs(tmp_path)] == ["a.txt"]
