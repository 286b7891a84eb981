"""``action_delete_my_data``: confirms; the conversation layer then erases everything.

Rasa saves the conversation after this action runs, so the erasure itself happens once Rasa
has answered (see :mod:`bot.conversation`), not here.
"""

from __future__ import annotations

from bot.actions.base import ActionContext, ActionResult, Tracker
from bot.i18n.responses import Reply

ERASE_MARKER = "jaga_erase"


async def action_delete_my_data(ctx: ActionContext, tracker: Tracker, language: str
                                ) -> ActionResult:
    """Asks the conversation layer to erase this user after the reply."""
    return ActionResult(replies=[Reply("", custom={ERASE_MARKER: True})])
