"""Catalogs that staff edit by hand: reading an uploaded ``.po`` with line-precise errors,
validating it against the response scripts, per-message review marks, what changed between
two versions, and translation coverage. Pure: text in, results out (no database, no Telegram).

A version's ``.po`` says which published version it was exported from in the header line
``X-Jaga-Base: <language> <number>`` (version 0 is the catalog shipped in ``locales/``), so a
draft made from an old export can never silently undo a later publish.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import PoFileError, read_po, write_po

from bot.i18n.check import check_catalog, check_lengths
from bot.i18n.responses import (
    DOMAIN,
    ResponseError,
    SourceMessage,
    load_sources,
    translatable,
)
from bot.i18n.workflow import TRANSLATED

BASE_HEADER = "X-Jaga-Base"
_BASE = re.compile(rf'^"{BASE_HEADER}:\s*([A-Za-z_]+)\s+([0-9]+)\s*\\n"\s*$', re.MULTILINE)
# A translator comment ``# reviewed: <name> <YYYY-MM-DD>`` marks one message as read and
# approved by a native speaker; the AI drafts carry ``# Draft: not reviewed ...`` instead.
REVIEW_PREFIX = "reviewed:"
_REVIEW = re.compile(r"^reviewed:\s*(\S.*?)\s+([0-9]{4}-[0-9]{2}-[0-9]{2})\s*$")
DRAFT_PREFIX = "draft:"
MAX_UPLOAD_BYTES = 1_000_000
_STRING = r'"(?:[^"\\]|\\.)*"'
_LINE = re.compile(rf"^\s*(?:#.*|(?:msgctxt|msgid|msgid_plural|msgstr(?:\[[0-9]+\])?)\s+"
                   rf"{_STRING}|{_STRING})?\s*$")


def parse_po(text: str, name: str = "upload.po") -> Catalog:
    """Parses ``.po`` text; a syntax error names the line (counted from 1). Every line is
    checked first, as babel lets an unterminated string pass."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not _LINE.match(line):
            raise ResponseError(f"{name}:{number}: not valid .po syntax: {line[:60]!r}")
    try:
        return read_po(io.StringIO(text), abort_invalid=True)
    except PoFileError as exc:
        reason = str(exc.args[0]).rsplit(" on ", 1)[0] if exc.args else "invalid"
        raise ResponseError(f"{name}:{exc.lineno + 1}: {reason}") from exc
    except Exception as exc:  # babel raises ValueError and others on odd input
        raise ResponseError(f"{name}: not a valid .po file ({exc})") from exc


def base_of(text: str) -> tuple[str, int] | None:
    """The language and published version a ``.po`` was exported from, if it says."""
    match = _BASE.search(text)
    return (match.group(1), int(match.group(2))) if match else None


def review_mark(message: Message) -> tuple[str | None, str | None]:
    """``(mark, problem)``: the message's review mark (``"<name> <date>"``), or why the
    translator comments do not make a valid one."""
    comments = [c.strip() for c in message.user_comments]
    marks = [c for c in comments if c.lower().startswith(REVIEW_PREFIX)]
    if not marks:
        return None, None
    match = _REVIEW.match(marks[-1])
    if match is None:
        return None, "review mark must read 'reviewed: <name> <YYYY-MM-DD>'"
    try:
        date.fromisoformat(match.group(2))
    except ValueError:
        return None, f"review mark has no valid date ({match.group(2)})"
    if any(c.lower().startswith(DRAFT_PREFIX) for c in comments):
        return None, "has both a review mark and the 'Draft: not reviewed' line; delete the " \
                     "draft line"
    return f"{match.group(1)} {match.group(2)}", None


@dataclass(frozen=True)
class Contents:
    """What one catalog version serves: translations and review marks, by message id."""

    texts: dict[str, str] = field(default_factory=dict)
    reviewed: dict[str, str] = field(default_factory=dict)


@dataclass
class Validation:
    """An uploaded ``.po`` checked against the scripts: errors, or what it would serve."""

    language: str | None = None
    base: int | None = None
    errors: list[str] = field(default_factory=list)
    contents: Contents = field(default_factory=Contents)
    missing: list[str] = field(default_factory=list)


def contents_of(catalog: Catalog, sources: Mapping[str, SourceMessage], language: str,
                name: str = "messages.po") -> tuple[Contents, list[str]]:
    """The translations that pass the release check, their review marks, and every problem
    (``name:line: ...``)."""
    checked = check_catalog(catalog, name, sources)
    reviewed: dict[str, str] = {}
    errors = list(checked.errors)
    for message in catalog:
        key = str(message.context)
        if not message.id or key not in checked.texts:
            continue
        mark, problem = review_mark(message)
        if problem:
            errors.append(f"{name}:{message.lineno}: {key} {problem}")
        elif mark:
            reviewed[key] = mark
    length_errors, _ = check_lengths(language, sources, checked.texts)
    errors.extend(length_errors)
    return Contents(checked.texts, reviewed), errors


