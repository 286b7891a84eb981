"""Order and pace: one update at a time per chat, and flood protection per user."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class FloodGate:
    """Allows ``limit`` messages per user in ``window`` seconds.

    ``check`` says ``"pass"``, ``"warn"`` (the first message over the limit: answer once,
    politely) or ``"drop"`` (further messages in the same burst: no reply, no work).
    Users idle for a whole window are forgotten once per window, so memory follows the users
    of the last two windows, not everyone ever seen.
    """

    limit: int
    window: float
    clock: Callable[[], float] = time.monotonic
    _seen: dict[int, deque[float]] = field(default_factory=dict)
    _warned: dict[int, float] = field(default_factory=dict)
    _swept: float | None = None

    def __len__(self) -> int:
        return len(self._seen)

    def check(self, user_id: int) -> str:
        now = self.clock()
        if self._swept is None:
            self._swept = now
        elif now - self._swept > self.window:
            self.forget_idle()
            self._swept = now
        times = self._seen.setdefault(user_id, deque())
        while times and now - times[0] > self.window:
            times.popleft()
        if len(times) < self.limit:
            times.append(now)
            self._warned.pop(user_id, None)
            return "pass"
        if user_id in self._warned and now - self._warned[user_id] <= self.window:
            return "drop"
        self._warned[user_id] = now
        return "warn"

    def forget_idle(self) -> None:
        """Drops users with no message in the window (keeps memory bounded)."""
        now = self.clock()
        for user_id in [u for u, t in self._seen.items() if not t or now - t[-1] > self.window]:
            self._seen.pop(user_id, None)
            self._warned.pop(user_id, None)


class ChatLocks:
    """One lock per chat, so a chat's updates run in order while chats run in parallel."""

    def __init__(self) -> None:
        self._locks: dict[int, asyncio.Lock] = {}
        self._users: dict[int, int] = {}

    def lock(self, chat_id: int) -> _ChatLock:
        return _ChatLock(self, chat_id)

    def _acquire_ref(self, chat_id: int) -> asyncio.Lock:
        self._users[chat_id] = self._users.get(chat_id, 0) + 1
        return self._locks.setdefault(chat_id, asyncio.Lock())

    def _release_ref(self, chat_id: int) -> None:
        self._users[chat_id] -= 1
        if self._users[chat_id] == 0:  # nobody waiting: forget the lock
            del self._users[chat_id]
            del self._locks[chat_id]

    def __len__(self) -> int:
        return len(self._locks)


class _ChatLock:
    def __init__(self, owner: ChatLocks, chat_id: int) -> None:
        self.owner, self.chat_id = owner, chat_id

    async def __aenter__(self) -> None:
        self.lock = self.owner._acquire_ref(self.chat_id)
        try:
            await self.lock.acquire()
        except BaseException:
            self.owner._release_ref(self.chat_id)
            raise

    async def __aexit__(self, *exc: object) -> None:
        self.lock.release()
        self.owner._release_ref(self.chat_id)
