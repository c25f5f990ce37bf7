"""The batch runner: find inputs, skip what is done, schedule batches, write manifest and error log.

Resume: after each article is written, a line (output path, input sha256, config hash) is
appended to OUT/.newsargs-state.jsonl. A rerun skips an article whose line matches and whose
output file exists, so a run killed halfway resumes where it stopped; `force` redoes everything.
"""

from __future__ import annotations

import json
import platform
import sys
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Callable, Iterable, Iterator

from . import __version__, emit, ingest
from .errors import NewsargsError, UsageError
from .executors import Result, Work
from .ingest import Article, Failure

STATE = ".newsargs-state.jsonl"
DEPENDENCIES = ("spacy", "jieba", "opencc", "thinc", "numpy", "pyyaml", "jsonschema", "tqdm")


@dataclass
class RunStats:
    articles: int = 0
    written: int = 0
    skipped: int = 0
    failed: int = 0
    chars: int = 0
    seconds: float = 0.0
    stage_seconds: dict = field(default_factory=dict)


@dataclass
class Plan:
    todo: list[Article]
    skipped: list[str]  # outputs already done for the same input and config
    failures: list[Failure]


def plan(inputs: list[Path], out_dir: Path, config_hash: str, force: bool) -> Plan:
    """Read every input; split articles into to-do and already-done; collect ingest failures.

    A .txt/.md input whose bytes hash to what the state file recorded for its output (same
    config, output present) is done without being decoded: a rerun over an unchanged archive
    costs one read and one sha256 per file.
    """
    done = {} if force else load_state(out_dir)
    todo, skipped, failures, outs = [], [], [], {}
    out_resolved = out_dir.resolve()
    for root in inputs:
        # OUT inside an input folder: its errors.jsonl is not an input feed
        out_inside = out_resolved.is_relative_to(root.resolve())
        for path in ingest.find_inputs(root):
            if out_inside and path.resolve().is_relative_to(out_resolved):
                continue
            rel = ingest.relative(path, root)
            out = ingest.document_out(rel)
            if path.suffix.lower() != ".jsonl" and out not in outs and _unchanged(path, out, done, config_hash, out_dir):
                outs[out] = rel
                skipped.append(out)
                continue
            for item in ingest.read_path(path, root):
                if isinstance(item, Failure):
                    failures.append(item)
                    continue
                if item.out in outs:
                    failures.append(Failure(item.source["path"], "ingest", "E017",
                                            f"{item.source['path']}: writes the same output {item.out} as {outs[item.out]}; rename one of them."))
                    continue
                outs[item.out] = item.source["path"]
                key = done.get(item.out)
                if key == (item.source["sha256"], config_hash) and (out_dir / item.out).is_file():
                    skipped.append(item.out)
                else:
                    todo.append(item)
    for failure in failures:
        if failure.out in outs:
            failure.out = None  # that output belongs to an article that did not fail
    return Plan(todo, skipped, failures)


def _unchanged(path: Path, out: str, done: dict, config_hash: str, out_dir: Path) -> bool:
    """Whether a previous run wrote `out` from these very bytes with this config."""
    key = done.get(out)
    if key is None or key[1] != config_hash or not (out_dir / out).is_file():
        return False
    try:
        return ingest.sha256(path.read_bytes()) == key[0]
    except OSError:
        return False  # read_path reports it


def load_state(out_dir: Path) -> dict[str, tuple[str, str]]:
    """out path -> (input sha256, config hash) of every article a previous run finished."""
    state = {}
    path = out_dir / STATE
    if not path.is_file():
        return state
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            rec = json.loads(line)
            state[rec["out"]] = (rec["sha256"], rec["config_hash"])
        except (json.JSONDecodeError, KeyError, TypeError):
            continue  # a line cut by a killed run
    return state


