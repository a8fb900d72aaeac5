"""What a page must be on a 390 px phone in Arabic, measured in the browser.

One function, ``problems(page)``, returns every fault it finds on the page as it stands:
a document wider than the screen, a control out of reach, a figure cut by the edge of the
screen or of its scrolling frame, a Latin word of the interface, a ``None``. The phone
sweep (``test_phone_sweep.py``) runs it on every page of the menu for every role.

Latin text that is data, not interface, is allowed explicitly: anything inside an element
marked ``translate="no"`` (the HTML attribute for "this is not to be translated": p-codes,
usernames, Latin spellings of names, file formats), the language switch (``lang="en"``),
code (``<code>``, ``<kbd>``), addresses on this site (``/api/v1/…``), the map attribution,
and the tokens of ``ALLOWED_LATIN`` below.
"""

from __future__ import annotations

import re
from pathlib import Path

# Tokens of Latin letters that are data in every language: acronyms of organisations and
# formats, p-code and reference prefixes. Anything else in Latin letters is an untranslated
# word of the interface.
ALLOWED_LATIN = {
    # organisations and bodies (acronyms are used as is in Arabic documents too)
    "IOM",
    "MoMD",
    "MoH",
    "MoI",
    "MoE",
    "MoLSA",
    "UNHCR",
    "UNICEF",
    "WFP",
    "WHO",
    "IRCS",
    "NRC",
    "DRC",
    "OCHA",
    "KRG",
    "BMD",
    "UNFPA",
    "UNDP",
    "FAO",
    "IMC",
    "RART",
    "DTM",
    "MCOF",
    "COD",
    "NFI",
    "KI",
    # formats of downloads and files
    "CSV",
    "XLSX",
    "HXL",
    "PDF",
    "GeoJSON",
    "JSON",
    "HTML",
    "API",
    "ODK",
    "KoboToolbox",
    "XLSForm",
    "ISO",
    "GEOJSON",
    "DATASET",  # the sheet DTM names "DTM DATASET" in its files
    "Excel",
    # OCHA's word for a place code, kept in Arabic documents as a term
    "p-code",
    # map furniture and the public-domain dataset the country outline comes from
    "Leaflet",
    "OpenStreetMap",
    "Natural",
    "Earth",
}
_PCODE = re.compile(r"^(IQ[A-Z0-9]*|[A-Z]{1,4}\d*)$")  # IQG04, IQD0401, HH, WB, R1 …
_TOKEN = re.compile(r"[A-Za-z](?:[A-Za-z'’-]*[A-Za-z])?")


# An address on this site (/api/v1/auth/token/) or a file's name (locations.csv): data.
_PATH = re.compile(r"(?<![\w])/[\w./-]*|\b[\w-]+\.(?:csv|xlsx|json|geojson|zip|pdf|xml)\b", re.I)


def latin_words(texts: list[str]) -> list[str]:
    """The Latin tokens of visible texts that no rule allows, in order, without repeats."""
    found: list[str] = []
    for text in texts:
        for token in _TOKEN.findall(_PATH.sub(" ", text)):
            if token in ALLOWED_LATIN or _PCODE.match(token):
                continue
            if token not in found:
                found.append(token)
    return found


# Runs in the page; returns raw findings (see the file).
MEASURE = (Path(__file__).parent / "phone_measure.js").read_text(encoding="utf-8")


def problems(page) -> list[str]:
    """Every fault of the page as it stands, each as one readable line."""
    found = page.evaluate(MEASURE)
    faults = []
    if found["width"] > found["vw"]:
        faults.append(f"page {found['width']} px wide on a {found['vw']} px screen")
    faults += [f"control out of reach: {c}" for c in found["controls"]]
    faults += [f"figure cut by an edge: {c}" for c in found["cut"]]
    faults += [f"None shown: {t}" for t in found["none"]]
    words = latin_words(found["texts"])
    if words:
        faults.append(f"Latin words: {', '.join(words)}")
    return faults
