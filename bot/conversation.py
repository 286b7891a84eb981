"""One user message in, the bot's replies out: the engine behind Telegram and the console.

It cleans the text (Zawgyi to Unicode, control characters, length), settles the reply
language, asks Rasa, renders what Rasa left to the app, erases data after a confirmed
deletion, and answers even when Rasa is down (with the emergency contacts).
"""

from __future__ import annotations

import asyncio
import logging
import re
import unicodedata
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from bot.actions.delete import ERASE_MARKER
from bot.dialogue.client import DialogueUnavailable, RasaClient
from bot.i18n.contacts_text import contact_lines, selection_text
from bot.i18n.detect import detect
from bot.i18n.languages import LIKELY_NATIONALITY, negotiate, normalise
from bot.i18n.names import country_name
from bot.i18n.responses import Renderer, Reply
from bot.i18n.zawgyi import to_unicode
from bot.reference import ReferenceData
from bot.services.contacts import select_contacts
from bot.spool import Spool
from bot.users import UserService

log = logging.getLogger(__name__)

ERASED = "erased"  # set on the reply that confirms a deletion

MAX_CHARS = 20000  # a long pasted ad is one message; Telegram caps messages at 4096
LONG_AD_CHARS = 200  # a text this long (or forwarded) is read as a job offer ...
# ... unless the NLU hears one of these: safety and the user's own choices come first.
NEVER_REROUTED = frozenset({"request_help", "ask_hotline", "delete_my_data", "change_language",
                            "bot_challenge"})
ROUTES = {"offer": ("/check_offer", "offer_text"), "report": ("/report_recruiter", "report_text")}
AWAIT = "await"  # custom key on a reply: what the bot now expects ("offer", "report")
_CONTROL = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f\u200b-\u200d\ufeff]")
HELP_PAYLOAD = "/request_help"
OUTAGE_NATIONALITIES = ("ID", "PH", "VN", "MM", "KH", "TH", "LA", "MY")


def clean(text: str) -> str:
    """Unicode text the NLU can read: NFC, Burmese in Unicode, no control characters."""
    text = to_unicode(_CONTROL.sub("", text or "")[: MAX_CHARS * 2])
    return unicodedata.normalize("NFC", text)[:MAX_CHARS].strip()


