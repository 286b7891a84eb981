"""bot/i18n/responses.py and the catalogs in locales/: every message renders everywhere."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from bot.i18n.languages import SUPPORTED
from bot.i18n.responses import (
    Renderer,
    ResponseError,
    SourceMessage,
    load_sources,
    placeholders_of,
)
from bot.settings import PROJECT_ROOT

CATALOGS = sorted((PROJECT_ROOT / "locales").glob("*/LC_MESSAGES/*.po"))
NON_ENGLISH = [code for code in SUPPORTED if code != "en"]


def dummy_values(message: SourceMessage) -> dict[str, str]:
    return {name: f"<<{name.upper()}>>" for name in message.placeholders}


# --- the real scripts and catalogs -----------------------------------------------------------


def test_every_language_has_a_catalog() -> None:
    assert {po.parts[-3] for po in CATALOGS} == set(NON_ENGLISH)


@pytest.mark.parametrize("language", SUPPORTED)
def test_every_message_renders_with_placeholders_filled(renderer: Renderer,
                                                        language: str) -> None:
    assert renderer.sources
    for key, message in renderer.sources.items():
        values = dummy_values(message)
        reply = renderer.render(key, language, **values)
        assert reply.text.strip(), key
        for value in values.values():
            assert value in reply.text, (key, reply.text)
        assert "{" not in reply.text and "}" not in reply.text, (key, reply.text)
        assert [b.payload for b in reply.buttons] == [
            renderer.sources[b].payload for b in message.buttons
        ]
        if language != "en" and not key.startswith("staff_"):
            # Translated, and not silently falling back to English (a translation may
            # still read like the English, e.g. "Caseworker: {text}" in Taglish).
            assert renderer.is_translated(key, language), (key, language)


@pytest.mark.parametrize("language", NON_ENGLISH)
def test_every_language_is_fully_translated(renderer: Renderer, language: str) -> None:
    assert renderer.translated_share(language) == 1.0


def test_english_has_no_translation_table(renderer: Renderer) -> None:
    assert renderer.translated_share("en") == 0.0


@pytest.mark.parametrize("po", CATALOGS, ids=lambda p: p.parts[-3])
def test_catalog_placeholders_match_and_nothing_fuzzy(po: Path) -> None:
    with po.open("rb") as handle:
        catalog = read_po(handle)
    entries = [m for m in catalog if m.id]
    assert entries
    for message in entries:
        assert not message.fuzzy, message.context
        assert message.string, message.context
        assert placeholders_of(str(message.string)) == placeholders_of(str(message.id)), (
            message.context, message.string)


@pytest.mark.parametrize("language", SUPPORTED)
def test_buttons_fit_telegram_limits(renderer: Renderer, language: str) -> None:
    buttons = [m for m in renderer.sources.values() if m.payload is not None]
    assert buttons
    for button in buttons:
        title = renderer.text(button.key, language)
        assert 0 < len(title) <= 64, (button.key, title)
        assert len(str(button.payload).encode("utf-8")) <= 64, button.key


def test_sources_have_notes_and_buttons_exist() -> None:
    sources = load_sources(PROJECT_ROOT / "responses")
    assert "utter_greet" in sources
    for message in sources.values():
        assert message.note.strip(), message.key
        for button in message.buttons:
            assert sources[button].payload is not None


# --- Renderer with hand-made translations ----------------------------------------------------


def small_renderer(translation: str) -> Renderer:
    sources = {
        "msg_hi": SourceMessage("msg_hi", "Hello {name}, you are in {country}.", "note",
                                buttons=("btn_ok",)),
        "btn_ok": SourceMessage("btn_ok", "OK", "Button label.", payload="/affirm"),
    }
    translations = {"id": {("msg_hi", "Hello {name}, you are in {country}."): translation,
                           ("btn_ok", "OK"): "Oke"}}
    return Renderer(sources, translations)


def test_translation_is_used_and_formatted() -> None:
    renderer = small_renderer("Halo {name}, kamu di {country}.")
    reply = renderer.render("msg_hi", "id", name="Ani", country="Kamboja")
    assert reply.text == "Halo Ani, kamu di Kamboja."
    assert [(b.title, b.payload) for b in reply.buttons] == [("Oke", "/affirm")]
    assert renderer.translated_share("id") == 1.0
    assert renderer.translated_share("vi") == 0.0


@pytest.mark.parametrize("broken", [
    "Halo {nama}, kamu di {country}.",  # renamed placeholder
    "Halo {name, kamu di {country}.",  # malformed
    "Halo {0}, kamu di {country}.",  # positional
])
def test_broken_translation_falls_back_to_english(broken: str) -> None:
    renderer = small_renderer(broken)
    assert renderer.text("msg_hi", "id", name="Ani", country="Kamboja") == (
        "Hello Ani, you are in Kamboja.")


def test_stale_translation_is_not_used() -> None:
    renderer = small_renderer("Halo {name}, kamu di {country}.")
    stale = SourceMessage("msg_hi", "Hi {name}, you are now in {country}.", "note")
    renderer.sources["msg_hi"] = stale
    assert renderer.text("msg_hi", "id", name="A", country="B") == "Hi A, you are now in B."
    assert renderer.translated_share("id") == 0.5


# --- load_sources validation -----------------------------------------------------------------


def write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")


BUTTONS = """
buttons:
  btn_ok:
    title: "OK"
    payload: /affirm
