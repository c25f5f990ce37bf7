"""What one worker does with a batch: run the pipeline on each article and write its JSON.

The pipeline is built once per process (a cached factory keyed by the config path), so a pool
worker or a Dask worker pays the start-up cost once, not per batch.
"""

from __future__ import annotations

import gc
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Iterator

from .. import __version__, emit
from ..errors import Errors, NewsargsError
from ..ingest import Article


@dataclass
class Work:
    """Everything a worker needs besides the articles; small and picklable."""

    config: str | None
    out_dir: str | None


@dataclass
class Result:
    """The outcome for one article: written (with its sha256 and timings) or failed (with a record)."""

    out: str
    sha256: str
    chars: int
    ok: bool
    error: dict | None = None
    timings: dict = field(default_factory=dict)
    json: str | None = None  # the document, only when there is no output folder (stdin mode)


@lru_cache(maxsize=2)
def pipeline(config: str | None):
    """The built pipeline and its provenance block for a config path (once per process)."""
    from .. import nlp as nlp_module

    nlp = nlp_module.build(config)
    # The pipeline lives as long as the process: its ~120k objects need no cycle collection, and
    # a forked worker that scanned them would also copy every page they sit on.
    gc.freeze()
    info = {
        "version": __version__,
        "config_hash": nlp.meta["newsargs_config_hash"],
        "components": ["newsargs.segmenter.v1", *nlp.pipe_names],
    }
    return nlp, info


def process_article(nlp, info: dict, article: Article, out_dir: Path | None) -> Result:
    """Annotate one article and write (or return) its newsargs/1 JSON; never raises."""
    timings: dict[str, float] = {}
    stage = "segment"
    try:
        t0 = time.perf_counter()
        doc = nlp.make_doc(article.text)
        doc._.meta = article.meta
        timings[stage] = time.perf_counter() - t0
        for name, proc in nlp.pipeline:
            stage = name
            t0 = time.perf_counter()
            doc = proc(doc)
            timings[name] = time.perf_counter() - t0
        stage = "emit"
        t0 = time.perf_counter()
        info = {**info, "models": doc._.provenance or {}}
        content = emit.dumps(emit.document(doc, article, info))
        if out_dir is not None:
            emit.write_atomic(out_dir / article.out, content)
            content = None
        timings["emit"] = time.perf_counter() - t0
    except NewsargsError as exc:
        return _failed(article, exc.stage or stage, exc.code, exc.message)
    except Exception as exc:  # a bug or a bad input in one article must not stop the batch
        reason = f"{type(exc).__name__}: {exc}"
        return _failed(article, stage, "E050", Errors.E050.format(stage=stage, path=article.source["path"], reason=reason))
    return Result(article.out, article.source["sha256"], len(article.text), True, timings=timings, json=content)


def _failed(article: Article, stage: str, code: str, message: str) -> Result:
    record = {"path": article.source["path"], "id": article.id, "stage": stage, "code": code, "message": message}
    if "line" in article.source:
        record["line"] = article.source["line"]
    return Result(article.out, article.source["sha256"], len(article.text), False, error=record)


def process_batch(work: Work, articles: list[Article]) -> list[Result]:
    """Run a batch in this process (building the pipeline on first use)."""
    return list(iter_batch(work, articles))


def iter_batch(work: Work, articles: list[Article]) -> Iterator[Result]:
    """Like process_batch, but each Result comes out as soon as its article is written, so the
    runner can record it before the next one starts (a run stopped halfway resumes there)."""
    nlp, info = pipeline(work.config)
    out_dir = Path(work.out_dir) if work.out_dir else None
    for article in articles:
        yield process_article(nlp, info, article, out_dir)
