"""One loop for the app's background chores (reloads, the staff outbox): run a step every few
seconds until told to stop, surviving a failing step."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)


async def every(interval: float, stop: asyncio.Event, step: Callable[[], Awaitable[object]],
                name: str) -> None:
    """Awaits ``step()`` every ``interval`` seconds until ``stop`` is set; logs failures."""
    while not stop.is_set():
        try:
            await step()
        except Exception:
            log.exception("%s failed; trying again in %.0f s", name, interval)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(stop.wait(), interval)
