"""bot/nlu_data.py: the generated Rasa data is current; entity patterns match whole words."""

from __future__ import annotations

import re

import pytest

from bot import nlu_data
from bot.settings import PROJECT_ROOT


def test_generated_files_are_up_to_date() -> None:
    rendered = nlu_data.render(PROJECT_ROOT)
    assert {p.relative_to(PROJECT_ROOT).as_posix() for p in rendered} == {
        "nlu/generated/entities.yml", "nlu/domain/responses.yml",
    }
    for path, content in rendered.items():
        assert path.read_text(encoding="utf-8") == content, (
            f"{path} is stale: run `jaga nlu generate`")


def search(term: str, text: str) -> bool:
    return re.search(nlu_data.pattern(term), text, re.IGNORECASE) is not None


@pytest.mark.parametrize(("term", "text"), [
    ("laos", "I am in Laos now"),
    ("laos", "laos"),
    ("laos", "(laos)"),
    ("kk park", "they took me to KK Park!"),
    ("kk park", "kk.park"),
    ("kk park", "KK-Park"),
    ("kk park", "kkpark"),
    ("viet nam", "Viet Nam"),
])
def test_latin_term_matches_as_word(term: str, text: str) -> None:
    assert search(term, text)


@pytest.mark.parametrize(("term", "text"), [
    ("laos", "palaos"),
    ("laos", "laosian"),
    ("lao", "laos"),
    ("cam", "campuchia"),
    ("indo", "indonesia"),
    ("kk park", "kk parking"),
])
def test_latin_term_does_not_match_inside_a_longer_word(term: str, text: str) -> None:
    assert not search(term, text)


@pytest.mark.parametrize(("term", "text"), [
    ("กัมพูชา", "ผมอยู่กัมพูชาครับ"),
    ("เคเค ปาร์ค", "ตอนนี้อยู่เคเคปาร์คครับ"),
    ("မြဝတီ", "ကျွန်တော်မြဝတီမှာရှိတယ်"),
    ("ឡាវ", "ខ្ញុំនៅឡាវ"),
])
def test_spaceless_term_matches_inside_a_sentence(term: str, text: str) -> None:
    assert search(term, text)


def test_regex_special_characters_are_escaped() -> None:
    assert search("u.a.e", "I work in U.A.E now")
    assert not search("u.a.e", "I work in uxaxe now")


def test_entity_patterns_longest_first(gazetteer) -> None:
    data = nlu_data.entity_patterns(gazetteer)
    by_entity = {block["regex"]: block["examples"] for block in data["nlu"]}
    assert set(by_entity) == {"country", "nationality", "city", "language"}
    alternation = re.compile(by_entity["country"][2:].strip(), re.IGNORECASE)
    match = alternation.search("I was sent to Viet Nam")
    assert match is not None and match.group(0) == "Viet Nam"
    assert re.search(by_entity["city"][2:].strip(), "อยู่เคเคปาร์ค", re.IGNORECASE)


def test_domain_declares_every_utter_response() -> None:
    responses = nlu_data.domain_responses(PROJECT_ROOT)["responses"]
    assert "utter_greet" in responses
    assert all(key.startswith("utter_") for key in responses)
    assert responses["utter_greet"] == [{"custom": {"jaga_response": "utter_greet"}}]


def test_a_spaceless_name_inside_a_longer_known_name_is_not_read(gazetteer) -> None:
    # Khmer "សៀម" (Siam, Thailand) inside "សៀមរាប" (Siem Reap) or "ភាសាសៀម" (the Thai
    # language): the longest known name wins, across entities, in scripts without spaces.
    data = nlu_data.entity_patterns(gazetteer)
    by_entity = {block["regex"]: re.compile(block["examples"][2:].strip(), re.IGNORECASE)
                 for block in data["nlu"]}
    assert not by_entity["country"].search("ខ្ញុំធ្វើការនៅខេត្តសៀមរាប")
    assert not by_entity["nationality"].search("ខ្ញុំធ្វើការនៅសៀមរាប")
    assert by_entity["city"].search("ខ្ញុំធ្វើការនៅសៀមរាប").group(0) == "សៀមរាប"
    assert not by_entity["country"].search("ខ្ញុំចេះភាសាសៀម")
    assert by_entity["country"].search("ខ្ញុំចង់ទៅធ្វើការនៅសៀម").group(0) == "សៀម"
    assert by_entity["city"].search("ทำงานที่เสียมราฐ").group(0) == "เสียมราฐ"


def test_a_guard_needs_both_sides_of_the_longer_name() -> None:
    # "ab" inside the known "xaby": not read there, but read in "xab" and "aby" alone.
    regex = re.compile(nlu_data.pattern("សៀ", ["ពសៀម"]))
    assert not regex.search("កពសៀមក")
    assert regex.search("កពសៀក") and regex.search("កសៀមក")
