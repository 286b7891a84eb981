"""bot/settings.py: settings from the environment."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.settings import PROJECT_ROOT, Settings, SettingsError


def test_defaults() -> None:
    settings = Settings.from_env({})
    var = PROJECT_ROOT / "var"
    assert settings.var_dir == var
    assert settings.database_url == f"sqlite:///{var / 'jaga.db'}"
    assert settings.tracker_database_url == f"sqlite:///{var / 'rasa_tracker.db'}"
    assert settings.app_port == 5055
    assert settings.rasa_port == 5005
    assert settings.app_url == "http://127.0.0.1:5055"
    assert settings.staff_chat_id is None
    assert settings.default_language == "en"
    assert settings.log_level == "INFO"
    assert settings.model_dir == PROJECT_ROOT / "models"
    assert settings.rasa_venv == PROJECT_ROOT / ".venv-rasa"
    assert settings.rasa_timeout_seconds == 20.0


def test_from_env_does_not_read_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("APP_PORT", "9999")
    assert Settings.from_env({}).app_port == 5055
    assert Settings.from_env().app_port == 9999


def test_var_dir_moves_the_sqlite_files(tmp_path: Path) -> None:
    settings = Settings.from_env({"JAGA_VAR_DIR": str(tmp_path)})
    assert settings.database_url == f"sqlite:///{tmp_path / 'jaga.db'}"
    relative = Settings.from_env({"JAGA_VAR_DIR": "state"})
    assert relative.var_dir == PROJECT_ROOT / "state"


def test_explicit_values_win() -> None:
    settings = Settings.from_env({
        "DATABASE_URL": " postgresql://db/jaga ", "RASA_URL": "http://rasa:5005/",
        "APP_PORT": " 8080 ", "APP_HOST": "0.0.0.0", "LOG_LEVEL": "debug",
        "DEFAULT_LANGUAGE": "  ",
    })
    assert settings.database_url == "postgresql://db/jaga"
    assert settings.rasa_url == "http://rasa:5005"
    assert settings.app_port == 8080
    assert settings.app_url == "http://0.0.0.0:8080"
    assert settings.log_level == "DEBUG"
    assert settings.default_language == "en"


@pytest.mark.parametrize("value", ["abc", "5.5", "80 80"])
@pytest.mark.parametrize("name", ["APP_PORT", "RASA_PORT", "RASA_TIMEOUT_SECONDS"])
def test_bad_number_raises_settings_error(name: str, value: str) -> None:
    with pytest.raises(SettingsError, match=name):
        Settings.from_env({name: value})


@pytest.mark.parametrize(("value", "chat_id"), [
    ("-1001234567890", -1001234567890),
    (" 42 ", 42),
    ("", None),
    ("   ", None),
])
def test_staff_chat_id(value: str, chat_id: int | None) -> None:
    assert Settings.from_env({"STAFF_CHAT_ID": value}).staff_chat_id == chat_id


@pytest.mark.parametrize("value", ["abc", "12a", "-", "+5", "1.5"])
def test_bad_staff_chat_id_raises_settings_error(value: str) -> None:
    with pytest.raises(SettingsError, match="STAFF_CHAT_ID"):
        Settings.from_env({"STAFF_CHAT_ID": value})


@pytest.mark.parametrize("value", ["--100123", "²"])
def test_malformed_staff_chat_id_raises_settings_error(value: str) -> None:
    with pytest.raises(SettingsError, match="STAFF_CHAT_ID"):
        Settings.from_env({"STAFF_CHAT_ID": value})


def test_catalog_editors_and_publishers() -> None:
    settings = Settings.from_env({"STAFF_EDITORS": "11, 12", "STAFF_PUBLISHERS": "13"})
    assert settings.staff_editors == frozenset({11, 12})
    assert settings.staff_publishers == frozenset({13})
    assert settings.script_staff == frozenset({11, 12, 13})  # publishers edit too
    assert Settings.from_env({}).script_staff == frozenset()
    with pytest.raises(SettingsError, match="STAFF_PUBLISHERS"):
        Settings.from_env({"STAFF_PUBLISHERS": "@alice"})


def test_env_example_lists_the_catalog_roles() -> None:
    example = (PROJECT_ROOT / ".env.example").read_text(encoding="utf-8")
    assert "\nSTAFF_EDITORS=" in example and "\nSTAFF_PUBLISHERS=" in example
