"""Country names in the user's language, from Babel's CLDR data."""

from __future__ import annotations

from functools import cache

from babel import Locale


@cache
def _territories(language: str) -> dict[str, str]:
    return dict(Locale.parse("fil" if language == "tl" else language).territories)


def country_name(code: str, language: str) -> str:
    """``country_name("KH", "id")`` -> ``"Kamboja"``; the code itself when unknown."""
    return _territories(language).get(code.upper(), code.upper())
