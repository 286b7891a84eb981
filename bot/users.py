"""The user's language and nationality: the one place that reads and writes them."""

from __future__ import annotations

import asyncio

from bot.i18n.languages import negotiate, normalise
from bot.services.guides import Progress
from bot.store.database import Database
from bot.store.repositories import GuideProgressRepository, UserRepository
from bot.store.tracker import TrackerEraser

CONFIDENT = 0.6


class UserService:
    """Language negotiation and storage; erasure of everything stored about a user."""

    def __init__(self, database: Database, eraser: TrackerEraser | None,
                 default_language: str) -> None:
        self.database = database
        self.eraser = eraser
        self.default_language = default_language

    def _language(self, sender_id: str) -> str | None:
        with self.database.session() as session:
            user = UserRepository(session).get(sender_id)
            return user.language if user else None

    async def language(self, sender_id: str) -> str:
        """The stored language, or the default."""
        stored = await asyncio.to_thread(self._language, sender_id)
        return negotiate(stored, None, self.default_language)

    def _settle(self, sender_id: str, client_code: str | None,
                detected: tuple[str | None, float]) -> str:
        with self.database.session() as session:
            users = UserRepository(session)
            user = users.get(sender_id)
            if user is not None and user.language_source == "chosen":
                return user.language
            guess, confidence = detected
            if guess and confidence >= CONFIDENT:
                if user is None or user.language != guess:
                    users.upsert_language(sender_id, guess, "detected")
                return guess
            if user is not None:
                return user.language
            language = negotiate(None, client_code, self.default_language)
            users.upsert_language(sender_id, language, "client")
            return language

    async def settle_language(self, sender_id: str, client_code: str | None,
                              detected: tuple[str | None, float]) -> str:
        """Decides and stores the reply language for this message.

        A language the user chose always wins; otherwise a confident guess from their own
        words; otherwise what is stored; otherwise the client's (Telegram's) language.
        """
        return await asyncio.to_thread(self._settle, sender_id, client_code, detected)

    def _choose(self, sender_id: str, language: str) -> None:
        with self.database.session() as session:
            UserRepository(session).upsert_language(sender_id, language, "chosen")

    async def choose_language(self, sender_id: str, code: str) -> str | None:
        """Stores the user's explicit choice; None when ``code`` is not supported."""
        language = normalise(code)
        if language is not None:
            await asyncio.to_thread(self._choose, sender_id, language)
        return language

    def _nationality(self, sender_id: str) -> str | None:
        with self.database.session() as session:
            user = UserRepository(session).get(sender_id)
            return user.nationality if user else None

    async def nationality(self, sender_id: str) -> str | None:
        return await asyncio.to_thread(self._nationality, sender_id)

    def _set_nationality(self, sender_id: str, nationality: str) -> None:
        with self.database.session() as session:
            UserRepository(session).set_nationality(sender_id, nationality,
                                                    self.default_language)

    async def set_nationality(self, sender_id: str, nationality: str) -> None:
        await asyncio.to_thread(self._set_nationality, sender_id, nationality)

    def _awaiting(self, sender_id: str) -> str | None:
        with self.database.session() as session:
            user = UserRepository(session).get(sender_id)
            return user.awaiting if user else None

    async def awaiting(self, sender_id: str) -> str | None:
        """What the bot asked this user for ("offer", "report"), if anything."""
        return await asyncio.to_thread(self._awaiting, sender_id)

    def _set_awaiting(self, sender_id: str, awaiting: str | None) -> None:
        with self.database.session() as session:
            UserRepository(session).set_awaiting(sender_id, awaiting, self.default_language)

    async def set_awaiting(self, sender_id: str, awaiting: str | None) -> None:
        await asyncio.to_thread(self._set_awaiting, sender_id, awaiting)

    def _guide_progress(self, sender_id: str) -> Progress | None:
        with self.database.session() as session:
            stored = GuideProgressRepository(session).get(sender_id)
        return Progress(stored[0], stored[1], stored[2]) if stored else None

    async def guide_progress(self, sender_id: str) -> Progress | None:
        """Where the user left their safe-migration guide, if they started one."""
        return await asyncio.to_thread(self._guide_progress, sender_id)

    def _save_guide_progress(self, sender_id: str, progress: Progress) -> None:
        with self.database.session() as session:
            GuideProgressRepository(session).save(sender_id, progress.country,
                                                  progress.step_index, progress.done)

    async def save_guide_progress(self, sender_id: str, progress: Progress) -> None:
        await asyncio.to_thread(self._save_guide_progress, sender_id, progress)

    def _erase(self, sender_id: str) -> None:
        with self.database.session() as session:
            UserRepository(session).erase(sender_id)
        if self.eraser is not None:
            self.eraser.erase(sender_id)

    async def erase(self, sender_id: str) -> None:
        """Deletes the user's rows and their Rasa conversation (raises on failure)."""
        await asyncio.to_thread(self._erase, sender_id)
