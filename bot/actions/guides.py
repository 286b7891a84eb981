"""``action_migration_guide``: the official route for the user's country, one step at a time."""

from __future__ import annotations

import json

from bot.actions.base import ActionContext, ActionResult, Tracker
from bot.actions.contacts import FIRST_NATIONALITIES
from bot.i18n.guide_text import checklist_reply, step_reply
from bot.i18n.languages import LIKELY_NATIONALITY
from bot.i18n.names import country_name
from bot.i18n.responses import Button, Reply
from bot.services import guides

NAVIGATION = {"next": guides.next_step, "back": guides.previous_step, "done": guides.mark_done}


def origin_buttons(ctx: ActionContext, language: str) -> tuple[Button, ...]:
    """One button per country with a guide; the language's likely country first."""
    likely = LIKELY_NATIONALITY.get(language)
    first = [likely, *FIRST_NATIONALITIES]
    codes = sorted(ctx.reference.guides,
                   key=lambda c: (first.index(c) if c in first else len(first), c))
    return tuple(Button(country_name(code, language), "/ask_migration_steps" + json.dumps(
        {"nationality": code}, separators=(",", ":"))) for code in codes)


async def action_migration_guide(ctx: ActionContext, tracker: Tracker, language: str
                                 ) -> ActionResult:
    """Asks the origin when unknown, then shows, moves through and stores the guide."""
    result = ActionResult()
    gazetteer = ctx.reference.gazetteer
    said = tracker.entity("nationality")
    chosen = gazetteer.lookup("nationalities", said) or gazetteer.lookup("countries", said)
    destination = gazetteer.lookup("countries", tracker.entity("country"))
    stored = await ctx.users.guide_progress(tracker.sender_id)
    origin = (chosen or (stored.country if stored else None)
              or gazetteer.lookup("nationalities", tracker.slots.get("nationality"))
              or gazetteer.lookup("countries", tracker.slots.get("nationality"))
              or await ctx.users.nationality(tracker.sender_id))
    if origin is None:
        result.replies.append(Reply(ctx.renderer.text("guide_ask_origin", language),
                                    origin_buttons(ctx, language)))
        return result
    if chosen:
        await ctx.users.set_nationality(tracker.sender_id, chosen)
    guide = ctx.reference.guides.get(origin)
    if guide is None:
        result.replies.append(Reply(
            ctx.renderer.text("guide_not_available", language,
                              country=country_name(origin, language)),
            origin_buttons(ctx, language)))
        return result
    fresh = stored is None or stored.country != origin
    progress = guides.start(guide, None if fresh else stored)
    navigation = tracker.entity("guide")
    if navigation == "checklist":
        result.replies.append(checklist_reply(guide, progress, ctx.renderer, language))
        return result
    if navigation in NAVIGATION:
        progress = NAVIGATION[navigation](guide, progress)
    await ctx.users.save_guide_progress(tracker.sender_id, progress)
    if navigation == "done" and guides.is_complete(guide, progress):
        result.replies.append(ctx.renderer.render("guide_done_all", language))
        return result
    result.replies.append(step_reply(guide, progress, ctx.renderer, language,
                                     intro=fresh or (navigation is None and destination is None),
                                     destination=destination))
    return result
