"""bot/services/contacts.py: parsing the missions directory and choosing contacts."""

from __future__ import annotations

import csv
import io

import pytest

from bot.services.contacts import (
    REQUIRED_COLUMNS,
    DirectoryError,
    parse_directory,
    select_contacts,
)

HEADER = list(REQUIRED_COLUMNS)


def row(**values: str) -> dict[str, str]:
    base = {
        "nationality": "ID", "host_country": "KH", "kind": "embassy", "name": "KBRI Phnom Penh",
        "city": "Phnom Penh", "phone": "+855 12 813 282", "whatsapp": "", "email": "",
        "website": "", "source": "https://kemlu.go.id", "source_date": "2025-07-25",
    }
    base.update(values)
    return base


def to_csv(rows: list[dict[str, str]], header: list[str] = HEADER) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=header, extrasaction="ignore",
                            lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


SAMPLE = to_csv([
    row(name="Consulate Siem Reap", kind="consulate", city="Siem Reap"),
    row(name="Consulate Battambang", kind="consulate", city="Battambang"),
    row(name="KBRI Phnom Penh", kind="embassy", city="Phnom Penh"),
    row(name="KBRI Bangkok", host_country="TH", city="Bangkok"),
    row(name="Embassy of Vietnam", nationality="VN", city="Phnom Penh"),
    row(name="Mission without any contact", kind="consulate", city="Kampot", phone="",
        whatsapp="", email="", website="https://example.org"),
    row(name="Kemlu WNI hotline", host_country="", kind="national_hotline", city="",
        phone="+62 812 9007 0027; +62 21 000"),
    row(name="VN citizen hotline", nationality="VN", host_country="", kind="national_hotline",
        phone="+84 981 84 84 84"),
    row(name="Cambodia police 117", nationality="", host_country="KH", kind="host_hotline",
        phone="117"),
    row(name="Cambodia anti-trafficking", nationality="", host_country="KH",
        kind="host_hotline", phone="", whatsapp="+855 12 000 000"),
    row(name="Thai police 191", nationality="", host_country="TH", kind="host_hotline",
        phone="191"),
    row(name="Host hotline with nationality", nationality="ID", host_country="KH",
        kind="host_hotline", phone="999"),
    row(name="IOM Cambodia", nationality="", host_country="KH", kind="international",
        email="iom@example.org", phone=""),
    row(name="Consular office at home", host_country="ID", kind="consulate", city="Jakarta"),
    row(name="Unreachable host line", nationality="", host_country="KH", kind="host_hotline",
        phone="", whatsapp="", email=""),
])


@pytest.fixture(scope="module")
def sample() -> tuple:
    return parse_directory(SAMPLE)


def names(contacts) -> list[str]:
    return [c.name for c in contacts]


# --- parse_directory -------------------------------------------------------------------------


def test_parse_directory_reads_fields_and_splits_phones(sample) -> None:
    hotline = next(c for c in sample if c.name == "Kemlu WNI hotline")
    assert hotline.phones == ("+62 812 9007 0027", "+62 21 000")
    assert hotline.kind == "national_hotline"
    assert hotline.nationality == "ID"
    assert hotline.host_country == ""
    assert hotline.source == "https://kemlu.go.id"
    assert hotline.source_date == "2025-07-25"
    assert len(sample) == 15


def test_parse_directory_normalises_codes_and_whitespace() -> None:
    text = to_csv([row(nationality=" id ", host_country="kh ", kind=" embassy ",
                       name="  KBRI  ", phone=" ; +855 1 ;; ", source="  src  ")])
    (contact,) = parse_directory(text)
    assert (contact.nationality, contact.host_country, contact.kind) == ("ID", "KH", "embassy")
    assert contact.name == "KBRI"
    assert contact.phones == ("+855 1",)
    assert contact.source == "src"


def test_parse_directory_refuses_row_without_source_naming_the_line() -> None:
    text = to_csv([row(name="Good one"), row(name="Good two"),
                   row(name="No source mission", source="   ")])
    with pytest.raises(DirectoryError, match=r"line 4: 'No source mission' has no source"):
        parse_directory(text)


def test_parse_directory_refuses_unknown_kind_naming_the_line() -> None:
    text = to_csv([row(), row(kind="ambassade")])
    with pytest.raises(DirectoryError, match=r"line 3: unknown kind 'ambassade'"):
        parse_directory(text)


