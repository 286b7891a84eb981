"""Help-request cases: opened before anything else happens, details encrypted at rest, staff
notified through an outbox that is retried until Telegram accepts each message."""

from __future__ import annotations

import asyncio
import json
import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from sqlalchemy import select

from bot.services.cases import is_open, new_reference, next_status
from bot.services.gazetteer import fold
from bot.store.database import Database
from bot.store.models import Case, utcnow
from bot.store.repositories import CaseRepository, OutboxRepository

log = logging.getLogger(__name__)
MAX_BACKOFF_SECONDS = 300
CLAIM_LEASE = timedelta(seconds=60)  # an outbox message claimed by a replica is its own so long


def load_key(configured: str, var_dir: Path) -> bytes:
    """The configured Fernet key, or one generated once into ``var/case.key``."""
    if configured:
        return configured.encode()
    path = var_dir / "case.key"
    if not path.exists():
        var_dir.mkdir(parents=True, exist_ok=True)
        path.write_bytes(Fernet.generate_key())
        path.chmod(0o600)
        log.warning("generated a case encryption key in %s: back it up", path)
    return path.read_bytes().strip()


@dataclass(frozen=True)
class CaseView:
    """What the rest of the app needs of a case (details decrypted)."""

    id: int
    reference: str
    sender_id: str
    chat_id: int | None
    language: str
    status: str
    nationality: str | None
    host_country: str | None
    staff_chat_id: int | None
    card_message_id: int | None
    details: dict[str, Any]


@dataclass(frozen=True)
class Outgoing:
    """An outbox message ready to send; ``uncertain`` when an earlier attempt may have reached
    Telegram (it timed out after sending), so this one may be a repeat."""

    id: int
    chat_id: int
    kind: str
    text: str
    case_reference: str | None
    uncertain: bool = False


def chat_of(sender_id: str) -> int | None:
    """The Telegram private chat of a ``tg-<user id>`` conversation."""
    rest = sender_id.removeprefix("tg-")
    return int(rest) if rest != sender_id and rest.isdigit() else None


