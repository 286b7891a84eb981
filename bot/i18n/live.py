"""Live reload of the response scripts and catalogs: a validated change is served without a
restart or a retrain; a change that fails ``jaga responses check`` never goes live."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path

from bot.i18n.check import check
from bot.i18n.responses import Renderer
from bot.periodic import every

log = logging.getLogger(__name__)


def fingerprint(root: Path) -> tuple[tuple[str, int, int], ...]:
    """Names, sizes and modification times of every script and catalog."""
    files = [*sorted((root / "responses").glob("*.yml")),
             *sorted((root / "locales").glob("*/LC_MESSAGES/*.po"))]
    return tuple((str(p), p.stat().st_size, p.stat().st_mtime_ns) for p in files)


class LiveResponses:
    """Watches ``responses/`` and ``locales/``; swaps the renderer's texts when they pass."""

    def __init__(self, renderer: Renderer, root: Path) -> None:
        self.renderer = renderer
        self.root = root
        self.seen = fingerprint(root)
        self.last_errors: list[str] = []

    def reload_if_changed(self) -> bool | None:
        """True: new texts are live; False: a change was refused; None: nothing changed."""
        current = fingerprint(self.root)
        if current == self.seen:
            return None
        self.seen = current
        report = check(self.root)
        if report.errors:
            self.last_errors = report.errors
            log.error("response change refused; the previous texts keep serving: %s",
                      "; ".join(report.errors[:5]))
            return False
        self.renderer.replace_with(Renderer.from_directories(self.root / "responses",
                                                             self.root / "locales"))
        self.last_errors = []
        log.info("new response texts are live")
        return True

    async def run(self, stop: asyncio.Event, interval: float = 5.0) -> None:
        await every(interval, stop, lambda: asyncio.to_thread(self.reload_if_changed),
                    "checking the response files")
