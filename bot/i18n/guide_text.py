"""Safe-migration guide screens: one step (with its contacts and sources), or the checklist."""

from __future__ import annotations

import json
import re

from bot.i18n.names import country_name
from bot.i18n.responses import Button, Renderer, Reply
from bot.services import guides
from bot.services.guides import DestinationNote, Guide, GuideStep, Progress

JUMPS = ("btn_check_offer", "btn_help")
# Sentence ends: Latin ". ", Khmer "។", Burmese "။", Thai/Lao (a space), or a line break.
FIRST_SENTENCE = re.compile(r"(?<=\.)\s|[។။]|\n")


def _date(renderer: Renderer, language: str, date: str) -> str:
    return renderer.text("guide_undated", language) if date in ("", "undated") else date


def _contacts(item: GuideStep | DestinationNote, renderer: Renderer, language: str
              ) -> list[str]:
    lines = [renderer.text("guide_phone_line", language, label=p.label, number=p.number,
                           source=p.source, date=_date(renderer, language, p.source_date))
             for p in item.phones]
    lines += [renderer.text("guide_email_line", language, label=e.label, address=e.address,
                            source=e.source, date=_date(renderer, language, e.source_date))
              for e in item.emails]
    lines += [renderer.text("guide_link_line", language, label=link.label, url=link.url)
              for link in item.links]
    if item.sources:
        cited = ", ".join(f"{source} {_date(renderer, language, date)}"
                          for source, date in item.citations)
        lines.append(renderer.text("guide_sources_line", language, sources=cited))
    return lines


def destination_button(code: str, language: str) -> Button:
    payload = "/ask_migration_steps" + json.dumps({"country": code}, separators=(",", ":"))
    return Button("➡️ " + country_name(code, language), payload)


def step_reply(guide: Guide, progress: Progress, renderer: Renderer, language: str,
               intro: bool = False, destination: str | None = None) -> Reply:
    """The current step; ``intro`` adds the unverified notice, the visa warning and the
    destination note (or buttons to choose one) on the first screen."""
    step = guides.current_step(guide, progress)
    parts: list[str] = []
    if intro:
        parts += [renderer.text("guide_unverified_notice", language),
                  renderer.text("guide_tourist_visa_warning", language)]
    note = guide.destination(destination)
    if note is not None:
        parts.append("\n".join([
            renderer.text("guide_destination_header", language,
                          country=country_name(note.country, language)),
            renderer.text(note.text, language), *_contacts(note, renderer, language)]))
    done = "✅ " if step.id in progress.done else ""
    header = renderer.text("guide_step_header", language,
                           number=guides.step_number(guide, progress), total=guide.total,
                           country=country_name(guide.country, language))
    parts.append("\n".join([
        done + header,
        "", renderer.text(step.text, language), *_contacts(step, renderer, language)]))
    buttons: list[Button] = []
    if guides.has_previous(guide, progress):
        buttons.append(renderer.button("btn_guide_back", language))
    buttons.append(renderer.button("btn_guide_done", language))
    if guides.has_next(guide, progress):
        buttons.append(renderer.button("btn_guide_next", language))
    buttons.append(renderer.button("btn_guide_checklist", language))
    if intro and note is None:
        buttons += [destination_button(code, language) for code in guide.destination_codes]
    buttons += [renderer.button(key, language) for key in JUMPS]
    return Reply("\n\n".join(parts), tuple(buttons))


def checklist_reply(guide: Guide, progress: Progress, renderer: Renderer, language: str
                    ) -> Reply:
    """Every step with ✅ or ⬜ and its first sentence."""
    lines = [renderer.text("guide_checklist_header", language,
                           country=country_name(guide.country, language))]
    for number, (step, done) in enumerate(guides.checklist(guide, progress), start=1):
        first = FIRST_SENTENCE.split(renderer.text(step.text, language), maxsplit=1)[0]
        if len(first) > 90:
            first = first[:90].rsplit(" ", 1)[0] + "…"
        lines.append(f"{'✅' if done else '⬜'} {number}. {first}")
    buttons = (renderer.button("btn_guide_continue", language),
               *(renderer.button(key, language) for key in JUMPS))
    return Reply("\n".join(lines), buttons)
