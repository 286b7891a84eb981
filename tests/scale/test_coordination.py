"""Per-chat order and flood limits shared by replicas through Redis, and the in-process
fallback while Redis cannot be reached. Two ``RedisLink``s stand for two replicas."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from bot.coordination import ChatOrder, RedisLink, SharedFloodGate, TurnExpired
from bot.telegram.flow import FloodGate
from tests.conftest import REDIS_URL, free_port, reachable


@pytest.fixture
async def links() -> AsyncIterator[tuple[RedisLink, RedisLink]]:
    if not reachable("127.0.0.1", 6379):
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    a, b = RedisLink(REDIS_URL), RedisLink(REDIS_URL)
    yield a, b
    await a.close()
    await b.close()


def new_chat() -> int:
    return uuid.uuid4().int % 10**12


async def test_a_chats_updates_run_in_arrival_order_across_replicas(
        links: tuple[RedisLink, RedisLink]) -> None:
    first, second = ChatOrder(links[0]), ChatOrder(links[1])
    chat = new_chat()
    # Updates 1..4 arrive alternately at the two replicas ...
    replica = {1: first, 2: second, 3: first, 4: second}
    for update_id, order in replica.items():
        await order.reserve(update_id, chat)
    ran: list[int] = []

    async def process(update_id: int) -> None:
        async with replica[update_id].turn(chat, update_id):
            ran.append(update_id)
            await asyncio.sleep(0.03)

    # ... but their processing starts in the opposite order.
    tasks = []
    for update_id in (4, 3, 2, 1):
        tasks.append(asyncio.create_task(process(update_id)))
        await asyncio.sleep(0.02)
    await asyncio.gather(*tasks)
    assert ran == [1, 2, 3, 4]


async def test_one_update_at_a_time_per_chat_and_chats_in_parallel(
        links: tuple[RedisLink, RedisLink]) -> None:
    orders = ChatOrder(links[0]), ChatOrder(links[1])
    chats = new_chat(), new_chat()
    inside = {chats[0]: 0, chats[1]: 0}
    most = {chats[0]: 0, chats[1]: 0}
    both_chats_at_once = False

    async def work(order: ChatOrder, chat: int) -> None:
        nonlocal both_chats_at_once
        async with order.turn(chat):
            inside[chat] += 1
            most[chat] = max(most[chat], inside[chat])
            both_chats_at_once |= all(inside.values())
            await asyncio.sleep(0.01)
            inside[chat] -= 1

    await asyncio.gather(*(work(orders[i % 2], chats[i % 4 // 2]) for i in range(16)))
    assert most == {chats[0]: 1, chats[1]: 1}
    assert both_chats_at_once


async def test_a_dead_replicas_ticket_holds_a_chat_only_until_it_expires(
        links: tuple[RedisLink, RedisLink]) -> None:
    dead, alive = ChatOrder(links[0], ttl=0.3), ChatOrder(links[1], ttl=0.3)
    chat = new_chat()
    await dead.reserve(1, chat)  # arrived, then the replica died before processing it
    ran = []

    async def process() -> None:
        async with alive.turn(chat):
            ran.append("later update")

    await asyncio.wait_for(process(), timeout=10)
    assert ran == ["later update"]


async def test_a_slow_turn_keeps_its_ticket_alive(links: tuple[RedisLink, RedisLink]) -> None:
    first, second = ChatOrder(links[0], ttl=0.3), ChatOrder(links[1], ttl=0.3)
    chat = new_chat()
    await first.reserve(1, chat)
    await second.reserve(2, chat)
    ran: list[str] = []

    async def slow() -> None:
        async with first.turn(chat, 1):
            ran.append("slow starts")
            await asyncio.sleep(1.0)  # three TTLs: refreshed while working
            ran.append("slow ends")

    async def next_one() -> None:
        async with second.turn(chat, 2):
            ran.append("next")

    await asyncio.gather(slow(), next_one())
    assert ran == ["slow starts", "slow ends", "next"]


class WatchedLink(RedisLink):
    """A link that says when a ticket refresh starts, and counts refreshes after ``ended``."""

    def __init__(self) -> None:
        super().__init__(REDIS_URL)
        self.refreshing = asyncio.Event()
        self.ended = False
        self.late_refreshes = 0

    async def run(self, script: str, keys: list[str], args: list[Any]) -> Any:
        if script == "refresh":
            self.late_refreshes += self.ended
            self.refreshing.set()
        return await super().run(script, keys, args)


async def test_a_turn_that_ends_during_a_refresh_stops_refreshing_its_ticket() -> None:
    """The stall of the replica test: the keep-alive was cancelled while it refreshed the
    ticket, redis-py lost the cancellation (``asyncio.wait_for`` on Python 3.11), and it went on
    refreshing for max_hold while the finished turn waited for it, holding up the chat."""
    if not reachable("127.0.0.1", 6379):
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    link = WatchedLink()
    order = ChatOrder(link, ttl=0.03, max_hold=2.0)  # refreshes every 10 ms
    chat = new_chat()
    try:
        # The turn ends 0, 1, 2, ... event-loop steps after a refresh started, so one of
        # them ends it between redis-py's write and its read.
        for steps in range(12):
            link.refreshing.clear()
            link.ended = False
            async with order.turn(chat):
                await link.refreshing.wait()
                for _ in range(steps):
                    await asyncio.sleep(0)
                link.ended = True
            assert link.late_refreshes == 0, f"refreshed after a turn ended {steps} steps in"
    finally:
        await link.close()


async def test_a_cancelled_redis_command_is_not_carried_on(
        links: tuple[RedisLink, RedisLink]) -> None:
    """A caller cancelled at any point of a Redis command sees the cancellation."""
    link = links[0]
    key = f"jaga:test:{uuid.uuid4().hex}"
    await link.run("refresh", [key], [1, 1000])  # connected, so the command does not wait
    for steps in range(12):
        task = asyncio.create_task(link.run("refresh", [key], [1, 1000]))
        for _ in range(steps):
            await asyncio.sleep(0)
        if task.cancel():  # it had not finished
            await asyncio.wait([task])
            assert task.cancelled(), f"a cancellation {steps} steps in was lost"
    assert link.usable()


@pytest.mark.parametrize("redis", [True, False], ids=["redis", "in-process"])
async def test_a_stuck_update_is_logged_and_stopped_so_its_chat_goes_on(
        redis: bool, links: tuple[RedisLink, RedisLink],
        caplog: pytest.LogCaptureFixture) -> None:
    order = ChatOrder(links[0] if redis else None, ttl=0.3, max_hold=1.0, warn_after=0.2)
    chat = new_chat()
    await order.reserve(1, chat)
    await order.reserve(2, chat)
    ran: list[str] = []

    async def waits_for_an_answer_that_never_comes() -> None:
        await asyncio.Event().wait()

    async def handle() -> None:
        ran.append("stuck starts")
        await waits_for_an_answer_that_never_comes()

    async def stuck() -> None:
        async with order.turn(chat, 1):
            await handle()

    async def next_one() -> None:
        await asyncio.sleep(0.05)  # arrives while the first one works
        async with order.turn(chat, 2):
            ran.append("next")

    with caplog.at_level(logging.WARNING, logger="bot.coordination"):
        outcome = await asyncio.wait_for(
            asyncio.gather(stuck(), next_one(), return_exceptions=True), timeout=30)
    assert isinstance(outcome[0], TurnExpired)
    assert ran == ["stuck starts", "next"]
    held = [r.getMessage() for r in caplog.records if "held its chat" in r.getMessage()]
    assert len(held) == 1 and "in waits_for_an_answer_that_never_comes" in held[0]


async def test_flood_limits_are_counted_across_replicas(
        links: tuple[RedisLink, RedisLink]) -> None:
    gates = [SharedFloodGate(FloodGate(3, 30), link) for link in links]
    user = new_chat()
    verdicts = [await gates[i % 2].check(user) for i in range(5)]
    assert verdicts == ["pass", "pass", "pass", "warn", "drop"]
    assert await gates[0].check(new_chat()) == "pass"  # other users are not affected


async def test_without_redis_order_and_flood_limits_stay_in_process(
        caplog: pytest.LogCaptureFixture) -> None:
    now = [0.0]
    link = RedisLink(f"redis://127.0.0.1:{free_port()}/0", retry_after=30,
                     clock=lambda: now[0])
    order, gate = ChatOrder(link), SharedFloodGate(FloodGate(2, 30), link)
    chat = new_chat()
    inside, most = 0, 0

    async def work() -> None:
        nonlocal inside, most
        async with order.turn(chat):
            inside += 1
            most = max(most, inside)
            await asyncio.sleep(0.01)
            inside -= 1

    with caplog.at_level(logging.WARNING, logger="bot.coordination"):
        await asyncio.gather(*(work() for _ in range(5)))
        assert [await gate.check(chat) for _ in range(4)] == ["pass", "pass", "warn", "drop"]
    assert most == 1
    warnings = [r for r in caplog.records if "unreachable" in r.getMessage()]
    assert len(warnings) == 1  # one warning per outage, not one per update
    assert not link.usable()
    now[0] += 31
    assert link.usable()  # Redis is tried again after retry_after
    await link.close()
