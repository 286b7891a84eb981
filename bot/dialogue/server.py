"""Trains and supervises the Rasa server that runs in its own Python 3.10 environment."""

from __future__ import annotations

import asyncio
import contextlib
import ctypes
import hashlib
import logging
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy.engine import make_url

from bot.settings import PROJECT_ROOT, Settings

log = logging.getLogger(__name__)

TRAINING_INPUTS = ("config.yml", "nlu", "rasa_ext")


class RasaSetupError(RuntimeError):
    """Rasa cannot be trained or started; the message says what to do."""


def rasa_executable(settings: Settings) -> Path:
    path = settings.rasa_venv / "bin" / "rasa"
    if not path.exists():
        raise RasaSetupError(
            f"Rasa is not installed at {settings.rasa_venv}. Run ./scripts/setup first."
        )
    return path


def fingerprint(root: Path = PROJECT_ROOT) -> str:
    """A hash of everything training reads; a new hash means the model is stale."""
    digest = hashlib.sha256()
    for name in TRAINING_INPUTS:
        base = root / name
        files = [base] if base.is_file() else sorted(
            p for p in base.rglob("*") if p.is_file() and p.suffix in (".yml", ".py"))
        for path in files:
            digest.update(str(path.relative_to(root)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def model_path(settings: Settings, root: Path = PROJECT_ROOT) -> Path:
    return settings.model_dir / f"jaga-{fingerprint(root)}.tar.gz"


def train(settings: Settings, root: Path = PROJECT_ROOT, force: bool = False) -> Path:
    """Trains the model unless one for the current inputs exists; returns its path."""
    from bot.nlu_data import write_generated

    write_generated(root)
    target = model_path(settings, root)
    if target.exists() and not force:
        return target
    settings.model_dir.mkdir(parents=True, exist_ok=True)
    command = [str(rasa_executable(settings)), "train", "--config", "config.yml",
               "--domain", "nlu/domain", "--data", *data_paths(root),
               "--out", str(settings.model_dir),
               "--fixed-model-name", target.name.removesuffix(".tar.gz")]
    log.info("training the Rasa model: %s", " ".join(command))
    result = subprocess.run(command, cwd=root, env=rasa_environment(root), check=False)
    if result.returncode != 0 or not target.exists():
        raise RasaSetupError(f"rasa train failed with exit code {result.returncode}")
    return target


def data_paths(root: Path = PROJECT_ROOT) -> list[str]:
    """Rasa's training data: rules and stories, generated patterns, each language's NLU.

    The domain (``nlu/domain``) is passed separately so Rasa does not read it twice.
    """
    languages = sorted(p.parent.name for p in (root / "nlu").glob("*/nlu.yml"))
    return ["nlu/data", "nlu/generated", *(f"nlu/{code}" for code in languages)]


def rasa_environment(root: Path = PROJECT_ROOT) -> dict[str, str]:
    """Environment for Rasa: our custom NLU components importable, quiet TensorFlow."""
    env = dict(os.environ)
    env["PYTHONPATH"] = str(root) + os.pathsep + env.get("PYTHONPATH", "")
    env.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    env.setdefault("SQLALCHEMY_SILENCE_UBER_WARNING", "1")
    env.setdefault("RASA_TELEMETRY_ENABLED", "false")
    # PyThaiNLP (Thai word segmentation) uses only the word list inside its package: never
    # write a data directory into the user's home, never fetch anything.
    env.setdefault("PYTHAINLP_READ_ONLY", "1")
    env.setdefault("PYTHAINLP_OFFLINE", "1")
    return env


# Rasa's SQLTrackerStore with pooled WAL-mode SQLite and no recount per save (rasa_ext/).
TRACKER_STORE_CLASS = "rasa_ext.tracker_store.JagaSQLTrackerStore"


def tracker_store_config(url: str) -> dict[str, Any]:
    """Rasa's tracker-store settings for a SQLAlchemy URL."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return {"type": TRACKER_STORE_CLASS, "dialect": "sqlite", "db": parsed.database}
    if backend == "postgresql":
        config: dict[str, Any] = {"type": TRACKER_STORE_CLASS, "dialect": "postgresql",
                                  "url": parsed.host or "127.0.0.1", "db": parsed.database}
        if parsed.port:
            config["port"] = parsed.port
        if parsed.username:
            config["username"] = parsed.username
        if parsed.password:
            config["password"] = parsed.password
        return config
    raise RasaSetupError(f"TRACKER_DATABASE_URL must be sqlite or postgresql, got {backend}")


def lock_store_config(url: str) -> dict[str, Any]:
    if not url:
        return {"type": "in_memory"}
    parsed = make_url(url)
    config: dict[str, Any] = {"type": "redis", "url": parsed.host or "127.0.0.1",
                              "port": parsed.port or 6379, "db": int(parsed.database or 0)}
    if parsed.password:
        config["password"] = parsed.password
    return config


def endpoints_config(app_url: str, tracker_database_url: str, lock_store_url: str
                     ) -> dict[str, Any]:
    """Rasa's endpoints: the app serves actions and NLG; the stores hold the dialogue."""
    return {
        "action_endpoint": {"url": f"{app_url}/webhook"},
        "nlg": {"url": f"{app_url}/nlg"},
        "tracker_store": tracker_store_config(tracker_database_url),
        "lock_store": lock_store_config(lock_store_url),
    }


def write_endpoints(settings: Settings) -> Path:
    """Writes the endpoints file that points Rasa at the app (actions, NLG) and stores."""
    settings.var_dir.mkdir(parents=True, exist_ok=True)
    if settings.tracker_database_url.startswith("sqlite:///"):
        Path(settings.tracker_database_url.removeprefix("sqlite:///")).parent.mkdir(
            parents=True, exist_ok=True)
    endpoints = endpoints_config(settings.app_url, settings.tracker_database_url,
                                 settings.lock_store_url)
    path = settings.var_dir / "endpoints.yml"
    path.write_text(yaml.safe_dump(endpoints, sort_keys=False), encoding="utf-8")
    return path


def rasa_run_command(settings: Settings, model: Path, port: int, endpoints: Path) -> list[str]:
    """The Rasa server, started through rasa_ext.launch so its speed-ups apply."""
    python = rasa_executable(settings).parent / "python"
    return [str(python), "-m", "rasa_ext.launch", "run", "--enable-api",
            "--port", str(port), "--interface", "127.0.0.1",
            "--model", str(model), "--endpoints", str(endpoints)]


PR_SET_PDEATHSIG = 1


def _prctl() -> Any:
    """libc's prctl on Linux, looked up in the parent (no loading between fork and exec)."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return ctypes.CDLL(None, use_errno=True).prctl
    except (OSError, AttributeError):
        return None


_PRCTL = _prctl()


def _die_with_parent() -> None:
    """In the child before exec: Linux sends it SIGTERM when the app dies, even by SIGKILL,
    so a killed app leaves no orphan Rasa holding the port its restart needs."""
    if _PRCTL is not None:
        _PRCTL(PR_SET_PDEATHSIG, signal.SIGTERM)


class RasaServer:
    """A Rasa server child process, started with the current model, restarted with backoff
    by :meth:`supervise` when it dies, and stopped on exit."""

    RESTART_BACKOFF = (1.0, 60.0)  # first and longest wait before a restart, seconds
    STABLE_SECONDS = 120.0  # a run this long resets the backoff

    def __init__(self, settings: Settings, root: Path = PROJECT_ROOT) -> None:
        self.settings = settings
        self.root = root
        self.process: subprocess.Popen[bytes] | None = None
        self.model: Path | None = None
        self.restarts = 0

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.settings.rasa_port}"

    def start(self) -> None:
        self.model = train(self.settings, self.root)
        self.launch()

    def command(self) -> list[str]:
        assert self.model is not None, "start() trains the model first"
        return rasa_run_command(self.settings, self.model, self.settings.rasa_port,
                                write_endpoints(self.settings))

    def launch(self) -> None:
        """Starts the process with the trained model (call from the event loop's thread: the
        child dies with the thread that started it)."""
        command = self.command()
        log_path = self.settings.var_dir / "rasa.log"
        log.info("starting Rasa on port %s (log: %s)", self.settings.rasa_port, log_path)
        with log_path.open("ab") as log_file:
            self.process = subprocess.Popen(command, cwd=self.root, stdout=log_file,
                                            stderr=subprocess.STDOUT,
                                            env=rasa_environment(self.root),
                                            start_new_session=True,
                                            preexec_fn=_die_with_parent)

    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    async def supervise(self, stop: asyncio.Event, interval: float = 1.0) -> None:
        """Restarts a Rasa that died, waiting 1, 2, 4 ... 60 s between tries, until ``stop``.

        Meanwhile the app answers with the outage card (hotlines) and spools help requests.
        """
        loop = asyncio.get_running_loop()
        wait, started = self.RESTART_BACKOFF[0], loop.time()
        while not stop.is_set():
            if self.process is not None and not self.alive():
                if loop.time() - started >= self.STABLE_SECONDS:
                    wait = self.RESTART_BACKOFF[0]
                log.error("Rasa exited with code %s; restarting in %.0f s",
                          self.process.returncode, wait)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), wait)
                if stop.is_set():
                    return
                try:
                    self.launch()
                    self.restarts += 1
                except (OSError, RasaSetupError):
                    log.exception("Rasa could not be restarted")
                started = loop.time()
                wait = min(wait * 2, self.RESTART_BACKOFF[1])
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), interval)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=10)
        print("Rasa server stopped.", file=sys.stderr)
