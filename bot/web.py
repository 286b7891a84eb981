"""The app's HTTP server: Rasa's action endpoint, Rasa's NLG endpoint, and health."""

from __future__ import annotations

import logging
from typing import Any

from aiohttp import web

from bot.actions.base import ActionContext, Tracker
from bot.actions.registry import ACTIONS
from bot.dialogue.client import WRAPPER
from bot.i18n.responses import Reply

log = logging.getLogger(__name__)

CONTEXT_KEY = web.AppKey("context", ActionContext)


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
    return web.json_response({"status": "ok"})


def build_app(context: ActionContext) -> web.Application:
    """The aiohttp application; the Telegram webhook route is added by the Telegram layer."""
    app = web.Application(client_max_size=1024 * 1024)
    app[CONTEXT_KEY] = context
    app.router.add_post("/webhook", run_action)
    app.router.add_post("/nlg", generate)
    app.router.add_get("/health", health)
    return app
