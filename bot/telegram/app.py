"""Builds the python-telegram-bot Application: the composition of the Telegram front end.

Handler order matters: commands first, then button presses, then messages by kind. Updates run
concurrently across chats and one at a time, in order of arrival, within a chat
(``OrderedUpdates`` with ``bot.coordination.ChatOrder``: in-process, or shared by all replicas
through Redis).
"""

from __future__ import annotations

import asyncio
import hmac
import html
import logging
import os
import time
import traceback
from collections.abc import AsyncIterator, Awaitable, Callable, Sequence
from contextlib import asynccontextmanager
from contextvars import ContextVar
from typing import Any

from aiohttp import web
from telegram import BotCommand, Message, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    BaseUpdateProcessor,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)
from telegram.request import BaseRequest

from bot import ocr
from bot.conversation import ERASED, Conversation
from bot.coordination import ChatOrder, RedisLink, SharedFloodGate
from bot.i18n.contacts_text import selection_text
from bot.i18n.languages import SUPPORTED
from bot.i18n.responses import Renderer, Reply
from bot.services.contacts import select_contacts
from bot.services.gazetteer import fold
from bot.settings import Settings
from bot.store.database import Database
from bot.store.repositories import SentMessageRepository
from bot.telegram.flow import FloodGate
from bot.telegram.render import keyboard, split_text
from bot.telegram.scripts import ScriptDesk
from bot.telegram.staff import StaffDesk

log = logging.getLogger(__name__)

# Commands are shortcuts into the dialogue: each sends an intent payload to Rasa.
COMMAND_PAYLOADS = {
    "start": "/greet",
    "help": "/request_help",
    "sos": "/request_help",
    "language": "/change_language",
    "delete": "/delete_my_data",
}
MENU = ("start", "sos", "language", "privacy", "wipe", "delete")
DEEP_LINKS = {"help": "/request_help", "sos": "/request_help", "check": "/check_offer",
              "migrate": "/ask_migration_steps", "hotline": "/ask_hotline",
              "language": "/change_language"}
# "Help" alone, in each language, always gets the help reply, whatever the dialogue was doing.
HELP_WORDS = frozenset(fold(w) for w in (
    "help", "help me", "sos", "tolong", "tolong saya", "tulong", "saklolo", "tulungan nyo ako",
    "giúp", "giúp tôi", "cứu", "cứu tôi", "cứu với", "ကူညီပါ", "ကယ်ပါ", "ជួយផង", "ជួយខ្ញុំផង",
    "ช่วยด้วย", "ช่วยด้วยครับ", "ช่วยด้วยค่ะ", "ຊ່ວຍແດ່", "ຊ່ວຍແດ"))
SEND_ATTEMPTS = 4
PRUNE_EVERY_SECONDS = 3600.0
# Turns doing their work at once (OrderedUpdates). Measured with bench.latency on 2 cores,
# 480 updates pushed at once: app CPU per message 30-32 ms with 256, 18-21 ms with 32,
# 16-17 ms with 16 or 8 (docs/benchmarks.md).
MAX_RUNNING_TURNS = 16
# Tesseract runs at most this many at once: one per core; more only share the cores.
OCR_AT_ONCE = max(1, os.cpu_count() or 1)


def sender_id_of(update: Update) -> str:
    """The conversation id shared with Rasa for this Telegram user."""
    if update.effective_user is not None:
        return f"tg-{update.effective_user.id}"
    chat = update.effective_chat
    return f"tg-chat-{chat.id if chat else 0}"


def language_code_of(update: Update) -> str | None:
    return update.effective_user.language_code if update.effective_user else None


def forward_metadata(message: Message) -> dict[str, Any]:
    """Where a forwarded message came from, kept for the offer check."""
    origin = message.forward_origin
    if origin is None:
        return {}
    data: dict[str, Any] = {"type": origin.type, "date": origin.date.isoformat()}
    for attribute in ("sender_user_name", "author_signature"):
        if getattr(origin, attribute, None):
            data[attribute] = getattr(origin, attribute)
    user = getattr(origin, "sender_user", None)
    if user is not None:
        data["sender_username"] = user.username
        data["sender_is_bot"] = user.is_bot
    chat = getattr(origin, "chat", None) or getattr(origin, "sender_chat", None)
    if chat is not None:
        data["chat_title"] = chat.title
        data["chat_username"] = chat.username
    return {"forwarded": data}