"""


def test_load_sources_reads_buttons_and_responses(tmp_path: Path) -> None:
    write(tmp_path / "a.yml", BUTTONS + """
responses:
  msg_a:
    text: |
      Hello {name}
    note: Greeting.
    buttons: [btn_ok]
""")
    sources = load_sources(tmp_path)
    assert sources["msg_a"].text == "Hello {name}"
    assert sources["msg_a"].placeholders == frozenset({"name"})
    assert sources["msg_a"].buttons == ("btn_ok",)
    assert sources["btn_ok"].payload == "/affirm"


def test_load_sources_rejects_unknown_button(tmp_path: Path) -> None:
    write(tmp_path / "a.yml", BUTTONS + """
responses:
  msg_a:
    text: Hi
    buttons: [btn_ok, btn_missing]
""")
    with pytest.raises(ResponseError, match="msg_a: unknown button 'btn_missing'"):
        load_sources(tmp_path)


def test_load_sources_rejects_response_used_as_button(tmp_path: Path) -> None:
    write(tmp_path / "a.yml", """
responses:
  msg_a:
    text: Hi
    buttons: [msg_b]
  msg_b:
    text: Bye
""")
    with pytest.raises(ResponseError, match="unknown button 'msg_b'"):
        load_sources(tmp_path)


def test_load_sources_rejects_id_defined_in_two_files(tmp_path: Path) -> None:
    write(tmp_path / "a.yml", "responses:\n  msg_a:\n    text: Hi\n")
    write(tmp_path / "b.yml", "responses:\n  msg_a:\n    text: Hello again\n")
    with pytest.raises(ResponseError, match=r"b\.yml: 'msg_a' is defined twice"):
        load_sources(tmp_path)


def test_load_sources_rejects_button_and_response_with_same_id(tmp_path: Path) -> None:
    write(tmp_path / "a.yml", BUTTONS + "responses:\n  btn_ok:\n    text: Hi\n")
    with pytest.raises(ResponseError, match="'btn_ok' is defined twice"):
        load_sources(tmp_path)


def test_load_sources_rejects_id_defined_twice_in_one_file(tmp_path: Path) -> None:
    write(tmp_path / "a.yml",
          "responses:\n  msg_a:\n    text: Hi\n  msg_a:\n    text: Hello again\n")
    with pytest.raises(ResponseError):
        load_sources(tmp_path)


def test_load_sources_rejects_malformed_placeholder(tmp_path: Path) -> None:
    write(tmp_path / "a.yml", "responses:\n  msg_a:\n    text: 'Hi {name'\n")
    with pytest.raises(ResponseError, match="malformed placeholder"):
        load_sources(tmp_path)
