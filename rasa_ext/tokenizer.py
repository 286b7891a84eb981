"""A tokenizer for text with and without spaces between words.

Thai, Lao, Khmer and Burmese are written without spaces, so a whitespace tokenizer sees a
whole clause as one token. This tokenizer first splits like Rasa's WhitespaceTokenizer, then
cuts runs of the configured scripts into orthographic syllables (a consonant cluster with its
vowels, tone marks and stacked consonants), so the classifier's token n-grams see syllables
and syllable pairs; character n-grams cover every script either way. Measured against the
plain whitespace tokenizer in docs/nlu.md (scripts/measure_tokenizer.py).

Thai can instead be cut into dictionary words (``segment_words: [th]``) with PyThaiNLP's
maximal-matching ``newmm`` segmenter and the word list shipped inside the package (nothing is
downloaded); measured in docs/nlu.md.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

# One orthographic syllable per script: leading vowel? + base + (stacked/dependent marks)*.
_THAI = (r"[\u0e40-\u0e44]?[\u0e01-\u0e2e\u0e30-\u0e33\u0e45\u0e4f-\u0e5b]"
         r"[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]*")
_LAO = (r"[\u0ec0-\u0ec4]?[\u0e81-\u0eae\u0eb0\u0eb2\u0eb3\u0ebd\u0ecf-\u0edf]"
        r"[\u0eb1\u0eb4-\u0ebc\u0ec8-\u0ece]*")
_KHMER = (r"[\u1780-\u17b3\u17d4-\u17dd\u17e0-\u17f9]"
          r"(?:\u17d2[\u1780-\u17a2]|[\u17b4-\u17d1\u17d3\u17dd])*")
# Burmese: a syllable starts at a consonant that is not stacked (after U+1039) and not killed
# (followed by asat U+103A or a stacking mark).
_MYANMAR = (r"[\u1000-\u102a\u103f\u104c-\u104f\u1050-\u1055\u105a-\u105d\u1061\u1065\u1066"
            r"\u106e-\u1070\u1075-\u1081\u108e\u1040-\u1049\u104a\u104b]"
            r"(?:[\u102b-\u103e\u1056-\u1059\u105e-\u1060\u1062-\u1064\u1067-\u106d\u1071-\u1074"
            r"\u1082-\u108d\u108f-\u109d]|\u1039[\u1000-\u1021]|[\u1000-\u1021](?=[\u103a\u1039]))*")
_SYLLABLES = {"th": _THAI, "lo": _LAO, "km": _KHMER, "my": _MYANMAR}
_SCRIPT_RANGES = {"th": "\u0e00-\u0e7f", "lo": "\u0e80-\u0eff", "km": "\u1780-\u17ff",
                  "my": "\u1000-\u109f"}
# Measured (scripts/measure_tokenizer.py, docs/nlu.md): syllables help Burmese and Khmer;
# for Thai and Lao these character clusters did worse than whole phrases with char n-grams.
DEFAULT_SCRIPTS = ("my", "km")
_THAI_RUN = re.compile("[\u0e00-\u0e7f]")


@lru_cache(maxsize=1)
def _thai_segmenter() -> Any:
    """PyThaiNLP's dictionary segmenter, imported only when Thai word segmentation is on."""
    from pythainlp.tokenize import word_tokenize

    return word_tokenize


def thai_words(word: str) -> list[str]:
    """Cuts ``word`` into Thai dictionary words where it contains Thai; otherwise as is."""
    if not _THAI_RUN.search(word):
        return [word]
    return [w for w in _thai_segmenter()(word, engine="newmm", keep_whitespace=False)
            if w.strip()]


@lru_cache(maxsize=16)
def _compile(scripts: Sequence[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    syllable = re.compile("|".join(_SYLLABLES[s] for s in scripts))
    spaceless = re.compile("[" + "".join(_SCRIPT_RANGES[s] for s in scripts) + "]")
    return syllable, spaceless


def syllables(word: str, scripts: Sequence[str] = ("th", "lo", "km", "my")) -> list[str]:
    """Cuts ``word`` into syllables where it is written in one of ``scripts``."""
    if not scripts:
        return [word]
    syllable, spaceless = _compile(tuple(scripts))
    if not spaceless.search(word):
        return [word]
    pieces: list[str] = []
    position = 0
    for match in syllable.finditer(word):
        if match.start() > position:  # anything the pattern does not cover stays a piece
            pieces.append(word[position:match.start()])
        pieces.append(match.group())
        position = match.end()
    if position < len(word):
        pieces.append(word[position:])
    return [p for p in pieces if p.strip()]


@DefaultV1Recipe.register(
    DefaultV1Recipe.ComponentType.MESSAGE_TOKENIZER, is_trainable=False
)
class ScriptAwareTokenizer(WhitespaceTokenizer):
    """Whitespace tokens, with spaceless-script tokens cut into syllables."""

    @staticmethod
    def not_supported_languages() -> list[str] | None:
        return None

    @staticmethod
    def get_default_config() -> dict[str, Any]:
        return {**WhitespaceTokenizer.get_default_config(),
                "split_scripts": list(DEFAULT_SCRIPTS), "segment_words": []}

    def __init__(self, config: dict[str, Any]) -> None:
        super().__init__(config)
        if "th" in (self._config.get("segment_words") or ()):
            # Building PyThaiNLP's dictionary trie takes over a second: do it while the model
            # loads, not while the first Thai speaker waits (measured in docs/benchmarks.md).
            thai_words("สวัสดี")

    def pieces(self, word: str) -> list[str]:
        """``word`` cut into syllables and/or dictionary words as configured."""
        scripts = tuple(self._config.get("split_scripts") or ())
        result = syllables(word, scripts) if scripts else [word]
        if "th" in (self._config.get("segment_words") or ()):
            result = [w for piece in result for w in thai_words(piece)]
        return result

    def tokenize(self, message: Message, attribute: str) -> list[Token]:
        tokens = super().tokenize(message, attribute)
        if not (self._config.get("split_scripts") or self._config.get("segment_words")):
            return tokens
        result: list[Token] = []
        for token in tokens:
            offset = token.start
            for piece in self.pieces(token.text):
                start = token.text.find(piece, offset - token.start) + token.start
                result.append(Token(piece, start))
                offset = start + len(piece)
        return result
