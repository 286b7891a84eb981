"""Names of countries, nationalities, places and languages in every language, and their codes.

Rasa's regex extractor finds the words (patterns generated from the same data); this module
turns what it found, or what a button sent, into codes: ``"Kamboja"`` -> ``KH``,
``"WNI"`` -> ``ID``, ``"KK Park"`` -> place ``kk_park`` in ``MM``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

KINDS = ("countries", "nationalities", "places", "languages")
_SPACELESS = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")


def fold(text: str) -> str:
    """Case-, accent- and spacing-insensitive form used for matching names."""
    decomposed = unicodedata.normalize("NFKD", text.replace("đ", "d").replace("Đ", "D"))
    kept = "".join(ch for ch in decomposed if not (unicodedata.combining(ch) and
                                                   ord(ch) < 0x0E00))
    return re.sub(r"[\s.'’_-]+", " ", unicodedata.normalize("NFC", kept)).strip().casefold()


def is_spaceless(term: str) -> bool:
    """True for Thai, Lao, Burmese and Khmer, written without spaces between words."""
    return bool(_SPACELESS.search(term))


@dataclass
class Gazetteer:
    """Lookup from a folded name to its code, per kind of name."""

    names: dict[str, dict[str, str]] = field(default_factory=lambda: {k: {} for k in KINDS})
    spellings: dict[str, set[str]] = field(default_factory=lambda: {k: set() for k in KINDS})
    place_country: dict[str, str] = field(default_factory=dict)
    place_point: dict[str, tuple[float, float]] = field(default_factory=dict)

    @classmethod
    def build(cls, per_language: Iterable[Mapping[str, Any]],
              places: Mapping[str, Mapping[str, Any]]) -> Gazetteer:
        """From the gazetteer files (one mapping per language) and ``places.yml``."""
        gazetteer = cls()
        for code, place in places.items():
            gazetteer.place_country[code] = str(place["country"])
            point = place_point(str(code), place)
            if point is not None:
                gazetteer.place_point[code] = point
            for name in place.get("names") or ():
                gazetteer.add("places", str(name), code)
        for data in per_language:
            for kind in KINDS:
                for code, terms in (data.get(kind) or {}).items():
                    for term in terms or ():
                        gazetteer.add(kind, str(term), str(code))
        return gazetteer

    def add(self, kind: str, term: str, code: str) -> None:
        key = fold(term)
        if key:
            self.names[kind].setdefault(key, code)
            self.spellings[kind].add(" ".join(term.casefold().split()))

    def terms(self, kind: str) -> list[str]:
        """Every spelling of ``kind`` (lower case), longest first so longer names win."""
        return sorted(self.spellings[kind], key=lambda t: (-len(t), t))

    def lookup(self, kind: str, text: str | None) -> str | None:
        """The code for a name or a code (``"KH"``, ``"kk_park"``, ``"th"``), else None."""
        if not text:
            return None
        raw = text.strip()
        table = self.names[kind]
        codes = set(table.values()) | (set(self.place_country) if kind == "places" else set())
        for candidate in (raw, raw.upper(), raw.lower()):
            if candidate in codes:
                return candidate
        if kind in ("countries", "nationalities") and len(raw) == 2 and raw.isupper() \
                and raw.isascii() and raw.isalpha():
            return raw  # an ISO 3166 code from a button payload
        return table.get(fold(raw))

    def country_of_place(self, place: str) -> str | None:
        return self.place_country.get(place)

    def point_of_place(self, place: str | None) -> tuple[float, float] | None:
        """The place's (latitude, longitude) when a source gives it, else None."""
        return self.place_point.get(place) if place else None


def place_point(code: str, place: Mapping[str, Any]) -> tuple[float, float] | None:
    """A place's ``point``, refused without ``point_source`` and ``point_read`` (coordinates
    people are routed by must say where they come from) or outside the globe."""
    point = place.get("point")
    if point is None:
        return None
    if not (place.get("point_source") and place.get("point_read")):
        raise ValueError(f"places.yml: {code} has a point without point_source and point_read")
    latitude, longitude = (float(x) for x in point)
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        raise ValueError(f"places.yml: {code} has a point outside the globe: {point}")
    return latitude, longitude
