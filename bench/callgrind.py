#!/usr/bin/env python3
"""Instruction counts for bench/run's in-process and one-file rows, from valgrind's callgrind.

    bench/callgrind.py OUT_DIR S75LINT BENCH_INPROC ONE_AGREEMENT TODAY \
        [PUBLISHED_FLOOR BENCH_FLOOR DIR] > instructions.json

Counts do not depend on what else the machine is doing, so these rows are the ones to compare
between runs and machines of the same architecture (times are not). Rows:

- one agreement, whole process (`s75lint check`), and inside it the inclusive counts of the
  shipped rule set's decoding, the rule patterns' regex compilation and loading the agreement
  (callgrind_annotate --inclusive=yes, by function name; a name the optimiser inlined away is
  reported as not found rather than guessed);
- `s75lint --version`, whole process: what starting any process of ours costs;
- per agreement, in process (examples/bench_inproc.rs over the 200 agreements benches/check.rs
  uses): saphyr-parser's events alone, loading, loading + every shipped rule, each as
  (count(mode) - count(none)) / 200, so generating the agreements is not counted;
- with the last three arguments, whole processes over the agreements in DIR: `s75lint check`
  against saphyr-parser's events alone as published (bench/floor-published) and as vendored
  (`bench_floor events`), the instruction-count form of the CPU floor rows.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

SAMPLE = 200

# Inclusive-cost functions of the start-up split: (row name, regex over callgrind_annotate's
# function column). The first match in the inclusive listing (the outermost) is taken.
SPLIT = [
    ("rule-set decode (RuleSet::builtin)", r"s75lint::ruleset::RuleSet::builtin\b"),
    # Patterns are compiled only for a text holding one of their words (lang::needles), so a
    # clean agreement compiles none: the row then says so.
    ("regex compile (regex_automata meta strategy::new)", r"regex_automata::meta::strategy::new\b"),
    ("load (agreement::load::load)", r"s75lint::agreement::load::load\b"),
]


def callgrind(out: str, argv: list[str]) -> int:
    """Runs argv under callgrind (one thread), returns the total instructions; keeps OUT."""
    env = dict(os.environ, RAYON_NUM_THREADS="1")
    subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={out}", *argv],
                   env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    with open(out) as f:
        for line in f:
            if line.startswith(("summary:", "totals:")):
                return int(line.split()[1])
    raise SystemExit(f"callgrind.py: no totals in {out}")


def inclusive(out: str) -> list[tuple[int, str]]:
    text = subprocess.run(["callgrind_annotate", "--inclusive=yes", "--threshold=100", out],
                          capture_output=True, text=True, check=True).stdout
    rows = []
    for line in text.splitlines():
        m = re.match(r"\s*([\d,]+)\s+\([^)]*\)\s+(.*)", line)
        if m:
            rows.append((int(m.group(1).replace(",", "")), m.group(2)))
    return rows


def main() -> int:
    if len(sys.argv) not in (6, 9):
        print(__doc__, file=sys.stderr)
        return 2
    outdir, s75, inproc, one, today = sys.argv[1:6]
    rows = []
    one_out = os.path.join(outdir, "callgrind-one.out")
    total = callgrind(one_out, [s75, "check", "--today", today, one])
    rows.append({"name": "one agreement, whole process (`check`)", "total": total})
    listing = inclusive(one_out)
    for name, pattern in SPLIT:
        hit = next((n for n, fn in listing if re.search(pattern, fn)), None)
        if hit is None and name.startswith("regex compile"):
            rows.append({"name": f"  of which {name}", "total": 0, "ratio": "none compiled"})
        elif hit is None:
            rows.append({"name": f"  of which {name}", "total": 0, "ratio": "not found (inlined?)"})
        else:
            rows.append({"name": f"  of which {name}", "total": hit, "ratio": f"{hit / total:.0%} of the run"})
    version = callgrind(os.path.join(outdir, "callgrind-version.out"), [s75, "--version"])
    rows.append({"name": "`s75lint --version`, whole process", "total": version,
                 "ratio": f"the one-agreement run is {total / version:.1f}× this"})
    counts = {m: callgrind(os.path.join(outdir, f"callgrind-inproc-{m}.out"), [inproc, m])
              for m in ("none", "events", "load", "check")}
    per = {m: (counts[m] - counts["none"]) / SAMPLE for m in ("events", "load", "check")}
    rows.append({"name": "per agreement, in process: saphyr events only", "total": counts["events"] - counts["none"],
                 "per_agreement": per["events"], "ratio": f"{per['events'] / per['load']:.2f}× load"})
    rows.append({"name": "per agreement, in process: load only", "total": counts["load"] - counts["none"],
                 "per_agreement": per["load"], "ratio": f"1.00 × load; {per['load'] / per['events']:.2f}× events"})
    rows.append({"name": "per agreement, in process: load + every shipped rule", "total": counts["check"] - counts["none"],
                 "per_agreement": per["check"],
                 "ratio": f"**{per['check'] / per['load']:.2f}× load** (target ≤ 1.30); {per['check'] / per['events']:.2f}× events"})
    if len(sys.argv) == 9:
        published, floor, folder = sys.argv[6:9]
        n = sum(1 for f in os.listdir(folder) if f.endswith(".yaml"))
        whole = {
            "s75lint": callgrind(os.path.join(outdir, "callgrind-dir-s75lint.out"), [s75, "check", "--today", today, folder]),
            "published": callgrind(os.path.join(outdir, "callgrind-dir-published.out"), [published, folder]),
            "vendored": callgrind(os.path.join(outdir, "callgrind-dir-vendored.out"), [floor, "events", folder]),
        }
        counts.update({f"dir-{k}": v for k, v in whole.items()})
        rows.append({"name": f"{n} agreements, whole process: saphyr-parser 0.3.4's events (as published)",
                     "total": whole["published"], "per_agreement": whole["published"] / n, "ratio": "1.00"})
        rows.append({"name": f"{n} agreements, whole process: the vendored parser's events (fast path)",
                     "total": whole["vendored"], "per_agreement": whole["vendored"] / n,
                     "ratio": f"{whole['vendored'] / whole['published']:.2f}× published"})
        rows.append({"name": f"{n} agreements, whole process: `s75lint check`", "total": whole["s75lint"],
                     "per_agreement": whole["s75lint"] / n,
                     "ratio": f"**{whole['s75lint'] / whole['published']:.2f}× published** (the CPU goal is ≤ 1.5); "
                              f"{whole['s75lint'] / whole['vendored']:.2f}× vendored"})
    json.dump({"rows": rows, "raw": counts, "sample": SAMPLE}, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
