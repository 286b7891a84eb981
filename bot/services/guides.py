"""Safe-migration guides: the official steps per origin country, and a person's way through them.

A guide comes from ``data/guides/<CC>.yml`` (read by :mod:`bot.guide_data`). The step texts are
response ids (``responses/guides.yml``), so they are translated like every other message; phone
numbers, e-mail addresses and links stay in the data, each with its source and the source's date,
because people call these numbers and must see how old they are. A phone or e-mail without a
source or date is refused.

Navigation is pure: a :class:`Progress` goes in, a new one comes out; storing it is the caller's
business.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

# The usual step ids, in their usual order; a guide may use others when its source has them.
STEP_IDS = ("get_info", "check_agency", "register", "visa_contract", "pre_departure",
            "insurance", "documents", "report_abroad", "who_to_call")

TRUST_LEVELS = ("GOV", "NEWS", "NGO", "LOW")
UNDATED = "undated"

# Likely origin country from the language a person writes in ("en" tells nothing).
LANGUAGE_ORIGINS = {"id": "ID", "tl": "PH", "fil": "PH", "vi": "VN", "my": "MM", "km": "KH",
                    "th": "TH", "lo": "LA"}

_COUNTRY = re.compile(r"^[A-Z]{2}$")
_STEP_ID = re.compile(r"^[a-z][a-z0-9_]*$")
_TEXT_ID = re.compile(r"^[a-z][A-Za-z0-9_]*$")
_SOURCE = re.compile(r"^(\[[A-Z]\d+[a-z]?\])+$")
_DAY = r"\d{4}(-\d{2}(-\d{2})?)?"
_DATE = re.compile(rf"^(c\. )?{_DAY}( to {_DAY})?$|^{UNDATED}$")

_GUIDE_KEYS = {"country", "reviewed", "steps", "destinations"}
_ITEM_KEYS = {"text", "links", "phones", "emails", "sources", "source_dates"}
_STEP_KEYS = _ITEM_KEYS | {"id"}
_PHONE_KEYS = {"label", "number", "source", "source_date", "trust"}
_EMAIL_KEYS = {"label", "address", "source", "source_date", "trust"}
_LINK_KEYS = {"label", "url"}


class GuideError(ValueError):
    """A guide is unusable; the message names the country and the step."""


@dataclass(frozen=True)
class Phone:
    """A number to call, as its source printed it."""

    label: str
    number: str
    source: str
    source_date: str
    trust: str = ""


@dataclass(frozen=True)
class Email:
    """An e-mail address, as its source printed it."""

    label: str
    address: str
    source: str
    source_date: str
    trust: str = ""


@dataclass(frozen=True)
class Link:
    """An official web address, as its source printed it (not always with a scheme)."""

    label: str
    url: str


@dataclass(frozen=True)
class GuideItem:
    """Words (a response id) with the contacts and sources that go with them."""

    key: str
    text: str
    links: tuple[Link, ...] = ()
    phones: tuple[Phone, ...] = ()
    emails: tuple[Email, ...] = ()
    sources: tuple[str, ...] = ()
    source_dates: tuple[str, ...] = ()

    @property
    def citations(self) -> tuple[tuple[str, str], ...]:
        """Each source with its date, e.g. ``(("[S23]", "2025-04-10"),)``."""
        return tuple(zip(self.sources, self.source_dates, strict=True))


class GuideStep(GuideItem):
    """One step of a guide; ``key`` is the step id."""

    @property
    def id(self) -> str:
        return self.key


class DestinationNote(GuideItem):
    """What the sources say about going from the guide's country to one destination."""

    @property
    def country(self) -> str:
        """The destination (ISO alpha-2)."""
        return self.key


