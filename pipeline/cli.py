"""Command line: argument parsing and terminal output only.

    newsargs extract INPUT... -o OUT [--jobs N] [--force] [--config PATH] [--executor local|dask]
    newsargs extract - < article.txt > article.json
    newsargs eval --gold DIR --pred DIR [--json FILE]
    newsargs eval --format cnc --gold CNC_DIR [--pred DIR] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

from . import __version__
from .errors import NewsargsError, UsageError

EXIT_OK, EXIT_FAILED, EXIT_USAGE = 0, 1, 2


class Progress:
    """A tqdm bar on stderr: files done, characters per second, errors so far."""

    def __init__(self, total: int, quiet: bool):
        from tqdm import tqdm

        self.t0 = time.perf_counter()
        self.chars = 0
        self.bar = tqdm(total=total, unit="file", file=sys.stderr, disable=quiet or None, mininterval=0.5, dynamic_ncols=True)

    def update(self, n: int, chars: int, errors: int) -> None:
        self.chars += chars
        rate = self.chars / max(time.perf_counter() - self.t0, 1e-9)
        self.bar.set_postfix_str(f"{rate:,.0f} chars/s, {errors} errors", refresh=False)
        self.bar.update(n)

    def close(self) -> None:
        self.bar.close()


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="newsargs", description="Actors, claims and causal links from news commentary.")
    parser.add_argument("--version", action="version", version=f"newsargs {__version__}")
    sub = parser.add_subparsers(dest="command", required=True)

    ex = sub.add_parser("extract", help="analyse folders of articles into newsargs/1 JSON")
    ex.add_argument("inputs", nargs="+", help="files or folders (.txt, .md, .jsonl); '-' reads one article from stdin")
    ex.add_argument("-o", "--out", help="output folder (required unless reading stdin)")
    ex.add_argument("--jobs", type=int, default=1, help="worker processes (default 1)")
    ex.add_argument("--force", action="store_true", help="redo articles a previous run already finished")
    ex.add_argument("--config", help="pipeline config file (default: the packaged configs/default.cfg)")
    ex.add_argument("--executor", choices=["local", "dask"], default="local")
    ex.add_argument("--scheduler", help="dask scheduler address (default: a local cluster)")
    ex.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    ev = sub.add_parser("eval", help="score predictions against gold")
    ev.add_argument("--gold", required=True, help="gold folder (newsargs/1 JSON) or, with --format cnc, the CNC folder")
    ev.add_argument("--pred", help="predictions folder (with --format cnc: made by running extract when omitted)")
    ev.add_argument("--format", choices=["native", "cnc"], default="native")
    ev.add_argument("--json", help="also write the report as JSON to this file")
    ev.add_argument("--config", help="pipeline config, when eval has to run extract (cnc)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from .eval.readers import EvalError

    try:
        if args.command == "extract":
            return cmd_extract(args)
        return cmd_eval(args)
    except UsageError as exc:
        print(f"newsargs: {exc.message}", file=sys.stderr)
        return EXIT_USAGE
    except (NewsargsError, EvalError) as exc:
        print(f"newsargs: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except BrokenPipeError:
        # `newsargs eval ... | head`: the reader left; that is not an error of ours.
        sys.stderr.close()
        return EXIT_OK


def cmd_extract(args) -> int:
    from . import batch

    if args.config and not Path(args.config).is_file():
        raise UsageError("E003", path=args.config, reason="no such file")
    if args.inputs == ["-"]:
        content, error = batch.run_stdin(sys.stdin.buffer.read(), args.config)
        if error:
            print(f"newsargs: {error['message']}", file=sys.stderr)
            return EXIT_FAILED
        sys.stdout.write(content)
        return EXIT_OK
    if not args.out:
        print("newsargs: extract needs -o OUT (or '-' to read one article from stdin)", file=sys.stderr)
        return EXIT_USAGE
    if args.jobs < 1:
        print("newsargs: --jobs must be at least 1", file=sys.stderr)
        return EXIT_USAGE
    from .executors import get_executor

    executor = get_executor(args.executor, args.jobs, args.scheduler)
    out = Path(args.out)
    stats = batch.run([Path(p) for p in args.inputs], out, executor, args.config, args.force,
                      progress=lambda total: Progress(total, args.quiet))
    rate = f", {stats.chars / stats.seconds:,.0f} chars/s" if stats.seconds and stats.chars else ""
    print(f"newsargs: {stats.written} written, {stats.skipped} unchanged, {stats.failed} failed "
          f"of {stats.articles} articles in {stats.seconds:.1f}s{rate} -> {out}", file=sys.stderr)
    if stats.failed:
        print(f"newsargs: failures are listed in {out / 'errors.jsonl'}", file=sys.stderr)
    return EXIT_FAILED if stats.failed else EXIT_OK


def cmd_eval(args) -> int:
    from . import eval as evaluation
    from .eval import report

    if not Path(args.gold).exists():
        raise UsageError("E001", path=args.gold)
    if args.format == "cnc":
        result = _eval_cnc(args)
    else:
        if not args.pred or not Path(args.pred).exists():
            raise UsageError("E001", path=args.pred or "--pred")
        result = evaluation.evaluate(Path(args.gold), Path(args.pred))
    print(report.format_table(result))
    if args.json:
        Path(args.json).parent.mkdir(parents=True, exist_ok=True)
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return EXIT_OK


def _eval_cnc(args) -> dict:
    import tempfile

    from . import batch
    from .eval import cnc
    from .executors import get_executor

    pred = Path(args.pred) if args.pred else None
    if pred is None:
        tmp = Path(tempfile.mkdtemp(prefix="newsargs-cnc-"))
        inputs = tmp / "cnc.jsonl"
        cnc.write_inputs(Path(args.gold), inputs)
        pred = tmp / "pred"
        batch.run([inputs], pred, get_executor("local", 1), args.config, progress=lambda total: Progress(total, False))
    return cnc.evaluate_cnc(Path(args.gold), pred)


if __name__ == "__main__":
    sys.exit(main())
