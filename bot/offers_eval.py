"""Precision, recall and F1 of the offer checker on the labelled set ``tests/offers/dev.jsonl``.

A row is predicted "risky" when the checker says high or medium, "legit" otherwise (low or
unknown). Scores are given per label and per language, separately for each split ("tune",
"heldout", "heldout2", ...). From heldout3 on, each split was collected by someone who never saw
the checker and committed before the next round of changes; the newest is the one never tuned on.
docs/offers.md says which splits each round of changes used.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from bot.i18n.zawgyi import to_unicode
from bot.services.offers import Lexicon, check_offer
from bot.settings import PROJECT_ROOT

DEV_SET = PROJECT_ROOT / "tests" / "offers" / "dev.jsonl"
LABELS = ("risky", "legit")
SPLITS = ("tune", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6",
          "heldout7", "heldout8", "heldout9", "heldout10", "heldout11",
          "heldout12", "heldout13", "heldout14", "heldout15", "heldout16",
          "heldout17", "heldout18", "heldout19", "heldout20")


def read_rows(path: Path = DEV_SET) -> list[dict[str, Any]]:
    """The rows of a JSON-lines file (blank lines skipped)."""
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{number}: {exc}") from exc
    return rows


def predict(lexicon: Lexicon, row: Mapping[str, Any]) -> tuple[str, str]:
    """(predicted label, risk) for one row."""
    # Burmese typed in Zawgyi is read as Unicode, as the bot reads it (bot/conversation.py)
    verdict = check_offer(to_unicode(str(row.get("text", ""))), lexicon, row.get("origin"))
    label = "risky" if verdict.risk in ("high", "medium") else "legit"
    return label, verdict.risk


def scores(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, dict[str, float]]:
    """Per-label precision, recall, F1 and support."""
    out: dict[str, dict[str, float]] = {}
    for label in LABELS:
        tp = sum(1 for g, p in zip(gold, predicted, strict=True) if g == p == label)
        predicted_n = sum(1 for p in predicted if p == label)
        gold_n = sum(1 for g in gold if g == label)
        precision = tp / predicted_n if predicted_n else 0.0
        recall = tp / gold_n if gold_n else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        out[label] = {"precision": round(precision, 3), "recall": round(recall, 3),
                      "f1": round(f1, 3), "support": gold_n}
    return out


def _block(rows: Sequence[Mapping[str, Any]], results: Mapping[str, tuple[str, str]]
           ) -> dict[str, Any]:
    gold = [str(r["label"]) for r in rows]
    predicted = [results[str(r["id"])][0] for r in rows]
    languages: dict[str, Any] = {}
    for language in sorted({str(r.get("language")) for r in rows}):
        subset = [r for r in rows if str(r.get("language")) == language]
        languages[language] = {
            "size": len(subset),
            "labels": scores([str(r["label"]) for r in subset],
                             [results[str(r["id"])][0] for r in subset]),
        }
    errors = [{"id": r["id"], "language": r.get("language"), "label": r["label"],
               "risk": results[str(r["id"])][1]}
              for r in rows if results[str(r["id"])][0] != r["label"]]
    return {"size": len(rows), "labels": scores(gold, predicted), "languages": languages,
            "errors": errors}


def evaluate(lexicon: Lexicon, rows: Iterable[Mapping[str, Any]]) -> dict[str, Any]:
    """Scores for each split and for all rows together."""
    rows = list(rows)
    results = {str(r["id"]): predict(lexicon, r) for r in rows}
    out: dict[str, Any] = {}
    for split in SPLITS:
        out[split] = _block([r for r in rows if r.get("split") == split], results)
    out["all"] = _block(rows, results)
    return out


def format_report(report: Mapping[str, Any], splits: Sequence[str]) -> str:
    lines = []
    for split in splits:
        block = report[split]
        lines.append(f"== {split}: {block['size']} offers")
        lines.append(f"{'':10} {'label':6} {'prec':>6} {'recall':>6} {'F1':>6} {'n':>4}")
        rows = [("overall", block)] + [(k, v) for k, v in block["languages"].items()]
        for name, item in rows:
            for label in ("risky", "legit"):
                s = item["labels"][label]
                if not s["support"] and name != "overall":
                    continue
                lines.append(f"{name:10} {label:6} {s['precision']:6.3f} {s['recall']:6.3f} "
                             f"{s['f1']:6.3f} {int(s['support']):4d}")
        if block["errors"]:
            wrong = ", ".join(f"{e['id']}({e['language']},{e['label']}->{e['risk']})"
                              for e in block["errors"])
            lines.append(f"misclassified: {wrong}")
        lines.append("")
    return "\n".join(lines)


def run(argv: Sequence[str], stdout: TextIO) -> int:
    """``jaga eval-offers [--file F] [--split SPLIT|all] [--json]``."""
    parser = argparse.ArgumentParser(prog="jaga eval-offers", description=__doc__)
    parser.add_argument("--file", type=Path, default=DEV_SET)
    parser.add_argument("--split", choices=(*SPLITS, "all", "both"), default="both")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    args = parser.parse_args(list(argv))
    from bot.offer_data import load_lexicon

    report = evaluate(load_lexicon(), read_rows(args.file))
    splits = list(SPLITS) if args.split == "both" else [args.split]
    if args.json:
        stdout.write(json.dumps({k: report[k] for k in splits}, ensure_ascii=False, indent=2)
                     + "\n")
    else:
        stdout.write(format_report(report, splits))
    return 0


if __name__ == "__main__":  # pragma: no cover
    import sys

    raise SystemExit(run(sys.argv[1:], sys.stdout))
