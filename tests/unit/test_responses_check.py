"""``jaga responses check`` finds each kind of problem, naming the file and line."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bot.i18n.check import check

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of what the check reads: responses, catalogs, rules, stories and the code."""
    for name in ("responses", "locales", "nlu/data", "bot"):
        shutil.copytree(ROOT / name, tmp_path / name,
                        ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    (tmp_path / "tests/rasa").mkdir(parents=True)
    shutil.copy(ROOT / "tests/rasa/test_stories.yml", tmp_path / "tests/rasa")
    return tmp_path


def po(project: Path, language: str) -> Path:
    return project / "locales" / language / "LC_MESSAGES" / "messages.po"


def replace_msgstr(path: Path, context: str, new: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines()
    start = lines.index(f'msgctxt "{context}"')
    index = next(i for i in range(start, len(lines)) if lines[i].startswith("msgstr"))
    end = index + 1
    while end < len(lines) and lines[end].startswith('"'):
        end += 1
    lines[index:end] = [f'msgstr "{new}"']
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def test_a_broken_placeholder_is_an_error_with_its_line(project: Path) -> None:
    replace_msgstr(po(project, "id"), "msg_contacts_host", "Nomor lokal di {negara}:")
    report = check(project, ("id",))
    assert any("messages.po:" in e and "msg_contacts_host placeholders" in e
               for e in report.errors), report.errors


def test_a_missing_translation_is_listed_and_fails_only_when_strict(project: Path) -> None:
    replace_msgstr(po(project, "vi"), "utter_goodbye", "")
    report = check(project, ("vi",))
    assert "utter_goodbye" in report.untranslated["vi"]
    assert report.failed(strict=True)


def test_an_invalid_po_is_an_error(project: Path) -> None:
    po(project, "th").write_text('msgid "x"\nmsgstr "unterminated\n', encoding="utf-8")
    report = check(project, ("th",))
    assert any("messages.po" in e for e in report.errors)


def test_a_too_long_message_is_an_error(project: Path) -> None:
    path = project / "responses" / "core.yml"
    text = path.read_text(encoding="utf-8").replace(
        'text: "You\'re welcome. Stay safe."', 'text: "' + "long " * 900 + '"')
    path.write_text(text, encoding="utf-8")
    report = check(project, ("en",))
    assert any("utter_youre_welcome is over 4096" in e for e in report.errors)


def test_a_response_the_dialogue_uses_must_exist(project: Path) -> None:
    path = project / "responses" / "core.yml"
    text = path.read_text(encoding="utf-8").replace("  utter_goodbye:", "  utter_goodbye_x:")
    path.write_text(text, encoding="utf-8")
    report = check(project, ("en",))
    assert any("the dialogue uses utter_goodbye" in e for e in report.errors)


def test_a_fuzzy_entry_is_an_error(project: Path) -> None:
    path = po(project, "km")
    text = path.read_text(encoding="utf-8").replace('msgctxt "utter_goodbye"',
                                                     '#, fuzzy\nmsgctxt "utter_goodbye"', 1)
    path.write_text(text, encoding="utf-8")
    assert any("utter_goodbye is fuzzy" in e for e in check(project, ("km",)).errors)


def test_the_shipped_scripts_and_catalogs_pass_the_release_check() -> None:
    report = check(ROOT)
    assert report.errors == []
    assert not report.failed(strict=True), report.untranslated
