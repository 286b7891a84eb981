"""The app's HTTP server: Rasa's action endpoint, Rasa's NLG endpoint, and health."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from bot.actions.base import ActionContext, Tracker
from bot.actions.registry import ACTIONS
from bot.dialogue.client import WRAPPER
from bot.i18n.responses import Reply

log = logging.getLogger(__name__)

CONTEXT_KEY = web.AppKey("context", ActionContext)
ReadyCheck = Callable[[], Awaitable[dict[str, bool]]]
READY_KEY: web.AppKey[ReadyCheck] = web.AppKey("ready")


def reply_json(reply: Reply) -> dict[str, Any]:
    """A rendered reply, carried through Rasa as a custom payload.

    Rasa's channels cut plain text at every blank line into separate messages; wrapped as
    ``custom`` the reply reaches the app exactly as rendered (see ``bot.dialogue.client``).
    """
    data: dict[str, Any] = {"text": reply.text}
    if reply.buttons:
        data["buttons"] = [{"title": b.title, "payload": b.payload} for b in reply.buttons]
    if reply.custom:
        data["extra"] = reply.custom
    return {"custom": {WRAPPER: data}}


async def run_action(request: web.Request) -> web.Response:
    """Rasa's action-server protocol: run one custom action, return events and replies."""
    context = request.app[CONTEXT_KEY]
    try:
        body = await request.json()
        name = str(body["next_action"])
        tracker = Tracker.from_json(body.get("tracker") or {"sender_id": body["sender_id"]})
    except (ValueError, KeyError, TypeError):
        return web.json_response({"error": "malformed action request"}, status=400)
    action = ACTIONS.get(name)
    if action is None:
        return web.json_response({"error": f"no action {name}", "action_name": name},
                                 status=404)
    language = await context.users.language(tracker.sender_id)
    result = await action(context, tracker, language)
    return web.json_response({"events": result.events,
                              "responses": [reply_json(r) for r in result.replies]})


async def generate(request: web.Request) -> web.Response:
    """Rasa's NLG protocol: render one response in the user's language."""
    context = request.app[CONTEXT_KEY]
    try:
        body = await request.json()
        key = str(body["response"])
        sender_id = str((body.get("tracker") or {}).get("sender_id", ""))
    except (ValueError, KeyError, TypeError):
        return web.json_response({"error": "malformed NLG request"}, status=400)
    language = await context.users.language(sender_id)
    if not context.renderer.has(key):
        log.error("Rasa asked for unknown response %s; sending the fallback", key)
        key = "utter_default"
    return web.json_response(reply_json(context.renderer.render(key, language)))


async def health(request: web.Request) -> web.Response:
    """Liveness: the process serves HTTP."""
    return web.json_response({"status": "ok"})


async def readiness(request: web.Request) -> web.Response:
    """Readiness for a load balancer: 200 when the database and a Rasa server answer, else
    503 with what is missing (a replica that cannot reach them should get no webhooks)."""
    check = request.app.get(READY_KEY)
    checks = await check() if check is not None else {}
    ok = all(checks.values())
    return web.json_response({"status": "ok" if ok else "unavailable", **checks},
                             status=200 if ok else 503)


def build_app(context: ActionContext, ready: ReadyCheck | None = None) -> web.Application:
    """The aiohttp application; the Telegram webhook route is added by the Telegram layer.

    ``ready`` is what ``/healthz`` asks (the runtime checks the database and Rasa).
    """
    app = web.Application(client_max_size=1024 * 1024)
    app[CONTEXT_KEY] = context
    if ready is not None:
        app[READY_KEY] = ready
    app.router.add_post("/webhook", run_action)
    app.router.add_post("/nlg", generate)
    app.router.add_get("/health", health)
    app.router.add_get("/healthz", readiness)
    return app