@dataclass(frozen=True)
class Guide:
    """The ordered official steps for people from one origin country."""

    country: str
    reviewed: bool
    steps: tuple[GuideStep, ...]
    destinations: tuple[DestinationNote, ...] = ()

    @property
    def total(self) -> int:
        return len(self.steps)

    @property
    def step_ids(self) -> tuple[str, ...]:
        return tuple(step.id for step in self.steps)

    @property
    def destination_codes(self) -> tuple[str, ...]:
        return tuple(note.country for note in self.destinations)

    def destination(self, country: str | None) -> DestinationNote | None:
        """The note for ``country`` (ISO alpha-2, any case), or None."""
        code = (country or "").strip().upper()
        return next((n for n in self.destinations if n.country == code), None)

    def items(self) -> tuple[GuideStep | DestinationNote, ...]:
        """The steps, then the destination notes."""
        return (*self.steps, *self.destinations)

    def phones(self) -> tuple[Phone, ...]:
        """Every phone of the guide, steps first, then destination notes."""
        return tuple(phone for item in self.items() for phone in item.phones)

    def emails(self) -> tuple[Email, ...]:
        return tuple(email for item in self.items() for email in item.emails)

    def links(self) -> tuple[Link, ...]:
        return tuple(link for item in self.items() for link in item.links)


@dataclass(frozen=True)
class Progress:
    """Where one person is in one guide, and which steps they have marked done."""

    country: str
    step_index: int = 0
    done: frozenset[str] = frozenset()


# --- parsing ---------------------------------------------------------------------------------


def parse_guide(data: Mapping[str, Any]) -> Guide:
    """Builds a guide from its YAML mapping; raises :class:`GuideError` naming what is wrong."""
    if not isinstance(data, Mapping):
        raise GuideError("a guide must be a mapping")
    country = data.get("country")
    if not isinstance(country, str) or not _COUNTRY.match(country):
        raise GuideError(f"country must be an ISO alpha-2 code in capitals, not {country!r}")
    where = f"guide {country}"
    _no_unknown_keys(data, _GUIDE_KEYS, where)
    reviewed = data.get("reviewed", False)
    if not isinstance(reviewed, bool):
        raise GuideError(f"{where}: reviewed must be true or false")
    raw_steps = data.get("steps")
    if not isinstance(raw_steps, Sequence) or isinstance(raw_steps, str) or not raw_steps:
        raise GuideError(f"{where}: steps must be a non-empty list")
    steps: list[GuideStep] = []
    seen: set[str] = set()
    for position, raw in enumerate(raw_steps, start=1):
        if not isinstance(raw, Mapping):
            raise GuideError(f"{where}, step {position}: must be a mapping")
        step_id = raw.get("id")
        if not isinstance(step_id, str) or not _STEP_ID.match(step_id):
            raise GuideError(f"{where}, step {position}: id must be lower_snake_case, "
                             f"not {step_id!r}")
        step_where = f"{where}, step {step_id!r}"
        if step_id in seen:
            raise GuideError(f"{step_where}: id is used twice")
        seen.add(step_id)
        _no_unknown_keys(raw, _STEP_KEYS, step_where)
        fields = _item_fields(raw, step_where)
        steps.append(GuideStep(step_id, *fields))
    raw_destinations = data.get("destinations") or {}
    if not isinstance(raw_destinations, Mapping):
        raise GuideError(f"{where}: destinations must be a mapping of country codes")
    notes: list[DestinationNote] = []
    for code, raw in raw_destinations.items():
        if not isinstance(code, str) or not _COUNTRY.match(code):
            raise GuideError(f"{where}: destination {code!r} is not an ISO alpha-2 code")
        note_where = f"{where}, destination {code}"
        if code == country:
            raise GuideError(f"{note_where}: a guide cannot be its own destination")
        if not isinstance(raw, Mapping):
            raise GuideError(f"{note_where}: must be a mapping")
        _no_unknown_keys(raw, _ITEM_KEYS, note_where)
        notes.append(DestinationNote(code, *_item_fields(raw, note_where)))
    return Guide(country, reviewed, tuple(steps), tuple(notes))


_ItemFields = tuple[str, tuple[Link, ...], tuple[Phone, ...], tuple[Email, ...],
                    tuple[str, ...], tuple[str, ...]]


