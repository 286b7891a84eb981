"""What every action gets (the context) and returns (events and replies)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from bot.cases import CaseService
from bot.i18n.responses import Renderer, Reply
from bot.reference import ReferenceData
from bot.reports import ReportService
from bot.users import UserService


@dataclass(frozen=True)
class Tracker:
    """The parts of Rasa's tracker that actions read."""

    sender_id: str
    slots: dict[str, Any]
    intent: str
    entities: tuple[dict[str, Any], ...]
    text: str
    metadata: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Tracker:
        latest = data.get("latest_message") or {}
        metadata = latest.get("metadata") or next(
            (e.get("metadata") for e in reversed(data.get("events") or ())
             if isinstance(e, dict) and e.get("event") == "user"), None) or {}
        return cls(
            sender_id=str(data.get("sender_id", "")),
            slots=dict(data.get("slots") or {}),
            intent=str((latest.get("intent") or {}).get("name") or ""),
            entities=tuple(e for e in latest.get("entities") or () if isinstance(e, dict)),
            text=str(latest.get("text") or ""),
            metadata=dict(metadata) if isinstance(metadata, dict) else {},
        )

    def entity(self, name: str) -> str | None:
        for entity in self.entities:
            if entity.get("entity") == name and entity.get("value"):
                return str(entity["value"])
        return None


@dataclass
class ActionResult:
    """Events for Rasa's tracker and replies for the user."""

    replies: list[Reply] = field(default_factory=list)
    events: list[dict[str, Any]] = field(default_factory=list)

    def set_slot(self, name: str, value: Any) -> None:
        self.events.append({"event": "slot", "name": name, "value": value})


@dataclass(frozen=True)
class ActionContext:
    """Shared, read-mostly things an action needs."""

    renderer: Renderer
    reference: ReferenceData
    users: UserService
    reports: ReportService
    cases: CaseService


Action = Callable[[ActionContext, Tracker, str], Awaitable[ActionResult]]
