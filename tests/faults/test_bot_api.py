"""The Bot API failing on the replies to a help request: 429 with retry_after, a 5xx, and a
time-out (the server answers after the client gave up, so the message did arrive). The user
gets the hotline reply, and the help request is one case with one staff card, not two."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from aiohttp import web

import tests.e2e.test_telegram as telegram_harness
from bot.store.models import Case, OutboxMessage
from tests.conftest import LiveBot
from tests.e2e.fake_bot_api import FakeBotApi
from tests.e2e.test_cases import CaseHarness

pytestmark = pytest.mark.rasa
HELP = "tolong saya, paspor saya ditahan"
HOTLINE = "+62 812 9007 0027"
CLIENT_READ_TIMEOUT = 5.0  # python-telegram-bot's default


@dataclass
class SlowBotApi(FakeBotApi):
    """A fake Bot API that can also be slow: the call is carried out at once but answered
    late, after the client gave up (the worst case: the message did reach the user)."""

    delays: dict[str, list[float]] = field(default_factory=dict)

    def delay_next(self, method: str, seconds: float) -> None:
        self.delays.setdefault(method, []).append(seconds)

    async def _handle(self, request: web.Request) -> web.Response:
        pending = self.delays.get(request.match_info["method"])
        response = await super()._handle(request)
        if pending:
            await asyncio.sleep(pending.pop(0))
        return response

    def delivered_to(self, chat_id: int) -> list[str]:
        """Texts the user really received (refused calls have no result)."""
        return [str(c.params["text"]) for c in self.sent_to(chat_id) if c.result]


@pytest.fixture(scope="module")
def desk(live_bot: LiveBot) -> Iterator[CaseHarness]:
    original = telegram_harness.FakeBotApi
    telegram_harness.FakeBotApi = SlowBotApi  # type: ignore[misc]
    try:
        harness = CaseHarness(live_bot)
    finally:
        telegram_harness.FakeBotApi = original  # type: ignore[misc]
    yield harness
    harness.close()


FAULTS = {
    "429": lambda api: api.rate_limit_next("sendMessage", 2),
    "500": lambda api: api.fail_next("sendMessage", 500, {
        "ok": False, "error_code": 500, "description": "Internal Server Error"}),
    "timeout": lambda api: api.delay_next("sendMessage", CLIENT_READ_TIMEOUT + 1.5),
}


@pytest.mark.parametrize("fault", sorted(FAULTS))
def test_help_request_replies_survive_bot_api_faults(desk: CaseHarness, live_bot: LiveBot,
                                                     fault: str) -> None:
    api: Any = desk.api
    worker = next(telegram_harness._users)
    FAULTS[fault](api)
    live_bot.run(api.push(api.message_update(worker, HELP, "id")))
    # The three replies: hotlines, the case reference, the first question.
    live_bot.run(api.wait_for(lambda: len(set(api.delivered_to(worker))) >= 3, 60), 70)
    if fault == "timeout":  # the late original lands too: the user sees that reply twice
        live_bot.run(api.wait_for(lambda: len(api.delivered_to(worker)) >= 4, 60), 70)
    delivered = api.delivered_to(worker)
    assert HOTLINE in delivered[0]
    duplicates = len(delivered) - len(set(delivered))
    assert duplicates == (1 if fault == "timeout" else 0), delivered
    with live_bot.runtime.database.session() as session:
        cases = session.query(Case).filter_by(sender_id=f"tg-{worker}").all()
        assert len(cases) == 1
        cards = session.query(OutboxMessage).filter_by(case_id=cases[0].id, kind="card").count()
        assert cards == 1
