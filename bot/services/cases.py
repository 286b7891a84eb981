"""Help-request cases: short references people can read out, and the allowed status changes.

Pure logic; storage and Telegram are elsewhere.
"""

from __future__ import annotations

import secrets

# No 0/O, 1/I/L: a worker may read the reference aloud on a bad phone line.
REFERENCE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
STATUSES = ("new", "acknowledged", "taken", "contacted", "resolved")
# Which staff action moves a case from which statuses to which one.
TRANSITIONS = {
    "ack": ({"new"}, "acknowledged"),
    "take": ({"new", "acknowledged"}, "taken"),
    "contacted": ({"acknowledged", "taken"}, "contacted"),
    "resolve": ({"new", "acknowledged", "taken", "contacted"}, "resolved"),
}


def new_reference(length: int = 6) -> str:
    """``JG-7K3Q9M``: random, unambiguous when read aloud."""
    return "JG-" + "".join(secrets.choice(REFERENCE_ALPHABET) for _ in range(length))


def next_status(current: str, action: str) -> str | None:
    """The status after ``action``, or None when the action does not apply now."""
    allowed, target = TRANSITIONS.get(action, (set(), ""))
    return target if current in allowed else None


def is_open(status: str) -> bool:
    return status != "resolved"
