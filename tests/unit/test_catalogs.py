"""Staff uploads of a catalog: every kind of problem is refused with its line; changes, review
marks and coverage are counted right."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.pofile import write_po

from bot.i18n.catalogs import (
    Changes,
    contents_of,
    coverage,
    diff,
    export_text,
    parse_po,
    shipped_coverage,
    validate,
)
from bot.i18n.responses import SourceMessage, load_sources
from bot.i18n.workflow import TRANSLATED
from bot.settings import PROJECT_ROOT

SOURCES = load_sources(PROJECT_ROOT / "responses")


def shipped(language: str) -> str:
    return (PROJECT_ROOT / "locales" / language / "LC_MESSAGES" / "messages.po").read_text(
        encoding="utf-8")


def edited(language: str, texts: dict[str, str | None] | None = None,
           comments: dict[str, list[str]] | None = None, base: int = 0,
           fuzzy: tuple[str, ...] = ()) -> str:
    """The shipped catalog exported as version ``base``, with some messages edited as a
    translator would in a PO editor (``None``: translation deleted)."""
    catalog = parse_po(shipped(language))
    for message in catalog:
        key = str(message.context)
        if texts and key in texts:
            message.string = texts[key] or ""
        if comments and key in comments:
            message.user_comments = comments[key]
        if key in fuzzy:
            message.flags.add("fuzzy")
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=100)
    return export_text(buffer.getvalue().decode("utf-8"), language, base)


def line_of(text: str, key: str) -> int:
    """The line of a message's msgid (counted from 1), where errors point."""
    return text.splitlines().index(f'msgctxt "{key}"') + 2


def test_the_shipped_catalogs_export_and_validate_unchanged() -> None:
    for language in TRANSLATED:
        result = validate(export_text(shipped(language), language, 0), SOURCES)
        assert result.errors == [], (language, result.errors[:3])
        assert (result.language, result.base) == (language, 0)
        assert result.missing == []


def test_a_broken_placeholder_is_refused_with_its_line() -> None:
    text = edited("id", {"msg_contacts_host": "Nomor lokal di {negara}:"})
    errors = validate(text, SOURCES).errors
    assert len(errors) == 1
    assert errors[0].startswith(f"upload.po:{line_of(text, 'msg_contacts_host')}: "
                                "msg_contacts_host placeholders ['negara']")


def test_a_missing_translation_is_allowed_and_counted_as_missing() -> None:
    text = edited("vi", {"utter_goodbye": None})
    result = validate(text, SOURCES)
    assert result.errors == []
    assert result.missing == ["utter_goodbye"]
    row = coverage("vi", result.contents, SOURCES)
    assert (row.translated, row.missing) == (len(SOURCES_TRANSLATABLE) - 1, 1)


SOURCES_TRANSLATABLE = [k for k in SOURCES if not k.startswith("staff_")]


@pytest.mark.parametrize("broken", [
    'msgctxt "utter_goodbye"\nmsgid "Bye"\nmsgstr "unterminated\n',
    'msgctxt "utter_goodbye"\nmsgid "Bye"\nmsgstray "x"\n',
])
def test_an_invalid_po_is_refused_with_its_line(broken: str) -> None:
    text = export_text(shipped("th"), "th", 0)
    lines = text.splitlines()
    broken_text = "\n".join([*lines, "", *broken.splitlines()]) + "\n"
    errors = validate(broken_text, SOURCES).errors
    assert len(errors) == 1
    assert errors[0].startswith(f"upload.po:{len(lines) + 4}:"), errors  # the msgstr line


def test_a_too_long_message_is_refused() -> None:
    errors = validate(edited("km", {"utter_goodbye": "ល" * 4100}), SOURCES).errors
    assert errors == ["km: utter_goodbye is over 4096 characters"]


def test_fuzzy_unknown_and_headerless_uploads_are_refused() -> None:
    text = edited("lo", fuzzy=("utter_goodbye",))
    assert "utter_goodbye is fuzzy" in validate(text, SOURCES).errors[0]
    unknown = export_text(shipped("lo"), "lo", 0) + \
        '\nmsgctxt "utter_not_a_message"\nmsgid "Hi"\nmsgstr "ສະບາຍດີ"\n'
    assert "utter_not_a_message is obsolete" in validate(unknown, SOURCES).errors[0]
    assert "X-Jaga-Base" in validate(shipped("lo"), SOURCES).errors[0]
    other = export_text(shipped("lo"), "th", 0)
    assert "Language header says 'lo'" in validate(other, SOURCES).errors[0]


def test_review_marks_count_only_when_well_formed_and_never_for_drafts() -> None:
    good = edited("th", comments={"utter_goodbye": ["reviewed: Somchai 2026-12-01"]})
    result = validate(good, SOURCES)
    assert result.errors == []
    assert result.contents.reviewed == {"utter_goodbye": "Somchai 2026-12-01"}
    assert coverage("th", result.contents, SOURCES).reviewed == 1

    both = edited("th", comments={"utter_goodbye": ["Draft: not reviewed by a native speaker",
                                                     "reviewed: Somchai 2026-12-01"]})
    assert "delete the draft line" in validate(both, SOURCES).errors[0]
    undated = edited("th", comments={"utter_goodbye": ["reviewed: Somchai"]})
    assert "reviewed: <name> <YYYY-MM-DD>" in validate(undated, SOURCES).errors[0]
    bad_date = edited("th", comments={"utter_goodbye": ["reviewed: Somchai 2026-13-40"]})
    assert "no valid date" in validate(bad_date, SOURCES).errors[0]


def test_the_shipped_ai_drafts_count_as_translated_but_never_reviewed() -> None:
    rows = shipped_coverage(PROJECT_ROOT)
    assert [r.language for r in rows] == list(TRANSLATED)
    assert all(r.reviewed == 0 and r.missing == 0 for r in rows)
    assert all(r.translated == len(SOURCES_TRANSLATABLE) for r in rows)


def test_diff_lists_added_changed_and_removed_with_old_and_new_text() -> None:
    old = {"a": "one", "b": "two", "c": "three"}
    new = {"a": "one", "b": "TWO", "d": "four"}
    changes = diff(old, new)
    assert [(c.key, c.old, c.new) for c in changes.added] == [("d", None, "four")]
    assert [(c.key, c.old, c.new) for c in changes.changed] == [("b", "two", "TWO")]
    assert [(c.key, c.old, c.new) for c in changes.removed] == [("c", "three", None)]
    assert changes.summary() == "1 added, 1 changed, 1 removed"
    assert Changes.from_json(changes.to_json()) == changes
    assert not diff(old, old)


def test_contents_leave_out_what_no_longer_matches_the_english(tmp_path: Path) -> None:
    sources = dict(SOURCES)
    old = sources["utter_goodbye"]
    sources["utter_goodbye"] = SourceMessage(old.key, old.text + " (new English)", old.note)
    served, errors = contents_of(parse_po(shipped("id")), sources, "id")
    assert "utter_goodbye" not in served.texts
    assert any("utter_goodbye is obsolete" in e for e in errors)


def test_the_coverage_command_prints_every_language(capsys: pytest.CaptureFixture[str]
                                                    ) -> None:
    from bot.__main__ import main

    main(["responses", "coverage"])
    out = capsys.readouterr().out
    for language in TRANSLATED:
        assert f"{language}: {len(SOURCES_TRANSLATABLE)} translated, 0 reviewed, 0 missing" \
            in out
