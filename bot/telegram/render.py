"""Replies as Telegram messages: plain text (no parse mode, so user text cannot inject
markup), split under Telegram's 4,096-character limit, buttons as inline keyboards."""

from __future__ import annotations

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.i18n.responses import Button

MAX_TEXT = 4096
MAX_CALLBACK_BYTES = 64


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Cuts ``text`` into parts of at most ``limit`` characters, at paragraph or line ends."""
    parts: list[str] = []
    text = text.strip()
    while len(text) > limit:
        cut = -1
        for separator in ("\n\n", "\n", " "):  # paragraph, then line, then word
            cut = text.rfind(separator, 0, limit)
            if cut > 0:
                break
        if cut <= 0:
            cut = limit
        parts.append(text[:cut].rstrip())
        text = text[cut:].lstrip()
    if text:
        parts.append(text)
    return [part for part in parts if part]


def keyboard(buttons: tuple[Button, ...], per_row: int = 2) -> InlineKeyboardMarkup | None:
    """Inline keyboard; buttons whose payload would not fit callback data are left out."""
    fitting = [b for b in buttons if len(b.payload.encode()) <= MAX_CALLBACK_BYTES]
    if not fitting:
        return None
    rows = [fitting[i:i + per_row] for i in range(0, len(fitting), per_row)]
    return InlineKeyboardMarkup(
        [[InlineKeyboardButton(b.title, callback_data=b.payload) for b in row] for row in rows]
    )
