"""Two app replicas and two Rasa servers on one PostgreSQL database and Redis (issue 8):
every user's updates alternate between the replicas, and conversations stay consistent.

The processes are real (``jaga run --webhook`` and ``rasa run``); see ``tests/scale/cluster.py``.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import threading
import zlib
from collections.abc import Coroutine, Iterator
from typing import Any, TypeVar

import httpx
import pytest
from sqlalchemy import create_engine, text

from bot.actions.contacts import FIRST_NATIONALITIES
from bot.cases import CaseService
from bot.i18n.contacts_text import selection_text
from bot.i18n.languages import SUPPORTED
from bot.i18n.responses import Renderer
from bot.reference import ReferenceData
from bot.services.contacts import select_contacts
from bot.settings import PROJECT_ROOT
from bot.store.database import Database
from tests.conftest import REDIS_URL, fresh_postgres_database, reachable
from tests.scale.cluster import STAFF_CHAT, Cluster

pytestmark = pytest.mark.rasa
T = TypeVar("T")
USERS = 20
# Ids of this run only: Redis keeps a chat's tickets and a user's flood counts across runs,
# and another run on the same Redis (an earlier one, or a colleague's) must not share them.
FIRST_USER = 7_000_000_001 + secrets.randbelow(10**6) * 1000


class Running:
    """The cluster, on an event loop of its own, driven from synchronous tests."""

    def __init__(self, cluster: Cluster) -> None:
        self.cluster = cluster
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 300) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def close(self) -> None:
        try:
            self.run(self.cluster.stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Running]:
    if not reachable("127.0.0.1", 6379):
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    with fresh_postgres_database() as database_url:
        running = Running(Cluster(tmp_path_factory.mktemp("replicas"), database_url,
                                  REDIS_URL))
        try:
            running.run(running.cluster.start())
            yield running
        finally:
            running.close()


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer.from_directories(PROJECT_ROOT / "responses", PROJECT_ROOT / "locales")


def plan(user: int) -> tuple[str, str, list[tuple[str, str]]]:
    """A user's language, nationality and updates: ("message"|"button", text). Each step
    depends on the one before (the chosen language, then the question being answered)."""
    index = user - FIRST_USER
    language = SUPPORTED[index % len(SUPPORTED)]
    nationality = FIRST_NATIONALITIES[index % len(FIRST_NATIONALITIES)]
    choice = "/change_language" + json.dumps({"language": language}, separators=(",", ":"))
    answer = "/inform" + json.dumps({"nationality": nationality}, separators=(",", ":"))
    return language, nationality, [
        ("message", "/start"), ("button", "/change_language"), ("button", choice),
        ("message", "hello"), ("message", "/sos"), ("button", answer), ("message", "/privacy")]


async def converse(cluster: Cluster, users: list[int]) -> None:
    """Sends every user's updates in turn to replica 0, 1, 0, ... each as soon as the previous
    one was accepted (not answered), all users at once."""
    api = cluster.api

    async def one(user: int, http: httpx.AsyncClient) -> None:
        for step, (kind, words) in enumerate(plan(user)[2]):
            update = (api.message_update(user, words, "en") if kind == "message"
                      else api.callback_update(user, words, "en"))
            await cluster.post(step % cluster.apps, update, http)

    async with httpx.AsyncClient(timeout=30) as http:
        await asyncio.gather(*(one(user, http) for user in users))


def test_conversations_stay_consistent_across_replicas(cluster: Running,
                                                       renderer: Renderer) -> None:
    users = list(range(FIRST_USER, FIRST_USER + USERS))
    api = cluster.cluster.api
    cluster.run(converse(cluster.cluster, users))
    privacy = {u: renderer.text("msg_privacy", plan(u)[0]) for u in users}
    def answered(user: int) -> bool:
        return any(c.params.get("text") == privacy[user] for c in api.sent_to(user))

    try:
        cluster.run(api.wait_for(lambda: all(answered(u) for u in users), timeout=120),
                    timeout=130)
    except TimeoutError:
        missing = {u: [str(c.params["text"])[:30] for c in api.sent_to(u)]
                   for u in users if not answered(u)}
        pytest.fail(f"not finished: {missing}\n{cluster.cluster.log_tails()}")

    directory = ReferenceData.load(PROJECT_ROOT).directory
    for user in users:
        language, nationality, _ = plan(user)
        texts = [str(c.params["text"]) for c in api.sent_to(user)]
        assert texts[:5] == [renderer.text("utter_greet", "en"),
                             renderer.text("msg_choose_language", "en"),
                             renderer.text("msg_language_changed", language),
                             renderer.text("msg_menu", language),
                             renderer.text("utter_greet", language)], user
        assert texts[-1] == privacy[user]
        help_part = texts[5:-1]
        asked = help_part.index(renderer.text("msg_ask_nationality", language))
        hotlines = renderer.text("msg_hotlines_intro", language) + "\n\n" + selection_text(
            select_contacts(directory, nationality, None), renderer, language)
        assert hotlines in help_part[asked + 1:], user
        assert help_part[-1] == renderer.text("msg_ask_country", language), user

    engine = create_engine(cluster.cluster.database_url.replace(
        "postgresql://", "postgresql+psycopg://"))
    try:
        with engine.connect() as connection:
            stored = {row.sender_id: row for row in connection.execute(text(
                "SELECT sender_id, language, language_source, nationality FROM users"))}
            cases = connection.execute(text(
                "SELECT sender_id, nationality, status FROM cases")).all()
            said = connection.execute(text(
                "SELECT sender_id, data FROM events WHERE type_name = 'user' ORDER BY id")).all()
    finally:
        engine.dispose()
    for user in users:
        language, nationality, steps = plan(user)
        row = stored[f"tg-{user}"]
        assert (row.language, row.language_source, row.nationality) == (
            language, "chosen", nationality)
        assert [(c.nationality, c.status) for c in cases if c.sender_id == f"tg-{user}"] == [
            (nationality, "new")]
        # Rasa's tracker holds each turn once, in the order the user sent them.
        turns = [json.loads(data)["text"] for sender, data in said if sender == f"tg-{user}"]
        assert turns == ["/greet", "/change_language", steps[2][1], "hello",
                         "/request_help", steps[5][1]], user


def test_two_replicas_send_each_staff_message_once(cluster: Running) -> None:
    """Both replicas drain the same outbox: every queued staff message reaches the staff chat
    exactly once (runs after the conversations above queued a card per help request)."""
    running = cluster.cluster
    database = Database(running.database_url)
    try:
        cases = CaseService(database, running.case_key.encode(), STAFF_CHAT)
        engine = database.engine

        def pending() -> int:
            with engine.connect() as connection:
                return int(connection.execute(text(
                    "SELECT count(*) FROM outbox WHERE sent_at IS NULL")).scalar_one())

        def bodies() -> list[str]:
            with engine.connect() as connection:
                rows = connection.execute(text("SELECT body FROM outbox")).all()
            return sorted(cases._open_text(row.body) for row in rows)

        async def drained() -> None:
            while await asyncio.to_thread(pending):
                await asyncio.sleep(0.5)

        cluster.run(drained(), timeout=120)
        queued = bodies()
        assert len(queued) >= USERS
        sent = sorted(str(c.params["text"]) for c in running.api.sent_to(STAFF_CHAT))
        assert sent == queued
    finally:
        database.dispose()


def test_a_rasa_server_that_is_down_is_skipped(cluster: Running, renderer: Renderer) -> None:
    running = cluster.cluster
    running.rasa_processes[1].stop()
    # Three users whose own server is the stopped one, three of the other (RasaClient._order).
    candidates = range(FIRST_USER + 100, FIRST_USER + 200)
    users = [u for server in (1, 0)
             for u in [c for c in candidates if zlib.crc32(f"tg-{c}".encode()) % 2 == server][:3]]
    api = running.api

    async def greet() -> None:
        async with httpx.AsyncClient(timeout=30) as http:
            for index, user in enumerate(users):
                await running.post(index % running.apps, api.message_update(user, "hello", "en"),
                                   http)

    cluster.run(greet())
    greeting = renderer.text("utter_greet", "en")
    cluster.run(api.wait_for(lambda: all(api.sent_to(u) for u in users), timeout=60),
                timeout=70)
    assert [str(api.sent_to(u)[0].params["text"]) for u in users] == [greeting] * len(users)


def test_healthz_reports_the_database_and_rasa(cluster: Running) -> None:
    async def health() -> list[tuple[int, dict[str, Any]]]:
        async with httpx.AsyncClient(timeout=10) as http:
            answers = [await http.get(p.url + "/healthz") for p in cluster.cluster.app_processes]
        return [(a.status_code, a.json()) for a in answers]

    for status, body in cluster.run(health()):
        assert (status, body) == (200, {"status": "ok", "database": True, "rasa": True})

