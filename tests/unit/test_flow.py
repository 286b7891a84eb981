"""bot/telegram/flow.py: the flood gate answers a burst once, and neither it nor the per-chat
locks keep an entry for every user ever seen; OrderedUpdates bounds the turns at work, and a
turn waiting on OCR lends its place out."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from telegram import Chat, Message, Update

from bot.coordination import ChatOrder
from bot.telegram.app import OrderedUpdates, place_set_aside
from bot.telegram.flow import ChatLocks, FloodGate


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_a_burst_gets_one_warning_then_silence_then_service_again() -> None:
    clock = Clock()
    gate = FloodGate(limit=3, window=10, clock=clock)
    verdicts = [gate.check(7) for _ in range(6)]
    assert verdicts == ["pass", "pass", "pass", "warn", "drop", "drop"]
    assert gate.check(8) == "pass"  # another user is not slowed down by the flood
    clock.now += 11
    assert gate.check(7) == "pass"


def test_the_gate_forgets_idle_users_without_being_asked() -> None:
    clock = Clock()
    gate = FloodGate(limit=8, window=10, clock=clock)
    for user in range(30_000):  # 30,000 distinct users, 100 per second, one message each
        clock.now += 0.01
        gate.check(user)
        assert len(gate) <= 2 * 10 * 100 + 1
        assert len(gate._warned) <= len(gate)


def test_the_gate_keeps_a_flooding_user_while_the_burst_lasts() -> None:
    clock = Clock()
    gate = FloodGate(limit=2, window=10, clock=clock)
    for _ in range(3):
        gate.check(1)
    for user in range(2, 50):
        clock.now += 0.1
        gate.check(user)
    assert gate.check(1) == "drop"  # the sweep did not reset the flooding user's window


def test_chat_locks_are_forgotten_when_nobody_holds_or_waits() -> None:
    locks = ChatLocks()
    order: list[tuple[int, int]] = []

    async def turn(chat: int, index: int) -> None:
        async with locks.lock(chat):
            await asyncio.sleep(0)
            order.append((chat, index))

    async def main() -> None:
        await asyncio.gather(*(turn(chat, i) for i in range(5) for chat in range(3000)))

    asyncio.run(main())
    assert len(locks) == 0 and locks._users == {}
    for chat in (0, 1234, 2999):
        assert [i for c, i in order if c == chat] == list(range(5))


def chat_update(update_id: int, chat_id: int) -> Update:
    chat = Chat(chat_id, "private")
    message = Message(update_id, datetime.now(UTC), chat, text="hi")
    return Update(update_id, message=message)


def test_few_turns_work_at_once_and_a_flooding_chat_holds_one_place() -> None:
    async def scenario() -> tuple[int, list[int]]:
        updates = OrderedUpdates(ChatOrder(None), max_running=2)
        running, most, done = 0, 0, []
        release = asyncio.Event()

        async def work(chat_id: int) -> None:
            nonlocal running, most
            running += 1
            most = max(most, running)
            if chat_id == 1:
                await release.wait()  # the flooding chat's first update is slow
            await asyncio.sleep(0)
            running -= 1
            done.append(chat_id)

        flood = [asyncio.create_task(updates.do_process_update(chat_update(i, 1), work(1)))
                 for i in range(1, 6)]
        others = [asyncio.create_task(updates.do_process_update(chat_update(10 + i, 2 + i),
                                                                work(2 + i)))
                  for i in range(4)]
        await asyncio.wait_for(asyncio.gather(*others), timeout=5)  # served meanwhile
        served_first = list(done)
        release.set()
        await asyncio.gather(*flood)
        return most, served_first

    most, served_first = asyncio.run(scenario())
    assert most == 2  # never more turns at work than places
    assert served_first == [2, 3, 4, 5]  # chat 1's five updates held one place, not all


def test_a_turn_waiting_on_ocr_lends_its_place_to_other_chats() -> None:
    async def scenario() -> tuple[list[str], int, int]:
        updates = OrderedUpdates(ChatOrder(None), max_running=1)
        done: list[str] = []
        at_work, most = 0, 0
        reading = asyncio.Event()

        async def photo() -> None:
            nonlocal at_work, most
            at_work += 1
            most = max(most, at_work)
            at_work -= 1
            async with place_set_aside():  # Tesseract runs here, in its own process
                await reading.wait()
            at_work += 1
            most = max(most, at_work)
            await asyncio.sleep(0)
            at_work -= 1
            done.append("photo")

        async def text(name: str) -> None:
            nonlocal at_work, most
            at_work += 1
            most = max(most, at_work)
            await asyncio.sleep(0)
            at_work -= 1
            done.append(name)

        first = asyncio.create_task(updates.do_process_update(chat_update(1, 1), photo()))
        await asyncio.sleep(0)
        texts = [asyncio.create_task(updates.do_process_update(chat_update(2 + i, 2 + i),
                                                               text(f"text{i}")))
                 for i in range(3)]
        await asyncio.wait_for(asyncio.gather(*texts), timeout=5)  # served while reading
        reading.set()
        await asyncio.wait_for(first, timeout=5)
        return done, most, updates.running._value

    done, most, free = asyncio.run(scenario())
    assert done == ["text0", "text1", "text2", "photo"]
    assert most == 1  # the place was lent, never doubled
    assert free == 1  # and every place came back


def test_setting_a_place_aside_outside_a_turn_changes_nothing() -> None:
    async def scenario() -> bool:
        async with place_set_aside():
            return True

    assert asyncio.run(scenario())


def test_a_turn_cancelled_while_waiting_for_its_place_again_leaks_no_place() -> None:
    async def scenario() -> int:
        updates = OrderedUpdates(ChatOrder(None), max_running=1)
        blocker_may_end = asyncio.Event()

        async def lends_then_waits() -> None:
            async with place_set_aside():
                await asyncio.sleep(0.01)  # meanwhile the other chat takes the only place

        async def blocker() -> None:
            await blocker_may_end.wait()

        lending = asyncio.create_task(updates.do_process_update(chat_update(1, 1),
                                                                lends_then_waits()))
        await asyncio.sleep(0)
        blocking = asyncio.create_task(updates.do_process_update(chat_update(2, 2), blocker()))
        await asyncio.sleep(0.05)  # the lender now waits for its place again
        lending.cancel()
        await asyncio.gather(lending, return_exceptions=True)
        blocker_may_end.set()
        await blocking
        return updates.running._value

    assert asyncio.run(scenario()) == 1
