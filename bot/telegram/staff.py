"""The staff side of help requests: the outbox to staff chats, case buttons, and the relay
between a caseworker and the worker."""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

import httpx
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut
from telegram.ext import ContextTypes

from bot.cases import CaseService, CaseView, Outgoing
from bot.i18n.responses import Renderer
from bot.periodic import every
from bot.services.cases import REFERENCE_ALPHABET
from bot.settings import Settings
from bot.spool import Spool
from bot.store.models import utcnow

log = logging.getLogger(__name__)
ACTIONS = ("ack", "take", "contacted", "resolve")
Classifier = Callable[[str], Awaitable[str]]  # text -> intent name
OUTBOX_INTERVAL_SECONDS = 2.0
REFERENCE = re.compile(rf"\bJG-[{REFERENCE_ALPHABET}]{{6}}\b")
# Transport failures that happen before the request leaves: Telegram cannot have received it.
NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def maybe_delivered(exc: Exception) -> bool:
    """True when a failed send may still have reached Telegram: the request went out but no
    answer came back (a read time-out, a connection dropped mid-way). An error answer from
    Telegram (4xx, 5xx, 429) or a failure to connect means it was not delivered."""
    if isinstance(exc, RetryAfter | BadRequest | Forbidden):
        return False
    cause = exc.__cause__
    if not isinstance(cause, httpx.TransportError):
        return False  # Telegram answered with an error status
    return not isinstance(cause, NOT_SENT)


def retry_after_seconds(exc: RetryAfter) -> float:
    value = exc.retry_after
    return float(value.total_seconds() if isinstance(value, timedelta) else value)


def case_keyboard(renderer: Renderer, reference: str) -> InlineKeyboardMarkup:
    """The card's buttons; callback data ``case:<action>:<reference>`` (under 64 bytes)."""
    return InlineKeyboardMarkup([[
        InlineKeyboardButton(renderer.text(f"staff_btn_{action}", "en"),
                             callback_data=f"case:{action}:{reference}")
        for action in ACTIONS]])


