"""Loads the reference data in ``data/`` (the edge between files and the pure services)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from bot.services.contacts import Contact, parse_directory
from bot.services.gazetteer import Gazetteer
from bot.services.guides import Guide
from bot.services.offers import Lexicon
from bot.services.routing import EscapeRoute, parse_routes
from bot.settings import PROJECT_ROOT
from bot.yamlfile import load_unique


def load_gazetteer(root: Path = PROJECT_ROOT) -> Gazetteer:
    files = sorted((root / "data" / "gazetteer").glob("*.yml"))
    per_language = [yaml.safe_load(p.read_text(encoding="utf-8")) or {} for p in files]
    places = yaml.safe_load((root / "data" / "places.yml").read_text(encoding="utf-8")) or {}
    return Gazetteer.build(per_language, places)


def load_directory(root: Path = PROJECT_ROOT) -> tuple[Contact, ...]:
    return parse_directory((root / "data" / "missions.csv").read_text(encoding="utf-8"))


@dataclass(frozen=True)
class ReferenceData:
    """Everything read from ``data/`` once at start-up."""

    directory: tuple[Contact, ...]
    gazetteer: Gazetteer
    guides: dict[str, Guide]
    lexicon: Lexicon
    routes: dict[str, EscapeRoute]

    @classmethod
    def load(cls, root: Path = PROJECT_ROOT) -> ReferenceData:
        from bot.guide_data import load_guides
        from bot.offer_data import load_lexicon

        gazetteer = load_gazetteer(root)
        routes = parse_routes(load_unique((root / "data" / "routes.yml").read_text(
            encoding="utf-8")) or {})
        return cls(load_directory(root), gazetteer, load_guides(root),
                   load_lexicon(root, gazetteer), routes)
