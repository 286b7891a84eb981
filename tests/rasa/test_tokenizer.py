"""The Rasa-side tokenizer, run in the Rasa environment (it imports Rasa): syllables for
Burmese and Khmer, dictionary words for Thai, whitespace for everything else."""

from __future__ import annotations

import json

import pytest

from tests.rasa.rasa_env import run_in_rasa

SCRIPT = """
import json, sys
from rasa.shared.nlu.training_data.message import Message
from rasa_ext.tokenizer import ScriptAwareTokenizer
out = []
for config, text in json.loads(sys.argv[1]):
    tokenizer = ScriptAwareTokenizer({**ScriptAwareTokenizer.get_default_config(), **config})
    tokens = tokenizer.tokenize(Message(data={"text": text}), "text")
    out.append([[t.text, t.start, t.end] for t in tokens])
print(json.dumps(out))
"""
WORDS = {"split_scripts": ["my", "km"], "segment_words": ["th"]}
SYLLABLES = {"split_scripts": ["my", "km"], "segment_words": []}
CASES = [(WORDS, "ช่วยด้วย โดนยึดพาสปอร์ต help"), (SYLLABLES, "โดนยึดพาสปอร์ต"),
         (SYLLABLES, "ကူညီပါ")]


@pytest.fixture(scope="module")
def tokens() -> list[list[list[object]]]:
    """Every case tokenized in one Rasa process (importing Rasa takes tens of seconds)."""
    return list(run_in_rasa(SCRIPT, json.dumps(CASES)))


def test_thai_is_cut_into_dictionary_words_with_exact_offsets(
        tokens: list[list[list[object]]]) -> None:
    text = CASES[0][1]
    assert [t[0] for t in tokens[0]] == ["ช่วยด้วย", "โดน", "ยึด", "พาสปอร์ต", "help"]
    for word, start, end in tokens[0]:
        assert text[int(str(start)):int(str(end))] == word


def test_without_word_segmentation_thai_stays_whole_and_burmese_is_cut(
        tokens: list[list[list[object]]]) -> None:
    assert [t[0] for t in tokens[1]] == ["โดนยึดพาสปอร์ต"]
    assert [t[0] for t in tokens[2]] == ["ကူ", "ညီ", "ပါ"]