def validate(text: str, sources: Mapping[str, SourceMessage], name: str = "upload.po"
             ) -> Validation:
    """Everything that must hold before a staff upload may become a draft."""
    result = Validation()
    base = base_of(text)
    if base is None:
        result.errors.append(f"{name}: no '{BASE_HEADER}' header; export the catalog again "
                             "and edit that file")
        return result
    result.language, result.base = base
    if result.language not in TRANSLATED:
        result.errors.append(f"{name}: {result.language!r} is not a translated language "
                             f"({', '.join(TRANSLATED)})")
        return result
    try:
        catalog = parse_po(text, name)
    except ResponseError as exc:
        result.errors.append(str(exc))
        return result
    stated = catalog.locale.language if catalog.locale else None
    if stated and stated != ("fil" if result.language == "tl" else result.language):
        result.errors.append(f"{name}: the Language header says {stated!r}, the "
                             f"{BASE_HEADER} header {result.language!r}")
        return result
    for message in catalog:
        if message.id and str(message.context) in sources \
                and not translatable(str(message.context)):
            result.errors.append(f"{name}:{message.lineno}: {message.context} is not "
                                 "translated (staff messages are English only)")
    result.contents, errors = contents_of(catalog, sources, result.language, name)
    result.errors.extend(errors)
    result.missing = [k for k in sources if translatable(k) and k not in result.contents.texts]
    return result


@dataclass(frozen=True)
class Change:
    """One message that differs between two versions (``None``: not translated there)."""

    key: str
    old: str | None
    new: str | None


@dataclass(frozen=True)
class Changes:
    """Added, changed and removed translations, each with its old and new text."""

    added: tuple[Change, ...] = ()
    changed: tuple[Change, ...] = ()
    removed: tuple[Change, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.added or self.changed or self.removed)

    def summary(self) -> str:
        return (f"{len(self.added)} added, {len(self.changed)} changed, "
                f"{len(self.removed)} removed")

    def to_json(self) -> dict[str, list[dict[str, str | None]]]:
        return {kind: [{"key": c.key, "old": c.old, "new": c.new} for c in changes]
                for kind, changes in (("added", self.added), ("changed", self.changed),
                                      ("removed", self.removed))}

    @classmethod
    def from_json(cls, data: Mapping[str, list[dict[str, str | None]]]) -> Changes:
        def changes(kind: str) -> tuple[Change, ...]:
            return tuple(Change(str(c["key"]), c.get("old"), c.get("new"))
                         for c in data.get(kind, []))
        return cls(changes("added"), changes("changed"), changes("removed"))


def diff(old: Mapping[str, str], new: Mapping[str, str]) -> Changes:
    """What serving ``new`` instead of ``old`` changes, message by message."""
    return Changes(
        tuple(Change(k, None, new[k]) for k in new if k not in old),
        tuple(Change(k, old[k], new[k]) for k in new if k in old and old[k] != new[k]),
        tuple(Change(k, old[k], None) for k in old if k not in new))


@dataclass(frozen=True)
class Coverage:
    """Per language: messages translated, reviewed by a native speaker, and missing."""

    language: str
    translated: int
    reviewed: int
    missing: int

    def line(self) -> str:
        return (f"{self.language}: {self.translated} translated, {self.reviewed} reviewed, "
                f"{self.missing} missing")


def coverage(language: str, contents: Contents, sources: Mapping[str, SourceMessage]
             ) -> Coverage:
    """Counts over the translatable messages; a missing one falls back to English."""
    wanted = [k for k in sources if translatable(k)]
    translated = sum(1 for k in wanted if k in contents.texts)
    reviewed = sum(1 for k in wanted if k in contents.texts and k in contents.reviewed)
    return Coverage(language, translated, reviewed, len(wanted) - translated)


def export_text(text: str, language: str, number: int) -> str:
    """The catalog ``text`` re-written with the header that names its version."""
    catalog = parse_po(text)
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100)
    written = buffer.getvalue().decode("utf-8")
    header_end = written.index('msgstr ""\n') + len('msgstr ""\n')
    return (written[:header_end] + f'"{BASE_HEADER}: {language} {number}\\n"\n'
            + written[header_end:])



def shipped_coverage(root: Path) -> list[Coverage]:
    """Coverage of the catalogs shipped in ``locales/`` (version 0 of every language)."""
    sources = load_sources(root / "responses")
    rows = []
    for language in TRANSLATED:
        path = root / "locales" / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        served = Contents()
        if path.exists():
            served, _ = contents_of(parse_po(path.read_text(encoding="utf-8"), str(path)),
                                    sources, language)
        rows.append(coverage(language, served, sources))
    return rows
