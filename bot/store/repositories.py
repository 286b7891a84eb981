"""Repositories: take a session, never commit (the caller commits once per update)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.store.models import (
    Case,
    CatalogHead,
    CatalogVersion,
    GuideProgress,
    OutboxMessage,
    RecruiterReport,
    ReportedContact,
    SentMessage,
    User,
    utcnow,
)

# INSERT ... ON CONFLICT, by dialect; another database falls back to one merge per row.
UPSERTS: dict[str, Callable[..., Any]] = {"sqlite": sqlite.insert, "postgresql": postgresql.insert}


class UserRepository:
    """Reads and writes :class:`User` rows."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, sender_id: str) -> User | None:
        return self.session.get(User, sender_id)

    def upsert_language(self, sender_id: str, language: str, source: str) -> User:
        """Sets the user's language, creating the user when new."""
        user = self.get(sender_id)
        if user is None:
            user = User(sender_id=sender_id, language=language, language_source=source)
            self.session.add(user)
        else:
            user.language, user.language_source = language, source
        return user

    def set_nationality(self, sender_id: str, nationality: str, language: str) -> None:
        user = self.get(sender_id) or self.upsert_language(sender_id, language, "client")
        user.nationality = nationality

    def erase(self, sender_id: str) -> int:
        """Deletes everything stored about the user; returns the number of rows deleted."""
        reports = ReportRepository(self.session).erase_reporter(sender_id)
        reports += CaseRepository(self.session).erase_for(sender_id)
        self.session.execute(delete(GuideProgress).where(GuideProgress.sender_id == sender_id))
        result = self.session.execute(delete(User).where(User.sender_id == sender_id))
        return reports + int(getattr(result, "rowcount", 0) or 0)

    def set_awaiting(self, sender_id: str, awaiting: str | None, language: str) -> None:
        """Remembers what the bot asked for ("offer", "report") or clears it."""
        user = self.get(sender_id) or self.upsert_language(sender_id, language, "client")
        user.awaiting = awaiting


class SentMessageRepository:
    """The bot's own Telegram message ids, per chat, for deletion within 48 hours."""

    KEEP = timedelta(hours=48)

    def __init__(self, session: Session) -> None:
        self.session = session

    def add_all(self, chat_id: int, message_ids: Iterable[int]) -> None:
        """Stores the ids (an id stored before gets the new time) with one statement on
        SQLite and PostgreSQL: this runs for every update, and a merge per id cost a SELECT
        and an INSERT each."""
        now = utcnow()
        rows = [{"chat_id": chat_id, "message_id": message_id, "sent_at": now}
                for message_id in dict.fromkeys(message_ids)]
        if not rows:
            return
        dialect = self.session.get_bind().dialect.name
        if dialect not in UPSERTS:
            for row in rows:
                self.session.merge(SentMessage(**row))
            return
        statement = UPSERTS[dialect](SentMessage).values(rows)
        self.session.execute(statement.on_conflict_do_update(
            index_elements=["chat_id", "message_id"],
            set_={"sent_at": statement.excluded.sent_at}))

    def pop(self, chat_id: int) -> list[int]:
        """The chat's message ids still deletable by the bot; forgets all of the chat's rows."""
        cutoff = utcnow() - self.KEEP
        rows = self.session.scalars(select(SentMessage).where(
            SentMessage.chat_id == chat_id, SentMessage.sent_at >= cutoff)).all()
        self.session.execute(delete(SentMessage).where(SentMessage.chat_id == chat_id))
        return sorted(row.message_id for row in rows)

    def prune(self) -> int:
        """Forgets rows older than 48 hours; returns how many."""
        result = self.session.execute(
            delete(SentMessage).where(SentMessage.sent_at < utcnow() - self.KEEP))
        return int(getattr(result, "rowcount", 0) or 0)


class ReportRepository:
    """Recruiter reports: stored with their normalised contacts, counted per contact."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, reporter: str, language: str, text: str, contacts: list[str]) -> int:
        report = RecruiterReport(reporter=reporter, language=language, text=text,
                                 contacts=[ReportedContact(contact=c)
                                           for c in sorted(set(contacts))])
        self.session.add(report)
        self.session.flush()
        return report.id

    def counts(self, contacts: list[str]) -> dict[str, int]:
        """How many reports name each of ``contacts`` (absent when none)."""
        if not contacts:
            return {}
        rows = self.session.execute(
            select(ReportedContact.contact, func.count(ReportedContact.report_id))
            .where(ReportedContact.contact.in_(sorted(set(contacts))))
            .group_by(ReportedContact.contact)).all()
        return {str(contact): int(count) for contact, count in rows}

    def erase_reporter(self, reporter: str) -> int:
        """Deletes the reports a user made (their contacts go with them)."""
        reports = self.session.scalars(
            select(RecruiterReport).where(RecruiterReport.reporter == reporter)).all()
        for report in reports:
            self.session.delete(report)
        return len(reports)


class GuideProgressRepository:
    """Each user's place in their guide: (country, step index, steps marked done)."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, sender_id: str) -> tuple[str, int, frozenset[str]] | None:
        row = self.session.get(GuideProgress, sender_id)
        if row is None:
            return None
        return row.country, row.step_index, frozenset(row.done.split())

    def save(self, sender_id: str, country: str, step_index: int, done: frozenset[str]) -> None:
        self.session.merge(GuideProgress(sender_id=sender_id, country=country,
                                         step_index=step_index, done=" ".join(sorted(done)),
                                         updated_at=utcnow()))


