"""Throughput of N app replicas and M Rasa servers (processes) on PostgreSQL and Redis,
through the replicas' Telegram webhooks and a fake Bot API, with bench.latency's workload.

    .venv/bin/python -m bench.replicas --apps 2 --rasas 2 --messages 300

Each message comes from a new user (no per-chat queueing); updates are spread round-robin
over the replicas' webhooks and pushed at once. Throughput: messages / time until every user
got a reply. Outgoing pacing stays on (30 messages per second per replica, as in production).
Needs PostgreSQL and Redis on 127.0.0.1 (a fresh database is created and dropped).
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

import httpx

from bench.latency import WORKLOAD
from bench.startup import machine
from tests.conftest import REDIS_URL, fresh_postgres_database
from tests.scale.cluster import Cluster


async def run(apps: int, rasas: int, messages: int, work: Path, database_url: str) -> None:
    cluster = Cluster(work, database_url, REDIS_URL, apps=apps, rasas=rasas,
                      env={"FLOOD_MAX_MESSAGES": "1000000", "LOG_LEVEL": "WARNING"})
    await cluster.start()
    try:
        api = cluster.api
        users = list(range(5_000_000, 5_000_000 + messages))
        started = time.monotonic()
        async with httpx.AsyncClient(timeout=60,
                                     limits=httpx.Limits(max_connections=64)) as http:
            await asyncio.gather(*(
                cluster.post(index % apps, api.message_update(
                    user, WORKLOAD[index % len(WORKLOAD)][1],
                    WORKLOAD[index % len(WORKLOAD)][0]), http)
                for index, user in enumerate(users)))
        waiting = set(users)
        await api.wait_for(lambda: waiting <= api.replied, timeout=900)
        elapsed = time.monotonic() - started
        print(f"{apps} app replica(s), {rasas} Rasa server(s): {messages} messages in "
              f"{elapsed:.1f} s = {messages / elapsed:.1f} messages/s")
    finally:
        await cluster.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--apps", type=int, default=2)
    parser.add_argument("--rasas", type=int, default=2)
    parser.add_argument("--messages", type=int, default=300)
    args = parser.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as tmp, fresh_postgres_database() as database_url:
        asyncio.run(run(args.apps, args.rasas, args.messages, Path(tmp), database_url))


if __name__ == "__main__":
    main()
