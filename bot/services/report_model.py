"""A statistical resemblance to reported recruitment scams, read from data in pure Python.

The hand-written signs cover the kinds of text they were written from, and every new blind set
brought kinds they did not (docs/offers.md). This model is the backstop: a TF-IDF logistic
regression over character 2-5-grams and words, trained by ``scripts/train_report_model.py`` on
the labelled offer rows (sourced news, police and embassy reports, and genuine notices) and on
ordinary texts written by Jaga's team, so that ordinary ads are not flagged. It is stored as
data (``data/offers/report_model.json``) and scored here exactly as scikit-learn scores it, so
the app needs no machine-learning package. It only ever adds one warning sign, quoted with the
sentence that reads most like the reports; it never lowers a score and never decides alone
that an offer is high risk.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

_WHITE_SPACES = re.compile(r"\s\s+")
_TOKEN = re.compile(r"(?u)\b\w\w+\b")
# A sentence ends at . ! ? or the full stops of Khmer (។ ៕) and Burmese (။), then a space; Thai
# and Lao have no full stop, so there a line break ends one.
_SENTENCE_END = re.compile(r"(?<=[.!?។៕။])\s+|\n+")
_MIN_SENTENCE = 20
# A quote is shown to the user next to the sign: a long sentence is cut at a space before this.
MAX_QUOTE = 240


def fold(text: str) -> str:
    """Lower case, Latin accents dropped (not the marks of Thai, Lao, Khmer or Burmese), digits as
    0: the same preprocessing the training script gives scikit-learn."""
    decomposed = unicodedata.normalize("NFD", text.lower())
    kept = "".join(c for c in decomposed if not (unicodedata.combining(c) and ord(c) < 0x0E00))
    return re.sub(r"\d", "0", kept)


def char_wb_ngrams(folded: str, low: int, high: int) -> list[str]:
    """Character n-grams inside words, padded with a space (scikit-learn's ``char_wb``)."""
    out: list[str] = []
    for word in _WHITE_SPACES.sub(" ", folded).split():
        padded = f" {word} "
        size = len(padded)
        for n in range(low, high + 1):
            offset = 0
            out.append(padded[offset:offset + n])
            while offset + n < size:
                offset += 1
                out.append(padded[offset:offset + n])
            if offset == 0:
                break
    return out


def word_ngrams(folded: str, low: int, high: int) -> list[str]:
    """Word n-grams of scikit-learn's default token pattern (``word``)."""
    tokens = _TOKEN.findall(folded)
    out = list(tokens) if low == 1 else []
    for n in range(max(low, 2), min(high, len(tokens)) + 1):
        out.extend(" ".join(tokens[i:i + n]) for i in range(len(tokens) - n + 1))
    return out


@dataclass(frozen=True)
class _Block:
    """One TF-IDF vectorizer's vocabulary: term -> (idf, coefficient)."""

    analyzer: str
    low: int
    high: int
    terms: Mapping[str, tuple[float, float]]

    def contribution(self, folded: str) -> float:
        grams = (char_wb_ngrams(folded, self.low, self.high) if self.analyzer == "char_wb"
                 else word_ngrams(folded, self.low, self.high))
        counts = Counter(g for g in grams if g in self.terms)
        if not counts:
            return 0.0
        weighted = [((1.0 + math.log(n)) * self.terms[g][0], self.terms[g][1])
                    for g, n in counts.items()]
        norm = math.sqrt(sum(w * w for w, _ in weighted))
        return sum(w * c for w, c in weighted) / norm


@dataclass(frozen=True)
class ReportModel:
    """The stored model, its threshold and where it came from."""

    blocks: tuple[_Block, ...]
    intercept: float
    threshold: float
    trained_on: str
    # Shorter texts (a question, a greeting, a one-line ad) are unlike the passages it learned
    # from and measured on; the hand-written signs alone read them.
    min_chars: int = 0

    def flags(self, text: str) -> bool:
        """Whether ``text`` is long enough and reads enough like the reports for the sign."""
        return len(text.strip()) >= self.min_chars and self.probability(text) >= self.threshold

    def probability(self, text: str) -> float:
        """How much ``text`` reads like the reported scams (0..1)."""
        folded = fold(text)
        z = self.intercept + sum(b.contribution(folded) for b in self.blocks)
        return 1.0 / (1.0 + math.exp(-z)) if z > -700 else 0.0

    def strongest_sentence(self, text: str) -> tuple[int, int]:
        """The span of the sentence that reads most like the reports (the sign's quote)."""
        spans = sentence_spans(text) or [(0, len(text))]
        start, end = max(spans, key=lambda s: self.probability(text[s[0]:s[1]]))
        if end - start > MAX_QUOTE:
            space = text.rfind(" ", start, start + MAX_QUOTE)
            end = space if space > start + MAX_QUOTE // 2 else start + MAX_QUOTE
        return start, end


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """Spans of the sentences of ``text`` (stripped; short fragments joined to the next)."""
    spans: list[tuple[int, int]] = []
    start = 0
    for match in [*_SENTENCE_END.finditer(text), None]:
        end = match.start() if match else len(text)
        piece = text[start:end]
        if piece.strip():
            left = start + len(piece) - len(piece.lstrip())
            right = start + len(piece.rstrip())
            if spans and spans[-1][1] - spans[-1][0] < _MIN_SENTENCE:
                left = spans.pop()[0]
            spans.append((left, right))
        if match:
            start = match.end()
    return spans


class ReportModelError(ValueError):
    """The model file is missing parts or malformed."""


def parse_report_model(data: Mapping[str, Any]) -> ReportModel:
    """The model from the parsed file written by ``scripts/train_report_model.py``."""
    try:
        blocks = tuple(
            _Block(str(b["analyzer"]), int(b["ngram_range"][0]), int(b["ngram_range"][1]),
                   {str(t): (float(v[0]), float(v[1])) for t, v in b["terms"].items()})
            for b in data["blocks"])
        model = ReportModel(blocks, float(data["intercept"]), float(data["threshold"]),
                            str(data["trained_on"]), int(data["min_chars"]))
    except (ValueError, KeyError, TypeError, IndexError, AttributeError) as exc:
        raise ReportModelError(f"{type(exc).__name__}: {exc}") from exc
    if any(b.analyzer not in ("char_wb", "word") for b in blocks):
        raise ReportModelError("unknown analyzer")
    return model


def check_against(model: ReportModel, samples: Sequence[Mapping[str, object]]) -> list[str]:
    """Samples whose stored probability (from scikit-learn) this scorer does not reproduce."""
    return [str(s["text"])[:60] for s in samples
            if abs(model.probability(str(s["text"])) - float(str(s["probability"]))) > 1e-6]