class CaseService:
    """Opens and updates cases, and feeds the staff outbox."""

    def __init__(self, database: Database, key: bytes, staff_chat_id: int | None,
                 staff_chats: tuple[tuple[str, str | None, int], ...] = (),
                 mission_chats: tuple[tuple[str, str, str, int], ...] = ()) -> None:
        self.database = database
        self.fernet = Fernet(key)
        self.staff_chat_id = staff_chat_id
        self.staff_chats = staff_chats
        self.mission_chats = mission_chats

    def chat_for(self, nationality: str | None, host: str | None,
                 mission: str | None = None) -> int | None:
        """The staff chat for a case: the chat of the mission it was routed to (``mission`` is
        ``HOST:City``, e.g. ``TH:Songkhla``, which may lie across a border from ``host``), else
        of the nationality in that country, else of the nationality, else the central one."""
        for n, h, city, chat in self.mission_chats:
            if mission and n == nationality and fold(f"{h}:{city}") == fold(mission):
                return chat
        routes: dict[tuple[str | None, str | None], int] = {
            (n, h): chat for n, h, chat in self.staff_chats}
        return (routes.get((nationality, host)) or routes.get((nationality, None))
                or self.staff_chat_id)

    def _seal(self, data: dict[str, Any] | str) -> str:
        raw = data if isinstance(data, str) else json.dumps(data, ensure_ascii=False)
        return self.fernet.encrypt(raw.encode()).decode()

    def _open_text(self, token: str) -> str:
        try:
            return self.fernet.decrypt(token.encode()).decode() if token else ""
        except InvalidToken:
            log.error("a stored case field could not be decrypted (wrong CASE_ENCRYPTION_KEY?)")
            return ""

    def _view(self, case: Case) -> CaseView:
        details = self._open_text(case.details)
        return CaseView(case.id, case.reference, case.sender_id, case.chat_id, case.language,
                        case.status, case.nationality, case.host_country, case.staff_chat_id,
                        case.card_message_id, json.loads(details) if details else {})

    # -- opening and updating ------------------------------------------------------------

    def _open_or_update(self, sender_id: str, language: str, nationality: str | None,
                        host: str | None, details: dict[str, Any], card: str,
                        mission: str | None = None) -> tuple[CaseView, bool]:
        with self.database.session() as session:
            cases = CaseRepository(session)
            case = cases.open_for(sender_id)
            created = case is None
            if case is None:
                reference = new_reference()
                while cases.by_reference(reference) is not None:
                    reference = new_reference()
                case = cases.add(Case(reference=reference, sender_id=sender_id,
                                      chat_id=chat_of(sender_id), language=language,
                                      nationality=nationality, host_country=host,
                                      status="new", details=self._seal(details),
                                      mission=mission,
                                      staff_chat_id=self.chat_for(nationality, host, mission)))
                kind = "card"
            else:
                merged = {**self._view(case).details, **details}
                case.details = self._seal(merged)
                if mission or (host and host != case.host_country):
                    case.mission = mission  # a mission of the old country no longer applies
                case.nationality = nationality or case.nationality
                case.host_country = host or case.host_country
                kind = "update"
                better = self.chat_for(case.nationality, case.host_country, case.mission)
                if better is not None and better != case.staff_chat_id:
                    # Now that we know more, the case belongs to another team: send it there
                    # as a card (its buttons and replies work from that chat on).
                    case.staff_chat_id, kind = better, "card"
            if case.staff_chat_id is not None and (created or details or nationality or host
                                                   or kind == "card"):
                OutboxRepository(session).add(
                    case.staff_chat_id, kind,
                    self._seal(card.replace("{reference}", case.reference)), case.id)
            return self._view(case), created

    async def open_or_update(self, sender_id: str, language: str, nationality: str | None,
                             host: str | None, details: dict[str, Any], card: str,
                             mission: str | None = None) -> tuple[CaseView, bool]:
        """The user's open case, created if needed; the staff card is queued in the same
        transaction, so a committed case always reaches the staff chat. ``mission``
        (``HOST:City``) is the mission the worker was routed to (it may pick that mission's
        chat)."""
        return await asyncio.to_thread(self._open_or_update, sender_id, language, nationality,
                                       host, details, card, mission)

    def _open_case(self, sender_id: str) -> CaseView | None:
        with self.database.session() as session:
            case = CaseRepository(session).open_for(sender_id)
            return self._view(case) if case else None

    async def open_case(self, sender_id: str) -> CaseView | None:
        return await asyncio.to_thread(self._open_case, sender_id)

    # -- staff actions -------------------------------------------------------------------

    def _act(self, reference: str, action: str, staff_user: int) -> tuple[CaseView, bool] | None:
        with self.database.session() as session:
            case = CaseRepository(session).by_reference(reference)
            if case is None:
                return None
            target = next_status(case.status, action)
            if target is None:
                return self._view(case), False
            case.status = target
            if action == "take":
                case.taken_by = staff_user
            if not is_open(target):  # location is kept only while a case is open
                details = self._view(case).details
                for key in ("latitude", "longitude", "place"):
                    details.pop(key, None)
                case.details = self._seal(details)
                case.mission = None
            return self._view(case), True

    async def act(self, reference: str, action: str, staff_user: int
                  ) -> tuple[CaseView, bool] | None:
        """Applies a staff action; (case, changed), or None for an unknown reference."""
        return await asyncio.to_thread(self._act, reference, action, staff_user)

    def _by_card(self, chat_id: int, message_id: int) -> CaseView | None:
        with self.database.session() as session:
            case = CaseRepository(session).by_card(chat_id, message_id)
            return self._view(case) if case else None

    async def by_card(self, chat_id: int, message_id: int) -> CaseView | None:
        return await asyncio.to_thread(self._by_card, chat_id, message_id)

    def _by_reference(self, reference: str) -> CaseView | None:
        with self.database.session() as session:
            case = CaseRepository(session).by_reference(reference)
            return self._view(case) if case else None

    async def by_reference(self, reference: str) -> CaseView | None:
        return await asyncio.to_thread(self._by_reference, reference)

    def _relay(self, case: CaseView, text: str) -> None:
        if case.staff_chat_id is None:
            return
        with self.database.session() as session:
            OutboxRepository(session).add(case.staff_chat_id, "relay",
                                          self._seal(f"{case.reference}: {text}"), case.id)

    async def relay_to_staff(self, case: CaseView, text: str) -> None:
        """Queues the worker's message for the staff chat."""
        await asyncio.to_thread(self._relay, case, text)

    # -- escalation ----------------------------------------------------------------------

    def _escalate(self, now: datetime, after: timedelta, texts: dict[str, str],
                  central: int | None) -> int:
        count = 0
        with self.database.session() as session:
            # Locked and skipped by a replica escalating at the same moment: never twice.
            overdue = session.scalars(select(Case).where(
                Case.status == "new", Case.escalated_at.is_(None),
                Case.created_at <= now - after).with_for_update(skip_locked=True)).all()
            outbox = OutboxRepository(session)
            for case in overdue:
                text = texts["text"].replace("{reference}", case.reference)
                for chat in {c for c in (case.staff_chat_id, central) if c is not None}:
                    outbox.add(chat, "escalation", self._seal(text), case.id)
                case.escalated_at = now
                count += 1
        return count

    async def escalate(self, now: datetime, after: timedelta, text: str,
                       central: int | None) -> int:
        """Re-announces cases nobody acknowledged within ``after`` (in their staff chat, and
        in the central chat with the buttons); returns how many. ``now`` is passed in so tests
        control the clock."""
        return await asyncio.to_thread(self._escalate, now, after, {"text": text}, central)

    # -- the outbox ----------------------------------------------------------------------

    def _due(self, now: datetime | None = None) -> list[Outgoing]:
        with self.database.session() as session:
            out = []
            for message in OutboxRepository(session).claim(CLAIM_LEASE, now=now):
                reference = None
                if message.case_id is not None:
                    case = session.get(Case, message.case_id)
                    reference = case.reference if case else None
                out.append(Outgoing(message.id, message.chat_id, message.kind,
                                    self._open_text(message.body), reference,
                                    message.uncertain_at is not None))
            return out

    async def due(self, now: datetime | None = None) -> list[Outgoing]:
        """The outbox messages to send now, claimed for this replica (see
        :meth:`OutboxRepository.claim`); each must be settled with :meth:`sent` or
        :meth:`failed`. ``now`` can be given, for tests."""
        return await asyncio.to_thread(self._due, now)

    def _sent(self, outgoing: Outgoing, message_id: int) -> None:
        from bot.store.models import OutboxMessage

        with self.database.session() as session:
            row = session.get(OutboxMessage, outgoing.id)
            if row is None:
                return
            row.sent_at = utcnow()
            if outgoing.kind == "card" and row.case_id is not None:
                case = session.get(Case, row.case_id)
                if case is not None:
                    case.card_message_id, case.staff_chat_id = message_id, outgoing.chat_id

    async def sent(self, outgoing: Outgoing, message_id: int) -> None:
        await asyncio.to_thread(self._sent, outgoing, message_id)

    def _failed(self, outgoing: Outgoing, retry_after: float, uncertain: bool) -> None:
        from bot.store.models import OutboxMessage

        with self.database.session() as session:
            row = session.get(OutboxMessage, outgoing.id)
            if row is not None:
                row.attempts += 1
                delay = max(retry_after, min(MAX_BACKOFF_SECONDS, 2 ** row.attempts))
                row.next_attempt_at = utcnow() + timedelta(seconds=delay)
                if uncertain and row.uncertain_at is None:
                    row.uncertain_at = utcnow()

    async def failed(self, outgoing: Outgoing, retry_after: float = 0.0,
                     uncertain: bool = False) -> None:
        """Schedules another attempt with exponential backoff (capped at 5 minutes), never
        before Telegram's ``retry_after``; ``uncertain`` marks that this attempt may have been
        delivered, so the next one is labelled as a possible repeat."""
        await asyncio.to_thread(self._failed, outgoing, retry_after, uncertain)
