"""Property tests of the offer checker over random, oversized, binary and mixed-script text:
it never raises, every quote is the user's own words, the risk is one of the four levels, and
text without words gets ``unknown``.

Short by default (derandomized, 200 examples); ``JAGA_FUZZ_EXAMPLES=5000`` runs longer.
"""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.offer_data import load_lexicon
from bot.reference import load_gazetteer
from bot.services.offers import Lexicon, check_offer
from tests.unit.test_offers import OFFERS, assert_quotes_exact

EXAMPLES = int(os.environ.get("JAGA_FUZZ_EXAMPLES", "200"))
FUZZ = settings(max_examples=EXAMPLES, derandomize=True, deadline=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                       HealthCheck.function_scoped_fixture])
RISKS = {"unknown", "low", "medium", "high"}
# Words the checker knows, in several scripts, so random text also hits real signs.
SEED_WORDS = [w for offer in OFFERS for w in offer.split()] + [
    "gaji", "15 juta", "$1500/month", "telegram", "@hr_cs88", "+855 12 345 678", "Kamboja",
    "ຮັບສະໝັກ", "ကမ္ဘောဒီးယား", "កម្ពុជា", "ពន្លឺ", "wa.me/628123", "t.me/x_jobs", "visa", "₱",
]
SCRIPTS = st.characters(codec="utf-8")  # any code point, surrogates excluded
mixed = st.lists(st.one_of(st.sampled_from(SEED_WORDS), st.text(SCRIPTS, max_size=12)),
                 max_size=60).map(" ".join)
binary = st.binary(max_size=2000).map(lambda b: b.decode("latin-1"))
oversized = st.tuples(mixed, st.integers(1, 400)).map(lambda t: (t[0] + " ") * t[1])
texts = st.one_of(st.text(SCRIPTS, max_size=500), mixed, binary, oversized)


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon(gazetteer=load_gazetteer())


@FUZZ
@given(text=texts, origin=st.sampled_from([None, "ID", "PH", "VN", "MM", "KH", "TH", "LA",
                                            "XX", "id"]))
def test_the_checker_never_fails_and_quotes_only_the_users_words(
        lexicon: Lexicon, text: str, origin: str | None) -> None:
    verdict = check_offer(text, lexicon, origin)
    assert verdict.risk in RISKS
    assert verdict.score >= 0
    body = text[:lexicon.settings.max_chars]
    assert_quotes_exact(body, verdict)
    assert verdict.truncated == (len(text) > lexicon.settings.max_chars)


@FUZZ
@given(text=st.text(st.characters(categories=["Zs", "Cc", "Cf", "P", "S", "Nd"]),
                    max_size=300))
def test_text_without_words_is_unknown(lexicon: Lexicon, text: str) -> None:
    verdict = check_offer(text, lexicon)
    assert verdict.risk == "unknown" and verdict.signs == []
