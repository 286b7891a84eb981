"""Erases a conversation, or only where the worker was, from Rasa's SQL tracker store (Rasa has
no HTTP call for either)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from sqlalchemy import inspect, text

from bot.store.database import make_engine

# Slots (and entities of the same name) that say where the worker is.
LOCATION_SLOTS = ("latitude", "longitude", "city")


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

    def erase_location(self, sender_id: str, slots: Iterable[str] = LOCATION_SLOTS) -> int:
        """Deletes the events that hold where the worker was: the slot events of ``slots`` and
        the user messages carrying such an entity (a location pin, a town named in words).
        Returns how many rows were deleted."""
        names = set(slots)
        with self.engine.begin() as connection:
            if not inspect(connection).has_table("events"):
                return 0
            rows = connection.execute(text(
                "SELECT id, type_name, action_name, data FROM events "
                "WHERE sender_id = :sender AND type_name IN ('slot', 'user')"),
                {"sender": sender_id}).all()
            doomed = [row.id for row in rows if _is_location(row.type_name, row.action_name,
                                                             row.data, names)]
            for row_id in doomed:
                connection.execute(text("DELETE FROM events WHERE id = :id"), {"id": row_id})
            return len(doomed)

    def dispose(self) -> None:
        self.engine.dispose()


def _is_location(type_name: str, name: str | None, data: str | None, slots: set[str]) -> bool:
    if type_name == "slot":
        return name in slots
    try:
        event = json.loads(data or "{}")
    except ValueError:
        return False
    entities = (event.get("parse_data") or {}).get("entities") or []
    return any(isinstance(e, dict) and e.get("entity") in slots for e in entities)
