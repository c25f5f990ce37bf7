"""The command line: usage errors, exit codes, stdin mode, end-to-end runs."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import textwrap

import pytest

from conftest import ROOT
from pipeline import __version__, cli, emit


def extract(*args) -> int:
    return cli.main(["extract", *map(str, args)])


def one_line(err: str) -> str:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("newsargs: ")
    return lines[0]


# --- usage errors: exit 2, one line on stderr ------------------------------------------------------

def test_cli_missing_input_is_a_usage_error(tmp_path, capsys):
    assert extract(tmp_path / "nowhere", "-o", tmp_path / "out", "-q") == 2
    assert "nowhere" in one_line(capsys.readouterr().err)
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_cli_output_that_is_a_file_is_a_usage_error(corpus, tmp_path, capsys):
    target = tmp_path / "out.json"
    target.write_text("{}", encoding="utf-8")
    assert extract(corpus, "-o", target, "-q") == 2
    assert "out.json" in one_line(capsys.readouterr().err)
    assert target.read_text(encoding="utf-8") == "{}"


def test_cli_output_under_a_file_is_a_usage_error(corpus, tmp_path, capsys):
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    assert extract(corpus, "-o", blocker / "out", "-q") == 2
    one_line(capsys.readouterr().err)


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write into a read-only folder")
def test_cli_read_only_output_is_a_usage_error(corpus, tmp_path, capsys):
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o500)
    try:
        assert extract(corpus, "-o", out, "-q") == 2
        one_line(capsys.readouterr().err)
    finally:
        out.chmod(0o700)


def test_cli_no_output_folder_is_a_usage_error(corpus, capsys):
    assert extract(corpus) == 2
    assert "-o" in one_line(capsys.readouterr().err)


@pytest.mark.parametrize("jobs", ["0", "-3"])
def test_cli_jobs_below_one_is_a_usage_error(corpus, tmp_path, capsys, jobs):
    assert extract(corpus, "-o", tmp_path / "out", "--jobs", jobs) == 2
    one_line(capsys.readouterr().err)


def test_cli_missing_config_is_a_usage_error(corpus, tmp_path, capsys):
    assert extract(corpus, "-o", tmp_path / "out", "--config", tmp_path / "none.cfg") == 2
    assert "none.cfg" in one_line(capsys.readouterr().err)


@pytest.mark.parametrize(
    "content",
    ["this is [not a config\n",
     '[nlp]\nlang = "zh"\npipeline = ["nope"]\n[components]\n[components.nope]\nfactory = "no_such_factory"\n'],
    ids=["unparsable", "unknown-factory"],
)
@pytest.mark.parametrize("stdin", [False, True], ids=["folder", "stdin"])
def test_cli_config_that_cannot_be_built_is_a_usage_error(corpus, tmp_path, capsys, monkeypatch, content, stdin):
    # Regression: a config that exists but cannot be parsed or assembled crashed the run with a
    # traceback (exit 1) from the first batch, after OUT had been set up.
    config = tmp_path / "broken.cfg"
    config.write_text(content, encoding="utf-8")
    if stdin:
        monkeypatch.setattr(sys, "stdin", _Stdin("美國宣布加徵關稅。".encode()))
        assert extract("-", "--config", config) == 2
    else:
        assert extract(corpus, "-o", tmp_path / "out", "--config", config, "-q") == 2
        assert not (tmp_path / "out" / "manifest.json").exists()
    assert "broken.cfg" in one_line(capsys.readouterr().err)


def test_cli_argparse_errors_exit_2(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["extract"])
    assert exc.value.code == 2


def test_cli_version(capsys):
    with pytest.raises(SystemExit) as exc:
        cli.main(["--version"])
    assert exc.value.code == 0
    assert __version__ in capsys.readouterr().out


# --- exit codes and the summary ------------------------------------------------------------------

def test_cli_exit_0_and_a_summary_when_everything_succeeds(corpus, tmp_path, spine_config, capsys):
    out = tmp_path / "out"
    assert extract(corpus, "-o", out, "--config", spine_config, "-q") == 0
    captured = capsys.readouterr()
    assert captured.out == ""  # results go to files; the terminal gets only the summary on stderr
    assert "9 written, 0 unchanged, 0 failed of 9 articles" in captured.err
    assert (out / "errors.jsonl").read_text(encoding="utf-8") == ""


def test_cli_exit_1_when_some_article_failed(corpus, tmp_path, spine_config, capsys):
    (corpus / "empty.txt").write_bytes(b"")
    out = tmp_path / "out"
    assert extract(corpus, "-o", out, "--config", spine_config, "-q") == 1
    assert "1 failed" in capsys.readouterr().err
    assert (out / "hk-tariffs.json").is_file()
    # a rerun still reports the failure
    assert extract(corpus, "-o", out, "--config", spine_config, "-q") == 1


def test_cli_several_inputs(corpus, tmp_path, spine_config):
    other = tmp_path / "other"
    other.mkdir()
    (other / "extra.txt").write_text("歐盟表示談判將繼續。", encoding="utf-8")
    out = tmp_path / "out"
    assert extract(corpus / "hk-tariffs.txt", other, "-o", out, "--config", spine_config, "-q") == 0
    assert sorted(p.name for p in out.glob("*.json")) == ["extra.json", "hk-tariffs.json", "manifest.json"]


# --- stdin ------------------------------------------------------------------------------------

class _Stdin:
    def __init__(self, data: bytes):
        self.buffer = io.BytesIO(data)


def test_cli_stdin_writes_one_json_to_stdout(monkeypatch, capsys, spine_config):
    text = "---\ntitle: 紅海航運\ndate: 2025-03-02\n---\n紅海航運受阻，運費急升。\n\n港商叫苦連天。"
    monkeypatch.setattr(sys, "stdin", _Stdin(text.encode("big5hkscs")))
    assert extract("-", "--config", spine_config) == 0
    out = capsys.readouterr().out
    assert out.count("\n") == 1
    doc = json.loads(out)
    assert emit.validate(doc) == []
    assert doc["id"] == "stdin" and doc["source"]["path"] == "<stdin>"
    assert doc["source"]["encoding"] == "big5hkscs"
    assert doc["meta"]["title"] == "紅海航運" and doc["meta"]["date"] == "2025-03-02"
    assert doc["text"] == "紅海航運受阻，運費急升。\n\n港商叫苦連天。"


def test_cli_stdin_bad_input_exits_1_with_nothing_on_stdout(monkeypatch, capsys):
    monkeypatch.setattr(sys, "stdin", _Stdin(b"  \n"))
    assert extract("-") == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert "empty" in one_line(captured.err)


# --- end to end, in a fresh process ---------------------------------------------------------------

def run_cli(*args, env_extra=None, **kw):
    env = {**os.environ, "PYTHONHASHSEED": "0", **(env_extra or {})}
    return subprocess.run([sys.executable, "-m", "pipeline", *map(str, args)], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=300, **kw)


def test_cli_end_to_end_python_m_pipeline(corpus, tmp_path, spine_config):
    out = tmp_path / "out"
    proc = run_cli("extract", corpus, "-o", out, "--config", spine_config, "--jobs", "2")
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == ""
    docs = sorted(p.relative_to(out).as_posix() for p in out.rglob("*.json"))
    assert len(docs) == 10 and "manifest.json" in docs
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["executor"]["jobs"] == 2 and manifest["counts"]["written"] == 9


KILLER = textwrap.dedent("""
    import os, signal, sys
    from pipeline import cli
    real = os.replace
    calls = [0]
    def replace(src, dst):
        calls[0] += 1
        if calls[0] == 4:
            os.kill(os.getpid(), signal.SIGKILL)  # killed between writing the temp file and renaming it
        return real(src, dst)
    os.replace = replace
    sys.exit(cli.main(sys.argv[1:]))
""")


def test_cli_sigkilled_run_leaves_no_half_json_and_the_rerun_finishes(corpus, tmp_path, spine_config):
    out = tmp_path / "out"
    args = ["extract", str(corpus), "-o", str(out), "--config", str(spine_config), "-q"]
    proc = subprocess.run([sys.executable, "-c", KILLER, *args], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert proc.returncode == -9
    written = [p for p in out.rglob("*.json")]
    assert len(written) == 3
    for p in written:
        assert emit.validate(json.loads(p.read_text(encoding="utf-8"))) == []
    assert len(list(out.rglob(".*.tmp"))) == 1  # the one being renamed when the process died
    proc = run_cli(*args)
    assert proc.returncode == 0, proc.stderr
    assert "6 written, 3 unchanged" in proc.stderr
    assert list(out.rglob("*.tmp")) == []
    assert len([p for p in out.rglob("*.json") if p.name != "manifest.json"]) == 9
