"""The local executor: in-process for one job, a process pool for more.

With more than one job the parent builds the pipeline before forking (jieba's dictionary and
the registry are then shared copy-on-write) and each worker reuses it for every batch.
"""

from __future__ import annotations

import multiprocessing as mp
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Iterable, Iterator

from .worker import Result, Work, iter_batch, pipeline, process_batch


class LocalExecutor:
    name = "local"

    def __init__(self, jobs: int = 1):
        self.jobs = max(1, jobs)

    def run(self, work: Work, batches: Iterable[list]) -> Iterator[Result]:
        if self.jobs == 1:
            for batch in batches:
                yield from iter_batch(work, batch)
            return
        pipeline(work.config)  # build before fork: workers inherit it
        ctx = mp.get_context("fork")
        with ProcessPoolExecutor(self.jobs, mp_context=ctx) as pool:
            pending = set()
            for batch in batches:
                pending.add(pool.submit(process_batch, work, batch))
                if len(pending) >= self.jobs * 4:
                    done = next(as_completed(pending))
                    pending.remove(done)
                    yield from done.result()
            for done in as_completed(pending):
                yield from done.result()
