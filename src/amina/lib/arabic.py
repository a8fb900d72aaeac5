"""Arabic text normalisation: the one place that decides when two spellings are the same.

Used by the gazetteer, and by name search, imports and de-duplication, so that a
hamza or alef variant, a taa marbuta written as haa, diacritics or tatweel never
make the same name look like two.
"""

import re
import unicodedata

EASTERN_DIGITS = "٠١٢٣٤٥٦٧٨٩"
PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_DIGITS = str.maketrans(EASTERN_DIGITS + PERSIAN_DIGITS, "0123456789" * 2)
# Arabic decimal and thousands separators, and the Arabic comma.
_SEPARATORS = str.maketrans({"٫": ".", "٬": ",", "،": ","})

_DIACRITICS = re.compile("[\u0610-\u061a\u064b-\u065f\u0670\u06d6-\u06ed]")
_TATWEEL = "\u0640"
_LETTERS = str.maketrans(
    {
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        "ة": "ه",
        "ى": "ي",
        "ئ": "ي",
        "ؤ": "و",
        "ی": "ي",  # Persian/Kurdish yeh
        "ک": "ك",  # Persian/Kurdish kaf
        "ء": "",
    }
)


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
    """Fold the Arabic letter variants that people use interchangeably in names."""
    text = unicodedata.normalize("NFKC", text)
    text = _DIACRITICS.sub("", text).replace(_TATWEEL, "")
    return text.translate(_LETTERS)


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
    text = re.sub(r"\bعبد\s+(?=ال)", "عبد", text)
    text = re.sub(r"\babd\s+(?=al|el|ul)", "abd", text)
    return re.sub(r"\s+", " ", text)
