"""Help-request cases end to end: case opened with a reference, the card reaches the staff chat
through the outbox (retried until Telegram accepts it), only listed staff act, and the relay
works both ways, through the real Application, a fake Bot API over HTTP and the real Rasa; on
SQLite and on PostgreSQL (the app's database and Rasa's tracker store; skipped when PostgreSQL
or Redis do not answer)."""

from __future__ import annotations

import asyncio
import itertools
import re
import time
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest

from bot.cases import CaseService, load_key
from bot.telegram.staff import StaffDesk
from tests.conftest import LiveBot
from tests.e2e.test_telegram import TelegramHarness

STAFF_CHAT = -100_777_000
STAFF_USER = 555_001
OUTSIDER = 555_002
_users = itertools.count(820_000_001)
_ids = itertools.count(900_000)


class CaseHarness(TelegramHarness):
    def __init__(self, live: LiveBot) -> None:
        runtime = live.runtime
        self.previous_chat = runtime.cases.staff_chat_id
        runtime.cases.staff_chat_id = STAFF_CHAT  # this deployment has a staff chat
        settings = replace(runtime.settings, staff_chat_id=STAFF_CHAT,
                           staff_user_ids=frozenset({STAFF_USER}))
        self.desk = StaffDesk(runtime.cases, runtime.renderer, settings,
                              forget_location=runtime.forget_location)
        super().__init__(live, desk=self.desk, staff_chat_id=STAFF_CHAT,
                         staff_user_ids=frozenset({STAFF_USER}))

    def close(self) -> None:
        self.live.runtime.cases.staff_chat_id = self.previous_chat
        super().close()

    def drain(self) -> int:
        return self.live.run(self.desk.drain(self.application.bot))

    def staff_update(self, **message: Any) -> dict[str, Any]:
        base = {"message_id": next(_ids), "date": int(time.time()),
                "chat": {"id": STAFF_CHAT, "type": "supergroup", "title": "Jaga staff"},
                "from": self.api.user(STAFF_USER, "en")}
        return {"update_id": next(self.api._update_ids), "message": {**base, **message}}

    def button(self, user_id: int, data: str, card_id: int) -> dict[str, Any]:
        card = {"message_id": card_id, "date": int(time.time()),
                "chat": {"id": STAFF_CHAT, "type": "supergroup", "title": "Jaga staff"},
                "text": "card"}
        return {"update_id": next(self.api._update_ids),
                "callback_query": {"id": str(next(_ids)), "from": self.api.user(user_id, "en"),
                                   "chat_instance": "2", "data": data, "message": card}}


@pytest.fixture(scope="module", params=["sqlite", "production"])
def live(request: pytest.FixtureRequest) -> LiveBot:
    """The live bot on SQLite, then on PostgreSQL (both stores) with Redis."""
    bot: LiveBot = request.getfixturevalue(
        "live_bot" if request.param == "sqlite" else "live_bot_production")
    return bot


@pytest.fixture(scope="module")
def desk(live: LiveBot) -> Iterator[CaseHarness]:
    harness = CaseHarness(live)
    yield harness
    harness.close()


