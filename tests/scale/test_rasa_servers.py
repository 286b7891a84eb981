"""Several Rasa servers behind one client: conversations spread over them, a server that is
down is skipped, and a slow one is not asked twice. Fake Rasa servers on loopback."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bot.dialogue.client import DialogueUnavailable, RasaClient
from bot.settings import Settings, SettingsError
from bot.web import build_app
from tests.conftest import free_port


class FakeRasa:
    def __init__(self, name: str, status: int = 200) -> None:
        self.name, self.status, self.senders = name, status, list[str]()
        self.runner: web.AppRunner | None = None
        self.url = ""

    async def start(self) -> None:
        async def webhook(request: web.Request) -> web.Response:
            self.senders.append((await request.json())["sender"])
            if self.status != 200:
                return web.Response(status=self.status)
            return web.json_response([{"text": self.name}])

        app = web.Application()
        app.router.add_post("/webhooks/rest/webhook", webhook)
        self.runner = web.AppRunner(app)
        await self.runner.setup()
        port = free_port()
        await web.TCPSite(self.runner, "127.0.0.1", port).start()
        self.url = f"http://127.0.0.1:{port}"

    async def stop(self) -> None:
        if self.runner is not None:
            await self.runner.cleanup()


@pytest.fixture
async def servers() -> AsyncIterator[list[FakeRasa]]:
    fakes = [FakeRasa("a"), FakeRasa("b")]
    for fake in fakes:
        await fake.start()
    yield fakes
    for fake in fakes:
        await fake.stop()


async def test_conversations_are_spread_and_each_stays_on_its_server(
        servers: list[FakeRasa]) -> None:
    client = RasaClient([s.url for s in servers])
    try:
        for _ in range(2):
            for user in range(40):
                await client.send(f"tg-{user}", "hi")
    finally:
        await client.close()
    a, b = (set(s.senders) for s in servers)
    assert a and b and not a & b  # both used, no conversation on both
    assert all(s.senders.count(x) == 2 for s in servers for x in set(s.senders))


async def test_a_server_that_is_down_or_unavailable_is_skipped(
        servers: list[FakeRasa]) -> None:
    down = f"http://127.0.0.1:{free_port()}"
    servers[1].status = 503
    client = RasaClient([down, servers[1].url, servers[0].url])
    try:
        replies = [await client.send(f"tg-{user}", "hi") for user in range(12)]
    finally:
        await client.close()
    assert {r[0].text for r in replies} == {"a"}


async def test_no_server_answering_is_an_outage(servers: list[FakeRasa]) -> None:
    client = RasaClient([f"http://127.0.0.1:{free_port()}", f"http://127.0.0.1:{free_port()}"])
    try:
        with pytest.raises(DialogueUnavailable):
            await client.send("tg-1", "hi")
    finally:
        await client.close()


async def test_a_server_error_is_not_retried_elsewhere(servers: list[FakeRasa]) -> None:
    """A 500 may come after Rasa stored the message: sending it again would repeat a turn."""
    servers[0].status = servers[1].status = 500
    client = RasaClient([s.url for s in servers])
    try:
        with pytest.raises(DialogueUnavailable):
            await client.send("tg-1", "hi")
    finally:
        await client.close()
    assert len(servers[0].senders) + len(servers[1].senders) == 1


def test_rasa_url_takes_a_list_and_redis_needs_a_shared_case_key() -> None:
    settings = Settings.from_env({"RASA_URL": " http://r1:5005/ , http://r2:5005 "})
    assert settings.rasa_urls == ("http://r1:5005", "http://r2:5005")
    assert Settings.from_env({"RASA_PORT": "5006"}).rasa_urls == ("http://127.0.0.1:5006",)
    with pytest.raises(SettingsError, match="CASE_ENCRYPTION_KEY"):
        Settings.from_env({"REDIS_URL": "redis://127.0.0.1:6379/1"})
    assert Settings.from_env({"REDIS_URL": "redis://x/1", "CASE_ENCRYPTION_KEY": "k"}
                             ).redis_url == "redis://x/1"


async def test_healthz_is_503_when_the_database_or_rasa_is_missing() -> None:
    from aiohttp.test_utils import TestClient, TestServer

    state = {"database": True, "rasa": False}

    async def ready() -> dict[str, bool]:
        return dict(state)

    app = build_app(None, ready)  # type: ignore[arg-type]  # health needs no context
    async with TestClient(TestServer(app)) as http:
        answer = await http.get("/healthz")
        assert answer.status == 503
        assert await answer.json() == {"status": "unavailable", "database": True,
                                       "rasa": False}
        state["rasa"] = True
        assert (await http.get("/healthz")).status == 200
