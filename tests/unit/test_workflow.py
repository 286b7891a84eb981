"""bot/i18n/workflow.py: extract / update / compile of the translation catalogs."""

from __future__ import annotations

import gettext
import shutil
from pathlib import Path

import pytest
from babel.messages.pofile import write_po

from bot.i18n import workflow
from bot.i18n.responses import Renderer, load_catalog, load_sources, translatable
from bot.settings import PROJECT_ROOT

RESPONSES = PROJECT_ROOT / "responses"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of responses/ (and an empty locales/) to run the workflow on."""
    shutil.copytree(RESPONSES, tmp_path / "responses")
    return tmp_path


def test_build_template_one_entry_per_source_with_id_as_context() -> None:
    sources = load_sources(RESPONSES)
    template = workflow.build_template(RESPONSES)
    entries = [m for m in template if m.id]
    assert len(entries) == len([k for k in sources if translatable(k)])
    assert {m.context: str(m.id) for m in entries} == {
        k: m.text for k, m in sources.items() if translatable(k)}


def test_build_template_marks_placeholders_for_translators() -> None:
    template = workflow.build_template(RESPONSES)
    entry = template.get("For citizens of {nationality} in {country}:",
                         context="msg_contacts_for")
    assert entry is not None
    assert "python-brace-format" in entry.flags
    assert "Placeholders: country, nationality" in entry.auto_comments
    button = template.get("Yes, delete", context="btn_yes_delete")
    assert button is not None
    assert "python-brace-format" not in button.flags
    assert "Button label." in button.auto_comments


def test_extract_writes_template(project: Path) -> None:
    pot = workflow.extract(project / "responses", project / "locales")
    assert pot == project / "locales" / "messages.pot"
    catalog = load_catalog(pot)
    assert {m.context for m in catalog if m.id} == {
        k for k in load_sources(RESPONSES) if translatable(k)}


def test_update_creates_catalogs_for_every_translated_language(project: Path) -> None:
    written = workflow.update(project / "responses", project / "locales")
    assert {po.parts[-3] for po in written} == set(workflow.TRANSLATED)
    assert "en" not in workflow.TRANSLATED
    for po in written:
        assert po.exists()
        catalog = load_catalog(po)
        entries = [m for m in catalog if m.id]
        assert len(entries) == len([k for k in load_sources(RESPONSES) if translatable(k)])
        assert all(not m.string for m in entries)
    assert str(load_catalog(project / "locales/tl/LC_MESSAGES/messages.po").locale) == "fil"


def translate(po: Path, context: str, translation: str) -> None:
    catalog = load_catalog(po)
    (entry,) = [m for m in catalog if m.context == context]
    entry.string = translation
    with po.open("wb") as handle:
        write_po(handle, catalog)


def test_changed_english_marks_translation_fuzzy(project: Path) -> None:
    responses, locales = project / "responses", project / "locales"
    (po,) = workflow.update(responses, locales, ("id",))
    translate(po, "msg_ask_country", "Kamu sekarang di negara mana?")
    before = Renderer.from_directories(responses, locales)
    assert before.text("msg_ask_country", "id") == "Kamu sekarang di negara mana?"

    core = responses / "core.yml"
    old = "Which country are you in now?"
    new = "Which country are you in right now?"
    assert old in core.read_text(encoding="utf-8")
    core.write_text(core.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    workflow.update(responses, locales, ("id",))

    (entry,) = [m for m in load_catalog(po) if m.context == "msg_ask_country"]
    assert str(entry.id) == new
    assert entry.string == "Kamu sekarang di negara mana?"
    assert entry.fuzzy
    # A fuzzy translation is not used: the new English is shown until it is confirmed.
    after = Renderer.from_directories(responses, locales)
    assert after.text("msg_ask_country", "id") == new
    assert after.translated_share("id") == 0.0


def test_update_keeps_current_translations(project: Path) -> None:
    responses, locales = project / "responses", project / "locales"
    (po,) = workflow.update(responses, locales, ("vi",))
    translate(po, "msg_ask_country", "Bạn đang ở nước nào?")
    workflow.update(responses, locales, ("vi",))
    (entry,) = [m for m in load_catalog(po) if m.context == "msg_ask_country"]
    assert entry.string == "Bạn đang ở nước nào?"
    assert not entry.fuzzy


def test_compile_catalogs_writes_mo_without_fuzzy(project: Path) -> None:
    responses, locales = project / "responses", project / "locales"
    (po,) = workflow.update(responses, locales, ("th",))
    translate(po, "msg_ask_country", "ตอนนี้คุณอยู่ประเทศไหน")
    translate(po, "msg_ask_nationality", "คุณถือพาสปอร์ตประเทศไหน")
    catalog = load_catalog(po)
    (fuzzy,) = [m for m in catalog if m.context == "msg_ask_nationality"]
    fuzzy.flags.add("fuzzy")
    with po.open("wb") as handle:
        write_po(handle, catalog)

    written = workflow.compile_catalogs(locales)
    assert written == [po.with_suffix(".mo")]
    with written[0].open("rb") as handle:
        translations = gettext.GNUTranslations(handle)
    assert translations.pgettext("msg_ask_country", "Which country are you in now?") == (
        "ตอนนี้คุณอยู่ประเทศไหน")
    question = "Which country's passport do you have?"
    assert translations.pgettext("msg_ask_nationality", question) == question


def test_review_status_of_the_real_catalogs() -> None:
    status = workflow.review_status(PROJECT_ROOT / "locales")
    assert set(status) == set(workflow.TRANSLATED)
    assert all(value in ("unreviewed", "reviewed") for value in status.values())


def test_review_status_defaults_to_unreviewed(tmp_path: Path) -> None:
    (tmp_path / "review.yml").write_text("id: {status: reviewed}\nvi: {}\n", encoding="utf-8")
    assert workflow.review_status(tmp_path) == {"id": "reviewed", "vi": "unreviewed"}
    assert workflow.review_status(tmp_path / "missing") == {}
