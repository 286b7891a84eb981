"""An offer verdict as a message: the verdict first, then each sign with the user's own words,
then what to check next."""

from __future__ import annotations

from collections.abc import Mapping

from bot.i18n.responses import Renderer, Reply
from bot.services.offers import Verdict

BUTTONS = ("btn_check_offer", "btn_migration", "btn_help")
REPORTED = "reported_contact"


def _explained(renderer: Renderer, language: str, line: str, key: str, quote: str) -> str:
    why = renderer.text(key, language) if renderer.has(key) else ""
    text = renderer.text(line, language, quote=quote, why=why)
    return text if why else text.rstrip(": ")


def verdict_reply(verdict: Verdict, renderer: Renderer, language: str,
                  reported: Mapping[str, int] | None = None) -> Reply:
    """Renders ``verdict``; ``reported`` maps contact keys to their number of reports."""
    counts = {c.quote: (reported or {}).get(c.key, 0) for c in verdict.facts.contacts}
    parts = [renderer.text(f"offer_risk_{verdict.risk}", language)]
    if verdict.signs:
        lines = [renderer.text("msg_offer_signs_header", language)]
        for hit in verdict.signs:
            if hit.id == REPORTED:
                lines.append(renderer.text("msg_offer_reported_line", language, quote=hit.quote,
                                           count=max(1, counts.get(hit.quote, 1))))
            else:
                lines.append(_explained(renderer, language, "msg_offer_sign_line",
                                        f"offer_sign_{hit.id}", hit.quote))
        parts.append("\n".join(lines))
    if verdict.legit_signs:
        parts.append("\n".join([renderer.text("msg_offer_legit_header", language), *(
            _explained(renderer, language, "msg_offer_legit_line", f"offer_legit_{hit.id}",
                       hit.quote) for hit in verdict.legit_signs)]))
    steps = [renderer.text(key, language) for key in verdict.verify_next if renderer.has(key)]
    if steps and verdict.risk != "unknown":
        parts.append("\n".join([renderer.text("msg_offer_next_header", language),
                                *(f"• {step}" for step in steps)]))
    return Reply("\n\n".join(parts), tuple(renderer.button(k, language) for k in BUTTONS))
