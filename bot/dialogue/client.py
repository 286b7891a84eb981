"""Client for Rasa's REST channel and HTTP API."""

from __future__ import annotations

import asyncio
import logging
import time
import zlib
from collections.abc import Sequence
from typing import Any
from urllib.parse import quote

import httpx

from bot.i18n.responses import Button, Reply

log = logging.getLogger(__name__)
SKIPPABLE = frozenset({502, 503, 504})  # a proxy or server saying it did not take the message


class DialogueUnavailable(RuntimeError):
    """Rasa could not be reached, timed out, or answered with an error."""


WRAPPER = "jaga_reply"  # a reply rendered by the app, inside Rasa's custom payload


def to_reply(message: dict[str, Any]) -> Reply:
    """Converts one message of Rasa's REST channel into a :class:`Reply`."""
    custom = message.get("custom") if isinstance(message.get("custom"), dict) else {}
    wrapped = (custom or {}).get(WRAPPER)
    if isinstance(wrapped, dict):
        message, custom = wrapped, wrapped.get("extra") or {}
    buttons = tuple(
        Button(str(b.get("title", "")), str(b.get("payload", "")))
        for b in message.get("buttons") or () if isinstance(b, dict) and b.get("payload")
    )
    return Reply(str(message.get("text") or ""), buttons,
                 dict(custom) if isinstance(custom, dict) else {})


class RasaClient:
    """Sends user messages to Rasa and returns the bot's replies.

    With several servers (they share the tracker store and the lock store, so any of them
    can serve any conversation) each conversation goes to the server its id hashes to, and
    on to the next one while that one cannot be reached; a server that refused a connection
    is tried last for ``down_for`` seconds. Only failures that prove the message was not
    handled (no connection, 502/503/504) move it on: a time-out might mean the first server
    is still working on it, and sending it twice would answer it twice.
    """

    def __init__(self, base_url: str | Sequence[str], timeout: float = 20.0,
                 down_for: float = 10.0) -> None:
        urls = [base_url] if isinstance(base_url, str) else list(base_url)
        self.base_urls = [u.rstrip("/") for u in urls if u.strip()]
        if not self.base_urls:
            raise ValueError("RasaClient needs at least one server URL")
        self.base_url = self.base_urls[0]
        self.down_for = down_for
        self._down_until: dict[str, float] = {}
        self._http = [httpx.AsyncClient(base_url=u, timeout=timeout) for u in self.base_urls]

    def _order(self, key: str) -> list[int]:
        """Server indexes for ``key``: its own first, then the others; known-down ones last."""
        count = len(self.base_urls)
        first = zlib.crc32(key.encode()) % count
        order = [(first + step) % count for step in range(count)]
        now = time.monotonic()
        return sorted(order, key=lambda i: self._down_until.get(self.base_urls[i], 0) > now)

    async def _post(self, key: str, path: str, body: Any) -> Any:
        errors = []
        for index in self._order(key):
            url = self.base_urls[index]
            try:
                response = await self._http[index].post(path, json=body)
            except (httpx.ConnectError, httpx.ConnectTimeout) as exc:
                errors.append(self._skip(url, repr(exc)))
                continue
            except httpx.HTTPError as exc:
                raise DialogueUnavailable(f"Rasa at {url}: {exc!r}") from exc
            if response.status_code in SKIPPABLE:
                errors.append(self._skip(url, f"HTTP {response.status_code}"))
                continue
            try:
                response.raise_for_status()
                data = response.json()
            except (httpx.HTTPError, ValueError) as exc:
                raise DialogueUnavailable(f"Rasa at {url}: {exc!r}") from exc
            self._down_until.pop(url, None)
            return data
        raise DialogueUnavailable("no Rasa server answered: " + "; ".join(errors))

    def _skip(self, url: str, why: str) -> str:
        self._down_until[url] = time.monotonic() + self.down_for
        log.warning("Rasa at %s unavailable (%s); trying the next server", url, why)
        return f"{url}: {why}"

    async def send(self, sender_id: str, text: str, metadata: dict[str, Any] | None = None
                   ) -> list[Reply]:
        """Posts one message to the REST channel; raises :class:`DialogueUnavailable`."""
        body = {"sender": sender_id, "message": text, "metadata": metadata or {}}
        data = await self._post(sender_id, "/webhooks/rest/webhook", body)
        if not isinstance(data, list):
            raise DialogueUnavailable(f"Rasa answered {data!r}")
        if not data:
            # Rasa's REST channel answers 200 with no messages when handling failed inside
            # Rasa (lock store or tracker store down); every turn of ours says something.
            raise DialogueUnavailable("Rasa answered nothing")
        return [to_reply(m) for m in data if isinstance(m, dict)]

    async def parse(self, text: str) -> dict[str, Any]:
        """Runs NLU only (``/model/parse``): intent, ranking and entities."""
        result = await self._post(text, "/model/parse", {"text": text})
        if not isinstance(result, dict):
            raise DialogueUnavailable(f"Rasa answered {result!r}")
        return result

    async def reset_slots(self, sender_id: str, slots: tuple[str, ...]) -> None:
        """Sets ``slots`` to null in the conversation (Rasa's HTTP API appends SlotSet
        events); raises :class:`DialogueUnavailable`."""
        events = [{"event": "slot", "name": slot, "value": None} for slot in slots]
        await self._post(sender_id, f"/conversations/{quote(sender_id, safe='')}/tracker/events",
                         events)

    async def is_ready(self) -> bool:
        """True when every server answers and has a model loaded."""
        return all([await self._ready(index) for index in range(len(self.base_urls))])

    async def any_ready(self) -> bool:
        """True when at least one server answers with a model loaded (health checks)."""
        return any([await self._ready(index) for index in range(len(self.base_urls))])

    async def _ready(self, index: int) -> bool:
        try:
            response = await self._http[index].get("/status", timeout=5.0)
            return response.status_code == 200 and bool(response.json().get("model_file"))
        except (httpx.HTTPError, ValueError):
            return False

    async def wait_ready(self, timeout: float, alive: Any = None) -> None:
        """Polls until ready; ``alive()`` returning False (the process died) stops early."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while loop.time() < deadline:
            if await self.is_ready():
                return
            if alive is not None and not alive():
                raise DialogueUnavailable("the Rasa server exited while starting")
            await asyncio.sleep(0.5)
        raise DialogueUnavailable(f"Rasa at {', '.join(self.base_urls)} not ready after "
                                  f"{timeout:.0f}s")

    async def close(self) -> None:
        for http in self._http:
            await http.aclose()
