"""bot/console.py: numbered buttons in the terminal and numbers pressing them."""

from __future__ import annotations

import pytest

from bot.console import format_reply, resolve_choice
from bot.i18n.responses import Button, Reply

BUTTONS = [Button("🔎 Check a job offer", "/check_offer"),
           Button("🆘 I need help", "/request_help"),
           Button("📞 Embassy hotlines", "/ask_hotline")]


def test_format_reply_numbers_buttons() -> None:
    text = format_reply(Reply("What do you need?", tuple(BUTTONS)))
    assert text.splitlines() == [
        "What do you need?",
        "  [1] 🔎 Check a job offer",
        "  [2] 🆘 I need help",
        "  [3] 📞 Embassy hotlines",
    ]


def test_format_reply_continues_numbering() -> None:
    text = format_reply(Reply("More:", tuple(BUTTONS[:2])), first_number=4)
    assert text.splitlines()[1:] == ["  [4] 🔎 Check a job offer", "  [5] 🆘 I need help"]


def test_format_reply_without_buttons_or_text() -> None:
    assert format_reply(Reply("Line one\nline two")) == "Line one\nline two"
    assert format_reply(Reply("", (BUTTONS[0],))) == "  [1] 🔎 Check a job offer"


@pytest.mark.parametrize(("text", "payload"), [
    ("1", "/check_offer"),
    ("2", "/request_help"),
    (" 3 \n", "/ask_hotline"),
])
def test_resolve_choice_presses_numbered_button(text: str, payload: str) -> None:
    assert resolve_choice(text, BUTTONS) == payload


@pytest.mark.parametrize("text", ["0", "4", "-1", "2a", "two", "", "I need 2 things", "1.5"])
def test_resolve_choice_leaves_other_text_alone(text: str) -> None:
    assert resolve_choice(text, BUTTONS) == text


def test_resolve_choice_without_buttons() -> None:
    assert resolve_choice("1", []) == "1"


def test_resolve_choice_superscript_digit_is_plain_text() -> None:
    assert resolve_choice("²", BUTTONS) == "²"
