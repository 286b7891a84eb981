"""What several app replicas share through Redis: per-chat FIFO locks and flood limits.

Without ``REDIS_URL`` (one replica) both stay in-process. With it, each falls back to its
in-process twin while Redis cannot be reached (logged once), and tries Redis again after
``retry_after`` seconds, so a Redis outage never stops a help request from being answered.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
import traceback
import uuid
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any

import redis.asyncio as aioredis
from redis.exceptions import RedisError

from bot.telegram.flow import ChatLocks, FloodGate

log = logging.getLogger(__name__)

PREFIX = "jaga:"
IDLE_SECONDS = 86400  # a chat's ticket counters vanish after a day without updates

# Tickets: hash {next: last ticket issued, serving: the ticket allowed to run}. Each live
# ticket has an ``alive`` key with a TTL, refreshed by its replica while it waits and works;
# a ticket whose key expired (its replica died or overran) is skipped by the next waiter.
_TAKE = """
local t = redis.call('HINCRBY', KEYS[1], 'next', 1)
redis.call('HSETNX', KEYS[1], 'serving', t)
redis.call('EXPIRE', KEYS[1], ARGV[2])
redis.call('SET', KEYS[1] .. ':alive:' .. t, 1, 'PX', ARGV[1])
return t
"""
_POLL = """
local mine = tonumber(ARGV[1])
local serving = tonumber(redis.call('HGET', KEYS[1], 'serving') or '0')
if serving == 0 then serving = mine end
while serving < mine and redis.call('EXISTS', KEYS[1] .. ':alive:' .. serving) == 0 do
  serving = serving + 1
end
redis.call('HSET', KEYS[1], 'serving', serving)
redis.call('EXPIRE', KEYS[1], ARGV[3])
redis.call('SET', KEYS[1] .. ':alive:' .. mine, 1, 'PX', ARGV[2])
if serving >= mine then return 1 end
return 0
"""
_RELEASE = """
redis.call('DEL', KEYS[1] .. ':alive:' .. ARGV[1])
if tonumber(redis.call('HGET', KEYS[1], 'serving') or '0') == tonumber(ARGV[1]) then
  redis.call('HSET', KEYS[1], 'serving', tonumber(ARGV[1]) + 1)
