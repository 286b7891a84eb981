"""Intent accuracy on the held-out NLU test sets (``tests/nlu/<lang>.yml``), per language."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import yaml

_ANNOTATION = re.compile(r"\[([^\]]+)\](\([^)]*\)|\{[^}]*\})")


def strip_annotations(example: str) -> str:
    """``"in [Cambodia](country)"`` -> ``"in Cambodia"``."""
    return _ANNOTATION.sub(r"\1", example)


def read_examples(path: Path) -> list[tuple[str, str]]:
    """(intent, text) pairs from a Rasa NLU YAML file."""
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    pairs = []
    for block in data.get("nlu") or ():
        if "intent" not in block:
            continue
        for line in str(block.get("examples", "")).splitlines():
            line = line.strip()
            if line.startswith("- "):
                pairs.append((str(block["intent"]), strip_annotations(line[2:].strip())))
    return pairs


@dataclass(frozen=True)
class IntentScores:
    """Per-intent precision/recall/F1 and their macro average for one test set."""

    per_intent: dict[str, tuple[float, float, float, int]]
    macro_f1: float
    accuracy: float
    size: int


def score(gold: list[str], predicted: list[str]) -> IntentScores:
    """Macro-F1 over the gold intents; a fallback prediction counts as wrong."""
    labels = sorted(set(gold))
    true_positive = Counter(g for g, p in zip(gold, predicted, strict=True) if g == p)
    gold_count, predicted_count = Counter(gold), Counter(predicted)
    per_intent = {}
    for label in labels:
        tp = true_positive[label]
        precision = tp / predicted_count[label] if predicted_count[label] else 0.0
        recall = tp / gold_count[label] if gold_count[label] else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_intent[label] = (precision, recall, f1, gold_count[label])
    macro = sum(v[2] for v in per_intent.values()) / max(1, len(per_intent))
    accuracy = sum(true_positive.values()) / max(1, len(gold))
    return IntentScores(per_intent, macro, accuracy, len(gold))
