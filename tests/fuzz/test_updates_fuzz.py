"""Property tests of the Telegram layer: random and malformed update JSON through the webhook
route and the real Application (handlers, flood gate, per-chat locks, Conversation, SQLite),
with Rasa and the Bot API faked in-process (tests/inprocess.py).

No update makes the webhook answer 500 or a handler raise, and every new message from a
person gets at least one reply. Short by default (derandomized, 200 examples);
``JAGA_FUZZ_EXAMPLES=5000`` runs longer.
"""

from __future__ import annotations

import asyncio
import json
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from telegram import Update

from bot.telegram.app import add_webhook_route
from tests.inprocess import InProcessBot, build

EXAMPLES = int(os.environ.get("JAGA_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, derandomize=True, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
SECRET = "fuzz-secret"

odd_text = st.one_of(
    st.text(st.characters(codec="utf-8"), max_size=200),
    st.text(st.characters(codec="utf-8"), min_size=4000, max_size=30000),
    st.sampled_from(["", " ", "/", "/start", "/start help", "/start " + "x" * 300, "/sos@bot",
                     "/unknown", "/request_help", "help", "tolong", "\u200b", "\x00", "🆘" * 50,
                     "ျမန္မာ", "/inform{\"latitude\": 1e999}", '/greet{"a":', "//", "/ /"]),
)
entity = st.fixed_dictionaries({
    "type": st.sampled_from(["bot_command", "mention", "url", "text_link", "bold", "spoiler",
                             "custom_emoji", "no_such_type"]),
    "offset": st.integers(-5, 40000), "length": st.integers(-5, 40000)},
    optional={"url": st.text(max_size=20), "custom_emoji_id": st.text(max_size=5)})
user = st.fixed_dictionaries(
    {"id": st.integers(1, 2**52), "is_bot": st.booleans(), "first_name": st.text(max_size=70)},
    optional={"language_code": st.sampled_from(["en", "id", "fil", "my", "zh-hans", "xx", "",
                                                "EN-us", "ü"]),
              "username": st.text(max_size=40)})
chat = st.fixed_dictionaries({
    "id": st.integers(-(2**52), 2**52),
    "type": st.sampled_from(["private", "group", "supergroup", "channel", "sender"])},
    optional={"title": st.text(max_size=50)})
payload = st.one_of(
    st.fixed_dictionaries({"text": odd_text},
                          optional={"entities": st.lists(entity, max_size=4)}),
    st.fixed_dictionaries({"caption": odd_text},
                          optional={"caption_entities": st.lists(entity, max_size=3)}),
    st.fixed_dictionaries({"location": st.fixed_dictionaries({
        "latitude": st.floats(allow_nan=False, allow_infinity=False),
        "longitude": st.floats(allow_nan=False, allow_infinity=False)})}),
    st.fixed_dictionaries({"contact": st.fixed_dictionaries(
        {"phone_number": st.text(max_size=20), "first_name": st.text(max_size=20)})}),
    st.fixed_dictionaries({"sticker": st.fixed_dictionaries({
        "file_id": st.text(max_size=10), "file_unique_id": st.text(max_size=10),
        "type": st.sampled_from(["regular", "mask", "custom_emoji"]),
        "width": st.integers(0, 512), "height": st.integers(0, 512),
        "is_animated": st.booleans(), "is_video": st.booleans()})}),
    st.fixed_dictionaries({"dice": st.fixed_dictionaries({"emoji": st.text(max_size=2),
                                                          "value": st.integers(0, 6)})}),
    st.just({}),
)


@st.composite
def message(draw: st.DrawFn) -> dict[str, Any]:
    base = {"message_id": draw(st.integers(1, 2**31)), "date": draw(st.integers(0, 2**32)),
            "chat": draw(chat), "from": draw(user)}
    body = {**base, **draw(payload)}
    text = body.get("text")
    if isinstance(text, str) and text.startswith("/") and draw(st.booleans()):
        # Like Telegram: a command carries a bot_command entity over its first word.
        command = text.split()[0] if text.split() else text
        body["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
    return body


@st.composite
def updates(draw: st.DrawFn) -> dict[str, Any]:
    kind = draw(st.sampled_from(["message", "message", "message", "edited_message",
                                 "channel_post", "callback_query", "no_such_update"]))
    body: dict[str, Any]
    if kind == "callback_query":
        body = {"id": draw(st.text(max_size=10)), "from": draw(user),
                "chat_instance": draw(st.text(max_size=5)),
                "data": draw(st.one_of(st.text(max_size=300), st.sampled_from(
                    ["/card", "/request_help", "case:ack:JG-XXXXXX", "case:", "/inform{"])))}
        if draw(st.booleans()):
            body["message"] = draw(message())
    else:
        body = draw(message())
    return {"update_id": draw(st.integers(0, 2**31)), kind: body}


def mangle(data: Any, choices: list[int]) -> Any:
    """Drops or retypes fields of ``data`` (what a broken client or proxy might send)."""
    if not isinstance(data, dict) or not choices:
        return data
    out = dict(data)
    for key, choice in zip(sorted(out), choices, strict=False):
        if choice == 1:
            del out[key]
        elif choice == 2:
            out[key] = "garbage"
        elif choice == 3:
            out[key] = None
        elif choice == 4:
            out[key] = mangle(out[key], choices[1:])
    return out


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda children: st.lists(children, max_size=4)
    | st.dictionaries(st.text(max_size=10), children, max_size=4), max_leaves=20)


def deserves_reply(data: dict[str, Any]) -> int | None:
    """The chat that must get a reply: a new message from a person that the bot can read."""
    message = data.get("message")
    if not isinstance(message, dict) or message["from"]["is_bot"]:
        return None
    if message["chat"]["type"] != "private":
        return None
    # Telegram never sends an empty text or caption (1 to 4096 characters).
    if message.get("text") or message.get("caption") or any(
            key in message for key in ("location", "contact", "sticker")):
        return int(message["chat"]["id"])
    return None


class Harness:
    def __init__(self, work: Path) -> None:
        self.loop = asyncio.new_event_loop()
        self.bot: InProcessBot = build(work, flood_max_messages=10**9)
        web_app = web.Application()
        add_webhook_route(web_app, self.bot.application, SECRET)
        self.client = TestClient(TestServer(web_app), loop=self.loop)
        self.run(self.bot.application.initialize())
        self.run(self.client.start_server())

    def run(self, coroutine: Any) -> Any:
        return self.loop.run_until_complete(coroutine)

    async def post(self, body: bytes) -> int:
        response = await self.client.post("/telegram", data=body, headers={
            "X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"})
        # The route only queues; empty the queue here (the Application is not started).
        queue = self.bot.application.update_queue
        while not queue.empty():
            queue.get_nowait()
        return response.status

    def close(self) -> None:
        self.run(self.client.close())
        self.run(self.bot.application.shutdown())
        self.bot.database.dispose()
        self.loop.close()


@pytest.fixture(scope="module")
def harness(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Harness]:
    harness = Harness(tmp_path_factory.mktemp("fuzz-updates"))
    yield harness
    harness.close()


@FUZZ
@given(data=st.one_of(updates(), json_values),
       choices=st.lists(st.integers(0, 4), max_size=6))
def test_the_webhook_never_fails_on_any_json(harness: Harness, data: Any,
                                            choices: list[int]) -> None:
    body = json.dumps(mangle(data, choices)).encode()
    assert harness.run(harness.post(body)) in (200, 400)


@FUZZ
@given(body=st.binary(max_size=300))
def test_the_webhook_never_fails_on_any_bytes(harness: Harness, body: bytes) -> None:
    assert harness.run(harness.post(body)) in (200, 400)


UNKNOWN_COMMAND = {"update_id": 1, "message": {
    "message_id": 1, "date": 0, "chat": {"id": 5, "type": "private"},
    "from": {"id": 5, "is_bot": False, "first_name": "A"}, "text": "/unknown",
    "entities": [{"type": "bot_command", "offset": 0, "length": 8}]}}


@FUZZ
@given(data=updates())
@example(data=UNKNOWN_COMMAND)
def test_every_update_is_handled_and_every_message_answered(harness: Harness,
                                                            data: dict[str, Any]) -> None:
    bot = harness.bot
    update = Update.de_json(json.loads(json.dumps(data)), bot.application.bot)
    chat = deserves_reply(data)
    before = len(bot.telegram.sent_to(chat)) if chat is not None else 0
    harness.run(bot.application.process_update(update))
    assert bot.errors == []
    if chat is not None:
        assert len(bot.telegram.sent_to(chat)) > before, data
