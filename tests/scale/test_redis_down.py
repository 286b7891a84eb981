"""Redis unreachable must not stop the bot: the Telegram layer falls back to its in-process
order and flood limits, and a help request is still answered at once."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import LiveBot, free_port
from tests.e2e.test_telegram import TelegramHarness

pytestmark = pytest.mark.rasa


def test_a_help_request_is_answered_while_redis_is_down(
        live_bot: LiveBot, caplog: pytest.LogCaptureFixture) -> None:
    harness = TelegramHarness(live_bot, redis_url=f"redis://127.0.0.1:{free_port()}/0")
    try:
        user = 730_000_001
        with caplog.at_level(logging.WARNING, logger="bot.coordination"):
            replies = harness.exchange(harness.api.message_update(
                user, "tolong saya, paspor saya ditahan", "id"), user, 2)
        assert "+62 812 9007 0027" in "\n".join(replies)  # Indonesia's 24-hour line
        assert any("unreachable" in r.getMessage() for r in caplog.records)
        assert harness.front.link is not None and not harness.front.link.usable()
    finally:
        live_bot.run(harness.front.close())
        harness.close()
