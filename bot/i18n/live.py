"""Live reload of the response scripts and catalogs: a validated change is served without a
restart or a retrain; a change that fails ``jaga responses check`` never goes live. Catalog
versions that staff published (in the database) are laid over the shipped catalogs, so every
replica serves a publish within one polling interval."""

from __future__ import annotations

import asyncio
import logging
import threading
from pathlib import Path
from typing import Protocol

from babel.messages.catalog import Catalog

from bot.i18n.catalogs import parse_po
from bot.i18n.check import check
from bot.i18n.responses import Renderer, ResponseError
from bot.periodic import every

log = logging.getLogger(__name__)


class Published(Protocol):
    """Where published staff versions come from (the catalog version store)."""

    def heads(self) -> dict[str, int]: ...

    def text_of(self, language: str, number: int) -> str | None: ...


def fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of every script and catalog."""
    files = [*sorted((root / "responses").glob("*.yml")),
             *sorted((root / "locales").glob("*/LC_MESSAGES/*.po"))]
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)


class LiveResponses:
    """Watches ``responses/``, ``locales/`` and the published versions; swaps the renderer's
    texts when the files pass the check or another version is published."""

    def __init__(self, renderer: Renderer, root: Path, published: Published | None = None
                 ) -> None:
        self.renderer = renderer
        self.root = root
        self.published = published
        self.seen = fingerprint(root)
        self.base = renderer.overlaid({})  # the shipped texts that passed the check
        self.heads: dict[str, int] = {}
        self.catalogs: dict[str, Catalog] = {}
        self.last_errors: list[str] = []
        self._lock = threading.Lock()  # the loop and a publish may both ask at once

    def reload_if_changed(self) -> bool | None:
        """True: new texts are live; False: a change was refused; None: nothing changed."""
        with self._lock:
            return self._reload()

    def _reload(self) -> bool | None:
        current = fingerprint(self.root)
        heads = self._heads()
        if current == self.seen and heads == self.heads:
            return None
        if current != self.seen:
            self.seen = current
            report = check(self.root)
            if report.errors:
                self.last_errors = report.errors
                log.error("response change refused; the previous texts keep serving: %s",
                          "; ".join(report.errors[:5]))
                return False
            self.base = Renderer.from_directories(self.root / "responses",
                                                  self.root / "locales")
            self.last_errors = []
        if heads != self.heads:
            self.catalogs = self._catalogs(heads)
            self.heads = heads
        self.renderer.replace_with(self.base.overlaid(self.catalogs))
        log.info("new response texts are live (published versions: %s)", heads or "none")
        return True

    def _heads(self) -> dict[str, int]:
        if self.published is None:
            return {}
        try:
            return {lang: n for lang, n in self.published.heads().items() if n}
        except Exception:  # a database outage must not stop the file reloads
            log.warning("could not read the published catalog versions", exc_info=True)
            return self.heads

    def _catalogs(self, heads: dict[str, int]) -> dict[str, Catalog]:
        assert self.published is not None
        catalogs = {}
        for language, number in heads.items():
            text = self.published.text_of(language, number)
            try:
                if text is not None:
                    catalogs[language] = parse_po(text, f"{language} version {number}")
            except ResponseError:
                log.exception("published version does not parse; the shipped one serves")
        return catalogs

    async def run(self, stop: asyncio.Event, interval: float = 5.0) -> None:
        await every(interval, stop, lambda: asyncio.to_thread(self.reload_if_changed),
                    "checking the response files")
