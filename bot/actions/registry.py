"""The custom actions Rasa may call, by name (must match nlu/domain/domain.yml)."""

from __future__ import annotations

from bot.actions.base import Action
from bot.actions.contacts import action_emergency_contacts
from bot.actions.delete import action_delete_my_data
from bot.actions.language import action_change_language

ACTIONS: dict[str, Action] = {
    "action_emergency_contacts": action_emergency_contacts,
    "action_change_language": action_change_language,
    "action_delete_my_data": action_delete_my_data,
}
