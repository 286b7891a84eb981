"""Shared fixtures: databases (SQLite always, PostgreSQL/Redis when reachable) and a live bot
(the app's HTTP server plus the real Rasa server) driven from synchronous tests."""

from __future__ import annotations

import asyncio
import contextlib
import socket
import threading
import uuid
from collections.abc import Coroutine, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, TypeVar

import pytest

from bot.i18n.responses import Reply
from bot.runtime import Runtime
from bot.settings import PROJECT_ROOT, Settings
from bot.store.database import Database

T = TypeVar("T")
POSTGRES_ADMIN_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
REDIS_URL = "redis://127.0.0.1:6379/0"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def reachable(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=1):
            return True
    except OSError:
        return False


@contextlib.contextmanager
def fresh_postgres_database() -> Iterator[str]:
    """A new, empty PostgreSQL database, dropped afterwards (skips when none answers)."""
    if not reachable("127.0.0.1", 5432):
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    from sqlalchemy import create_engine, text

    name = f"jaga_test_{uuid.uuid4().hex[:8]}"
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield f"postgresql://postgres@127.0.0.1:5432/{name}"
    finally:
        with admin.connect() as connection:
            connection.execute(text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = :n"),
                {"n": name})
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgres_database() -> Iterator[str]:
    """A fresh PostgreSQL database for this test session (skipped when none answers)."""
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def fresh_database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """Like ``database_url``, but an empty PostgreSQL database for each test (for tests
    whose rows would change what later tests on the shared database see)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'jaga.db'}"
        return
    with fresh_postgres_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """The same store tests on SQLite and on PostgreSQL."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'jaga.db'}"
    url: str = request.getfixturevalue("postgres_database")
    return url


@pytest.fixture
def database(database_url: str) -> Iterator[Database]:
    """A migrated app database on each engine of ``database_url``, disposed afterwards."""
    db = Database(database_url)
    db.migrate()
    yield db
    db.dispose()


class LiveBot:
    """A started :class:`Runtime` on its own event loop thread, driven synchronously."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self.thread.start()
        self.runtime = Runtime(settings, PROJECT_ROOT)
        self.run(self.runtime.start(), timeout=settings.rasa_start_timeout_seconds + 600)

    def run(self, coroutine: Coroutine[Any, Any, T], timeout: float = 60) -> T:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout)

    def say(self, sender: str, text: str, language: str | None = None) -> list[Reply]:
        return self.run(self.runtime.conversation.handle(sender, text, language))

    def text(self, key: str, language: str, **values: object) -> str:
        return self.runtime.renderer.text(key, language, **values)

    def close(self) -> None:
        try:
            self.run(self.runtime.stop())
        finally:
            self.loop.call_soon_threadsafe(self.loop.stop)
            self.thread.join(timeout=10)


def live_settings(tmp: Path, **overrides: Any) -> Settings:
    base = Settings.from_env({"JAGA_VAR_DIR": str(tmp)})
    return replace(base, app_port=free_port(), rasa_port=free_port(),
                   model_dir=PROJECT_ROOT / "models", **overrides)


@pytest.fixture(scope="session")
def live_bot(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LiveBot]:
    """The app and the real Rasa server on SQLite (the embedded default)."""
    bot = LiveBot(live_settings(tmp_path_factory.mktemp("live-sqlite")))
    yield bot
    bot.close()


@pytest.fixture(scope="session")
def live_bot_production(tmp_path_factory: pytest.TempPathFactory,
                        postgres_database: str) -> Iterator[LiveBot]:
    """The app and the real Rasa server on PostgreSQL, with Rasa's lock store in Redis."""
    if not reachable("127.0.0.1", 6379):
        pytest.skip("Redis is not reachable on 127.0.0.1:6379")
    bot = LiveBot(live_settings(tmp_path_factory.mktemp("live-pg"),
                                database_url=postgres_database,
                                tracker_database_url=postgres_database,
                                lock_store_url=REDIS_URL))
    yield bot
    bot.close()


@pytest.fixture(params=["sqlite", "production"])
def any_live_bot(request: pytest.FixtureRequest) -> LiveBot:
    """Runs a test against both deployments."""
    name = "live_bot" if request.param == "sqlite" else "live_bot_production"
    bot: LiveBot = request.getfixturevalue(name)
    return bot
