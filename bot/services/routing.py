"""Which missions serve a worker: their own country's, where they are, nearest first.

Distances are great-circle distances between coordinates in the directory (each row's source
gives them) and the worker's location pin, else the place they named (``data/places.yml``,
where a source gives its coordinates), else their country's mean point. Escape routes
(``data/routes.yml``) add the missions across a border that the reference names, e.g. Bangkok
for Myawaddy.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from bot.services.contacts import Contact, ContactSelection, select_contacts
from bot.services.gazetteer import fold

EARTH_RADIUS_KM = 6371.0088
MISSION_KINDS = ("embassy", "consulate")


@dataclass(frozen=True)
class EscapeRoute:
    """Missions in ``also_hosts`` serve people at ``place`` as well."""

    place: str
    also_hosts: tuple[str, ...]
    why: str
    sources: tuple[str, ...]
    source_date: str


def parse_routes(data: Mapping[str, Any]) -> dict[str, EscapeRoute]:
    """From ``data/routes.yml``; a route without a source is refused."""
    routes = {}
    for place, spec in (data or {}).items():
        sources = tuple(str(s) for s in spec.get("sources") or ())
        if not sources:
            raise ValueError(f"routes.yml: {place} has no source")
        routes[str(place)] = EscapeRoute(str(place), tuple(spec.get("also_hosts") or ()),
                                         str(spec.get("why", "")), sources,
                                         str(spec.get("source_date") or ""))
    return routes


def distance_km(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle (haversine) distance between two (latitude, longitude) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (math.sin((lat2 - lat1) / 2) ** 2
         + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2)
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, h)))


def country_point(directory: Sequence[Contact], country: str) -> tuple[float, float] | None:
    """A reference point for a country: the mean of the directory's coordinates in it."""
    points = [c.point for c in directory if c.host_country == country and c.point]
    if not points:
        return None
    return (sum(p[0] for p in points) / len(points), sum(p[1] for p in points) / len(points))


@dataclass(frozen=True)
class Route:
    """The contacts for one worker, with distances where a point is known."""

    selection: ContactSelection
    distances: Mapping[str, float]  # mission name -> km from ``distances_from``
    escape_route: EscapeRoute | None
    elsewhere: bool  # none of theirs known where they are (or no country): nearest anywhere
    distances_from: str | None  # "location" (a pin), "place" (a named place's point),
    # "country" (its reference point), None


def route(directory: Sequence[Contact], nationality: str, host: str | None = None,
          point: tuple[float, float] | None = None, place_route: EscapeRoute | None = None,
          limit: int = 4, place_point: tuple[float, float] | None = None) -> Route:
    """Own missions in the host country (and across known escape routes), nearest first
    from the pin, else the named place, else the country; the nearest ones elsewhere when
    there are none there."""
    base = select_contacts(tuple(directory), nationality, host)
    own = [c for c in directory if c.nationality == nationality and c.kind in MISSION_KINDS
           and c.reachable]
    hosts = [h for h in (host, *(place_route.also_hosts if place_route else ())) if h]
    origin = point or place_point or (country_point(directory, host) if host else None)
    candidates = [c for c in own if c.host_country in hosts and c.host_country != nationality]
    elsewhere = False
    if not candidates and origin is not None:
        candidates = [c for c in own if c.point and c.host_country != nationality]
        elsewhere = bool(candidates)
    distances = {c.name: distance_km(origin, c.point) for c in candidates
                 if origin is not None and c.point}

    def order(contact: Contact) -> tuple[float, int, str]:
        return (distances.get(contact.name, math.inf), contact.kind != "embassy", contact.city)

    missions = tuple(sorted(candidates, key=order)[:limit])
    selection = ContactSelection(base.nationality, base.host_country, missions,
                                 base.national_hotlines, base.host_hotlines)
    measured = ("location" if point else "place" if place_point
                else "country" if origin is not None else None)
    return Route(selection, distances, place_route, elsewhere, measured)


def unknown_missions(mission_chats: Sequence[tuple[str, str, str, int]],
                     directory: Sequence[Contact]) -> list[str]:
    """The per-mission STAFF_CHATS keys (``ID:TH:Songkhla``) that name no mission in the
    directory: a typo there would silently send those cases to the broader chat."""
    known = {(c.nationality, c.host_country, fold(c.city)) for c in directory
             if c.kind in MISSION_KINDS}
    return [f"{n}:{h}:{city}" for n, h, city, _ in mission_chats
            if (n, h, fold(city)) not in known]


def route_json(result: Route) -> dict[str, Any]:
    """The route as JSON for ``jaga route``."""
    def contact(c: Contact) -> dict[str, Any]:
        data: dict[str, Any] = {"name": c.name, "kind": c.kind, "host_country": c.host_country,
                                "city": c.city, "phones": list(c.phones), "email": c.email,
                                "whatsapp": c.whatsapp, "source": c.source,
                                "source_date": c.source_date or None}
        if c.name in result.distances:
            data["distance_km"] = round(result.distances[c.name], 1)
        return data

    selection = result.selection
    return {
        "nationality": selection.nationality, "host_country": selection.host_country,
        "missions": [contact(c) for c in selection.missions],
        "missions_are_elsewhere": result.elsewhere,
        "distances_from": {"location": "the location given",
                           "place": "the place named (its coordinates in data/places.yml)",
                           "country": "the mean of the directory's coordinates in the country",
                           None: None}[result.distances_from],
        "national_hotlines": [contact(c) for c in selection.national_hotlines],
        "host_hotlines": [contact(c) for c in selection.host_hotlines],
        "escape_route": None if result.escape_route is None else {
            "place": result.escape_route.place, "also_hosts": list(result.escape_route.also_hosts),
            "why": result.escape_route.why, "sources": list(result.escape_route.sources),
            "source_date": result.escape_route.source_date or None},
    }
