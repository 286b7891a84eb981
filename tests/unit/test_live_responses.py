"""A validated change goes live without a restart; a broken one never does."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from bot.i18n.live import LiveResponses
from bot.i18n.responses import Renderer

ROOT = Path(__file__).resolve().parents[2]


def copy_project(tmp: Path) -> Path:
    for name in ("responses", "locales", "nlu/data", "bot"):
        shutil.copytree(ROOT / name, tmp / name, ignore=shutil.ignore_patterns("__pycache__"))
    (tmp / "tests/rasa").mkdir(parents=True)
    shutil.copy(ROOT / "tests/rasa/test_stories.yml", tmp / "tests/rasa")
    return tmp


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def test_a_valid_change_goes_live_and_a_broken_one_is_refused(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    renderer = Renderer.from_directories(root / "responses", root / "locales")
    live = LiveResponses(renderer, root)
    assert live.reload_if_changed() is None
    po = root / "locales" / "id" / "LC_MESSAGES" / "messages.po"
    before = renderer.text("utter_youre_welcome", "id")
    edit(po, f'msgstr "{before}"', 'msgstr "Sama-sama ya. Jaga diri baik-baik."')
    assert live.reload_if_changed() is True  # a translator's fix is live at once
    assert renderer.text("utter_youre_welcome", "id") == "Sama-sama ya. Jaga diri baik-baik."
    core = root / "responses" / "core.yml"

    edit(core, 'text: "Local lines in {country}:"', 'text: "Local lines in {countri}:"')
    assert live.reload_if_changed() is False  # the catalogs still say {country}
    assert live.last_errors
    assert renderer.text("msg_contacts_host", "en", country="Laos") == "Local lines in Laos:"