async def with_retries(call: Any, *args: Any, **kwargs: Any) -> Any:
    """Retries network errors and time-outs with backoff (429s are the rate limiter's)."""
    for attempt in range(SEND_ATTEMPTS):
        try:
            return await call(*args, **kwargs)
        except RetryAfter as exc:  # the rate limiter gave up; honour Telegram anyway
            await asyncio.sleep(float(exc.retry_after.total_seconds()
                                      if hasattr(exc.retry_after, "total_seconds")
                                      else exc.retry_after))
        except (TimedOut, NetworkError) as exc:
            if isinstance(exc, BadRequest | Forbidden) or attempt == SEND_ATTEMPTS - 1:
                raise
            await asyncio.sleep(0.5 * 2 ** attempt)
    return await call(*args, **kwargs)


class Place:
    """One of the places for turns at work (:class:`OrderedUpdates`), as held by one turn."""

    def __init__(self, places: asyncio.Semaphore) -> None:
        self.places = places
        self.held = False

    async def take(self) -> None:
        await self.places.acquire()
        self.held = True

    def give_back(self) -> None:
        if self.held:
            self.held = False
            self.places.release()


_PLACE: ContextVar[Place | None] = ContextVar("jaga_turn_place", default=None)


@asynccontextmanager
async def place_set_aside() -> AsyncIterator[None]:
    """Gives up the current turn's place while it waits on slow work that needs none (OCR in
    a subprocess), keeping its chat's turn, and takes a place again afterwards; so photos
    being read do not hold back other chats' text messages. Outside a turn it does nothing."""
    place = _PLACE.get()
    if place is None or not place.held:
        yield
        return
    place.give_back()
    try:
        yield
    finally:
        await place.take()


class OrderedUpdates(BaseUpdateProcessor):
    """Processes updates concurrently across chats and one at a time, in order of arrival,
    within a chat (every handler of one update runs inside the chat's turn).

    At most ``max_running`` turns do their work at once; the others wait, in order, for a
    free place *after* taking their chat's turn, so a chat that floods the bot holds one
    place, not all of them. Running hundreds of turns at once does not answer anyone sooner
    on two cores: every HTTP connection pool and the database then walk queues hundreds long
    for each request (docs/benchmarks.md).
    """

    def __init__(self, order: ChatOrder, max_concurrent_updates: int = 256,
                 max_running: int = MAX_RUNNING_TURNS) -> None:
        super().__init__(max_concurrent_updates)
        self.order = order
        self.running = asyncio.Semaphore(max_running)

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat if isinstance(update, Update) else None
        if chat is None:
            await self._at_work(coroutine)
            return
        assert isinstance(update, Update)
        async with self.order.turn(chat.id, update.update_id):
            await self._at_work(coroutine)

    async def _at_work(self, coroutine: Awaitable[Any]) -> None:
        """Runs the turn in a place (which :func:`place_set_aside` can lend out meanwhile)."""
        place = Place(self.running)
        token = _PLACE.set(place)
        try:
            await place.take()
            await coroutine
        finally:
            place.give_back()
            _PLACE.reset(token)

    async def initialize(self) -> None:
        """Nothing to set up: the order's Redis client connects on first use."""

    async def shutdown(self) -> None:
        """Nothing to free here: the front end closes the Redis client."""


