"""Loads the reference data in ``data/`` (the edge between files and the pure services)."""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.periodic import every
from bot.services.contacts import Contact, parse_directory
from bot.services.gazetteer import Gazetteer
from bot.services.guides import Guide
from bot.services.offers import Lexicon
from bot.services.routing import EscapeRoute, parse_routes
from bot.settings import PROJECT_ROOT
from bot.yamlfile import load_unique

log = logging.getLogger(__name__)


def load_gazetteer(root: Path = PROJECT_ROOT) -> Gazetteer:
    files = sorted((root / "data" / "gazetteer").glob("*.yml"))
    per_language = [yaml.safe_load(p.read_text(encoding="utf-8")) or {} for p in files]
    places = yaml.safe_load((root / "data" / "places.yml").read_text(encoding="utf-8")) or {}
    return Gazetteer.build(per_language, places)


def load_directory(root: Path = PROJECT_ROOT) -> tuple[Contact, ...]:
    return parse_directory((root / "data" / "missions.csv").read_text(encoding="utf-8"))


@dataclass
class ReferenceData:
    """Everything read from ``data/`` at start-up; the directory and routes can be reloaded
    while running (:class:`DirectoryWatcher`)."""

    directory: tuple[Contact, ...]
    gazetteer: Gazetteer
    guides: dict[str, Guide]
    lexicon: Lexicon
    routes: dict[str, EscapeRoute]

    @classmethod
    def load(cls, root: Path = PROJECT_ROOT) -> ReferenceData:
        from bot.guide_data import load_guides
        from bot.offer_data import load_lexicon

        gazetteer = load_gazetteer(root)
        routes = parse_routes(load_unique((root / "data" / "routes.yml").read_text(
            encoding="utf-8")) or {})
        return cls(load_directory(root), gazetteer, load_guides(root),
                   load_lexicon(root, gazetteer), routes)


class DirectoryWatcher:
    """Reloads ``data/missions.csv`` and ``data/routes.yml`` when they change; a file that fails
    validation (a row without a source, a bad line) is refused and the previous data serves."""

    def __init__(self, reference: ReferenceData, root: Path = PROJECT_ROOT) -> None:
        self.reference = reference
        self.root = root
        self.seen = self._stamp()
        self.last_error = ""

    def _stamp(self) -> tuple[tuple[int, int], ...]:
        files = (self.root / "data" / "missions.csv", self.root / "data" / "routes.yml")
        return tuple((p.stat().st_size, p.stat().st_mtime_ns) for p in files)

    def reload_if_changed(self) -> bool | None:
        """True: reloaded; False: refused (``last_error`` says why); None: unchanged."""
        stamp = self._stamp()
        if stamp == self.seen:
            return None
        self.seen = stamp
        try:
            directory = load_directory(self.root)
            routes = parse_routes(load_unique((self.root / "data" / "routes.yml").read_text(
                encoding="utf-8")) or {})
        except (ValueError, OSError, KeyError) as exc:
            self.last_error = str(exc)
            log.error("directory change refused; the previous data keeps serving: %s", exc)
            return False
        self.reference.directory, self.reference.routes = directory, routes
        self.last_error = ""
        log.info("directory reloaded: %d rows", len(directory))
        return True

    async def run(self, stop: asyncio.Event, interval: float = 10.0) -> None:
        await every(interval, stop, lambda: asyncio.to_thread(self.reload_if_changed),
                    "checking the directory")
