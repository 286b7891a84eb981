"""``jaga responses check``: validates the response scripts and every catalog before release.

Errors (exit status 1): a response the dialogue or the code uses is missing; a translation's
placeholders differ from the source; a fuzzy or obsolete entry; an invalid ``.po``; a button
payload over Telegram's 64 bytes; a message longer than Telegram's 4,096 characters once its
placeholders are filled. Untranslated messages are listed (they fall back to English); with
``strict`` they are errors too.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from babel.messages.catalog import Catalog

from bot.i18n.languages import SUPPORTED
from bot.i18n.responses import (
    DOMAIN,
    ResponseError,
    SourceMessage,
    load_catalog,
    load_sources,
    placeholders_of,
    translatable,
)

TELEGRAM_TEXT_LIMIT = 4096
CALLBACK_LIMIT = 64
# Placeholder values as long as real ones get (a long place name, a date, a long quote).
SAMPLE = {"quote": "x" * 200, "why": "y" * 200, "text": "z" * 1500, "contacts": "c" * 200}
_CODE_KEY = re.compile(r"""["'](utter|msg|btn|cmd)_([A-Za-z0-9_]+)["']""")


@dataclass
class Report:
    """What the check found."""

    errors: list[str] = field(default_factory=list)
    untranslated: dict[str, list[str]] = field(default_factory=dict)

    def failed(self, strict: bool) -> bool:
        return bool(self.errors) or (strict and any(self.untranslated.values()))


def used_by_dialogue(root: Path) -> set[str]:
    """``utter_*`` actions in the Rasa rules and stories."""
    used: set[str] = set()
    for path in [*(root / "nlu" / "data").glob("*.yml"), root / "tests/rasa/test_stories.yml"]:
        if not path.exists():
            continue
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        for block in [*(data.get("rules") or []), *(data.get("stories") or [])]:
            for step in block.get("steps") or []:
                action = step.get("action") if isinstance(step, dict) else None
                if isinstance(action, str) and action.startswith("utter_"):
                    used.add(action)
    return used


def used_by_code(root: Path) -> dict[str, str]:
    """Literal response ids in the app's code, with where each is used."""
    used: dict[str, str] = {}
    for path in sorted((root / "bot").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            for match in _CODE_KEY.finditer(line):
                key = f"{match.group(1)}_{match.group(2)}"
                if not key.endswith("_"):
                    used.setdefault(key, f"{path.relative_to(root)}:{number}")
    return used


def check(root: Path, languages: tuple[str, ...] = SUPPORTED) -> Report:
    report = Report()
    try:
        sources = load_sources(root / "responses")
    except (ResponseError, yaml.YAMLError, KeyError) as exc:
        report.errors.append(f"responses/: {exc}")
        return report
    for key in sorted(used_by_dialogue(root) - set(sources)):
        report.errors.append(f"nlu/data: the dialogue uses {key}, which responses/ lacks")
    for key, where in sorted(used_by_code(root).items()):
        if key not in sources:
            report.errors.append(f"{where}: the code uses {key}, which responses/ lacks")
    for key, message in sources.items():
        if message.payload is not None and len(message.payload.encode()) > CALLBACK_LIMIT:
            report.errors.append(f"responses/: button {key} payload is over {CALLBACK_LIMIT} "
                                 "bytes")
    for language in languages:
        _check_language(root, language, sources, report)
    return report


def _check_language(root: Path, language: str, sources: Mapping[str, SourceMessage],
                    report: Report) -> None:
    texts: dict[str, str] = {}
    if language != "en":
        po = root / "locales" / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        if not po.exists():
            report.errors.append(f"{po.relative_to(root)}: missing (run jaga i18n update)")
            return
        try:
            catalog = load_catalog(po)
        except ResponseError as exc:
            report.errors.append(str(exc))
            return
        checked = check_catalog(catalog, str(po.relative_to(root)), sources)
        report.errors.extend(checked.errors)
        texts = checked.texts
    errors, missing = check_lengths(language, sources, texts)
    report.errors.extend(errors)
    if missing:
        report.untranslated[language] = missing


@dataclass
class CatalogCheck:
    """One catalog's problems, and its usable translations by message id."""

    errors: list[str] = field(default_factory=list)
    texts: dict[str, str] = field(default_factory=dict)


def check_catalog(catalog: Catalog, where: str, sources: Mapping[str, SourceMessage]
                  ) -> CatalogCheck:
    """Fuzzy, unknown, obsolete entries and placeholders that differ from the source, each
    with ``where:line``; the translations that pass are the ones the bot would serve."""
    result = CatalogCheck()
    for message in catalog:
        if not message.id:
            continue
        if message.fuzzy:
            result.errors.append(f"{where}:{message.lineno}: {message.context} is fuzzy "
                                 "(a translator must confirm it)")
            continue
        source = sources.get(str(message.context))
        if source is None or source.text != message.id:
            if message.string:
                result.errors.append(f"{where}:{message.lineno}: {message.context} is "
                                     "obsolete (its English changed or was removed)")
            continue
        if message.string:
            expected = placeholders_of(source.text)
            try:
                found = placeholders_of(str(message.string))
            except ResponseError:
                found = frozenset({"(malformed)"})
            if expected != found:
                result.errors.append(
                    f"{where}:{message.lineno}: {message.context} placeholders "
                    f"{sorted(found)} differ from the source {sorted(expected)}")
                continue
            result.texts[str(message.context)] = str(message.string)
    for obsolete in catalog.obsolete.values():
        result.errors.append(f"{where}:{obsolete.lineno}: {obsolete.context} is obsolete")
    return result


def check_lengths(language: str, sources: Mapping[str, SourceMessage],
                  texts: Mapping[str, str]) -> tuple[list[str], list[str]]:
    """Messages over Telegram's limit once filled with long sample values, and the
    translatable messages ``texts`` lacks (they fall back to English)."""
    errors: list[str] = []
    missing = []
    for key, source in sources.items():
        if language != "en" and not translatable(key):
            continue
        text = source.text if language == "en" else texts.get(key)
        if text is None:
            missing.append(key)
            text = source.text
        values = {name: SAMPLE.get(name, "x" * 40) for name in source.placeholders}
        if len(text.format(**values)) > TELEGRAM_TEXT_LIMIT and source.payload is None:
            errors.append(f"{language}: {key} is over {TELEGRAM_TEXT_LIMIT} characters")
    return errors, missing


def format_report(report: Report, total: int) -> str:
    lines = [f"error: {e}" for e in report.errors]
    for language, keys in report.untranslated.items():
        shown = ", ".join(keys[:8]) + (" ..." if len(keys) > 8 else "")
        lines.append(f"{language}: {len(keys)} of {total} messages fall back to English: {shown}")
    lines.append(f"{len(report.errors)} errors")
    return "\n".join(lines)
