"""Fixtures for fault tests: a database of their own on the shared PostgreSQL server (so
cutting it off disturbs no other test), and a StaffDesk that replays the spool."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text

from bot.telegram.staff import StaffDesk
from tests.conftest import POSTGRES_ADMIN_URL, LiveBot, reachable


class Postgres:
    """One database on the shared server, and the admin levers to cut it off and back."""

    def __init__(self, admin: Engine, name: str) -> None:
        self.admin, self.name = admin, name
        self.url = f"postgresql://postgres@127.0.0.1:5432/{name}"

    def terminate(self, refuse: bool) -> int:
        """What clients see when the server restarts: every connection to the database is
        closed; with ``refuse`` new ones fail too until :meth:`accept`."""
        with self.admin.connect() as connection:
            if refuse:
                connection.execute(text(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS false'))
            killed = connection.execute(text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = :n AND pid <> pg_backend_pid()"), {"n": self.name}).scalar()
        return int(killed or 0)

    def accept(self) -> None:
        with self.admin.connect() as connection:
            connection.execute(text(f'ALTER DATABASE "{self.name}" ALLOW_CONNECTIONS true'))


@pytest.fixture(scope="module")
def own_postgres() -> Iterator[Postgres]:
    if not reachable("127.0.0.1", 5432):
        pytest.skip("PostgreSQL is not reachable on 127.0.0.1:5432")
    admin = create_engine(POSTGRES_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"jaga_fault_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    database = Postgres(admin, name)
    try:
        yield database
    finally:
        database.accept()
        database.terminate(refuse=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}"'))
        admin.dispose()


def replaying_desk(live: LiveBot) -> StaffDesk:
    """The desk as `jaga run` builds it: help requests in the spool become cases."""
    runtime = live.runtime

    async def intent_of(words: str) -> str:
        return str((await runtime.dialogue.parse(words)).get("intent", {}).get("name", ""))

    return StaffDesk(runtime.cases, runtime.renderer, runtime.settings, runtime.spool,
                     intent_of)
