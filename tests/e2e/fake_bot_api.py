"""A fake Telegram Bot API server on 127.0.0.1: real HTTP, enough methods for the bot,
updates queued for long polling, every call recorded, and failures injectable."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

BOT_USER = {"id": 999000111, "is_bot": True, "first_name": "Jaga", "username": "jaga_test_bot",
             "can_join_groups": False, "can_read_all_group_messages": False,
             "supports_inline_queries": False}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    result: Any = None
    at: float = field(default_factory=time.monotonic)  # when the call arrived


@dataclass
class FakeBotApi:
    """Start with ``await api.start()``; point the bot at ``api.base_url``."""

    calls: list[Call] = field(default_factory=list)
    # Chats that got a sendMessage, kept as calls arrive: a benchmark waiting for thousands of
    # chats checks a set instead of rescanning every call after each one.
    replied: set[int] = field(default_factory=set)
    failures: dict[str, list[tuple[int, dict[str, Any]]]] = field(default_factory=dict)
    updates: asyncio.Queue[dict[str, Any]] | None = None
    port: int = 0
    _runner: web.AppRunner | None = None
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1000))
    _update_ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))
    _new_call: asyncio.Condition | None = None
    files: dict[str, bytes] = field(default_factory=dict)
    delays: dict[str, list[float]] = field(default_factory=dict)
    file_paths: dict[str, str] = field(default_factory=dict)  # file_id -> path

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    async def start(self) -> None:
        self.updates = asyncio.Queue()
        self._new_call = asyncio.Condition()
        app = web.Application()
        app.router.add_route("*", "/bot{token}/{method}", self._handle)
        app.router.add_get("/file/bot{token}/{path:.*}", self._file)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def stop(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    async def _file(self, request: web.Request) -> web.Response:
        content = self.files.get(request.match_info["path"])
        if content is None:
            return web.Response(status=404)
        return web.Response(body=content, content_type="application/octet-stream")

    def add_file(self, file_id: str, content: bytes) -> None:
        """Serves ``content`` for getFile(``file_id``) and its download."""
        self.files[f"photos/{file_id}.png"] = content

    def add_document(self, file_id: str, file_name: str, content: bytes) -> None:
        """Serves an uploaded document for getFile(``file_id``) and its download."""
        self.file_paths[file_id] = f"documents/{file_name}"
        self.files[f"documents/{file_name}"] = content

    def fail_next(self, method: str, status: int, body: dict[str, Any]) -> None:
        """The next call of ``method`` answers ``status`` with ``body``."""
        self.failures.setdefault(method, []).append((status, body))

    def rate_limit_next(self, method: str, retry_after: int) -> None:
        """The next call of ``method`` gets Telegram's 429 with ``retry_after`` seconds."""
        self.fail_next(method, 429, {
            "ok": False, "error_code": 429,
            "description": f"Too Many Requests: retry after {retry_after}",
            "parameters": {"retry_after": retry_after}})

    def delay_next(self, method: str, seconds: float) -> None:
        """The next call of ``method`` succeeds (the message is posted) but the answer comes
        ``seconds`` later, as when Telegram is slow and the client times out."""
        self.delays.setdefault(method, []).append(seconds)

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            data = await request.json()
            return dict(data or {})
        form = await request.post()
        params: dict[str, Any] = {}
        for key, value in form.items():
            if isinstance(value, web.FileField):  # an uploaded file (sendDocument)
                params[key] = {"filename": value.filename, "content": value.file.read()}
                continue
            text = str(value)
            try:
                params[key] = json.loads(text)
            except ValueError:
                params[key] = text
        return params

    async def _handle(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request) if request.can_read_body else {}
        call = Call(method, params)
        pending = self.failures.get(method)
        if pending:
            status, body = pending.pop(0)
            await self._record(call)
            return web.json_response(body, status=status)
        call.result = await self._result(method, params)
        await self._record(call)
        delays = self.delays.get(method)
        if delays:
            await asyncio.sleep(delays.pop(0))
        return web.json_response({"ok": True, "result": call.result})

    async def _record(self, call: Call) -> None:
        if call.method == "getUpdates":
            return
        self.calls.append(call)
        if call.method == "sendMessage":
            self.replied.add(int(call.params.get("chat_id", 0)))
        assert self._new_call is not None
        async with self._new_call:
            self._new_call.notify_all()

    async def _result(self, method: str, params: dict[str, Any]) -> Any:
        if method == "getMe":
            return BOT_USER
        if method == "getUpdates":
            return await self._poll(float(params.get("timeout", 0) or 0),
                                    int(params.get("offset", 0) or 0))
        if method == "sendMessage":
            message = {"message_id": next(self._ids), "date": int(time.time()),
                       "chat": {"id": int(params["chat_id"]), "type": "private"},
                       "from": BOT_USER, "text": params.get("text", "")}
            if params.get("reply_markup"):
                message["reply_markup"] = params["reply_markup"]
            return message
        if method == "sendDocument":
            document = params.get("document") or {}
            content = document.get("content", b"") if isinstance(document, dict) else b""
            file_id = f"doc{next(self._ids)}"
            return {"message_id": next(self._ids), "date": int(time.time()),
                    "chat": {"id": int(params["chat_id"]), "type": "private"},
                    "from": BOT_USER, "caption": params.get("caption", ""),
                    "document": {"file_id": file_id, "file_unique_id": file_id,
                                 "file_name": document.get("filename", "file")
                                 if isinstance(document, dict) else "file",
                                 "file_size": len(content)}}
        if method == "getFile":
            file_id = str(params["file_id"])
            path = self.file_paths.get(file_id, f"photos/{file_id}.png")
            return {"file_id": file_id, "file_unique_id": file_id,
                    "file_size": len(self.files.get(path, b"")), "file_path": path}
        if method in ("getWebhookInfo",):
            return {"url": "", "has_custom_certificate": False, "pending_update_count": 0}
        return True  # setMyCommands, deleteWebhook, setWebhook, answerCallbackQuery, ...

    async def _poll(self, timeout: float, offset: int) -> list[dict[str, Any]]:
        assert self.updates is not None
        batch: list[dict[str, Any]] = []
        try:
            first = await asyncio.wait_for(self.updates.get(), timeout=max(timeout, 0.05))
            batch.append(first)
            while not self.updates.empty():
                batch.append(self.updates.get_nowait())
        except TimeoutError:
            pass
        return [u for u in batch if u["update_id"] >= offset]

    # -- building updates like Telegram does -----------------------------------------

    def user(self, user_id: int, language_code: str | None) -> dict[str, Any]:
        user: dict[str, Any] = {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}
        if language_code:
            user["language_code"] = language_code
        return user

    def message_update(self, user_id: int, text: str | None = None,
                       language_code: str | None = "en", **extra: Any) -> dict[str, Any]:
        message: dict[str, Any] = {"message_id": next(self._ids), "date": int(time.time()),
                                   "chat": {"id": user_id, "type": "private"},
                                   "from": self.user(user_id, language_code), **extra}
        if text is not None:
            message["text"] = text
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0,
                                        "length": len(command)}]
        return {"update_id": next(self._update_ids), "message": message}

    def document_update(self, user_id: int, file_id: str, file_name: str, size: int,
                        language_code: str | None = "en") -> dict[str, Any]:
        """A file sent in a private chat (add its content with :meth:`add_document`)."""
        return self.message_update(user_id, None, language_code, document={
            "file_id": file_id, "file_unique_id": file_id, "file_name": file_name,
            "mime_type": "text/x-gettext-translation", "file_size": size})

    def callback_update(self, user_id: int, data: str, language_code: str | None = "en"
                        ) -> dict[str, Any]:
        message = {"message_id": next(self._ids), "date": int(time.time()),
                   "chat": {"id": user_id, "type": "private"}, "from": BOT_USER, "text": "menu"}
        return {"update_id": next(self._update_ids),
                "callback_query": {"id": str(next(self._ids)),
                                   "from": self.user(user_id, language_code),
                                   "chat_instance": "1", "data": data, "message": message}}

    async def push(self, update: dict[str, Any]) -> None:
        assert self.updates is not None
        await self.updates.put(update)

    def documents_to(self, chat_id: int) -> list[Call]:
        return [c for c in self.calls if c.method == "sendDocument"
                and int(c.params.get("chat_id", 0)) == chat_id]

    def sent_to(self, chat_id: int) -> list[Call]:
        return [c for c in self.calls if c.method == "sendMessage"
                and int(c.params.get("chat_id", 0)) == chat_id]

    async def wait_for(self, predicate: Any, timeout: float = 30.0) -> None:
        """Waits until ``predicate()`` is true (checked after every recorded call)."""
        assert self._new_call is not None
        deadline = asyncio.get_running_loop().time() + timeout
        async with self._new_call:
            while not predicate():
                remaining = deadline - asyncio.get_running_loop().time()
                if remaining <= 0:
                    raise TimeoutError("the bot did not make the expected calls")
                try:
                    await asyncio.wait_for(self._new_call.wait(), timeout=remaining)
                except TimeoutError:
                    continue