class StaffDesk:
    """Sends queued staff messages and handles what staff do in their chat."""

    def __init__(self, cases: CaseService, renderer: Renderer, settings: Settings,
                 spool: Spool | None = None, classify: Classifier | None = None,
                 forget_location: Callable[[str], Awaitable[None]] | None = None) -> None:
        self.cases = cases
        self.renderer = renderer
        self.settings = settings
        self.spool = spool
        self.classify = classify
        self.forget_location = forget_location

    def is_staff(self, user_id: int | None) -> bool:
        return user_id is not None and user_id in self.settings.staff_user_ids

    # -- outbox --------------------------------------------------------------------------

    async def deliver(self, bot: object, outgoing: Outgoing) -> bool:
        """Sends one queued message; on failure it stays queued with backoff.

        A time-out is ambiguous: Telegram may have posted the message and only the answer was
        lost. Losing a help request is worse than showing it twice, so the message is sent
        again, labelled as a possible repeat (``staff_resent``); buttons and replies work on
        either copy, since both carry the case reference. A 429 waits ``retry_after``."""
        markup = (case_keyboard(self.renderer, outgoing.case_reference)
                  if outgoing.kind in ("card", "escalation") and outgoing.case_reference
                  else None)
        text = outgoing.text
        if outgoing.uncertain:
            text = self.renderer.text("staff_resent", "en") + "\n" + text
        try:
            sent = await bot.send_message(outgoing.chat_id, text,  # type: ignore[attr-defined]
                                          reply_markup=markup)
        except RetryAfter as exc:  # the rate limiter's own retries gave up
            log.warning("staff message %s: Telegram asks to wait %ss", outgoing.id,
                        exc.retry_after)
            await self.cases.failed(outgoing, retry_after=retry_after_seconds(exc))
            return False
        except (NetworkError, TimedOut, BadRequest, Forbidden) as exc:
            uncertain = maybe_delivered(exc)
            log.warning("staff message %s not delivered%s: %r", outgoing.id,
                        " (maybe it was: the answer timed out)" if uncertain else " yet", exc)
            await self.cases.failed(outgoing, uncertain=uncertain)
            return False
        await self.cases.sent(outgoing, sent.message_id)
        return True

    async def drain(self, bot: object, now: datetime | None = None) -> int:
        """Delivers every due message once; returns how many were delivered (the clock can
        be given, for tests)."""
        delivered = 0
        for outgoing in await self.cases.due(now):
            delivered += await self.deliver(bot, outgoing)
        return delivered

    async def replay_spool(self) -> int:
        """Turns help requests spooled during a database outage into cases, in order; the
        rest of the spool (other messages) is dropped once read. Stops at the first error
        and keeps what is left for the next pass."""
        if self.spool is None or self.classify is None:
            return 0
        records = await asyncio.to_thread(self.spool.pending)
        opened = 0
        for done, record in enumerate(records):
            try:
                if await self.classify(str(record.get("text", ""))) == "request_help":
                    card = self.renderer.text(
                        "staff_card", "en", reference="{reference}",
                        lang=record.get("language", "?"), nationality="?", where="?",
                        details=f"words: {str(record.get('text', ''))[:500]} "
                                f"(received {record.get('spooled_at')}, during an outage)")
                    await self.cases.open_or_update(
                        str(record["sender_id"]), str(record.get("language", "en")), None, None,
                        {"words": str(record.get("text", ""))[:500]}, card)
                    opened += 1
            except Exception:
                log.exception("spool replay stopped; will retry")
                await asyncio.to_thread(self.spool.drop, done)
                return opened
        await asyncio.to_thread(self.spool.drop, len(records))
        return opened

    async def escalate(self, now: datetime | None = None) -> int:
        """Re-announces overdue unacknowledged cases (the clock can be given, for tests)."""
        minutes = self.settings.escalate_after_minutes
        text = self.renderer.text("staff_escalation", "en", reference="{reference}",
                                  minutes=minutes)
        return await self.cases.escalate(now or utcnow(), timedelta(minutes=minutes), text,
                                         self.settings.escalation_chat_id)

    async def run(self, bot: object, stop: asyncio.Event) -> None:
        """Replays the spool, escalates and drains the outbox until ``stop`` is set."""
        async def step() -> None:
            await self.replay_spool()
            await self.escalate()
            await self.drain(bot)

        await every(OUTBOX_INTERVAL_SECONDS, stop, step, "the staff outbox pass")

    # -- staff actions -------------------------------------------------------------------

    async def on_case_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Acknowledge / take / contacted / resolve, by listed staff only."""
        query = update.callback_query
        if query is None or not query.data:
            return
        user = update.effective_user
        if not self.is_staff(user.id if user else None):
            await query.answer(self.renderer.text("staff_not_allowed", "en"), show_alert=True)
            return
        _, action, reference = query.data.split(":", 2)
        assert user is not None
        outcome = await self.cases.act(reference, action, user.id)
        if outcome is None:
            await query.answer()
            return
        case, changed = outcome
        if not changed:
            await query.answer(self.renderer.text("staff_not_now", "en", reference=reference,
                                                  status=case.status), show_alert=True)
            return
        await query.answer()
        if action == "resolve" and self.forget_location is not None:
            # Location is kept only while a case is open: the dialogue's copy goes too.
            try:
                await self.forget_location(case.sender_id)
            except Exception:
                log.exception("could not remove the location of %s from the dialogue",
                              reference)
        who = f"@{user.username}" if user.username else user.full_name
        if query.message is not None:
            await context.bot.send_message(query.message.chat.id, self.renderer.text(
                "staff_status", "en", reference=reference, status=case.status, who=who))
        await self._tell_worker(context, case, action)

    async def _tell_worker(self, context: ContextTypes.DEFAULT_TYPE, case: CaseView,
                           action: str) -> None:
        key = {"take": "msg_case_taken", "resolve": "msg_case_resolved"}.get(action)
        if key is None or case.chat_id is None:
            return
        try:
            await context.bot.send_message(case.chat_id, self.renderer.text(
                key, case.language, reference=case.reference))
        except (BadRequest, Forbidden):
            log.info("could not tell the worker of %s", case.reference)

    async def on_staff_reply(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """A staff reply to a case card reaches the worker through the bot."""
        message = update.effective_message
        user = update.effective_user
        if message is None or message.reply_to_message is None or not message.text:
            return
        replied = message.reply_to_message
        case = await self.cases.by_card(message.chat_id, replied.message_id)
        if case is None and replied.from_user is not None and replied.from_user.id == \
                context.bot.id:
            # Another message of the bot about a case (a card sent again after a time-out,
            # an update, a relayed message): its reference says which case.
            found = REFERENCE.search(replied.text or "")
            case = await self.cases.by_reference(found.group(0)) if found else None
        if case is None:
            return
        if not self.is_staff(user.id if user else None):
            await message.reply_text(self.renderer.text("staff_not_allowed", "en"))
            return
        if case.status == "resolved" or case.chat_id is None:
            await message.reply_text(self.renderer.text("staff_closed", "en",
                                                        reference=case.reference))
            return
        await context.bot.send_message(case.chat_id, self.renderer.text(
            "msg_case_staff_message", case.language, text=message.text))
        await message.reply_text(self.renderer.text("staff_delivered", "en",
                                                    reference=case.reference))

    async def relay_from_worker(self, sender_id: str, text: str) -> CaseView | None:
        """While a caseworker has the case, the worker's words go to them (not to the bot)."""
        case = await self.cases.open_case(sender_id)
        if case is None or case.status not in ("taken", "contacted"):
            return None
        await self.cases.relay_to_staff(case, text)
        return case
