"""The directory of missions and hotlines, and the choice of contacts for one person.

Rows come from ``data/missions.csv``; a row without a source is refused, because people call
these numbers. Every contact keeps its source date so the reply can show it.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

KINDS = ("embassy", "consulate", "national_hotline", "host_hotline", "international")
REQUIRED_COLUMNS = ("nationality", "host_country", "kind", "name", "city", "phone", "whatsapp",
                    "email", "website", "source", "source_date")


class DirectoryError(ValueError):
    """A row of the directory is unusable; the message names the line."""


@dataclass(frozen=True)
class Contact:
    """One mission or hotline, as the source published it."""

    nationality: str
    host_country: str
    kind: str
    name: str
    city: str
    phones: tuple[str, ...]
    whatsapp: str
    email: str
    website: str
    source: str
    source_date: str
    point: tuple[float, float] | None = None

    @property
    def reachable(self) -> bool:
        """True when the row gives a way to reach a person (phone, WhatsApp or email)."""
        return bool(self.phones or self.whatsapp or self.email)


@dataclass(frozen=True)
class ContactSelection:
    """What to show one person: their country's missions where they are, and hotlines."""

    nationality: str | None
    host_country: str | None
    missions: tuple[Contact, ...]
    national_hotlines: tuple[Contact, ...]
    host_hotlines: tuple[Contact, ...]

    @property
    def empty(self) -> bool:
        return not (self.missions or self.national_hotlines or self.host_hotlines)


def parse_directory(text: str) -> tuple[Contact, ...]:
    """Parses the CSV text; raises :class:`DirectoryError` naming the first bad line."""
    reader = csv.DictReader(io.StringIO(text))
    missing = [c for c in REQUIRED_COLUMNS if c not in (reader.fieldnames or [])]
    if missing:
        raise DirectoryError(f"missing columns: {', '.join(missing)}")
    contacts = []
    for line, row in enumerate(reader, start=2):
        kind = (row["kind"] or "").strip()
        if kind not in KINDS:
            raise DirectoryError(f"line {line}: unknown kind {kind!r}")
        if not (row["source"] or "").strip():
            raise DirectoryError(f"line {line}: {row['name']!r} has no source")
        if not (row["name"] or "").strip():
            raise DirectoryError(f"line {line}: no name")
        phones = tuple(p.strip() for p in (row["phone"] or "").split(";") if p.strip())
        try:
            point = (float(row["latitude"]), float(row["longitude"])) \
                if (row.get("latitude") or "").strip() else None
        except ValueError as exc:
            raise DirectoryError(f"line {line}: coordinates are not numbers") from exc
        contacts.append(Contact(
            nationality=(row["nationality"] or "").strip().upper(),
            host_country=(row["host_country"] or "").strip().upper(),
            kind=kind, name=row["name"].strip(), city=(row["city"] or "").strip(),
            phones=phones, whatsapp=(row["whatsapp"] or "").strip(),
            email=(row["email"] or "").strip(), website=(row["website"] or "").strip(),
            source=row["source"].strip(), source_date=(row["source_date"] or "").strip(),
            point=point,
        ))
    return tuple(contacts)


def select_contacts(directory: tuple[Contact, ...], nationality: str | None,
                    host_country: str | None) -> ContactSelection:
    """The contacts for a citizen of ``nationality`` who is in ``host_country``.

    Missions are those of the person's own country in the host country (embassy first);
    national hotlines are their country's lines for citizens abroad; host hotlines are the
    host country's own police and anti-trafficking lines. Rows nobody can call are left out.
    """
    nationality = (nationality or "").upper() or None
    host_country = (host_country or "").upper() or None
    usable = [c for c in directory if c.reachable]
    missions: list[Contact] = []
    if nationality and host_country and host_country != nationality:
        missions = [c for c in usable if c.nationality == nationality
                    and c.host_country == host_country and c.kind in ("embassy", "consulate")]
        missions.sort(key=lambda c: (c.kind != "embassy", c.city))
    national = [c for c in usable if nationality and c.nationality == nationality
                and c.kind == "national_hotline"]
    host = [c for c in usable if host_country and not c.nationality
            and c.host_country == host_country and c.kind == "host_hotline"]
    return ContactSelection(nationality, host_country, tuple(missions), tuple(national),
                            tuple(host))


def nationalities(directory: tuple[Contact, ...]) -> tuple[str, ...]:
    """Every nationality the directory has rows for, sorted."""
    return tuple(sorted({c.nationality for c in directory if c.nationality}))
