"""Per-second CPU share of the bench process and of the Rasa process, read from /proc.

    .venv/bin/python -m bench.cpu_share > cpu.log &   # then, in the same shell:
    .venv/bin/python -m bench.latency --messages 240 --rate 10; kill %1

Each line: time, ``app:<percent of one core>`` (the bench.latency process: app, fake Bot API
and load generator) and ``rasa:<percent>``. During bench.latency's paced phase (the first
~25 s of sending, 10 messages/s) a share of N % means N ms of CPU per message.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

TICKS = os.sysconf("SC_CLK_TCK")


def processes() -> dict[str, str]:
    """pid -> "app" or "rasa" for the processes of a running benchmark."""
    found = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if "-m bench.latency" in command:
            found[entry.name] = "app"
        elif "rasa_ext.launch" in command or "bin/rasa run" in command:
            found[entry.name] = "rasa"
    return found


def cpu_seconds(pid: str) -> float:
    fields = (Path("/proc") / pid / "stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICKS


def main() -> None:
    previous: dict[str, float] = {}
    while True:
        shares = []
        for pid, name in processes().items():
            try:
                seconds = cpu_seconds(pid)
            except OSError:
                continue
            if pid in previous:
                shares.append(f"{name}:{(seconds - previous[pid]) * 100:.0f}%")
            previous[pid] = seconds
        print(time.strftime("%H:%M:%S"), " ".join(sorted(shares)), flush=True)
        time.sleep(1)


if __name__ == "__main__":
    main()
