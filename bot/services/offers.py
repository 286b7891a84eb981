"""Checks the text of a job offer for the warning signs of deceptive recruitment.

The signs, their weights and the pay, place and contact data come from ``data/offers/signs.yml``
(loaded by :mod:`bot.offer_data`); the sources are ``red-flags.md`` and ``safe-migration.md``.
Every sign reported quotes the exact words of the user's text that triggered it. Signs are
weighed together, because one sign alone says little (UNODC, ILO: red-flags.md, design note):
one sign never makes an offer "high", and the checker never calls an offer safe.

Pure: no file, network or database access. Matching runs on a normalised copy of the text
(NFC, zero-width characters dropped, spaces collapsed, no spaces between Thai, Lao, Khmer or
Burmese letters) whose offsets map back to the original, so quotes are the user's own words.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal

from bot.i18n.detect import detect
from bot.services.gazetteer import Gazetteer
from bot.services.report_model import ReportModel

Risk = Literal["high", "medium", "low", "unknown"]
ANY_LANGUAGE = "*"
LANGUAGES = ("en", "id", "tl", "vi", "my", "km", "th", "lo")
COMPUTED = ("pay_above_threshold", "high_risk_destination", "transit_place", "chat_app_contact",
            "reported_contact", "job_in_bait_country", "report_model")
# A job abroad in a bait country is a sign only with a lure in words: a job sign (easy work, a
# vague desk job) or a promise of high pay ("gaji tinggi", not an amount, which is RF01b).
BAIT_LURE_CATEGORIES = ("job", "pay")
FACT_KINDS = ("job_types", "travel_visa", "fees", "requirements", "urgency")
PERIODS = ("hour", "day", "week", "month", "year")

_DROPPED = frozenset("\u200b\u2060\ufeff\u00ad\u200e\u200f")
_WORD_BOUNDARY_SCRIPT = re.compile(r"[^\W\d_]", re.UNICODE)


def is_spaceless_char(ch: str) -> bool:
    """Thai, Lao, Burmese or Khmer: scripts written without spaces between words."""
    code = ord(ch)
    return (0x0E00 <= code <= 0x0EFF or 0x1000 <= code <= 0x109F or 0x1780 <= code <= 0x17FF
            or 0xAA60 <= code <= 0xAA7F or 0x19E0 <= code <= 0x19FF)


def _has_spaceless(text: str) -> bool:
    return any(is_spaceless_char(ch) for ch in text)


# --- the data -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignRule:
    """One warning or legitimacy sign: patterns per language (``"*"`` = any language).

    A rule may instead (or also) be ``computed`` by the checker from the extracted facts:
    pay above the threshold for the origin, a high-risk destination, a transit town, a chat-app
    contact, a contact that the community reported, or a lure in words (a sign of category
    ``job``, or a worded pay promise of category ``pay``) together with a country where fake
    jobs are advertised before the worker is moved on.
    """

    id: str
    weight: float
    category: str
    sources: tuple[str, ...]
    patterns: Mapping[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    computed: str | None = None
    negatable: bool = False
    # The sign counts only when this many different features match: the n-th pattern of every
    # language is one feature (an ordinary posting states several of its terms, a scam borrows
    # one or two).
    min_patterns: int = 1
    regex: re.Pattern[str] | None = field(default=None, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.patterns:
            object.__setattr__(self, "regex", combine(self.patterns))

    def features_found(self, text: str) -> int:
        """How many different features (pattern positions across languages) ``text`` has."""
        found = {index for compiled in self.patterns.values()
                 for index, pattern in enumerate(compiled) if pattern.search(text)}
        return len(found)


@dataclass(frozen=True)
class FactRule:
    """A neutral thing an offer says (job type, visa, fee, requirement, urgency)."""

    kind: str
    term: str
    patterns: Mapping[str, tuple[re.Pattern[str], ...]]
    regex: re.Pattern[str] | None = field(default=None, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.patterns:
            object.__setattr__(self, "regex", combine(self.patterns))


@dataclass(frozen=True)
class Combination:
    """Extra weight when signs occur together: one sign from each group (``fact:job``,
    ``fact:pay`` stand for a job type or an amount of pay found in the text)."""

    id: str
    groups: tuple[tuple[str, ...], ...]
    bonus: float
    sources: tuple[str, ...]


@dataclass(frozen=True)
class Currency:
    code: str
    usd_per_unit: float
    prefixes: tuple[str, ...] = ()
    suffixes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Multiplier:
    word: str
    factor: float
    currency: str | None = None


@dataclass(frozen=True)
class PayConfig:
    """Currencies, multipliers, period words and thresholds (all approximate, from the data)."""

    currencies: tuple[Currency, ...]
    multipliers: tuple[Multiplier, ...]
    periods: Mapping[str, tuple[str, ...]]
    period_prefixes: Mapping[str, tuple[str, ...]]
    months_per_period: Mapping[str, float]
    thresholds_usd_month: Mapping[str, float]
    origin_currency: Mapping[str, str]
    context_words: tuple[str, ...]
    rates_note: str = ""
    thresholds_note: str = ""
    implausible_usd_month: float | None = None
    # Words right before an amount that make it a fee the worker pays ("Biaya 20 juta"), not pay.
    fee_words: tuple[str, ...] = ()


@dataclass(frozen=True)
class DestinationConfig:
    high_risk_countries: frozenset[str]
    hub_places: frozenset[str]
    transit_places: frozenset[str]
    ignore_terms: frozenset[str]
    min_latin_length: int = 4
    bait_countries: frozenset[str] = frozenset()
    # Words for "abroad" and destinations the gazetteer does not know (Korea, Japan, the Gulf):
    # ``fact:abroad_word`` for the combinations that name it, never a sign alone.
    abroad: Mapping[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    # Words right before or after a country's name that make it the people's origin ("Myanmar
    # workers", "workers from Myanmar", Thai "แรงงานเมียนมา"), not where the job is.
    people_before: Mapping[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    people_after: Mapping[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)


@dataclass(frozen=True)
class Settings:
    max_chars: int = 20000
    min_chars: int = 12
    high: float = 0.9
    medium: float = 0.4
    min_signs_for_high: int = 2


@dataclass(frozen=True)
class Lexicon:
    """Everything the checker knows, built once by :mod:`bot.offer_data`."""

    signs: tuple[SignRule, ...]
    legit: tuple[SignRule, ...]
    combinations: tuple[Combination, ...]
    facts: tuple[FactRule, ...]
    pay: PayConfig
    destinations: DestinationConfig
    gazetteer: Gazetteer
    negations: Mapping[str, tuple[re.Pattern[str], ...]]
    # Words just before or after a legit sign's match that make the official body the REPORTER
    # or WARNER of what the text describes ("ayon sa POEA", "the Ministry of Labour said"): that
    # mention is not the text's route, so it does not count (another mention still does).
    reporting_before: Mapping[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    reporting_after: Mapping[str, tuple[re.Pattern[str], ...]] = field(default_factory=dict)
    verify_always: tuple[str, ...] = ()
    verify_by_origin: Mapping[str, str] = field(default_factory=dict)
    verify_by_sign: Mapping[str, str] = field(default_factory=dict)
    settings: Settings = field(default_factory=Settings)
    # The statistical backstop (bot/services/report_model.py), for the sign computed from it.
    report_model: ReportModel | None = None
    _compiled: _Compiled | None = field(default=None, init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "_compiled", _Compiled.build(self))

    @property
    def compiled(self) -> _Compiled:
        assert self._compiled is not None
        return self._compiled

    def rule(self, sign_id: str) -> SignRule | None:
        for rule in (*self.signs, *self.legit):
            if rule.id == sign_id:
                return rule
        return None


# --- the result ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class SignHit:
    """A sign found in the text; ``quote == text[start:end]``."""

    id: str
    quote: str
    start: int
    end: int
    weight: float


@dataclass(frozen=True)
class Pay:
    """An amount of pay as written; ``usd_month_estimate`` is approximate, for comparison only."""

    amount: float
    currency: str | None
    period: str | None
    usd_month_estimate: float | None
    quote: str
    start: int = 0
    end: int = 0
    amount_min: float | None = None


@dataclass(frozen=True)
class Fact:
    term: str
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class Destination:
    country: str
    place: str | None
    quote: str
    start: int
    end: int


@dataclass(frozen=True)
class Contact:
    """A way to reach the recruiter. ``key`` is normalised so reports can match it: E.164 for a
    phone with a calling code, lower-case ``@handle`` for Telegram, the lower-case URL otherwise."""

    kind: Literal["telegram", "whatsapp", "phone", "url"]
    key: str
    quote: str
    start: int
    end: int
    country: str | None = None


@dataclass
class Facts:
    pay: list[Pay] = field(default_factory=list)
    job_types: list[Fact] = field(default_factory=list)
    destinations: list[Destination] = field(default_factory=list)
    travel_visa: list[Fact] = field(default_factory=list)
    fees: list[Fact] = field(default_factory=list)
    requirements: list[Fact] = field(default_factory=list)
    contacts: list[Contact] = field(default_factory=list)
    urgency: list[Fact] = field(default_factory=list)

    @property
    def max_usd_month(self) -> float | None:
        values = [p.usd_month_estimate for p in self.pay if p.usd_month_estimate is not None]
        return max(values) if values else None


@dataclass
class Verdict:
    """The outcome. ``low`` means "no strong warning signs found, still verify", never safe."""

    risk: Risk
    score: float
    signs: list[SignHit]
    legit_signs: list[SignHit]
    facts: Facts
    language: str | None
    verify_next: list[str]
    combinations: list[str] = field(default_factory=list)
    origin: str | None = None
    truncated: bool = False


# --- regex helpers ------------------------------------------------------------------------------


def combine(patterns: Mapping[str, Sequence[re.Pattern[str]]]) -> re.Pattern[str]:
    """One case-insensitive regex for all languages; the named group tells the language."""
    parts = []
    for language, compiled in patterns.items():
        if not compiled:
            continue
        name = "any" if language == ANY_LANGUAGE else language
        body = "|".join(f"(?:{p.pattern})" for p in compiled)
        parts.append(f"(?P<l_{name}>{body})")
    return re.compile("|".join(parts) or "(?!)", re.IGNORECASE)


def _words(words: Sequence[str]) -> str:
    """An alternation of literal words, longest first; Latin words get letter boundaries."""
    alternatives = []
    for word in sorted(set(words), key=lambda w: (-len(w), w)):
        escaped = re.escape(word)
        if len(word) == 1 and word.isascii() and word.isupper():
            escaped = f"(?-i:{escaped})"  # "P" 50,000 is pesos, "p" is not
        if word and _WORD_BOUNDARY_SCRIPT.match(word[-1]) and not is_spaceless_char(word[-1]):
            escaped += r"(?![^\W\d_])"
        if word and _WORD_BOUNDARY_SCRIPT.match(word[0]) and not is_spaceless_char(word[0]):
            escaped = r"(?<![^\W\d_])" + escaped
        alternatives.append(escaped)
    return "|".join(alternatives) or "(?!)"


@dataclass(frozen=True)
class _Compiled:
    pay: re.Pattern[str]
    period_after: re.Pattern[str]
    period_before: re.Pattern[str]
    context: re.Pattern[str]
    fee_before: re.Pattern[str]
    negation: re.Pattern[str]
    abroad: re.Pattern[str]
    destination_spellings: tuple[str, ...]
    destination_codes: Mapping[str, tuple[str | None, str | None]]
    prefix_currency: Mapping[str, str]
    suffix_currency: Mapping[str, str]
    multiplier: Mapping[str, Multiplier]
    period_of_word: Mapping[str, str]
    reporting_before: re.Pattern[str]
    reporting_after: re.Pattern[str]
    people_before: re.Pattern[str]
    people_after: re.Pattern[str]

    @classmethod
    def build(cls, lexicon: Lexicon) -> _Compiled:
        pay = lexicon.pay
        prefix_currency = {p.casefold(): c.code for c in pay.currencies for p in c.prefixes}
        suffix_currency = {s.casefold(): c.code for c in pay.currencies for s in c.suffixes}
        multiplier = {m.word.casefold(): m for m in pay.multipliers}
        number = r"\d{1,3}(?:[.,\u00a0\u202f ]\d{3})+(?:[.,]\d{1,2}(?!\d))?|\d+(?:[.,]\d+)?"
        prefixes = _words([p for c in pay.currencies for p in c.prefixes])
        suffixes = _words([x for c in pay.currencies for x in c.suffixes])
        mults = _words([m.word for m in pay.multipliers])
        amount = rf"(?:{number})(?:\s?(?:{mults}))?"
        separator = r"\s?(?:-|–|—|~|to|hingga|sampai|s/d|đến|tới|ถึง|hanggang|ដល់|ເຖິງ)\s?"
        pay_regex = re.compile(
            rf"(?<![\w.,])(?P<pre>(?:{prefixes})\.?\s?)?(?P<a1>{amount})"
            rf"(?:(?P<sep>{separator})(?P<pre2>(?:{prefixes})\.?\s?)?(?P<a2>{amount}))?"
            rf"(?:\s?(?P<suf>{suffixes}))?(?![A-Za-z\d])",
            re.IGNORECASE)
        period_of_word: dict[str, str] = {}
        for period, words in pay.periods.items():
            for word in words:
                period_of_word[word.casefold()] = period
        before_words: dict[str, str] = {}
        for period, words in pay.period_prefixes.items():
            for word in words:
                before_words[word.casefold()] = period
        period_of_word.update(before_words)
        after_words = [w for words in pay.periods.values() for w in words]
        period_after = re.compile(
            # a "+" starts another part of the pay ("$208 + overtime hours"), not its period
            rf"^(?:\s?\([^()\n]{{0,30}}\))?[^\d\n.!?;,+]{{0,18}}?(?P<w>{_words(after_words)})",
            re.IGNORECASE)
        period_before = re.compile(rf"(?P<w>{_words(list(before_words))})[^.\n\d]{{0,20}}$",
                                   re.IGNORECASE)
        context = re.compile(rf"(?:{_words(list(pay.context_words))})[^.\n]{{0,25}}$",
                             re.IGNORECASE)
        fee_before = re.compile(
            rf"(?:{_words(list(pay.fee_words))})(?:\s(?:of|is|only|about|around|sebesar|senilai|"
            rf"khoảng|là|na|ng))?[\s:]{{0,3}}$", re.IGNORECASE)
        negation = combine(lexicon.negations)
        abroad = combine(lexicon.destinations.abroad)
        spellings, codes = _destination_matcher(lexicon.gazetteer, lexicon.destinations)
        quotes = "\"'“”‘’«»()"
        before = combine(lexicon.reporting_before).pattern
        after = combine(lexicon.reporting_after).pattern
        reporting_before = re.compile(rf"(?:{before})[\s,:{quotes}]{{0,3}}$", re.IGNORECASE)
        reporting_after = re.compile(rf"^[\s,:{quotes}]{{0,3}}(?:{after})", re.IGNORECASE)
        people_before = re.compile(
            rf"(?:{combine(lexicon.destinations.people_before).pattern})\s?$", re.IGNORECASE)
        people_after = re.compile(
            rf"\s?(?:{combine(lexicon.destinations.people_after).pattern})", re.IGNORECASE)
        return cls(pay_regex, period_after, period_before, context, fee_before, negation, abroad,
                   spellings, codes, prefix_currency, suffix_currency, multiplier,
                   period_of_word, reporting_before, reporting_after, people_before, people_after)


def _destination_matcher(gazetteer: Gazetteer, config: DestinationConfig
                         ) -> tuple[tuple[str, ...], dict[str, tuple[str | None, str | None]]]:
    """Every usable country and place spelling (longest first) -> (country, place).

    Spellings of spaceless scripts lose their spaces, as the text does when normalised. In those
    scripts a known name can hold a shorter one (Khmer "សៀមរាប", Siem Reap, holds "សៀម", Siam;
    "ភាសាសៀម", the Thai language, too), so the longest known name wins: every longer spaceless
    name of any kind (a nationality or a language as well) that contains a destination spelling
    is kept as a blocker, ``(None, None)``, which claims its span and names no destination.
    """
    codes: dict[str, tuple[str | None, str | None]] = {}
    for kind in ("places", "countries"):
        for spelling in gazetteer.terms(kind):
            if spelling in config.ignore_terms:
                continue
            spaceless = _has_spaceless(spelling)
            key = spelling.replace(" ", "") if spaceless else spelling
            if key in codes:
                continue
            if not spaceless and len(spelling.replace(" ", "")) < config.min_latin_length:
                continue
            code = gazetteer.lookup(kind, spelling)
            if code is None:
                continue
            if kind == "places":
                country = gazetteer.country_of_place(code)
                if country:
                    codes[key] = (country, code)
            else:
                codes[key] = (code, None)
    spaceless_keys = [k for k in codes if _has_spaceless(k)]
    for kind in ("nationalities", "languages"):
        for spelling in gazetteer.terms(kind):
            key = spelling.replace(" ", "")
            if key in codes or not _has_spaceless(key):
                continue
            if any(len(k) < len(key) and k in key for k in spaceless_keys):
                codes[key] = (None, None)
    return tuple(sorted(codes, key=lambda k: (-len(k), k))), codes


def _lower_same_length(text: str) -> str:
    return "".join(low if len(low := ch.lower()) == 1 else ch for ch in text)


# --- normalisation ------------------------------------------------------------------------------


@dataclass
class _Text:
    """The normalised text and, for each of its characters, the span it came from."""

    original: str
    norm: str
    starts: list[int]
    ends: list[int]

    def span(self, start: int, end: int) -> tuple[int, int]:
        if end <= start:
            position = self.starts[start] if start < len(self.starts) else len(self.original)
            return position, position
        return self.starts[start], self.ends[end - 1]

    def quote(self, start: int, end: int) -> tuple[str, int, int]:
        s, e = self.span(start, end)
        return self.original[s:e], s, e


def normalise(text: str) -> _Text:
    out: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    i, n = 0, len(text)
    pending: tuple[int, int] | None = None
    while i < n:
        ch = text[i]
        if ch in _DROPPED:
            i += 1
            continue
        if ch.isspace():
            j = i
            while j < n and (text[j].isspace() or text[j] in _DROPPED):
                j += 1
            pending = (i, j)
            i = j
            continue
        j = i + 1
        while j < n and unicodedata.category(text[j]).startswith("M"):
            j += 1
        segment = text[i:j]
        if not segment.isascii():
            segment = unicodedata.normalize("NFC", segment)
        if pending is not None:
            if out and not (is_spaceless_char(out[-1]) and is_spaceless_char(segment[0])):
                out.append(" ")
                starts.append(pending[0])
                ends.append(pending[1])
            pending = None
        for char in segment:
            out.append(char)
            starts.append(i)
            ends.append(j)
        i = j
    return _Text(text, "".join(out), starts, ends)


# --- junk ---------------------------------------------------------------------------------------

_CLEAN_TOKEN = re.compile(r"^[\"'“”‘’(\[«]*[^\W\d_](?:[^\W\d_]|['’\-.])*[\"'“”‘’)\]»,.!?:;…]*$")


def looks_like_junk(text: str) -> bool:
    """Binary data, random characters or symbol soup: nothing a person wrote about a job."""
    if not text:
        return False
    sample = text[:4000]
    bad = sum(1 for ch in sample if unicodedata.category(ch) in ("Cc", "Cn", "Co", "Cs")
              and ch not in "\t\n\r") + sample.count("\ufffd")
    if bad / len(sample) > 0.05:
        return True
    tokens = [t for t in sample.split() if any(c.isalpha() for c in t)]
    if len(tokens) >= 20:
        letters = sum(1 for t in tokens if _CLEAN_TOKEN.match(t)
                      or all(unicodedata.category(c)[0] in "LM" or is_spaceless_char(c)
                             for c in t.strip(".,!?:;()\"'“”…")))
        if letters / len(tokens) < 0.3:
            return True
    return False


# --- pay ----------------------------------------------------------------------------------------


def parse_number(raw: str) -> float | None:
    """``"1.000"`` -> 1000, ``"1,200"`` -> 1200, ``"1,5"`` -> 1.5, ``"16.411,65"`` -> 16411.65."""
    digits = "".join(str(unicodedata.decimal(c, 0)) if c.isdigit() else c for c in raw)
    digits = re.sub(r"[\u00a0\u202f ]", "", digits)
    seps = [m.group() for m in re.finditer(r"[.,]", digits)]
    if not seps:
        return float(digits) if digits.isdigit() else None
    last = max(digits.rfind("."), digits.rfind(","))
    integer, tail = digits[:last], digits[last + 1:]
    integer = re.sub(r"[.,]", "", integer)
    if not (integer.isdigit() and tail.isdigit()):
        return None
    if len(set(seps)) == 2 or (len(seps) == 1 and len(tail) in (1, 2)):
        return float(f"{integer}.{tail}") if len(tail) in (1, 2) else float(integer + tail)
    return float(integer + tail)


def _split_amount(raw: str, compiled: _Compiled) -> tuple[str, Multiplier | None]:
    match = re.match(r"^(\d[\d.,\u00a0\u202f ]*\d|\d)\s?(.*)$", raw.strip())
    if not match:
        return raw, None
    word = match.group(2).strip().casefold()
    return match.group(1).strip(), compiled.multiplier.get(word) if word else None


def extract_pay(text: _Text, lexicon: Lexicon, origin: str | None
                ) -> list[tuple[Pay, tuple[int, int]]]:
    compiled = lexicon.compiled
    config = lexicon.pay
    pays: list[tuple[Pay, tuple[int, int]]] = []
    norm = text.norm
    # A phone number near a pay word ("gaji 5 juta, hubungi WA 0812 345 678") is no amount.
    phones = [m.span() for m in _PHONE.finditer(norm) if phone_key(m.group()) is not None]
    for match in compiled.pay.finditer(norm):
        raw1, mult1 = _split_amount(match.group("a1"), compiled)
        raw2, mult2 = (_split_amount(match.group("a2"), compiled) if match.group("a2")
                       else ("", None))
        pre = (match.group("pre") or match.group("pre2") or "").strip().rstrip(".").casefold()
        suf = (match.group("suf") or "").strip().casefold()
        currency = compiled.prefix_currency.get(pre) or compiled.suffix_currency.get(suf)
        implied = next((m.currency for m in (mult2, mult1) if m and m.currency), None)
        before = norm[max(0, match.start() - 30):match.start()]
        has_context = bool(compiled.context.search(before))
        if currency is None:
            currency = implied
        if currency is None and not has_context:
            continue
        if currency is None and origin:
            currency = config.origin_currency.get(origin)
        if _overlaps(match.span("a1"), phones):
            continue
        if compiled.fee_before.search(before):
            continue  # a fee the worker pays ("Biaya 20 juta"), not pay
        value1 = parse_number(raw1)
        if value1 is None:
            continue
        if mult1:
            value1 *= mult1.factor
        values = [value1]
        if raw2:
            value2 = parse_number(raw2)
            if value2 is not None:
                if mult2:
                    value2 *= mult2.factor
                    if mult1 is None and value1 < 1000:
                        values[0] = value1 * mult2.factor
                values.append(value2)
        if max(values) <= 0:
            continue
        period = _period(norm, match.start(), match.end(), compiled)
        amount = max(values)
        usd = None
        rate = next((c.usd_per_unit for c in config.currencies if c.code == currency), None)
        if rate is not None:
            months = config.months_per_period.get(period or "month", 1.0)
            usd = round(amount * rate * months, 2)
            if config.implausible_usd_month and usd > config.implausible_usd_month:
                continue  # an investment, a turnover or a budget, not anybody's pay
        quote, start, end = text.quote(match.start(), match.end())
        pays.append((Pay(amount, currency, period, usd, quote, start, end,
                         min(values) if len(values) > 1 else None),
                     (match.start(), match.end())))
        if len(pays) >= 50:
            break
    return pays


def _period(norm: str, start: int, end: int, compiled: _Compiled) -> str | None:
    after = compiled.period_after.search(norm[end:end + 60])
    if after:
        return compiled.period_of_word.get(after.group("w").casefold())
    before = compiled.period_before.search(norm[max(0, start - 30):start])
    if before:
        return compiled.period_of_word.get(before.group("w").casefold())
    return None


# --- contacts -----------------------------------------------------------------------------------

CALLING_CODES = {
    "855": "KH", "95": "MM", "856": "LA", "66": "TH", "84": "VN", "62": "ID", "63": "PH",
    "60": "MY", "65": "SG", "86": "CN", "852": "HK", "853": "MO", "886": "TW", "971": "AE",
    "966": "SA", "974": "QA", "965": "KW", "91": "IN", "92": "PK", "880": "BD", "94": "LK",
    "977": "NP", "82": "KR", "81": "JP", "254": "KE", "256": "UG", "1": "US", "44": "GB",
    "61": "AU", "27": "ZA", "234": "NG",
}
_TELEGRAM_LINK = re.compile(r"(?:https?://)?(?:www\.)?(?:t\.me|telegram\.me|telegram\.dog)/"
                            r"(?P<name>\+?[A-Za-z0-9_]{3,64}(?:/[A-Za-z0-9_-]{1,64})?)",
                            re.IGNORECASE)
_WHATSAPP_LINK = re.compile(r"(?:https?://)?(?:wa\.me/|(?:api|chat)\.whatsapp\.com/send/?\?phone=)"
                            r"\+?(?P<number>\d{6,15})", re.IGNORECASE)
_HANDLE = re.compile(r"(?<![\w@.+/-])@(?P<name>[A-Za-z][A-Za-z0-9_]{3,31})(?![\w@]|\.\w)")
_URL = re.compile(r"(?:https?://|www\.)[^\s<>\"'）)\]]{3,200}", re.IGNORECASE)
_PHONE = re.compile(
    r"(?<![\w+])(?P<intl>(?:\+|00)\d{1,3}[\s.\-]?(?:\(0\)\s?)?\d{1,4}(?:[\s.\-]?\d{2,5}){1,4})"
    r"|(?<![\w+.,])(?P<local>0\d{1,4}(?:[\s.\-]?\d{2,5}){1,4})(?![\d.,]\d)")
_CHAT_APP_NEAR = re.compile(r"(?:whats\s?app|\bwa\b|telegram|tele\b|\btg\b|zalo|line|viber|"
                            r"signal|wechat|วอทส์แอป|ไลน์|ວອດແອັບ|វ៉ាត់សាប់|တယ်လီဂရမ်|"
                            r"เทเลแกรม|ເທເລແກຣມ|តេឡេក្រាម)[^\n]{0,12}$", re.IGNORECASE)


def phone_key(raw: str) -> tuple[str, str | None] | None:
    """``"+855 12 345 678"`` -> ``("+85512345678", "KH")``; a local number keeps its digits."""
    stripped = raw.strip().replace("(0)", "")
    digits = "".join(str(unicodedata.decimal(c, 0)) for c in stripped if c.isdigit())
    if stripped.startswith("+") or stripped.startswith("00"):
        if stripped.startswith("00"):
            digits = digits[2:]
        if not 7 <= len(digits) <= 15:
            return None
        country = next((CALLING_CODES[digits[:k]] for k in (3, 2, 1)
                        if digits[:k] in CALLING_CODES), None)
        return "+" + digits, country
    if not 9 <= len(digits) <= 12:
        return None
    return digits, None


def extract_contacts(text: _Text, pay_spans: Sequence[tuple[int, int]]) -> list[Contact]:
    norm = text.norm
    found: list[Contact] = []
    taken: list[tuple[int, int]] = []

    def free(s: int, e: int) -> bool:
        return all(e <= a or s >= b for a, b in (*taken, *pay_spans))

    def add(kind: Literal["telegram", "whatsapp", "phone", "url"], key: str, s: int, e: int,
            country: str | None = None) -> None:
        quote, start, end = text.quote(s, e)
        found.append(Contact(kind, key, quote, start, end, country))
        taken.append((s, e))

    for m in _TELEGRAM_LINK.finditer(norm):
        name = m.group("name")
        key = "@" + name.casefold() if re.fullmatch(r"[A-Za-z][A-Za-z0-9_]{3,}", name) \
            else "t.me/" + name.casefold()
        add("telegram", key, m.start(), m.end())
    for m in _WHATSAPP_LINK.finditer(norm):
        if free(m.start(), m.end()):
            parsed = phone_key("+" + m.group("number"))
            if parsed:
                add("whatsapp", parsed[0], m.start(), m.end(), parsed[1])
    for m in _URL.finditer(norm):
        if free(m.start(), m.end()):
            url = m.group().rstrip(".,;:!?)")
            add("url", url.casefold().removeprefix("https://").removeprefix("http://"),
                m.start(), m.start() + len(url))
    for m in _HANDLE.finditer(norm):
        if free(m.start(), m.end()):
            add("telegram", "@" + m.group("name").casefold(), m.start(), m.end())
    for m in _PHONE.finditer(norm):
        if not free(m.start(), m.end()):
            continue
        parsed = phone_key(m.group())
        if parsed is None:
            continue
        near_app = bool(_CHAT_APP_NEAR.search(norm[max(0, m.start() - 25):m.start()]))
        add("whatsapp" if near_app else "phone", parsed[0], m.start(), m.end(), parsed[1])
    found.sort(key=lambda c: c.start)
    return found


# --- matching -----------------------------------------------------------------------------------


def _language_of(match: re.Match[str]) -> str | None:
    group = match.lastgroup
    if group and group.startswith("l_"):
        name = group[2:]
        return None if name == "any" else name
    return None


def _negated(norm: str, start: int, compiled: _Compiled) -> bool:
    window = norm[max(0, start - 30):start]
    cut = max(window.rfind(c) for c in ",.;:!?\n(")
    if cut >= 0:
        window = window[cut + 1:]
    return bool(compiled.negation.search(window))


_SENTENCE_END = ".;!?\n"


_NAME_WORD = re.compile(r"^(?:[A-Z][\w&.'’-]*|of|and|for|the|on|ng|at|sa|dan|và)$")


def _before_long_name(before: str) -> Iterator[str]:
    """For an acronym in brackets after its long name ("Nagbabala ang Department of Labor and
    Employment (DOLE)"), the text before the long name, for each length of name up to 8 words,
    so that a frame before the long name frames the acronym too."""
    stripped = before.rstrip()
    if not stripped.endswith("("):
        return
    words = stripped[:-1].rstrip().split(" ")
    for taken in range(1, min(8, len(words) - 1) + 1):
        if not _NAME_WORD.match(words[-taken]):
            return
        yield " ".join(words[:-taken]) + " "


def _reporter_frame(norm: str, start: int, end: int, compiled: _Compiled) -> bool:
    """True when the words around ``norm[start:end]`` (same sentence) make it the reporter."""
    before = norm[max(0, start - 160):start]
    cut = max(before.rfind(c) for c in _SENTENCE_END)
    if cut >= 0:
        before = before[cut + 1:]
    after = norm[end:end + 60]
    stops = [i for i in (after.find(c) for c in _SENTENCE_END) if i >= 0]
    if stops:
        after = after[:min(stops)]
    return bool(compiled.reporting_before.search(before[-60:])
                or compiled.reporting_after.search(after)
                or any(compiled.reporting_before.search(text[-60:])
                       for text in _before_long_name(before)))


def _overlaps(span: tuple[int, int], taken: Sequence[tuple[int, int]]) -> bool:
    return any(span[0] < b and a < span[1] for a, b in taken)


def _iter_hits(rule: SignRule | FactRule, text: _Text, compiled: _Compiled,
               negatable: bool) -> Iterator[tuple[re.Match[str], str | None]]:
    if rule.regex is None:
        return
    for match in rule.regex.finditer(text.norm):
        if match.end() == match.start():
            continue
        if negatable and _negated(text.norm, match.start(), compiled):
            continue
        yield match, _language_of(match)


@dataclass
class _Found:
    hits: list[SignHit] = field(default_factory=list)
    spans: list[tuple[int, int]] = field(default_factory=list)
    languages: Counter[str] = field(default_factory=Counter)


def _match_rules(rules: Sequence[SignRule], text: _Text, compiled: _Compiled,
                 taken: list[tuple[int, int]], reporters: bool = False) -> _Found:
    """The first free match of each rule; with ``reporters``, a match framed as the reporter
    of the text (:func:`_reporter_frame`) is passed over for the rule's next match."""
    found = _Found()
    for rule in sorted(rules, key=lambda r: -abs(r.weight)):
        if rule.min_patterns > 1 and rule.features_found(text.norm) < rule.min_patterns:
            continue
        for match, language in _iter_hits(rule, text, compiled, rule.negatable):
            span = (match.start(), match.end())
            if _overlaps(span, taken):
                continue
            if reporters and _reporter_frame(text.norm, span[0], span[1], compiled):
                continue
            quote, start, end = text.quote(*span)
            found.hits.append(SignHit(rule.id, quote, start, end, rule.weight))
            found.spans.append(span)
            taken.append(span)
            if language:
                found.languages[language] += 1
            break
    return found


def _facts_of(lexicon: Lexicon, text: _Text) -> tuple[dict[str, list[Fact]], Counter[str]]:
    out: dict[str, list[Fact]] = {kind: [] for kind in FACT_KINDS}
    languages: Counter[str] = Counter()
    for rule in lexicon.facts:
        seen: list[tuple[int, int]] = [(f.start, f.end) for f in out[rule.kind]]
        for match, language in _iter_hits(rule, text, lexicon.compiled, negatable=False):
            quote, start, end = text.quote(match.start(), match.end())
            if _overlaps((start, end), seen):
                continue
            out[rule.kind].append(Fact(rule.term, quote, start, end))
            seen.append((start, end))
            if language:
                languages[language] += 1
            if len(out[rule.kind]) >= 20:
                break
    for facts in out.values():
        facts.sort(key=lambda f: f.start)
    return out, languages


def _destinations(lexicon: Lexicon, text: _Text, origin: str | None) -> list[Destination]:
    compiled = lexicon.compiled
    lowered = _lower_same_length(text.norm)
    spans: list[tuple[int, int, str]] = []
    for spelling in compiled.destination_spellings:
        latin = not is_spaceless_char(spelling[0])
        position = lowered.find(spelling)
        while position >= 0 and len(spans) < 200:
            end = position + len(spelling)
            if latin and ((position > 0 and _is_letter(lowered[position - 1]))
                          or (end < len(lowered) and _is_letter(lowered[end]))):
                position = lowered.find(spelling, position + 1)
                continue
            if not any(position < b and a < end for a, b, _ in spans):
                spans.append((position, end, spelling))
            position = lowered.find(spelling, end)
    out: list[Destination] = []
    for start, end, spelling in sorted(spans):
        country, place = compiled.destination_codes[spelling]
        if country is None:
            continue  # a longer name (a nationality, a language) that holds a place's name
        if origin and country == origin and place is None:
            continue
        if place is None and (compiled.people_before.search(lowered, max(0, start - 40), start)
                              or compiled.people_after.match(lowered, end, end + 40)):
            continue  # the people's origin ("Myanmar workers"), not where the job is (``match``
            # starts at ``end``; ``search`` up to ``start`` reads ``$`` as that end)
        quote, s, e = text.quote(start, end)
        out.append(Destination(country, place, quote, s, e))
        if len(out) >= 30:
            break
    return out


def _is_letter(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def guess_language(text: str, votes: Counter[str]) -> str | None:
    code, confidence = detect(text[:2000])
    if code in ("my", "km", "th", "lo") or (code and confidence >= 0.6):
        return code
    if votes:
        return votes.most_common(1)[0][0]
    return code


_ORIGIN_OF_LANGUAGE = {"id": "ID", "tl": "PH", "vi": "VN", "th": "TH", "km": "KH", "my": "MM",
                       "lo": "LA"}


# --- the checker --------------------------------------------------------------------------------


def check_offer(text: str, lexicon: Lexicon, origin_country: str | None = None,
                reported_contacts: Mapping[str, int] | None = None) -> Verdict:
    """Weighs the warning and legitimacy signs found in ``text``.

    Args:
        text: the offer as the user sent it (any of Jaga's languages, mixed, or junk).
        lexicon: the signs and reference data, from :func:`bot.offer_data.load_lexicon`.
        origin_country: the user's country (ISO alpha-2), for the pay threshold and next steps;
            guessed from the language when missing.
        reported_contacts: normalised contact key -> number of community reports.
    """
    settings = lexicon.settings
    text = text if isinstance(text, str) else str(text)
    truncated = len(text) > settings.max_chars
    body = text[:settings.max_chars]
    empty = Verdict("unknown", 0.0, [], [], Facts(), None, list(lexicon.verify_always),
                    truncated=truncated)
    if not body.strip() or looks_like_junk(body):
        return empty
    prepared = normalise(body)
    compiled = lexicon.compiled
    origin = origin_country.upper() if origin_country else None

    # Links are read for contacts and official portals only, not as the offer's words.
    masked = _mask_links(prepared)
    taken: list[tuple[int, int]] = []
    warning = _match_rules([r for r in lexicon.signs if r.regex is not None], masked, compiled,
                           taken)
    legit = _match_rules([r for r in lexicon.legit if r.regex is not None], prepared, compiled,
                         taken, reporters=True)
    fact_lists, fact_languages = _facts_of(lexicon, masked)
    languages = warning.languages + legit.languages + fact_languages
    language = guess_language(prepared.norm, languages)
    inferred_origin = origin or _ORIGIN_OF_LANGUAGE.get(language or "")

    found_pay = extract_pay(masked, lexicon, inferred_origin)
    pays = [pay for pay, _ in found_pay]
    contacts = extract_contacts(prepared, [span for _, span in found_pay])
    destinations = _destinations(lexicon, masked, inferred_origin)
    facts = Facts(pay=pays, job_types=fact_lists["job_types"], destinations=destinations,
                  travel_visa=fact_lists["travel_visa"], fees=fact_lists["fees"],
                  requirements=fact_lists["requirements"], contacts=contacts,
                  urgency=fact_lists["urgency"])

    reported = _reported(contacts, reported_contacts or {})
    offer_content = bool(warning.hits or legit.hits or facts.job_types or reported
                         or any(p.currency for p in pays))
    if not offer_content or (len(body.strip()) < settings.min_chars and not warning.hits
                             and not reported):
        return Verdict("unknown", 0.0, [], [], facts, language, list(lexicon.verify_always),
                       origin=inferred_origin, truncated=truncated)

    signs = list(warning.hits)
    signs.extend(_computed_signs(lexicon, facts, inferred_origin, reported, signs, body))
    signs.sort(key=lambda h: h.start)
    present = {h.id for h in signs}
    if facts.job_types:
        present.add("fact:job")
    if any(p.currency for p in pays):
        present.add("fact:pay")
    if any(d.country != inferred_origin for d in destinations):
        present.add("fact:abroad")
    if compiled.abroad.search(masked.norm):
        present.add("fact:abroad_word")
    combinations = [c for c in lexicon.combinations
                    if all(any(member in present for member in group) for group in c.groups)]
    score = sum(h.weight for h in signs) + sum(c.bonus for c in combinations)
    score += sum(h.weight for h in legit.hits)
    score = max(0.0, round(score, 3))
    if math.isnan(score):
        score = 0.0
    if score >= settings.high and len(signs) >= settings.min_signs_for_high:
        risk: Risk = "high"
    elif score >= settings.medium:
        risk = "medium"
    else:
        risk = "low"
    return Verdict(risk, score, signs, sorted(legit.hits, key=lambda h: h.start), facts,
                   language, _verify_next(lexicon, inferred_origin, present),
                   [c.id for c in combinations], inferred_origin, truncated)


def _mask_links(text: _Text) -> _Text:
    """The same text with every URL and t.me/wa.me link blanked out (offsets unchanged)."""
    spans = [m.span() for regex in (_URL, _TELEGRAM_LINK, _WHATSAPP_LINK)
             for m in regex.finditer(text.norm)]
    if not spans:
        return text
    chars = list(text.norm)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return _Text(text.original, "".join(chars), text.starts, text.ends)


def _reported(contacts: Sequence[Contact], reports: Mapping[str, int]) -> list[Contact]:
    if not reports:
        return []
    normalised = {k.casefold(): v for k, v in reports.items()}
    return [c for c in contacts if normalised.get(c.key.casefold(), 0) > 0]


def _computed_signs(lexicon: Lexicon, facts: Facts, origin: str | None,
                    reported: Sequence[Contact], already: Sequence[SignHit],
                    body: str) -> list[SignHit]:
    out: list[SignHit] = []
    have = {h.id for h in already}
    for rule in lexicon.signs:
        if rule.computed is None or rule.id in have:
            continue
        hit = _computed_hit(rule, lexicon, facts, origin, reported, already, body)
        if hit is not None:
            out.append(hit)
    return out


def _computed_hit(rule: SignRule, lexicon: Lexicon, facts: Facts, origin: str | None,
                  reported: Sequence[Contact], already: Sequence[SignHit] = (),
                  body: str = "") -> SignHit | None:
    kind = rule.computed
    if kind == "pay_above_threshold":
        thresholds = lexicon.pay.thresholds_usd_month
        limit = thresholds.get(origin or "", thresholds.get("default"))
        over = [p for p in facts.pay if limit is not None and p.usd_month_estimate is not None
                and p.usd_month_estimate >= limit]
        if over:
            top = max(over, key=lambda p: p.usd_month_estimate or 0.0)
            return SignHit(rule.id, top.quote, top.start, top.end, rule.weight)
    elif kind == "high_risk_destination":
        config = lexicon.destinations
        for d in facts.destinations:
            if (d.place in config.hub_places or (d.country in config.high_risk_countries
                                                 and d.country != origin)):
                return SignHit(rule.id, d.quote, d.start, d.end, rule.weight)
    elif kind == "transit_place":
        for d in facts.destinations:
            if d.place in lexicon.destinations.transit_places:
                return SignHit(rule.id, d.quote, d.start, d.end, rule.weight)
    elif kind == "chat_app_contact":
        for c in facts.contacts:
            if c.kind in ("telegram", "whatsapp"):
                return SignHit(rule.id, c.quote, c.start, c.end, rule.weight)
    elif kind == "reported_contact" and reported:
        c = reported[0]
        return SignHit(rule.id, c.quote, c.start, c.end, rule.weight)
    elif kind == "job_in_bait_country":
        lures = {r.id for r in lexicon.signs
                 if r.category in BAIT_LURE_CATEGORIES and r.computed is None}
        if any(h.id in lures for h in already):
            for d in facts.destinations:
                if d.country in lexicon.destinations.bait_countries and d.country != origin:
                    return SignHit(rule.id, d.quote, d.start, d.end, rule.weight)
    elif kind == "report_model":
        # the text reads like the reported scams: quoted with the sentence most like them
        model = lexicon.report_model
        if model is not None and model.flags(body):
            start, end = model.strongest_sentence(body)
            return SignHit(rule.id, body[start:end], start, end, rule.weight)
    return None


def _verify_next(lexicon: Lexicon, origin: str | None, present: set[str]) -> list[str]:
    out: list[str] = []
    if origin and origin in lexicon.verify_by_origin:
        out.append(lexicon.verify_by_origin[origin])
    for sign_id, message in lexicon.verify_by_sign.items():
        if sign_id in present and message not in out:
            out.append(message)
    for message in lexicon.verify_always:
        if message not in out:
            out.append(message)
    return out
