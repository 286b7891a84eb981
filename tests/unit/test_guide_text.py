"""Every guide renders in every language: each step, its contacts with dates, and buttons."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.guide_data import load_guides
from bot.i18n.guide_text import checklist_reply, step_reply
from bot.i18n.languages import SUPPORTED
from bot.i18n.responses import Renderer
from bot.services import guides

ROOT = Path(__file__).resolve().parents[2]
GUIDES = load_guides(ROOT)
RENDERER = Renderer.from_directories(ROOT / "responses", ROOT / "locales")


@pytest.mark.parametrize("language", SUPPORTED)
@pytest.mark.parametrize("country", sorted(GUIDES))
def test_every_step_renders_with_its_contacts(country: str, language: str) -> None:
    guide = GUIDES[country]
    progress = guides.start(guide)
    for number in range(1, guide.total + 1):
        reply = step_reply(guide, progress, RENDERER, language, intro=number == 1)
        step = guides.current_step(guide, progress)
        assert "{" not in reply.text and "}" not in reply.text
        assert RENDERER.text(step.text, language) in reply.text
        for phone in step.phones:
            assert phone.number in reply.text and phone.source in reply.text
        for link in step.links:
            assert link.url in reply.text
        assert all(len(b.payload.encode()) <= 64 for b in reply.buttons)
        progress = guides.next_step(guide, progress)
    checklist = checklist_reply(guide, progress, RENDERER, language)
    assert checklist.text.count("\n") == guide.total


@pytest.mark.parametrize("country", sorted(GUIDES))
def test_destination_notes_render(country: str) -> None:
    guide = GUIDES[country]
    for code in guide.destination_codes:
        note = guide.destination(code)
        assert note is not None
        reply = step_reply(guide, guides.start(guide), RENDERER, "en", intro=True,
                           destination=code)
        assert RENDERER.text(note.text, "en") in reply.text
        for phone in note.phones:
            assert phone.number in reply.text
