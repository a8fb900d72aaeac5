"""Rendering a flash report: one template for the HTML preview and the A4 PDF.

The document is self-contained (its CSS inline, charts and map as inline SVG), so
WeasyPrint needs no network and no static files server. Arabic is laid out right to
left and shaped by HarfBuzz with the Arabic fonts installed on the machine.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from amina.geo.boundaries import geometries
from amina.geo.models import Governorate
from amina.lib import numbers
from amina.lib.i18n import list_comma
from amina.reports import svg
from amina.reports.figures import Figures


@dataclass
class Narrative:
    title: str = ""
    story: str = ""
    quotes: str = ""
    contacts: str = ""

    @classmethod
    def of(cls, report) -> Narrative:
        return cls(
            title=report.title, story=report.story, quotes=report.quotes, contacts=report.contacts
        )


def number(value) -> str:
    """A figure in the PDF: the pages' one rule (``amina.lib.numbers``)."""
    return numbers.grouped(value)


def signed(value) -> str:
    """A change in the PDF, whole, with its sign before its digits in every language
    (the left-to-right mark of ``numbers.signed``; WeasyPrint ignores CSS bidi here)."""
    return numbers.signed(None if value is None else round(value))


def place_names(figures: Figures) -> str:
    names = [r.name for r in sorted(figures.governorates, key=lambda r: r.pcode)]
    if figures.national_scope or not names:
        return _("the whole country")
    return list_comma().join(names)


def headline(figures: Figures) -> str:
    """The sentence a reader remembers: how many IDPs, where, and what share of the country."""
    if figures.national_scope:
        return _("%(individuals)s IDPs (%(families)s families) across the whole country") % {
            "individuals": number(figures.scope.idp_individuals),
            "families": number(figures.scope.idp_families),
        }
    return _("%(individuals)s IDPs in %(places)s: %(share)s%% of the national total") % {
        "places": place_names(figures),
        "individuals": number(figures.scope.idp_individuals),
        "share": f"{figures.share:.1f}",
    }


def map_svg(figures: Figures, **size) -> str:
    values = figures.map_values or {r.pcode: r.now.idp_individuals for r in figures.governorates}
    selected = set(figures.pcodes) or set(values)
    places = []
    outlines = geometries("governorate")
    for gov in Governorate.objects.only(
        "pcode", "name_en", "name_ar", "name_ckb", "centroid_lat", "centroid_lon"
    ):
        places.append(
            {
                "value": values.get(gov.pcode, 0),
                "selected": gov.pcode in selected,
                "boundary": outlines.get(gov.pk),
                "lat": gov.centroid_lat,
                "lon": gov.centroid_lon,
                "label": f"{gov.name}: {number(values.get(gov.pcode, 0))}",
            }
        )
    return svg.choropleth(places, **size)


def render_html(figures: Figures, narrative: Narrative, language: str, *, for_pdf: bool) -> str:
    """The flash report in ``language`` (``ar``, ``en`` or ``ckb``) as a complete HTML
    document; Arabic and Kurdish run right to left."""
    with translation.override(language):
        rtl = translation.get_language_bidi()
        quotes = []
        for line_text in narrative.quotes.splitlines():
            if line_text.strip():
                text, _sep, who = (
                    line_text.partition(" — ") if " — " in line_text else line_text.partition(" - ")
                )
                quotes.append({"text": text.strip(), "who": who.strip()})
        context = {
            "figures": figures,
            "narrative": narrative,
            "quotes": quotes,
            "contacts": [c for c in narrative.contacts.splitlines() if c.strip()],
            "story": [p for p in narrative.story.split("\n\n") if p.strip()],
            "headline": headline(figures),
            "places": place_names(figures),
            "language": language,
            "rtl": rtl,
            "for_pdf": for_pdf,
            "round_date": date_format(figures.round.date, "j F Y") if figures.round.date else "",
            "map": map_svg(figures),
            "trend": svg.line(figures.trend),
            "shelter": svg.bars(figures.shelter, rtl=rtl),
            "needs": svg.bars(figures.needs, rtl=rtl, colour="#b02a37"),
            "assistance": svg.bars(figures.assistance, rtl=rtl, colour="#2b8a3e"),
            "stock": svg.bars(
                [(n, d) for n, _h, d in figures.stock if d][:8], rtl=rtl, colour="#5f3dc4"
            ),
            "kpi": {
                "individuals": number(figures.scope.idp_individuals),
                "families": number(figures.scope.idp_families),
                "change_individuals": signed(figures.change_individuals),
                "change_families": signed(figures.change_families),
                "share": f"{figures.share:.1f}",
                "national": number(figures.national.idp_individuals),
                "returnees": number(figures.scope.returnee_individuals),
                "locations": number(figures.scope.locations),
                "people_in_need": number(figures.people_in_need),
            },
            "rows": [
                {
                    "name": r.name,
                    "families": number(r.shown_families)
                    if r.shown_families is not None
                    else f"<{_threshold()}",
                    "individuals": number(r.now.idp_individuals)
                    if r.shown_families is not None
                    else f"<{_threshold()}",
                    "change": signed(r.change_individuals) if r.shown_families is not None else "—",
                }
                for r in figures.governorates[:18]
            ],
            "trainings": training_rows(figures.trainings),
            "threshold": _threshold(),
        }
        return render_to_string("reports/flash.html", context)


def _threshold() -> int:
    from amina.reports.disclosure import threshold

    return threshold()


def training_rows(summary: dict) -> list[tuple[str, str]]:
    """The trainings summary as labelled rows, in the active language."""
    labels = {
        "trainings": _("Trainings held"),
        "participants": _("Participants"),
        "officials": _("Officials trained"),
        "women": _("Women"),
        "men": _("Men"),
    }
    return [(labels.get(key, key), number(value)) for key, value in summary.items()]


def render_pdf(html: str) -> bytes:
    """A4 PDF of the document (WeasyPrint; fonts from the machine, nothing fetched)."""
    from weasyprint import HTML

    def refuse(url, timeout=10, ssl_context=None):
        raise ValueError(f"flash reports fetch nothing: {url}")

    return HTML(string=html, url_fetcher=refuse).write_pdf()
