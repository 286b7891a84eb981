"""Staff update the directory by editing the file: a valid change is picked up, a row without
a source is refused and the previous data keeps serving."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

from bot.reference import DirectoryWatcher, ReferenceData

ROOT = Path(__file__).resolve().parents[2]


def touch_write(path: Path, text: str) -> None:
    path.write_text(text, encoding="utf-8")
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000))


def test_directory_reload(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "data", tmp_path / "data")
    reference = ReferenceData.load(tmp_path)
    watcher = DirectoryWatcher(reference, tmp_path)
    assert watcher.reload_if_changed() is None
    csv = tmp_path / "data" / "missions.csv"
    original = csv.read_text(encoding="utf-8")
    rows = len(reference.directory)

    new_row = ('ID,KH,consulate,Test consulate,Siem Reap,13.36,103.86,+855 00 000 000,,,,'
               'https://example.org/source,2026-11-28\n')
    touch_write(csv, original + new_row)
    assert watcher.reload_if_changed() is True
    assert len(reference.directory) == rows + 1

    touch_write(csv, original + 'ID,KH,consulate,No source,Siem Reap,,,+855 1,,,,,\n')
    assert watcher.reload_if_changed() is False
    assert "has no source" in watcher.last_error
    assert len(reference.directory) == rows + 1  # the last good data keeps serving
