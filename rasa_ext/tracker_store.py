"""Rasa's SQL tracker store with less database work per turn.

A py-spy profile (docs/benchmarks.md) showed Rasa's ``SQLTrackerStore`` as the largest cost of a
turn after schema checks: SQLAlchemy 1.4 opens a new SQLite connection for every session (it
pools nothing for SQLite files), SQLite syncs its rollback journal on every commit, and every
save first counts the events already stored. This store:

- keeps pooled SQLite connections in WAL mode with ``synchronous=NORMAL``: a committed turn
  survives a crash of any process; only a power cut or an OS crash can lose the last turns
  (the dialogue state, not cases or reports, which the app stores in its own database);
- remembers on each tracker it retrieves, creates or saves how many of its events are stored,
  so a save appends the rest without counting again. Rasa holds the conversation's lock (the
  lock store, Redis across servers) from retrieve to save, so nothing else adds events in
  between; a tracker from anywhere else is counted as before.

PostgreSQL keeps Rasa's own pool and settings.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from typing import Any

import sqlalchemy as sa
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.constants import ACTION_LISTEN_NAME
from rasa.shared.core.events import ActionExecuted
from rasa.shared.core.trackers import DialogueStateTracker
from sqlalchemy.orm import Session

# Attribute set on a retrieved tracker: how many of its events are already in the database.
STORED_EVENTS = "_jaga_stored_events"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()


class JagaSQLTrackerStore(SQLTrackerStore):
    """``SQLTrackerStore`` with pooled, WAL-mode SQLite and no recount before a save."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.engine.dialect.name == "sqlite":
            url = self.engine.url
            self.engine.dispose()
            self.engine = sa.create_engine(url, poolclass=sa.pool.QueuePool, pool_size=2)
            sa.event.listen(self.engine, "connect", _sqlite_pragmas)
            self.sessionmaker = sa.orm.session.sessionmaker(bind=self.engine)

    async def _retrieve(self, sender_id: str, fetch_events_from_all_sessions: bool
                        ) -> DialogueStateTracker | None:
        tracker = await super()._retrieve(sender_id, fetch_events_from_all_sessions)
        # A save counts the events of the latest session only, so only such a tracker is marked.
        if tracker is not None and not fetch_events_from_all_sessions:
            _mark_stored(tracker)
        return tracker

    async def create_tracker(self, sender_id: str, append_action_listen: bool = True
                             ) -> DialogueStateTracker:
        """Rasa's ``create_tracker`` (called once a retrieve found no event for the sender),
        with the new tracker marked as having nothing stored."""
        tracker = self.init_tracker(sender_id)
        if append_action_listen:
            tracker.update(ActionExecuted(ACTION_LISTEN_NAME))
        setattr(tracker, STORED_EVENTS, 0)
        await self.save(tracker)
        return tracker

    async def save(self, tracker: DialogueStateTracker) -> None:
        await super().save(tracker)
        _mark_stored(tracker)

    def _additional_events(self, session: Session, tracker: DialogueStateTracker
                           ) -> Iterator:
        stored = tracker.__dict__.get(STORED_EVENTS)
        if stored is None:
            return super()._additional_events(session, tracker)
        return itertools.islice(tracker.events, stored, len(tracker.events))


def _mark_stored(tracker: DialogueStateTracker) -> None:
    """Marks all of the tracker's events as stored (unless its history is capped, where
    positions in ``events`` no longer match what is stored)."""
    if tracker.events.maxlen is None:
        setattr(tracker, STORED_EVENTS, len(tracker.events))