def _item_fields(raw: Mapping[str, Any], where: str) -> _ItemFields:
    """The fields shared by steps and destination notes, validated."""
    text = raw.get("text")
    if not isinstance(text, str) or not _TEXT_ID.match(text):
        raise GuideError(f"{where}: text must be a response id, not {text!r}")
    sources = tuple(_strings(raw.get("sources"), where, "sources"))
    dates = tuple(_date(d, where, "source_dates") for d in _list(raw.get("source_dates"), where,
                                                                   "source_dates"))
    if not sources:
        raise GuideError(f"{where}: has no sources")
    if len(sources) != len(dates):
        raise GuideError(f"{where}: {len(sources)} sources but {len(dates)} source_dates "
                         "(give one date per source)")
    for source in sources:
        if not _SOURCE.match(source):
            raise GuideError(f"{where}: source {source!r} is not like '[S23]'")
    links = tuple(_link(item, where) for item in _list(raw.get("links"), where, "links"))
    phones = tuple(_phone(item, where) for item in _list(raw.get("phones"), where, "phones"))
    emails = tuple(_email(item, where) for item in _list(raw.get("emails"), where, "emails"))
    return text, links, phones, emails, sources, dates


def _link(raw: object, where: str) -> Link:
    if not isinstance(raw, Mapping):
        raise GuideError(f"{where}: each link must be a mapping with label and url")
    _no_unknown_keys(raw, _LINK_KEYS, f"{where}, link")
    url = _required(raw, "url", f"{where}, link")
    if any(c.isspace() for c in url):
        raise GuideError(f"{where}, link {url!r}: a URL cannot contain spaces")
    return Link(_required(raw, "label", f"{where}, link {url!r}"), url)


def _phone(raw: object, where: str) -> Phone:
    if not isinstance(raw, Mapping):
        raise GuideError(f"{where}: each phone must be a mapping")
    number = _required(raw, "number", f"{where}, phone")
    here = f"{where}, phone {number!r}"
    _no_unknown_keys(raw, _PHONE_KEYS, here)
    source, date, trust = _provenance(raw, here)
    return Phone(_required(raw, "label", here), number, source, date, trust)


def _email(raw: object, where: str) -> Email:
    if not isinstance(raw, Mapping):
        raise GuideError(f"{where}: each e-mail must be a mapping")
    address = _required(raw, "address", f"{where}, e-mail")
    here = f"{where}, e-mail {address!r}"
    _no_unknown_keys(raw, _EMAIL_KEYS, here)
    if "@" not in address or any(c.isspace() for c in address):
        raise GuideError(f"{here}: not an e-mail address")
    source, date, trust = _provenance(raw, here)
    return Email(_required(raw, "label", here), address, source, date, trust)


def _provenance(raw: Mapping[str, Any], where: str) -> tuple[str, str, str]:
    """Source, source date and trust label of a contact; source and date are required."""
    source = raw.get("source")
    if not isinstance(source, str) or not source.strip():
        raise GuideError(f"{where}: has no source")
    if not _SOURCE.match(source.strip()):
        raise GuideError(f"{where}: source {source!r} is not like '[S23]'")
    if raw.get("source_date") in (None, ""):
        raise GuideError(f"{where}: has no source_date (write '{UNDATED}' if the source "
                         "shows none)")
    date = _date(raw["source_date"], where, "source_date")
    trust = raw.get("trust", "")
    if trust not in ("", *TRUST_LEVELS):
        raise GuideError(f"{where}: trust must be one of {', '.join(TRUST_LEVELS)}")
    return source.strip(), date, str(trust)


def _date(value: object, where: str, name: str) -> str:
    # YAML reads 2025-04-10 as a date and 2024 as a number; both are fine as written.
    if isinstance(value, dt.date):
        value = value.isoformat()
    elif isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str) or not _DATE.match(value.strip()):
        raise GuideError(f"{where}: {name} {value!r} is not a date like '2025-04-10', "
                         f"'2022-08', '2024', 'c. 2021-12' or '{UNDATED}'")
    return value.strip()


