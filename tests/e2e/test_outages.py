"""Faults: with the database down a help request still gets the hotlines at once and is
spooled; when the database is back it becomes a case."""

from __future__ import annotations

import uuid
from pathlib import Path

from bot.conversation import Conversation
from bot.spool import Spool
from bot.store.database import Database
from bot.telegram.staff import StaffDesk
from bot.users import UserService
from tests.conftest import LiveBot, free_port


def test_help_request_survives_a_database_outage(live_bot: LiveBot, tmp_path: Path) -> None:
    runtime = live_bot.runtime
    spool = Spool(tmp_path / "spool" / "help.jsonl")
    dead = Database(f"postgresql://postgres@127.0.0.1:{free_port()}/gone")
    users = UserService(dead, None, "en")
    conversation = Conversation(runtime.dialogue, users, runtime.renderer, runtime.reference,
                                spool)
    sender = f"tg-{uuid.uuid4().int % 10**9}"
    replies = live_bot.run(conversation.handle(sender, "tolong saya, paspor saya ditahan", "id"))
    assert replies[0].text.startswith(live_bot.text("msg_rasa_down", "id"))
    assert "+62 812 9007 0027" in replies[0].text
    live_bot.run(conversation.handle(sender, "halo", "id"))
    assert [r["text"] for r in spool.pending()] == ["tolong saya, paspor saya ditahan", "halo"]
    dead.dispose()

    # The database is back: the spooled help request becomes a case; the greeting does not.
    async def intent_of(text: str) -> str:
        return str((await runtime.dialogue.parse(text))["intent"]["name"])

    desk = StaffDesk(runtime.cases, runtime.renderer, runtime.settings, spool, intent_of)
    assert live_bot.run(desk.replay_spool()) == 1
    case = live_bot.run(runtime.cases.open_case(sender))
    assert case is not None and case.details["words"].startswith("tolong saya")
    assert spool.pending() == []


def test_spool_keeps_a_record_cut_by_a_crash_out_of_the_way(tmp_path: Path) -> None:
    spool = Spool(tmp_path / "help.jsonl")
    spool.append({"sender_id": "a", "text": "help"})
    with spool.path.open("a", encoding="utf-8") as handle:
        handle.write('{"sender_id": "b", "te')  # the process died mid-write
    assert [r["sender_id"] for r in spool.pending()] == ["a"]
