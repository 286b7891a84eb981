"""The composition root: builds every part once, starts them in order, stops them in reverse."""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from types import TracebackType

from aiohttp import web

from bot.actions.base import ActionContext
from bot.cases import CaseService, load_key
from bot.catalog_versions import CatalogVersions
from bot.conversation import Conversation
from bot.dialogue.client import RasaClient
from bot.dialogue.server import RasaServer
from bot.i18n.live import LiveResponses
from bot.i18n.responses import Renderer
from bot.reference import DirectoryWatcher, ReferenceData
from bot.reports import ReportService
from bot.services.routing import unknown_missions
from bot.settings import PROJECT_ROOT, Settings
from bot.spool import Spool
from bot.store.database import Database
from bot.store.tracker import LOCATION_SLOTS, TrackerEraser
from bot.users import UserService
from bot.web import build_app

log = logging.getLogger(__name__)


class Runtime:
    """Database, reference data, renderer, the app's HTTP server, and Rasa (own or given)."""

    def __init__(self, settings: Settings, root: Path = PROJECT_ROOT,
                 start_rasa: bool | None = None) -> None:
        self.settings = settings
        self.root = root
        self.start_rasa = not settings.rasa_url if start_rasa is None else start_rasa
        self.database = Database(settings.database_url)
        self.eraser = TrackerEraser(settings.tracker_database_url)
        self.users = UserService(self.database, self.eraser, settings.default_language)
        self.renderer = Renderer.from_directories(root / "responses", root / "locales")
        self.reference = ReferenceData.load(root)
        self.reports = ReportService(self.database)
        self.cases = CaseService(self.database, load_key(settings.case_encryption_key,
                                                         settings.var_dir),
                                 settings.staff_chat_id, settings.staff_chats,
                                 settings.mission_chats)
        for key in unknown_missions(settings.mission_chats, self.reference.directory):
            log.error("STAFF_CHATS names %s, which is no mission in data/missions.csv; its "
                      "cases go to the nationality's or the central chat", key)
        self.context = ActionContext(self.renderer, self.reference, self.users, self.reports,
                                     self.cases)
        self.web_app: web.Application = build_app(self.context, self.ready)
        self._runner: web.AppRunner | None = None
        self.catalogs = CatalogVersions(self.database, root)
        self.live_responses = LiveResponses(self.renderer, root, self.catalogs)
        self.directory_watcher = DirectoryWatcher(self.reference, root)
        self._stopping = asyncio.Event()
        self._background: list[asyncio.Task[None]] = []
        self.rasa_server: RasaServer | None = None
        self.dialogue = RasaClient(settings.rasa_urls, timeout=settings.rasa_timeout_seconds)
        self.spool = Spool(settings.var_dir / "spool" / "help.jsonl")
        self.conversation = Conversation(self.dialogue, self.users, self.renderer,
                                         self.reference, self.spool)

    async def forget_location(self, sender_id: str) -> None:
        """Removes where the worker was from Rasa's conversation once their case is closed:
        the stored events that hold it, then the slots in the live conversation (for tracker
        stores that are not SQL, and so that nothing in memory brings them back)."""
        removed = await asyncio.to_thread(self.eraser.erase_location, sender_id)
        await self.dialogue.reset_slots(sender_id, LOCATION_SLOTS)
        log.info("removed %d location events of a closed case from the tracker store", removed)

    async def ready(self) -> dict[str, bool]:
        """What ``/healthz`` reports: can this replica reach its database and a Rasa server?"""
        database = await asyncio.to_thread(self.database.ping)
        return {"database": database, "rasa": await self.dialogue.any_ready()}

    async def __aenter__(self) -> Runtime:
        await self.start()
        return self

    async def __aexit__(self, exc_type: type[BaseException] | None,
                        exc: BaseException | None, tb: TracebackType | None) -> None:
        await self.stop()

    async def start(self) -> None:
        """Migrates the database, serves actions/NLG, then starts Rasa and waits for it."""
        self.database.migrate()
        self._stopping.clear()
        self._background.append(asyncio.create_task(self.live_responses.run(self._stopping)))
        self._background.append(asyncio.create_task(
            self.directory_watcher.run(self._stopping)))
        self._runner = web.AppRunner(self.web_app)
        await self._runner.setup()
        await web.TCPSite(self._runner, self.settings.app_host, self.settings.app_port).start()
        log.info("app HTTP server on %s", self.settings.app_url)
        if self.start_rasa:
            self.rasa_server = RasaServer(self.settings, self.root)
            self.rasa_server.start()
            await self.dialogue.wait_ready(self.settings.rasa_start_timeout_seconds,
                                           alive=self.rasa_server.alive)
            self._background.append(asyncio.create_task(
                self.rasa_server.supervise(self._stopping)))
        log.info("Rasa at %s", ", ".join(self.dialogue.base_urls))

    async def stop(self) -> None:
        self._stopping.set()
        for task in self._background:
            await task
        self._background.clear()
        if self.rasa_server is not None:
            self.rasa_server.stop()
        await self.dialogue.close()
        if self._runner is not None:
            await self._runner.cleanup()
        self.eraser.dispose()
        self.database.dispose()
