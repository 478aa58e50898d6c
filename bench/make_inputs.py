#!/usr/bin/env python3
"""Writes bench/run's single-agreement inputs (once; an existing file is kept).

    bench/make_inputs.py wide N PATH       # one agreement with N pools and N schemes
    bench/make_inputs.py findings N PATH   # one agreement with about N findings, each spanning
                                           # more than six lines

`wide`: `where` lookups by reference (`s.pool = pool` in S75-FUNCTIONS, S75-POOL-LINK,
FIN-ALLOCATION) must stay linear (issue 12: 20,000 of each took 110 s when not indexed).

`findings`: issue 19 point 3, no output format may cost more than 3x JSON on any input. The
worst case for drawing snippets is many findings whose spans cover many lines: here N/10 pools
(ten lines each) and N/10 schemes (eight lines each), each missing what several rules report at
the whole item. bench/run checks the count and the spans with `--format json` before timing.
"""

from __future__ import annotations

import os
import sys

HEAD = [
    "s75lint: 1",
    "id: BENCH",
    "title: Generated for bench/run",
    "status: draft",
    "legal_basis: section_75",
    "commencement: 2025-04-01",
    "end: 2026-03-31",
    "partners:",
    "  - {id: exc, name: Exampleshire County Council, kind: local_authority}",
    "  - {id: icb, name: NHS Exampleshire ICB, kind: icb}",
]


def wide(n: int, block: bool = False) -> str:
    """N pools and N schemes. `block` writes contributions one key a line, so a pool is ten
    lines long instead of six."""
    out = HEAD + ["pools:"]
    for i in range(n):
        if block:
            contributions = "".join(f"      - partner: {p}\n        year: 2025-26\n        amount: \"£100\"\n"
                                    for p in ("exc", "icb"))
        else:
            contributions = "".join(f"      - {{partner: {p}, year: 2025-26, amount: \"£100\"}}\n" for p in ("exc", "icb"))
        out.append(f"  - id: P{i}\n    name: Pool {i}\n    host: exc\n    contributions:\n{contributions.rstrip()}")
    out.append("schemes:")
    for i in range(n):
        out.append(f"  - id: S{i}\n    name: Scheme {i}\n    arrangements: [pooled_fund]\n    pool: P{i}\n"
                   f"    allocation: {{2025-26: \"£200\"}}\n    functions:\n      nhs: [\"NHS Act 2006 s3\"]\n"
                   f"      local_authority: [\"Care Act 2014 s18\"]")
    return "\n".join(out) + "\n"


def findings(n: int) -> str:
    # Measured (3 December 2026): each pool gets five findings at the whole pool (FIN-RISK-SHARE
    # twice, AC-CAPITAL-ITEMS, S75-CONTRIBUTIONS, S75-POOL-MANAGER), each scheme five at the whole
    # scheme (S75-AIMS-OUTCOMES and S75-PERSONS-SERVICES twice each, S75-NON-FINANCIAL), and the
    # agreement 16 more: N + 16 in all. bench/run checks the count rather than trusting this.
    return wide(max(n // 10, 1), block=True)


def main() -> int:
    if len(sys.argv) != 4 or sys.argv[1] not in ("wide", "findings"):
        print(__doc__, file=sys.stderr)
        return 2
    kind, n, path = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if not os.path.exists(path):
        text = wide(n) if kind == "wide" else findings(n)
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
