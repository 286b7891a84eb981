"""Measures the syllable tokenizer against plain whitespace tokens, per language.

Run in the Rasa environment (it uses the Rasa-side classifier code):
    PYTHONPATH=. .venv-rasa/bin/python scripts/measure_tokenizer.py
Trains the intent classifier of config.yml on nlu/<lang>/ once per tokenization variant and
prints macro-F1 on the held-out tests/nlu/<lang>.yml.
"""

from __future__ import annotations

import sys
from pathlib import Path

from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bot.evaluation import read_examples
from rasa_ext.classifier import build_features
from rasa_ext.tokenizer import syllables, thai_words

LANGUAGES = ("en", "id", "tl", "vi", "my", "km", "th", "lo")


VARIANTS = {"whitespace": (), "all four": ("th", "lo", "km", "my"), "my+km": ("my", "km"),
            "my+km, th words": ("my", "km", "th-words")}


def prepare(text: str, scripts: tuple[str, ...]) -> str:
    cut = tuple(s for s in scripts if s != "th-words")
    pieces = [p for w in text.lower().split() for p in syllables(w, cut)]
    if "th-words" in scripts:
        pieces = [t for p in pieces for t in thai_words(p)]
    return " ".join(pieces)


def main() -> None:
    train = [p for code in LANGUAGES for p in read_examples(Path(f"nlu/{code}/nlu.yml"))]
    tests = {code: read_examples(Path(f"tests/nlu/{code}.yml")) for code in LANGUAGES}
    scores: dict[str, list[float]] = {}
    for name, scripts in VARIANTS.items():
        features = build_features()
        matrix = features.fit_transform([prepare(t, scripts) for _, t in train])
        model = LogisticRegression(C=20.0, max_iter=3000, random_state=42)
        model.fit(matrix, [i for i, _ in train])
        scores[name] = []
        for code in LANGUAGES:
            gold = [i for i, _ in tests[code]]
            texts = [prepare(t, scripts) for _, t in tests[code]]
            predicted = model.predict(features.transform(texts))
            scores[name].append(f1_score(gold, predicted, average="macro"))
    print(f"{'lang':<6}" + "".join(f"{name:>12}" for name in VARIANTS))
    for index, code in enumerate(LANGUAGES):
        print(f"{code:<6}" + "".join(f"{scores[n][index]:>12.3f}" for n in VARIANTS))


if __name__ == "__main__":
    main()
