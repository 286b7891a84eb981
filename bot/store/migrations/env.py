"""Alembic environment: runs on the connection the app hands over, or on DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from bot.store.models import Base


def _run(connection: Connection) -> None:
    context.configure(connection=connection, target_metadata=Base.metadata,
                      render_as_batch=connection.dialect.name == "sqlite")
    with context.begin_transaction():
        context.run_migrations()


connection = context.config.attributes.get("connection")
if connection is None:
    from bot.settings import Settings
    from bot.store.database import make_engine

    with make_engine(Settings.from_env().database_url).begin() as own:
        _run(own)
else:
    _run(connection)
