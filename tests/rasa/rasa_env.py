"""Runs a snippet of Python in the Rasa environment (it imports Rasa, which the app's
environment does not have) and returns the JSON it prints on its last line."""

from __future__ import annotations

import json
import subprocess
from typing import Any

from bot.dialogue.server import rasa_environment
from bot.settings import PROJECT_ROOT, Settings


def run_in_rasa(script: str, *args: str, timeout: float = 300) -> Any:
    python = Settings.from_env().rasa_venv / "bin" / "python"
    run = subprocess.run([str(python), "-c", script, *args], cwd=PROJECT_ROOT,
                         env=rasa_environment(), capture_output=True, text=True,
                         timeout=timeout)
    assert run.returncode == 0, run.stderr[-3000:]
    return json.loads(run.stdout.strip().splitlines()[-1])
