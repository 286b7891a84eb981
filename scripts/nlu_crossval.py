"""Cross-validates the intent classifier on the *training* data only, per language.

Run in the Rasa environment (it uses the Rasa-side classifier and tokenizer code):
    PYTHONPATH=. .venv-rasa/bin/python scripts/nlu_crossval.py [--lang vi] [--errors 40]

Why: data and pipeline choices are made on this number, so the held-out sets in tests/nlu stay
unseen. It trains one model on all eight languages per fold (as the real model is one model),
with the tokenization of config.yml, and prints macro-F1 per language; with ``--lang`` it also
prints per-intent F1, the most frequent confusions and misclassified training lines.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

import yaml
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bot.evaluation import read_examples, score
from rasa_ext.classifier import build_features
from rasa_ext.tokenizer import ScriptAwareTokenizer

LANGUAGES = ("en", "id", "tl", "vi", "my", "km", "th", "lo")


def config_tokenizer() -> ScriptAwareTokenizer:
    """The tokenizer exactly as config.yml configures it."""
    pipeline = yaml.safe_load(Path("config.yml").read_text(encoding="utf-8"))["pipeline"]
    step = next(s for s in pipeline if s["name"].endswith("ScriptAwareTokenizer"))
    config = {k: v for k, v in step.items() if k != "name"}
    return ScriptAwareTokenizer({**ScriptAwareTokenizer.get_default_config(), **config})


def prepare(text: str, tokenizer: ScriptAwareTokenizer) -> str:
    """The message as the classifier sees it: lower-case tokens of the configured pipeline."""
    return " ".join(p for w in text.lower().split() for p in tokenizer.pieces(w))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lang", choices=LANGUAGES, help="details for one language")
    parser.add_argument("--folds", type=int, default=5)
    parser.add_argument("--errors", type=int, default=30, help="misclassified lines to print")
    args = parser.parse_args()

    rows = [(code, intent, text) for code in LANGUAGES
            for intent, text in read_examples(Path(f"nlu/{code}/nlu.yml"))]
    tokenizer = config_tokenizer()
    texts = [prepare(text, tokenizer) for _, _, text in rows]
    strata = [f"{code}/{intent}" for code, intent, _ in rows]
    predicted = [""] * len(rows)
    folds = StratifiedKFold(n_splits=args.folds, shuffle=True, random_state=7)
    for train_index, test_index in folds.split(texts, strata):
        features = build_features()
        matrix = features.fit_transform([texts[i] for i in train_index])
        model = LogisticRegression(C=20.0, max_iter=3000, random_state=42)
        model.fit(matrix, [rows[i][1] for i in train_index])
        for i, label in zip(test_index,
                            model.predict(features.transform([texts[i] for i in test_index])),
                            strict=True):
            predicted[i] = str(label)

    means = []
    for code in LANGUAGES:
        index = [i for i, row in enumerate(rows) if row[0] == code]
        macro = f1_score([rows[i][1] for i in index], [predicted[i] for i in index],
                         average="macro")
        means.append(macro)
        print(f"{code}  {len(index):5d} examples  CV macro-F1 {macro:.3f}")
    print(f"mean  CV macro-F1 {sum(means) / len(means):.3f}")

    if args.lang:
        index = [i for i, row in enumerate(rows) if row[0] == args.lang]
        result = score([rows[i][1] for i in index], [predicted[i] for i in index])
        print(f"\n{args.lang}: per intent (precision, recall, F1, n), weakest first")
        for intent, (p, r, f, n) in sorted(result.per_intent.items(), key=lambda kv: kv[1][2]):
            print(f"  {intent:<22} {p:.2f} {r:.2f} {f:.2f} {n}")
        confusions = Counter((rows[i][1], predicted[i]) for i in index
                             if rows[i][1] != predicted[i])
        print("\nmost frequent confusions (gold -> predicted)")
        for (gold, guess), count in confusions.most_common(12):
            print(f"  {count:3d}  {gold} -> {guess}")
        print("\nmisclassified training lines")
        for i in [i for i in index if rows[i][1] != predicted[i]][: args.errors]:
            print(f"  {rows[i][1]} -> {predicted[i]}: {rows[i][2]}")


if __name__ == "__main__":
    main()
