"""A tokenizer for text with and without spaces between words.

Thai, Lao, Khmer and Burmese are written without spaces, so a whitespace tokenizer sees a
whole clause as one token. This tokenizer first splits like Rasa's WhitespaceTokenizer, then
cuts runs of those scripts into orthographic syllables (a consonant cluster with its vowels,
tone marks and stacked consonants), so the word featurizer sees syllables and syllable pairs.
Measured against the plain whitespace tokenizer in docs/nlu.md.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional, Text

from rasa.engine.recipes.default_recipe import DefaultV1Recipe
from rasa.nlu.tokenizers.tokenizer import Token
from rasa.nlu.tokenizers.whitespace_tokenizer import WhitespaceTokenizer
from rasa.shared.nlu.training_data.message import Message

# One orthographic syllable per script: leading vowel? + base + (stacked/dependent marks)*.
_THAI = r"[\u0e40-\u0e44]?[\u0e01-\u0e2e\u0e30-\u0e33\u0e45\u0e4f-\u0e5b][\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]*"
_LAO = r"[\u0ec0-\u0ec4]?[\u0e81-\u0eae\u0eb0\u0eb2\u0eb3\u0ebd\u0ecf-\u0edf][\u0eb1\u0eb4-\u0ebc\u0ec8-\u0ece]*"
_KHMER = r"[\u1780-\u17b3\u17d4-\u17dd\u17e0-\u17f9](?:\u17d2[\u1780-\u17a2]|[\u17b4-\u17d1\u17d3\u17dd])*"
# Burmese: a syllable starts at a consonant that is not stacked (after U+1039) and not killed
# (followed by asat U+103A or a stacking mark).
_MYANMAR = (r"[\u1000-\u102a\u103f\u104c-\u104f\u1050-\u1055\u105a-\u105d\u1061\u1065\u1066"
            r"\u106e-\u1070\u1075-\u1081\u108e\u1040-\u1049\u104a\u104b]"
            r"(?:[\u102b-\u103e\u1056-\u1059\u105e-\u1060\u1062-\u1064\u1067-\u106d\u1071-\u1074"
            r"\u1082-\u108d\u108f-\u109d]|\u1039[\u1000-\u1021]|[\u1000-\u1021](?=[\u103a\u1039]))*")
_SYLLABLE = re.compile("|".join((_THAI, _LAO, _KHMER, _MYANMAR)))
_SPACELESS = re.compile(r"[\u0e00-\u0eff\u1000-\u109f\u1780-\u17ff]")


def syllables(word: Text) -> List[Text]:
    """Cuts ``word`` into syllables where it is written in a spaceless script."""
    if not _SPACELESS.search(word):
        return [word]
    pieces: List[Text] = []
    position = 0
    for match in _SYLLABLE.finditer(word):
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
    def not_supported_languages() -> Optional[List[Text]]:
        return None

    @staticmethod
    def get_default_config() -> Dict[Text, Any]:
        return {**WhitespaceTokenizer.get_default_config(), "split_spaceless": True}

    def tokenize(self, message: Message, attribute: Text) -> List[Token]:
        tokens = super().tokenize(message, attribute)
        if not self._config.get("split_spaceless", True):
            return tokens
        result: List[Token] = []
        for token in tokens:
            offset = token.start
            for piece in syllables(token.text):
                start = token.text.find(piece, offset - token.start) + token.start
                result.append(Token(piece, start))
                offset = start + len(piece)
        return result