end
return 1
"""
_REFRESH = """
return redis.call('SET', KEYS[1] .. ':alive:' .. ARGV[1], 1, 'PX', ARGV[2], 'XX') and 1 or 0
"""
# Sliding window of message times per user (Redis's clock, so replicas' clocks never matter).
_FLOOD = """
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local window = tonumber(ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', '(' .. (now - window))
if redis.call('ZCARD', KEYS[1]) < tonumber(ARGV[2]) then
  redis.call('ZADD', KEYS[1], now, ARGV[3])
  redis.call('PEXPIRE', KEYS[1], window)
  redis.call('DEL', KEYS[2])
  return 'pass'
end
if redis.call('EXISTS', KEYS[2]) == 1 then return 'drop' end
redis.call('SET', KEYS[2], 1, 'PX', window)
return 'warn'
"""


class RedisLink:
    """The shared Redis client, and whether to use it now.

    After a failure the app works in-process for ``retry_after`` seconds, then tries again.

    Each command is bounded by ``asyncio.timeout`` here, not by redis-py's ``socket_timeout``:
    with a socket timeout redis-py writes through ``asyncio.wait_for``, which on Python 3.11
    swallows a cancellation that arrives just as the write completes (CPython gh-86296), so
    a cancelled caller would carry on as if nothing happened.
    """

    def __init__(self, url: str, retry_after: float = 30.0,
                 clock: Callable[[], float] = time.monotonic, timeout: float = 2.0) -> None:
        self.url = url
        self.retry_after = retry_after
        self.clock = clock
        self.timeout = timeout
        self.client: aioredis.Redis = aioredis.Redis.from_url(
            url, socket_timeout=None, socket_connect_timeout=timeout)
        self._down_until = 0.0
        self._down = False
        self.scripts = {name: self.client.register_script(source) for name, source in (
            ("take", _TAKE), ("poll", _POLL), ("release", _RELEASE), ("refresh", _REFRESH),
            ("flood", _FLOOD))}

    def usable(self) -> bool:
        return self.clock() >= self._down_until

    def failed(self, exc: BaseException) -> None:
        """Switches to in-process coordination for a while (one warning per outage)."""
        if not self._down:
            log.warning("Redis at %s unreachable (%r): per-chat order and flood limits are "
                        "in-process until it answers again (retry in %.0f s)",
                        self.url, exc, self.retry_after)
        self._down = True
        self._down_until = self.clock() + self.retry_after

    def succeeded(self) -> None:
        if self._down:
            log.warning("Redis at %s answers again: per-chat order and flood limits are shared",
                        self.url)
        self._down = False

    async def run(self, script: str, keys: list[str], args: list[Any]) -> Any:
        """Runs one Lua script; raises :class:`RedisError` (after marking Redis down)."""
        if not self.usable():
            raise RedisError("Redis is marked down")
        try:
            async with asyncio.timeout(self.timeout):
                result = await self.scripts[script](keys=keys, args=args)
        except (RedisError, OSError) as exc:  # OSError includes TimeoutError
            self.failed(exc)
            raise RedisError(str(exc)) from exc
        self.succeeded()
        return result

    async def ping(self) -> bool:
        try:
            async with asyncio.timeout(self.timeout):
                return bool(await self.client.ping())
        except (RedisError, OSError):
            return False

    async def close(self) -> None:
        await self.client.aclose()


@dataclass(frozen=True)
class Ticket:
    """A place in a chat's queue (``number`` is None for the in-process lock)."""

    chat_id: int
    number: int


class TurnExpired(TimeoutError):
    """An update's work outlasted ``max_hold`` and was stopped, so its chat can go on."""


class ChatOrder:
    """One update at a time per chat, in the order tickets were taken, across replicas.

    A ticket is taken when an update arrives (the webhook takes it before answering
    Telegram, so the order is the order of arrival at any replica), and the update is
    processed when the chat's earlier tickets are done. ``ttl`` bounds how long a dead
    replica's ticket can hold up a chat; a live one keeps its ticket fresh while it works.
    The work itself is stopped after ``max_hold`` seconds (:class:`TurnExpired`), with or
    without Redis, and an update still working after ``warn_after`` seconds (default two
    TTLs) is logged with the stack it is stuck in.
    """

    def __init__(self, link: RedisLink | None, ttl: float = 15.0, max_hold: float = 300.0,
                 poll: tuple[float, float] = (0.005, 0.05),
                 warn_after: float | None = None) -> None:
        self.link = link
        self.local = ChatLocks()
        self.ttl_ms = int(ttl * 1000)
        self.max_hold = max_hold
        self.warn_after = 2 * ttl if warn_after is None else warn_after
        self.poll = poll
        self.reserved: dict[int, Ticket] = {}  # update id -> ticket taken on arrival

    @staticmethod
    def key(chat_id: int) -> str:
        return f"{PREFIX}chat:{chat_id}"

    async def take(self, chat_id: int) -> Ticket | None:
        """A place in the chat's queue; None when Redis is not in use (in-process order)."""
        if self.link is None or not self.link.usable():
            return None
        try:
            number = await self.link.run("take", [self.key(chat_id)],
                                         [self.ttl_ms, IDLE_SECONDS])
        except RedisError:
            return None
        return Ticket(chat_id, int(number))

    async def reserve(self, update_id: int, chat_id: int) -> None:
        """Takes the ticket of an update that has arrived but is not processed yet."""
        ticket = await self.take(chat_id)
        if ticket is not None:
            self.reserved[update_id] = ticket

    @contextlib.asynccontextmanager
    async def turn(self, chat_id: int, update_id: int | None = None) -> AsyncIterator[None]:
        """Waits for the chat's turn (its reserved ticket, or a new one), then holds it."""
        ticket = self.reserved.pop(update_id, None) if update_id is not None else None
        ticket = ticket or await self.take(chat_id)
        if ticket is None or not await self._wait(ticket):
            async with self.local.lock(chat_id), self._bounded("in-process turn"):
                yield
            return
        # The keep-alive is told to stop, never cancelled: a cancellation that lands in a
        # Redis command can be lost, and then it refreshed the ticket for max_hold seconds
        # while this turn waited for it, holding up the chat after its reply was sent.
        stop = asyncio.Event()
        keeper = asyncio.create_task(self._keep_alive(ticket, stop))
        try:
            async with self._bounded(f"ticket {ticket.number}"):
                yield
        finally:
            stop.set()
            await keeper
            await self._release(ticket)

    @contextlib.asynccontextmanager
    async def _bounded(self, what: str) -> AsyncIterator[None]:
        """Runs the turn's work for at most ``max_hold`` seconds; logs it when it is slow."""
        holder = asyncio.current_task()
        assert holder is not None
        watcher = asyncio.create_task(self._watch(holder, what))
        try:
            async with asyncio.timeout(self.max_hold) as bound:
                yield
        except TimeoutError as exc:
            if not bound.expired():
                raise
            raise TurnExpired(f"an update held its chat for {self.max_hold:g} s ({what}) "
                              f"and was stopped where the traceback above shows") from exc
        finally:
            watcher.cancel()

    async def _watch(self, holder: asyncio.Task[Any], what: str) -> None:
        """Logs where a turn's work is stuck, once, after ``warn_after`` seconds."""
        await asyncio.sleep(self.warn_after)
        log.warning("an update has held its chat for %g s (%s) and is stopped at %g s; it is "
                    "waiting in:\n%s", self.warn_after, what, self.max_hold, awaiting(holder))

    async def _wait(self, ticket: Ticket) -> bool:
        """True once it is this ticket's turn; False when Redis failed (go in-process)."""
        assert self.link is not None
        delay, started, warned = self.poll[0], time.monotonic(), False
        while True:
            try:
                if await self.link.run("poll", [self.key(ticket.chat_id)],
                                       [ticket.number, self.ttl_ms, IDLE_SECONDS]):
                    return True
            except RedisError:
                return False
            if not warned and time.monotonic() - started > 2 * self.ttl_ms / 1000:
                warned = True
                log.warning("an update has waited %.0f s for its turn in a chat (ticket %d)",
                            time.monotonic() - started, ticket.number)
            await asyncio.sleep(delay)
            delay = min(self.poll[1], delay * 2)

    async def _keep_alive(self, ticket: Ticket, stop: asyncio.Event) -> None:
        """Refreshes the ticket every third of its TTL until ``stop`` is set (or max_hold)."""
        assert self.link is not None
        deadline = time.monotonic() + self.max_hold
        while time.monotonic() < deadline:
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(self.ttl_ms / 3000):
                    await stop.wait()
            if stop.is_set():
                return
            with contextlib.suppress(RedisError):
                await self.link.run("refresh", [self.key(ticket.chat_id)],
                                    [ticket.number, self.ttl_ms])

    async def _release(self, ticket: Ticket) -> None:
        assert self.link is not None
        try:
            await self.link.run("release", [self.key(ticket.chat_id)], [ticket.number])
        except RedisError:
            log.info("could not release a chat ticket; it expires in %d ms", self.ttl_ms)


def awaiting(task: asyncio.Task[Any]) -> str:
    """Where a suspended task waits: its chain of awaited coroutines, innermost last, and the
    future it awaits (``Task.print_stack`` shows only the outermost coroutine's frame)."""
    frames = []
    awaited: Any = task.get_coro()
    while awaited is not None:
        frame = getattr(awaited, "cr_frame", None) or getattr(awaited, "gi_frame", None)
        if frame is None:
            break
        frames.append((frame, frame.f_lineno))
        awaited = getattr(awaited, "cr_await", None) or getattr(awaited, "gi_yieldfrom", None)
    lines = traceback.format_list(traceback.StackSummary.extract(frames))
    return "".join(lines) + f"  awaiting {getattr(task, '_fut_waiter', None)!r:.300}"


class SharedFloodGate:
    """The flood limits of :class:`FloodGate`, counted in Redis for all replicas."""

    def __init__(self, local: FloodGate, link: RedisLink | None) -> None:
        self.local = local
        self.link = link

    async def check(self, user_id: int) -> str:
        """``"pass"``, ``"warn"`` or ``"drop"``, as :meth:`FloodGate.check`."""
        if self.link is not None and self.link.usable():
            key = f"{PREFIX}flood:{user_id}"
            try:
                verdict = await self.link.run(
                    "flood", [key, key + ":warned"],
                    [int(self.local.window * 1000), self.local.limit, uuid.uuid4().hex])
                return verdict.decode() if isinstance(verdict, bytes) else str(verdict)
            except RedisError:
                pass
        return self.local.check(user_id)
