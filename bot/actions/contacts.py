"""``action_emergency_contacts``: hotlines first, then one question at a time."""

from __future__ import annotations

import json

from bot.actions.base import ActionContext, ActionResult, Tracker
from bot.i18n.contacts_text import selection_text
from bot.i18n.languages import LIKELY_NATIONALITY
from bot.i18n.names import country_name
from bot.i18n.responses import Button, Reply
from bot.services.contacts import nationalities, select_contacts
from bot.services.routing import route

# Where people are held most often come first (shared/reference/red-flags.md 3.1).
HOST_ORDER = ("KH", "MM", "LA", "TH", "PH", "MY", "VN", "ID", "SG", "BN", "TL")
FIRST_NATIONALITIES = ("ID", "PH", "VN", "MM", "KH", "TH", "LA", "MY")


async def _case(ctx: ActionContext, tracker: Tracker, language: str, nationality: str | None,
                host: str | None, place: str | None, mission: str | None = None
                ) -> Reply | None:
    """Opens a case on a help request (or updates the open one); the reply to show, if new."""
    open_case = await ctx.cases.open_case(tracker.sender_id)
    if tracker.intent != "request_help" and open_case is None:
        return None
    point = _point(tracker)
    details: dict[str, object] = {}
    if point:
        details.update(latitude=point[0], longitude=point[1])
    if place:
        details["place"] = place
    if tracker.intent == "request_help" and tracker.text and not tracker.text.startswith("/"):
        details["words"] = tracker.text[:500]
    where = ", ".join(x for x in (place, host) if x) or "?"
    facts = "; ".join(f"{k}: {v}" for k, v in details.items())
    if point:
        facts += f"\nMap: https://www.openstreetmap.org/?mlat={point[0]}&mlon={point[1]}"
    template = "staff_card" if open_case is None else "staff_update"
    card = ctx.renderer.text(template, "en", reference="{reference}", lang=language,
                             nationality=nationality or "?", where=where, details=facts)
    case, created = await ctx.cases.open_or_update(tracker.sender_id, language, nationality,
                                                   host, details, card, mission)
    if not created:
        return None
    key = "msg_case_created" if case.staff_chat_id is not None else \
        "msg_case_created_no_staff"
    return ctx.renderer.render(key, language, reference=case.reference)


def _point(tracker: Tracker) -> tuple[float, float] | None:
    """The worker's location pin, when they sent one."""
    latitude, longitude = tracker.slots.get("latitude"), tracker.slots.get("longitude")
    if isinstance(latitude, int | float) and isinstance(longitude, int | float):
        return float(latitude), float(longitude)
    return None


def flag(code: str) -> str:
    """The flag emoji of a two-letter country code."""
    return "".join(chr(0x1F1E6 + ord(ch) - ord("A")) for ch in code.upper())


def inform_button(slot: str, code: str, language: str) -> Button:
    payload = "/inform" + json.dumps({slot: code}, separators=(",", ":"))
    return Button(f"{flag(code)} {country_name(code, language)}", payload)


SITUATIONS = ("sit_passport", "sit_locked", "sit_scam", "sit_hurt", "sit_others")


async def help_answer(ctx: ActionContext, tracker: Tracker, language: str, answer: str
                      ) -> ActionResult:
    """Records one tap of the help questions in the case; asks the next question."""
    result = ActionResult()
    case = await ctx.cases.open_case(tracker.sender_id)
    if case is None:
        return result
    details: dict[str, object] = {}
    if answer in ("safe_yes", "safe_no"):
        details["safe_to_write"] = answer == "safe_yes"
    elif answer in SITUATIONS:
        details["happening"] = sorted({*case.details.get("happening", []), answer[4:]})
    elif answer in ("reach_here", "reach_later"):
        details["reach"] = answer[6:]
    facts = "; ".join(f"{k}: {v}" for k, v in details.items())
    update = ctx.renderer.text("staff_update", "en", reference="{reference}",
                               nationality=case.nationality or "?",
                               where=case.host_country or "?", details=facts)
    await ctx.cases.open_or_update(tracker.sender_id, language, None, None, details, update)
    step = {"safe_yes": "msg_help_ask_situation", "sit_done": "msg_help_ask_reach",
            "reach_here": "msg_help_all_noted", "reach_later": "msg_help_all_noted",
            "safe_no": "msg_help_unsafe"}.get(answer, "msg_help_noted")
    result.replies.append(ctx.renderer.render(step, language, reference=case.reference))
    return result


