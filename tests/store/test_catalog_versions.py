"""Catalog versions on SQLite and PostgreSQL: drafts, publish (no lost update when two race),
rollback as a new version, history with who and when, and the live renderer's overlay."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from bot.catalog_versions import CatalogVersions, Outcome
from bot.i18n.live import LiveResponses
from bot.i18n.responses import Renderer
from bot.settings import PROJECT_ROOT
from bot.store.database import Database
from tests.unit.test_catalogs import edited

EDITOR, PUBLISHER, OTHER = 41, 42, 43


@pytest.fixture
def versions(fresh_database_url: str) -> Iterator[CatalogVersions]:
    database = Database(fresh_database_url)
    database.migrate()
    yield CatalogVersions(database, PROJECT_ROOT)
    database.dispose()


def upload(versions: CatalogVersions, text: str, author: int = EDITOR) -> Outcome:
    outcome = versions.upload(text, author, f"user{author}")
    assert outcome.ok, outcome.errors
    return outcome


def test_an_upload_is_a_draft_with_its_changes_and_publishing_makes_it_live(
        versions: CatalogVersions) -> None:
    draft = upload(versions, edited("th", {"utter_goodbye": "ลาก่อนนะ ดูแลตัวเองด้วย"}))
    assert draft.version is not None and draft.version.number == 1
    assert draft.version.state == "draft" and draft.live == 0
    assert [(c.key, c.new) for c in draft.changes.changed] == [
        ("utter_goodbye", "ลาก่อนนะ ดูแลตัวเองด้วย")]
    assert versions.live("th")[0] == 0  # an upload alone is never live

    published = versions.publish("th", 1, PUBLISHER)
    assert published.ok and published.live == 1
    assert versions.live("th")[0] == 1
    assert versions.publish("th", 1, PUBLISHER).status == "published_already"
    assert versions.publish("th", 9, PUBLISHER).status == "not_found"
    [view] = versions.history("th")
    assert (view.author_id, view.author_name, view.published_by) == (EDITOR, "user41", PUBLISHER)
    assert view.state == "live" and view.created_at is not None and view.published_at


def test_an_invalid_upload_stores_nothing(versions: CatalogVersions) -> None:
    outcome = versions.upload(edited("id", {"msg_contacts_host": "Nomor {negara}:"}), EDITOR,
                              "e")
    assert outcome.status == "invalid" and "msg_contacts_host placeholders" in outcome.errors[0]
    assert versions.history("id") == []


def test_two_publishers_at_once_exactly_one_wins_and_nothing_is_lost(
        versions: CatalogVersions) -> None:
    first = upload(versions, edited("vi", {"utter_goodbye": "Tạm biệt (A)"}))
    second = upload(versions, edited("vi", {"utter_greet": "Xin chào (B)"}), OTHER)
    assert first.version and second.version
    results: list[Outcome] = []
    start = threading.Barrier(2)

    def publish(number: int) -> None:
        start.wait()
        results.append(versions.publish("vi", number, PUBLISHER))

    threads = [threading.Thread(target=publish, args=(n,))
               for n in (first.version.number, second.version.number)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert sorted(r.status for r in results) == ["ok", "stale"]
    winner = next(r for r in results if r.ok)
    loser = next(r for r in results if not r.ok)
    assert versions.live("vi")[0] == winner.live
    # The loser is told what its draft would undo: the winner's change.
    assert loser.version is not None and loser.live == winner.live
    undone = {c.key for c in loser.changes.changed}
    assert undone == {"utter_goodbye", "utter_greet"}
    # Its draft is kept, never published.
    assert next(v for v in versions.history("vi") if v.number == loser.version.number
                ).state == "draft"


def test_rollback_publishes_a_new_version_with_the_old_content(
        versions: CatalogVersions) -> None:
    upload(versions, edited("km", {"utter_goodbye": "លាហើយ v1"}))
    versions.publish("km", 1, PUBLISHER)
    upload(versions, edited("km", {"utter_goodbye": "លាហើយ v2"}, base=1))
    assert versions.publish("km", 2, PUBLISHER).ok
    rolled = versions.rollback("km", 1, PUBLISHER, "pub")
    assert rolled.ok and rolled.live == 3
    assert [(c.key, c.old, c.new) for c in rolled.changes.changed] == [
        ("utter_goodbye", "លាហើយ v2", "លាហើយ v1")]
    history = versions.history("km")
    assert [(v.number, v.kind, v.restores, v.state) for v in history] == [
        (3, "rollback", 1, "live"), (2, "upload", None, "published"),
        (1, "upload", None, "published")]
    assert versions.contents(versions.live("km")[1], "km").texts["utter_goodbye"] == "លាហើយ v1"
    assert versions.rollback("km", 3, PUBLISHER, "pub").status == "same"
    back = versions.rollback("km", 0, PUBLISHER, "pub")  # the shipped catalog again
    assert back.ok and versions.live("km")[1] == versions.shipped("km")
    assert "km" not in versions.heads()  # the renderer reads locales/ itself again
    assert versions.rollback("km", 0, PUBLISHER, "pub").status == "same"
    # A draft made from version 1 can no longer be published: 4 is live.
    upload(versions, edited("km", {"utter_greet": "late"}, base=1))
    assert versions.publish("km", 5, PUBLISHER).status == "stale"


def test_the_live_renderer_serves_a_publish_and_a_rollback(versions: CatalogVersions) -> None:
    renderer = Renderer.from_directories(PROJECT_ROOT / "responses", PROJECT_ROOT / "locales")
    shipped = renderer.text("utter_goodbye", "lo")
    live = LiveResponses(renderer, PROJECT_ROOT, versions)
    live.reload_if_changed()
    upload(versions, edited("lo", {"utter_goodbye": "ລາກ່ອນ (ໃໝ່)"}))
    assert live.reload_if_changed() is None  # a draft changes nothing
    versions.publish("lo", 1, PUBLISHER)
    assert live.reload_if_changed() is True
    assert renderer.text("utter_goodbye", "lo") == "ລາກ່ອນ (ໃໝ່)"
    assert renderer.text("utter_goodbye", "th") != "ລາກ່ອນ (ໃໝ່)"  # other languages keep theirs
    versions.rollback("lo", 0, PUBLISHER, "pub")
    assert live.reload_if_changed() is True
    assert renderer.text("utter_goodbye", "lo") == shipped


def test_coverage_follows_the_live_version(versions: CatalogVersions) -> None:
    before = {row.language: row for row in versions.coverage()}
    assert all(row.reviewed == 0 for row in before.values())
    upload(versions, edited("id", {"utter_goodbye": None},
                            comments={"utter_greet": ["reviewed: Dewi 2026-12-02"]}))
    versions.publish("id", 1, PUBLISHER)
    after = {row.language: row for row in versions.coverage()}["id"]
    assert (after.translated, after.reviewed, after.missing) == (
        before["id"].translated - 1, 1, 1)


def test_the_head_moves_only_from_the_version_a_publisher_read(
        versions: CatalogVersions) -> None:
    """Two transactions read head 0; after the first moves it, the second cannot."""
    from sqlalchemy.exc import IntegrityError, OperationalError

    from bot.store.repositories import CatalogVersionRepository

    maker = versions.database._sessions
    with maker() as first, maker() as second:
        assert CatalogVersionRepository(first).head("my") == 0
        assert CatalogVersionRepository(second).head("my") == 0
        assert CatalogVersionRepository(first).advance("my", 0, 1)
        first.commit()
        try:
            moved = CatalogVersionRepository(second).advance("my", 0, 2)
        except (OperationalError, IntegrityError):  # SQLite: a write from a stale snapshot
            moved = False
        second.rollback()
    assert moved is False
    with versions.database.session() as session:
        assert CatalogVersionRepository(session).heads() == {"my": 1}


def test_a_rollback_to_the_shipped_catalog_follows_a_new_release(fresh_database_url: str,
                                                                tmp_path: Path) -> None:
    for name in ("responses", "locales"):
        shutil.copytree(PROJECT_ROOT / name, tmp_path / name)
    database = Database(fresh_database_url)
    database.migrate()
    versions = CatalogVersions(database, tmp_path)
    upload(versions, edited("tl", {"utter_goodbye": "Paalam (staff)"}))
    versions.publish("tl", 1, PUBLISHER)
    assert versions.rollback("tl", 0, PUBLISHER, "pub").ok
    po = tmp_path / "locales" / "tl" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8") + "\n# a new release\n", encoding="utf-8")
    assert versions.live("tl") == (2, po.read_text(encoding="utf-8"))
    again = versions.rollback("tl", 1, PUBLISHER, "pub")
    assert again.ok and versions.heads() == {"tl": 3}
    assert versions.rollback("tl", 2, PUBLISHER, "pub").version.restores == 0  # type: ignore[union-attr]
    database.dispose()
