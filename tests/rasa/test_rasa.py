"""Rasa's own checks on the training data and dialogue, and the per-language NLU test sets."""

from __future__ import annotations

import subprocess
import unicodedata
from pathlib import Path

import pytest

from bot.dialogue.server import data_paths, rasa_environment, rasa_executable, train
from bot.evaluation import read_examples, score
from bot.i18n.languages import SUPPORTED
from bot.settings import PROJECT_ROOT, Settings
from tests.conftest import LiveBot

# A regression floor, not the target: the measured numbers and the 0.90 target are in
# docs/nlu.md; this fails the build if a change makes a language clearly worse.
MACRO_F1_FLOOR = 0.75


def rasa(*args: str, cwd: Path = PROJECT_ROOT) -> subprocess.CompletedProcess[str]:
    command = [str(rasa_executable(Settings.from_env())), *args]
    return subprocess.run(command, cwd=cwd, env=rasa_environment(), capture_output=True,
                          text=True, timeout=600, check=False)


def test_rasa_data_validate_is_clean() -> None:
    result = rasa("data", "validate", "--fail-on-warnings", "--config", "config.yml",
                  "--domain", "nlu/domain", "--data", *data_paths())
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]


def test_story_predictions_have_no_errors(tmp_path: Path) -> None:
    model = train(Settings.from_env())
    result = rasa("test", "core", "--stories", "tests/rasa/test_stories.yml", "--model",
                  str(model), "--fail-on-prediction-errors", "--out", str(tmp_path))
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert "None of the test stories failed" in (tmp_path / "failed_test_stories.yml"
                                                 ).read_text(encoding="utf-8")


def test_held_out_sets_never_appear_in_training() -> None:
    def key(text: str) -> str:
        letters = "".join(ch for ch in text.lower() if unicodedata.category(ch)[0] in "LMN")
        return letters or text.strip()  # emoji-only examples compare as they are

    for language in SUPPORTED:
        training = {key(t) for _, t in read_examples(PROJECT_ROOT / f"nlu/{language}/nlu.yml")}
        held_out = {key(t) for _, t in read_examples(PROJECT_ROOT / f"tests/nlu/{language}.yml")}
        assert not (training & held_out), (language, sorted(training & held_out)[:5])


def test_every_language_has_enough_examples_per_intent() -> None:
    for language in SUPPORTED:
        for path, minimum in ((f"nlu/{language}/nlu.yml", 25), (f"tests/nlu/{language}.yml", 10)):
            counts: dict[str, int] = {}
            for intent, _ in read_examples(PROJECT_ROOT / path):
                counts[intent] = counts.get(intent, 0) + 1
            assert len(counts) == 15, (path, sorted(counts))
            assert min(counts.values()) >= minimum, (path, counts)


@pytest.mark.parametrize("language", SUPPORTED)
def test_held_out_intent_macro_f1(live_bot: LiveBot, language: str) -> None:
    pairs = read_examples(PROJECT_ROOT / "tests" / "nlu" / f"{language}.yml")
    client = live_bot.runtime.dialogue
    predicted = [str(live_bot.run(client.parse(text))["intent"]["name"]) for _, text in pairs]
    result = score([intent for intent, _ in pairs], predicted)
    assert result.macro_f1 >= MACRO_F1_FLOOR, (language, result.macro_f1, result.per_intent)


@pytest.mark.parametrize(("text", "entity", "value"), [
    ("saya orang Indonesia", "nationality", "orang indonesia"),
    ("I'm in Cambodia now", "country", "cambodia"),
    ("ตอนนี้อยู่ที่แม่สอด", "city", "แม่สอด"),
    ("ကျွန်တော်မြဝတီမှာ", "city", "မြဝတီ"),
])
def test_gazetteer_entities_are_found_in_every_script(live_bot: LiveBot, text: str,
                                                      entity: str, value: str) -> None:
    parsed = live_bot.run(live_bot.runtime.dialogue.parse(text))
    found = {(e["entity"], str(e["value"]).lower()) for e in parsed["entities"]}
    assert (entity, value) in found, parsed["entities"]