def test_parse_directory_refuses_row_without_name() -> None:
    with pytest.raises(DirectoryError, match=r"line 2: no name"):
        parse_directory(to_csv([row(name=" ")]))


def test_parse_directory_reports_every_missing_column() -> None:
    header = [c for c in HEADER if c not in ("source", "source_date")]
    with pytest.raises(DirectoryError, match=r"missing columns: source, source_date"):
        parse_directory(to_csv([row()], header=header))


def test_parse_directory_accepts_extra_columns() -> None:
    header = [*HEADER[:5], "latitude", "longitude", *HEADER[5:]]
    text = to_csv([{**row(), "latitude": "11.5", "longitude": "104.9"}], header=header)
    (contact,) = parse_directory(text)
    assert contact.name == "KBRI Phnom Penh"


# --- select_contacts -------------------------------------------------------------------------


def test_missions_are_own_country_in_host_embassy_first(sample) -> None:
    selection = select_contacts(sample, "ID", "KH")
    assert names(selection.missions) == [
        "KBRI Phnom Penh", "Consulate Battambang", "Consulate Siem Reap",
    ]
    assert all(c.nationality == "ID" and c.host_country == "KH" for c in selection.missions)


def test_codes_are_case_insensitive(sample) -> None:
    assert select_contacts(sample, "id", "kh") == select_contacts(sample, "ID", "KH")


def test_national_hotlines_belong_to_the_nationality(sample) -> None:
    selection = select_contacts(sample, "ID", "KH")
    assert names(selection.national_hotlines) == ["Kemlu WNI hotline"]
    assert names(select_contacts(sample, "VN", "KH").national_hotlines) == ["VN citizen hotline"]


def test_host_hotlines_have_empty_nationality(sample) -> None:
    selection = select_contacts(sample, "ID", "KH")
    assert names(selection.host_hotlines) == ["Cambodia police 117", "Cambodia anti-trafficking"]
    assert all(c.nationality == "" for c in selection.host_hotlines)
    assert "Host hotline with nationality" not in names(selection.host_hotlines)
    assert "IOM Cambodia" not in names(selection.host_hotlines)


def test_unreachable_rows_are_left_out(sample) -> None:
    selection = select_contacts(sample, "ID", "KH")
    everything = names(selection.missions + selection.national_hotlines
                       + selection.host_hotlines)
    assert "Mission without any contact" not in everything
    assert "Unreachable host line" not in everything
    unreachable = next(c for c in sample if c.name == "Mission without any contact")
    assert not unreachable.reachable


def test_same_host_and_nationality_gives_no_missions(sample) -> None:
    selection = select_contacts(sample, "ID", "ID")
    assert selection.missions == ()
    assert names(selection.national_hotlines) == ["Kemlu WNI hotline"]


def test_without_host_country_only_national_hotlines(sample) -> None:
    selection = select_contacts(sample, "ID", None)
    assert selection.missions == ()
    assert selection.host_hotlines == ()
    assert names(selection.national_hotlines) == ["Kemlu WNI hotline"]
    assert not selection.empty


def test_without_nationality_only_host_hotlines(sample) -> None:
    selection = select_contacts(sample, None, "TH")
    assert selection.missions == ()
    assert selection.national_hotlines == ()
    assert names(selection.host_hotlines) == ["Thai police 191"]


def test_unknown_everything_is_empty(sample) -> None:
    assert select_contacts(sample, "ZZ", "QQ").empty
    assert select_contacts(sample, "", None).empty


def test_nationalities_sorted_unique_without_blank(sample) -> None:
    from bot.services.contacts import nationalities

    assert nationalities(sample) == ("ID", "VN")


# --- the real directory ----------------------------------------------------------------------


def test_real_directory_parses_and_every_contact_has_a_source(directory) -> None:
    assert len(directory) > 50
    assert all(c.source.strip() for c in directory)
    assert all(c.name.strip() for c in directory)


@pytest.mark.parametrize("nationality", ["ID", "PH", "VN", "TH"])
def test_real_directory_has_a_national_hotline(directory, nationality: str) -> None:
    selection = select_contacts(directory, nationality, None)
    assert selection.national_hotlines
    assert all(c.reachable and c.nationality == nationality
               for c in selection.national_hotlines)


def test_real_directory_indonesian_in_cambodia_has_embassy(directory) -> None:
    selection = select_contacts(directory, "ID", "KH")
    assert selection.missions and selection.missions[0].kind == "embassy"
    assert selection.host_hotlines