def test_help_request_case_reaches_staff_and_the_relay_works(desk: CaseHarness,
                                                            live: LiveBot) -> None:
    worker = next(_users)
    replies = desk.exchange(desk.api.message_update(worker, "tolong saya, paspor saya ditahan",
                                                    "id"), worker, 3)
    created = next(r for r in replies if "JG-" in r)
    reference = re.search(r"JG-[A-Z0-9]{6}", created).group(0)  # type: ignore[union-attr]
    assert "+62 812 9007 0027" in replies[0]  # the hotline still comes first

    assert desk.drain() >= 1
    card = desk.api.sent_to(STAFF_CHAT)[-1]
    assert reference in card.params["text"]
    buttons = [b["callback_data"] for row in card.params["reply_markup"]["inline_keyboard"]
               for b in row]
    assert f"case:take:{reference}" in buttons
    card_id = int(card.result["message_id"])

    # Someone not on the staff list gets nothing done.
    desk.live.run(desk.api.push(desk.button(OUTSIDER, f"case:take:{reference}", card_id)))
    live.run(desk.api.wait_for(lambda: any(
        c.method == "answerCallbackQuery" and c.params.get("show_alert") for c in desk.api.calls)))
    assert live.run(desk.live.runtime.cases.open_case(f"tg-{worker}")).status == "new"

    # Listed staff take it; the worker is told.
    before = len(desk.api.sent_to(worker))
    live.run(desk.api.push(desk.button(STAFF_USER, f"case:take:{reference}", card_id)))
    live.run(desk.api.wait_for(lambda: len(desk.api.sent_to(worker)) > before))
    assert desk.api.sent_to(worker)[-1].params["text"] == live.text(
        "msg_case_taken", "id", reference=reference)

    # A staff reply to the card reaches the worker.
    live.run(desk.api.push(desk.staff_update(
        text="Kami sedang menghubungi KBRI, tetap tenang",
        reply_to_message={"message_id": card_id, "date": int(time.time()),
                          "chat": {"id": STAFF_CHAT, "type": "supergroup"}, "text": "card"})))
    live.run(desk.api.wait_for(lambda: any(
        "Kami sedang menghubungi KBRI" in str(c.params["text"])
        for c in desk.api.sent_to(worker))))

    # The worker's next words go to the caseworker, not to the bot.
    replies = desk.exchange(desk.api.message_update(worker, "saya di lantai 3", "id"), worker)
    assert replies[0] == live.text("msg_case_relayed", "id")
    assert desk.drain() >= 1
    assert desk.api.sent_to(STAFF_CHAT)[-1].params["text"] == f"{reference}: saya di lantai 3"

    # Resolved: the worker is told.
    before = len(desk.api.sent_to(worker))
    live.run(desk.api.push(desk.button(STAFF_USER, f"case:resolve:{reference}", card_id)))
    live.run(desk.api.wait_for(lambda: len(desk.api.sent_to(worker)) > before))
    assert desk.api.sent_to(worker)[-1].params["text"] == live.text(
        "msg_case_resolved", "id", reference=reference)
    assert live.run(desk.live.runtime.cases.open_case(f"tg-{worker}")) is None


def test_staff_notification_is_retried_until_telegram_accepts_it(desk: CaseHarness,
                                                                 live: LiveBot) -> None:
    worker = next(_users)
    desk.exchange(desk.api.message_update(worker, "help me please, I am trapped", "en"),
                  worker, 2)
    desk.api.fail_next("sendMessage", 500, {"ok": False, "error_code": 500,
                                            "description": "Internal Server Error"})
    sent_before = len(desk.api.sent_to(STAFF_CHAT))
    assert desk.drain() == 0  # Telegram refused: the card stays queued
    time.sleep(2.2)  # the first retry waits 2 seconds
    # A new desk, as after an app restart, still delivers the queued card.
    runtime = live.runtime
    restarted = CaseService(runtime.database, load_key(runtime.settings.case_encryption_key,
                                                       runtime.settings.var_dir), STAFF_CHAT)
    fresh = StaffDesk(restarted, runtime.renderer, desk.desk.settings)
    assert live.run(fresh.drain(desk.application.bot)) >= 1
    assert len(desk.api.sent_to(STAFF_CHAT)) > sent_before


def test_an_unacknowledged_case_is_escalated_once(desk: CaseHarness, live: LiveBot) -> None:
    from datetime import timedelta

    from bot.store.models import utcnow

    worker = next(_users)
    replies = desk.exchange(desk.api.message_update(worker, "SOS they beat us", "en"), worker, 2)
    reference = next(re.search(r"JG-[A-Z0-9]{6}", r).group(0)  # type: ignore[union-attr]
                     for r in replies if "JG-" in r)
    desk.drain()
    assert live.run(desk.desk.escalate(utcnow() + timedelta(minutes=5))) == 0  # not yet
    later = utcnow() + timedelta(minutes=desk.desk.settings.escalate_after_minutes + 1)
    assert live.run(desk.desk.escalate(later)) >= 1
    assert live.run(desk.desk.escalate(later)) == 0  # only once
    desk.drain()
    escalations = [c for c in desk.api.sent_to(STAFF_CHAT)
                   if reference in str(c.params["text"]) and "⏰" in str(c.params["text"])]
    assert len(escalations) == 1
    buttons = [b["callback_data"] for row in escalations[0].params["reply_markup"][
        "inline_keyboard"] for b in row]
    assert f"case:ack:{reference}" in buttons


