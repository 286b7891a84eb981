"""Staff versions of the translation catalogs: upload a draft, see what it changes, preview,
publish and roll back, with every version kept (who, when, what changed).

Publishing is refused unless the draft was made from the version that is live, and the
database decides it (a conditional update of the language's head in the same transaction),
so of two publishers racing, exactly one wins and the other is shown what changed meanwhile.
A rollback publishes a new version with the old content; nothing is overwritten.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TypeVar

from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session

from bot.i18n.catalogs import (
    Changes,
    Contents,
    Coverage,
    contents_of,
    coverage,
    diff,
    export_text,
    parse_po,
    validate,
)
from bot.i18n.responses import DOMAIN, Renderer, SourceMessage, load_sources
from bot.i18n.workflow import TRANSLATED
from bot.store.database import Database
from bot.store.models import CatalogVersion, utcnow
from bot.store.repositories import CatalogVersionRepository

log = logging.getLogger(__name__)
T = TypeVar("T")
ATTEMPTS = 4  # a unit of work that lost a race is run again once the winner committed


@dataclass(frozen=True)
class VersionView:
    """One stored version, as staff see it."""

    language: str
    number: int
    base_number: int
    kind: str
    restores: int | None
    author_id: int
    author_name: str
    created_at: datetime
    published_at: datetime | None
    published_by: int | None
    changes: Changes
    live: bool

    @property
    def state(self) -> str:
        if self.live:
            return "live"
        return "published" if self.published_at else "draft"


@dataclass(frozen=True)
class Outcome:
    """What an upload, publish or rollback did: ``status`` is ``ok`` or why not."""

    status: str  # ok, invalid, not_found, stale, published_already, same
    live: int
    version: VersionView | None = None
    changes: Changes = field(default_factory=Changes)  # for "stale": live -> this version
    errors: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return self.status == "ok"


def _view(row: CatalogVersion, live: int) -> VersionView:
    return VersionView(row.language, row.number, row.base_number, row.kind, row.restores,
                       row.author_id, row.author_name, row.created_at, row.published_at,
                       row.published_by, Changes.from_json(json.loads(row.changes)),
                       row.number == live)


class CatalogVersions:
    """The version store of every translated language, over the database and the shipped
    catalogs in ``locales/`` (version 0)."""

    def __init__(self, database: Database, root: Path) -> None:
        self.database = database
        self.root = root
        self._sources: tuple[object, dict[str, SourceMessage]] | None = None

    # -- reading -------------------------------------------------------------------------

    def sources(self) -> dict[str, SourceMessage]:
        """The response scripts, read again only when a file changed."""
        files = sorted((self.root / "responses").glob("*.yml"))
        seen = tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)
        if self._sources is None or self._sources[0] != seen:
            self._sources = (seen, load_sources(self.root / "responses"))
        return self._sources[1]

    def shipped(self, language: str) -> str:
        path = self.root / "locales" / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        return path.read_text(encoding="utf-8")

    def _po(self, versions: CatalogVersionRepository, language: str, number: int
            ) -> str | None:
        if self._shipped(versions, language, number):
            return self.shipped(language)
        row = versions.get(language, number)
        return row.po if row else None

    @staticmethod
    def _shipped(versions: CatalogVersionRepository, language: str, number: int) -> bool:
        """Version 0, or a rollback to it: serves whatever ``locales/`` holds now (a new
        release's translations), not a copy."""
        if number == 0:
            return True
        row = versions.get(language, number)
        return row is not None and row.kind == "rollback" and row.restores == 0

    def contents(self, text: str, language: str) -> Contents:
        """What a stored version serves against today's scripts (entries whose English
        changed since are left out: they fall back to English)."""
        served, _ = contents_of(parse_po(text), self.sources(), language)
        return served

    def live(self, language: str) -> tuple[int, str]:
        """The published version of ``language`` and its ``.po`` text."""
        with self.database.session() as session:
            versions = CatalogVersionRepository(session)
            number = versions.head(language)
            return number, str(self._po(versions, language, number))

    def export(self, language: str) -> tuple[int, str]:
        """The live version as a ``.po`` file that names its version (for the next upload)."""
        number, text = self.live(language)
        return number, export_text(text, language, number)

    def history(self, language: str, limit: int = 20) -> list[VersionView]:
        with self.database.session() as session:
            versions = CatalogVersionRepository(session)
            live = versions.head(language)
            return [_view(row, live) for row in versions.history(language, limit)]

    def changes(self, language: str, number: int
                ) -> tuple[VersionView, Changes, int] | None:
        """A version (with its changes against its base), what it would change against the
        live version, and the live version's number."""
        with self.database.session() as session:
            versions = CatalogVersionRepository(session)
            row = versions.get(language, number)
            if row is None:
                return None
            live = versions.head(language)
            live_text = str(self._po(versions, language, live))
            view, text = _view(row, live), row.po
        return view, diff(self.contents(live_text, language).texts,
                          self.contents(text, language).texts), live

    def renderer_for(self, renderer: Renderer, language: str, number: int | None
                     ) -> Renderer | None:
        """``renderer`` with ``language`` served from version ``number`` (None: live)."""
        with self.database.session() as session:
            versions = CatalogVersionRepository(session)
            number = versions.head(language) if number is None else number
            text = self._po(versions, language, number)
        return None if text is None else renderer.overlaid({language: parse_po(text)})

    def coverage(self) -> list[Coverage]:
        """Translated, reviewed and missing messages of every language's live version."""
        sources = self.sources()
        return [coverage(language, self.contents(self.live(language)[1], language), sources)
                for language in TRANSLATED]

    def heads(self) -> dict[str, int]:
        """The live version of each language that serves staff content (not the shipped
        catalog, which the renderer reads from ``locales/`` itself)."""
        with self.database.session() as session:
            return CatalogVersionRepository(session).staff_heads()

    def text_of(self, language: str, number: int) -> str | None:
        """The ``.po`` text of one version (0: the shipped catalog)."""
        with self.database.session() as session:
            return self._po(CatalogVersionRepository(session), language, number)

    # -- writing -------------------------------------------------------------------------

    def upload(self, text: str, author_id: int, author_name: str,
               name: str = "upload.po") -> Outcome:
        """Validates an edited ``.po`` and stores it as a draft (never live by itself)."""
        checked = validate(text, self.sources(), name)
        language, base = checked.language or "", checked.base or 0
        if checked.errors:
            return Outcome("invalid", 0, errors=tuple(checked.errors))

        def store(session: Session) -> Outcome:
            versions = CatalogVersionRepository(session)
            live = versions.head(language)
            base_text = self._po(versions, language, base)
            if base_text is None:
                return Outcome("not_found", live, errors=(
                    f"{name}: version {base} of {language} does not exist",))
            changes = diff(self.contents(base_text, language).texts, checked.contents.texts)
            row = versions.add(CatalogVersion(
                language=language, number=versions.next_number(language), base_number=base,
                kind="upload", po=text, changes=json.dumps(changes.to_json()),
                author_id=author_id, author_name=author_name[:128]))
            return Outcome("ok", live, _view(row, live), changes)

        return self._retrying(store)

    def publish(self, language: str, number: int, publisher: int) -> Outcome:
        """Makes a draft live if it was made from the live version; refused otherwise."""
        def attempt(session: Session) -> Outcome:
            versions = CatalogVersionRepository(session)
            live = versions.head(language)
            row = versions.get(language, number)
            if row is None:
                return Outcome("not_found", live)
            if row.published_at is not None:
                return Outcome("published_already", live, _view(row, live))
            if row.base_number != live:
                live_text = str(self._po(versions, language, live))
                return Outcome("stale", live, _view(row, live), diff(
                    self.contents(live_text, language).texts,
                    self.contents(row.po, language).texts))
            errors = validate(row.po, self.sources()).errors
            if errors:  # the English changed since the upload
                return Outcome("invalid", live, _view(row, live), errors=tuple(errors))
            if not versions.advance(language, live, number):
                raise _LostRace
            row.published_at, row.published_by = utcnow(), publisher
            return Outcome("ok", number, _view(row, number),
                           Changes.from_json(json.loads(row.changes)))

        return self._retrying(attempt)

    def rollback(self, language: str, number: int, publisher: int, name: str) -> Outcome:
        """Publishes a new version whose content is version ``number``'s."""
        def attempt(session: Session) -> Outcome:
            versions = CatalogVersionRepository(session)
            live = versions.head(language)
            text = self._po(versions, language, number)
            if text is None:
                return Outcome("not_found", live)
            if number == live or (self._shipped(versions, language, number)
                                  and self._shipped(versions, language, live)):
                return Outcome("same", live)
            live_text = str(self._po(versions, language, live))
            changes = diff(self.contents(live_text, language).texts,
                           self.contents(text, language).texts)
            restores = 0 if self._shipped(versions, language, number) else number
            row = versions.add(CatalogVersion(
                language=language, number=versions.next_number(language), base_number=live,
                kind="rollback", restores=restores, po=text,
                changes=json.dumps(changes.to_json()), author_id=publisher,
                author_name=name[:128], published_at=utcnow(), published_by=publisher))
            if not versions.advance(language, live, row.number):
                raise _LostRace
            return Outcome("ok", row.number, _view(row, row.number), changes)

        return self._retrying(attempt)

    def _retrying(self, work: Callable[[Session], T]) -> T:
        """Runs ``work`` in one transaction; a transaction that lost a race (unique number
        taken, head moved, SQLite's stale snapshot) is run again and sees the winner."""
        for attempt in range(ATTEMPTS):
            try:
                with self.database.session() as session:
                    return work(session)
            except (_LostRace, IntegrityError, OperationalError) as exc:
                if attempt == ATTEMPTS - 1:
                    raise
                log.info("catalog version write lost a race, reading again: %r", exc)
        raise AssertionError("unreachable")


class _LostRace(Exception):
    """Another publish moved the head between our read and our update."""

