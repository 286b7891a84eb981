"""The custom actions Rasa may call, by name (must match nlu/domain/domain.yml)."""

from __future__ import annotations

from bot.actions.base import Action
from bot.actions.contacts import action_emergency_contacts
from bot.actions.delete import action_delete_my_data
from bot.actions.guides import action_migration_guide
from bot.actions.language import action_change_language
from bot.actions.offers import action_check_offer, action_report_recruiter

ACTIONS: dict[str, Action] = {
    "action_emergency_contacts": action_emergency_contacts,
    "action_change_language": action_change_language,
    "action_delete_my_data": action_delete_my_data,
    "action_migration_guide": action_migration_guide,
    "action_check_offer": action_check_offer,
    "action_report_recruiter": action_report_recruiter,
}
