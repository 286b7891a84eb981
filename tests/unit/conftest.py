"""Shared fixtures: the real reference data and response renderer, loaded once per session."""

from __future__ import annotations

import pytest

from bot.i18n.responses import Renderer
from bot.reference import load_directory, load_gazetteer
from bot.services.contacts import Contact
from bot.services.gazetteer import Gazetteer
from bot.settings import PROJECT_ROOT


@pytest.fixture(scope="session")
def gazetteer() -> Gazetteer:
    return load_gazetteer()


@pytest.fixture(scope="session")
def directory() -> tuple[Contact, ...]:
    return load_directory()


@pytest.fixture(scope="session")
def renderer() -> Renderer:
    return Renderer.from_directories(PROJECT_ROOT / "responses", PROJECT_ROOT / "locales")
