"""Comparison keys for people: the ONE module search, import and de-duplication use.

Built on ``amina.lib.arabic`` (hamza and alef forms, taa marbuta, alef maqsura,
diacritics, tatweel, Eastern digits, "عبد ال…" compounds), it adds what personal names
need beyond place names:

- an Arabic name part drops a leading "ال" only in the family name ("العزاوي" and
  "عزاوي" are one tribe name) and joins "عبد" to what follows even without "ال"
  ("عبد الله", "عبدالله", "عبد ربه" → one token);
- Latin transliterations fold the common variants of Iraqi names (Mohammed/Muhammad/
  Mohamad, Al-/El-, doubled letters, ee/ou spellings, aa→a …) into one skeleton;
- phones become the canonical Iraqi mobile form ``07XXXXXXXXX`` (from +964, 00964,
  964 7…, with spaces, dashes or Eastern digits);
- document numbers keep only letters and digits, upper case.
"""

from __future__ import annotations

import re
from functools import lru_cache

from amina.lib.arabic import (
    EASTERN_DIGITS,
    PERSIAN_DIGITS,
    fold_latin,
    normalise_name,
    to_western_digits,
)

_ABD = re.compile(r"\bعبد\s+")
_LEADING_AL = re.compile(r"^ال(?=\S{2,})")


def arabic_part(text: str | None, *, family: bool = False) -> str:
    """One name part (first, father's, grandfather's or family name) as a comparison key."""
    return _arabic_part(text or "", family)


# Names repeat (a few thousand cover most of a country): the keys are memoised, which
# makes a national import spend its time writing, not normalising.
@lru_cache(maxsize=200_000)
def _arabic_part(text: str, family: bool) -> str:
    key = normalise_name(text)
    key = _ABD.sub("عبد", key)
    key = key.replace(" ", "")
    if family:
        key = _LEADING_AL.sub("", key)
    return key[:60]


# Latin spellings of the same Arabic sounds, applied in order to a lower-case word.
_LATIN_RULES = [
    (re.compile(r"^(al|el|ul)$"), ""),  # the article written apart
    (re.compile(r"^(al|el)(?=[a-z]{4,})"), ""),  # … or joined ("Aljubouri"), not "Ali"
    (re.compile(r"ou"), "u"),
    (re.compile(r"ee|ei|ie"), "i"),
    (re.compile(r"oo"), "u"),
    (re.compile(r"aa"), "a"),
    (re.compile(r"kh"), "k"),
    (re.compile(r"q"), "k"),
    (re.compile(r"dh|th|z"), "d"),
    (re.compile(r"gh"), "g"),
    (re.compile(r"sh"), "s"),
    (re.compile(r"ph"), "f"),
    (re.compile(r"([a-z])\1+"), r"\1"),  # doubled letters
    (re.compile(r"(?<=.)[aeiouy]"), ""),  # inner vowels carry little in transliteration
    (re.compile(r"h$"), ""),  # final -ah/-a (taa marbuta)
]


@lru_cache(maxsize=200_000)
def latin_word(word: str) -> str:
    word = fold_latin(word)
    word = re.sub(r"[^a-z]", "", word)
    for pattern, repl in _LATIN_RULES:
        word = pattern.sub(repl, word)
    return word


@lru_cache(maxsize=200_000)
def latin_key(text: str | None) -> str:
    """A Latin transliteration as a spelling-tolerant key: "Mohammed Al-Jubouri" and
    "Muhamad El Jubori" give the same key."""
    words = re.split(r"[\s\-_.,']+", fold_latin(text or ""))
    joined: list[str] = []
    for word in words:
        if not word:
            continue
        if joined and joined[-1] in ("abd", "abdul", "abdel", "abdal"):
            joined[-1] = "abd" + re.sub(r"^(al|el|ul)(?=[a-z]{3,})", "", word)
            continue
        joined.append(word)
    return " ".join(k for k in (latin_word(w) for w in joined) if k)[:150]


def phone_key(text: str | None) -> str:
    """An Iraqi mobile number as ``07XXXXXXXXX``; other numbers as their digits."""
    digits = re.sub(r"[^0-9]", "", to_western_digits(str(text or "")))
    if digits.startswith("00964"):
        digits = digits[5:]
    elif digits.startswith("964"):
        digits = digits[3:]
    if len(digits) == 10 and digits.startswith("7"):
        digits = "0" + digits
    return digits[:20]


def document_key(text: str | None) -> str:
    return re.sub(r"[^0-9A-Za-z]", "", to_western_digits(str(text or ""))).upper()[:40]


# The same two keys as SQL expressions, for the staged import on PostgreSQL, which
# computes them in the database. ASCII-only rules on both sides make them equal by
# construction; ``test_names`` checks the two against each other.
_EASTERN = EASTERN_DIGITS + PERSIAN_DIGITS


def phone_key_sql(column: str) -> str:
    """``phone_key`` of a text column, in PostgreSQL."""
    digits = (
        f"regexp_replace(translate({column}, '{_EASTERN}', '{'0123456789' * 2}'), "
        f"'[^0-9]', '', 'g')"
    )
    bare = f"regexp_replace({digits}, '^(00964|964)', '')"
    return f"left(regexp_replace({bare}, '^(7[0-9]{{9}})$', '0\\1'), 20)"


def document_key_sql(column: str) -> str:
    """``document_key`` of a text column, in PostgreSQL."""
    return (
        f"left(upper(regexp_replace(translate({column}, '{_EASTERN}', "
        f"'{'0123456789' * 2}'), '[^0-9A-Za-z]', '', 'g')), 40)"
    )


def name_tokens(text: str | None) -> list[str]:
    """The tokens of a free-text search in either script, as keys comparable to members'."""
    text = text or ""
    if re.search(r"[\u0600-\u06ff]", text):
        return [
            t for t in (arabic_part(w) for w in _ABD.sub("عبد", normalise_name(text)).split()) if t
        ]
    return [t for t in latin_key(text).split() if t]


def member_keys(
    first: str = "",
    father: str = "",
    grandfather: str = "",
    family: str = "",
    latin: str = "",
    phone: str = "",
    document: str = "",
) -> dict[str, str]:
    """The comparison keys stored on a ``Member`` (field name → key)."""
    return {
        "key_first": arabic_part(first),
        "key_father": arabic_part(father),
        "key_grandfather": arabic_part(grandfather),
        "key_family": arabic_part(family, family=True),
        "key_latin": latin_key(latin),
        "key_phone": phone_key(phone),
        "key_document": document_key(document),
    }


def set_keys(member) -> None:
    """Write the comparison keys of a ``Member`` instance from its own fields."""
    for field, value in member_keys(
        member.first_name_ar,
        member.father_name_ar,
        member.grandfather_name_ar,
        member.family_name_ar,
        member.name_latin,
        member.phone,
        member.document_number,
    ).items():
        setattr(member, field, value)
