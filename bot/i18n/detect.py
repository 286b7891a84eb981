"""Guesses the language of a short chat message.

Scripts decide Burmese, Khmer, Thai and Lao. Latin text is scored against small lists of the
commonest chat words of English, Indonesian, Filipino and Vietnamese (with and without
diacritics). Used only when the user has not chosen a language: a chosen one always wins.
"""

from __future__ import annotations

import re
import unicodedata

_SCRIPTS = {
    "my": re.compile(r"[\u1000-\u109f\uaa60-\uaa7f]"),
    "km": re.compile(r"[\u1780-\u17ff\u19e0-\u19ff]"),
    "th": re.compile(r"[\u0e00-\u0e7f]"),
    "lo": re.compile(r"[\u0e80-\u0eff]"),
}
_VI_LETTERS = re.compile(r"[ăâđêôơưĂÂĐÊÔƠƯạảãầấậẩẫằắặẳẵẹẻẽềếệểễịỉĩọỏõồốộổỗờớợởỡụủũừứựửữỳỵỷỹ]")
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)

_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "i im i'm me my you your is are am the a an to of and in on for with what how why "
        "where who can do does don't dont want need please pls hi hello hey thanks thank "
        "yes no not this that job work help it be have has was will would should from "
        "there here they them about know tell".split()
    ),
    "id": frozenset(
        "saya aku gue gw sy ak kamu km anda apa apakah gimana gmn bagaimana kenapa knp "
        "mau mo pengen ingin tidak tdk gak ga nggak ngga enggak bisa bs ini itu yang yg "
        "di ke dari dan atau dengan dgn untuk utk buat tolong tlg kerja kerjaan lowongan "
        "loker gaji halo hai selamat pagi siang sore malam terima kasih makasih mks "
        "trims iya ya ok oke udah sudah belum blm ada nih dong deh sih kak min bang "
        "bapak ibu mas mbak orang juga lagi banget bgt aja saja".split()
    ),
    "tl": frozenset(
        "ako ko ikaw ka mo ka kayo po opo ang ng mga sa na nga naman lang din rin "
        "ba kasi ksi paano pano bakit saan ano sino gusto gusto ko hindi di wala may "
        "meron trabaho sahod salamat kumusta kamusta musta magandang umaga hapon gabi "
        "oo sige tulong tulungan niyo nyo namin natin kami tayo sila siya yung yun "
        "ito iyan dito doon pwede puwede nmn pls pano".split()
    ),
    "vi": frozenset(
        "toi tui minh ban b em anh chi co khong ko k hong la cua lam viec duoc dc "
        "nhu the nao sao gi j vay z roi chua oi nhe nha a ah da vang cam on xin chao "
        "giup voi can muon di o dau bao nhieu luong cong ty nguoi ai nay kia thi "
        "ma nhung cac cho tu den".split()
    ),
}


def _strip_accents(word: str) -> str:
    decomposed = unicodedata.normalize("NFD", word.replace("đ", "d").replace("Đ", "D"))
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def detect(text: str) -> tuple[str | None, float]:
    """Returns ``(language code, confidence 0..1)``; ``(None, 0.0)`` when there is no signal."""
    letters = [ch for ch in text if ch.isalpha() or unicodedata.category(ch).startswith("M")]
    if not letters:
        return None, 0.0
    for code, pattern in _SCRIPTS.items():
        share = len(pattern.findall(text)) / len(letters)
        if share >= 0.3:
            return code, min(1.0, 0.5 + share)
    if len(_VI_LETTERS.findall(text)) >= 2:
        return "vi", 0.9
    words = [_strip_accents(w.lower()) for w in _WORD.findall(text)]
    if not words:
        return None, 0.0
    scores = {code: sum(1 for w in words if w in vocab) for code, vocab in _WORDS.items()}
    best = max(scores, key=lambda code: scores[code])
    ranked = sorted(scores.values(), reverse=True)
    if ranked[0] == 0 or ranked[0] == ranked[1]:
        return None, 0.0
    margin = (ranked[0] - ranked[1]) / max(1, len(words))
    confidence = min(1.0, 0.4 + margin + 0.1 * ranked[0])
    return best, confidence
