"""Database models (SQLAlchemy 2.0 style). Every schema change gets an Alembic revision."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import BigInteger, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


def utcnow() -> datetime:
    return datetime.now(UTC)


class Base(DeclarativeBase):
    """Base class of all Jaga tables."""


class User(Base):
    """What Jaga keeps about one person: only their language and nationality.

    ``sender_id`` is the conversation id shared with Rasa (``tg-<telegram user id>`` or a
    console id). ``language_source`` says how the language was set: ``chosen`` by the user
    (always wins), ``detected`` from their words, or from the ``client`` (Telegram's
    language_code).
    """

    __tablename__ = "users"

    sender_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    language: Mapped[str] = mapped_column(String(8))
    language_source: Mapped[str] = mapped_column(String(16), default="client")
    nationality: Mapped[str | None] = mapped_column(String(2), default=None)
    # What the bot asked for and expects next: "offer" (a job ad) or "report" (a recruiter).
    awaiting: Mapped[str | None] = mapped_column(String(16), default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)


class SentMessage(Base):
    """A message in a Telegram chat (the bot's or the user's), kept 48 hours so /wipe and
    /delete can remove it.

    Telegram lets a bot delete messages of a private chat for 48 hours; after that the row is
    useless and is pruned.
    """

    __tablename__ = "sent_messages"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                              index=True)


class RecruiterReport(Base):
    """What a user told Jaga about a recruiter, so later offers naming them are flagged."""

    __tablename__ = "recruiter_reports"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reporter: Mapped[str] = mapped_column(String(64), index=True)
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    contacts: Mapped[list[ReportedContact]] = relationship(
        back_populates="report", cascade="all, delete-orphan")


class ReportedContact(Base):
    """One normalised contact (E.164 phone, @handle, domain/path) named in a report."""

    __tablename__ = "reported_contacts"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("recruiter_reports.id", ondelete="CASCADE"), primary_key=True)
    contact: Mapped[str] = mapped_column(String(255), primary_key=True, index=True)
    report: Mapped[RecruiterReport] = relationship(back_populates="contacts")


class GuideProgress(Base):
    """Where a user is in their country's safe-migration guide, so they can resume."""

    __tablename__ = "guide_progress"

    sender_id: Mapped[str] = mapped_column(String(64), primary_key=True)
    country: Mapped[str] = mapped_column(String(2))
    step_index: Mapped[int] = mapped_column(Integer, default=0)
    done: Mapped[str] = mapped_column(Text, default="")  # step ids, space-separated
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)


class Case(Base):
    """A help request: who asked, where the staff card went, and where it stands.

    ``details`` holds the worker's answers and location, encrypted (see ``bot/cases.py``);
    the location is removed when the case is resolved.
    """

    __tablename__ = "cases"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    reference: Mapped[str] = mapped_column(String(16), unique=True)
    sender_id: Mapped[str] = mapped_column(String(64), index=True)
    chat_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    language: Mapped[str] = mapped_column(String(8))
    nationality: Mapped[str | None] = mapped_column(String(2), default=None)
    host_country: Mapped[str | None] = mapped_column(String(2), default=None)
    # The mission the case was routed to, as ``HOST:City`` (``TH:Songkhla``; across a border
    # for escape routes); it picks a per-mission staff chat. Cleared when the case closes.
    mission: Mapped[str | None] = mapped_column(String(64), default=None)
    status: Mapped[str] = mapped_column(String(16), default="new", index=True)
    staff_chat_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    card_message_id: Mapped[int | None] = mapped_column(BigInteger, default=None)
    taken_by: Mapped[int | None] = mapped_column(BigInteger, default=None)
    escalated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    details: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)


class OutboxMessage(Base):
    """A message for a staff chat, kept until Telegram accepts it (retried with backoff)."""

    __tablename__ = "outbox"

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    chat_id: Mapped[int] = mapped_column(BigInteger)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("cases.id", ondelete="CASCADE"),
                                                default=None)
    kind: Mapped[str] = mapped_column(String(16))  # "card" or "relay"
    body: Mapped[str] = mapped_column(Text)  # encrypted text
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                      index=True)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    # Set when an attempt failed after the request may have reached Telegram (a read time-out):
    # the next attempt is labelled as a possible repeat.
    uncertain_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True),
                                                          default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CatalogVersion(Base):
    """One version of a language's catalog, uploaded by staff or made by a rollback.

    Never updated but for being published: ``po`` is kept as sent. ``number`` counts per
    language (version 0 is the catalog shipped in ``locales/`` and has no row);
    ``base_number`` is the published version it was made from, ``restores`` the version a
    rollback copies. ``changes`` is the JSON of added/changed/removed messages, old and new
    text, against the base.
    """

    __tablename__ = "catalog_versions"
    __table_args__ = (UniqueConstraint("language", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=True)
    language: Mapped[str] = mapped_column(String(8))
    number: Mapped[int] = mapped_column(Integer)
    base_number: Mapped[int] = mapped_column(Integer)
    kind: Mapped[str] = mapped_column(String(16))  # "upload" or "rollback"
    restores: Mapped[int | None] = mapped_column(Integer, default=None)
    po: Mapped[str] = mapped_column(Text)
    changes: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int] = mapped_column(BigInteger)
    author_name: Mapped[str] = mapped_column(String(128), default="")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    published_by: Mapped[int | None] = mapped_column(BigInteger, default=None)


class CatalogHead(Base):
    """The published version of each language. Publishing moves it only from the number a
    draft was based on (a conditional update), so of two racing publishers one wins."""

    __tablename__ = "catalog_heads"

    language: Mapped[str] = mapped_column(String(8), primary_key=True)
    number: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
