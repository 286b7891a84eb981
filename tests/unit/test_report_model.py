"""The report-resemblance model: the pure-Python scorer reproduces scikit-learn, its sign is
quoted with a sentence of the text, and it is trained only on what it may be trained on."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.offer_data import REPORT_MODEL_FILE, LexiconError, load_lexicon, load_report_model
from bot.services.offers import Lexicon, check_offer
from bot.services.report_model import (
    char_wb_ngrams,
    check_against,
    fold,
    sentence_spans,
    word_ngrams,
)
from bot.settings import PROJECT_ROOT

MODEL_PATH = PROJECT_ROOT / REPORT_MODEL_FILE
SIGN = "RF27_reads_like_reported_recruitment_scams"


@pytest.fixture(scope="module")
def lexicon() -> Lexicon:
    return load_lexicon()


def test_fold_drops_latin_accents_and_digits_but_keeps_thai_marks() -> None:
    assert fold("Lương 15 TRIỆU") == "luong 00 trieu"
    assert fold("เงินเดือน") == "เงินเดือน"


def test_ngrams_are_scikit_learns() -> None:
    # char_wb pads each word with a space; a word shorter than n is counted once
    assert char_wb_ngrams("ab", 2, 3) == [" a", "ab", "b ", " ab", "ab "]
    assert char_wb_ngrams("a", 2, 5) == [" a", "a ", " a "]
    # tokens of two characters or more, then the pairs
    assert word_ngrams("a job in x city", 1, 2) == ["job", "in", "city", "job in", "in city"]


def test_the_scorer_reproduces_the_training_scripts_probabilities() -> None:
    data = json.loads(MODEL_PATH.read_text(encoding="utf-8"))
    model = load_report_model(MODEL_PATH)
    assert len(data["samples"]) >= 10
    assert check_against(model, data["samples"]) == []


def test_the_model_is_not_trained_on_the_untuned_blind_splits() -> None:
    trained_on = load_report_model(MODEL_PATH).trained_on
    for split in ("heldout13", "heldout16", "heldout17", "heldout19", "heldout20"):
        assert split in trained_on.split("; not ")[1], split


def test_sentences_join_short_fragments() -> None:
    text = "Hi.\nWe hire cooks in Dubai. Pay is good!  Call now"
    spans = [text[s:e] for s, e in sentence_spans(text)]
    assert spans == ["Hi.\nWe hire cooks in Dubai.", "Pay is good!  Call now"]
    assert sentence_spans("   ") == []


def test_a_broken_model_file_is_refused_and_named(tmp_path: Path) -> None:
    path = tmp_path / "model.json"
    path.write_text('{"blocks": []}', encoding="utf-8")
    with pytest.raises(LexiconError, match=r"model\.json: KeyError"):
        load_report_model(path)


def test_a_lexicon_that_needs_the_model_refuses_to_load_without_it(tmp_path: Path) -> None:
    data = tmp_path / "data" / "offers"
    data.mkdir(parents=True)
    (data / "signs.yml").write_text((PROJECT_ROOT / "data/offers/signs.yml").read_text(
        encoding="utf-8"), encoding="utf-8")
    (tmp_path / "data" / "gazetteer").symlink_to(PROJECT_ROOT / "data" / "gazetteer")
    (tmp_path / "data" / "places.yml").symlink_to(PROJECT_ROOT / "data" / "places.yml")
    with pytest.raises(LexiconError, match=r"report_model\.json"):
        load_lexicon(tmp_path)


def test_a_report_of_a_recruitment_scam_is_quoted_with_its_sentence(lexicon: Lexicon) -> None:
    # written for this test in the manner of the news reports of the dev set
    text = ("Polisi menangkap seorang perekrut di Medan. Korban dijanjikan bekerja di sebuah "
            "pabrik di Jepang dan sudah membayar puluhan juta rupiah, tetapi tidak pernah "
            "diberangkatkan.")
    verdict = check_offer(text, lexicon)
    hits = [h for h in verdict.signs if h.id == SIGN]
    assert len(hits) == 1
    assert text[hits[0].start:hits[0].end] == hits[0].quote
    assert hits[0].quote in [text[s:e] for s, e in sentence_spans(text)]


@pytest.mark.parametrize("text", ["hi", "Cambodia", "Is this real?", "ការងារនេះល្អទេ?"])
def test_no_sign_without_an_offer(lexicon: Lexicon, text: str) -> None:
    assert SIGN not in {h.id for h in check_offer(text, lexicon).signs}


def test_the_sign_alone_is_never_high(lexicon: Lexicon) -> None:
    assert lexicon.settings.min_signs_for_high >= 2
    rule = lexicon.rule(SIGN)
    assert rule is not None and rule.weight < lexicon.settings.high


def test_no_ordinary_text_kept_for_evaluation_gets_the_sign(lexicon: Lexicon) -> None:
    # data/offers/ordinary_texts_eval.jsonl: ordinary ads, notices, messages and news written
    # by Jaga's team in the eight languages, never trained on
    path = PROJECT_ROOT / "data" / "offers" / "ordinary_texts_eval.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(rows) >= 100 and len({r["language"] for r in rows}) == 8
    flagged = [r["id"] for r in rows
               if SIGN in {h.id for h in check_offer(r["text"], lexicon).signs}]
    assert flagged == []


def test_every_invented_text_says_so() -> None:
    for name in ("ordinary_texts.jsonl", "ordinary_texts_eval.jsonl", "ordinary_texts_study.jsonl"):
        path = PROJECT_ROOT / "data" / "offers" / name
        for line in path.read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            assert "invented" in row["written"] and row["text"].strip(), row["id"]


def test_a_long_sentence_is_quoted_in_part(lexicon: Lexicon) -> None:
    # one 2,000-character "sentence" (no full stop): the quote stays short and exact
    text = ("Korban dijanjikan bekerja di pabrik di Jepang dan membayar puluhan juta rupiah "
            "kepada perekrut tetapi tidak pernah diberangkatkan dan polisi menangkap pelaku ") * 13
    verdict = check_offer(text, lexicon)
    hits = [h for h in verdict.signs if h.id == SIGN]
    assert len(hits) == 1
    assert 0 < len(hits[0].quote) <= 240
    assert text[hits[0].start:hits[0].end] == hits[0].quote


def test_the_model_was_trained_on_the_rows_there_are_now() -> None:
    # Adding dev rows or ordinary texts without running scripts/train_report_model.py again
    # would leave a model that no longer says what it was trained on.
    trained_on = load_report_model(MODEL_PATH).trained_on
    untuned = trained_on.split("; not ")[1].split(")")[0].split(", ")
    dev = (PROJECT_ROOT / "tests" / "offers" / "dev.jsonl").read_text(encoding="utf-8")
    rows = [json.loads(line) for line in dev.splitlines() if line.strip()]
    ordinary = (PROJECT_ROOT / "data" / "offers" / "ordinary_texts.jsonl").read_text(
        encoding="utf-8").splitlines()
    assert trained_on.startswith(
        f"{sum(1 for r in rows if r['split'] not in untuned)} labelled rows")
    assert f"and {len(ordinary)} ordinary texts" in trained_on
