"""Loads the safe-migration guides in ``data/guides/*.yml`` (the edge before the pure service)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

import yaml

from bot.services.guides import Guide, GuideError, parse_guide
from bot.settings import PROJECT_ROOT
from bot.yamlfile import DuplicateKeyError, load_unique


def guides_dir(root: Path = PROJECT_ROOT) -> Path:
    return root / "data" / "guides"


def load_guide_file(path: Path) -> Guide:
    """Reads and validates one guide; every error names the file."""
    try:
        data = load_unique(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, DuplicateKeyError) as exc:
        raise GuideError(f"{path.name}: {exc}") from exc
    if not isinstance(data, Mapping):
        raise GuideError(f"{path.name}: a guide file must hold a mapping")
    try:
        guide = parse_guide(data)
    except GuideError as exc:
        raise GuideError(f"{path.name}: {exc}") from exc
    if guide.country != path.stem.upper():
        raise GuideError(f"{path.name}: holds the guide for {guide.country}; "
                         f"name the file {guide.country}.yml")
    return guide


def load_guides(root: Path = PROJECT_ROOT) -> dict[str, Guide]:
    """Every guide under ``data/guides``, keyed by origin country code."""
    return {guide.country: guide
            for guide in map(load_guide_file, sorted(guides_dir(root).glob("*.yml")))}
