"""Staff edit the bot's words from a private chat: export a language's live catalog, send an
edited ``.po`` back (validated, stored as a draft), see what it changes, preview a message,
publish and roll back (publishers only), list versions, and see coverage.

Only accounts on STAFF_EDITORS or STAFF_PUBLISHERS reach these handlers (a filter on each
one), so for anyone else the commands and ``.po`` files fall through to the ordinary
handlers: the commands get no answer, as any unknown command, and a file gets the usual
"I can read text" reply. Nothing hints that the commands exist.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from telegram import Message, Update, User
from telegram.ext import BaseHandler, CommandHandler, ContextTypes, MessageHandler, filters

from bot.catalog_versions import CatalogVersions, Outcome, VersionView
from bot.i18n.catalogs import MAX_UPLOAD_BYTES, Changes
from bot.i18n.responses import Renderer, translatable
from bot.i18n.workflow import TRANSLATED
from bot.settings import Settings
from bot.telegram.render import split_text

SHOWN_CHANGES = 15
SHOWN_TEXT = 300
COMMANDS = ("po_export", "po_diff", "po_preview", "po_publish", "po_rollback", "po_versions",
            "coverage")


def who(user: User | None) -> str:
    if user is None:
        return "?"
    return f"@{user.username}" if user.username else user.full_name


def _short(text: str | None) -> str:
    if text is None:
        return "(English)"
    flat = " ".join(text.split())
    return flat if len(flat) <= SHOWN_TEXT else flat[:SHOWN_TEXT] + "…"


def changes_text(changes: Changes, limit: int = SHOWN_CHANGES) -> str:
    """The changes, one line each with old and new text, at most ``limit`` of them."""
    lines = [*(f"+ {c.key}: {_short(c.new)}" for c in changes.added),
             *(f"~ {c.key}: {_short(c.old)} → {_short(c.new)}" for c in changes.changed),
             *(f"- {c.key}: {_short(c.old)} (will show the English)" for c in changes.removed)]
    more = len(lines) - limit
    return "\n".join(lines[:limit] + ([f"… and {more} more"] if more > 0 else []))


def version_line(version: VersionView) -> str:
    origin = f"rollback to {version.restores}" if version.kind == "rollback" else "upload"
    line = (f"{version.number} · {version.state} · {origin} by {version.author_name} "
            f"({version.author_id}), {version.created_at:%Y-%m-%d %H:%M} UTC, from "
            f"{version.base_number}: {version.changes.summary()}")
    if version.published_at is not None and version.kind == "upload":
        line += (f"; published {version.published_at:%Y-%m-%d %H:%M} UTC by "
                 f"{version.published_by}")
    return line


class ScriptDesk:
    """The catalog commands; ``refresh`` makes this replica serve a publish at once (the
    others pick it up on their next reload pass)."""

    def __init__(self, versions: CatalogVersions, renderer: Renderer, settings: Settings,
                 refresh: Callable[[], object] | None = None) -> None:
        self.versions = versions
        self.renderer = renderer
        self.settings = settings
        self.refresh = refresh

    def handlers(self) -> list[BaseHandler[Any, Any, Any]]:
        """Handlers for listed staff in private chats only; add them before the ordinary
        ones."""
        staff = (filters.User(user_id=self.settings.script_staff) & filters.ChatType.PRIVATE
                 & ~filters.UpdateType.EDITED)
        callbacks = {"po_export": self.on_export, "po_diff": self.on_diff,
                     "po_preview": self.on_preview, "po_publish": self.on_publish,
                     "po_rollback": self.on_rollback, "po_versions": self.on_versions,
                     "coverage": self.on_coverage}
        handlers: list[BaseHandler[Any, Any, Any]] = [
            CommandHandler(name, callbacks[name], filters=staff) for name in COMMANDS]
        handlers.append(MessageHandler(filters.Document.FileExtension("po") & staff,
                                       self.on_upload))
        return handlers

    # -- replies -------------------------------------------------------------------------

    async def _say(self, message: Message, response: str, **values: object) -> None:
        for part in split_text(self.renderer.text(response, "en", **values)):
            await message.get_bot().send_message(message.chat_id, part)

    async def _usage(self, message: Message) -> None:
        await self._say(message, "staff_po_usage", languages=" ".join(TRANSLATED))

    @staticmethod
    def _language_and_number(args: list[str] | None) -> tuple[str, int] | None:
        if not args or len(args) != 2 or args[0].lower() not in TRANSLATED \
                or not args[1].isdigit():
            return None
        return args[0].lower(), int(args[1])

    # -- commands ------------------------------------------------------------------------

    async def on_export(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/po_export <lang>: the live catalog as a file that names its version."""
        message = update.effective_message
        if message is None:
            return
        if len(context.args or []) != 1 or (context.args or [""])[0].lower() not in TRANSLATED:
            await self._usage(message)
            return
        language = (context.args or [""])[0].lower()
        number, text = await asyncio.to_thread(self.versions.export, language)
        caption = self.renderer.text("staff_po_exported", "en", lang=language, number=number,
                                     state="shipped" if number == 0 else "live")
        await message.get_bot().send_document(
            message.chat_id, text.encode("utf-8"), filename=f"jaga-{language}-v{number}.po",
            caption=caption[:1024])

    async def on_upload(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An edited ``.po``: line-precise errors, or a draft with what it changes."""
        message = update.effective_message
        if message is None or message.document is None:
            return
        name = message.document.file_name or "upload.po"
        if (message.document.file_size or 0) > MAX_UPLOAD_BYTES:
            await self._say(message, "staff_po_unreadable", file=name)
            return
        file = await message.document.get_file()
        data = bytes(await file.download_as_bytearray())
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            await self._say(message, "staff_po_unreadable", file=name)
            return
        outcome = await asyncio.to_thread(self.versions.upload, text, update.effective_user.id
                                          if update.effective_user else 0,
                                          who(update.effective_user), name)
        if outcome.version is None:
            await self._say(message, "staff_po_invalid", count=len(outcome.errors), file=name,
                            errors="\n".join(f"• {e}" for e in outcome.errors[:30]))
            return
        version = outcome.version
        await self._say(message, "staff_po_draft", lang=version.language,
                        number=version.number, base=version.base_number, live=outcome.live,
                        summary=outcome.changes.summary(),
                        changes=changes_text(outcome.changes))
        if version.base_number != outcome.live:
            await self._say(message, "staff_po_draft_stale", lang=version.language,
                            live=outcome.live, base=version.base_number)

    async def on_diff(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/po_diff <lang> <number>: a version's changes against its base and the live one."""
        message = update.effective_message
        if message is None:
            return
        target = self._language_and_number(context.args)
        if target is None:
            await self._usage(message)
            return
        found = await asyncio.to_thread(self.versions.changes, *target)
        if found is None:
            await self._say(message, "staff_po_not_found", lang=target[0], number=target[1])
            return
        version, against_live, live = found
        await self._say(message, "staff_po_diff", lang=version.language, number=version.number,
                        state=version.state, kind=version.kind, who=version.author_name,
                        when=f"{version.created_at:%Y-%m-%d %H:%M} UTC",
                        base=version.base_number, summary=version.changes.summary(),
                        changes=changes_text(version.changes), live=live,
                        live_summary=against_live.summary())

    async def on_preview(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/po_preview <lang> <message_id> [number]: one message as a user would see it."""
        message = update.effective_message
        args = context.args or []
        if message is None:
            return
        if len(args) not in (2, 3) or args[0].lower() not in TRANSLATED \
                or (len(args) == 3 and not args[2].isdigit()):
            await self._usage(message)
            return
        language, key = args[0].lower(), args[1]
        if not self.renderer.has(key) or not translatable(key):
            await self._say(message, "staff_po_unknown_message", message_id=key)
            return
        number = int(args[2]) if len(args) == 3 else None
        preview = await asyncio.to_thread(self.versions.renderer_for, self.renderer, language,
                                          number)
        if preview is None:
            await self._say(message, "staff_po_not_found", lang=language, number=number)
            return
        shown = number if number is not None else "live"
        names = preview.sources[key].placeholders
        reply = preview.render(key, language, **{n: "{" + n + "}" for n in names})
        buttons = " ".join(f"[{b.title}]" for b in reply.buttons)
        await self._say(message, "staff_po_preview", message_id=key, lang=language, number=shown,
                        text=reply.text, buttons=buttons)

    async def on_publish(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/po_publish <lang> <number> (publishers): the draft goes live if it was made from
        the live version."""
        await self._publishing(update, context, lambda language, number, user: (
            self.versions.publish(language, number, user.id)))

    async def on_rollback(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/po_rollback <lang> <number> (publishers): a new live version with that content."""
        await self._publishing(update, context, lambda language, number, user: (
            self.versions.rollback(language, number, user.id, who(user))))

    async def _publishing(self, update: Update, context: ContextTypes.DEFAULT_TYPE,
                          act: Callable[[str, int, User], Outcome]) -> None:
        """Publishers only; runs ``act`` (a database transaction) off the event loop."""
        message, user = update.effective_message, update.effective_user
        if message is None or user is None:
            return
        if user.id not in self.settings.staff_publishers:
            await self._say(message, "staff_po_publishers_only")
            return
        target = self._language_and_number(context.args)
        if target is None:
            await self._usage(message)
            return
        outcome = await asyncio.to_thread(act, *target, user)
        await self._published(message, target, outcome)

    async def _published(self, message: Message, target: tuple[str, int],
                         outcome: Outcome) -> None:
        language, number = target
        if outcome.ok:
            if self.refresh is not None:
                await asyncio.to_thread(self.refresh)
            await self._say(message, "staff_po_published", lang=language, number=outcome.live,
                            summary=outcome.changes.summary())
        elif outcome.status == "stale" and outcome.version is not None:
            await self._say(message, "staff_po_stale", lang=language, number=number,
                            base=outcome.version.base_number, live=outcome.live,
                            summary=outcome.changes.summary(),
                            changes=changes_text(outcome.changes))
        elif outcome.status == "invalid":
            await self._say(message, "staff_po_invalid", count=len(outcome.errors),
                            file=f"{language} {number}",
                            errors="\n".join(f"• {e}" for e in outcome.errors[:30]))
        elif outcome.status == "published_already":
            await self._say(message, "staff_po_published_already", lang=language,
                            number=number)
        elif outcome.status == "same":
            await self._say(message, "staff_po_same", lang=language, number=number)
        else:
            await self._say(message, "staff_po_not_found", lang=language, number=number)

    async def on_versions(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/po_versions <lang>: the newest versions with who, when and what changed."""
        message = update.effective_message
        if message is None:
            return
        args = context.args or []
        if len(args) != 1 or args[0].lower() not in TRANSLATED:
            await self._usage(message)
            return
        history = await asyncio.to_thread(self.versions.history, args[0].lower())
        live0 = "" if any(v.live for v in history) else " · live"
        await self._say(message, "staff_po_versions", lang=args[0].lower(),
                        lines="\n".join(version_line(v) for v in history) or "(no uploads)",
                        live0=live0)

    async def on_coverage(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """/coverage: translated, reviewed and missing messages per language."""
        message = update.effective_message
        if message is None:
            return
        rows = await asyncio.to_thread(self.versions.coverage)
        total = rows[0].translated + rows[0].missing if rows else 0
        await self._say(message, "staff_po_coverage", total=total,
                        lines="\n".join(row.line() for row in rows))
