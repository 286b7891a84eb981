"""``action_check_offer`` and ``action_report_recruiter``: the offer check and community
reports. The text comes from the message, or from the metadata when the conversation layer
routed an awaited, forwarded or long text here."""

from __future__ import annotations

from bot.actions.base import ActionContext, ActionResult, Tracker
from bot.conversation import AWAIT
from bot.i18n.offer_text import verdict_reply
from bot.i18n.responses import Reply
from bot.services.offers import Verdict, check_offer


def offer_text(tracker: Tracker, key: str) -> str:
    """The routed text, or the user's own message unless it was a bare button payload."""
    routed = tracker.metadata.get(key)
    if isinstance(routed, str):
        return routed
    return "" if tracker.text.startswith("/") else tracker.text


def only_asking(verdict: Verdict, text: str) -> bool:
    """A short question about an offer, with nothing of the offer itself in it."""
    facts = verdict.facts
    return (len(text) < 120 and not verdict.signs and not verdict.legit_signs
            and not (facts.pay or facts.destinations or facts.contacts))


async def checked(ctx: ActionContext, text: str, origin: str | None
                  ) -> tuple[Verdict, dict[str, int]]:
    """Checks ``text``; when it names contacts that were reported, checks again with counts."""
    lexicon = ctx.reference.lexicon
    verdict = check_offer(text, lexicon, origin)
    counts = await ctx.reports.counts([c.key for c in verdict.facts.contacts])
    if counts:
        verdict = check_offer(text, lexicon, origin, counts)
    return verdict, counts


async def action_check_offer(ctx: ActionContext, tracker: Tracker, language: str
                             ) -> ActionResult:
    """Verdict, signs with quotes, next steps; asks for the ad when there is none."""
    result = ActionResult()
    text = offer_text(tracker, "offer_text")
    if not text.strip():
        result.replies.append(Reply(ctx.renderer.text("msg_offer_paste", language),
                                    custom={AWAIT: "offer"}))
        return result
    origin = await ctx.users.nationality(tracker.sender_id)
    verdict, counts = await checked(ctx, text, origin)
    if "offer_text" not in tracker.metadata and only_asking(verdict, text):
        # "Is this job offer real?" names no offer yet: ask for the ad itself.
        result.replies.append(Reply(ctx.renderer.text("msg_offer_paste", language),
                                    custom={AWAIT: "offer"}))
        return result
    reply = verdict_reply(verdict, ctx.renderer, language, counts)
    if verdict.risk == "unknown":  # nothing to judge: ask for the whole ad, keep listening
        reply = Reply(reply.text, reply.buttons, {AWAIT: "offer"})
    result.replies.append(reply)
    return result


async def action_report_recruiter(ctx: ActionContext, tracker: Tracker, language: str
                                  ) -> ActionResult:
    """Asks what the user knows; then stores it with the contacts found, and confirms."""
    result = ActionResult()
    text = offer_text(tracker, "report_text")
    if not text.strip() or (tracker.intent == "report_recruiter" and "report_text" not in \
            tracker.metadata and len(text) < 40 and not any(ch.isdigit() or ch == "@"
                                                              for ch in text)):
        # "I want to report an agent": no details yet, so ask for them.
        result.replies.append(Reply(ctx.renderer.text("msg_report_ask", language),
                                    custom={AWAIT: "report"}))
        return result
    contacts = check_offer(text, ctx.reference.lexicon).facts.contacts
    await ctx.reports.add(tracker.sender_id, language, text, [c.key for c in contacts])
    if contacts:
        listed = ", ".join(dict.fromkeys(c.quote for c in contacts))
        result.replies.append(ctx.renderer.render("msg_report_saved", language,
                                                  contacts=listed))
    else:
        result.replies.append(ctx.renderer.render("msg_report_saved_no_contact", language))
    return result
