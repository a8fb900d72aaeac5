"""PDF documents of coordination: training certificates and meeting minutes (WeasyPrint).

Arabic and Kurdish are set in Noto Naskh Arabic (or Amiri), which has the Kurdish letters
(ڕ ڵ ۆ ێ ە ڤ پ چ ژ گ), so HarfBuzz shapes them and the text runs right to left; the PDF
keeps the text in logical order for search and copy. A document is in Arabic and English;
a reader of Kurdish gets a Kurdish page first.
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation

from amina.coordination.models import Meeting, Participant


def languages(*order: str) -> list[str]:
    """The languages of a bilingual document, with the reader's own first when it is
    neither of them (a Kurdish reader gets Kurdish, Arabic and English)."""
    current = translation.get_language() or "en"
    return ([current] if current not in order else []) + list(order)


def _pdf(html: str) -> bytes:
    from weasyprint import HTML

    return HTML(string=html).write_pdf()


def certificate(participant: Participant) -> bytes:
    """Two pages: the certificate in Arabic, then in English (and first in Kurdish for a
    Kurdish reader)."""
    training = participant.training
    pages = []
    for lang in languages("ar", "en"):
        with translation.override(lang):
            rtl = translation.get_language_bidi()
            pages.append(
                render_to_string(
                    "coordination/pdf/certificate_page.html",
                    {
                        "participant": participant,
                        "training": training,
                        "lang": lang,
                        "rtl": rtl,
                        "name": (participant.name_ar or participant.name)
                        if rtl
                        else (participant.name or participant.name_ar),
                        "title": (training.title_ar or training.title) if rtl else training.title,
                        "organiser": training.organiser.name,
                        "sectors": [s.name for s in training.sectors.all()],
                        "governorate": training.governorate.name,
                    },
                )
            )
    return _pdf(render_to_string("coordination/pdf/document.html", {"pages": pages}))


def minutes(meeting: Meeting) -> bytes:
    """The minutes in English and in Arabic, one after the other in the same document
    (and first in Kurdish for a Kurdish reader)."""
    points = list(meeting.action_points.select_related("owner"))
    attendees = list(meeting.attendees.all())
    organisations = list(meeting.organisations.all())
    pages = []
    for lang in languages("en", "ar"):
        with translation.override(lang):
            pages.append(
                render_to_string(
                    "coordination/pdf/minutes_page.html",
                    {
                        "meeting": meeting,
                        "points": points,
                        "attendees": attendees,
                        "organisations": [o.name for o in organisations],
                        "lang": lang,
                        "rtl": translation.get_language_bidi(),
                        "governorate": meeting.governorate.name if meeting.governorate else None,
                        "other": [
                            line for line in meeting.other_attendees.splitlines() if line.strip()
                        ],
                    },
                )
            )
    return _pdf(render_to_string("coordination/pdf/document.html", {"pages": pages}))
