"""Cases go to the most specific staff chat; the setting is parsed strictly."""

from __future__ import annotations

from pathlib import Path

import pytest
from cryptography.fernet import Fernet

from bot.cases import CaseService
from bot.settings import Settings, SettingsError
from bot.store.database import Database
from bot.store.models import OutboxMessage


def test_staff_chats_setting() -> None:
    settings = Settings.from_env({"STAFF_CHATS": "ID=-100111, id:kh=-100222,PH=-100333",
                                  "STAFF_CHAT_ID": "-100999"})
    assert settings.staff_chats == (("ID", None, -100111), ("ID", "KH", -100222),
                                    ("PH", None, -100333))
    assert settings.all_staff_chats == {-100111, -100222, -100333, -100999}
    with pytest.raises(SettingsError):
        Settings.from_env({"STAFF_CHATS": "Indonesia=-1"})


def test_case_moves_to_the_mission_chat_once_nationality_and_country_are_known(
        tmp_path: Path) -> None:
    database = Database(f"sqlite:///{tmp_path / 'jaga.db'}")
    database.migrate()
    routes = (("ID", None, -100111), ("ID", "KH", -100222))
    cases = CaseService(database, Fernet.generate_key(), -100999, routes)
    assert cases.chat_for("ID", "KH") == -100222
    assert cases.chat_for("ID", "MM") == -100111
    assert cases.chat_for("VN", "KH") == -100999
    assert cases.chat_for(None, None) == -100999

    case, created = cases._open_or_update("tg-1", "id", None, None, {}, "card {reference}")
    assert created and case.staff_chat_id == -100999  # nothing known yet: central team
    case, _ = cases._open_or_update("tg-1", "id", "ID", "KH", {}, "update {reference}")
    assert case.staff_chat_id == -100222
    with database.session() as session:
        sent = [(m.chat_id, m.kind) for m in session.query(OutboxMessage).order_by(
            OutboxMessage.id)]
    assert sent == [(-100999, "card"), (-100222, "card")]
    database.dispose()


def test_staff_chats_per_mission_keep_the_other_forms() -> None:
    settings = Settings.from_env({
        "STAFF_CHATS": "ID=-100111,ID:TH=-100222, id:th:Songkhla=-100333,"
                       "PH:MY:George Town (Penang)=-100444",
        "STAFF_CHAT_ID": "-100999"})
    assert settings.staff_chats == (("ID", None, -100111), ("ID", "TH", -100222))
    assert settings.mission_chats == (("ID", "TH", "Songkhla", -100333),
                                      ("PH", "MY", "George Town (Penang)", -100444))
    assert settings.all_staff_chats == {-100111, -100222, -100333, -100444, -100999}
    with pytest.raises(SettingsError):
        Settings.from_env({"STAFF_CHATS": "ID:TH:Song:khla=-1"})


def test_the_mission_chat_wins_and_the_case_moves_there(tmp_path: Path) -> None:
    from bot.store.models import Case

    database = Database(f"sqlite:///{tmp_path / 'jaga.db'}")
    database.migrate()
    cases = CaseService(database, Fernet.generate_key(), -100999,
                        (("ID", None, -100111), ("ID", "TH", -100222)),
                        (("ID", "TH", "Songkhla", -100333),))
    assert cases.chat_for("ID", "TH", "TH:songkhla") == -100333
    assert cases.chat_for("ID", "TH", "TH:Bangkok") == -100222  # no chat of its own
    assert cases.chat_for("ID", "MM", "TH:Songkhla") == -100333  # routed across a border
    assert cases.chat_for("PH", "TH", "TH:Songkhla") == -100999  # another country's mission
    assert cases.chat_for("ID", "TH") == -100222

    case, _ = cases._open_or_update("tg-2", "id", "ID", "TH", {}, "card {reference}",
                                    "TH:Bangkok")
    assert case.staff_chat_id == -100222
    case, _ = cases._open_or_update("tg-2", "id", None, None, {"latitude": 6.9,
                                                               "longitude": 100.5},
                                    "update {reference}", "TH:Songkhla")
    assert case.staff_chat_id == -100333
    case, _ = cases._open_or_update("tg-2", "id", None, None, {"reach": "here"},
                                    "update {reference}")  # a later answer keeps the mission
    assert case.staff_chat_id == -100333
    with database.session() as session:
        sent = [(m.chat_id, m.kind) for m in session.query(OutboxMessage).order_by(
            OutboxMessage.id)]
    assert sent == [(-100222, "card"), (-100333, "card"), (-100333, "update")]

    cases._act(case.reference, "resolve", 1)  # closed: no trace of where the worker was
    with database.session() as session:
        row = session.query(Case).filter_by(reference=case.reference).one()
        assert row.mission is None
    assert "latitude" not in cases._by_reference(case.reference).details  # type: ignore[union-attr]
    database.dispose()
