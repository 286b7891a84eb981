"""The app environment has what its libraries look for on every request."""

from __future__ import annotations

import asyncio
import sys
from importlib.machinery import ModuleSpec

from httpcore._synchronization import current_async_library


class ImportSpy:
    """A meta-path finder that records the modules Python searches for and finds none."""

    def __init__(self) -> None:
        self.searched: list[str] = []

    def find_spec(self, name: str, path: object = None, target: object = None
                  ) -> ModuleSpec | None:
        self.searched.append(name)
        return None


def test_httpcore_finds_sniffio_without_searching_the_path() -> None:
    # httpcore imports sniffio each time it makes a lock or an event; without sniffio every
    # such import fails and searches sys.path again (docs/benchmarks.md: 12 % of the app's CPU).
    async def library() -> str:
        return current_async_library()

    assert asyncio.run(library()) == "asyncio"  # the first call may import it
    spy = ImportSpy()
    sys.meta_path.insert(0, spy)
    try:
        assert asyncio.run(library()) == "asyncio"
    finally:
        sys.meta_path.remove(spy)
    assert "sniffio" not in spy.searched
