"""A local spool for help requests that arrive while the database is down.

One JSON object per line in ``var/spool/help.jsonl``; appended with an fsync so a crash right
after the reply loses nothing; replayed into cases when the database answers again.
"""

from __future__ import annotations

import json
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any


class Spool:
    """Append-only file of pending help requests; safe across threads of one process."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def append(self, record: dict[str, Any]) -> None:
        line = json.dumps({**record, "spooled_at": datetime.now(UTC).isoformat()},
                          ensure_ascii=False)
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
                handle.flush()
                os.fsync(handle.fileno())

    def pending(self) -> list[dict[str, Any]]:
        with self._lock:
            if not self.path.exists():
                return []
            lines = self.path.read_text(encoding="utf-8").splitlines()
        records = []
        for line in lines:
            try:
                records.append(json.loads(line))
            except ValueError:
                continue  # a line cut by a crash mid-write
        return records

    def drop(self, count: int) -> None:
        """Removes the first ``count`` records (those replayed), keeping any added since."""
        with self._lock:
            if not self.path.exists():
                return
            lines = self.path.read_text(encoding="utf-8").splitlines()
            rest = lines[count:]
            temporary = self.path.with_suffix(".tmp")
            temporary.write_text("".join(line + "\n" for line in rest), encoding="utf-8")
            temporary.replace(self.path)
