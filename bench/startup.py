"""Training time and cold start to the first reply, medians over several runs.

    .venv/bin/python -m bench.startup --runs 3

Training: `rasa train` from scratch into a temporary model folder (no cache), 2 cores.
Cold start: from constructing the runtime (database, app HTTP server, Rasa server process
loading the trained model) to the first reply to "hello".
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import shutil
import statistics
import subprocess
import tempfile
import time
from dataclasses import replace
from pathlib import Path

from bot.dialogue.server import train
from bot.runtime import Runtime
from bot.settings import PROJECT_ROOT, Settings


def machine() -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=PROJECT_ROOT,
                            capture_output=True, text=True, check=False).stdout.strip()
    return (f"{platform.node()} {platform.machine()} {os.cpu_count()} cores, "
            f"Python {platform.python_version()}, commit {commit or 'unknown'}")


def training_seconds(work: Path) -> float:
    settings = replace(Settings.from_env({"JAGA_VAR_DIR": str(work / "var")}),
                       model_dir=work / "models")
    shutil.rmtree(work / "models", ignore_errors=True)
    shutil.rmtree(PROJECT_ROOT / ".rasa", ignore_errors=True)  # Rasa's training cache
    started = time.monotonic()
    train(settings, force=True)
    return time.monotonic() - started


async def cold_start_seconds(work: Path, port_offset: int) -> float:
    settings = replace(Settings.from_env({"JAGA_VAR_DIR": str(work / f"var{port_offset}")}),
                       app_port=5300 + port_offset, rasa_port=5400 + port_offset)
    train(settings)  # make sure a model exists; not timed
    started = time.monotonic()
    runtime = Runtime(settings)
    await runtime.start()
    try:
        replies = await runtime.conversation.handle(f"bench-{port_offset}", "hello")
        assert replies, "no reply"
        return time.monotonic() - started
    finally:
        await runtime.stop()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-training", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print(machine())
        if not args.skip_training:
            trainings = [training_seconds(work) for _ in range(args.runs)]
            print(f"training: median {statistics.median(trainings):.1f} s over {args.runs} runs "
                  f"({', '.join(f'{t:.1f}' for t in trainings)})")
        starts = [asyncio.run(cold_start_seconds(work, i)) for i in range(args.runs)]
        print(f"cold start to first reply: median {statistics.median(starts):.1f} s over "
              f"{args.runs} runs ({', '.join(f'{t:.1f}' for t in starts)})")


if __name__ == "__main__":
    main()
