"""Erases a conversation from Rasa's SQL tracker store (Rasa has no HTTP call for it)."""

from __future__ import annotations

from sqlalchemy import inspect, text

from bot.store.database import make_engine


class TrackerEraser:
    """Deletes the stored events of one conversation from Rasa's ``events`` table."""

    def __init__(self, url: str) -> None:
        self.engine = make_engine(url)

    def erase(self, sender_id: str) -> int:
        """Returns the number of events deleted (0 when the table does not exist yet)."""
        with self.engine.begin() as connection:
            if not inspect(connection).has_table("events"):
                return 0
            result = connection.execute(text("DELETE FROM events WHERE sender_id = :sender"),
                                        {"sender": sender_id})
            return int(result.rowcount or 0)

    def dispose(self) -> None:
        self.engine.dispose()
