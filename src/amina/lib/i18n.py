"""Choosing between a record's English and Arabic text: one rule for every model."""

from django.utils.translation import get_language


def in_arabic() -> bool:
    return (get_language() or "").startswith("ar")


def localised(en: str, ar: str) -> str:
    """The Arabic text on Arabic pages when there is one, else the English."""
    return ar if in_arabic() and ar else en
