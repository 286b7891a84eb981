"""Repositories: take a session, never commit (the caller commits once per update)."""

from __future__ import annotations

from sqlalchemy import delete
from sqlalchemy.orm import Session

from bot.store.models import User


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
