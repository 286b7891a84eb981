"""Speed-ups for the Rasa server process, installed by :mod:`rasa_ext.launch`.

Rasa 3.6 validates every action-server and NLG response with ``jsonschema.validate``, which
first checks the (constant) schema itself against the JSON-Schema meta-schema: a py-spy profile
put that check at about a third of Rasa's CPU per message (docs/benchmarks.md).
:func:`validate` checks each distinct schema once, then validates instances exactly as
``jsonschema.validate`` does (same validator class, same best-matching error).
"""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

import jsonschema
from jsonschema import exceptions, validators

_ORIGINAL_VALIDATE = jsonschema.validate


@lru_cache(maxsize=32)
def _validator(schema_json: str) -> Any:
    """The validator for a schema, built once after checking the schema (SchemaError if bad)."""
    schema = json.loads(schema_json)
    cls = validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def validate(instance: Any, schema: Any, cls: Any = None, *args: Any, **kwargs: Any) -> None:
    """``jsonschema.validate`` with the schema check done once per distinct schema."""
    if cls is not None or args or kwargs:
        _ORIGINAL_VALIDATE(instance, schema, cls, *args, **kwargs)
        return
    key = json.dumps(schema, sort_keys=True)
    error = exceptions.best_match(_validator(key).iter_errors(instance))
    if error is not None:
        raise error


def install() -> None:
    """Rasa imports ``validate`` from ``jsonschema`` at each call, so replacing the module's
    attribute reaches every caller."""
    jsonschema.validate = validate
