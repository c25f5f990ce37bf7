"""The Dask executor writes the same bytes as the local one, and builds the pipeline once per worker."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

pytest.importorskip("distributed")

from pipeline import batch, cli  # noqa: E402
from pipeline.executors import get_executor  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "corpora" / "samples"

pytestmark = pytest.mark.dask


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """The sample corpus (a small generated one where the checkout has none)."""
    dest = tmp_path_factory.mktemp("corpus")
    if SAMPLES.is_dir() and any(SAMPLES.glob("*.txt")):
        shutil.copytree(SAMPLES, dest, dirs_exist_ok=True)
    else:
        from pipeline.bench import make_corpus

        make_corpus(dest, 0.03, seed=1)
    return dest


def outputs(folder: Path) -> dict[str, bytes]:
    """Every file a run leaves, except the ones that record when and how it ran."""
    skip = {"manifest.json", batch.STATE}
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file() and p.name not in skip}


def state_lines(folder: Path) -> list[str]:
    return sorted((folder / batch.STATE).read_text(encoding="utf-8").splitlines())


def test_executors_dask_local_cluster_matches_local_executor(corpus, tmp_path):
    local, dask = tmp_path / "local", tmp_path / "dask"
    batch.run([corpus], local, get_executor("local", 1))
    code = cli.main(["extract", str(corpus), "-o", str(dask), "--executor", "dask", "--jobs", "2", "-q"])
    local_files, dask_files = outputs(local), outputs(dask)
    assert code in (0, 1)  # 1 only if the corpus itself holds a bad file, which both executors report
    assert any(name.endswith(".json") for name in dask_files)
    assert dask_files.keys() == local_files.keys()
    for name in local_files:
        assert dask_files[name] == local_files[name], name
    assert state_lines(dask) == state_lines(local)


@pytest.fixture(scope="module")
def cluster():
    from distributed import LocalCluster

    with LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as running:
        yield running


def test_executors_dask_builds_pipeline_once_per_worker(corpus, cluster, tmp_path):
    from distributed import Client

    from pipeline.executors.worker import pipeline

    def builds() -> int:
        return pipeline.cache_info().misses

    executor = get_executor("dask", 2, cluster.scheduler_address)
    todo = batch.plan([corpus], tmp_path, "x", force=True).todo
    work = batch.Work(config=None, out_dir=str(tmp_path / "out"))
    results = list(executor.run(work, ([a] for a in todo)))  # one task per article
    assert len(results) == len(todo) and all(r.ok for r in results)
    with Client(cluster) as client:  # the executor left the user's cluster running
        counts = client.run(builds)
    assert len(counts) == 2
    assert all(n == 1 for n in counts.values())


def test_executors_dask_failed_task_becomes_error_records(corpus, cluster, tmp_path, monkeypatch):
    import pipeline.executors.dask as dask_executor
    from pipeline.executors.worker import process_batch

    def flaky(work, articles):  # shipped to the workers by value
        if any(a.id == victim for a in articles):
            raise MemoryError("worker ran out of memory")
        return process_batch(work, articles)

    todo = batch.plan([corpus], tmp_path, "x", force=True).todo
    articles = todo + todo[1:]  # more than one task; only the first holds the victim
    assert len(articles) > dask_executor.TASK_ARTICLES
    victim = todo[0].id
    monkeypatch.setattr(dask_executor, "process_batch", flaky)
    executor = get_executor("dask", 2, cluster.scheduler_address)
    work = batch.Work(config=None, out_dir=str(tmp_path / "out"))
    results = list(executor.run(work, [articles]))
    failed = [r for r in results if not r.ok]
    assert len(results) == len(articles)
    assert len(failed) == dask_executor.TASK_ARTICLES  # the victim's task, and only it
    assert all(r.error["stage"] == "executor" and r.error["code"] == "E050" for r in failed)
    assert "MemoryError" in failed[0].error["message"]


def test_executors_dask_refuses_workers_with_another_pipeline(corpus, cluster, tmp_path, monkeypatch):
    # The workers' models differ from the client's (here: the client's hash is changed).
    from pipeline import nlp as nlp_module
    from pipeline.errors import UsageError

    monkeypatch.setattr(nlp_module, "config_hash", lambda config=None: "0000000000000000")
    executor = get_executor("dask", 2, cluster.scheduler_address)
    todo = batch.plan([corpus], tmp_path, "x", force=True).todo
    work = batch.Work(config=None, out_dir=str(tmp_path / "out"))
    with pytest.raises(UsageError, match="different pipeline"):
        list(executor.run(work, [todo]))
    assert not (tmp_path / "out").exists()
