#!/usr/bin/env python3
"""Renders bench/run's results as Markdown: the pair rows (bench/pairs.py's JSON lines) and the
instruction counts (callgrind), with each row's target and whether it is met.

    bench/table.py PAIRS.jsonl [INSTRUCTIONS.json]

Exit 1 when a row with a hard limit fails it (today: no output format may cost more than 3x
JSON), 0 otherwise. Python 3.11 standard library only.
"""

from __future__ import annotations

import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from pairs import fmt_ratio, markdown_row  # noqa: E402

FORMAT_LIMIT = 3.0


def verdict(r: dict) -> tuple[str, bool]:
    """The target column of a row, and whether the row breaks a hard limit."""
    rid, ratio = r.get("id", ""), r["ratio"]
    cpu = ratio["cpu"]["median"] if ratio["cpu"] else None
    wall = ratio["wall"]["median"]
    if rid.startswith("linear-"):
        k = float(rid.split("-")[-1])  # linear-<size ratio>
        w = {key: {kk: v / k for kk, v in ratio[key].items() if kk != "pairs"} for key in ("wall", "cpu") if ratio[key]}
        return (f"per file: {fmt_ratio(w.get('wall'))} wall, {fmt_ratio(w.get('cpu'))} CPU (target ≤ 1.15)", False)
    if rid.startswith("wide-"):
        k = float(rid.split("-")[-1])
        return (f"per item: {cpu / k:.2f}× CPU (target ≤ 1.5)" if cpu else "", False)
    if rid.startswith("floor-published-"):
        # Issue 19's goal: within 1.5x of saphyr's event parser as published.
        ok = cpu is not None and cpu <= 1.5
        return (f"CPU target ≤ 1.5×: {'met' if ok else 'not met'}", False)
    if rid.startswith("peer-spectral-"):
        ok = cpu is not None and cpu >= 15
        return (f"CPU target ≥ 15×: {'met' if ok else 'not met'}", False)
    if rid.startswith("format-"):
        bad = wall > FORMAT_LIMIT or (cpu is not None and cpu > FORMAT_LIMIT)
        return (("**FAIL**" if bad else "pass") + f": limit {FORMAT_LIMIT:.0f}× JSON (wall and CPU medians)", bad)
    return ("", False)


def instructions_table(ins: dict) -> list[str]:
    lines = ["| instructions (callgrind, deterministic) | count | per agreement | ratio |", "|---|---|---|---|"]
    for row in ins.get("rows", []):
        per = f"{row['per_agreement'] / 1e3:.0f}K" if row.get("per_agreement") else ""
        lines.append(f"| {row['name']} | {row['total'] / 1e6:.2f}M | {per} | {row.get('ratio', '')} |")
    return lines


def main() -> int:
    if len(sys.argv) < 2:
        print(__doc__, file=sys.stderr)
        return 2
    rows = []
    with open(sys.argv[1]) as f:
        for line in f:
            if line.strip():
                rows.append(json.loads(line))
    out = [
        "| measurement | A | B | B/A wall, median (min-max) | B/A CPU, median (min-max) | target |",
        "|---|---|---|---|---|---|",
    ]
    failed = []
    for r in rows:
        note, bad = verdict(r)
        out.append(markdown_row(r) + f" {note} |")
        if bad:
            failed.append(r["name"])
    if len(sys.argv) > 2 and os.path.exists(sys.argv[2]):
        with open(sys.argv[2]) as f:
            out += [""] + instructions_table(json.load(f))
    print("\n".join(out))
    for name in failed:
        print(f"FAIL: {name}: over {FORMAT_LIMIT:.0f}x JSON", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
