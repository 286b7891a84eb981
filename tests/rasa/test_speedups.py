"""Rasa-side speed-ups, run in the Rasa environment: the cached schema check validates exactly
as jsonschema does, and the tracker store saves exactly the events Rasa's own store would."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.rasa.rasa_env import run_in_rasa

SCRIPT = r"""
import asyncio, json, sqlite3, sys
import jsonschema
from unittest import mock
from rasa.core.actions.action import RemoteAction
from rasa.core.nlg.callback import nlg_response_format_spec
from rasa.core.tracker_store import SQLTrackerStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
from rasa_ext import speedups
from rasa_ext.tracker_store import JagaSQLTrackerStore

out = {}

# 1. Schema validation: same verdicts and messages as jsonschema.validate.
original = jsonschema.validate
cases = [
    (RemoteAction.action_response_format_spec(), {"events": [], "responses": [{"text": "hi"}]}),
    (RemoteAction.action_response_format_spec(), {"events": [{"event": "slot", "name": "x",
                                                             "value": 1}], "responses": []}),
    (RemoteAction.action_response_format_spec(), {"events": "nope"}),
    (RemoteAction.action_response_format_spec(), {"events": [{"event": 3}]}),
    (nlg_response_format_spec(), {"text": "hi", "buttons": [], "custom": {"a": 1}}),
    (nlg_response_format_spec(), {"text": 5}),
    (nlg_response_format_spec(), ["not", "an", "object"]),
]
def verdict(validate, schema, instance):
    try:
        validate(instance, schema)
        return "valid"
    except jsonschema.ValidationError as error:
        return "invalid: " + error.message
out["original"] = [verdict(original, s, i) for s, i in cases]
with mock.patch.object(jsonschema.validators.Draft202012Validator, "check_schema",
                       wraps=jsonschema.validators.Draft202012Validator.check_schema) as check, \
     mock.patch.object(jsonschema.validators.Draft7Validator, "check_schema",
                       wraps=jsonschema.validators.Draft7Validator.check_schema) as check7:
    out["cached"] = [verdict(speedups.validate, s, i) for s, i in cases * 3]
    out["schema_checks"] = check.call_count + check7.call_count
speedups.install()
from jsonschema import validate as looked_up
out["installed"] = looked_up is speedups.validate

# 2. Tracker store: the same rows as Rasa's SQLTrackerStore, fewer queries, WAL mode.
domain = Domain.from_dict({"slots": {"x": {"type": "any", "mappings": []}}})
async def conversation(store, sender):
    tracker = await store.get_or_create_tracker(sender)
    for turn in range(3):
        tracker = await store.retrieve(sender)
        tracker.update(UserUttered(f"hello {turn}", {"name": "greet", "confidence": 1.0}))
        tracker.update(SlotSet("x", turn))
        tracker.update(ActionExecuted("action_listen"))
        await store.save(tracker)
    again = await store.retrieve(sender)
    again.update(SlotSet("x", "twice"))
    await store.save(again)
    await store.save(again)  # a second save of the same tracker adds nothing
    return [e.as_dict()["event"] for e in (await store.retrieve_full_tracker(sender)).events]

def rows(db, sender):
    with sqlite3.connect(db) as connection:
        return [r for r in connection.execute(
            "select type_name, intent_name, action_name from events where sender_id = ? "
            "order by id", (sender,))]

base, jaga = sys.argv[1] + "/base.db", sys.argv[1] + "/jaga.db"
out["base_events"] = asyncio.run(conversation(SQLTrackerStore(domain, db=base), "u1"))
store = JagaSQLTrackerStore(domain=domain, dialect="sqlite", db=jaga)
statements = []
import sqlalchemy as sa
sa.event.listen(store.engine, "before_cursor_execute",
                lambda conn, cursor, statement, *a: statements.append(statement))
out["jaga_events"] = asyncio.run(conversation(store, "u1"))
out["same_rows"] = rows(base, "u1") == rows(jaga, "u1")
out["row_count"] = len(rows(jaga, "u1"))
out["counts"] = sum("count(" in s.lower() for s in statements)
statements.clear()
from rasa.shared.core.trackers import DialogueStateTracker
rebuilt = DialogueStateTracker.from_dict("u1", [e.as_dict() for e in asyncio.run(
    store.retrieve("u1")).events], domain.slots)
asyncio.run(store.save(rebuilt))  # not from this store: counted, so nothing is duplicated
out["unknown_tracker_counted"] = sum("count(" in s.lower() for s in statements)
out["rows_after_rebuilt"] = len(rows(jaga, "u1"))
out["journal"] = sqlite3.connect(jaga).execute("pragma journal_mode").fetchone()[0]
print(json.dumps(out))
"""


@pytest.fixture(scope="module")
def result(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Every check in one Rasa-environment process (importing Rasa takes tens of seconds)."""
    work: Path = tmp_path_factory.mktemp("speedups")
    return dict(run_in_rasa(SCRIPT, str(work)))


def test_cached_validation_gives_jsonschemas_verdicts_and_messages(result: dict[str, Any]
                                                                   ) -> None:
    assert result["original"][0] == result["original"][1] == "valid"
    assert all(v.startswith("invalid") for v in result["original"][2:4])
    assert result["cached"] == result["original"] * 3


def test_each_schema_is_checked_once_not_per_response(result: dict[str, Any]) -> None:
    assert result["schema_checks"] == 2  # the action and the NLG schema, 21 validations
    assert result["installed"]


def test_tracker_store_saves_the_same_events_as_rasas_store(result: dict[str, Any]) -> None:
    assert result["jaga_events"] == result["base_events"]
    assert result["same_rows"]
    # the new tracker's listen, 3 turns of 3 events and one slot: nothing duplicated
    assert result["row_count"] == 1 + 3 * 3 + 1
    assert result["rows_after_rebuilt"] == result["row_count"]


def test_tracker_store_never_recounts_what_it_retrieved_created_or_saved(
        result: dict[str, Any]) -> None:
    # Rasa's store counts the stored events before every save (6 here).
    assert result["counts"] == 0
    assert result["unknown_tracker_counted"] == 1
    assert result["journal"] == "wal"
