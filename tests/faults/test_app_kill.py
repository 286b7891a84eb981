"""The app process killed (SIGKILL) during a help request, after the case is committed and
before the staff chat has the card (the Bot API refuses it until then). `jaga run` runs as a
subprocess against the fake Bot API; after the restart the card reaches the staff chat exactly
once, the case is intact, and the worker is served again."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest
from aiohttp import web

from bot.cases import CaseService, load_key
from bot.settings import PROJECT_ROOT
from bot.store.database import Database
from bot.store.models import Case, OutboxMessage
from tests.conftest import free_port, reachable
from tests.e2e.fake_bot_api import Call, FakeBotApi

pytestmark = pytest.mark.rasa
T = TypeVar("T")
TOKEN = "123456:KILL-test"
STAFF_CHAT = -100_400_400
WORKER = 730_000_001
HELP = "tolong saya, paspor saya ditahan"


@dataclass
class RefusingBotApi(FakeBotApi):
    """Answers 500 to every message for the staff chat while ``refusing`` is set."""

    refusing: bool = True

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request) if request.can_read_body else {}
        call = Call(method, params)
        if self.refusing and method == "sendMessage" and \
                int(params.get("chat_id", 0)) == STAFF_CHAT:
            await self._record(call)
            return web.json_response({"ok": False, "error_code": 500,
                                      "description": "Internal Server Error"}, status=500)
        call.result = await self._result(method, params)
        await self._record(call)
        return web.json_response({"ok": True, "result": call.result})

    def staff_cards(self, delivered: bool) -> list[Any]:
        return [c for c in self.sent_to(STAFF_CHAT) if bool(c.result) == delivered]


class Loop:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 60) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def close(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(timeout=10)


@pytest.fixture
def api() -> Iterator[tuple[Loop, RefusingBotApi]]:
    loop, fake = Loop(), RefusingBotApi()
    loop.run(fake.start())
    yield loop, fake
    loop.run(fake.stop())
    loop.close()


def start_app(env: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-m", "bot", "run"], cwd=PROJECT_ROOT,
                                env=env, stdout=out, stderr=subprocess.STDOUT)


def card_row(database: Database, case_id: int) -> OutboxMessage:
    with database.session() as session:
        return session.query(OutboxMessage).filter_by(case_id=case_id, kind="card").one()


def test_app_killed_between_the_case_and_the_staff_card(api: tuple[Loop, RefusingBotApi],
                                                        tmp_path: Path) -> None:
    loop, fake = api
    rasa_port = free_port()
    env = {**os.environ, "PYTHONPATH": str(PROJECT_ROOT), "JAGA_VAR_DIR": str(tmp_path),
           "TELEGRAM_BOT_TOKEN": TOKEN, "TELEGRAM_API_BASE_URL": fake.base_url,
           "STAFF_CHAT_ID": str(STAFF_CHAT), "APP_PORT": str(free_port()),
           "RASA_PORT": str(rasa_port), "MODEL_DIR": str(PROJECT_ROOT / "models")}
    env.pop("RASA_URL", None)
    log = tmp_path / "app.out"
    app = start_app(env, log)
    try:
        loop.run(fake.wait_for(lambda: any(c.method == "setMyCommands" for c in fake.calls),
                               600), 610)
        loop.run(fake.push(fake.message_update(WORKER, HELP, "id")))
        # The worker has the hotlines; the case is committed; its card was refused once.
        loop.run(fake.wait_for(lambda: fake.staff_cards(delivered=False)
                               and any("+62 812 9007 0027" in str(c.params["text"])
                                       for c in fake.sent_to(WORKER)), 120), 130)
        app.send_signal(signal.SIGKILL)
        app.wait(30)
        assert fake.staff_cards(delivered=True) == []
        deadline = time.monotonic() + 60
        while reachable("127.0.0.1", rasa_port):  # its Rasa goes with it, freeing the port
            assert time.monotonic() < deadline, "Rasa outlived the killed app"
            time.sleep(0.2)

        fake.refusing = False
        app = start_app(env, log)  # its Rasa gets the same port: the old one died with the app
        loop.run(fake.wait_for(lambda: fake.staff_cards(delivered=True), 300), 310)
        database = Database(f"sqlite:///{tmp_path / 'jaga.db'}")
        cases = CaseService(database, load_key("", tmp_path), STAFF_CHAT)
        case = loop.run(cases.open_case(f"tg-{WORKER}"))
        assert case is not None and case.details["words"] == HELP
        deadline = time.monotonic() + 60
        while card_row(database, case.id).sent_at is None:  # marked right after the send
            assert time.monotonic() < deadline, "the delivered card was never marked sent"
            time.sleep(0.2)
        with database.session() as session:
            assert session.query(Case).count() == 1
        case = loop.run(cases.open_case(f"tg-{WORKER}"))
        assert case is not None
        assert case.card_message_id == fake.staff_cards(delivered=True)[0].result["message_id"]
        assert len(fake.staff_cards(delivered=True)) == 1
        assert case.reference in str(fake.staff_cards(delivered=True)[0].params["text"])

        before = len(fake.sent_to(WORKER))
        loop.run(fake.push(fake.message_update(WORKER, "hello", "en")))
        loop.run(fake.wait_for(lambda: len(fake.sent_to(WORKER)) > before, 60), 70)
        database.dispose()
    finally:
        app.send_signal(signal.SIGTERM)
        try:
            app.wait(60)
        except subprocess.TimeoutExpired:
            app.kill()
