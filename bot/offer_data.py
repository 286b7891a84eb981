"""Loads ``data/offers/signs.yml`` (and the gazetteer) into the offer checker's :class:`Lexicon`.

The edge between the data file and the pure service :mod:`bot.services.offers`. It refuses
anything it does not understand, and names the sign: an unknown field, a sign without a
source, a pattern that does not compile (or matches nothing but the empty string), a
combination that names an unknown sign, a place that the gazetteer does not know.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import yaml

from bot.reference import load_gazetteer
from bot.services.gazetteer import Gazetteer
from bot.services.offers import (
    ANY_LANGUAGE,
    COMPUTED,
    FACT_KINDS,
    LANGUAGES,
    PERIODS,
    Combination,
    Currency,
    DestinationConfig,
    FactRule,
    Lexicon,
    Multiplier,
    PayConfig,
    Settings,
    SignRule,
)
from bot.services.report_model import ReportModel, ReportModelError, parse_report_model
from bot.settings import PROJECT_ROOT
from bot.yamlfile import DuplicateKeyError, load_unique

SIGNS_FILE = Path("data") / "offers" / "signs.yml"
REPORT_MODEL_FILE = Path("data") / "offers" / "report_model.json"
FACT_PSEUDO_SIGNS = ("fact:job", "fact:pay", "fact:abroad", "fact:abroad_word")
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")

_TOP = {"version", "settings", "negations", "signs", "legit", "combinations", "facts", "pay",
        "destinations", "verify", "reporting_frames"}
_SIGN = {"id", "category", "weight", "sources", "patterns", "computed", "negatable", "note",
         "min_patterns"}
_COMBINATION = {"id", "bonus", "sources", "all_of", "note"}
_FACT = {"kind", "term", "patterns", "note"}
_PAY = {"rates_note", "currencies", "multipliers", "periods", "period_prefixes",
        "months_per_period", "context_words", "fee_words", "origin_currency", "thresholds"}
_CURRENCY = {"usd_per_unit", "prefixes", "suffixes"}
_MULTIPLIER = {"factor", "currency"}
_THRESHOLDS = {"note", "source", "usd_month", "implausible_usd_month"}
_DESTINATIONS = {"reference", "high_risk_countries", "hub_places", "transit_places",
                 "bait_countries", "ignore_terms", "min_latin_length", "abroad",
                 "people_before", "people_after"}
_VERIFY = {"always", "by_origin", "by_sign"}
_SETTINGS = {"max_chars", "min_chars", "high", "medium", "min_signs_for_high"}


class LexiconError(ValueError):
    """``signs.yml`` is invalid; the message names the sign or section."""


def load_report_model(path: Path) -> ReportModel:
    """Reads the report model's file, or raises :class:`LexiconError` naming it."""
    try:
        return parse_report_model(json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, ReportModelError) as exc:
        raise LexiconError(f"{path}: {exc}") from exc


