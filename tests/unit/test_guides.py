"""bot/services/guides.py and data/guides/: sourced safe-migration steps, and navigation."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest

from bot.guide_data import load_guide_file, load_guides
from bot.i18n.responses import load_sources
from bot.services.guides import (
    Guide,
    GuideError,
    Progress,
    checklist,
    current_step,
    has_next,
    has_previous,
    is_complete,
    mark_done,
    next_step,
    origin_for,
    parse_guide,
    previous_step,
    start,
)
from bot.settings import PROJECT_ROOT

# A copy of shared/reference/safe-migration.md ships in data/reference/ (same text).
REFERENCE = PROJECT_ROOT / "data" / "reference" / "safe-migration.md"
RED_FLAGS = PROJECT_ROOT / "data" / "reference" / "red-flags.md"
MISSIONS = PROJECT_ROOT / "data" / "missions.csv"
# The origin countries the reference has sourced steps for.
EXPECTED = {"ID", "PH", "VN", "MM", "KH", "LA", "TH", "NP", "IN", "LK", "BD"}
DATE = re.compile(r"^(c\. )?\d{4}(-\d{2}(-\d{2})?)?( to \d{4}(-\d{2}(-\d{2})?)?)?$|^undated$")


@pytest.fixture(scope="module")
def guides() -> dict[str, Guide]:
    return load_guides()


@pytest.fixture(scope="module")
def reference_text() -> str:
    if not REFERENCE.exists():
        pytest.skip(f"{REFERENCE} is not available")
    return REFERENCE.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def sources() -> dict[str, Any]:
    return load_sources(PROJECT_ROOT / "responses")


# --- the real data ---------------------------------------------------------------------------


def test_every_guide_parses_and_covers_the_sourced_countries(guides: dict[str, Guide]) -> None:
    assert set(guides) == EXPECTED
    for code, guide in guides.items():
        assert guide.country == code
        assert guide.total >= 3, code
        assert not guide.reviewed, code  # flip only after a human checked the facts
        assert "who_to_call" in guide.step_ids, code


def test_every_text_id_exists_in_the_guide_responses(guides: dict[str, Guide],
                                                     sources: dict[str, Any]) -> None:
    for guide in guides.values():
        for step in guide.steps:
            assert step.text == f"guide_{guide.country}_{step.id}", step.text
            assert step.text in sources, step.text
        for note in guide.destinations:
            assert note.text == f"guide_{guide.country}_dest_{note.country}", note.text
            assert note.text in sources, note.text


def test_guide_ui_texts_and_buttons_exist(sources: dict[str, Any]) -> None:
    for key in ("guide_ask_origin", "guide_ask_destination", "guide_step_header",
                "guide_checklist_header", "guide_done_all", "guide_not_available",
                "guide_tourist_visa_warning"):
        assert key in sources, key
    assert sources["guide_ask_origin"].text == "Which country are you from?"
    assert sources["guide_step_header"].placeholders == {"number", "total", "country"}
    assert sources["guide_not_available"].placeholders == {"country"}
    assert "tourist" in sources["guide_tourist_visa_warning"].text
    payloads = {f"btn_guide_{nav}": f'/ask_migration_steps{{"guide":"{nav}"}}'
                for nav in ("next", "back", "done", "checklist", "continue")}
    payloads["btn_guide_continue"] = '/ask_migration_steps{"guide":"show"}'
    for key, payload in payloads.items():
        assert sources[key].payload == payload


def test_guide_texts_are_short_and_carry_no_numbers_or_urls(guides: dict[str, Guide],
                                                            sources: dict[str, Any]) -> None:
    guide_texts = {k: m.text for k, m in sources.items() if k.startswith("guide_")}
    numbers = {p.number for g in guides.values() for p in g.phones()}
    for key, text in guide_texts.items():
        assert len(text) <= 600, key
        assert "http" not in text and "www." not in text and "@" not in text, key
        assert not re.search(r"\b[a-z0-9-]+\.(gov|go|com|org|ph|lk|in|vn)\b", text), key
        for number in numbers:
            if len(number) > 4:  # short codes (111, 1343) may be part of a name
                assert number not in text, (key, number)


def test_every_phone_is_in_the_reference_with_source_and_date(
        guides: dict[str, Guide], reference_text: str) -> None:
    missions = MISSIONS.read_text(encoding="utf-8")
    for guide in guides.values():
        assert guide.phones() or guide.country in {"MM", "LA", "NP"}, guide.country
        for phone in guide.phones():
            assert phone.number in reference_text or phone.number in missions, phone
            assert re.fullmatch(r"(\[[ST]\d+b?\])+", phone.source), phone
            assert DATE.match(phone.source_date), phone
            for source in re.findall(r"[ST]\d+b?", phone.source):
                assert cited(source, reference_text), phone


def test_every_email_and_url_is_in_the_reference(guides: dict[str, Guide],
                                                 reference_text: str) -> None:
    for guide in guides.values():
        for email in guide.emails():
            assert email.address in reference_text, email
            assert email.source and DATE.match(email.source_date), email
        for link in guide.links():
            assert link.url in reference_text, link


def cited(source_id: str, reference_text: str) -> bool:
    """True when safe-migration.md cites the id ("[S74]", "[S74, ...]", "(S56)", ...)."""
    return re.search(rf"(?<![A-Za-z0-9]){source_id}(?![A-Za-z0-9])", reference_text) is not None


def test_every_step_cites_reference_sources(guides: dict[str, Guide],
                                           reference_text: str) -> None:
    source_table = RED_FLAGS.read_text(encoding="utf-8") if RED_FLAGS.exists() else ""
    for guide in guides.values():
        for item in guide.items():
            assert item.citations, item
            for source, date in item.citations:
                source_id = source.strip("[]")
                assert cited(source_id, reference_text), (guide.country, item.text, source)
                assert (f"| {source_id} |" in source_table
                        or f"| {source_id} |" in reference_text), (item.text, source)
                assert DATE.match(date), (guide.country, item.text, date)


def test_destination_notes(guides: dict[str, Guide]) -> None:
    assert set(guides["ID"].destination_codes) == {"TH", "MM", "KH"}
    assert guides["LA"].destination("kr") is not None
    assert guides["VN"].destination("MM") is not None
    assert guides["VN"].destination("JP") is None
    assert guides["TH"].destination(None) is None


# --- parsing and validation ------------------------------------------------------------------


def minimal() -> dict[str, Any]:
    return {
        "country": "XX",
        "reviewed": False,
        "steps": [
            {"id": "check_agency", "text": "guide_XX_check_agency", "sources": ["[S22]"],
             "source_dates": ["2022-08"]},
            {"id": "register", "text": "guide_XX_register", "sources": ["[S25]"],
             "source_dates": ["2024"],
             "links": [{"label": "Portal", "url": "https://example.gov"}]},
            {"id": "who_to_call", "text": "guide_XX_who_to_call", "sources": ["[S23]"],
             "source_dates": ["2025-04-10"],
             "phones": [{"label": "Call centre", "number": "0-800-1000", "source": "[S23]",
                         "source_date": "2025-04-10", "trust": "GOV"}]},
        ],
        "destinations": {"MY": {"text": "guide_XX_dest_MY", "sources": ["[S75]"],
                                "source_dates": ["2022-09-22"]}},
    }


def test_minimal_guide_parses() -> None:
    guide = parse_guide(minimal())
    assert guide.step_ids == ("check_agency", "register", "who_to_call")
    assert guide.steps[2].phones[0].number == "0-800-1000"
    assert guide.steps[2].citations == (("[S23]", "2025-04-10"),)
    assert guide.destination("MY") is not None


def test_yaml_dates_are_accepted() -> None:
    import datetime as dt

    data = minimal()
    data["steps"][2]["phones"][0]["source_date"] = dt.date(2025, 4, 10)
    data["steps"][1]["source_dates"] = [2024]
    guide = parse_guide(data)
    assert guide.steps[2].phones[0].source_date == "2025-04-10"
    assert guide.steps[1].source_dates == ("2024",)


@pytest.mark.parametrize("field", ["source", "source_date"])
def test_phone_without_source_or_date_is_refused(field: str) -> None:
    data = minimal()
    del data["steps"][2]["phones"][0][field]
    with pytest.raises(GuideError, match=r"guide XX, step 'who_to_call', phone '0-800-1000'"):
        parse_guide(data)


def test_phone_with_blank_source_is_refused() -> None:
    data = minimal()
    data["steps"][2]["phones"][0]["source"] = "  "
    with pytest.raises(GuideError, match="has no source"):
        parse_guide(data)


@pytest.mark.parametrize("mutate, message", [
    (lambda d: d["steps"].append(copy.deepcopy(d["steps"][0])), "used twice"),
    (lambda d: d.update(country="Indonesia"), "ISO alpha-2"),
    (lambda d: d.update(steps=[]), "non-empty list"),
    (lambda d: d["steps"][0].update(sources=[]), "no sources"),
    (lambda d: d["steps"][0].update(source_dates=[]), "1 sources but 0 source_dates"),
    (lambda d: d["steps"][0].update(source_dates=["last year"]), "not a date"),
    (lambda d: d["steps"][0].update(sources=["Kompas"]), "not like"),
    (lambda d: d["steps"][0].update(phone=[]), "unknown key"),
    (lambda d: d["steps"][1]["links"].append({"label": "x", "url": "a b"}), "spaces"),
    (lambda d: d["steps"][2]["phones"][0].update(trust="MAYBE"), "trust"),
    (lambda d: d["destinations"].update(XX={"text": "t", "sources": ["[S1]"],
                                            "source_dates": ["2020"]}), "own destination"),
    (lambda d: d.update(destinations={"Gulf": {}}), "ISO alpha-2"),
])
def test_invalid_guides_are_refused(mutate: Any, message: str) -> None:
    data = minimal()
    mutate(data)
    with pytest.raises(GuideError, match=message):
        parse_guide(data)


def test_loader_names_the_file(tmp_path: Path) -> None:
    bad = tmp_path / "XX.yml"
    bad.write_text("country: XX\nsteps:\n  - id: who_to_call\n    text: t\n"
                   "    sources: ['[S1]']\n    source_dates: ['2020']\n"
                   "    phones: [{label: L, number: '117'}]\n", encoding="utf-8")
    with pytest.raises(GuideError, match=r"^XX\.yml: guide XX, step 'who_to_call', phone '117'"):
        load_guide_file(bad)
    wrong_name = tmp_path / "YY.yml"
    wrong_name.write_text(bad.read_text().replace("number: '117'",
                                                  "number: '117', source: '[S1]', "
                                                  "source_date: '2020'"), encoding="utf-8")
    with pytest.raises(GuideError, match=r"YY\.yml: holds the guide for XX"):
        load_guide_file(wrong_name)
    twice = tmp_path / "ZZ.yml"
    twice.write_text("country: ZZ\ncountry: ZZ\n", encoding="utf-8")
    with pytest.raises(GuideError, match=r"ZZ\.yml: .*given twice"):
        load_guide_file(twice)


# --- navigation ------------------------------------------------------------------------------


@pytest.fixture()
def guide() -> Guide:
    return parse_guide(minimal())


def test_start_fresh_and_resume(guide: Guide) -> None:
    fresh = start(guide, None)
    assert fresh == Progress("XX", 0, frozenset())
    saved = Progress("XX", 2, frozenset({"check_agency", "gone_step"}))
    resumed = start(guide, saved)
    assert resumed.step_index == 2
    assert resumed.done == {"check_agency"}  # a step removed from the guide is forgotten
    assert start(guide, Progress("PH", 2, frozenset({"check_agency"}))) == fresh
    assert start(guide, Progress("XX", 99)).step_index == guide.total - 1


def test_next_and_back_stay_in_bounds(guide: Guide) -> None:
    progress = start(guide)
    assert not has_previous(guide, progress)
    assert previous_step(guide, progress).step_index == 0
    progress = next_step(guide, next_step(guide, progress))
    assert progress.step_index == 2
    assert not has_next(guide, progress)
    assert next_step(guide, progress).step_index == 2
    assert current_step(guide, progress).id == "who_to_call"
    progress = previous_step(guide, progress)
    assert progress.step_index == 1 and has_next(guide, progress) and has_previous(guide, progress)


def test_mark_done_marks_and_advances(guide: Guide) -> None:
    progress = mark_done(guide, start(guide))
    assert progress.step_index == 1 and progress.done == {"check_agency"}
    progress = mark_done(guide, progress)
    progress = mark_done(guide, progress)
    assert progress.step_index == 2  # stays on the last step
    assert progress.done == set(guide.step_ids)
    assert is_complete(guide, progress)
    assert not is_complete(guide, previous_step(guide, Progress("XX", 0, frozenset())))


def test_checklist(guide: Guide) -> None:
    progress = mark_done(guide, next_step(guide, start(guide)))
    items = checklist(guide, progress)
    assert [(step.id, done) for step, done in items] == [
        ("check_agency", False), ("register", True), ("who_to_call", False)]
    assert all(not done for _, done in checklist(guide, None))
    assert all(not done for _, done in checklist(guide, Progress("PH", 0, frozenset({"register"}))))


def test_progress_of_another_guide_is_refused(guide: Guide) -> None:
    with pytest.raises(ValueError, match="not XX"):
        next_step(guide, Progress("PH"))


def test_real_guide_walkthrough(guides: dict[str, Guide]) -> None:
    guide = guides["ID"]
    progress = start(guide)
    for _ in range(guide.total):
        progress = mark_done(guide, progress)
    assert is_complete(guide, progress)
    assert current_step(guide, progress).id == guide.step_ids[-1]


# --- choosing the guide ----------------------------------------------------------------------


@pytest.mark.parametrize("nationality, language, expected", [
    ("PH", "id", "PH"),  # nationality wins
    ("vn", None, "VN"),
    (None, "id", "ID"),
    (None, "tl", "PH"),
    (None, "fil", "PH"),
    (None, "vi", "VN"),
    (None, "my", "MM"),
    (None, "km", "KH"),
    (None, "th", "TH"),
    (None, "lo", "LA"),
    (None, "id-ID", "ID"),
    (None, "en", None),
    (None, "fr", None),
    ("", "", None),
    (None, None, None),
    ("  ", "km", "KH"),
])
def test_origin_for(nationality: str | None, language: str | None,
                    expected: str | None) -> None:
    assert origin_for(nationality, language) == expected
