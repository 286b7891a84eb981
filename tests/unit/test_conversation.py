"""bot/conversation.py clean(): the text the NLU gets."""

from __future__ import annotations

import unicodedata

import pytest

from bot.conversation import MAX_CHARS, clean


@pytest.mark.parametrize(("raw", "cleaned"), [
    ("he\x00llo", "hello"),
    ("a\x07b\x1bc\x7fd", "abcd"),
    ("zero\u200bwidth\u200cjoin\u200d", "zerowidthjoin"),
    ("\ufeffbom", "bom"),
    ("keep\nlines\tand tabs", "keep\nlines\tand tabs"),
    ("line\r\nbreak", "line\nbreak"),
    ("  padded  ", "padded"),
    ("", ""),
])
def test_clean_removes_control_characters(raw: str, cleaned: str) -> None:
    assert clean(raw) == cleaned


def test_clean_normalises_to_nfc() -> None:
    assert clean("Vie\u0323\u0302t Nam") == "Việt Nam"


def test_clean_converts_zawgyi() -> None:
    assert clean("ျမန္မာ") == "မြန်မာ"
    assert clean("  ျမန္မာႏိုင္ငံ\u200b ") == "မြန်မာနိုင်ငံ"


def test_clean_leaves_unicode_burmese() -> None:
    assert clean("မြန်မာနိုင်ငံ") == "မြန်မာနိုင်ငံ"


def test_clean_truncates_to_max_chars() -> None:
    text = "abcdefghij" * (MAX_CHARS // 10 + 100)
    cleaned = clean(text)
    assert len(cleaned) == MAX_CHARS
    assert cleaned == text[:MAX_CHARS]


def test_clean_short_text_is_not_truncated() -> None:
    text = "x" * (MAX_CHARS - 1)
    assert clean(text) == text


def test_clean_truncates_converted_zawgyi_to_max_chars() -> None:
    text = "သၾကၤန္ " * (MAX_CHARS // 7 + 10)
    assert len(clean(text)) <= MAX_CHARS


def test_clean_output_is_nfc_after_removing_zero_width() -> None:
    cleaned = clean("Vie\u200b\u0323\u0302t Nam")
    assert unicodedata.is_normalized("NFC", cleaned)
    assert cleaned == "Việt Nam"
