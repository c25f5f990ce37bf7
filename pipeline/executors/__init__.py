"""Executors run batches of articles through the pipeline; every executor writes the same bytes.

An executor takes `Work` (config path, output folder, batches of articles) and yields one
`Result` per article as batches finish. The local one uses a process pool; the dask one (optional
extra) sends the same batches to a cluster.
"""

from __future__ import annotations

from .worker import Result, Work, process_batch  # noqa: F401


def get_executor(name: str, jobs: int = 1, scheduler: str | None = None):
    """The executor called `name` ('local' or 'dask')."""
    if name == "local":
        from .local import LocalExecutor

        return LocalExecutor(jobs)
    if name == "dask":
        from .dask import DaskExecutor

        return DaskExecutor(jobs, scheduler)
    raise ValueError(f"unknown executor {name!r}")