def _open_case(desk: CaseHarness, text: str = "help me please, I am trapped") -> str:
    worker = next(_users)
    replies = desk.exchange(desk.api.message_update(worker, text, "en"), worker, 2)
    return next(re.search(r"JG-[A-Z0-9]{6}", r).group(0)  # type: ignore[union-attr]
                for r in replies if "JG-" in r)


def _cards(desk: CaseHarness, reference: str) -> list[Any]:
    """Staff-chat messages about ``reference`` that Telegram accepted."""
    return [c for c in desk.api.sent_to(STAFF_CHAT)
            if c.result is not None and reference in str(c.params["text"])]


def test_a_429_is_retried_after_retry_after_and_the_card_arrives_once(
        desk: CaseHarness, live: LiveBot) -> None:
    reference = _open_case(desk)
    desk.api.rate_limit_next("sendMessage", 1)
    assert desk.drain() >= 1  # the rate limiter waited and retried within the same pass
    refused = [c for c in desk.api.sent_to(STAFF_CHAT) if c.result is None
               and reference in str(c.params["text"])]
    cards = _cards(desk, reference)
    assert len(refused) == 1 and len(cards) == 1
    assert cards[0].at - refused[0].at >= 1.0  # not before Telegram's retry_after
    desk.drain()
    assert len(_cards(desk, reference)) == 1


def test_a_card_whose_answer_timed_out_is_resent_labelled_and_both_copies_work(
        desk: CaseHarness, live: LiveBot) -> None:
    """Telegram posted the card but its answer came after the client's read time-out: the
    outbox cannot know, so it sends the card again marked as a possible repeat; a staff reply
    to the first copy still reaches the worker."""
    from datetime import timedelta

    from telegram import Bot
    from telegram.request import HTTPXRequest

    from bot.store.models import utcnow
    from tests.e2e.fake_bot_api import BOT_USER
    from tests.e2e.test_telegram import TOKEN

    worker = next(_users)
    replies = desk.exchange(desk.api.message_update(
        worker, "tolong saya, paspor saya ditahan", "id"), worker, 3)
    reference = next(re.search(r"JG-[A-Z0-9]{6}", r).group(0)  # type: ignore[union-attr]
                     for r in replies if "JG-" in r)
    impatient = Bot(TOKEN, base_url=desk.api.base_url,
                    request=HTTPXRequest(read_timeout=0.5, connect_timeout=5))
    live.run(impatient.initialize())
    desk.api.delay_next("sendMessage", 2.0)
    assert live.run(desk.desk.drain(impatient)) == 0  # timed out, though Telegram posted it
    live.run(asyncio.sleep(2.0))  # let the slow answer finish
    first = _cards(desk, reference)
    assert len(first) == 1
    assert live.run(desk.desk.drain(impatient, utcnow() + timedelta(seconds=10))) >= 1
    cards = _cards(desk, reference)
    label = live.text("staff_resent", "en")
    assert len(cards) == 2 and str(cards[1].params["text"]).startswith(label)
    assert not str(cards[0].params["text"]).startswith(label)
    assert cards[1].params.get("reply_markup")  # the repeat has the buttons too
    live.run(desk.desk.drain(impatient, utcnow() + timedelta(hours=1)))
    assert len(_cards(desk, reference)) == 2  # accepted: never sent a third time
    live.run(impatient.shutdown())

    # Staff take the case, then answer on the first copy (whose id the outbox never learnt).
    live.run(desk.api.push(desk.button(STAFF_USER, f"case:take:{reference}",
                                       int(cards[1].result["message_id"]))))
    live.run(desk.api.wait_for(lambda: any(
        c.params["text"] == live.text("msg_case_taken", "id", reference=reference)
        for c in desk.api.sent_to(worker))))
    live.run(desk.api.push(desk.staff_update(
        text="Kami menghubungi KBRI sekarang",
        reply_to_message={"message_id": int(first[0].result["message_id"]),
                          "date": int(time.time()), "from": BOT_USER,
                          "chat": {"id": STAFF_CHAT, "type": "supergroup"},
                          "text": str(first[0].params["text"])})))
    live.run(desk.api.wait_for(lambda: any(
        "Kami menghubungi KBRI sekarang" in str(c.params["text"])
        for c in desk.api.sent_to(worker))))


