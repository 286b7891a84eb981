"""The intent classifier, run in the Rasa environment: the fast path's TF-IDF rows and
probabilities equal scikit-learn's own transform and predict_proba, and the Lao syllable view
cuts Lao into syllables and is left out when there is no Lao to fit it on."""

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
from rasa_ext.classifier import IntentScorer, TfidfRows, build_features, lao_syllable_grams

train = [p for code in ("en", "th", "my", "lo")
         for p in read_examples(Path(f"nlu/{code}/nlu.yml"))[::3]]
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
out["views"] = [name for name, _ in features.transformer_list]
out["views_without_lao"] = [name for name, _ in build_features(lao=False).transformer_list]
out["lao_grams"] = lao_syllable_grams("hi ຢາກໄປເຮັດວຽກ ok ຂໍອະນຸຍາດ")
out["lao_features_used"] = int(fast[:, -len(features.transformer_list[-1][1].vocabulary_):].nnz)
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


def test_lao_syllable_view(result: dict[str, Any]) -> None:
    assert result["views"] == ["chars", "words", "spans", "lao"]
    assert result["views_without_lao"] == ["chars", "words", "spans"]
    assert result["lao_grams"] == ["ຢາກ", "ໄປ", "ເຮັດ", "ວຽກ", "ຢາກ~ໄປ", "ໄປ~ເຮັດ", "ເຮັດ~ວຽກ",
                                   "ຂໍ", "ອະ", "ນຸ", "ຍາດ", "ຂໍ~ອະ", "ອະ~ນຸ", "ນຸ~ຍາດ"]
    assert result["lao_features_used"] > 0
