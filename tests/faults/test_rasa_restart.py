"""Rasa killed (SIGKILL) mid-conversation: during the gap the user gets the outage card with
the hotlines, the supervisor restarts Rasa, the conversation goes on, and the help requests
sent during the gap (typed or a button press) become cases."""

from __future__ import annotations

import os
import signal
import time
import uuid
from collections.abc import Iterator

import pytest

from bot.store.models import Case, OutboxMessage
from tests.conftest import LiveBot, live_settings
from tests.faults.conftest import replaying_desk

pytestmark = pytest.mark.rasa
HELP = "tolong saya, paspor saya ditahan"
STAFF_CHAT = -100_300_301


@pytest.fixture(scope="module")
def live(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBot]:
    bot = LiveBot(live_settings(tmp_path_factory.mktemp("fault-rasa"), staff_chat_id=STAFF_CHAT))
    yield bot
    bot.close()


def test_rasa_killed_and_restarted_mid_conversation(live: LiveBot) -> None:
    server = live.runtime.rasa_server
    assert server is not None and server.process is not None
    typed, pressed = (f"tg-{uuid.uuid4().int % 10**9}" for _ in range(2))
    greet = live.text("utter_greet", "en")
    assert live.say(typed, "hello", "en")[0].text == greet

    os.kill(server.process.pid, signal.SIGKILL)
    server.process.wait()
    during = live.say(typed, HELP, "id")
    assert during[0].text.startswith(live.text("msg_rasa_down", "id"))
    assert "+62 812 9007 0027" in during[0].text
    assert during[1].text == live.text("msg_rasa_down_retry", "id")
    button = live.say(pressed, "/request_help", "en")
    assert button[0].text.startswith(live.text("msg_rasa_down", "en"))

    deadline = time.monotonic() + 300
    while not live.run(live.runtime.dialogue.is_ready()):
        assert time.monotonic() < deadline, "the supervisor did not bring Rasa back"
        time.sleep(0.5)
    assert server.restarts == 1
    assert live.say(typed, "hello", "en")[0].text == greet

    assert live.run(replaying_desk(live).replay_spool()) == 2
    for sender in (typed, pressed):
        case = live.run(live.runtime.cases.open_case(sender))
        assert case is not None
        with live.runtime.database.session() as session:
            assert session.query(Case).filter_by(sender_id=sender).count() == 1
            assert session.query(OutboxMessage).filter_by(case_id=case.id).count() == 1
    typed_case = live.run(live.runtime.cases.open_case(typed))
    assert typed_case is not None and typed_case.details["words"] == HELP
