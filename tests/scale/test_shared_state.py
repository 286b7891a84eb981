"""What two replicas share in the database: the staff outbox is claimed, not read twice;
migrations from replicas starting together run one after the other; escalation happens once."""

from __future__ import annotations

import threading
from datetime import timedelta

from cryptography.fernet import Fernet
from sqlalchemy import inspect, update

from bot.cases import CaseService
from bot.store.database import Database
from bot.store.models import OutboxMessage, utcnow
from tests.conftest import fresh_postgres_database


def test_a_replica_claims_staff_messages_so_another_does_not_send_them(
        database: Database) -> None:
    key = Fernet.generate_key()
    first, second = (CaseService(database, key, -100_1) for _ in range(2))
    case, _ = first._open_or_update(f"tg-{id(first)}", "en", None, None, {}, "card {reference}")
    mine = [m for m in first._due() if m.case_reference == case.reference]
    assert [m.kind for m in mine] == ["card"]
    assert [m for m in second._due() if m.case_reference == case.reference] == []
    # The first replica died before sending: the message is due again after the lease.
    with database.session() as session:
        session.execute(update(OutboxMessage).where(OutboxMessage.id == mine[0].id)
                        .values(next_attempt_at=utcnow() - timedelta(seconds=1)))
    again = [m for m in second._due() if m.case_reference == case.reference]
    assert [m.id for m in again] == [mine[0].id]


def test_replicas_starting_together_migrate_one_after_the_other() -> None:
    with fresh_postgres_database() as url:
        databases = [Database(url) for _ in range(3)]
        start = threading.Barrier(len(databases))
        errors: list[BaseException] = []

        def migrate(database: Database) -> None:
            start.wait()
            try:
                database.migrate()
            except BaseException as exc:
                errors.append(exc)

        threads = [threading.Thread(target=migrate, args=(d,)) for d in databases]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        try:
            assert errors == []
            assert "outbox" in inspect(databases[0].engine).get_table_names()
        finally:
            for database in databases:
                database.dispose()
