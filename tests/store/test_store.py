"""Repositories and migrations, the same cases on SQLite and on PostgreSQL."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from sqlalchemy import event, inspect, update

from bot.store.database import Database
from bot.store.models import SentMessage, utcnow
from bot.store.repositories import ReportRepository, SentMessageRepository, UserRepository
from bot.store.tracker import TrackerEraser


def test_migrations_create_every_table_and_are_idempotent(database: Database) -> None:
    database.migrate()  # a second run changes nothing
    tables = set(inspect(database.engine).get_table_names())
    assert {"users", "sent_messages", "recruiter_reports", "reported_contacts",
            "alembic_version"} <= tables


def test_user_language_and_nationality_round_trip(database: Database) -> None:
    with database.session() as session:
        UserRepository(session).upsert_language("u1", "id", "detected")
    with database.session() as session:
        users = UserRepository(session)
        users.upsert_language("u1", "th", "chosen")
        users.set_nationality("u1", "ID", "en")
        users.set_awaiting("u1", "offer", "en")
    with database.session() as session:
        user = UserRepository(session).get("u1")
        assert user is not None
        assert (user.language, user.language_source, user.nationality, user.awaiting) == (
            "th", "chosen", "ID", "offer")


def test_a_failed_unit_of_work_keeps_what_was_stored(database: Database) -> None:
    with database.session() as session:
        UserRepository(session).upsert_language("u2", "vi", "chosen")
    with pytest.raises(RuntimeError), database.session() as session:
        UserRepository(session).upsert_language("u2", "en", "chosen")
        raise RuntimeError("crash mid-update")
    with database.session() as session:
        user = UserRepository(session).get("u2")
        assert user is not None and user.language == "vi"


def test_sent_messages_pop_only_the_last_48_hours(database: Database) -> None:
    with database.session() as session:
        repository = SentMessageRepository(session)
        repository.add_all(42, (1, 2, 3))
        repository.add_all(43, [9])
    with database.session() as session:
        session.execute(update(SentMessage).where(SentMessage.message_id == 1)
                        .values(sent_at=utcnow() - timedelta(hours=49)))
    with database.session() as session:
        assert SentMessageRepository(session).pop(42) == [2, 3]
    with database.session() as session:
        repository = SentMessageRepository(session)
        assert repository.pop(42) == []
        assert repository.pop(43) == [9]


def test_sent_message_ids_are_stored_with_one_statement(database: Database) -> None:
    statements: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_: object) -> None:
        if "sent_messages" in statement:
            statements.append(statement)

    event.listen(database.engine, "before_cursor_execute", count)
    try:
        with database.session() as session:
            SentMessageRepository(session).add_all(44, [5, 6, 5])  # a repeat is one row
        with database.session() as session:
            SentMessageRepository(session).add_all(44, [6, 7])  # stored again: no error
    finally:
        event.remove(database.engine, "before_cursor_execute", count)
    assert len(statements) == 2
    with database.session() as session:
        assert SentMessageRepository(session).pop(44) == [5, 6, 7]


def test_reports_are_counted_per_contact_and_erased_with_the_reporter(
        database: Database) -> None:
    # Unique contacts and reporters: the PostgreSQL database is shared by the session.
    tag = uuid.uuid4().hex[:8]
    phone, handle, a, b = f"+855{int(tag, 16) % 10**8:08d}", f"@hr_{tag}", f"a-{tag}", f"b-{tag}"
    with database.session() as session:
        reports = ReportRepository(session)
        reports.add(a, "id", "agen palsu", [phone, handle])
        reports.add(b, "en", "same guy", [handle, handle])
    with database.session() as session:
        assert ReportRepository(session).counts([handle, phone, "@nobody"]) == {
            handle: 2, phone: 1}
    with database.session() as session:
        UserRepository(session).upsert_language(a, "id", "client")
        UserRepository(session).erase(a)
    with database.session() as session:
        assert ReportRepository(session).counts([handle, phone]) == {handle: 1}


def test_tracker_eraser_tolerates_a_missing_events_table(database_url: str) -> None:
    eraser = TrackerEraser(database_url)
    try:
        assert eraser.erase("nobody") == 0
    finally:
        eraser.dispose()


def test_only_server_databases_ping_connections_before_use(database: Database) -> None:
    # A PostgreSQL connection can be cut under the app (tests/faults); a SQLite file cannot,
    # and a ping per unit of work cost a query each time.
    assert database.engine.pool._pre_ping is (database.engine.dialect.name != "sqlite")
