"""Measures a statistical text classifier as a backstop to the offer checker, and why Jaga does
not ship one.

Run in the Rasa environment (it has scikit-learn); the checker's verdicts come from the app's
own command:
    PYTHONPATH=. .venv-rasa/bin/python scripts/offer_style_baseline.py

For each blind split (heldout4 on), a TF-IDF (character 2-5-grams and words) logistic
regression is trained on the splits collected before it and tested on it, alone and "or"-ed
with the checker (risky when either says so). It prints risky recall and precision of each.
The result (docs/offers.md): "or" raises recall on some splits but calls most ordinary job
ads risky wherever the training rows held few of them, because the labelled rows' risky texts
are mostly news and warnings and the legit ones mostly ads and notices: the classifier learns
that style, not the signs of a trafficking offer.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_union

from bot.services.report_model import fold

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT / "tests" / "offers" / "dev.jsonl"
ORDER = ("tune", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6",
         "heldout7", "heldout8")


def checker_says_risky(rows: list[dict]) -> dict[str, bool]:
    """The app's checker verdict per row id (``jaga check-offer --jsonl``)."""
    lines = "\n".join(json.dumps({"id": r["id"], "text": r["text"]}, ensure_ascii=False)
                      for r in rows)
    out = subprocess.run([str(ROOT / ".venv" / "bin" / "jaga"), "check-offer", "--jsonl", "-"],
                         input=lines, capture_output=True, text=True, check=True).stdout
    verdicts = [json.loads(line) for line in out.splitlines() if line.strip()]
    return {v["id"]: v["risk"] in ("high", "medium") for v in verdicts}


def report(name: str, gold: list[bool], predicted: list[bool]) -> str:
    hits = sum(1 for g, p in zip(gold, predicted, strict=True) if g and p)
    called = sum(predicted)
    return (f"{name:8s} recall {hits}/{sum(gold)} = {hits / max(sum(gold), 1):.3f}  "
            f"precision {hits}/{called} = {hits / max(called, 1):.3f}")


def main() -> int:
    rows = [json.loads(line) for line in DEV_SET.read_text(encoding="utf-8").splitlines()
            if line.strip()]
    checker = checker_says_risky(rows)
    splits = [s for s in ORDER[4:] if any(r["split"] == s for r in rows)]
    for split in splits:
        before = ORDER[:ORDER.index(split)]
        train = [r for r in rows if r["split"] in before]
        test = [r for r in rows if r["split"] == split]
        features = make_union(
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), preprocessor=fold,
                            sublinear_tf=True, min_df=2),
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), preprocessor=fold,
                            sublinear_tf=True))
        model = LogisticRegression(C=10, max_iter=2000, class_weight="balanced")
        model.fit(features.fit_transform([r["text"] for r in train]),
                  [r["label"] == "risky" for r in train])
        probability = model.predict_proba(features.transform([r["text"] for r in test]))[:, 1]
        gold = [r["label"] == "risky" for r in test]
        rules = [checker[r["id"]] for r in test]
        style = [bool(p >= 0.5) for p in probability]
        print(f"== {split} (trained on {len(train)} rows of {', '.join(before)})")
        print(report("checker", gold, rules))
        print(report("model", gold, style))
        print(report("or", gold, [a or b for a, b in zip(rules, style, strict=True)]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
