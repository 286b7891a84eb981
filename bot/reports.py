"""Community reports about recruiters: stored with normalised contacts, counted for offers."""

from __future__ import annotations

import asyncio

from bot.store.database import Database
from bot.store.repositories import ReportRepository


class ReportService:
    """Async access to recruiter reports (the database work runs in a thread)."""

    def __init__(self, database: Database) -> None:
        self.database = database

    def _add(self, reporter: str, language: str, text: str, contacts: list[str]) -> int:
        with self.database.session() as session:
            return ReportRepository(session).add(reporter, language, text, contacts)

    async def add(self, reporter: str, language: str, text: str, contacts: list[str]) -> int:
        return await asyncio.to_thread(self._add, reporter, language, text, contacts)

    def _counts(self, contacts: list[str]) -> dict[str, int]:
        with self.database.session() as session:
            return ReportRepository(session).counts(contacts)

    async def counts(self, contacts: list[str]) -> dict[str, int]:
        """How many reports name each contact key."""
        return await asyncio.to_thread(self._counts, contacts) if contacts else {}