async def action_emergency_contacts(ctx: ActionContext, tracker: Tracker, language: str
                                    ) -> ActionResult:
    """Shows the best contacts known so far, then asks nationality, then country, then the
    help questions (one tap each) for the caseworker."""
    answer = tracker.entity("help_answer")
    if answer:
        return await help_answer(ctx, tracker, language, answer)
    result = ActionResult()
    gazetteer = ctx.reference.gazetteer
    asked = tracker.slots.get("asked")

    said_nationality = tracker.entity("nationality")
    said_country = tracker.entity("country")
    nationality = (gazetteer.lookup("nationalities", said_nationality)
                   or gazetteer.lookup("countries", said_nationality))
    host = gazetteer.lookup("countries", said_country)
    if asked == "nationality" and nationality is None and host is not None:
        # "Indonesia" in answer to "which passport?" is a nationality, not a location.
        nationality, host = host, None
        result.set_slot("country", tracker.slots.get("country_before"))
    place = gazetteer.lookup("places", tracker.entity("city"))
    if host is None and place is not None:
        host = gazetteer.country_of_place(place)

    nationality = nationality or gazetteer.lookup(
        "nationalities", tracker.slots.get("nationality")) or gazetteer.lookup(
        "countries", tracker.slots.get("nationality")) or await ctx.users.nationality(
        tracker.sender_id)
    guessed = nationality is None and language in LIKELY_NATIONALITY
    if guessed:
        nationality = LIKELY_NATIONALITY[language]
    else:
        if nationality:
            await ctx.users.set_nationality(tracker.sender_id, nationality)
    host = host or gazetteer.lookup("countries", tracker.slots.get("country"))
    if host is None:
        city = gazetteer.lookup("places", tracker.slots.get("city"))
        host = gazetteer.country_of_place(city) if city else None

    if nationality and not guessed:
        result.set_slot("nationality", nationality)
    if host:
        result.set_slot("country", host)
        result.set_slot("country_before", host)

    place_code = place or gazetteer.lookup("places", tracker.slots.get("city"))
    point = _point(tracker)
    selection = select_contacts(ctx.reference.directory, nationality, host)
    if nationality and host:
        routed = route(ctx.reference.directory, nationality, host, point,
                       ctx.reference.routes.get(place_code or ""),
                       place_point=gazetteer.point_of_place(place_code))
        if not routed.elsewhere:  # missions where they are (and across escape routes)
            selection = routed.selection
    # The case goes to the chat of the nearest mission it was routed to, when it has one.
    nearest = selection.missions[0] if selection.missions and not guessed else None
    mission = f"{nearest.host_country}:{nearest.city}" if nearest else None
    case_reply = await _case(ctx, tracker, language, None if guessed else nationality, host,
                             place, mission)
    intro = "msg_help_first" if tracker.intent == "request_help" else "msg_hotlines_intro"
    body = selection_text(selection, ctx.renderer, language)
    if body:
        result.replies.append(Reply(ctx.renderer.text(intro, language) + "\n\n" + body))

    if case_reply is not None:
        result.replies.append(case_reply)
    if nationality is None or guessed:
        codes = nationalities(ctx.reference.directory)
        ordered = [*FIRST_NATIONALITIES, *(c for c in codes if c not in FIRST_NATIONALITIES)]
        result.replies.append(Reply(ctx.renderer.text("msg_ask_nationality", language),
                                    tuple(inform_button("nationality", c, language)
                                          for c in ordered)))
        result.set_slot("asked", "nationality")
    elif host is None:
        hosts = {c.host_country for c in ctx.reference.directory if c.host_country}
        ordered = [c for c in HOST_ORDER if c in hosts and c != nationality]
        result.replies.append(Reply(ctx.renderer.text("msg_ask_country", language),
                                    tuple(inform_button("country", c, language)
                                          for c in ordered)))
        result.set_slot("asked", "country")
    else:
        result.replies.append(ctx.renderer.render("msg_help_next", language))
        result.set_slot("asked", None)
        open_case = await ctx.cases.open_case(tracker.sender_id)
        if open_case is not None and "safe_to_write" not in open_case.details:
            result.replies.append(ctx.renderer.render("msg_help_ask_safe", language))
    return result
