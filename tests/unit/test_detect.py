"""bot/i18n/detect.py: language of short chat messages."""

from __future__ import annotations

import pytest

from bot.i18n.detect import detect


@pytest.mark.parametrize(("text", "language"), [
    ("hello how are you", "en"),
    ("Hi, I need help please", "en"),
    ("halo kak saya mau tanya", "id"),
    ("tolong saya, gaji tidak dibayar", "id"),
    ("kumusta po, tulungan niyo ako", "tl"),
    ("gusto ko ng trabaho sa abroad", "tl"),
    ("xin chào", "vi"),
    ("toi can giup do", "vi"),
    ("Tôi cần giúp đỡ", "vi"),
    ("မင်္ဂလာပါ", "my"),
    ("ကျွန်တော် အကူအညီ လိုပါတယ်", "my"),
    ("ជំរាបសួរ", "km"),
    ("សួស្តី បង", "km"),
    ("สวัสดีครับ", "th"),
    ("ช่วยด้วย", "th"),
    ("ສະບາຍດີ", "lo"),
    ("ຊ່ວຍແດ່", "lo"),
])
def test_detects_short_messages(text: str, language: str) -> None:
    code, confidence = detect(text)
    assert code == language
    assert 0.0 < confidence <= 1.0


def test_script_wins_over_latin_words() -> None:
    # A Thai sentence with one English word is still Thai.
    assert detect("ช่วยด้วย help")[0] == "th"


@pytest.mark.parametrize("text", ["😀🙏😭", "12345", "🙏 123 !!", "", "   ", "???"])
def test_no_signal_gives_none(text: str) -> None:
    assert detect(text) == (None, 0.0)


def test_unknown_latin_words_give_none() -> None:
    assert detect("zzzz qqqq") == (None, 0.0)


def test_tie_between_languages_gives_none() -> None:
    assert detect("hello kak") == (None, 0.0)


def test_mixed_message_is_less_confident() -> None:
    mixed, pure = detect("thank you po"), detect("thank you")
    assert mixed[0] == pure[0] == "en"
    assert mixed[1] < pure[1]
