"""Babel's extract / update / compile cycle for the response scripts.

``extract`` writes ``locales/messages.pot`` from ``responses/``; ``update`` merges it into each
language's ``.po`` (changed English marks the translation fuzzy, so it is not used until a
translator confirms it); ``compile`` writes ``.mo`` files for tools that want them.
"""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.mofile import write_mo
from babel.messages.pofile import write_po

from bot.i18n.languages import SUPPORTED
from bot.i18n.responses import DOMAIN, load_catalog, load_sources, translatable


def build_template(responses_dir: Path) -> Catalog:
    """A catalog template with one entry per source message, keyed by its id."""
    template = Catalog(project="Jaga", msgid_bugs_address="", header_comment="# Jaga responses")
    for message in load_sources(responses_dir).values():
        if not translatable(message.key):
            continue
        comments = [message.note] if message.note else []
        if message.placeholders:
            comments.append("Placeholders: " + ", ".join(sorted(message.placeholders)))
        template.add(message.text, context=message.key, auto_comments=comments,
                     flags=("python-brace-format",) if message.placeholders else ())
    return template


def extract(responses_dir: Path, locales_dir: Path) -> Path:
    """Writes the template and returns its path."""
    locales_dir.mkdir(parents=True, exist_ok=True)
    target = locales_dir / f"{DOMAIN}.pot"
    with target.open("wb") as handle:
        write_po(handle, build_template(responses_dir), width=100)
    return target


TRANSLATED = tuple(code for code in SUPPORTED if code != "en")  # English is the source


def update(responses_dir: Path, locales_dir: Path, languages: tuple[str, ...] = TRANSLATED
           ) -> list[Path]:
    """Merges the template into every language's catalog, creating missing ones."""
    template = build_template(responses_dir)
    written = []
    for language in languages:
        po = locales_dir / language / "LC_MESSAGES" / f"{DOMAIN}.po"
        if po.exists():
            catalog = load_catalog(po)
        else:
            po.parent.mkdir(parents=True, exist_ok=True)
            catalog = Catalog(locale="fil" if language == "tl" else language, project="Jaga")
        catalog.update(template, no_fuzzy_matching=False)
        with po.open("wb") as handle:
            write_po(handle, catalog, width=100, ignore_obsolete=True)
        written.append(po)
    return written


def compile_catalogs(locales_dir: Path) -> list[Path]:
    """Writes ``.mo`` next to each ``.po`` (fuzzy entries are left out, as gettext does)."""
    written = []
    for po in sorted(locales_dir.glob(f"*/LC_MESSAGES/{DOMAIN}.po")):
        catalog = load_catalog(po)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as handle:
            write_mo(handle, catalog, use_fuzzy=False)
        written.append(mo)
    return written


def review_status(locales_dir: Path) -> dict[str, str]:
    """Each language's review status from ``locales/review.yml`` (default: unreviewed)."""
    import yaml

    path = locales_dir / "review.yml"
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    return {str(k): str((v or {}).get("status", "unreviewed")) for k, v in (data or {}).items()}
