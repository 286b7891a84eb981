"""bot/dialogue/server.py: a Rasa process that dies is restarted with backoff, and a Rasa
process never outlives the app that started it."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

from bot.dialogue.server import RasaServer
from bot.settings import Settings

SLEEPER = [sys.executable, "-c", "import time; time.sleep(120)"]


class SleepingServer(RasaServer):
    """A stand-in child process: the supervisor only sees a process that lives or dies."""

    RESTART_BACKOFF = (0.05, 0.2)

    def command(self) -> list[str]:
        return SLEEPER


def server(tmp_path: Path) -> SleepingServer:
    settings = replace(Settings.from_env({"JAGA_VAR_DIR": str(tmp_path)}))
    tmp_path.mkdir(parents=True, exist_ok=True)
    return SleepingServer(settings, tmp_path)


def test_a_killed_server_is_restarted_each_time(tmp_path: Path) -> None:
    rasa = server(tmp_path)

    async def main() -> list[int]:
        stop = asyncio.Event()
        rasa.launch()
        supervisor = asyncio.create_task(rasa.supervise(stop, interval=0.02))
        pids = []
        for _ in range(3):
            assert rasa.process is not None
            pids.append(rasa.process.pid)
            os.kill(rasa.process.pid, signal.SIGKILL)
            while not rasa.alive() or rasa.process.pid == pids[-1]:
                await asyncio.sleep(0.02)
        stop.set()
        await supervisor
        return pids

    try:
        pids = asyncio.run(main())
        assert rasa.restarts == 3 and rasa.alive() and len({*pids, rasa.process.pid}) == 4
    finally:
        rasa.stop()
    assert not rasa.alive()


def test_a_stopped_supervisor_restarts_nothing(tmp_path: Path) -> None:
    rasa = server(tmp_path)

    async def main() -> None:
        stop = asyncio.Event()
        rasa.launch()
        assert rasa.process is not None
        rasa.process.kill()
        rasa.process.wait()
        stop.set()
        await rasa.supervise(stop, interval=0.02)

    asyncio.run(main())
    assert rasa.restarts == 0 and not rasa.alive()


PARENT = """
import sys
from dataclasses import replace
from pathlib import Path
from bot.settings import Settings
from tests.unit.test_rasa_supervisor import SleepingServer
tmp = Path(sys.argv[1])
rasa = SleepingServer(Settings.from_env({"JAGA_VAR_DIR": str(tmp)}), tmp)
rasa.launch()
print(rasa.process.pid, flush=True)
sys.stdin.read()
"""


def test_the_server_dies_with_an_app_killed_by_sigkill(tmp_path: Path) -> None:
    app = subprocess.Popen([sys.executable, "-c", PARENT, str(tmp_path)], stdin=subprocess.PIPE,
                           stdout=subprocess.PIPE, env={**os.environ})
    assert app.stdout is not None
    child = int(app.stdout.readline())
    os.kill(child, 0)  # the child runs
    app.kill()
    app.wait()
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            os.kill(child, 0)
        except ProcessLookupError:
            break
        # A zombie is gone too: it is reaped by init, but may linger as <defunct>.
        status = Path(f"/proc/{child}/status")
        if status.exists() and "zombie" in status.read_text():
            break
        time.sleep(0.05)
    else:
        os.kill(child, signal.SIGKILL)
        raise AssertionError("the Rasa process outlived the app")
