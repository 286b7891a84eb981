"""End-to-end latency and throughput per message, through a fake Bot API over HTTP, the real
Application and the real Rasa server; peak memory of the app and of Rasa.

    .venv/bin/python -m bench.latency --messages 300 --rate 10

Workload (mixed, each message from a new user so Telegram's 1-message-per-second-per-chat
pacing does not queue them): greetings in the 8 languages, long pasted job ads, help requests.
Latency: from the update being queued at the fake Bot API to the bot's first reply reaching it.
Throughput: the same workload pushed all at once with outgoing pacing off (pacing holds a bot to
Telegram's 30 messages per second by design).
CPU per message, for each phase: CPU seconds used by this process (the app, the fake Bot API and
the load generator, all threads) and by the Rasa process, divided by the messages. Unlike
messages per second, CPU time hardly changes when other programs load the machine, so it is the
figure to compare two versions with on a shared machine.
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import resource
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bench.cpu_share import cpu_seconds
from bench.startup import machine
from bot.runtime import Runtime
from bot.settings import Settings
from bot.telegram.app import build_application
from tests.conftest import free_port
from tests.e2e.fake_bot_api import FakeBotApi

WORKLOAD = [
    ("en", "hello"), ("id", "halo kak"), ("tl", "kumusta po"), ("vi", "xin chào"),
    ("my", "မင်္ဂလာပါ"), ("km", "សួស្តីបង"), ("th", "สวัสดีครับ"), ("lo", "ສະບາຍດີ"),
    ("id", "Dicari CS untuk Kamboja, gaji 15 juta/bulan, tiket pesawat ditanggung, tanpa "
           "pengalaman, visa turis dulu nanti diurus, berangkat minggu ini, hubungi telegram "
           "@hr_cs88 atau wa +855 12 345 678. Syarat: usia 18-35, bisa mengetik cepat, "
           "bahasa Inggris dasar. Mess dan makan gratis, bonus besar tiap bulan." * 2),
    ("en", "URGENT customer service job in Cambodia, 1500 USD per month, free flight and "
           "visa, no experience needed, contact @jobs_kh1 on Telegram. Leave this week." * 2),
    ("id", "tolong saya, paspor saya ditahan, gak bisa keluar"),
    ("en", "please help me I am trapped in KK Park"),
]


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))]


def rss_peak_mb(pid: int | None = None) -> float:
    if pid is None:
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def run(messages: int, rate: float, work: Path) -> None:
    settings = replace(Settings.from_env({"JAGA_VAR_DIR": str(work)}), app_port=free_port(),
                       rasa_port=free_port(), flood_max_messages=10**6)
    runtime = Runtime(settings)
    await runtime.start()
    rasa_pid = str(runtime.rasa_server.process.pid) if runtime.rasa_server and \
        runtime.rasa_server.process else None

    def cpu() -> tuple[float, float]:
        """CPU seconds so far: this process, and the Rasa process (nan when not ours)."""
        return cpu_seconds("self"), cpu_seconds(rasa_pid) if rasa_pid else float("nan")
    users = itertools.count(3_000_000)
    try:
        for pace in (True, False):
            # A fresh fake Bot API per round: a long poll cut by the previous round's stop
            # would otherwise swallow an update.
            api = FakeBotApi()
            await api.start()
            app_settings = replace(settings, telegram_bot_token="1:bench",
                                   telegram_api_base_url=api.base_url)
            application, _ = build_application(app_settings, runtime.conversation,
                                               runtime.renderer, runtime.database, pace=pace)
            await application.initialize()
            await application.start()
            assert application.updater is not None
            await application.updater.start_polling(poll_interval=0.0, timeout=1)
            chats: list[tuple[int, float]] = []
            cpu_before = cpu()
            started = time.monotonic()
            for index in range(messages):
                language, text = WORKLOAD[index % len(WORKLOAD)]
                chat = next(users)
                await api.push(api.message_update(chat, text, language))
                chats.append((chat, time.monotonic()))
                if pace:
                    await asyncio.sleep(1 / rate)
            waiting = {c for c, _ in chats}
            await api.wait_for(lambda w=waiting, a=api: w <= a.replied,
                               timeout=600)
            elapsed = time.monotonic() - started
            (app_after, rasa_after), (app_before, rasa_before) = cpu(), cpu_before
            app_cpu, rasa_cpu = app_after - app_before, rasa_after - rasa_before
            if pace:
                first_reply: dict[int, float] = {}
                for call in api.calls:  # recorded in order of arrival
                    if call.method == "sendMessage":
                        first_reply.setdefault(int(call.params["chat_id"]), call.at)
                latencies = [(first_reply[c] - t) * 1000 for c, t in chats]
                print(f"latency ({messages} messages at {rate}/s, paced like production): "
                      f"p50 {percentile(latencies, 0.5):.0f} ms, "
                      f"p95 {percentile(latencies, 0.95):.0f} ms, "
                      f"p99 {percentile(latencies, 0.99):.0f} ms")
            else:
                print(f"throughput (pacing off, {messages} messages pushed at once): "
                      f"{messages / elapsed:.1f} messages/s")
            print(f"  CPU per message ({'paced' if pace else 'pushed at once'}): "
                  f"app {app_cpu / messages * 1000:.1f} ms, "
                  f"Rasa {rasa_cpu / messages * 1000:.1f} ms")
            await application.updater.stop()
            await application.stop()
            await application.shutdown()
            await api.stop()
        print(f"peak memory: app {rss_peak_mb():.0f} MB, "
              f"Rasa {rss_peak_mb(int(rasa_pid)) if rasa_pid else float('nan'):.0f} MB")
    finally:
        await runtime.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=300)
    parser.add_argument("--rate", type=float, default=10.0)
    args = parser.parse_args()
    print(machine())
    with tempfile.TemporaryDirectory() as tmp:
        asyncio.run(run(args.messages, args.rate, Path(tmp)))


if __name__ == "__main__":
    main()
