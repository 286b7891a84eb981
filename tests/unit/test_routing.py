"""Routing: own missions where the worker is, nearest first, escape routes, nearest elsewhere."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.reference import ReferenceData
from bot.services.contacts import Contact
from bot.services.routing import distance_km, parse_routes, route, route_json

REFERENCE = ReferenceData.load(Path(__file__).resolve().parents[2])
DIRECTORY = REFERENCE.directory
PAIRS = sorted({(c.nationality, c.host_country) for c in DIRECTORY
                if c.kind in ("embassy", "consulate") and c.reachable and c.point})


def test_great_circle_distance() -> None:
    assert distance_km((0.0, 0.0), (0.0, 0.0)) == 0
    # Phnom Penh to Bangkok is about 530 km.
    assert 500 < distance_km((11.5564, 104.9282), (13.7563, 100.5018)) < 560


@pytest.mark.parametrize(("nationality", "host"), PAIRS)
def test_each_nationality_gets_its_missions_in_each_host_country(nationality: str,
                                                                 host: str) -> None:
    """From a point at each of their missions in a host country, that mission comes first."""
    missions = [c for c in DIRECTORY if c.nationality == nationality and c.host_country == host
                and c.kind in ("embassy", "consulate") and c.reachable and c.point]
    for mission in missions:
        assert mission.point is not None
        result = route(DIRECTORY, nationality, host, mission.point)
        assert not result.elsewhere
        assert result.selection.missions[0].point == mission.point
        assert all(m.nationality == nationality for m in result.selection.missions)
        assert result.distances[result.selection.missions[0].name] < 1.0


def test_escape_route_adds_missions_across_the_border() -> None:
    result = route(DIRECTORY, "ID", "MM", None, REFERENCE.routes["myawaddy"])
    hosts = [m.host_country for m in result.selection.missions]
    assert hosts[0] == "MM" and "TH" in hosts
    assert route_json(result)["escape_route"]["also_hosts"] == ["TH"]


def test_no_mission_in_the_host_country_gives_the_nearest_elsewhere() -> None:
    # The directory has no Vietnamese mission in Malaysia.
    assert not [c for c in DIRECTORY if c.nationality == "VN" and c.host_country == "MY"]
    result = route(DIRECTORY, "VN", "MY", (3.14, 101.69))  # Kuala Lumpur
    assert result.elsewhere and result.selection.missions
    distances = [result.distances[m.name] for m in result.selection.missions]
    assert distances == sorted(distances)


def test_a_location_without_a_country_lists_the_nearest_missions() -> None:
    result = route(DIRECTORY, "PH", None, (10.63, 103.52))  # Sihanoukville
    assert result.selection.missions[0].host_country == "KH"
    assert route_json(result)["distances_from"] == "the location given"


def test_a_route_without_a_source_is_refused() -> None:
    with pytest.raises(ValueError, match="no source"):
        parse_routes({"somewhere": {"also_hosts": ["TH"], "why": "x"}})


def test_contacts_keep_their_coordinates() -> None:
    with_points = [c for c in DIRECTORY if c.point]
    assert len(with_points) > 50
    assert all(isinstance(c, Contact) and -90 <= c.point[0] <= 90 for c in with_points
               if c.point)


GAZETTEER = REFERENCE.gazetteer


def test_a_named_place_with_coordinates_ranks_missions_by_distance_from_it() -> None:
    # Su-ngai Kolok is on the Malaysian border: the consulate in Songkhla is nearer than the
    # embassy in Bangkok, which the country's mean point puts first.
    from_country = route(DIRECTORY, "ID", "TH")
    assert from_country.selection.missions[0].city == "Bangkok"
    point = GAZETTEER.point_of_place(GAZETTEER.lookup("places", "Sungai Golok"))
    assert point is not None
    result = route(DIRECTORY, "ID", "TH", place_point=point)
    assert [m.city for m in result.selection.missions][:2] == ["Songkhla", "Bangkok"]
    assert route_json(result)["distances_from"].startswith("the place named")
    distances = [result.distances[m.name] for m in result.selection.missions]
    assert distances == sorted(distances)


def test_a_pin_wins_over_the_named_place() -> None:
    bangkok = GAZETTEER.point_of_place("bangkok")
    golok = GAZETTEER.point_of_place("sungai_golok")
    assert bangkok and golok
    result = route(DIRECTORY, "ID", "TH", point=bangkok, place_point=golok)
    assert result.selection.missions[0].city == "Bangkok"
    assert result.distances_from == "location"


def test_every_place_point_has_a_source_and_lies_in_its_country() -> None:
    """Each point is cited, and within 1,000 km of the directory's missions in its country
    where there are any (a guard against swapped or mistyped coordinates)."""
    import yaml

    places = yaml.safe_load((Path(__file__).resolve().parents[2] / "data" / "places.yml")
                            .read_text(encoding="utf-8"))
    assert len(GAZETTEER.place_point) >= 20
    for code, point in GAZETTEER.place_point.items():
        assert str(places[code]["point_source"]).startswith("http")
        country = GAZETTEER.country_of_place(code)
        near = [distance_km(point, c.point) for c in DIRECTORY
                if c.host_country == country and c.point]
        assert not near or min(near) < 1000, code
    assert sum(1 for code in GAZETTEER.place_point
               if GAZETTEER.country_of_place(code) != "AE") >= 20


def test_a_place_point_without_a_source_is_refused() -> None:
    from bot.services.gazetteer import Gazetteer

    with pytest.raises(ValueError, match="point_source"):
        Gazetteer.build([], {"x_town": {"country": "KH", "names": ["X"], "point": [11, 104]}})
    with pytest.raises(ValueError, match="globe"):
        Gazetteer.build([], {"x_town": {"country": "KH", "names": ["X"], "point": [104, 11],
                                        "point_source": "https://example.org",
                                        "point_read": "2026-12-03"}})


def test_per_mission_staff_chat_keys_are_checked_against_the_directory() -> None:
    from bot.services.routing import unknown_missions

    chats = (("ID", "TH", "songkhla", -1), ("ID", "TH", "Songkla", -2),
             ("MM", "TH", "Songkhla", -3))
    assert unknown_missions(chats, DIRECTORY) == ["ID:TH:Songkla", "MM:TH:Songkhla"]
