"""``action_change_language``: switch to a named language, or show the picker."""

from __future__ import annotations

import json

from bot.actions.base import ActionContext, ActionResult, Tracker
from bot.i18n.languages import SUPPORTED, native_name
from bot.i18n.responses import Button, Reply


def language_buttons() -> tuple[Button, ...]:
    """One button per language, each named in its own language and script."""
    return tuple(
        Button(native_name(code), "/change_language" + json.dumps(
            {"language": code}, separators=(",", ":")))
        for code in SUPPORTED
    )


async def action_change_language(ctx: ActionContext, tracker: Tracker, language: str
                                 ) -> ActionResult:
    """Stores the named language and confirms in it; without a name, offers the picker."""
    result = ActionResult()
    named = tracker.entity("language")
    code = ctx.reference.gazetteer.lookup("languages", named) if named else None
    chosen = await ctx.users.choose_language(tracker.sender_id, code) if code else None
    result.set_slot("language", None)
    if chosen is None:
        result.replies.append(Reply(ctx.renderer.text("msg_choose_language", language),
                                    language_buttons()))
        return result
    result.replies.append(ctx.renderer.render("msg_language_changed", chosen))
    result.replies.append(ctx.renderer.render("msg_menu", chosen))
    return result
