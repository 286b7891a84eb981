"""The intent classifier's fast path, run in the Rasa environment: the TF-IDF rows and the
probabilities equal scikit-learn's own transform and predict_proba."""

from __future__ import annotations

from typing import Any

import pytest

from tests.rasa.rasa_env import run_in_rasa

SCRIPT = r"""
import json
from pathlib import Path
import numpy as np
from sklearn.linear_model import LogisticRegression
from bot.evaluation import read_examples
from rasa_ext.classifier import IntentScorer, TfidfRows, build_features

train = [p for code in ("en", "th", "my") for p in read_examples(Path(f"nlu/{code}/nlu.yml"))[::3]]
features = build_features()
matrix = features.fit_transform([t.lower() for _, t in train])
model = LogisticRegression(C=1.0, max_iter=300, random_state=42)
model.fit(matrix, [i for i, _ in train])
texts = [t.lower() for code in ("id", "vi", "km", "lo")
         for _, t in read_examples(Path(f"nlu/{code}/nlu.yml"))[:60]]
texts += ["", "🙏🙏", "x" * 5000, "ช่วยด้วย help me พาสปอร์ต", "unseenword qqqzzz"]
slow, fast = features.transform(texts), TfidfRows(features)(texts)
scorer = IntentScorer(model)
out = {"texts": len(texts), "rows_equal": float(abs(slow - fast).max()),
       "shape_equal": slow.shape == fast.shape,
       "proba": float(np.abs(model.predict_proba(slow) - scorer.probabilities(fast)).max()),
       "labels": scorer.labels == [str(c) for c in model.classes_]}
try:
    ovr = LogisticRegression(multi_class="ovr", max_iter=50)
    IntentScorer(ovr.fit(matrix, [i for i, _ in train]))
    out["ovr_refused"] = False
except ValueError:
    out["ovr_refused"] = True
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def result() -> dict[str, Any]:
    return dict(run_in_rasa(SCRIPT, timeout=600))


def test_tfidf_rows_equal_scikit_learns_transform(result: dict[str, Any]) -> None:
    assert result["texts"] > 200
    assert result["shape_equal"]
    assert result["rows_equal"] < 1e-12


def test_scorer_gives_predict_probas_probabilities(result: dict[str, Any]) -> None:
    assert result["proba"] < 1e-9
    assert result["labels"]
    assert result["ovr_refused"]
