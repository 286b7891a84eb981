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
