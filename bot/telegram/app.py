"""Builds the python-telegram-bot Application and its handlers (the composition of the bot)."""

from __future__ import annotations

import html
import logging
import traceback

from telegram import BotCommand, Message, Update
from telegram.ext import (
    AIORateLimiter,
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    CommandHandler,
    ContextTypes,
    MessageHandler,
    filters,
)

from bot.conversation import Conversation
from bot.i18n.responses import Renderer, Reply
from bot.settings import Settings
from bot.telegram.render import keyboard, split_text

log = logging.getLogger(__name__)

# Commands are shortcuts into the dialogue: each sends an intent payload to Rasa.
COMMAND_PAYLOADS = {
    "start": "/greet",
    "help": "/greet",
    "sos": "/request_help",
    "language": "/change_language",
    "delete": "/delete_my_data",
}
DEEP_LINKS = {"help": "/request_help", "sos": "/request_help", "check": "/check_offer",
              "migrate": "/ask_migration_steps", "hotline": "/ask_hotline"}


def sender_id_of(update: Update) -> str:
    """The conversation id shared with Rasa for this Telegram user."""
    if update.effective_user is not None:
        return f"tg-{update.effective_user.id}"
    chat = update.effective_chat
    return f"tg-chat-{chat.id if chat else 0}"


def language_code_of(update: Update) -> str | None:
    return update.effective_user.language_code if update.effective_user else None


async def send_replies(message: Message, replies: list[Reply]) -> None:
    """Sends each reply; the keyboard goes with the last part of a split text."""
    for reply in replies:
        parts = split_text(reply.text) or ([" "] if reply.buttons else [])
        for index, part in enumerate(parts):
            markup = keyboard(reply.buttons) if index == len(parts) - 1 else None
            await message.reply_text(part, reply_markup=markup)


class TelegramFrontEnd:
    """Handlers that turn Telegram updates into conversation turns."""

    def __init__(self, conversation: Conversation, renderer: Renderer, settings: Settings):
        self.conversation = conversation
        self.renderer = renderer
        self.settings = settings

    async def _turn(self, update: Update, text: str) -> None:
        message = update.effective_message
        if message is None:
            return
        replies = await self.conversation.handle(sender_id_of(update), text,
                                                 language_code_of(update))
        await send_replies(message, replies)

    async def on_command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/start (with deep-link payloads), /help, /sos, /language, /delete."""
        message = update.effective_message
        if message is None or not message.text:
            return
        command = message.text.split()[0].lstrip("/").split("@")[0].lower()
        payload = COMMAND_PAYLOADS.get(command, "/greet")
        if command == "start" and context.args:
            payload = DEEP_LINKS.get(context.args[0].lower(), payload)
        await self._turn(update, payload)

    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Any text or caption, forwarded or typed, goes to the dialogue."""
        message = update.effective_message
        if message is not None:
            await self._turn(update, message.text or message.caption or "")

    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A tapped inline button sends its payload as the user's next message."""
        query = update.callback_query
        if query is None:
            return
        await query.answer()
        if query.data:
            await self._turn(update, query.data)

    async def on_unsupported(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Photos, stickers, voice notes, files: say what the bot can read."""
        message = update.effective_message
        if message is None:
            return
        language = await self.conversation.users.language(sender_id_of(update))
        await send_replies(message, [self.renderer.render("msg_unsupported_message", language)])

    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Logs first, then tells the staff chat (never the user's text)."""
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


def build_application(settings: Settings, conversation: Conversation, renderer: Renderer
                      ) -> Application:  # type: ignore[type-arg]
    """The Application with every handler; order matters where noted."""
    builder = ApplicationBuilder().token(settings.telegram_bot_token)
    builder = builder.rate_limiter(AIORateLimiter(max_retries=5))  # type: ignore[arg-type]
    if settings.telegram_api_base_url:
        builder = builder.base_url(settings.telegram_api_base_url)
    application = builder.build()
    front = TelegramFrontEnd(conversation, renderer, settings)
    # Commands first, so "/start" never reaches the text handler.
    application.add_handler(CommandHandler(list(COMMAND_PAYLOADS), front.on_command))
    application.add_handler(CallbackQueryHandler(front.on_button))
    # Text and captions (forwarded ads arrive as either); edited messages are ignored on
    # purpose: answering an edit would repeat a whole turn.
    application.add_handler(MessageHandler(
        (filters.TEXT | filters.CAPTION) & ~filters.COMMAND & ~filters.UpdateType.EDITED,
        front.on_text))
    application.add_handler(MessageHandler(
        (filters.PHOTO | filters.Sticker.ALL | filters.VOICE | filters.AUDIO
         | filters.Document.ALL | filters.VIDEO | filters.VIDEO_NOTE)
        & ~filters.UpdateType.EDITED, front.on_unsupported))
    application.add_error_handler(front.on_error)
    return application


async def set_commands(application: Application, renderer: Renderer) -> None:  # type: ignore[type-arg]
    """Registers the command menu (English descriptions; per-language menus come later)."""
    await application.bot.set_my_commands([
        BotCommand("start", "Start / menu"),
        BotCommand("sos", "Get help now"),
        BotCommand("language", "Change language"),
        BotCommand("delete", "Delete my data"),
    ])
