"""Processing overhead of the Telegram layer per update, excluding Rasa.

Measured twice: with outgoing pacing off (the layer's own cost: the target is < 5 ms median)
and on (python-telegram-bot's AIORateLimiter holds the bot to Telegram's 30 messages per
second, so one update with one reply costs about 33 ms of waiting by design).

    .venv/bin/python -m bench.telegram_overhead --updates 2000

The real Application, handlers, flood gate, per-chat locks, keyboard rendering, rate limiter
and the SQLite write that remembers sent message ids; Telegram is an in-process transport (a
``BaseRequest`` that answers at once) and the dialogue a stub that answers at once, so what is
timed is only the Telegram layer. Prints the median and p95 of ``process_update``.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

from telegram import Update

from bench.startup import machine
from bot.i18n.responses import Button, Renderer, Reply
from bot.settings import PROJECT_ROOT, Settings
from bot.store.database import Database
from bot.telegram import app as telegram_app
from tests.inprocess import RecordingTelegram


class InstantDialogue:
    """Stands in for Conversation: the menu reply, at once."""

    def __init__(self, renderer: Renderer, users: Any) -> None:
        self.reply = renderer.render("utter_greet", "en")
        self.users = users

    async def handle(self, *args: Any, **kwargs: Any) -> list[Reply]:
        return [Reply(self.reply.text, (*self.reply.buttons, Button("x", "/x")))]


def update(update_id: int, user_id: int, bot: Any) -> Update:
    data = {"update_id": update_id, "message": {
        "message_id": update_id, "date": 0, "chat": {"id": user_id, "type": "private"},
        "from": {"id": user_id, "is_bot": False, "first_name": "U", "language_code": "en"},
        "text": "hello"}}
    return Update.de_json(data, bot)


async def measure(count: int, work: Path, pace: bool) -> list[float]:
    settings = replace(Settings.from_env({"JAGA_VAR_DIR": str(work)}), telegram_bot_token="1:x",
                       flood_max_messages=10**9)
    database = Database(settings.database_url)
    database.migrate()
    renderer = Renderer.from_directories(PROJECT_ROOT / "responses", PROJECT_ROOT / "locales")
    dialogue: Any = InstantDialogue(renderer, None)
    application, _ = telegram_app.build_application(
        settings, dialogue, renderer, database, transport=lambda: RecordingTelegram(record=False),
        pace=pace)
    timings = []
    async with application:
        transport: Any = application.bot.request
        for index in range(count):
            item = update(index + 1, 1000 + index % 50, application.bot)
            started = time.perf_counter()
            await application.process_update(item)
            timings.append((time.perf_counter() - started) * 1000)
        if transport.message_id != count:
            raise SystemExit(f"only {transport.message_id} of {count} replies were sent")
    database.dispose()
    return timings[50:]  # leave out warm-up


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=2000)
    args = parser.parse_args()
    print(machine())
    for pace in (False, True):
        with tempfile.TemporaryDirectory() as tmp:
            timings = sorted(asyncio.run(measure(args.updates, Path(tmp), pace)))
        label = ("with Telegram pacing (30 messages/s overall, by design)" if pace
                 else "processing only (pacing off)")
        print(f"Telegram layer per update, {label}, {len(timings)} updates, Rasa excluded: "
              f"median {statistics.median(timings):.2f} ms, "
              f"p95 {timings[int(len(timings) * 0.95)]:.2f} ms")


if __name__ == "__main__":
    main()