class TelegramFrontEnd:
    """Handlers that turn Telegram updates into conversation turns."""

    def __init__(self, conversation: Conversation, renderer: Renderer, settings: Settings,
                 database: Database, desk: StaffDesk | None = None) -> None:
        self.desk = desk
        self.conversation = conversation
        self.renderer = renderer
        self.settings = settings
        self.database = database
        self.link = RedisLink(settings.redis_url) if settings.redis_url else None
        self.gate = SharedFloodGate(
            FloodGate(settings.flood_max_messages, settings.flood_window_seconds), self.link)
        self.order = ChatOrder(self.link)
        self.ocr_slots = asyncio.Semaphore(OCR_AT_ONCE)
        self._pruned_at: float | None = None  # when sent-message ids were last pruned

    async def close(self) -> None:
        """Closes the Redis connections (if any)."""
        if self.link is not None:
            await self.link.close()

    # -- sending -------------------------------------------------------------------------

    async def send(self, message: Message, replies: list[Reply],
                   received: Sequence[int] = ()) -> None:
        """Sends the replies in order; the keyboard goes with the last part of a split text.

        The ids of what was sent, and of the ``received`` messages it answers, are stored in
        one unit of work, even when a send fails, so that /wipe can delete them later.
        """
        sent: list[int] = []
        try:
            for reply in replies:
                parts = split_text(reply.text) or (["⬇️"] if reply.buttons else [])
                for index, part in enumerate(parts):
                    markup = keyboard(reply.buttons) if index == len(parts) - 1 else None
                    result = await with_retries(message.get_bot().send_message,
                                                message.chat_id, part, reply_markup=markup)
                    sent.append(result.message_id)
        finally:
            await asyncio.to_thread(self._remember, message.chat_id, [*received, *sent])
        if any(reply.custom.get(ERASED) for reply in replies):
            await self._delete_chat_messages(message, keep=sent)

    def _remember(self, chat_id: int, message_ids: list[int]) -> None:
        """Keeps message ids for /wipe and /delete; ids past Telegram's 48 hours are dropped
        once an hour, so the table holds two days of messages, not every one."""
        now = time.monotonic()
        prune = self._pruned_at is None or now - self._pruned_at > PRUNE_EVERY_SECONDS
        if prune:
            self._pruned_at = now
        with self.database.session() as session:
            repository = SentMessageRepository(session)
            repository.add_all(chat_id, message_ids)
            if prune:
                repository.prune()

    def _pop(self, chat_id: int) -> list[int]:
        with self.database.session() as session:
            return SentMessageRepository(session).pop(chat_id)

    async def _delete_chat_messages(self, message: Message, keep: list[int]) -> None:
        """Deletes the bot's messages of the last 48 hours in this chat, but the confirmation."""
        ids = [i for i in await asyncio.to_thread(self._pop, message.chat_id) if i not in keep]
        for start in range(0, len(ids), 100):
            try:
                await with_retries(message.get_bot().delete_messages, message.chat_id,
                                   ids[start:start + 100])
            except (BadRequest, Forbidden):
                log.info("Telegram refused to delete some messages in a chat")
        await asyncio.to_thread(self._remember, message.chat_id, keep)

    # -- turns ---------------------------------------------------------------------------

    async def _turn(self, update: Update, text: str, metadata: dict[str, Any] | None = None,
                    before: list[Reply] | None = None) -> None:
        message = update.effective_message
        user = update.effective_user
        if message is None:
            return
        verdict = await self.gate.check(user.id if user else message.chat_id)
        if verdict == "drop":
            return
        # The user's own messages can be wiped too (Telegram allows it for 48 hours): their
        # ids are stored with the replies' (one unit of work), or alone if no reply comes.
        received = [message.message_id]
        try:
            if verdict == "warn" or (self.desk is not None and not text.startswith("/") and
                                     await self.desk.relay_from_worker(sender_id_of(update), text)):
                key = "msg_throttled" if verdict == "warn" else "msg_case_relayed"
                language = await self.conversation.users.language(sender_id_of(update))
                replies = [self.renderer.render(key, language)]
            else:
                replies = [*(before or []), *await self.conversation.handle(
                    sender_id_of(update), text, language_code_of(update), metadata)]
        except BaseException:
            await asyncio.to_thread(self._remember, message.chat_id, received)
            raise
        await self.send(message, replies, received)

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start (with deep-link payloads), /help, /sos, /language, /delete; any other
        command gets the menu."""
        message = update.effective_message
        if message is None or not message.text:
            return
        command = message.text.split()[0].lstrip("/").split("@")[0].lower()
        payload = COMMAND_PAYLOADS.get(command, "/greet")
        if command == "start" and context.args:
            payload = DEEP_LINKS.get(context.args[0].lower(), payload)
        await self._turn(update, payload)

    async def on_privacy(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/privacy: what is stored and for how long, in the user's language."""
        message = update.effective_message
        if message is None:
            return
        language = await self.conversation.users.settle_language(
            sender_id_of(update), language_code_of(update), (None, 0.0))
        await self.send(message, [self.renderer.render("msg_privacy", language)])

    async def on_wipe(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/wipe: deletes this chat's messages (the bot's and the user's, last 48 hours) but
        keeps the case and settings; for a phone that may be checked by someone else."""
        message = update.effective_message
        if message is None:
            return
        language = await self.conversation.users.language(sender_id_of(update))
        await asyncio.to_thread(self._remember, message.chat_id, [message.message_id])
        await self._delete_chat_messages(message, keep=[])
        done = await with_retries(message.get_bot().send_message, message.chat_id,
                                  self.renderer.text("msg_wiped", language))
        await asyncio.to_thread(self._remember, message.chat_id, [done.message_id])

    async def on_card(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/card or its button: the worker's hotlines as one message, pinned quietly."""
        message = update.effective_message
        if message is None:
            return
        sender = sender_id_of(update)
        users = self.conversation.users
        language = await users.language(sender)
        nationality = await users.nationality(sender)
        case = await self.desk.cases.open_case(sender) if self.desk else None
        nationality = nationality or (case.nationality if case else None)
        if nationality is None:
            await self._reply_with(update, "msg_card_no_contacts")
            return
        selection = select_contacts(self.conversation.reference.directory, nationality,
                                    case.host_country if case else None)
        text = self.renderer.text("msg_emergency_card", language,
                                  contacts=selection_text(selection, self.renderer, language))
        card = await with_retries(message.get_bot().send_message, message.chat_id,
                                  split_text(text)[0])
        await asyncio.to_thread(self._remember, message.chat_id, [card.message_id])
        try:
            await with_retries(message.get_bot().pin_chat_message, message.chat_id,
                               card.message_id, disable_notification=True)
        except (BadRequest, Forbidden):
            log.info("Telegram did not let the bot pin the card")

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Text or a caption, typed or forwarded; "help" alone always gets the help reply."""
        message = update.effective_message
        if message is None:
            return
        text = message.text or message.caption or ""
        if fold(text.strip(" !.?")) in HELP_WORDS:
            text = "/request_help"
        await self._turn(update, text, forward_metadata(message))

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A tapped inline button sends its payload as the user's next message."""
        query = update.callback_query
        if query is None:
            return
        try:
            await query.answer()
        except (BadRequest, NetworkError):
            log.info("could not answer a callback query (it may be too old)")
        if query.data == "/card":
            await self.on_card(update, context)
        elif query.data:
            await self._turn(update, query.data)

    async def on_location(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A location pin goes to the dialogue as coordinates."""
        message = update.effective_message
        if message is None or message.location is None:
            return
        language = await self.conversation.users.language(sender_id_of(update))
        point = message.location
        payload = f'/inform{{"latitude":{point.latitude:.5f},"longitude":{point.longitude:.5f}}}'
        await self._turn(update, payload,
                         before=[self.renderer.render("msg_location_received", language)])

    async def on_photo(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A screenshot of an ad: read with OCR, shown back, then checked like pasted text."""
        message = update.effective_message
        if message is None or not message.photo:
            return
        language = await self.conversation.users.language(sender_id_of(update))
        if not ocr.available():
            if message.caption:
                await self.on_text(update, context)
            else:
                await self._reply_with(update, "msg_ocr_unavailable")
            return
        try:
            file = await with_retries(message.photo[-1].get_file)
            image = bytes(await with_retries(file.download_as_bytearray))
            async with place_set_aside(), self.ocr_slots:
                text = await ocr.read_text(image, language)
        except (ocr.OcrError, BadRequest) as exc:
            log.info("a screenshot could not be read: %s", exc)
            text = ""
        if not text.strip():
            if message.caption:  # nothing in the picture, but words beside it
                await self.on_text(update, context)
            else:
                await self._reply_with(update, "msg_ocr_nothing")
            return
        shown = text if len(text) <= 1500 else text[:1500] + "…"
        read = self.renderer.render("msg_ocr_read", language, text=shown)
        full = f"{message.caption}\n{text}" if message.caption else text
        await self._turn(update, "/check_offer", {"offer_text": full, "ocr": True},
                         before=[read])

    async def on_contact(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A shared contact card is not kept; say what to send instead."""
        await self._reply_with(update, "msg_contact_card")

    async def on_unsupported(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Photos, stickers, voice notes, files: say what the bot can read."""
        await self._reply_with(update, "msg_unsupported_message")

    async def _reply_with(self, update: Update, key: str) -> None:
        message = update.effective_message
        if message is None:
            return
        language = await self.conversation.users.language(sender_id_of(update))
        await self.send(message, [self.renderer.render(key, language)])

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Logs first, then tells the staff chat (the trace, never the user's text)."""
        log.error("error while handling an update", exc_info=context.error)
        if self.settings.staff_chat_id is None or context.error is None:
            return
        trace = "".join(traceback.format_exception(context.error))[-3000:]
        try:
            await context.bot.send_message(self.settings.staff_chat_id,
                                           f"Jaga error:\n<pre>{html.escape(trace)}</pre>",
                                           parse_mode="HTML")
        except Exception:
            log.exception("could not notify the staff chat")


# Connections to the Bot API. python-telegram-bot's default (256) made httpcore's pool walk
# hundreds of connections for every request under a burst (docs/benchmarks.md); paced at
# Telegram's 30 messages/s a bot needs far fewer.
BOT_API_CONNECTIONS = 32
BOT_API_POOL_WAIT = 30.0  # seconds


def build_application(settings: Settings, conversation: Conversation, renderer: Renderer,
                      database: Database, transport: Callable[[], BaseRequest] | None = None,
                      pace: bool = True, desk: StaffDesk | None = None,
                      scripts: ScriptDesk | None = None,
                      ) -> tuple[Application, TelegramFrontEnd]:  # type: ignore[type-arg]
    """The Application with every handler, and the front end that owns them.

    ``transport`` makes the HTTP clients (benchmarks use an in-process one); by default
    python-telegram-bot's own httpx client talks to the Bot API. ``pace`` keeps outgoing
    messages within Telegram's limits (30 per second overall, about 1 per second per chat)
    and retries 429s; only a benchmark of the layer's own cost turns it off.
    """
    front = TelegramFrontEnd(conversation, renderer, settings, database, desk)
    builder = ApplicationBuilder().token(settings.telegram_bot_token).concurrent_updates(
        OrderedUpdates(front.order))
    if pace:
        limiter: Any = AIORateLimiter(max_retries=5)  # retries 429s after retry_after
        builder = builder.rate_limiter(limiter)
    if settings.telegram_api_base_url:
        base = settings.telegram_api_base_url
        builder = builder.base_url(base)
        if base.endswith("/bot"):  # files are served beside the API: .../file/bot<token>/...
            builder = builder.base_file_url(base[: -len("bot")] + "file/bot")
    if transport is not None:
        builder = builder.request(transport()).get_updates_request(transport())
    else:
        # A send waits for a free connection instead of failing after PTB's 1 s default.
        builder = builder.connection_pool_size(BOT_API_CONNECTIONS).pool_timeout(
            BOT_API_POOL_WAIT)
    application: Application = (  # type: ignore[type-arg]
        builder.updater(None) if settings.telegram_webhook_url else builder).build()
    staff_chats = sorted(settings.all_staff_chats)
    if desk is not None and staff_chats:
        # The staff chat first: case buttons, and replies to case cards, never reach Rasa.
        application.add_handler(CallbackQueryHandler(desk.on_case_button, pattern=r"^case:"))
        application.add_handler(MessageHandler(
            filters.Chat(staff_chats) & filters.REPLY & filters.TEXT
            & ~filters.COMMAND, desk.on_staff_reply))
        application.add_handler(MessageHandler(filters.Chat(staff_chats),
                                               _ignore))
    if scripts is not None and settings.script_staff:
        # Catalog commands and .po files of listed staff; anyone else's fall through to the
        # ordinary handlers below (the menu for a command, the usual reply to a file).
        for handler in scripts.handlers():
            application.add_handler(handler)
    # Commands first, so "/start" never reaches the text handler.
    application.add_handler(CommandHandler(list(COMMAND_PAYLOADS), front.on_command))
    application.add_handler(CommandHandler("privacy", front.on_privacy))
    application.add_handler(CommandHandler("wipe", front.on_wipe))
    application.add_handler(CommandHandler("card", front.on_card))
    application.add_handler(CallbackQueryHandler(front.on_button))
    # Edited messages are ignored on purpose: answering an edit would repeat a whole turn.
    new = ~filters.UpdateType.EDITED
    # Photos before text: a screenshot's caption is read together with the picture.
    application.add_handler(MessageHandler(filters.PHOTO & new, front.on_photo))
    application.add_handler(MessageHandler((filters.TEXT | filters.CAPTION) & ~filters.COMMAND
                                           & new, front.on_text))
    # A command the bot does not know gets the menu, like /start (never silence); in private
    # chats only, as in a group it may be meant for another bot.
    application.add_handler(MessageHandler(filters.COMMAND & filters.ChatType.PRIVATE & new,
                                           front.on_command))
    application.add_handler(MessageHandler(filters.LOCATION & new, front.on_location))
    application.add_handler(MessageHandler(filters.CONTACT & new, front.on_contact))
    application.add_handler(MessageHandler(
        (filters.Sticker.ALL | filters.VOICE | filters.AUDIO
         | filters.Document.ALL | filters.VIDEO | filters.VIDEO_NOTE | filters.ANIMATION)
        & new, front.on_unsupported))
    application.add_error_handler(front.on_error)
    return application, front


async def _ignore(update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
    """Other talk in the staff chat is the staff's own."""


async def set_commands(application: Application, renderer: Renderer) -> None:  # type: ignore[type-arg]
    """Registers the command menu in every supported language (English is the default)."""
    for language in (None, *SUPPORTED):
        commands = [BotCommand(c, renderer.text(f"cmd_{c}", language or "en")) for c in MENU]
        await with_retries(application.bot.set_my_commands, commands, language_code=language)


def add_webhook_route(app: web.Application, application: Application,  # type: ignore[type-arg]
                      secret: str, path: str = "/telegram", order: ChatOrder | None = None
                      ) -> None:
    """Telegram's webhook on the app's HTTP server; requests without the secret are refused.

    With ``order`` the update takes its place in its chat's queue before Telegram gets its
    answer, so a chat's updates are processed in the order they arrived, whichever replica
    each reached.
    """

    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get("X-Telegram-Bot-Api-Secret-Token", "")
        if not secret or not hmac.compare_digest(given.encode(), secret.encode()):
            return web.json_response({"ok": False, "error": "forbidden"}, status=403)
        try:
            data = await request.json()
            if not isinstance(data, dict):
                raise TypeError("an update is a JSON object")
            update = Update.de_json(data, application.bot)
        except (ValueError, KeyError, TypeError, AttributeError):  # PTB's errors on bad input
            return web.json_response({"ok": False, "error": "malformed update"}, status=400)
        if update is not None:
            if order is not None and update.effective_chat is not None:
                await order.reserve(update.update_id, update.effective_chat.id)
            await application.update_queue.put(update)
        return web.json_response({"ok": True})

    app.router.add_post(path, receive)
