"""Arabic-script text normalisation: the one place that decides when two spellings are the same.

Used by the gazetteer, and by name search, imports and de-duplication, so that a
hamza or alef variant, a taa marbuta written as haa, diacritics or tatweel never
make the same name look like two. It also folds Central Kurdish (Sorani) spelling onto
Arabic spelling, so that a name written in Kurdish in Erbil and in Arabic in Baghdad
gives one key ("دهۆک" and "دهوك", "محەمەد" and "محمد"). The rule, letter by letter, and
what it deliberately leaves apart, is in ``docs/glossary.md`` ("Kurdish and Arabic
spellings"). ``fold_sql`` is the same rule as a PostgreSQL expression.
"""

import re
import unicodedata

from django.db.models import CharField, Func

EASTERN_DIGITS = "٠١٢٣٤٥٦٧٨٩"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_DIGITS = str.maketrans(EASTERN_DIGITS + PERSIAN_DIGITS, "0123456789" * 2)
# Arabic decimal and thousands separators, and the Arabic comma.
_SEPARATORS = str.maketrans({"٫": ".", "٬": ",", "،": ","})


def _chars(*ranges: tuple[int, int]) -> str:
    return "".join(chr(c) for low, high in ranges for c in range(low, high + 1))


# Harakat and Quranic marks, the tatweel, and the invisible joiners and direction marks
# that Kurdish and Arabic keyboards leave inside words: all deleted.
_DELETED = _chars((0x0610, 0x061A), (0x064B, 0x065F), (0x0670, 0x0670), (0x06D6, 0x06ED))
_DELETED += "\u0640\u200c\u200d\u200e\u200f\u061c"
_DIACRITICS = re.compile(f"[{_DELETED}]")

#: One letter for each that people write interchangeably in a name. Arabic: hamza seats,
#: alef forms, taa marbuta, alef maqsura. Kurdish → Arabic: the Kurdish kaf and yeh, the
#: vowel letters ۆ (o) and ێ (ê) as Arabic writes them (و, ي), heh doachashmee, the
#: trilled ڕ and velar ڵ (Arabic has one r and one l), and the letters Arabic lacks as
#: Iraqi Arabic spells them in names: ڤ→ف, پ→ب, چ→ج, گ→ك. ژ stays apart: "ژین" (Zhin)
#: and "زين" (Zain) are two common names. The vowel ە (a/e) is deleted inside a word
#: (Arabic leaves short vowels unwritten: "ئەحمەد" = "أحمد") and becomes ه at the end of
#: one (it is the Arabic final ة/ه: "هەڵەبجە" ends as "حلبجة" does).
LETTERS = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ة": "ه",
    "ى": "ي",
    "ئ": "ي",
    "ؤ": "و",
    "ی": "ي",  # Kurdish/Persian yeh
    "ک": "ك",  # Kurdish/Persian kaf
    "ھ": "ه",  # heh doachashmee (Kurdish h)
    "ۀ": "ه",
    "ۆ": "و",
    "ێ": "ي",
    "ڕ": "ر",
    "ڵ": "ل",
    "ڤ": "ف",
    "پ": "ب",
    "چ": "ج",
    "گ": "ك",
    "ە": "",  # a word's last ە has become ه before this table applies
    "ء": "",
}
_LETTERS = str.maketrans(LETTERS)

_ARABIC_BLOCK = "\u0600-\u06ff"
# Older Kurdish typing writes ە as heh followed by a zero-width non-joiner.
_HEH_ZWNJ = re.compile("[هھ]\u200c")
_FINAL_AE = re.compile(f"ە(?![{_ARABIC_BLOCK}])")
# Kurdish opens a word that starts with a vowel with ئ (ئا for a long a), where Arabic
# writes an alef ("ئازاد" = "آزاد", "ئیمان" = "إيمان").
_INITIAL_HAMZA = re.compile(f"(?<![{_ARABIC_BLOCK}])ئا?")
# Kurdish writes a long u as وو ("کەرکووک", "مەحموود"), Arabic as و.
_WAW_RUN = re.compile("وو+")


def to_western_digits(text: str) -> str:
    """Replace Eastern Arabic and Persian digits and separators by their ASCII forms."""
    return text.translate(_DIGITS).translate(_SEPARATORS)


def parse_number(text: str | int | float | None) -> int | None:
    """Read a whole number as people write it: "1,234", "١٬٢٣٤", " 12 ", "12.0"; empty is None.

    Raises ValueError with the offending text for anything else, so an importer can name it.
    """
    if text is None:
        return None
    if isinstance(text, bool):
        raise ValueError(f"not a number: {text!r}")
    if isinstance(text, int):
        return text
    if isinstance(text, float):
        if not text.is_integer():
            raise ValueError(f"not a whole number: {text!r}")
        return int(text)
    cleaned = to_western_digits(str(text)).strip().replace(",", "").replace(" ", "")
    cleaned = cleaned.replace("\u00a0", "").replace("\u066c", "")
    if cleaned == "":
        return None
    if re.fullmatch(r"[+-]?\d+(\.0+)?", cleaned):
        return int(cleaned.split(".")[0])
    raise ValueError(f"not a whole number: {text!r}")