def batches(articles: list[Article], max_chars: int = 200_000, max_articles: int = 64, jobs: int = 1) -> Iterator[list[Article]]:
    """Groups of articles small enough to balance across workers.

    With several jobs a batch holds at most a quarter of each worker's share, so a run of a
    few dozen articles is still spread over every worker (and the last batches are small).
    """
    if jobs > 1:
        max_articles = max(1, min(max_articles, -(-len(articles) // (jobs * 4))))
    batch, size = [], 0
    for article in articles:
        batch.append(article)
        size += len(article.text)
        if size >= max_chars or len(batch) >= max_articles:
            yield batch
            batch, size = [], 0
    if batch:
        yield batch


def check_output(out_dir: Path) -> None:
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
        probe = out_dir / ".newsargs-write-test"
        probe.write_text("")
        probe.unlink()
    except OSError as exc:
        raise UsageError("E002", path=str(out_dir), reason=exc.strerror or str(exc)) from exc


def run(
    inputs: list[Path],
    out_dir: Path,
    executor,
    config: str | None = None,
    force: bool = False,
    progress: Callable[[int], object] | None = None,
) -> RunStats:
    """Process every article under `inputs` into `out_dir`; returns the counts.

    `progress(total)` returns an object with update(n, chars, errors) and close(); the CLI
    passes a progress bar, library callers pass nothing.
    """
    from . import nlp as nlp_module

    for path in inputs:
        if not path.exists():
            raise UsageError("E001", path=str(path))
    check_output(out_dir)
    check_config(config)
    emit.remove_stale_temps(out_dir)
    started = time.time()
    config_hash = nlp_module.config_hash(config)
    the_plan = plan(inputs, out_dir, config_hash, force)
    if the_plan.todo:
        load_pipeline(config)  # a rerun with nothing to do never pays for building it
    stats = RunStats(articles=len(the_plan.todo) + len(the_plan.skipped) + len(the_plan.failures), skipped=len(the_plan.skipped))
    errors = [f.record() for f in the_plan.failures]
    for failure in the_plan.failures:
        if failure.out:
            remove_output(out_dir, failure.out)
    bar = progress(len(the_plan.todo)) if progress else None
    work = Work(config=str(config) if config else None, out_dir=str(out_dir))
    t0 = time.perf_counter()
    with open(out_dir / STATE, "a" if not force else "w", encoding="utf-8") as state:
        for result in executor.run(work, batches(the_plan.todo, jobs=getattr(executor, "jobs", 1))):
            if result.ok:
                stats.written += 1
                stats.chars += result.chars
                state.write(json.dumps({"out": result.out, "sha256": result.sha256, "config_hash": config_hash}) + "\n")
                state.flush()
                for stage, secs in result.timings.items():
                    stats.stage_seconds[stage] = stats.stage_seconds.get(stage, 0.0) + secs
            else:
                errors.append(result.error)
                remove_output(out_dir, result.out)
            if bar:
                bar.update(1, result.chars, len(errors))
    stats.seconds = time.perf_counter() - t0
    stats.failed = len(errors)
    if bar:
        bar.close()
    write_errors(out_dir, errors)
    write_manifest(out_dir, inputs, config, config_hash, executor, stats, started)
    return stats


def remove_output(out_dir: Path, out: str) -> None:
    """Delete what an earlier run wrote for an input that now fails, so OUT does not show an
    old analysis next to an error record for the same article."""
    (out_dir / out).unlink(missing_ok=True)


def write_errors(out_dir: Path, errors: list[dict]) -> None:
    """OUT/errors.jsonl, sorted by input (workers finish in any order; the log should not)."""
    errors = sorted(errors, key=lambda e: (str(e.get("path")), e.get("line") or 0, str(e.get("id") or "")))
    lines = "".join(json.dumps(e, ensure_ascii=False, sort_keys=True) + "\n" for e in errors)
    emit.write_atomic(out_dir / "errors.jsonl", lines)


def versions() -> dict:
    found = {"newsargs": __version__, "python": platform.python_version()}
    for name in DEPENDENCIES:
        try:
            found[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            found[name] = None
    return found


def write_manifest(out_dir: Path, inputs, config, config_hash, executor, stats: RunStats, started: float) -> None:
    manifest = {
        "schema": "newsargs-manifest/1",
        "started": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(started)),
        "finished": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "inputs": [str(p) for p in inputs],
        "config": str(config) if config else "default",
        "config_hash": config_hash,
        "executor": {"name": executor.name, "jobs": getattr(executor, "jobs", 1)},
        "versions": versions(),
        "counts": {"articles": stats.articles, "written": stats.written, "skipped": stats.skipped, "failed": stats.failed},
        "timings": {
            "seconds": round(stats.seconds, 3),
            "chars": stats.chars,
            "chars_per_second": round(stats.chars / stats.seconds, 1) if stats.seconds else None,
            "stage_seconds": {k: round(v, 3) for k, v in sorted(stats.stage_seconds.items())},
        },
        "argv": sys.argv[1:],
    }
    emit.write_atomic(out_dir / "manifest.json", json.dumps(manifest, ensure_ascii=False, indent=1) + "\n")


def check_config(config: str | Path | None) -> None:
    """Parse the config (no pipeline build), so that a config that cannot be read is a usage
    error before OUT is touched, even on a rerun that never builds the pipeline."""
    import spacy

    from . import nlp as nlp_module

    try:
        spacy.util.load_config(Path(config) if config else nlp_module.DEFAULT_CONFIG, interpolate=True)
    except NewsargsError:
        raise
    except Exception as exc:  # confection/spaCy config errors have no common base
        raise _config_error(config, exc) from exc


def _config_error(config, exc: Exception) -> UsageError:
    reason = (str(exc).strip().splitlines() or [type(exc).__name__])[0]
    return UsageError("E003", path=str(config or "default config"), reason=f"{type(exc).__name__}: {reason}")


def load_pipeline(config: str | Path | None):
    """Build (and cache) the pipeline before any work starts, so that a config that cannot be
    parsed or assembled is a usage error, not a traceback from the first batch."""
    from .executors.worker import pipeline

    try:
        return pipeline(str(config) if config else None)
    except NewsargsError:
        raise
    except Exception as exc:  # confection/spaCy config and registry errors have no common base
        raise _config_error(config, exc) from exc


def run_stdin(data: bytes, config: str | None = None) -> tuple[str | None, dict | None]:
    """One article from stdin bytes: (its JSON, None) or (None, an error record)."""
    from .executors.worker import pipeline, process_article

    item = ingest.read_document(data, "<stdin>", doc_id="stdin")
    if isinstance(item, Failure):
        return None, item.record()
    nlp, info = load_pipeline(config)
    result = process_article(nlp, info, item, None)
    return (result.json, None) if result.ok else (None, result.error)
