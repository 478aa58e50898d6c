#!/usr/bin/env python3
"""Times command B against command A in alternating pairs (A B A B ...), one child at a time.

    bench/pairs.py --name ROW --a 'CMD A' --b 'CMD B' [--pairs 5] [--cwd DIR] [--nice 10]
                   [--shell] [--ok 0,1] [--warmup 1] [--jsonl FILE] [--label-a X] [--label-b Y]
    bench/pairs.py --summarise RAW.json     # recompute a summary from recorded runs

Why pairs: on a shared machine the load changes from one second to the next. A and B run back
to back see nearly the same load, so the ratio of a pair is steadier than either time, and the
median of the pairs' ratios (with their min and max, to show the spread) is what a row quotes.
Whole-run "best of three against one run" comparisons flatter whichever side got more runs.

Per run it measures the wall time (time.perf_counter around fork to reap) and the CPU time of
that child alone: os.wait4's rusage, user + system, which on Linux includes the child's own
reaped descendants (so `nice`, `sh -c` and Node's workers are counted) and nothing else on the
machine. CPU time is the hardware-neutral figure on two shared cores: wall time also measures
how busy the machine was and how many cores a tool can use. ru_maxrss (KB) is kept too.

Commands are split with shlex (no shell) unless --shell is given, so the shell's own start-up
is not timed where it is not needed. Both run under `nice -n N` (N=0: no nice) as bench/run
always has. Exit codes outside --ok (default 0,1: linters exit 1 on findings) stop the run.

Output: one JSON object per row on stdout, and appended to --jsonl FILE; a Markdown table row
on stderr. Python 3.11 standard library only.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shlex
import statistics
import sys
import time

MIN_PAIRS = 5


def run_once(argv: list[str], cwd: str | None, ok: set[int] | None) -> dict:
    """Runs argv once with stdout and stderr discarded; wall seconds, CPU seconds, peak RSS."""
    devnull = os.open(os.devnull, os.O_RDWR)
    try:
        t0 = time.perf_counter()
        pid = os.fork()
        if pid == 0:  # the child: never returns into Python's caller
            try:
                if cwd:
                    os.chdir(cwd)
                os.dup2(devnull, 0)
                os.dup2(devnull, 1)
                os.dup2(devnull, 2)
                os.execvp(argv[0], argv)
            finally:
                os._exit(127)
        _, status, ru = os.wait4(pid, 0)
        wall = time.perf_counter() - t0
    finally:
        os.close(devnull)
    code = os.waitstatus_to_exitcode(status)
    if ok is not None and code not in ok:
        raise SystemExit(f"pairs.py: exit {code} from: {shlex.join(argv)}")
    return {"wall": wall, "cpu": ru.ru_utime + ru.ru_stime, "maxrss_kb": ru.ru_maxrss, "exit": code}


def ratio_stats(xs: list[float]) -> dict:
    return {"median": statistics.median(xs), "min": min(xs), "max": max(xs), "pairs": xs}


def summarise(raw: dict) -> dict:
    """From recorded runs ({"a": {"runs": [...]}, "b": {...}}, runs in pair order), the row.

    Each side: median wall, median CPU, largest peak RSS. The ratio B/A: per pair i,
    b[i] / a[i], then the median, min and max of those ratios, for wall and for CPU. A CPU time
    of zero (a run too short for the clock) gives no ratio for that pair rather than infinity.
    """
    a, b = raw["a"]["runs"], raw["b"]["runs"]
    if len(a) != len(b) or not a:
        raise ValueError("A and B need the same, non-zero number of runs")
    out = {k: v for k, v in raw.items() if k not in ("a", "b")}
    for side, runs in (("a", a), ("b", b)):
        out[side] = dict(raw[side])
        out[side]["median_wall"] = statistics.median(r["wall"] for r in runs)
        out[side]["median_cpu"] = statistics.median(r["cpu"] for r in runs)
        out[side]["max_rss_kb"] = max(r["maxrss_kb"] for r in runs)
    out["ratio"] = {}
    for key in ("wall", "cpu"):
        rs = [rb[key] / ra[key] for ra, rb in zip(a, b) if ra[key] > 0]
        out["ratio"][key] = ratio_stats(rs) if rs else None
    return out


def fmt_time(s: float) -> str:
    if s >= 10:
        return f"{s:.1f} s"
    if s >= 0.1:
        return f"{s:.2f} s"
    return f"{s * 1e3:.1f} ms"


def fmt_ratio(r: dict | None) -> str:
    if r is None:
        return "n/a"

    def f(x: float) -> str:
        return f"{x:.0f}" if x >= 100 else f"{x:.1f}" if x >= 10 else f"{x:.2f}"

    return f"**{f(r['median'])}×** ({f(r['min'])}-{f(r['max'])})"


def markdown_row(s: dict) -> str:
    """| row | A: median wall (CPU), peak | B: ... | B/A wall | B/A CPU |"""

    def side(x: dict) -> str:
        return f"{x.get('label', '')}: {fmt_time(x['median_wall'])} ({fmt_time(x['median_cpu'])} CPU), {rss(x)}"

    def rss(x: dict) -> str:
        # At or under the measurer's own peak the figure is the measurer's, not the child's.
        floor = s.get("rss_floor_kb", 0)
        if x["max_rss_kb"] <= floor * 1.05:
            return f"≤ {floor / 1024:.0f} MB"
        return f"{x['max_rss_kb'] / 1024:.0f} MB"

    return (f"| {s.get('name', '')} | {side(s['a'])} | {side(s['b'])} | "
            f"{fmt_ratio(s['ratio']['wall'])} | {fmt_ratio(s['ratio']['cpu'])} |")


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--a", help="command A (the reference: ratios are B/A)")
    p.add_argument("--b", help="command B")
    p.add_argument("--label-a", default="A")
    p.add_argument("--label-b", default="B")
    p.add_argument("--name", default="", help="the row's name in the table")
    p.add_argument("--id", default="", help="a key for the row (bench/table.py reads it)")
    p.add_argument("--pairs", type=int, default=MIN_PAIRS, help=f"pairs to run (at least {MIN_PAIRS})")
    p.add_argument("--warmup", type=int, default=1, help="unmeasured runs of each first (file cache)")
    p.add_argument("--cwd", help="working directory of both commands")
    p.add_argument("--nice", type=int, default=int(os.environ.get("NICE", "10")))
    p.add_argument("--shell", action="store_true", help="run the commands with sh -c")
    p.add_argument("--ok", default="0,1", help="accepted exit codes, or 'any'")
    p.add_argument("--jsonl", help="append the row's JSON to this file")
    p.add_argument("--summarise", metavar="RAW.json", help="print the summary of recorded runs")
    args = p.parse_args()

    if args.summarise:
        with open(args.summarise) as f:
            s = summarise(json.load(f))
        print(json.dumps(s, indent=1))
        print(markdown_row(s), file=sys.stderr)
        return 0
    if not args.a or not args.b:
        p.error("--a and --b are required")
    if args.pairs < MIN_PAIRS:
        p.error(f"--pairs must be at least {MIN_PAIRS}: fewer pairs give no meaningful spread")
    ok = None if args.ok == "any" else {int(c) for c in args.ok.split(",")}

    def argv(cmd: str) -> list[str]:
        base = ["/bin/sh", "-c", cmd] if args.shell else shlex.split(cmd)
        return (["nice", "-n", str(args.nice)] if args.nice else []) + base

    cmds = {"a": argv(args.a), "b": argv(args.b)}
    for _ in range(args.warmup):
        for k in ("a", "b"):
            run_once(cmds[k], args.cwd, ok)
    raw = {
        "id": args.id,
        "name": args.name,
        # Every child is forked from this process, and Linux counts the parent's resident set at
        # fork in the child's peak (ru_maxrss survives exec), so no peak below this is real.
        "rss_floor_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
        "pairs": args.pairs,
        "nice": args.nice,
        "a": {"label": args.label_a, "cmd": args.a, "runs": []},
        "b": {"label": args.label_b, "cmd": args.b, "runs": []},
    }
    for i in range(args.pairs):
        for k in ("a", "b"):
            raw[k]["runs"].append(run_once(cmds[k], args.cwd, ok))
        ra, rb = raw["a"]["runs"][-1], raw["b"]["runs"][-1]
        print(f"  pair {i + 1}/{args.pairs}: {args.label_a} {fmt_time(ra['wall'])} ({fmt_time(ra['cpu'])} CPU), "
              f"{args.label_b} {fmt_time(rb['wall'])} ({fmt_time(rb['cpu'])} CPU)", file=sys.stderr)
    s = summarise(raw)
    line = json.dumps(s)
    print(line)
    if args.jsonl:
        with open(args.jsonl, "a") as f:
            f.write(line + "\n")
    print(markdown_row(s), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
