"""bot/services/gazetteer.py: folding names and looking up codes (with the real data)."""

from __future__ import annotations

import unicodedata

import pytest

from bot.services.gazetteer import Gazetteer, fold, is_spaceless


@pytest.mark.parametrize(("text", "folded"), [
    ("Việt Nam", "viet nam"),
    ("Đà Nẵng", "da nang"),
    ("  KK_Park ", "kk park"),
    ("K.K. Park", "k k park"),
    ("Cam-pu-chia", "cam pu chia"),
    ("M'sia", "m sia"),
    ("PHNOM\t\nPENH", "phnom penh"),
])
def test_fold_ignores_case_accents_and_separators(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize("text", ["กัมพูชา", "ကမ္ဘောဒီးယား", "កម្ពុជា", "ກຳປູເຈຍ"])
def test_fold_keeps_marks_of_spaceless_scripts(text: str) -> None:
    # Dropping Thai/Burmese/Khmer/Lao vowel signs would merge different words; only the
    # compatibility form of a few vowels (Lao and Thai AM) may change.
    assert fold(text) == unicodedata.normalize("NFKC", text)
    assert len(fold(text)) >= len(text)


def test_is_spaceless() -> None:
    assert is_spaceless("กัมพูชา")
    assert is_spaceless("ကမ္ဘောဒီးယား")
    assert not is_spaceless("Kamboja")


@pytest.mark.parametrize("text", ["KH", "kh", " Kh "])
def test_lookup_by_code(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.lookup("countries", text) == "KH"


@pytest.mark.parametrize("text", [
    "Kamboja",  # id.yml
    "KAMBOJA",
    "Campuchia",  # vi.yml
    "campuchia",
    "Căm-pu-chia",
    "cam pu chia",
    "กัมพูชา",  # th.yml
    "ประเทศเขมร",
    "កម្ពុជា",  # km.yml
    "ကမ္ဘောဒီးယား",  # my.yml
    "ກຳປູເຈຍ",  # lo.yml
    "ກໍາປູເຈຍ",
    "Kambodya",  # tl.yml
    "Cambodia",
])
def test_lookup_country_names_in_several_scripts(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.lookup("countries", text) == "KH"


@pytest.mark.parametrize(("text", "code"), [
    ("WNI", "ID"),
    ("wni", "ID"),
    ("orang Indonesia", "ID"),
    ("Orang   INDONESIA", "ID"),
    ("Pinoy", "PH"),
    ("người Việt", "VN"),
    ("nguoi viet", "VN"),
    ("คนพม่า", "MM"),
    ("ជនជាតិខ្មែរ", "KH"),
])
def test_lookup_nationalities(gazetteer: Gazetteer, text: str, code: str) -> None:
    assert gazetteer.lookup("nationalities", text) == code


def test_lookup_kinds_are_separate(gazetteer: Gazetteer) -> None:
    # "WNI" is a nationality, not a country name.
    assert gazetteer.lookup("countries", "WNI") is None
    assert gazetteer.lookup("languages", "Thai") == "th"
    assert gazetteer.lookup("languages", "th") == "th"


@pytest.mark.parametrize("text", [None, "", "   ", "Atlantis", "Kambojaa"])
def test_lookup_unknown_is_none(gazetteer: Gazetteer, text: str | None) -> None:
    assert gazetteer.lookup("countries", text) is None


@pytest.mark.parametrize("text", ["kk_park", "KK Park", "K.K. Park", "kkpark", "เคเคปาร์ค"])
def test_places_and_their_country(gazetteer: Gazetteer, text: str) -> None:
    assert gazetteer.lookup("places", text) == "kk_park"
    assert gazetteer.country_of_place("kk_park") == "MM"


def test_country_of_places(gazetteer: Gazetteer) -> None:
    assert gazetteer.country_of_place(gazetteer.lookup("places", "Poipet") or "") == "KH"
    assert gazetteer.country_of_place(gazetteer.lookup("places", "Mae Sot") or "") == "TH"
    assert gazetteer.country_of_place("nowhere") is None


def test_build_first_spelling_wins_and_terms_longest_first() -> None:
    gazetteer = Gazetteer.build(
        [{"countries": {"KH": ["Cambodia", "Cam"]}},
         {"countries": {"VN": ["cambodia", "Viet Nam"]}}],
        {"x_town": {"country": "KH", "names": ["X Town"]}},
    )
    assert gazetteer.lookup("countries", "CAMBODIA") == "KH"
    assert gazetteer.lookup("places", "x town") == "x_town"
    assert gazetteer.country_of_place("x_town") == "KH"
    assert gazetteer.terms("countries") == ["cambodia", "viet nam", "cam"]
