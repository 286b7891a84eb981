"""Burmese typed in the legacy Zawgyi font encoding, detected and converted to Unicode."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

_MYANMAR = re.compile(r"[\u1000-\u109f]")
THRESHOLD = 0.99  # short Unicode words can score 0.95 (e.g. "ဘာသာစကား")


@cache
def _detector() -> Any:
    from myanmartools import ZawgyiDetector

    return ZawgyiDetector()


@cache
def _converter() -> Any:
    import icu

    return icu.Transliterator.createInstance("Zawgyi-my")


def zawgyi_probability(text: str) -> float:
    """Probability (0..1) that Myanmar-script ``text`` is Zawgyi; 0 for any other text."""
    if not _MYANMAR.search(text):
        return 0.0
    return float(_detector().get_zawgyi_probability(text))


def to_unicode(text: str) -> str:
    """Returns ``text`` converted from Zawgyi when it is Zawgyi, else unchanged."""
    if zawgyi_probability(text) < THRESHOLD:
        return text
    return str(_converter().transliterate(text))
