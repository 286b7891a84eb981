"""PostgreSQL "restarted" mid-conversation: every connection of the app and of Rasa is
terminated and new ones refused for a while (what clients see while the server restarts; the
shared server itself is not restarted). The user still gets the hotlines at once; the help
request sent during the gap is spooled and becomes a case; the conversation goes on after."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.store.models import Case, OutboxMessage
from tests.conftest import LiveBot, live_settings
from tests.faults.conftest import Postgres, replaying_desk

pytestmark = pytest.mark.rasa
HELP = "tolong saya, paspor saya ditahan"
STAFF_CHAT = -100_300_300


@pytest.fixture(scope="module")
def bot_on_postgres(own_postgres: Postgres, tmp_path_factory: pytest.TempPathFactory
                    ) -> Iterator[LiveBot]:
    bot = LiveBot(live_settings(tmp_path_factory.mktemp("fault-pg"),
                                database_url=own_postgres.url,
                                tracker_database_url=own_postgres.url,
                                staff_chat_id=STAFF_CHAT))
    yield bot
    bot.close()


def test_postgres_restart_mid_conversation(bot_on_postgres: LiveBot, own_postgres: Postgres,
                                           tmp_path: Path) -> None:
    live = bot_on_postgres
    sender = f"tg-{uuid.uuid4().int % 10**9}"
    greet = live.text("utter_greet", "en")
    assert live.say(sender, "hello", "en")[0].text == greet

    assert own_postgres.terminate(refuse=True) >= 1
    during = live.say(sender, HELP, "id")
    assert during[0].text.startswith(live.text("msg_rasa_down", "id"))
    assert "+62 812 9007 0027" in during[0].text  # the hotline, without the database
    own_postgres.accept()

    # Back: the app's pool pings before use, Rasa's pool drops its dead connections.
    assert [live.say(sender, "hello", "en")[0].text for _ in range(2)] == [greet, greet]

    desk = replaying_desk(live)
    assert live.run(desk.replay_spool()) == 1
    case = live.run(live.runtime.cases.open_case(sender))
    assert case is not None and case.details["words"] == HELP
    with live.runtime.database.session() as session:
        assert session.query(Case).filter_by(sender_id=sender).count() == 1
        cards = session.query(OutboxMessage).filter_by(case_id=case.id, kind="card").all()
        assert [c.chat_id for c in cards] == [STAFF_CHAT]  # queued for the staff chat
