"""Comparison keys for place names and codes (no model imports: migrations use them too)."""

import re

from amina.lib.arabic import normalise_name

# Articles and generic words that people add or drop freely in place names.
_LATIN_ARTICLES = {"al", "el", "an", "as", "ad", "ash", "at", "ar", "az", "ul"}
_GENERIC_WORDS = {"governorate", "province", "district", "qadha", "qada", "محافظه", "قضاء", "قضا"}


def place_key(text: str) -> str:
    """The comparison key of a place name: "Al-Anbar", "Anbar", "الأنبار" and "الانبار" agree."""
    words = []
    for word in normalise_name(str(text)).replace("_", " ").split():
        if word in _LATIN_ARTICLES or word in _GENERIC_WORDS:
            continue
        if word.startswith("ال") and len(word) > 3:
            word = word[2:]
        words.append(word)
    return "".join(words)


def code_key(text: str) -> str:
    return re.sub(r"\s+", "", str(text)).upper()