def _tracker_rows(live: LiveBot, sender: str) -> list[str]:
    from sqlalchemy import text

    with live.runtime.eraser.engine.connect() as connection:
        return [str(row.data) for row in connection.execute(
            text("SELECT data FROM events WHERE sender_id = :s"), {"s": sender})]


def _slots(live: LiveBot, sender: str) -> dict[str, Any]:
    import httpx

    url = f"{live.runtime.dialogue.base_url}/conversations/{sender}/tracker"
    slots: dict[str, Any] = httpx.get(url, timeout=10).json()["slots"]
    return slots


def test_resolving_a_case_removes_the_location_from_the_dialogue(desk: CaseHarness,
                                                                 live: LiveBot) -> None:
    """A location pin is kept only while the case is open: on resolve it leaves the case, the
    live Rasa conversation (slots) and the tracker store's stored events."""
    worker = next(_users)
    sender = f"tg-{worker}"
    reference = _open_case_of(desk, worker)
    desk.exchange(desk.api.message_update(
        worker, None, "en", location={"latitude": 10.61234, "longitude": 103.51234}), worker, 2)
    assert _slots(live, sender)["latitude"] == 10.61234
    assert any("103.51234" in row for row in _tracker_rows(live, sender))
    case = live.run(live.runtime.cases.open_case(sender))
    assert case is not None and case.details["latitude"] == 10.61234

    before = len(desk.api.sent_to(worker))
    live.run(desk.api.push(desk.button(STAFF_USER, f"case:resolve:{reference}", 1)))
    live.run(desk.api.wait_for(lambda: len(desk.api.sent_to(worker)) > before))
    slots = _slots(live, sender)
    assert slots["latitude"] is None and slots["longitude"] is None and slots["city"] is None
    rows = _tracker_rows(live, sender)
    assert rows and not any("10.61234" in row or "103.51234" in row for row in rows)
    assert live.run(desk.live.runtime.cases.open_case(sender)) is None
    # The conversation goes on after the erasure.
    assert live.say(sender, "hi", "en")[0].text == live.text("utter_greet", "en")


def _open_case_of(desk: CaseHarness, worker: int) -> str:
    replies = desk.exchange(desk.api.message_update(worker, "help me please, I am trapped",
                                                    "en"), worker, 2)
    return next(re.search(r"JG-[A-Z0-9]{6}", r).group(0)  # type: ignore[union-attr]
                for r in replies if "JG-" in r)


def test_a_place_named_in_words_ranks_missions_and_picks_the_mission_chat(
        desk: CaseHarness, live: LiveBot) -> None:
    """An Indonesian in Su-ngai Kolok: the consulate in Songkhla is nearer than the embassy in
    Bangkok, so it comes first and the case goes to its staff chat."""
    mission_chat = -100_777_555
    cases = live.runtime.cases
    previous = cases.mission_chats
    cases.mission_chats = (("ID", "TH", "Songkhla", mission_chat),)
    try:
        sender = f"tg-{next(_users)}"
        live.say(sender, "tolong saya, paspor saya ditahan", "id")
        live.say(sender, '/inform{"nationality":"ID"}', "id")
        replies = " ".join(r.text for r in live.say(sender, "saya di Sungai Golok", "id"))
        assert "Songkhla" in replies and "Bangkok" in replies
        assert replies.index("Songkhla") < replies.index("Bangkok")
        case = live.run(cases.open_case(sender))
        assert case is not None and case.host_country == "TH"
        assert case.staff_chat_id == mission_chat
    finally:
        cases.mission_chats = previous
