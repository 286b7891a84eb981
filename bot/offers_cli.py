"""``jaga check-offer``: check one job offer read from stdin, or many from a JSON-lines file.

Examples::

    echo "gaji 15 juta/bulan, kerja di Kamboja, hubungi @hr_cs88" | jaga check-offer
    jaga check-offer --json --origin ID < offer.txt
    jaga check-offer --jsonl offers.jsonl > verdicts.jsonl
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, TextIO

from bot.i18n.zawgyi import to_unicode
from bot.services.offers import Lexicon, Verdict, check_offer


def verdict_json(verdict: Verdict) -> dict[str, Any]:
    """The verdict as plain JSON-able data (quotes are the exact words of the offer)."""
    facts = verdict.facts
    return {
        "risk": verdict.risk,
        "score": verdict.score,
        "signs": [{"id": h.id, "quote": h.quote} for h in verdict.signs],
        "legit_signs": [{"id": h.id, "quote": h.quote} for h in verdict.legit_signs],
        "facts": {
            "pay": [{"amount": p.amount, "amount_min": p.amount_min, "currency": p.currency,
                     "period": p.period, "usd_month_estimate": p.usd_month_estimate,
                     "quote": p.quote} for p in facts.pay],
            "job_types": [{"term": f.term, "quote": f.quote} for f in facts.job_types],
            "destinations": [{"country": d.country, "place": d.place, "quote": d.quote}
                             for d in facts.destinations],
            "travel_visa": [{"term": f.term, "quote": f.quote} for f in facts.travel_visa],
            "fees": [{"term": f.term, "quote": f.quote} for f in facts.fees],
            "requirements": [{"term": f.term, "quote": f.quote} for f in facts.requirements],
            "urgency": [{"term": f.term, "quote": f.quote} for f in facts.urgency],
            "contacts": [{"kind": c.kind, "key": c.key, "country": c.country, "quote": c.quote}
                         for c in facts.contacts],
        },
        "combinations": list(verdict.combinations),
        "language": verdict.language,
        "origin": verdict.origin,
        "verify_next": list(verdict.verify_next),
    }


def _english(texts: Mapping[str, str], key: str) -> str:
    return texts.get(key, "")


def format_verdict(verdict: Verdict, texts: Mapping[str, str] | None = None) -> str:
    """A readable report: risk, each sign with its quote, legit signs, facts, next steps."""
    texts = texts or {}
    lines = [f"Risk: {verdict.risk.upper()} (score {verdict.score:g})"]
    line = _english(texts, f"offer_risk_{verdict.risk}")
    if line:
        lines.append(f"  {line}")
    if verdict.signs:
        lines.append("Warning signs:")
        for hit in verdict.signs:
            lines.append(f"  - {hit.id}: \u201c{hit.quote}\u201d")
            why = _english(texts, f"offer_sign_{hit.id}")
            if why:
                lines.append(f"      {why}")
    if verdict.combinations:
        lines.append("Found together: " + ", ".join(verdict.combinations))
    if verdict.legit_signs:
        lines.append("Signs of an official route (still verify):")
        for hit in verdict.legit_signs:
            lines.append(f"  + {hit.id}: \u201c{hit.quote}\u201d")
    facts = verdict.facts
    fact_lines = []
    for pay in facts.pay:
        estimate = (f" (about USD {pay.usd_month_estimate:,.0f}/month, approximate)"
                    if pay.usd_month_estimate is not None else "")
        fact_lines.append(f"  pay: \u201c{pay.quote}\u201d = {pay.amount:,.0f} "
                          f"{pay.currency or '?'} per {pay.period or 'month?'}{estimate}")
    for destination in facts.destinations:
        where = destination.country + (f"/{destination.place}" if destination.place else "")
        fact_lines.append(f"  destination: \u201c{destination.quote}\u201d ({where})")
    for kind in ("job_types", "travel_visa", "fees", "requirements", "urgency"):
        for fact in getattr(facts, kind):
            fact_lines.append(f"  {kind}: \u201c{fact.quote}\u201d ({fact.term})")
    for contact in facts.contacts:
        country = f", {contact.country}" if contact.country else ""
        fact_lines.append(f"  contact: \u201c{contact.quote}\u201d ({contact.kind} "
                          f"{contact.key}{country})")
    if fact_lines:
        lines.append("Facts:")
        lines.extend(fact_lines)
    if verdict.verify_next:
        lines.append("Next steps:")
        for key in verdict.verify_next:
            lines.append(f"  * {_english(texts, key) or key}")
    return "\n".join(lines) + "\n"


def _load_texts() -> dict[str, str]:
    """English texts of the offer responses (ids -> text); empty if they cannot be read."""
    try:
        from bot.i18n.responses import load_sources
        from bot.settings import PROJECT_ROOT

        return {k: m.text for k, m in load_sources(PROJECT_ROOT / "responses").items()
                if k.startswith("offer_")}
    except Exception:  # the report works without the texts
        return {}


def _safe(text: str) -> str:
    """Lone surrogates (from undecodable input) cannot be written as UTF-8."""
    return text.encode("utf-8", "replace").decode("utf-8")


def check_lines(lines: Iterable[str], lexicon: Lexicon, origin: str | None,
                reported: Mapping[str, int], stdout: TextIO) -> int:
    """One JSON verdict per input line ``{"id", "text", ...}``; returns the number of errors."""
    errors = 0
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            if not isinstance(row, dict):
                raise ValueError("not a JSON object")
            text = row.get("text")
            if not isinstance(text, str):
                raise ValueError('no "text" string')
        except ValueError as exc:
            errors += 1
            stdout.write(json.dumps({"id": None, "line": number, "error": str(exc)}) + "\n")
            continue
        row_origin = row.get("origin") if isinstance(row.get("origin"), str) else origin
        # Burmese typed in Zawgyi is read as Unicode, as the bot reads it (bot/conversation.py)
        verdict = check_offer(to_unicode(text), lexicon, row_origin, reported)
        stdout.write(_safe(json.dumps({"id": row.get("id"), **verdict_json(verdict)},
                                      ensure_ascii=False)) + "\n")
    return errors


def run(argv: list[str], stdin: TextIO, stdout: TextIO) -> int:
    """Checks one offer from ``stdin`` (or every line of ``--jsonl FILE``) and prints verdicts."""
    parser = argparse.ArgumentParser(prog="jaga check-offer",
                                     description="Check a job offer for warning signs.")
    parser.add_argument("--json", action="store_true", help="print the verdict as JSON")
    parser.add_argument("--jsonl", metavar="FILE",
                        help='check each line {"id", "text", ...} of FILE ("-" = stdin)')
    parser.add_argument("--origin", metavar="XX",
                        help="the user's country (ISO code, e.g. ID, PH, VN)")
    parser.add_argument("--reported", metavar="FILE",
                        help="JSON object of reported contacts: normalised key -> count")
    args = parser.parse_args(argv)
    from bot.offer_data import LexiconError, load_lexicon

    try:
        lexicon = load_lexicon()
    except (LexiconError, OSError) as exc:
        sys.stderr.write(f"jaga check-offer: {exc}\n")
        return 2
    reported: dict[str, int] = {}
    if args.reported:
        try:
            loaded = json.loads(Path(args.reported).read_text(encoding="utf-8"))
            reported = {str(k): int(v) for k, v in dict(loaded).items()}
        except (OSError, ValueError, TypeError) as exc:
            sys.stderr.write(f"jaga check-offer: --reported: {exc}\n")
            return 2
    origin = args.origin.upper() if args.origin else None
    if args.jsonl:
        if args.jsonl == "-":
            errors = check_lines(stdin, lexicon, origin, reported, stdout)
        else:
            try:
                with open(args.jsonl, encoding="utf-8", errors="replace") as handle:
                    errors = check_lines(handle, lexicon, origin, reported, stdout)
            except OSError as exc:
                sys.stderr.write(f"jaga check-offer: {exc}\n")
                return 2
        return 1 if errors else 0
    verdict = check_offer(to_unicode(stdin.read()), lexicon, origin, reported)
    if args.json:
        stdout.write(_safe(json.dumps(verdict_json(verdict), ensure_ascii=False)) + "\n")
    else:
        stdout.write(_safe(format_verdict(verdict, _load_texts())))
    return 0


def _main(argv: Sequence[str] | None = None) -> int:  # pragma: no cover
    return run(list(sys.argv[1:] if argv is None else argv), sys.stdin, sys.stdout)


if __name__ == "__main__":  # pragma: no cover
    raise SystemExit(_main())
