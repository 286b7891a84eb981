"""bot/conversation.py during a Rasa outage: the outage card with hotlines, and the user's
words spooled so that a help request still becomes a case when Rasa is back."""

from __future__ import annotations

from pathlib import Path

from cryptography.fernet import Fernet

from bot.cases import CaseService
from bot.telegram.staff import StaffDesk
from tests.inprocess import build


async def test_help_request_during_a_rasa_outage_becomes_a_case(tmp_path: Path) -> None:
    bot = build(tmp_path)
    conversation, rasa = bot.conversation, bot.rasa
    rasa.down = True
    words = await conversation.handle("tg-42", "tolong saya, paspor saya ditahan", "id")
    button = await conversation.handle("tg-43", "/request_help", "en")
    other = await conversation.handle("tg-44", "/greet", "en")
    renderer = conversation.renderer
    assert words[0].text.startswith(renderer.text("msg_rasa_down", "id"))
    assert "+62 812 9007 0027" in words[0].text  # Indonesia's 24-hour line, from the words
    assert button[0].text.startswith(renderer.text("msg_rasa_down", "en"))
    assert other[0].text.startswith(renderer.text("msg_rasa_down", "en"))
    assert conversation.spool is not None
    assert [r["sender_id"] for r in conversation.spool.pending()] == ["tg-42", "tg-43"]

    async def intent_of(text: str) -> str:
        return str((await rasa.parse(text))["intent"]["name"])

    cases = CaseService(bot.database, Fernet.generate_key(), None)
    desk = StaffDesk(cases, renderer, bot.front.settings, conversation.spool, intent_of)
    assert await desk.replay_spool() == 0  # Rasa still down: nothing lost, tried again later
    assert len(conversation.spool.pending()) == 2
    rasa.down = False
    assert await desk.replay_spool() == 2
    assert conversation.spool.pending() == []
    first, second = await cases.open_case("tg-42"), await cases.open_case("tg-43")
    assert first is not None and first.details["words"] == "tolong saya, paspor saya ditahan"
    assert second is not None
    bot.database.dispose()
