"""Database models (SQLAlchemy 2.0 style). Every schema change gets an Alembic revision."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import BigInteger, DateTime, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


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
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 onupdate=utcnow)


class SentMessage(Base):
    """A message the bot sent in a Telegram chat, kept 48 hours so /delete can remove it.

    Telegram lets a bot delete its own messages for 48 hours; after that the row is useless
    and is pruned.
    """

    __tablename__ = "sent_messages"

    chat_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    message_id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    sent_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                              index=True)
