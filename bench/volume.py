"""Memory under volume: rounds of thousands of distinct users, one message each, through the
real Application (handlers, flood gate, per-chat locks, Conversation, SQLite), with Rasa and
the Bot API faked in-process (tests/inprocess.py), so only the app's own memory is measured.

    .venv/bin/python -m bench.volume --users 3000 --rounds 4

Between rounds the flood window passes (a controllable clock), as it would in real time.
Prints, per round: RSS, Python heap in use (tracemalloc), the flood gate's and the per-chat
locks' sizes, and the stored message-id rows (kept 48 hours by design, then pruned). Growth
from round 2 on is what does not go away.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import tempfile
import time
import tracemalloc
from pathlib import Path

from bench.startup import machine
from bot.store.models import SentMessage
from tests.inprocess import build, feed, message_update


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def run(users: int, rounds: int, work: Path) -> None:
    bot = build(work)
    clock = Clock()
    bot.front.gate.local.clock = clock
    window = bot.front.settings.flood_window_seconds
    tracemalloc.start()
    update_id = 0
    async with bot.application:
        for round_ in range(1, rounds + 1):
            base = round_ * 10_000_000
            updates = []
            for index in range(users):
                update_id += 1
                updates.append(message_update(update_id, base + index, "halo kak", "id"))
            started = time.perf_counter()
            await feed(bot, updates)
            elapsed = time.perf_counter() - started
            clock.now += window + 1
            await feed(bot, [message_update(update_id + 1, 1, "hello")])  # sweeps the gate
            update_id += 1
            answered = len({str(params.get("chat_id")) for _, params in bot.telegram.calls})
            # The fakes' own records are not the app's memory: checked, then dropped.
            bot.telegram.calls.clear()
            bot.rasa.received.clear()
            gc.collect()
            with bot.database.session() as session:
                rows = session.query(SentMessage).count()
            heap = tracemalloc.get_traced_memory()[0] / 2**20
            print(f"round {round_}: {users} new users ({answered - 1} answered) in {elapsed:.1f} s "
                  f"({users / elapsed:.0f} updates/s), RSS {rss_mb():.1f} MB, "
                  f"Python heap {heap:.1f} MB, flood gate {len(bot.front.gate.local)} users, "
                  f"chat locks {len(bot.front.order.local)}, stored message ids {rows}, "
                  f"errors {len(bot.errors)}")
    bot.database.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=4)
    args = parser.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(args.users, args.rounds, Path(tmp)))


if __name__ == "__main__":
    main()
