"""Response scripts (``responses/*.yml``) and their gettext translations, rendered per language.

The English source text lives in ``responses/``; each translation is looked up in
``locales/<lang>/LC_MESSAGES/messages.po`` by context (the response or button id) and source
text, so a changed English text falls back to English until it is translated again. Translate
first, then format: placeholders are filled after the lookup.
"""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po

from bot.i18n.languages import SUPPORTED
from bot.yamlfile import DuplicateKeyError, load_unique

DOMAIN = "messages"


@dataclass(frozen=True)
class Button:
    """One tappable choice: a title shown to the user and the payload sent back."""

    title: str
    payload: str


@dataclass(frozen=True)
class Reply:
    """One message to the user: text, optional buttons, optional machine-readable extras."""

    text: str
    buttons: tuple[Button, ...] = ()
    custom: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class SourceMessage:
    """One translatable message of the response scripts."""

    key: str
    text: str
    note: str
    buttons: tuple[str, ...] = ()
    payload: str | None = None

    @property
    def placeholders(self) -> frozenset[str]:
        return placeholders_of(self.text)


class ResponseError(ValueError):
    """The response scripts or a catalog are invalid."""


STAFF_PREFIX = "staff_"  # staff-chat messages: English only for now


def translatable(key: str) -> bool:
    """Whether a message goes to translators (staff-chat messages do not, yet)."""
    return not key.startswith(STAFF_PREFIX)


def placeholders_of(text: str) -> frozenset[str]:
    """The ``{names}`` a message expects, as Python's formatter parses them."""
    try:
        return frozenset(name for _, name, _, _ in string.Formatter().parse(text) if name)
    except ValueError as exc:
        raise ResponseError(f"malformed placeholder in {text!r}: {exc}") from exc


def load_sources(directory: Path) -> dict[str, SourceMessage]:
    """Reads every ``*.yml`` under ``directory`` into messages keyed by id."""
    messages: dict[str, SourceMessage] = {}
    for path in sorted(directory.glob("*.yml")):
        try:
            data = load_unique(path.read_text(encoding="utf-8")) or {}
        except DuplicateKeyError as exc:
            raise ResponseError(f"{path.name}: {exc}") from exc
        for key, spec in (data.get("buttons") or {}).items():
            _add(messages, path, SourceMessage(key, str(spec["title"]), "Button label.",
                                               payload=str(spec["payload"])))
        for key, spec in (data.get("responses") or {}).items():
            text = str(spec["text"]).strip()
            _add(messages, path, SourceMessage(key, text, str(spec.get("note", "")),
                                               tuple(spec.get("buttons") or ())))
    for message in messages.values():
        for button in message.buttons:
            if button not in messages or messages[button].payload is None:
                raise ResponseError(f"{message.key}: unknown button {button!r}")
    return messages


def _add(messages: dict[str, SourceMessage], path: Path, message: SourceMessage) -> None:
    if message.key in messages:
        raise ResponseError(f"{path.name}: {message.key!r} is defined twice")
    message.placeholders  # noqa: B018 - validates the placeholders early
    messages[message.key] = message


def load_catalog(path: Path) -> Catalog:
    """Parses one ``.po`` file; a syntax error names the file and line."""
    with path.open("rb") as handle:
        try:
            return read_po(handle, abort_invalid=True)
        except Exception as exc:  # babel raises PoFileError and others
            raise ResponseError(f"{path}: {exc}") from exc


def translations_of(catalog: Catalog) -> dict[tuple[str, str], str]:
    """The renderer's lookup table of one catalog, (id, English) -> translation; fuzzy
    entries are left out."""
    return {(str(e.context), str(e.id)): str(e.string) for e in catalog
            if e.id and e.string and not e.fuzzy and e.context}


class Renderer:
    """Renders response ids into replies in one of the supported languages."""

    def __init__(self, sources: dict[str, SourceMessage],
                 translations: dict[str, dict[tuple[str, str], str]]) -> None:
        self.sources = sources
        self._translations = translations

    @classmethod
    def from_directories(cls, responses_dir: Path, locales_dir: Path) -> Renderer:
        """Loads the scripts and every language's catalog (fuzzy entries are not used)."""
        return cls(*cls._load(responses_dir, locales_dir))

    def overlaid(self, catalogs: dict[str, Catalog]) -> Renderer:
        """A renderer with the same scripts whose languages in ``catalogs`` use those
        catalogs instead of the shipped ones (published staff versions)."""
        translations = dict(self._translations)
        translations.update({lang: translations_of(c) for lang, c in catalogs.items()})
        return Renderer(self.sources, translations)

    def replace_with(self, other: Renderer) -> None:
        """Takes ``other``'s texts in one step (holders of this renderer see them at once)."""
        self.sources, self._translations = other.sources, other._translations

    @staticmethod
    def _load(responses_dir: Path, locales_dir: Path
              ) -> tuple[dict[str, SourceMessage], dict[str, dict[tuple[str, str], str]]]:
        sources = load_sources(responses_dir)
        translations: dict[str, dict[tuple[str, str], str]] = {}
        for language in SUPPORTED:
            po = locales_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"
            if not po.exists():
                continue
            translations[language] = translations_of(load_catalog(po))
        return sources, translations

    def has(self, key: str) -> bool:
        return key in self.sources

    def text(self, key: str, language: str, **values: object) -> str:
        """The message's text in ``language`` (English when untranslated), formatted."""
        source = self.sources[key]
        translated = self._translations.get(language, {}).get((key, source.text), source.text)
        try:
            return translated.format(**values)
        except (KeyError, IndexError, ValueError):
            # A broken translation must never stop a reply: fall back to the source.
            return source.text.format(**values)

    def button(self, key: str, language: str) -> Button:
        """One button of the scripts (``btn_*``), its title in ``language``."""
        return Button(self.text(key, language), str(self.sources[key].payload))

    def render(self, key: str, language: str, **values: object) -> Reply:
        """A full reply: translated text plus translated buttons."""
        source = self.sources[key]
        buttons = tuple(self.button(b, language) for b in source.buttons)
        return Reply(self.text(key, language, **values), buttons)

    def is_translated(self, key: str, language: str) -> bool:
        """Whether ``language`` has a current translation of ``key`` (not the fallback)."""
        source = self.sources[key]
        return (key, source.text) in self._translations.get(language, {})

    def translated_share(self, language: str) -> float:
        """Share of translatable messages with a current translation in ``language``."""
        table = self._translations.get(language, {})
        wanted = [m for m in self.sources.values() if translatable(m.key)]
        done = sum(1 for m in wanted if (m.key, m.text) in table)
        return done / max(1, len(wanted))
