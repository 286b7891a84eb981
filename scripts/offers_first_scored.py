"""Scores each blind split of tests/offers/dev.jsonl with the checker it was first measured
with (before any round studied it), and prints what those untuned verdicts say: risky recall
and precision at other medium thresholds, and in how many risky and legit rows each warning
sign was found (alone, and at all). Used for round 9 (docs/offers.md).

    .venv/bin/python scripts/offers_first_scored.py [--dump FIRST_SCORED.json]

Each commit is checked out in a temporary git worktree and run with this checkout's .venv.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# split -> the commit whose checker first measured it (docs/offers.md, each round's section)
FIRST_SCORED = {"heldout4": "689184e", "heldout5": "f8d2420", "heldout6": "222b2ac",
                "heldout7": "b61b5ba", "heldout8": "7541c5c", "heldout9": "ef8961f",
                "heldout10": "971ff8b", "heldout11": "b767f73",
                "heldout12": "673e0f4", "heldout13": "26a570c",
                "heldout14": "d52ad1b", "heldout15": "41b37cc", "heldout16": "584330d",
                "heldout17": "2d044f2", "heldout18": "b967121",
                "heldout19": "393aeec", "heldout20": "4c31c9a"}
THRESHOLDS = (0.15, 0.2, 0.25, 0.3, 0.35)


def verdicts(split: str, commit: str, rows: list[dict[str, str]]) -> list[dict[str, object]]:
    with tempfile.TemporaryDirectory() as tmp:
        tree = Path(tmp) / "tree"
        subprocess.run(["git", "worktree", "add", "-q", "--detach", str(tree), commit],
                       cwd=ROOT, check=True)
        try:
            lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
            out = subprocess.run([sys.executable, "-m", "bot", "check-offer", "--jsonl", "-"],
                                 cwd=tree, input=lines, capture_output=True, text=True,
                                 check=True, env={"PYTHONPATH": str(tree), "PATH": ""}).stdout
        finally:
            subprocess.run(["git", "worktree", "remove", "--force", str(tree)], cwd=ROOT,
                           check=True)
    return [json.loads(line) for line in out.splitlines()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dump", type=Path, metavar="JSON",
                        help="also write the verdicts (id -> verdict), for "
                             "scripts/train_report_model.py --evaluate")
    args = parser.parse_args()
    rows = [json.loads(line) for line in (ROOT / "tests/offers/dev.jsonl").open()]
    scored: list[tuple[str, str, dict[str, object]]] = []
    for split, commit in FIRST_SCORED.items():
        subset = [r for r in rows if r["split"] == split]
        gold = {r["id"]: r["label"] for r in subset}
        scored += [(split, gold[str(v["id"])], v) for v in verdicts(split, commit, subset)]
    if args.dump:
        args.dump.write_text(json.dumps({str(v["id"]): v for _, _, v in scored},
                                        ensure_ascii=False), encoding="utf-8")
    print("split       " + "  ".join(f"medium at {t:<4} (R / P)" for t in THRESHOLDS))
    for split in [*FIRST_SCORED, "all"]:
        part = [s for s in scored if split in ("all", s[0])]
        cells = []
        for threshold in THRESHOLDS:
            flagged = [label for _, label, v in part
                       if v["risk"] != "unknown" and float(str(v["score"])) >= threshold - 1e-9]
            risky = sum(1 for _, label, _ in part if label == "risky")
            hits = flagged.count("risky")
            cells.append(f"{hits / risky:.2f} / {hits / max(1, len(flagged)):.2f}".ljust(22))
        print(f"{split:<11} " + "  ".join(cells))
    anywhere: Counter[tuple[str, str]] = Counter()
    alone: Counter[tuple[str, str]] = Counter()
    for _, label, v in scored:
        signs = {str(s["id"]).split("_")[0] for s in v["signs"]}  # type: ignore[attr-defined]
        for sign in signs:
            anywhere[sign, label] += 1
            if len(signs) == 1:
                alone[sign, label] += 1
    print("\nsign     risky rows  legit rows  (as the only sign: risky, legit)")
    for sign in sorted({s for s, _ in anywhere}):
        print(f"{sign:<8} {anywhere[sign, 'risky']:>10}  {anywhere[sign, 'legit']:>10}  "
              f"({alone[sign, 'risky']}, {alone[sign, 'legit']})")


if __name__ == "__main__":
    main()
