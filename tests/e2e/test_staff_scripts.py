"""Staff edit the bot's words from Telegram, through the real Application, a fake Bot API over
HTTP and the real Rasa: export, upload (refused or a draft), preview, publish (publishers
only; of two at once one wins), rollback, versions and coverage; outsiders see nothing, and a
user's conversation carries on across a publish with the new words."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from dataclasses import replace

import pytest

from bot.i18n.workflow import TRANSLATED
from bot.telegram.scripts import ScriptDesk
from tests.conftest import LiveBot
from tests.e2e.test_telegram import TelegramHarness

EDITOR, PUBLISHER, PUBLISHER_2, OUTSIDER = 610_000_001, 610_000_002, 610_000_003, 610_000_004
_users = itertools.count(611_000_001)
_files = itertools.count(1)


class ScriptHarness(TelegramHarness):
    def __init__(self, live: LiveBot) -> None:
        runtime = live.runtime
        staff = {"staff_editors": frozenset({EDITOR}),
                 "staff_publishers": frozenset({PUBLISHER, PUBLISHER_2})}
        self.desk = ScriptDesk(runtime.catalogs, runtime.renderer,
                               replace(runtime.settings, **staff),
                               runtime.live_responses.reload_if_changed)
        super().__init__(live, scripts=self.desk, **staff)

    def command(self, user: int, text: str, replies: int = 1) -> list[str]:
        return self.exchange(self.api.message_update(user, text), user, replies)

    def export(self, user: int, language: str) -> str:
        before = len(self.api.documents_to(user))
        self.live.run(self.api.push(self.api.message_update(user, f"/po_export {language}")))
        self.live.run(self.api.wait_for(lambda: len(self.api.documents_to(user)) > before))
        document = self.api.documents_to(user)[-1].params["document"]
        assert document["filename"].startswith(f"jaga-{language}-v")
        return bytes(document["content"]).decode("utf-8")

    def upload(self, user: int, text: str, replies: int = 1) -> list[str]:
        file_id = f"po{next(_files)}"
        data = text.encode("utf-8")
        self.api.add_document(file_id, f"{file_id}.po", data)
        return self.exchange(self.api.document_update(user, file_id, f"{file_id}.po",
                                                      len(data)), user, replies)


@pytest.fixture(scope="module")
def staff(live_bot: LiveBot) -> Iterator[ScriptHarness]:
    harness = ScriptHarness(live_bot)
    yield harness
    harness.close()
    catalogs = live_bot.runtime.catalogs
    for language in TRANSLATED:  # later tests see the shipped texts again
        if catalogs.live(language)[0]:
            catalogs.rollback(language, 0, PUBLISHER, "test teardown")
    live_bot.runtime.live_responses.reload_if_changed()


def set_msgstr(text: str, key: str, new: str) -> str:
    """Edits one translation as a translator would in a text editor."""
    lines = text.splitlines()
    index = next(i for i in range(lines.index(f'msgctxt "{key}"'), len(lines))
                 if lines[i].startswith("msgstr"))
    end = index + 1
    while end < len(lines) and lines[end].startswith('"'):
        end += 1
    lines[index:end] = [f'msgstr "{new}"']
    return "\n".join(lines) + "\n"


def test_outsiders_get_the_ordinary_treatment_and_no_hint(staff: ScriptHarness,
                                                         live_bot: LiveBot) -> None:
    # Exactly what any unknown command gets (the menu); no document, nothing that names them.
    ordinary = staff.command(OUTSIDER, "/no_such_command")
    assert ordinary == [live_bot.text("utter_greet", "en")]
    for command in ("/po_export th", "/po_publish th 1", "/coverage", "/po_versions th"):
        assert staff.command(OUTSIDER, command) == ordinary, command
    assert staff.api.documents_to(OUTSIDER) == []
    # A .po file from an outsider is just a file the bot cannot read.
    replies = staff.upload(OUTSIDER, staff.export(EDITOR, "th"))
    assert replies == [live_bot.text("msg_unsupported_message", "en")]
    assert all(v.author_id != OUTSIDER for v in live_bot.runtime.catalogs.history("th"))


def test_invalid_uploads_are_refused_with_their_lines(staff: ScriptHarness) -> None:
    exported = staff.export(EDITOR, "id")
    broken = set_msgstr(exported, "msg_contacts_host", "Nomor lokal di {negara}:")
    [reply] = staff.upload(EDITOR, broken)
    line = broken.splitlines().index('msgctxt "msg_contacts_host"') + 2
    assert reply.startswith("❌ Not saved: 1 problems")
    assert f":{line}: msg_contacts_host placeholders ['negara']" in reply
    [reply] = staff.upload(EDITOR, exported.replace('msgstr "', 'msgstr "oops\n', 1))
    assert "not valid .po syntax" in reply
    [reply] = staff.upload(EDITOR, set_msgstr(exported, "utter_goodbye", "x" * 4100))
    assert "utter_goodbye is over 4096 characters" in reply
    assert staff.live.runtime.catalogs.history("id") == []


def test_edit_preview_publish_and_a_conversation_across_the_publish(
        staff: ScriptHarness, live_bot: LiveBot) -> None:
    old = live_bot.text("msg_choose_language", "th")
    new = "เลือกภาษาที่คุณอ่านง่ายที่สุด (ฉบับแก้ไข)"
    exported = staff.export(EDITOR, "th")
    assert '"X-Jaga-Base: th 0\\n"' in exported
    [draft] = staff.upload(EDITOR, set_msgstr(exported, "msg_choose_language", new))
    assert "Draft th 1 saved (made from version 0; live: 0)" in draft
    assert "0 added, 1 changed, 0 removed" in draft
    assert f"~ msg_choose_language: {old} → {new}" in draft

    [preview] = staff.command(EDITOR, "/po_preview th msg_choose_language 1")
    assert new in preview
    [live_preview] = staff.command(EDITOR, "/po_preview th msg_choose_language")
    assert old in live_preview and new not in live_preview
    [versions] = staff.command(EDITOR, "/po_versions th")
    assert f"1 · draft · upload by User{EDITOR} ({EDITOR})" in versions and " UTC" in versions
    assert staff.command(EDITOR, "/po_publish th 1") == [
        live_bot.text("staff_po_publishers_only", "en")]
    assert live_bot.text("msg_choose_language", "th") == old  # nothing went live

    # A user is mid-conversation, with the menu's buttons on screen ...
    user = next(_users)
    staff.exchange(staff.api.message_update(user, "/start", "th"), user)
    menu = [b["callback_data"] for b in staff.keyboard_of_last(user)]
    [published] = staff.command(PUBLISHER, "/po_publish th 1")
    assert published.startswith("✅ th version 1 is live")
    assert live_bot.text("msg_choose_language", "th") == new
    # ... and the same buttons keep working, now with the new words.
    assert "/change_language" in menu
    replies = staff.exchange(staff.api.callback_update(user, "/change_language", "th"), user)
    assert replies[0] == new
    [versions] = staff.command(PUBLISHER, "/po_versions th")
    assert f"1 · live · upload by User{EDITOR}" in versions and f"by {PUBLISHER}" in versions


def test_two_publishers_at_once_one_wins_and_rollback_is_a_new_version(
        staff: ScriptHarness, live_bot: LiveBot) -> None:
    shipped = live_bot.text("utter_goodbye", "km")
    exported = staff.export(EDITOR, "km")
    staff.upload(EDITOR, set_msgstr(exported, "utter_goodbye", "លាហើយ A"))
    staff.upload(EDITOR, set_msgstr(exported, "utter_goodbye", "លាហើយ B"))
    drafts = sorted(v.number for v in live_bot.runtime.catalogs.history("km"))
    assert len(drafts) == 2
    before = {u: len(staff.api.sent_to(u)) for u in (PUBLISHER, PUBLISHER_2)}
    for user, number in zip((PUBLISHER, PUBLISHER_2), drafts, strict=True):
        staff.live.run(staff.api.push(staff.api.message_update(user, f"/po_publish km {number}")))
    staff.live.run(staff.api.wait_for(lambda: all(
        len(staff.api.sent_to(u)) > before[u] for u in before)))
    answers = [str(staff.api.sent_to(u)[-1].params["text"]) for u in (PUBLISHER, PUBLISHER_2)]
    assert sorted(a[:1] for a in answers) == ["✅", "❌"], answers
    loser = next(a for a in answers if a.startswith("❌"))
    assert "is live now. Publishing it would undo those changes" in loser
    winner_text = "លាហើយ A" if answers[0].startswith("✅") else "លាហើយ B"
    assert live_bot.text("utter_goodbye", "km") == winner_text
    assert f"→ {'លាហើយ B' if winner_text == 'លាហើយ A' else 'លាហើយ A'}" in loser

    [rolled] = staff.command(PUBLISHER, "/po_rollback km 0")
    assert rolled.startswith("✅ km version 3 is live")
    assert live_bot.text("utter_goodbye", "km") == shipped
    [versions] = staff.command(EDITOR, "/po_versions km")
    assert f"3 · live · rollback to 0 by User{PUBLISHER}" in versions
    assert staff.command(EDITOR, "/po_rollback km 1") == [
        live_bot.text("staff_po_publishers_only", "en")]


def test_coverage_per_language(staff: ScriptHarness) -> None:
    [reply] = staff.command(EDITOR, "/coverage")
    for language in TRANSLATED:
        assert f"{language}: " in reply
    assert reply.count(" 0 reviewed") == len(TRANSLATED)  # AI drafts are never reviewed
