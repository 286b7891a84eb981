"""The real Application, handlers, Conversation and database, with Rasa and the Bot API
replaced by in-process fakes: for fuzzing and volume runs where the real Rasa would be the
bottleneck (tests/fuzz, bench/volume.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from telegram.ext import Application, ContextTypes
from telegram.request import BaseRequest, RequestData

from bot.conversation import Conversation
from bot.dialogue.client import DialogueUnavailable, RasaClient
from bot.i18n.responses import Button, Renderer, Reply
from bot.reference import ReferenceData
from bot.settings import PROJECT_ROOT, Settings
from bot.spool import Spool
from bot.store.database import Database
from bot.telegram.app import TelegramFrontEnd, build_application
from bot.users import UserService

HELP_WORDS = ("help", "tolong")  # what the fake NLU hears as a help request
BOT = {"id": 1, "is_bot": True, "first_name": "Jaga", "username": "jaga_fuzz_bot"}


class FakeRasa(RasaClient):
    """Answers every message at once with one reply naming what it got; ``down`` makes it
    fail like an unreachable server."""

    def __init__(self) -> None:
        super().__init__("http://127.0.0.1:9")
        self.down = False
        self.received: list[tuple[str, str]] = []

    async def send(self, sender_id: str, text: str, metadata: dict[str, Any] | None = None
                   ) -> list[Reply]:
        if self.down:
            raise DialogueUnavailable("fake Rasa is down")
        self.received.append((sender_id, text))
        return [Reply(f"got {len(text)} characters", (Button("Help", "/request_help"),))]

    async def parse(self, text: str) -> dict[str, Any]:
        if self.down:
            raise DialogueUnavailable("fake Rasa is down")
        asks = text.startswith("/request_help") or any(w in text for w in HELP_WORDS)
        name = "request_help" if asks else "greet"
        return {"text": text, "intent": {"name": name, "confidence": 1.0}}


@dataclass
class RecordingTelegram(BaseRequest):
    """A Bot API that answers every call at once (like one with zero latency) and records
    what the bot sent, unless ``record`` is off (benchmarks of the layer's own cost)."""

    calls: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    message_id: int = 0
    record: bool = True

    @property
    def read_timeout(self) -> float | None:
        return None

    async def initialize(self) -> None: ...

    async def shutdown(self) -> None: ...

    async def do_request(self, url: str, method: str, request_data: RequestData | None = None,
                         *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        name = url.rsplit("/", 1)[-1]
        params = request_data.parameters if request_data else {}
        if self.record and name != "getMe":
            self.calls.append((name, dict(params)))
        result: Any = True
        if name == "getMe":
            result = BOT
        elif name == "sendMessage":
            self.message_id += 1
            result = {"message_id": self.message_id, "date": 0, "from": BOT,
                      "chat": {"id": int(str(params.get("chat_id", 1))), "type": "private"},
                      "text": str(params.get("text", ""))}
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def sent_to(self, chat_id: int) -> list[str]:
        return [str(p.get("text")) for n, p in self.calls
                if n == "sendMessage" and str(p.get("chat_id")) == str(chat_id)]


@dataclass
class InProcessBot:
    application: Application  # type: ignore[type-arg]
    front: TelegramFrontEnd
    conversation: Conversation
    rasa: FakeRasa
    telegram: RecordingTelegram
    database: Database
    errors: list[BaseException]


_RENDERER: Renderer | None = None
_REFERENCE: ReferenceData | None = None


def shared_data() -> tuple[Renderer, ReferenceData]:
    """The renderer and reference data, loaded once per process (they are read-only here)."""
    global _RENDERER, _REFERENCE
    if _RENDERER is None or _REFERENCE is None:
        _RENDERER = Renderer.from_directories(PROJECT_ROOT / "responses",
                                              PROJECT_ROOT / "locales")
        _REFERENCE = ReferenceData.load(PROJECT_ROOT)
    return _RENDERER, _REFERENCE


def build(work: Path, **overrides: Any) -> InProcessBot:
    """An Application on a fresh SQLite file in ``work``; call ``initialize()`` before use."""
    settings = replace(Settings.from_env({"JAGA_VAR_DIR": str(work)}),
                       telegram_bot_token="1:fuzz", **overrides)
    database = Database(settings.database_url)
    database.migrate()
    renderer, reference = shared_data()
    rasa = FakeRasa()
    conversation = Conversation(rasa, UserService(database, None, "en"), renderer, reference,
                                Spool(work / "spool" / "help.jsonl"))
    telegram = RecordingTelegram()
    application, front = build_application(settings, conversation, renderer, database,
                                            transport=lambda: telegram, pace=False)
    errors: list[BaseException] = []

    async def record(update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        if context.error is not None:
            errors.append(context.error)

    application.add_error_handler(record)
    return InProcessBot(application, front, conversation, rasa, telegram, database, errors)


def message_update(update_id: int, user_id: int, text: str, language: str = "en"
                   ) -> dict[str, Any]:
    """A private text message as Telegram sends it."""
    return {"update_id": update_id, "message": {
        "message_id": update_id, "date": 0, "chat": {"id": user_id, "type": "private"},
        "from": {"id": user_id, "is_bot": False, "first_name": "U", "language_code": language},
        "text": text}}


async def feed(bot: InProcessBot, updates: list[dict[str, Any]]) -> None:
    """Processes the updates as python-telegram-bot does with ``concurrent_updates``: each
    in its own task, through the application's update processor (its concurrency limit and
    the per-chat order); returns when all are handled."""
    import asyncio

    from telegram import Update

    application = bot.application

    async def one(data: dict[str, Any]) -> None:
        update = Update.de_json(data, application.bot)
        await application.update_processor.process_update(
            update, application.process_update(update))

    await asyncio.gather(*(one(data) for data in updates))
