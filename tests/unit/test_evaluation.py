"""bot/evaluation.py: reading NLU test sets and scoring intents."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.evaluation import read_examples, score, strip_annotations
from bot.settings import PROJECT_ROOT


@pytest.mark.parametrize(("example", "plain"), [
    ("in [Cambodia](country)", "in Cambodia"),
    ("I am [WNI](nationality) in [KK Park](city) now", "I am WNI in KK Park now"),
    ('from [Viet Nam]{"entity": "country", "value": "VN"}', "from Viet Nam"),
    ("no annotations [here] (really)", "no annotations [here] (really)"),
    ("plain text", "plain text"),
])
def test_strip_annotations(example: str, plain: str) -> None:
    assert strip_annotations(example) == plain


def test_read_examples(tmp_path: Path) -> None:
    path = tmp_path / "en.yml"
    path.write_text("""version: "3.1"
nlu:
- intent: greet
  examples: |
    - hello
    -   hi there
    not an example line
- synonym: KH
  examples: |
    - Cambodia
- intent: inform_country
  examples: |
    - I am in [Cambodia](country)
- intent: empty
""", encoding="utf-8")
    assert read_examples(path) == [
        ("greet", "hello"),
        ("greet", "hi there"),
        ("inform_country", "I am in Cambodia"),
    ]


def test_read_examples_of_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.yml"
    path.write_text("", encoding="utf-8")
    assert read_examples(path) == []


def test_real_test_sets_are_readable() -> None:
    for path in sorted((PROJECT_ROOT / "tests" / "nlu").glob("*.yml")):
        pairs = read_examples(path)
        assert pairs, path.name
        assert all(intent and text and "](" not in text for intent, text in pairs)


def test_perfect_prediction() -> None:
    gold = ["greet", "greet", "request_help", "goodbye"]
    result = score(gold, list(gold))
    assert result.macro_f1 == 1.0
    assert result.accuracy == 1.0
    assert result.size == 4
    assert result.per_intent["greet"] == (1.0, 1.0, 1.0, 2)


def test_small_case_by_hand() -> None:
    gold = ["a", "a", "b", "c"]
    predicted = ["a", "b", "b", "nlu_fallback"]
    result = score(gold, predicted)
    # a: P = 1/1, R = 1/2, F1 = 2/3;  b: P = 1/2, R = 1/1, F1 = 2/3;  c: 0.
    assert result.per_intent["a"] == pytest.approx((1.0, 0.5, 2 / 3, 2))
    assert result.per_intent["b"] == pytest.approx((0.5, 1.0, 2 / 3, 1))
    assert result.per_intent["c"] == (0.0, 0.0, 0.0, 1)
    assert "nlu_fallback" not in result.per_intent
    assert result.macro_f1 == pytest.approx(4 / 9)
    assert result.accuracy == pytest.approx(0.5)


def test_empty_and_mismatched() -> None:
    empty = score([], [])
    assert (empty.macro_f1, empty.accuracy, empty.size) == (0.0, 0.0, 0)
    with pytest.raises(ValueError):
        score(["a"], [])
