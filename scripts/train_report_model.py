"""Trains the report-resemblance model (bot/services/report_model.py) and measures it.

Run in the Rasa environment, which has scikit-learn (the app reads the result in pure Python):

    PYTHONPATH=. .venv-rasa/bin/python scripts/train_report_model.py            # writes the model
    PYTHONPATH=. .venv-rasa/bin/python scripts/train_report_model.py --evaluate FIRST_SCORED.json

Training rows: the labelled offer rows of tests/offers/dev.jsonl in every split except the
blind splits not yet tuned on (UNTUNED: they stay a measure of the whole checker), and the
ordinary texts written by Jaga's team (data/offers/ordinary_texts.jsonl, all "legit"), which
teach the model what an ordinary ad or message looks like.

--evaluate: for each blind split from heldout9 on, trains on the splits collected before it
(and the ordinary training texts) and prints risky recall and precision of the checker as first
scored on that split (FIRST_SCORED.json, from ``scripts/offers_first_scored.py --dump``), and of
the checker with the model's sign (risky when either says so), and how many of the ordinary
texts kept for evaluation (data/offers/ordinary_texts_eval.jsonl, never trained on) the model
flags. Its design (features, C, threshold) is fixed there, on splits the model never saw.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, make_union

# the app's own preprocessing (stdlib only, so it imports here too): training and scoring agree
from bot.services.report_model import fold

ROOT = Path(__file__).resolve().parent.parent
DEV_SET = ROOT / "tests" / "offers" / "dev.jsonl"
ORDINARY = ROOT / "data" / "offers" / "ordinary_texts.jsonl"
ORDINARY_EVAL = ROOT / "data" / "offers" / "ordinary_texts_eval.jsonl"
MODEL = ROOT / "data" / "offers" / "report_model.json"
ORDER = ("tune", "heldout", "heldout2", "heldout3", "heldout4", "heldout5", "heldout6",
         "heldout7", "heldout8", "heldout9", "heldout10", "heldout11", "heldout12", "heldout13",
         "heldout14", "heldout15", "heldout16", "heldout17", "heldout18", "heldout19",
         "heldout20")
# Blind splits no round has studied: never trained on, so they measure the model too.
UNTUNED = ("heldout13", "heldout16", "heldout17", "heldout19", "heldout20")
C = 10.0
THRESHOLD = 0.85
# The sign is not computed for shorter texts (bot/services/report_model.py: ReportModel.min_chars)
MIN_CHARS = 80
CHAR_RANGE = (2, 5)
WORD_RANGE = (1, 2)


def read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()
            if line.strip()]


def fit(texts: list[str], risky: list[bool]) -> tuple[FeatureUnion, LogisticRegression]:
    features = make_union(
        TfidfVectorizer(analyzer="char_wb", ngram_range=CHAR_RANGE, preprocessor=fold,
                        sublinear_tf=True, min_df=2),
        TfidfVectorizer(analyzer="word", ngram_range=WORD_RANGE, preprocessor=fold,
                        sublinear_tf=True, min_df=2))
    model = LogisticRegression(C=C, max_iter=5000, class_weight="balanced")
    model.fit(features.fit_transform(texts), risky)
    return features, model


def export(features: FeatureUnion, model: LogisticRegression, trained_on: str,
           samples: list[str]) -> dict[str, Any]:
    coef = model.coef_[0]
    blocks = []
    offset = 0
    for _, vectorizer in features.transformer_list:
        vocabulary = vectorizer.vocabulary_
        idf = vectorizer.idf_
        terms = {term: [float(idf[i]), float(coef[offset + i])]
                 for term, i in sorted(vocabulary.items())}
        blocks.append({"analyzer": vectorizer.analyzer,
                       "ngram_range": list(vectorizer.ngram_range), "terms": terms})
        offset += len(vocabulary)
    probabilities = model.predict_proba(features.transform(samples))[:, 1]
    return {"note": "Written by scripts/train_report_model.py; do not edit by hand.",
            "trained_on": trained_on, "threshold": THRESHOLD,
            "min_chars": MIN_CHARS,
            "intercept": float(model.intercept_[0]), "blocks": blocks,
            "samples": [{"text": t, "probability": float(p)}
                        for t, p in zip(samples, probabilities, strict=True)]}


def rounded(features: FeatureUnion, model: LogisticRegression) -> None:
    """Rounds the idf and coefficients to the digits stored, before the samples are scored, so
    that the stored probabilities are the ones the app computes (and the file stays small)."""
    for _, vectorizer in features.transformer_list:
        vectorizer.idf_ = [round(float(v), 6) for v in vectorizer.idf_]
    model.coef_ = model.coef_.round(5)


def train() -> int:
    rows = [r for r in read(DEV_SET) if r["split"] not in UNTUNED]
    ordinary = read(ORDINARY)
    texts = [r["text"] for r in rows] + [o["text"] for o in ordinary]
    risky = [r["label"] == "risky" for r in rows] + [False] * len(ordinary)
    features, model = fit(texts, risky)
    rounded(features, model)
    splits = sorted({r["split"] for r in rows}, key=ORDER.index)
    trained_on = (f"{len(rows)} labelled rows of tests/offers/dev.jsonl (splits "
                  f"{', '.join(splits)}; not {', '.join(UNTUNED)}) and {len(ordinary)} ordinary "
                  f"texts of {ORDINARY.relative_to(ROOT)}")
    samples = [r["text"] for r in rows[::60]] + [o["text"] for o in ordinary[::40]]
    MODEL.write_text(json.dumps(export(features, model, trained_on, samples),
                                ensure_ascii=False, separators=(",", ":")) + "\n",
                     encoding="utf-8")
    print(f"wrote {MODEL.relative_to(ROOT)}: {trained_on}")
    return 0


def evaluate(first_scored_path: Path) -> int:
    rows = read(DEV_SET)
    first = json.loads(first_scored_path.read_text(encoding="utf-8"))
    ordinary = read(ORDINARY)
    held = read(ORDINARY_EVAL) if ORDINARY_EVAL.exists() else []
    totals = [0, 0, 0, 0, 0]  # risky, rules hits, rules calls, both hits, both calls
    print("split      risky  checker as first scored (R / P)  with the model's sign (R / P)"
          "  ordinary texts flagged")
    for split in ORDER[ORDER.index("heldout9"):]:
        test = [r for r in rows if r["split"] == split and r["id"] in first]
        if not test or split in UNTUNED:
            continue
        before = ORDER[:ORDER.index(split)]
        train_rows = [r for r in rows if r["split"] in before and r["split"] not in UNTUNED]
        features, model = fit([r["text"] for r in train_rows] + [o["text"] for o in ordinary],
                              [r["label"] == "risky" for r in train_rows]
                              + [False] * len(ordinary))
        p = model.predict_proba(features.transform([r["text"] for r in test]))[:, 1]
        gold = [r["label"] == "risky" for r in test]
        rules = [first[r["id"]]["risk"] in ("high", "medium") for r in test]
        # the sign is only computed for a text about an offer (not "unknown")
        both = [a or (q >= THRESHOLD and first[r["id"]]["risk"] != "unknown"
                      and len(r["text"].strip()) >= MIN_CHARS)
                for a, q, r in zip(rules, p, test, strict=True)]
        long_held = [h["text"] for h in held if len(h["text"].strip()) >= MIN_CHARS]
        flagged = (sum(model.predict_proba(features.transform(long_held))[:, 1] >= THRESHOLD)
                   if long_held else 0)
        counts = [sum(gold), sum(g and a for g, a in zip(gold, rules, strict=True)), sum(rules),
                  sum(g and b for g, b in zip(gold, both, strict=True)), sum(both)]
        totals = [t + c for t, c in zip(totals, counts, strict=True)]
        print(f"{split:<10} {counts[0]:>5}  {counts[1] / counts[0]:.3f} / "
              f"{counts[1] / max(1, counts[2]):.3f}                  {counts[3] / counts[0]:.3f} / "
              f"{counts[3] / max(1, counts[4]):.3f}                 {flagged}/{len(held)}")
    print(f"{'all':<10} {totals[0]:>5}  {totals[1] / totals[0]:.3f} / "
          f"{totals[1] / max(1, totals[2]):.3f}                  {totals[3] / totals[0]:.3f} / "
          f"{totals[3] / max(1, totals[4]):.3f}")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--evaluate", type=Path, metavar="FIRST_SCORED_JSON")
    args = parser.parse_args(argv)
    return evaluate(args.evaluate) if args.evaluate else train()


if __name__ == "__main__":
    sys.exit(main())
