"""One folding rule for Kurdish (Sorani) and Arabic spellings, on both sides: in Python
(``normalise_arabic`` / ``normalise_name``, behind the gazetteer, household search keys
and de-duplication) and in the SQL that search runs (``fold_sql`` on PostgreSQL, the
``Folded`` expression on either database)."""

import pytest
from django.db import connection
from hypothesis import given, settings
from hypothesis import strategies as st

from amina.lib.arabic import LETTERS, fold_sql, normalise_arabic, normalise_name

#: The same place written in Kurdish and in Arabic (or as Arabic keyboards type it).
PLACE_PAIRS = [
    ("دهۆک", "دهوك"),  # ۆ/و, ک/ك
    ("کەرکووک", "كركوك"),  # the vowel ە, the long vowel وو
    ("چەمچەماڵ", "جمجمال"),  # چ/ج, ڵ/ل
    ("هەڵەبجە", "هلبجة"),  # a final ە is the Arabic final ة/ه
    ("سلێمانی", "سليماني"),  # ێ/ي, ی/ي
    ("ڕانیە", "رانية"),  # ڕ/ر
    ("هه\u200cولێر", "هەولێر"),  # ە typed as heh + zero-width non-joiner
    ("ھەولێر", "هەولێر"),  # heh doachashmee
    ("پشدەر", "بشدر"),  # پ/ب
    ("گەرمیان", "كرميان"),  # گ/ك
]

#: The same person's names as a clerk in Erbil (Kurdish) and one in Baghdad (Arabic) write them.
PERSON_PAIRS = [
    ("محەمەد", "محمد"),
    ("ئەحمەد", "أحمد"),  # the opening ئ is the Arabic alef
    ("حەسەن", "حسن"),
    ("عەلی", "علي"),
    ("فاطمە", "فاطمة"),
    ("ئیمان", "إيمان"),
    ("ئازاد", "آزاد"),
    ("مەحموود", "محمود"),
    ("داوود", "داود"),
    ("ڤیان", "فيان"),  # ڤ/ف
    ("عەبدوڵڵا", "عبد الله"),
    ("عەبدولڕەحمان", "عبدالرحمن"),
    ("کەریم", "كريم"),
]

#: Common names that differ, which no rule may merge.
DISTINCT = [
    ("ژین", "زين"),  # Zhin and Zain: ژ is not folded onto ز
    ("حەسەن", "حوسێن"),  # Hasan and Husain
    ("حسن", "حسين"),
    ("ئیمان", "ئامان"),  # Iman and Aman
    ("عومەر", "عەمار"),
]


@pytest.mark.parametrize(("kurdish", "arabic"), PLACE_PAIRS + PERSON_PAIRS)
def test_the_kurdish_and_arabic_spellings_of_a_name_fold_to_one_key(kurdish, arabic):
    assert normalise_name(kurdish) == normalise_name(arabic)


@pytest.mark.parametrize(("one", "other"), DISTINCT)
def test_it_keeps_distinct_common_names_apart(one, other):
    assert normalise_name(one) != normalise_name(other)


def test_every_letter_of_the_kurdish_alphabet_folds_into_the_arabic_one():
    kurdish = "ئابپتجچحخدرڕزژسشعغفڤقکگلڵمنهەوۆیێ"
    folded = normalise_arabic(kurdish)
    assert not set(folded) & {"ک", "ی", "ێ", "ۆ", "ە", "ڕ", "ڵ", "ڤ", "پ", "چ", "گ"}
    assert "ژ" in folded  # the one letter kept on purpose


_arabic_script = st.text(
    alphabet=st.sampled_from(
        list(LETTERS) + list("ابتثجحخدذرزسشصضطظعغفقكلمنهوي ژ") + ["\u200c", "\u064e", "\u0640"]
    ),
    max_size=30,
)


@given(_arabic_script)
@settings(max_examples=300, deadline=None)
def test_folding_is_idempotent(text):
    once = normalise_arabic(text)
    assert normalise_arabic(once) == once
    assert normalise_name(normalise_name(text)) == normalise_name(text)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="fold_sql is PostgreSQL's")
@pytest.mark.parametrize(
    "text", [t for pair in PLACE_PAIRS + PERSON_PAIRS + DISTINCT for t in pair]
)
def test_the_sql_twin_folds_as_python_does(text):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {fold_sql('%s')}", [text])  # noqa: S608 - our own expression
        assert cursor.fetchone()[0] == normalise_arabic(text)


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="fold_sql is PostgreSQL's")
@given(_arabic_script)
@settings(max_examples=150, deadline=None)
def test_the_sql_twin_agrees_with_python_on_any_text(text):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {fold_sql('%s')}", [text])  # noqa: S608 - our own expression
        assert cursor.fetchone()[0] == normalise_arabic(text)
