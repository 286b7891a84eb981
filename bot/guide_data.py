"""Loads the safe-migration guides in ``data/guides/*.yml`` (the edge before the pure service)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml

from bot.services.guides import Guide, GuideError, parse_guide
from bot.settings import PROJECT_ROOT


class _UniqueKeyLoader(yaml.SafeLoader):
    """A safe YAML loader that refuses a key given twice in one mapping."""

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        seen = set()
        for key_node, _ in node.value:
            key = self.construct_object(key_node, deep=deep)
            if key in seen:
                raise GuideError(f"line {key_node.start_mark.line + 1}: {key!r} is given twice")
            seen.add(key)
        return super().construct_mapping(node, deep=deep)


def guides_dir(root: Path = PROJECT_ROOT) -> Path:
    return root / "data" / "guides"


def load_guide_file(path: Path) -> Guide:
    """Reads and validates one guide; every error names the file."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_UniqueKeyLoader)
    except (yaml.YAMLError, GuideError) as exc:
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
