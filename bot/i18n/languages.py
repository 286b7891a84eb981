"""The supported languages and how a user's language is negotiated."""

from __future__ import annotations

from functools import cache

from babel import Locale, UnknownLocaleError

SUPPORTED: tuple[str, ...] = ("en", "id", "tl", "vi", "my", "km", "th", "lo")
DEFAULT = "en"

# Telegram and phones report Filipino as "fil"; Babel knows it as "fil", gettext as "tl".
_ALIASES = {"fil": "tl", "in": "id", "bur": "my", "khm": "km", "lao": "lo"}

# The country whose citizens most often write a language (used only as a first guess
# of nationality, always shown to the user and changeable).
LIKELY_NATIONALITY = {"id": "ID", "tl": "PH", "vi": "VN", "my": "MM", "km": "KH", "th": "TH",
                      "lo": "LA"}


def normalise(code: str | None) -> str | None:
    """Maps a language tag (``id-ID``, ``fil``, ``pt_BR``) to a supported code, or None."""
    if not code:
        return None
    tag = code.strip().replace("-", "_")
    if not tag:
        return None
    base = tag.split("_")[0].lower()
    base = _ALIASES.get(base, base)
    if base in SUPPORTED:
        return base
    try:
        parsed = Locale.parse(tag)
    except (ValueError, UnknownLocaleError):
        return None
    language = _ALIASES.get(parsed.language, parsed.language)
    return language if language in SUPPORTED else None


def negotiate(stored: str | None, telegram_code: str | None, default: str = DEFAULT) -> str:
    """A stored user choice wins, then the client's language, then the default."""
    return normalise(stored) or normalise(telegram_code) or normalise(default) or DEFAULT


@cache
def native_name(code: str) -> str:
    """The language's name in its own language and script (Babel's CLDR data)."""
    babel_code = "fil" if code == "tl" else code
    name = Locale.parse(babel_code).get_display_name(babel_code) or code
    return name[:1].upper() + name[1:]
