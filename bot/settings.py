"""One typed settings object, read from the environment (see .env.example)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def _path(value: str) -> Path:
    path = Path(value)
    return path if path.is_absolute() else PROJECT_ROOT / path


def _int(env: dict[str, str], name: str, default: int) -> int:
    raw = env.get(name, "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise SettingsError(f"{name} must be a whole number, got {raw!r}") from exc


def _chat(env: dict[str, str], name: str) -> int | None:
    raw = env.get(name, "").strip()
    if not raw:
        return None
    if not re.fullmatch(r"-?[0-9]+", raw):
        raise SettingsError(f"{name} must be a Telegram chat id, got {raw!r}")
    return int(raw)


_STAFF_CHAT = re.compile(r"([A-Za-z]{2})(?::([A-Za-z]{2})(?::([^=,:]+))?)?=(-?[0-9]+)")


def _staff_chat_entries(raw: str) -> list[tuple[str, str | None, str | None, int]]:
    """``ID=-1001,ID:KH=-1002,ID:TH:Songkhla=-1003``: the staff chat of a nationality, of a
    nationality in one host country, or of one mission (its nationality, host country and
    city, as in ``data/missions.csv``); the most specific one wins."""
    entries = []
    for part in (p.strip() for p in raw.split(",") if p.strip()):
        match = _STAFF_CHAT.fullmatch(part)
        if match is None:
            raise SettingsError(f"STAFF_CHATS entries look like ID=-100123, ID:KH=-100123 or "
                                f"ID:TH:Songkhla=-100123, got {part!r}")
        host = match.group(2).upper() if match.group(2) else None
        city = " ".join(match.group(3).split()) if match.group(3) else None
        entries.append((match.group(1).upper(), host, city, int(match.group(4))))
    return entries


def _staff_chats(raw: str) -> tuple[tuple[str, str | None, int], ...]:
    """The per-nationality (and host country) entries of STAFF_CHATS."""
    return tuple((n, h, chat) for n, h, city, chat in _staff_chat_entries(raw) if city is None)


def _mission_chats(raw: str) -> tuple[tuple[str, str, str, int], ...]:
    """The per-mission entries of STAFF_CHATS: (nationality, host, city, chat)."""
    return tuple((n, h, city, chat) for n, h, city, chat in _staff_chat_entries(raw)
                 if city is not None and h is not None)


def _ids(raw: str, name: str = "STAFF_USER_IDS") -> frozenset[int]:
    parts = [p.strip() for p in raw.replace(";", ",").split(",") if p.strip()]
    if any(not re.fullmatch(r"[0-9]+", p) for p in parts):
        raise SettingsError(f"{name} must be Telegram user ids separated by commas, "
                            f"got {raw!r}")
    return frozenset(int(p) for p in parts)


class SettingsError(ValueError):
    """A setting has a value the app cannot use."""


@dataclass(frozen=True)
class Settings:
    """Everything the app reads from its environment, with the embedded defaults."""

    telegram_bot_token: str = ""
    telegram_api_base_url: str = ""
    database_url: str = ""
    tracker_database_url: str = ""
    rasa_url: str = ""
    lock_store_url: str = ""
    redis_url: str = ""
    app_host: str = "127.0.0.1"
    app_port: int = 5055
    rasa_port: int = 5005
    rasa_venv: Path = field(default_factory=lambda: PROJECT_ROOT / ".venv-rasa")
    model_dir: Path = field(default_factory=lambda: PROJECT_ROOT / "models")
    var_dir: Path = field(default_factory=lambda: PROJECT_ROOT / "var")
    default_language: str = "en"
    staff_chat_id: int | None = None
    rasa_timeout_seconds: float = 20.0
    rasa_start_timeout_seconds: float = 240.0
    log_level: str = "INFO"
    telegram_webhook_url: str = ""
    telegram_webhook_secret: str = ""
    flood_max_messages: int = 8
    flood_window_seconds: int = 10
    staff_user_ids: frozenset[int] = frozenset()
    staff_chats: tuple[tuple[str, str | None, int], ...] = ()
    mission_chats: tuple[tuple[str, str, str, int], ...] = ()
    escalation_chat_id: int | None = None
    escalate_after_minutes: int = 15
    case_encryption_key: str = ""
    staff_editors: frozenset[int] = frozenset()
    staff_publishers: frozenset[int] = frozenset()

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None) -> Settings:
        """Builds settings from ``env`` (default: the process environment)."""
        env = dict(os.environ if env is None else env)
        var_dir = _path(env.get("JAGA_VAR_DIR", "var"))
        staff = env.get("STAFF_CHAT_ID", "").strip()
        staff_id = int(staff) if re.fullmatch(r"-?[0-9]+", staff) else None
        settings = cls(
            telegram_bot_token=env.get("TELEGRAM_BOT_TOKEN", "").strip(),
            telegram_api_base_url=env.get("TELEGRAM_API_BASE_URL", "").strip(),
            database_url=env.get("DATABASE_URL", "").strip()
            or f"sqlite:///{var_dir / 'jaga.db'}",
            tracker_database_url=env.get("TRACKER_DATABASE_URL", "").strip()
            or f"sqlite:///{var_dir / 'rasa_tracker.db'}",
            rasa_url=",".join(u.strip().rstrip("/") for u in env.get("RASA_URL", "").split(",")
                              if u.strip()),
            lock_store_url=env.get("LOCK_STORE_URL", "").strip(),
            redis_url=env.get("REDIS_URL", "").strip(),
            app_host=env.get("APP_HOST", "127.0.0.1").strip(),
            app_port=_int(env, "APP_PORT", 5055),
            rasa_port=_int(env, "RASA_PORT", 5005),
            rasa_venv=_path(env.get("RASA_VENV", ".venv-rasa")),
            model_dir=_path(env.get("MODEL_DIR", "models")),
            var_dir=var_dir,
            default_language=env.get("DEFAULT_LANGUAGE", "en").strip() or "en",
            staff_chat_id=staff_id,
            rasa_timeout_seconds=float(_int(env, "RASA_TIMEOUT_SECONDS", 20)),
            rasa_start_timeout_seconds=float(_int(env, "RASA_START_TIMEOUT_SECONDS", 240)),
            log_level=env.get("LOG_LEVEL", "INFO").strip().upper() or "INFO",
            telegram_webhook_url=env.get("TELEGRAM_WEBHOOK_URL", "").strip(),
            telegram_webhook_secret=env.get("TELEGRAM_WEBHOOK_SECRET", "").strip(),
            flood_max_messages=_int(env, "FLOOD_MAX_MESSAGES", 8),
            flood_window_seconds=_int(env, "FLOOD_WINDOW_SECONDS", 10),
            staff_user_ids=_ids(env.get("STAFF_USER_IDS", "")),
            escalation_chat_id=_chat(env, "ESCALATION_CHAT_ID"),
            staff_chats=_staff_chats(env.get("STAFF_CHATS", "")),
            mission_chats=_mission_chats(env.get("STAFF_CHATS", "")),
            escalate_after_minutes=_int(env, "ESCALATE_AFTER_MINUTES", 15),
            case_encryption_key=env.get("CASE_ENCRYPTION_KEY", "").strip(),
            staff_editors=_ids(env.get("STAFF_EDITORS", ""), "STAFF_EDITORS"),
            staff_publishers=_ids(env.get("STAFF_PUBLISHERS", ""), "STAFF_PUBLISHERS"),
        )
        if settings.telegram_webhook_secret and not re.fullmatch(
                r"[A-Za-z0-9_-]{1,256}", settings.telegram_webhook_secret):
            raise SettingsError("TELEGRAM_WEBHOOK_SECRET may hold only A-Z, a-z, 0-9, _ and -"
                                " (1-256 characters), as Telegram requires")
        if settings.redis_url and not settings.case_encryption_key:
            raise SettingsError("REDIS_URL means several app replicas: they must share one "
                                "CASE_ENCRYPTION_KEY (each would generate its own otherwise)")
        if staff and settings.staff_chat_id is None:
            raise SettingsError(f"STAFF_CHAT_ID must be a Telegram chat id, got {staff!r}")
        return settings

    @property
    def all_staff_chats(self) -> frozenset[int]:
        """Every chat where staff handle cases (the central one and the per-mission ones)."""
        chats = {chat for _, _, chat in self.staff_chats}
        chats |= {chat for _, _, _, chat in self.mission_chats}
        if self.staff_chat_id is not None:
            chats.add(self.staff_chat_id)
        return frozenset(chats)

    @property
    def script_staff(self) -> frozenset[int]:
        """Accounts that may use the catalog commands (a publisher is also an editor)."""
        return self.staff_editors | self.staff_publishers

    @property
    def rasa_urls(self) -> tuple[str, ...]:
        """The Rasa servers to use (``RASA_URL`` may list several, comma-separated); the one
        the app starts itself when none is given."""
        given = tuple(u for u in self.rasa_url.split(",") if u)
        return given or (f"http://127.0.0.1:{self.rasa_port}",)

    @property
    def app_url(self) -> str:
        """Where Rasa reaches the app's action and NLG endpoints."""
        return f"http://{self.app_host}:{self.app_port}"