def normalise_arabic(text: str) -> str:
    """Fold the Arabic and Kurdish letter variants that people use interchangeably in names.

    The steps, in this order, are mirrored one for one by ``fold_sql``.
    """
    text = unicodedata.normalize("NFKC", text)
    text = _HEH_ZWNJ.sub("ە", text)
    text = _DIACRITICS.sub("", text)
    text = _FINAL_AE.sub("ه", text)
    text = _INITIAL_HAMZA.sub("ا", text)
    text = text.translate(_LETTERS)
    return _WAW_RUN.sub("و", text)


def _sql_text(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def fold_sql(column: str) -> str:
    """``normalise_arabic`` of a text expression, in PostgreSQL (13 or later).

    The same steps as the Python function, with the same patterns and the same letter
    table, so that a search done in the database folds stored names exactly as Python
    folds what a person typed (``amina/lib/tests/test_kurdish_folding.py`` checks the
    two against each other on PostgreSQL).
    """
    sources = "".join(LETTERS)
    targets = "".join(v for v in LETTERS.values() if v)
    # translate() deletes the characters of its second argument past the third's end:
    # the one-to-one letters first, then those that are deleted.
    ordered = "".join(k for k, v in LETTERS.items() if v) + "".join(
        k for k, v in LETTERS.items() if not v
    )
    assert len(ordered) == len(sources)  # noqa: S101 - a table edit that breaks the twin
    text = f"normalize({column}, NFKC)"
    text = f"regexp_replace({text}, {_sql_text(_HEH_ZWNJ.pattern)}, 'ە', 'g')"
    text = f"translate({text}, {_sql_text(_DELETED)}, '')"
    text = f"regexp_replace({text}, {_sql_text(_FINAL_AE.pattern)}, 'ه', 'g')"
    text = f"regexp_replace({text}, {_sql_text(_INITIAL_HAMZA.pattern)}, 'ا', 'g')"
    text = f"translate({text}, {_sql_text(ordered)}, {_sql_text(targets)})"
    return f"regexp_replace({text}, {_sql_text(_WAW_RUN.pattern)}, 'و', 'g')"


class Folded(Func):
    """``normalise_arabic`` of a column, in the query: ``fold_sql`` on PostgreSQL; on
    SQLite the Python function itself, registered on the connection. Filter with a key
    folded in Python: ``.alias(f=Folded("name_ar")).filter(f__contains=normalise_arabic(q))``.
    """

    output_field = CharField()
    arity = 1

    def as_sql(self, compiler, connection, **extra):  # noqa: ARG002
        sql, params = compiler.compile(self.source_expressions[0])
        if connection.vendor == "postgresql":
            return fold_sql(f"COALESCE({sql}, '')"), params
        if connection.vendor == "sqlite":
            connection.ensure_connection()
            connection.connection.create_function(
                "amina_fold", 1, lambda text: normalise_arabic(text or ""), deterministic=True
            )
            return f"amina_fold({sql})", params
        return sql, params  # another database compares the names as stored


def has_arabic(text: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in text)


def fold_latin(text: str) -> str:
    """Lower-case and strip accents of Latin text ("Nínawa" → "ninawa")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()


def normalise_name(text: str) -> str:
    """A comparison key for a personal or place name in either script.

    Folds letters and case, turns punctuation into single spaces and joins "عبد ال…"
    compounds ("عبد الله" and "عبدالله" are one name).
    """
    text = fold_latin(normalise_arabic(to_western_digits(text)))
    text = re.sub(r"[^\w]+", " ", text).strip()
    # Kurdish spells the compounds with Allah as it says them: "عەبدوڵڵا", "فەتحوڵڵا",
    # "عەبدولڕەحمان" (folded: "عبدوللا", "عبدولرحمان") are "عبدالله", "فتحالله",
    # "عبدالرحمن".
    text = re.sub(r"(?<=\w)[وا]?للا\b", "الله", text)
    text = re.sub(r"\bعبدول\s*(?=\w)", "عبدال", text)
    text = re.sub(r"الرحمان\b", "الرحمن", text)
    text = re.sub(r"\bعبد\s+(?=ال)", "عبد", text)
    text = re.sub(r"\babd\s+(?=al|el|ul)", "abd", text)
    return re.sub(r"\s+", " ", text)
