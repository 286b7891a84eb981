"""A production-shaped deployment on one machine, for tests and benchmarks: N app replicas
(``jaga run --webhook`` processes) and M Rasa servers (``rasa run`` processes from .venv-rasa)
on one PostgreSQL database and one Redis, talking to a fake Bot API in this process.

Rasa server ``i`` sends its action and NLG calls to app replica ``i % N``; every replica knows
every Rasa server (``RASA_URL`` lists them all).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import httpx
import yaml
from cryptography.fernet import Fernet
from sqlalchemy import create_engine, inspect

from bot.dialogue.server import endpoints_config, rasa_environment, rasa_run_command, train
from bot.settings import PROJECT_ROOT, Settings
from tests.conftest import free_port
from tests.e2e.fake_bot_api import FakeBotApi

TOKEN = "424242:replicas"
SECRET = "replica-secret_1"
STAFF_CHAT = -100_777_000


@dataclass
class Process:
    name: str
    port: int
    popen: subprocess.Popen[bytes]
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        """Stops this process (SIGTERM, then SIGKILL after 20 s)."""
        if self.popen.poll() is not None:
            return
        self.popen.terminate()
        try:
            self.popen.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(timeout=10)


@dataclass
class Cluster:
    """Start with ``await cluster.start()``, stop with ``await cluster.stop()``."""

    work: Path
    database_url: str
    redis_url: str
    apps: int = 2
    rasas: int = 2
    env: dict[str, str] = field(default_factory=dict)
    api: FakeBotApi = field(default_factory=FakeBotApi)
    app_processes: list[Process] = field(default_factory=list)
    rasa_processes: list[Process] = field(default_factory=list)
    case_key: str = field(default_factory=lambda: Fernet.generate_key().decode())

    async def start(self, timeout: float = 300) -> None:
        """Trains (or reuses) the model, starts Rasa servers and replicas, waits for all."""
        await self.api.start()
        settings = replace(Settings.from_env({"JAGA_VAR_DIR": str(self.work)}),
                           model_dir=PROJECT_ROOT / "models")
        model = await asyncio.to_thread(train, settings)
        app_ports = [free_port() for _ in range(self.apps)]
        rasa_ports = [free_port() for _ in range(self.rasas)]
        deadline = time.monotonic() + timeout
        for index, port in enumerate(rasa_ports):
            self.rasa_processes.append(self._start_rasa(settings, model, index, port,
                                                        app_ports[index % self.apps]))
            if index == 0:  # the first one creates the tracker tables; no race on them
                await self._wait(lambda: self._has_events_table(), deadline, "tracker table")
        rasa_urls = ",".join(p.url for p in self.rasa_processes)
        # The replicas start together: they migrate the empty database one after the other.
        for index, port in enumerate(app_ports):
            self.app_processes.append(self._start_app(index, port, rasa_urls))
        for process in self.rasa_processes:
            await self._wait(lambda p=process: self._healthy(p, "/status"), deadline,
                             process.name)
        for process in self.app_processes:
            await self._wait(lambda p=process: self._healthy(p, "/healthz"), deadline,
                             process.name)
        await self._wait(self._webhooks_set, deadline, "setWebhook from every replica")

    def _start_rasa(self, settings: Settings, model: Path, index: int, port: int,
                    app_port: int) -> Process:
        app = f"http://127.0.0.1:{app_port}"
        endpoints = endpoints_config(app, self.database_url, self.redis_url)
        path = self.work / f"rasa-{index}-endpoints.yml"
        path.write_text(yaml.safe_dump(endpoints), encoding="utf-8")
        log = self.work / f"rasa-{index}.log"
        command = rasa_run_command(settings, model, port, path)
        with log.open("ab") as out:
            popen = subprocess.Popen(command, cwd=PROJECT_ROOT, stdout=out,
                                     stderr=subprocess.STDOUT, env=rasa_environment(),
                                     start_new_session=True)
        return Process(f"rasa-{index}", port, popen, log)

    def _start_app(self, index: int, port: int, rasa_urls: str) -> Process:
        var = self.work / f"app-{index}"
        env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT),
               "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": self.api.base_url,
               "TELEGRAM_WEBHOOK_URL": "https://example.invalid/telegram",
               "TELEGRAM_WEBHOOK_SECRET": SECRET, "DATABASE_URL": self.database_url,
               "TRACKER_DATABASE_URL": self.database_url, "RASA_URL": rasa_urls,
               "REDIS_URL": self.redis_url, "LOCK_STORE_URL": self.redis_url,
               "APP_HOST": "127.0.0.1", "APP_PORT": str(port), "JAGA_VAR_DIR": str(var),
               "CASE_ENCRYPTION_KEY": self.case_key, "STAFF_CHAT_ID": str(STAFF_CHAT),
               "LOG_LEVEL": "INFO", **self.env}
        log = self.work / f"app-{index}.log"
        with log.open("ab") as out:
            popen = subprocess.Popen([sys.executable, "-m", "bot", "run", "--webhook"],
                                     cwd=PROJECT_ROOT, stdout=out, stderr=subprocess.STDOUT,
                                     env=env, start_new_session=True)
        return Process(f"app-{index}", port, popen, log)

    async def _wait(self, ready: Any, deadline: float, what: str) -> None:
        while time.monotonic() < deadline:
            if await ready():
                return
            dead = [p for p in self.rasa_processes + self.app_processes
                    if p.popen.poll() is not None]
            if dead:
                raise RuntimeError(f"{dead[0].name} exited while waiting for {what}; "
                                   f"see {dead[0].log}")
            await asyncio.sleep(0.3)
        raise TimeoutError(f"{what} not ready in time")

    async def _has_events_table(self) -> bool:
        def check() -> bool:
            engine = create_engine(self.database_url.replace(
                "postgresql://", "postgresql+psycopg://"))
            try:
                return inspect(engine).has_table("events")
            finally:
                engine.dispose()
        return await asyncio.to_thread(check)

    @staticmethod
    async def _healthy(process: Process, path: str) -> bool:
        try:
            async with httpx.AsyncClient(timeout=5) as http:
                return (await http.get(process.url + path)).status_code == 200
        except httpx.HTTPError:
            return False

    async def _webhooks_set(self) -> bool:
        return sum(c.method == "setWebhook" for c in self.api.calls) >= self.apps

    async def post(self, replica: int, update: dict[str, Any],
                   http: httpx.AsyncClient) -> None:
        """Delivers ``update`` to a replica's webhook as Telegram does (200 = accepted)."""
        response = await http.post(f"{self.app_processes[replica].url}/telegram", json=update,
                                   headers={"X-Telegram-Bot-Api-Secret-Token": SECRET})
        response.raise_for_status()

    def log_tails(self, lines: int = 30) -> str:
        """The end of every process's log, for a failure message."""
        parts = []
        for process in self.app_processes + self.rasa_processes:
            text = process.log.read_text(encoding="utf-8", errors="replace").splitlines()
            parts.append(f"== {process.name}\n" + "\n".join(
                line for line in text if "aiohttp.access" not in line)[-lines * 200:])
        return "\n".join(parts)

    async def stop(self) -> None:
        for process in self.app_processes + self.rasa_processes:
            await asyncio.to_thread(process.stop)
        with contextlib.suppress(Exception):
            await self.api.stop()

