"""``jaga chat``: talk to the same engine as Telegram from a terminal or a pipe."""

from __future__ import annotations

import asyncio
import re
import sys
from typing import TextIO

from bot.conversation import Conversation
from bot.i18n.responses import Button, Reply

QUIT = {"/quit", "/exit"}


def format_reply(reply: Reply, first_number: int = 1) -> str:
    """A reply as terminal text; buttons become numbered choices."""
    lines = [reply.text] if reply.text else []
    lines += [f"  [{first_number + i}] {b.title}" for i, b in enumerate(reply.buttons)]
    return "\n".join(lines)


def resolve_choice(text: str, buttons: list[Button]) -> str:
    """A number typed after numbered choices presses that button."""
    stripped = text.strip()
    if re.fullmatch(r"[0-9]{1,3}", stripped) and 1 <= int(stripped) <= len(buttons):
        return buttons[int(stripped) - 1].payload
    return text


async def chat(conversation: Conversation, sender_id: str, language: str | None,
               source: TextIO = sys.stdin, sink: TextIO = sys.stdout) -> None:
    """Reads one message per line until end of input or /quit; prints the replies."""
    interactive = source.isatty()
    buttons: list[Button] = []
    while True:
        if interactive:
            sink.write("you> ")
            sink.flush()
        line = await asyncio.to_thread(source.readline)
        if not line:
            break
        text = line.rstrip("\n")
        if text.strip() in QUIT:
            break
        replies = await conversation.handle(sender_id, resolve_choice(text, buttons), language)
        buttons = []
        for reply in replies:
            sink.write("jaga> " + format_reply(reply, len(buttons) + 1).replace("\n", "\n      ")
                       + "\n")
            buttons += reply.buttons
        sink.flush()