class Conversation:
    """Handles one message of one user at a time (callers keep per-user order)."""

    def __init__(self, dialogue: RasaClient, users: UserService, renderer: Renderer,
                 reference: ReferenceData, spool: Spool | None = None) -> None:
        self.dialogue = dialogue
        self.users = users
        self.renderer = renderer
        self.reference = reference
        self.spool = spool

    async def handle(self, sender_id: str, text: str, client_language: str | None = None,
                     metadata: dict[str, Any] | None = None) -> list[Reply]:
        """The replies to ``text`` from ``sender_id``, in the user's language.

        ``metadata`` (for example where a forwarded message came from) is kept with the
        message in Rasa's tracker, where actions can read it.
        """
        text = clean(text)
        is_payload = text.startswith("/")
        detected = detect(text) if text and not is_payload else (None, 0.0)
        try:
            language = await self.users.settle_language(sender_id, client_language, detected)
        except SQLAlchemyError:
            log.exception("database unavailable; answering %s without it", sender_id)
            return await self.database_outage(sender_id, text, client_language, detected)
        if not text:
            return [self.renderer.render("msg_empty_message", language)]
        try:
            routed, metadata = await self._route(sender_id, text, metadata or {}, is_payload)
            replies = await self.dialogue.send(sender_id, routed, metadata)
            return await self._finish(sender_id, replies, language)
        except DialogueUnavailable:
            log.exception("Rasa unavailable; answering %s with the outage card", sender_id)
            # Spooled like in a database outage: a help request becomes a case once Rasa
            # can classify it again (StaffDesk.replay_spool).
            await self._spool(sender_id, text, language)
            return await self.outage(sender_id, language)
        except SQLAlchemyError:
            log.exception("database unavailable; answering %s without it", sender_id)
            return await self.database_outage(sender_id, text, client_language, detected)

    async def _route(self, sender_id: str, text: str, metadata: dict[str, Any],
                     is_payload: bool) -> tuple[str, dict[str, Any]]:
        """Sends an awaited, forwarded or long text to the skill that reads it.

        After "paste the job ad" the next message is the ad, whatever words it uses; so is a
        forwarded message or a long text. The NLU is still asked first, so that a help request
        or a wish to delete or change language is never swallowed.
        """
        awaiting = None if is_payload else await self.users.awaiting(sender_id)
        if awaiting:
            await self.users.set_awaiting(sender_id, None)
        kind = awaiting or ("offer" if not is_payload and (
            "forwarded" in metadata or len(text) >= LONG_AD_CHARS) else None)
        if kind not in ROUTES:
            return text, metadata
        intent = str((await self.dialogue.parse(text)).get("intent", {}).get("name", ""))
        if intent in NEVER_REROUTED or (kind == "offer" and not awaiting
                                        and intent == "report_recruiter"):
            return text, metadata
        payload, key = ROUTES[str(kind)]
        return payload, {**metadata, key: text}

    async def _finish(self, sender_id: str, replies: list[Reply], language: str
                      ) -> list[Reply]:
        finished: list[Reply] = []
        for reply in replies:
            if reply.custom.get(AWAIT) in ROUTES:
                await self.users.set_awaiting(sender_id, str(reply.custom[AWAIT]))
            key = reply.custom.get("jaga_response")
            if reply.custom.get(ERASE_MARKER):
                finished.append(await self._erase(sender_id, language))
            elif isinstance(key, str) and self.renderer.has(key):
                finished.append(self.renderer.render(key, language))
            elif reply.text or reply.buttons:
                finished.append(reply)
        return finished

    async def _erase(self, sender_id: str, language: str) -> Reply:
        try:
            await self.users.erase(sender_id)
        except Exception:
            log.exception("erasing %s failed", sender_id)
            return self.renderer.render("msg_delete_failed", language)
        done = self.renderer.render("msg_deleted", language)
        # Front ends that keep message ids (Telegram) delete their messages on this flag.
        return Reply(done.text, done.buttons, {ERASED: True})

    async def database_outage(self, sender_id: str, text: str, client_language: str | None,
                              detected: tuple[str | None, float]) -> list[Reply]:
        """Hotlines without the database; the message is spooled so a help request that
        arrives now still becomes a case when the database is back."""
        guess = detected[0] if detected[1] >= 0.6 else None
        language = normalise(guess) or negotiate(None, client_language)
        await self._spool(sender_id, text, language)
        return await self.outage(sender_id, language, use_database=False)

    async def _spool(self, sender_id: str, text: str, language: str) -> None:
        """Keeps the user's words (or a help button press) for the replay into cases."""
        if self.spool is not None and text and (not text.startswith("/")
                                                or text.startswith(HELP_PAYLOAD)):
            await asyncio.to_thread(self.spool.append, {"sender_id": sender_id, "text": text,
                                                        "language": language})

    async def outage(self, sender_id: str, language: str, use_database: bool = True
                     ) -> list[Reply]:
        """Apology plus hotlines: a help request must never go unanswered."""
        nationality = None
        if use_database:
            try:
                nationality = await self.users.nationality(sender_id)
            except SQLAlchemyError:
                log.exception("database unavailable during a Rasa outage")
        nationality = nationality or LIKELY_NATIONALITY.get(language)
        if nationality:
            body = selection_text(select_contacts(self.reference.directory, nationality, None),
                                  self.renderer, language)
        else:
            body = self._all_national_hotlines(language)
        return [Reply(self.renderer.text("msg_rasa_down", language) + "\n\n" + body),
                self.renderer.render("msg_rasa_down_retry", language)]

    def _all_national_hotlines(self, language: str) -> str:
        parts = []
        for code in OUTAGE_NATIONALITIES:
            lines = [contact_lines(c, self.renderer, language)
                     for c in select_contacts(self.reference.directory, code, None)
                     .national_hotlines]
            if lines:
                parts.append(f"{country_name(code, language)}:\n" + "\n".join(lines))
        return "\n\n".join(parts)