def load_lexicon(root: Path = PROJECT_ROOT, gazetteer: Gazetteer | None = None) -> Lexicon:
    """Reads and validates the signs file and the gazetteer under ``root``."""
    path = root / SIGNS_FILE
    try:
        data = load_unique(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise LexiconError(f"{path}: {exc}") from exc
    except DuplicateKeyError as exc:
        raise LexiconError(f"{path}: {exc}") from exc
    model_path = root / REPORT_MODEL_FILE
    model = load_report_model(model_path) if model_path.exists() else None
    lexicon = parse_lexicon(data, gazetteer if gazetteer is not None else load_gazetteer(root),
                            model)
    if model is None and any(s.computed == "report_model" for s in lexicon.signs):
        raise LexiconError(f"a sign is computed from the report model, but {REPORT_MODEL_FILE} "
                           "is missing: run scripts/train_report_model.py")
    return lexicon


def parse_lexicon(data: Mapping[str, Any], gazetteer: Gazetteer,
                  report_model: ReportModel | None = None) -> Lexicon:
    """Builds a :class:`Lexicon` from the parsed YAML, or raises :class:`LexiconError`.

    Without ``report_model`` a sign computed from it (``computed: report_model``) is never
    found; :func:`load_lexicon` refuses a missing model file."""
    _known(data, _TOP, "signs.yml")
    negations = _negations(data.get("negations") or {})
    frames = _mapping(data.get("reporting_frames") or {}, "reporting_frames")
    _known(frames, {"note", "before", "after"}, "reporting_frames")
    reporting_before = _patterns(frames.get("before") or {}, "reporting_frames.before")
    reporting_after = _patterns(frames.get("after") or {}, "reporting_frames.after")
    signs = tuple(_sign(spec, legit=False) for spec in _list(data.get("signs"), "signs"))
    legit = tuple(_sign(spec, legit=True) for spec in _list(data.get("legit"), "legit"))
    ids = [s.id for s in (*signs, *legit)]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise LexiconError(f"sign {duplicates[0]!r} is defined twice")
    combinations = tuple(_combination(spec, set(ids))
                         for spec in _list(data.get("combinations"), "combinations"))
    facts = tuple(_fact(spec) for spec in _list(data.get("facts"), "facts"))
    pay = _pay(data.get("pay"))
    destinations = _destinations(data.get("destinations"), gazetteer)
    verify = _mapping(data.get("verify") or {}, "verify")
    _known(verify, _VERIFY, "verify")
    by_sign = {str(k): str(v) for k, v in _mapping(verify.get("by_sign") or {},
                                                   "verify.by_sign").items()}
    for sign_id in by_sign:
        if sign_id not in ids:
            raise LexiconError(f"verify.by_sign names an unknown sign {sign_id!r}")
    return Lexicon(
        signs=signs, legit=legit, combinations=combinations, facts=facts, pay=pay,
        destinations=destinations, gazetteer=gazetteer, negations=negations,
        reporting_before=reporting_before, reporting_after=reporting_after,
        verify_always=tuple(str(v) for v in _list(verify.get("always"), "verify.always")),
        verify_by_origin={str(k).upper(): str(v) for k, v in _mapping(
            verify.get("by_origin") or {}, "verify.by_origin").items()},
        verify_by_sign=by_sign,
        settings=_settings(data.get("settings") or {}),
        report_model=report_model,
    )


# --- sections -----------------------------------------------------------------------------------


def _sign(spec: Any, legit: bool) -> SignRule:
    spec = _mapping(spec, "a sign")
    sign_id = spec.get("id")
    if not isinstance(sign_id, str) or not _ID.match(sign_id):
        raise LexiconError(f"a sign has no valid id: {spec!r:.80}")
    where = f"sign {sign_id}"
    _known(spec, _SIGN, where)
    sources = spec.get("sources")
    if (not isinstance(sources, list) or not sources
            or not all(isinstance(s, str) and s.strip() for s in sources)):
        raise LexiconError(f"{where} has no source: every sign needs at least one source "
                           "(a [Sxx] id of red-flags.md or a file reference)")
    weight = spec.get("weight")
    if isinstance(weight, bool) or not isinstance(weight, int | float):
        raise LexiconError(f"{where}: weight must be a number")
    if legit and weight >= 0:
        raise LexiconError(f"{where}: a legit sign lowers the score, its weight must be < 0")
    if not legit and weight <= 0:
        raise LexiconError(f"{where}: a warning sign's weight must be > 0")
    computed = spec.get("computed")
    if computed is not None and computed not in COMPUTED:
        raise LexiconError(f"{where}: unknown computed sign {computed!r} "
                           f"(one of {', '.join(COMPUTED)})")
    if legit and computed is not None:
        raise LexiconError(f"{where}: legit signs cannot be computed")
    patterns = _patterns(spec.get("patterns") or {}, where)
    if not patterns and computed is None:
        raise LexiconError(f"{where} has neither patterns nor a computed rule")
    negatable = spec.get("negatable", False)
    if not isinstance(negatable, bool):
        raise LexiconError(f"{where}: negatable must be true or false")
    min_patterns = spec.get("min_patterns", 1)
    if isinstance(min_patterns, bool) or not isinstance(min_patterns, int) or min_patterns < 1:
        raise LexiconError(f"{where}: min_patterns must be a whole number of at least 1")
    if min_patterns > 1 and min_patterns > max((len(p) for p in patterns.values()), default=0):
        raise LexiconError(f"{where}: min_patterns {min_patterns} is more than the features "
                           "its patterns list")
    return SignRule(id=sign_id, weight=float(weight), category=str(spec.get("category", "")),
                    sources=tuple(s.strip() for s in sources), patterns=patterns,
                    computed=computed, negatable=negatable, min_patterns=min_patterns)


def _patterns(spec: Any, where: str) -> dict[str, tuple[re.Pattern[str], ...]]:
    spec = _mapping(spec, f"{where}: patterns")
    out: dict[str, tuple[re.Pattern[str], ...]] = {}
    for language, items in spec.items():
        language = str(language)
        if language not in (*LANGUAGES, ANY_LANGUAGE):
            raise LexiconError(f"{where}: unknown language {language!r} in patterns "
                               f"(one of {', '.join((*LANGUAGES, ANY_LANGUAGE))})")
        compiled = []
        for raw in _list(items, f"{where}: patterns.{language}"):
            if not isinstance(raw, str) or not raw:
                raise LexiconError(f"{where}: an empty pattern in {language}")
            if "(?P<" in raw or "(?P=" in raw:
                raise LexiconError(f"{where}: pattern {raw!r} ({language}) uses a named group")
            try:
                pattern = re.compile(raw, re.IGNORECASE)
            except re.error as exc:
                raise LexiconError(f"{where}: bad regex {raw!r} ({language}): {exc}") from exc
            if pattern.fullmatch(""):
                raise LexiconError(f"{where}: pattern {raw!r} ({language}) matches empty text")
            compiled.append(pattern)
        if compiled:
            out[language] = tuple(compiled)
    return out


def _negations(spec: Any) -> dict[str, tuple[re.Pattern[str], ...]]:
    return _patterns(spec, "negations")


def _combination(spec: Any, ids: set[str]) -> Combination:
    spec = _mapping(spec, "a combination")
    combination_id = spec.get("id")
    if not isinstance(combination_id, str) or not _ID.match(combination_id):
        raise LexiconError(f"a combination has no valid id: {spec!r:.80}")
    where = f"combination {combination_id}"
    _known(spec, _COMBINATION, where)
    sources = spec.get("sources")
    if not isinstance(sources, list) or not sources:
        raise LexiconError(f"{where} has no source")
    bonus = spec.get("bonus")
    if isinstance(bonus, bool) or not isinstance(bonus, int | float) or bonus <= 0:
        raise LexiconError(f"{where}: bonus must be a positive number")
    groups = []
    for group in _list(spec.get("all_of"), f"{where}: all_of"):
        members = tuple(str(m) for m in _list(group, f"{where}: a group"))
        for member in members:
            if member not in ids and member not in FACT_PSEUDO_SIGNS:
                raise LexiconError(f"{where} names an unknown sign {member!r}")
        if not members:
            raise LexiconError(f"{where} has an empty group")
        groups.append(members)
    if len(groups) < 2:
        raise LexiconError(f"{where} needs at least two groups")
    return Combination(combination_id, tuple(groups), float(bonus),
                       tuple(str(s) for s in sources))


def _fact(spec: Any) -> FactRule:
    spec = _mapping(spec, "a fact")
    kind, term = spec.get("kind"), spec.get("term")
    where = f"fact {kind}/{term}"
    _known(spec, _FACT, where)
    if kind not in FACT_KINDS:
        raise LexiconError(f"{where}: kind must be one of {', '.join(FACT_KINDS)}")
    if not isinstance(term, str) or not _ID.match(term):
        raise LexiconError(f"{where}: term must be an identifier")
    patterns = _patterns(spec.get("patterns") or {}, where)
    if not patterns:
        raise LexiconError(f"{where} has no patterns")
    return FactRule(kind, term, patterns)


def _pay(spec: Any) -> PayConfig:
    spec = _mapping(spec, "pay")
    _known(spec, _PAY, "pay")
    rates_note = spec.get("rates_note")
    if not isinstance(rates_note, str) or "approximate" not in rates_note.lower():
        raise LexiconError("pay.rates_note must say the conversion factors are approximate")
    currencies = []
    for code, entry in _mapping(spec.get("currencies"), "pay.currencies").items():
        entry = _mapping(entry, f"pay.currencies.{code}")
        _known(entry, _CURRENCY, f"pay.currencies.{code}")
        rate = entry.get("usd_per_unit")
        if isinstance(rate, bool) or not isinstance(rate, int | float) or rate <= 0:
            raise LexiconError(f"pay.currencies.{code}: usd_per_unit must be a positive number")
        currencies.append(Currency(str(code), float(rate),
                                   _strings(entry.get("prefixes"), f"pay.currencies.{code}"),
                                   _strings(entry.get("suffixes"), f"pay.currencies.{code}")))
    codes = {c.code for c in currencies}
    multipliers = []
    for word, entry in _mapping(spec.get("multipliers") or {}, "pay.multipliers").items():
        entry = _mapping(entry, f"pay.multipliers.{word}")
        _known(entry, _MULTIPLIER, f"pay.multipliers.{word}")
        factor = entry.get("factor")
        if isinstance(factor, bool) or not isinstance(factor, int | float) or factor <= 0:
            raise LexiconError(f"pay.multipliers.{word}: factor must be a positive number")
        currency = entry.get("currency")
        if currency is not None and currency not in codes:
            raise LexiconError(f"pay.multipliers.{word}: unknown currency {currency!r}")
        multipliers.append(Multiplier(str(word), float(factor), currency))
    periods = _period_words(spec.get("periods"), "pay.periods")
    prefixes = _period_words(spec.get("period_prefixes") or {}, "pay.period_prefixes")
    months = {str(k): float(v) for k, v in _mapping(spec.get("months_per_period"),
                                                    "pay.months_per_period").items()}
    if set(months) != set(PERIODS):
        raise LexiconError(f"pay.months_per_period must give {', '.join(PERIODS)}")
    thresholds = _mapping(spec.get("thresholds"), "pay.thresholds")
    _known(thresholds, _THRESHOLDS, "pay.thresholds")
    if not thresholds.get("note") or not thresholds.get("source"):
        raise LexiconError("pay.thresholds needs a note (Jaga's judgment) and a source")
    usd_month = {str(k): float(v) for k, v in _mapping(thresholds.get("usd_month"),
                                                       "pay.thresholds.usd_month").items()}
    if "default" not in usd_month:
        raise LexiconError("pay.thresholds.usd_month needs a default")
    implausible = float(thresholds.get("implausible_usd_month") or 0) or None
    if implausible is not None and implausible <= max(usd_month.values()):
        raise LexiconError("pay.thresholds.implausible_usd_month must lie above every threshold")
    origin_currency = {str(k): str(v) for k, v in _mapping(spec.get("origin_currency") or {},
                                                           "pay.origin_currency").items()}
    for country, code in origin_currency.items():
        if code not in codes:
            raise LexiconError(f"pay.origin_currency.{country}: unknown currency {code!r}")
    return PayConfig(tuple(currencies), tuple(multipliers), periods, prefixes, months,
                     usd_month, origin_currency,
                     _strings(spec.get("context_words"), "pay.context_words"),
                     rates_note, str(thresholds["note"]), implausible,
                     _strings(spec.get("fee_words") or [], "pay.fee_words"))


def _period_words(spec: Any, where: str) -> dict[str, tuple[str, ...]]:
    out = {}
    for period, words in _mapping(spec, where).items():
        if period not in PERIODS:
            raise LexiconError(f"{where}: unknown period {period!r}")
        out[str(period)] = _strings(words, f"{where}.{period}")
    return out


def _destinations(spec: Any, gazetteer: Gazetteer) -> DestinationConfig:
    spec = _mapping(spec, "destinations")
    _known(spec, _DESTINATIONS, "destinations")
    places = set(gazetteer.place_country)
    for key in ("hub_places", "transit_places"):
        for place in _strings(spec.get(key), f"destinations.{key}"):
            if place not in places:
                raise LexiconError(f"destinations.{key}: {place!r} is not in data/places.yml")
    countries = {gazetteer.lookup("countries", t) for t in gazetteer.terms("countries")}
    bait = frozenset(s.upper() for s in _strings(spec.get("bait_countries") or [],
                                                 "destinations.bait_countries"))
    for code in sorted(bait - countries):
        raise LexiconError(f"destinations.bait_countries: {code!r} is not a known country")
    return DestinationConfig(
        high_risk_countries=frozenset(s.upper() for s in _strings(
            spec.get("high_risk_countries"), "destinations.high_risk_countries")),
        hub_places=frozenset(_strings(spec.get("hub_places"), "destinations.hub_places")),
        transit_places=frozenset(_strings(spec.get("transit_places"),
                                          "destinations.transit_places")),
        ignore_terms=frozenset(" ".join(s.casefold().split()) for s in _strings(
            spec.get("ignore_terms") or [], "destinations.ignore_terms")),
        min_latin_length=int(spec.get("min_latin_length", 4)),
        bait_countries=bait,
        abroad=_patterns(spec.get("abroad") or {}, "destinations.abroad"),
        people_before=_patterns(spec.get("people_before") or {}, "destinations.people_before"),
        people_after=_patterns(spec.get("people_after") or {}, "destinations.people_after"),
    )


def _settings(spec: Any) -> Settings:
    spec = _mapping(spec, "settings")
    _known(spec, _SETTINGS, "settings")
    defaults = Settings()
    try:
        return Settings(
            max_chars=int(spec.get("max_chars", defaults.max_chars)),
            min_chars=int(spec.get("min_chars", defaults.min_chars)),
            high=float(spec.get("high", defaults.high)),
            medium=float(spec.get("medium", defaults.medium)),
            min_signs_for_high=int(spec.get("min_signs_for_high", defaults.min_signs_for_high)),
        )
    except (TypeError, ValueError) as exc:
        raise LexiconError(f"settings: {exc}") from exc


# --- helpers ------------------------------------------------------------------------------------


def _known(spec: Mapping[str, Any], allowed: set[str], where: str) -> None:
    unknown = sorted(str(k) for k in spec if k not in allowed)
    if unknown:
        raise LexiconError(f"{where}: unknown field {unknown[0]!r} "
                           f"(allowed: {', '.join(sorted(allowed))})")


def _mapping(value: Any, where: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise LexiconError(f"{where} must be a mapping")
    return value


def _list(value: Any, where: str) -> Sequence[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise LexiconError(f"{where} must be a list")
    return value


def _strings(value: Any, where: str) -> tuple[str, ...]:
    items = _list(value, where)
    if not all(isinstance(v, str) and v for v in items):
        raise LexiconError(f"{where} must be a list of non-empty strings")
    return tuple(items)