class CaseRepository:
    """Help-request cases."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, case: Case) -> Case:
        self.session.add(case)
        self.session.flush()
        return case

    def by_reference(self, reference: str) -> Case | None:
        return self.session.scalars(select(Case).where(Case.reference == reference)).first()

    def open_for(self, sender_id: str) -> Case | None:
        """The user's newest case that is not resolved."""
        return self.session.scalars(
            select(Case).where(Case.sender_id == sender_id, Case.status != "resolved")
            .order_by(Case.id.desc())).first()

    def by_card(self, staff_chat_id: int, message_id: int) -> Case | None:
        return self.session.scalars(select(Case).where(
            Case.staff_chat_id == staff_chat_id, Case.card_message_id == message_id)).first()

    def erase_for(self, sender_id: str) -> int:
        cases = self.session.scalars(select(Case).where(Case.sender_id == sender_id)).all()
        for case in cases:
            self.session.delete(case)
        return len(cases)


class OutboxRepository:
    """Staff messages waiting for Telegram to accept them."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, chat_id: int, kind: str, body: str, case_id: int | None) -> OutboxMessage:
        message = OutboxMessage(chat_id=chat_id, kind=kind, body=body, case_id=case_id,
                                attempts=0, next_attempt_at=utcnow())
        self.session.add(message)
        self.session.flush()
        return message

    def claim(self, lease: timedelta, limit: int = 20, now: datetime | None = None
              ) -> list[OutboxMessage]:
        """Due messages, claimed for ``lease``: their next attempt moves past the lease in
        this transaction, so another replica draining the outbox does not send them too.

        On PostgreSQL rows another replica is claiming right now are skipped, not waited for
        (``FOR UPDATE SKIP LOCKED``). A claim that is never settled (the replica died) makes
        the message due again when the lease ends. ``now`` can be given, for tests.
        """
        now = now or utcnow()
        rows = list(self.session.scalars(
            select(OutboxMessage).where(OutboxMessage.sent_at.is_(None),
                                        OutboxMessage.next_attempt_at <= now)
            .order_by(OutboxMessage.id).limit(limit).with_for_update(skip_locked=True)).all())
        for row in rows:
            row.next_attempt_at = now + lease
        return rows

    def pending(self) -> int:
        return int(self.session.scalar(select(func.count(OutboxMessage.id))
                                       .where(OutboxMessage.sent_at.is_(None))) or 0)


class CatalogVersionRepository:
    """Staff catalog versions (append-only) and each language's published head."""

    def __init__(self, session: Session) -> None:
        self.session = session

    def get(self, language: str, number: int) -> CatalogVersion | None:
        return self.session.scalars(select(CatalogVersion).where(
            CatalogVersion.language == language, CatalogVersion.number == number)).first()

    def next_number(self, language: str) -> int:
        top = self.session.scalar(select(func.max(CatalogVersion.number))
                                  .where(CatalogVersion.language == language))
        return int(top or 0) + 1

    def add(self, version: CatalogVersion) -> CatalogVersion:
        self.session.add(version)
        self.session.flush()  # the unique (language, number) is checked here
        return version

    def history(self, language: str, limit: int = 20) -> list[CatalogVersion]:
        return list(self.session.scalars(
            select(CatalogVersion).where(CatalogVersion.language == language)
            .order_by(CatalogVersion.number.desc()).limit(limit)))

    def head(self, language: str) -> int:
        """The published version number (0: the shipped catalog)."""
        head = self.session.get(CatalogHead, language)
        return head.number if head else 0

    def heads(self) -> dict[str, int]:
        return {h.language: h.number for h in self.session.scalars(select(CatalogHead))}

    def staff_heads(self) -> dict[str, int]:
        """Live versions with staff content: not 0, nor a rollback to the shipped catalog
        (which serves whatever ``locales/`` holds now). Reads no ``.po`` text."""
        rows = self.session.execute(
            select(CatalogHead.language, CatalogHead.number)
            .join(CatalogVersion, (CatalogVersion.language == CatalogHead.language)
                  & (CatalogVersion.number == CatalogHead.number))
            .where((CatalogVersion.restores.is_(None)) | (CatalogVersion.restores != 0)))
        return {language: number for language, number in rows}

    def advance(self, language: str, expected: int, number: int) -> bool:
        """Moves the head from ``expected`` to ``number`` in one conditional update; False
        when another publish moved it first (the caller must not publish then)."""
        result = self.session.execute(
            update(CatalogHead)
            .where(CatalogHead.language == language, CatalogHead.number == expected)
            .values(number=number, updated_at=utcnow()))
        if int(getattr(result, "rowcount", 0) or 0) == 1:
            return True
        if expected != 0 or self.session.get(CatalogHead, language) is not None:
            return False
        self.session.add(CatalogHead(language=language, number=number))
        self.session.flush()  # a racing first publish fails here on the primary key
        return True