def _required(raw: Mapping[str, Any], key: str, where: str) -> str:
    value = raw.get(key)
    if not isinstance(value, str) or not value.strip():
        raise GuideError(f"{where}: {key} is missing or empty")
    return value.strip()


def _list(value: object, where: str, name: str) -> list[object]:
    if value is None:
        return []
    if not isinstance(value, Sequence) or isinstance(value, str):
        raise GuideError(f"{where}: {name} must be a list")
    return list(value)


def _strings(value: object, where: str, name: str) -> list[str]:
    items = _list(value, where, name)
    if not all(isinstance(item, str) and item.strip() for item in items):
        raise GuideError(f"{where}: every entry of {name} must be a non-empty string")
    return [str(item).strip() for item in items]


def _no_unknown_keys(raw: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(str(key) for key in raw if key not in allowed)
    if unknown:
        raise GuideError(f"{where}: unknown key(s) {', '.join(unknown)} "
                         f"(allowed: {', '.join(sorted(allowed))})")


# --- navigation ------------------------------------------------------------------------------


def start(guide: Guide, progress: Progress | None = None) -> Progress:
    """Where to begin: the saved place in this guide if there is one, else the first step."""
    if progress is None or progress.country != guide.country:
        return Progress(guide.country)
    index = min(max(progress.step_index, 0), guide.total - 1)
    return Progress(guide.country, index, progress.done & frozenset(guide.step_ids))


def current_step(guide: Guide, progress: Progress) -> GuideStep:
    """The step ``progress`` points at."""
    return guide.steps[_index(guide, progress)]


def next_step(guide: Guide, progress: Progress) -> Progress:
    """One step forward; stays on the last step."""
    index = min(_index(guide, progress) + 1, guide.total - 1)
    return Progress(guide.country, index, progress.done)


def previous_step(guide: Guide, progress: Progress) -> Progress:
    """One step back; stays on the first step."""
    index = max(_index(guide, progress) - 1, 0)
    return Progress(guide.country, index, progress.done)


def mark_done(guide: Guide, progress: Progress) -> Progress:
    """Marks the current step done and moves one step forward (stays on the last step)."""
    step = current_step(guide, progress)
    advanced = next_step(guide, progress)
    return Progress(guide.country, advanced.step_index, progress.done | {step.id})


def has_next(guide: Guide, progress: Progress) -> bool:
    return _index(guide, progress) < guide.total - 1


def has_previous(guide: Guide, progress: Progress) -> bool:
    return _index(guide, progress) > 0


def is_complete(guide: Guide, progress: Progress) -> bool:
    """True when every step of the guide is marked done."""
    return progress.country == guide.country and set(guide.step_ids) <= progress.done


def checklist(guide: Guide, progress: Progress | None) -> list[tuple[GuideStep, bool]]:
    """Every step in order, with whether the person has marked it done."""
    done = progress.done if progress is not None and progress.country == guide.country \
        else frozenset()
    return [(step, step.id in done) for step in guide.steps]


def step_number(guide: Guide, progress: Progress) -> int:
    """The current step, counted from 1 as people count."""
    return _index(guide, progress) + 1


def _index(guide: Guide, progress: Progress) -> int:
    if progress.country != guide.country:
        raise ValueError(f"progress is for guide {progress.country}, not {guide.country}")
    return min(max(progress.step_index, 0), guide.total - 1)


# --- choosing a guide ------------------------------------------------------------------------


def origin_for(nationality: str | None, language: str | None) -> str | None:
    """The origin country whose guide to offer first.

    The stated nationality wins; otherwise the language hints at it (Indonesian -> ID,
    Filipino -> PH, ...). English and unknown languages give None: ask the person.
    """
    code = (nationality or "").strip().upper()
    if _COUNTRY.match(code):
        return code
    base = re.split(r"[-_]", (language or "").strip().lower(), maxsplit=1)[0]
    return LANGUAGE_ORIGINS.get(base)
