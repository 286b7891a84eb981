"""Client for Rasa's REST channel and HTTP API."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx

from bot.i18n.responses import Button, Reply


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
    """Sends user messages to Rasa and returns the bot's replies."""

    def __init__(self, base_url: str, timeout: float = 20.0) -> None:
        self.base_url = base_url.rstrip("/")
        self._http = httpx.AsyncClient(base_url=self.base_url, timeout=timeout)

    async def send(self, sender_id: str, text: str, metadata: dict[str, Any] | None = None
                   ) -> list[Reply]:
        """Posts one message to the REST channel; raises :class:`DialogueUnavailable`."""
        body = {"sender": sender_id, "message": text, "metadata": metadata or {}}
        try:
            response = await self._http.post("/webhooks/rest/webhook", json=body)
            response.raise_for_status()
            data = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise DialogueUnavailable(f"Rasa at {self.base_url}: {exc!r}") from exc
        if not isinstance(data, list):
            raise DialogueUnavailable(f"Rasa at {self.base_url} answered {data!r}")
        if not data:
            # Rasa's REST channel answers 200 with no messages when handling failed inside
            # Rasa (lock store or tracker store down); every turn of ours says something.
            raise DialogueUnavailable(f"Rasa at {self.base_url} answered nothing")
        return [to_reply(m) for m in data if isinstance(m, dict)]

    async def parse(self, text: str) -> dict[str, Any]:
        """Runs NLU only (``/model/parse``): intent, ranking and entities."""
        try:
            response = await self._http.post("/model/parse", json={"text": text})
            response.raise_for_status()
            result: dict[str, Any] = response.json()
        except (httpx.HTTPError, ValueError) as exc:
            raise DialogueUnavailable(f"Rasa at {self.base_url}: {exc!r}") from exc
        return result

    async def is_ready(self) -> bool:
        """True when the server answers and has a model loaded."""
        try:
            response = await self._http.get("/status", timeout=5.0)
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
        raise DialogueUnavailable(f"Rasa at {self.base_url} not ready after {timeout:.0f}s")

    async def close(self) -> None:
        await self._http.aclose()
