"""Repositories: take a session, never commit (the caller commits once per update)."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from bot.store.models import SentMessage, User, utcnow


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
        result = self.session.execute(delete(User).where(User.sender_id == sender_id))
        return int(getattr(result, "rowcount", 0) or 0)


class SentMessageRepository:
    """The bot's own Telegram message ids, per chat, for deletion within 48 hours."""

    KEEP = timedelta(hours=48)

    def __init__(self, session: Session) -> None:
        self.session = session

    def add(self, chat_id: int, message_id: int) -> None:
        self.session.merge(SentMessage(chat_id=chat_id, message_id=message_id, sent_at=utcnow()))

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
