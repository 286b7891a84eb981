"""Bad input at volume, through the real Application with Rasa and the Bot API faked
in-process: a flood from one user gets one notice while everyone else is served, thousands of
distinct users at once are all answered, and the per-user structures in memory (flood windows,
per-chat locks) and the stored message ids do not grow with every user ever seen."""

from __future__ import annotations

import asyncio
import itertools
from datetime import timedelta
from pathlib import Path

from bot.store.models import SentMessage, utcnow
from tests.inprocess import build, feed, message_update

USERS = 3000


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_a_flood_gets_one_notice_and_others_are_served_meanwhile(tmp_path: Path) -> None:
    bot = build(tmp_path, flood_max_messages=8, flood_window_seconds=10)
    ids = itertools.count(1)
    flooder, others = 1_000_000, range(2_000_000, 2_000_200)
    updates = []
    for index in range(600):  # 600 messages from one user, and 200 users among them
        updates.append(message_update(next(ids), flooder, f"spam {index}"))
        if index % 3 == 0:
            updates.append(message_update(next(ids), others[index // 3], "hello"))
    async with bot.application:
        await feed(bot, updates)
    renderer = bot.conversation.renderer
    flood = bot.telegram.sent_to(flooder)
    assert flood.count(renderer.text("msg_throttled", "en")) == 1
    assert len(flood) == 8 + 1
    assert all(len(bot.telegram.sent_to(user)) == 1 for user in others)
    assert bot.errors == []
    assert len(bot.front.order.local) == 0
    bot.database.dispose()


async def test_thousands_of_users_at_once_are_answered_and_forgotten(tmp_path: Path) -> None:
    bot = build(tmp_path)
    clock = Clock()
    bot.front.gate.local.clock = clock
    updates = [message_update(index + 1, 3_000_000 + index, "halo kak", "id")
               for index in range(USERS)]
    async with bot.application:
        await feed(bot, updates)
        assert bot.errors == []
        assert len({c[1]["chat_id"] for c in bot.telegram.calls}) == USERS  # all answered
        assert len(bot.front.order.local) == 0  # a lock lives only while its chat is busy
        assert len(bot.front.gate.local) == USERS  # all inside the flood window ...
        clock.now += bot.front.settings.flood_window_seconds + 1
        await feed(bot, [message_update(USERS + 1, 42, "hello")])
        assert len(bot.front.gate.local) == 1  # ... and forgotten once it has passed
    bot.database.dispose()


async def test_message_ids_past_48_hours_are_pruned(tmp_path: Path) -> None:
    bot = build(tmp_path)
    old = utcnow() - timedelta(hours=49)
    with bot.database.session() as session:
        session.add_all(SentMessage(chat_id=7, message_id=i, sent_at=old) for i in range(100))
    await asyncio.to_thread(bot.front._remember, 8, [1])
    with bot.database.session() as session:
        assert [(m.chat_id, m.message_id) for m in session.query(SentMessage)] == [(8, 1)]
    bot.database.dispose()
