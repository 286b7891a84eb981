"""bot/telegram/render.py: splitting long texts and building inline keyboards."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from bot.i18n.responses import Button
from bot.telegram.render import MAX_CALLBACK_BYTES, MAX_TEXT, keyboard, split_text


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


TOKENS = ["a", "b", "word", "longerword", "ก", "ข้อ", " ", "  ", "\n", "\n\n", "😀"]
TEXTS = st.lists(st.sampled_from(TOKENS), max_size=120).map("".join)


@settings(max_examples=300, deadline=None, database=None)
@given(text=TEXTS, limit=st.integers(min_value=1, max_value=60))
def test_split_text_parts_fit_and_keep_all_text(text: str, limit: int) -> None:
    parts = split_text(text, limit)
    assert all(len(part) <= limit for part in parts)
    assert squash("".join(parts)) == squash(text)


def test_short_text_is_one_part() -> None:
    assert split_text("Hello\n\nworld") == ["Hello\n\nworld"]
    assert split_text("") == []


def test_long_text_under_telegram_limit() -> None:
    text = "\n\n".join(f"Paragraph {i}. " + "word " * 80 for i in range(40))
    parts = split_text(text)
    assert len(parts) > 1
    assert all(len(part) <= MAX_TEXT for part in parts)
    assert squash("".join(parts)) == squash(text)
    # Every cut falls between paragraphs.
    assert all(part.startswith("Paragraph ") for part in parts)


def test_split_at_paragraph_break() -> None:
    first = "First paragraph, about forty chars long."
    second = "Second paragraph continues here for a while."
    parts = split_text(f"{first}\n\n{second}", 60)
    assert parts == [first, second]


def test_split_prefers_paragraph_break_over_later_line_break() -> None:
    first = "First paragraph, about forty chars long."
    second = "Second paragraph line one\nline two of the second paragraph"
    parts = split_text(f"{first}\n\n{second}", 70)
    assert parts == [first, second]


def test_split_at_line_break_then_space_then_hard() -> None:
    assert split_text("aaaa\nbbbb cccc", 10) == ["aaaa", "bbbb cccc"]
    assert split_text("aaaa bbbb cccc", 10) == ["aaaa bbbb", "cccc"]
    assert split_text("x" * 25, 10) == ["x" * 10, "x" * 10, "x" * 5]


def test_split_never_returns_empty_part() -> None:
    parts = split_text("\n\n" + "x" * 30, 10)
    assert all(part.strip() for part in parts)


def test_keyboard_rows_and_callback_data() -> None:
    buttons = tuple(Button(f"Button {i}", f"/intent_{i}") for i in range(5))
    markup = keyboard(buttons)
    assert markup is not None
    rows = markup.inline_keyboard
    assert [len(row) for row in rows] == [2, 2, 1]
    assert [b.callback_data for row in rows for b in row] == [f"/intent_{i}" for i in range(5)]
    assert rows[0][0].text == "Button 0"
    assert [len(row) for row in keyboard(buttons, per_row=3).inline_keyboard] == [3, 2]


def test_keyboard_drops_payloads_over_64_bytes() -> None:
    fits = Button("fits", "/" + "a" * (MAX_CALLBACK_BYTES - 1))
    too_long = Button("too long", "/" + "a" * MAX_CALLBACK_BYTES)
    # 33 characters but 65 bytes: the limit is in bytes.
    multibyte = Button("multibyte", "/" + "é" * 32)
    markup = keyboard((too_long, fits, multibyte))
    assert markup is not None
    assert [b.text for row in markup.inline_keyboard for b in row] == ["fits"]


def test_keyboard_none_when_nothing_fits() -> None:
    assert keyboard(()) is None
    assert keyboard((Button("x", "/" + "b" * 64),)) is None
