"""The Dask executor: the runner's batches, cut into tasks of 16 articles, sent to a `distributed` cluster.

Without a scheduler address it starts a `LocalCluster` (one single-threaded worker process per
job); with one it connects to the user's cluster and leaves it running afterwards. Each task is
`process_batch`, which writes the batch's JSON under the output folder itself, so the folder (and
the config file, if any) must be reachable at the same path from every worker: a shared
filesystem. Only the small `Result` records travel back; they stream back as tasks finish, so
the progress bar and the resume state file advance while the cluster works. Every worker builds
the pipeline once (`worker.pipeline` is cached per process), before the first batch is sent.
A task that fails as a whole (its worker killed or out of memory, after Dask's own retries)
becomes one error record per article in it, and the run carries on.
"""

from __future__ import annotations

import logging
import os
import time
from itertools import islice
from typing import Iterable, Iterator

from ..errors import Errors, UsageError
from ..ingest import Article
from .worker import Result, Work, _failed, pipeline, process_batch

IN_FLIGHT_PER_THREAD = 2  # tasks queued per worker thread: enough to keep it busy, few to hold
TASK_ARTICLES = 16  # articles per task: tasks finish often, so a stopped run loses little work


class DaskExecutor:
    name = "dask"

    def __init__(self, jobs: int = 1, scheduler: str | None = None):
        try:  # fail before any work is planned, not halfway into the run
            import distributed  # noqa: F401
        except ImportError as exc:
            raise ImportError("the dask executor needs the optional extra: pip install 'newsargs[dask]'") from exc
        self.jobs = max(1, jobs)
        self.scheduler = scheduler
        # Filled by a run, for the benchmark: peak RSS of each worker, seconds until workers were ready.
        self.worker_peak_rss_mb: list[float] | None = None
        self.startup_seconds: float | None = None

    def run(self, work: Work, batches: Iterable[list[Article]]) -> Iterator[Result]:
        from distributed import Client, LocalCluster, as_completed

        # Workers may run elsewhere (another cwd): give them absolute paths.
        work = Work(
            config=os.path.abspath(work.config) if work.config else None,
            out_dir=os.path.abspath(work.out_dir) if work.out_dir else None,
        )
        t0 = time.perf_counter()
        cluster = None
        if self.scheduler:
            client = Client(self.scheduler)
        else:
            cluster = LocalCluster(n_workers=self.jobs, threads_per_worker=1, processes=True,
                                   dashboard_address=":0", silence_logs=logging.ERROR)  # any free port: no clash warning
            client = Client(cluster)
        try:
            built = client.run(warm_up, work.config)  # builds once per worker; a broken setup fails here, once
            check_same_pipeline(work.config, built)
            self.startup_seconds = time.perf_counter() - t0
            threads = sum(client.nthreads().values()) or self.jobs
            todo = split(batches, TASK_ARTICLES)
            running, sent = as_completed(), {}

            def submit(tasks: Iterable[list[Article]]) -> None:
                for batch in tasks:
                    future = client.submit(process_batch, work, batch, pure=False)
                    sent[future.key] = batch
                    running.add(future)

            submit(islice(todo, threads * IN_FLIGHT_PER_THREAD))
            for future in running:
                batch = sent.pop(future.key)
                try:
                    results = future.result()
                except Exception as exc:  # a task that failed outright (worker killed, out of memory)
                    results = [lost(article, exc) for article in batch]
                future.release()
                submit(islice(todo, 1))
                yield from results
            peaks = client.run(peak_rss_mb, on_error="ignore")
            self.worker_peak_rss_mb = [v for v in peaks.values() if isinstance(v, float)] or None
        finally:
            client.close()
            if cluster is not None:
                cluster.close()


def lost(article: Article, exc: BaseException) -> Result:
    """The error record of an article whose task failed as a whole: the run carries on."""
    reason = f"the Dask task failed ({type(exc).__name__}: {exc})"
    return _failed(article, "executor", "E050", Errors.E050.format(stage="executor", path=article.source["path"], reason=reason))


def warm_up(config: str | None) -> str:
    """Build (or find) this worker's pipeline; returns its config hash."""
    nlp, info = pipeline(config)
    return info["config_hash"]


def check_same_pipeline(config: str | None, built: dict[str, str]) -> None:
    """Refuse to run when a worker's pipeline differs from this machine's (newsargs version,
    config or models/): its JSON would carry another config hash than the resume state records."""
    from .. import nlp as nlp_module

    here = nlp_module.config_hash(config)
    other = {worker: h for worker, h in built.items() if h != here}
    if other:
        worker, h = sorted(other.items())[0]
        raise UsageError("E003", path=str(config or "default config"),
                         reason=f"{len(other)} Dask worker(s) built a different pipeline (e.g. {worker}: config hash {h}, "
                                f"here {here}); install the same newsargs version and models/ on every worker")


def peak_rss_mb() -> float:
    """This worker process's peak resident memory in MB (Linux reports KB)."""
    import resource
    import sys

    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return float(round((kb / 1024 if sys.platform == "darwin" else kb) / 1024, 1))


def split(batches: Iterable[list[Article]], size: int) -> Iterator[list[Article]]:
    """The batches cut into tasks of at most `size` articles, in order."""
    for batch in batches:
        for i in range(0, len(batch), size):
            yield batch[i : i + size]
