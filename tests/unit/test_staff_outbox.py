"""The staff outbox against Telegram's failures: 429 waits retry_after, a time-out that may
have delivered the message is resent labelled as a possible repeat, a failure that cannot have
delivered it is resent as it was, and nothing is sent again once Telegram accepted it."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import httpx
import pytest
from cryptography.fernet import Fernet
from telegram.error import BadRequest, NetworkError, RetryAfter, TimedOut

from bot.cases import CaseService
from bot.i18n.responses import Renderer
from bot.settings import Settings
from bot.store.database import Database
from bot.store.models import utcnow
from bot.telegram.staff import StaffDesk, maybe_delivered

STAFF_CHAT = -100_555


def raised(exc: Exception, cause: BaseException | None = None) -> Exception:
    """``exc`` as python-telegram-bot raises it (``raise exc from cause``)."""
    try:
        raise exc from cause
    except Exception as caught:  # the point is to get the chained exception
        return caught


class ScriptedBot:
    """Answers send_message with the next scripted outcome: an exception, or success."""

    def __init__(self, *outcomes: Exception | None) -> None:
        self.outcomes = list(outcomes)
        self.sent: list[str] = []
        self.attempts = 0

    async def send_message(self, chat_id: int, text: str, **_: Any) -> SimpleNamespace:
        self.attempts += 1
        outcome = self.outcomes.pop(0) if self.outcomes else None
        if outcome is not None:
            raise outcome
        self.sent.append(text)
        return SimpleNamespace(message_id=1000 + len(self.sent))


@pytest.fixture
def desk(tmp_path: Path, renderer: Renderer) -> Iterator[StaffDesk]:
    database = Database(f"sqlite:///{tmp_path / 'jaga.db'}")
    database.migrate()
    cases = CaseService(database, Fernet.generate_key(), STAFF_CHAT)
    cases._open_or_update("tg-1", "en", "ID", "KH", {}, "card {reference}")
    yield StaffDesk(cases, renderer, Settings())
    database.dispose()


def drain(desk: StaffDesk, bot: ScriptedBot, after: float = 0) -> int:
    return asyncio.run(desk.drain(bot, utcnow() + timedelta(seconds=after)))


@pytest.mark.parametrize(("exc", "maybe"), [
    (raised(TimedOut(), httpx.ReadTimeout("read")), True),
    (raised(NetworkError("httpx.ReadError"), httpx.ReadError("reset")), True),
    (raised(NetworkError("httpx.RemoteProtocolError"), httpx.RemoteProtocolError("eof")), True),
    (raised(TimedOut(), httpx.PoolTimeout("pool")), False),
    (raised(TimedOut(), httpx.ConnectTimeout("connect")), False),
    (raised(NetworkError("httpx.ConnectError"), httpx.ConnectError("refused")), False),
    (raised(NetworkError("Bad Gateway")), False),  # Telegram answered 502
    (raised(BadRequest("chat not found")), False),
    (raised(RetryAfter(5)), False),
])
def test_which_failures_may_have_delivered_the_message(exc: Exception, maybe: bool) -> None:
    assert maybe_delivered(exc) is maybe


def test_a_429_waits_retry_after_even_when_backoff_is_shorter(desk: StaffDesk) -> None:
    bot = ScriptedBot(RetryAfter(30))
    assert drain(desk, bot) == 0
    assert drain(desk, bot, after=25) == 0  # backoff alone would retry after 2 s
    assert bot.attempts == 1
    assert drain(desk, bot, after=31) == 1
    assert bot.sent == [bot.sent[0]] and "card JG-" in bot.sent[0]


def test_a_time_out_that_may_have_delivered_is_resent_once_labelled(
        desk: StaffDesk, renderer: Renderer) -> None:
    bot = ScriptedBot(raised(TimedOut(), httpx.ReadTimeout("read")))
    assert drain(desk, bot) == 0
    assert drain(desk, bot, after=10) == 1
    label = renderer.text("staff_resent", "en")
    assert bot.sent[0].startswith(label + "\n") and "card JG-" in bot.sent[0]
    assert drain(desk, bot, after=3600) == 0  # accepted: never sent again
    assert bot.attempts == 2


def test_a_failure_that_cannot_have_delivered_is_resent_unlabelled(
        desk: StaffDesk, renderer: Renderer) -> None:
    bot = ScriptedBot(raised(NetworkError("httpx.ConnectError"), httpx.ConnectError("no")),
                      raised(NetworkError("Internal Server Error (500)")))
    assert drain(desk, bot) == 0
    assert drain(desk, bot, after=10) == 0
    assert drain(desk, bot, after=60) == 1
    assert not bot.sent[0].startswith(renderer.text("staff_resent", "en"))
    assert bot.sent[0].startswith("card JG-")
