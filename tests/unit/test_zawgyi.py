"""bot/i18n/zawgyi.py: Zawgyi-encoded Burmese is converted to Unicode."""

from __future__ import annotations

import pytest

from bot.i18n.zawgyi import THRESHOLD, to_unicode, zawgyi_probability


@pytest.mark.parametrize(("zawgyi", "unicode"), [
    ("ျမန္မာ", "မြန်မာ"),
    ("ျမန္မာႏိုင္ငံ", "မြန်မာနိုင်ငံ"),
    ("ေက်ာင္း", "ကျောင်း"),
])
def test_zawgyi_is_converted(zawgyi: str, unicode: str) -> None:
    assert zawgyi_probability(zawgyi) >= THRESHOLD
    assert to_unicode(zawgyi) == unicode


@pytest.mark.parametrize("text", ["မြန်မာ", "မင်္ဂလာပါ", "ကျွန်တော် အကူအညီ လိုပါတယ်"])
def test_unicode_burmese_is_unchanged(text: str) -> None:
    assert zawgyi_probability(text) < THRESHOLD
    assert to_unicode(text) == text


@pytest.mark.parametrize("text", ["hello", "สวัสดีครับ", "Tôi cần giúp đỡ", "", "123"])
def test_other_text_is_unchanged(text: str) -> None:
    assert zawgyi_probability(text) == 0.0
    assert to_unicode(text) == text
