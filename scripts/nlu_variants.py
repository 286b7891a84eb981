"""Compares classifier feature variants by repeated 5-fold cross-validation on the *training*
data only (never the held-out sets), with the same folds for every variant.

    PYTHONPATH=. .venv-rasa/bin/python scripts/nlu_variants.py --variants base tones --seeds 7 1 2

Prints one JSON line per (variant, seed) with macro-F1 per language; ``--summary FILE`` reads
such lines and prints mean and spread (min-max over seeds) per language and the change against
``base`` on the same seeds.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score
from sklearn.model_selection import StratifiedKFold
from sklearn.pipeline import FeatureUnion

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))
from nlu_crossval import LANGUAGES, config_tokenizer, prepare

from bot.evaluation import read_examples
from rasa_ext.classifier import build_features, fold_accents

# Thai mai taikhu, tone marks, thanthakhat; Lao tone marks and the cancellation mark.
TONES = re.compile("[\u0e47-\u0e4c\u0ec8-\u0ecc]")
NOT_THAI_LAO = re.compile("[^\u0e00-\u0eff]+")
REPEATS = re.compile(r"([\u0e00-\u0eff])\1{2,}")
REPETITION_SIGN = re.compile(r"\s*[\u0e46\u0ec6]+")
LIGATURES = str.maketrans({"\u0edc": "\u0eab\u0e99", "\u0edd": "\u0eab\u0ea1",
                           "\u0ebc": "\u0ea5"})


def fold_tones(text: str) -> str:
    return TONES.sub("", fold_accents(text))


def thai_lao_tones_folded(text: str) -> str:
    return TONES.sub("", NOT_THAI_LAO.sub(" ", text.lower()))


def squeeze(text: str) -> str:
    """Thai/Lao elongations (3+ same letters), repetition signs and Lao ligatures."""
    return REPETITION_SIGN.sub("", REPEATS.sub(r"\1", text.translate(LIGATURES)))


def tone_view() -> TfidfVectorizer:
    return TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 5), sublinear_tf=True,
                           preprocessor=thai_lao_tones_folded)


def with_views(**views: Callable[[], TfidfVectorizer]) -> Callable[[], FeatureUnion]:
    """The current features plus the named views."""
    def build() -> FeatureUnion:
        union = build_features()
        union.transformer_list += [(name, make()) for name, make in views.items()]
        return union
    return build


def replaced(name: str, **params: object) -> Callable[[], FeatureUnion]:
    """The current features with view ``name`` given other parameters."""
    def build() -> FeatureUnion:
        union = build_features()
        dict(union.transformer_list)[name].set_params(**params)
        return union
    return build


def identity(text: str) -> str:
    return text


# name: (features, text normalisation applied before every view)
VARIANTS: dict[str, tuple[Callable[[], FeatureUnion], Callable[[str], str]]] = {
    "base": (build_features, identity),  # the shipped pipeline, Lao syllable view included
    "tones": (replaced("chars", preprocessor=fold_tones), identity),
    "toneview": (with_views(tones=tone_view), identity),
    "squeeze": (build_features, squeeze),
    "nolaosyl": (lambda: build_features(lao=False), identity),
    "toneview+squeeze": (with_views(tones=tone_view), squeeze),
}


def run(variant: str, seed: int, rows: list[tuple[str, str, str]], texts: list[str]
        ) -> dict[str, object]:
    build, transform = VARIANTS[variant]
    texts = [transform(t) for t in texts]
    strata = [f"{code}/{intent}" for code, intent, _ in rows]
    predicted = [""] * len(rows)
    started = time.time()
    for train_index, test_index in StratifiedKFold(5, shuffle=True, random_state=seed).split(
            texts, strata):
        features = build()
        matrix = features.fit_transform([texts[i] for i in train_index])
        model = LogisticRegression(C=20.0, max_iter=3000, random_state=42)
        model.fit(matrix, [rows[i][1] for i in train_index])
        guesses = model.predict(features.transform([texts[i] for i in test_index]))
        for i, label in zip(test_index, guesses, strict=True):
            predicted[i] = str(label)
    scores = {}
    for code in LANGUAGES:
        index = [i for i, row in enumerate(rows) if row[0] == code]
        scores[code] = round(float(f1_score([rows[i][1] for i in index],
                                            [predicted[i] for i in index], average="macro")), 4)
    return {"variant": variant, "seed": seed, "f1": scores,
            "seconds": round(time.time() - started)}


def summary(path: Path) -> None:
    results = [json.loads(line) for line in path.read_text().splitlines() if line.startswith("{")]
    base = {r["seed"]: r["f1"] for r in results if r["variant"] == "base"}
    print("variant   seeds " + " ".join(f"{c:>17}" for c in LANGUAGES) + "   others   d(lo)")
    for variant in dict.fromkeys(r["variant"] for r in results):
        runs = [r for r in results if r["variant"] == variant]
        cells = []
        for code in LANGUAGES:
            values = [r["f1"][code] for r in runs]
            cells.append(f"{sum(values) / len(values):.3f} ({min(values):.3f}-{max(values):.3f})")
        paired = [r for r in runs if r["seed"] in base]
        others = sum(sum(r["f1"][c] - base[r["seed"]][c] for c in LANGUAGES if c != "lo") / 7
                     for r in paired) / max(len(paired), 1)
        dlo = [r["f1"]["lo"] - base[r["seed"]]["lo"] for r in paired]
        print(f"{variant:<9} {len(runs):5d} " + " ".join(cells)
              + f"  {others:+.4f}  {sum(dlo) / max(len(dlo), 1):+.4f}"
              + (f" ({min(dlo):+.3f}..{max(dlo):+.3f})" if dlo else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--variants", nargs="*", default=["base"], choices=list(VARIANTS))
    parser.add_argument("--seeds", nargs="*", type=int, default=[7])
    parser.add_argument("--summary", type=Path)
    args = parser.parse_args()
    if args.summary:
        summary(args.summary)
        return
    rows = [(code, intent, text) for code in LANGUAGES
            for intent, text in read_examples(Path(f"nlu/{code}/nlu.yml"))]
    tokenizer = config_tokenizer()
    texts = [prepare(text, tokenizer) for _, _, text in rows]
    for variant in args.variants:
        for seed in args.seeds:
            print(json.dumps(run(variant, seed, rows, texts)), flush=True)


if __name__ == "__main__":
    main()
