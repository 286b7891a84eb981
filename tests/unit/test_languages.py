"""bot/i18n/languages.py: language tags, negotiation and native names."""

from __future__ import annotations

import re

import pytest

from bot.i18n.languages import DEFAULT, SUPPORTED, native_name, negotiate, normalise


@pytest.mark.parametrize(("tag", "code"), [
    ("id-ID", "id"),
    ("id", "id"),
    ("in", "id"),  # legacy Java/Android code for Indonesian
    ("fil", "tl"),
    ("fil-PH", "tl"),
    ("tl", "tl"),
    ("en_US", "en"),
    ("EN-gb", "en"),
    ("TH", "th"),
    ("my_MM", "my"),
    ("lo-LA", "lo"),
    ("vi", "vi"),
    (" km ", "km"),
    ("pt-BR", None),
    ("ms", None),
    ("zz", None),
    ("", None),
    ("   ", None),
    (None, None),
])
def test_normalise(tag: str | None, code: str | None) -> None:
    assert normalise(tag) == code


def test_every_supported_code_normalises_to_itself() -> None:
    assert all(normalise(code) == code for code in SUPPORTED)


def test_negotiate_stored_choice_wins() -> None:
    assert negotiate("vi", "id-ID") == "vi"


def test_negotiate_client_language_when_nothing_stored() -> None:
    assert negotiate(None, "fil") == "tl"
    assert negotiate("", "th-TH") == "th"


def test_negotiate_unsupported_stored_falls_through_to_client() -> None:
    assert negotiate("pt", "km") == "km"


def test_negotiate_default_last() -> None:
    assert negotiate(None, "pt-BR") == DEFAULT
    assert negotiate(None, None, default="lo") == "lo"
    assert negotiate(None, None, default="xx") == "en"


SCRIPTS = {
    "th": r"[\u0e00-\u0e7f]",
    "lo": r"[\u0e80-\u0eff]",
    "my": r"[\u1000-\u109f]",
    "km": r"[\u1780-\u17ff]",
}


@pytest.mark.parametrize(("code", "script"), SCRIPTS.items())
def test_native_name_is_in_its_own_script(code: str, script: str) -> None:
    name = native_name(code)
    letters = [ch for ch in name if ch.isalpha() or not ch.isspace()]
    assert letters
    assert all(re.match(script, ch) for ch in letters), name


@pytest.mark.parametrize(("code", "expected"), [
    ("en", "English"),
    ("id", "Indonesia"),
    ("tl", "Filipino"),
    ("vi", "Tiếng Việt"),
])
def test_native_name_latin_languages(code: str, expected: str) -> None:
    assert native_name(code) == expected


def test_native_names_are_distinct() -> None:
    assert len({native_name(code) for code in SUPPORTED}) == len(SUPPORTED)
