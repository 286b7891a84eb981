"""Per-chat order and flood limits shared by replicas through Redis, and the in-process
fallback while Redis cannot be reached. Two ``RedisLink``s stand for two replicas."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import AsyncIterator

import pytest

from bot.coordination import ChatOrder, RedisLink, SharedFloodGate
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
