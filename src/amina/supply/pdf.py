"""PDF documents (WeasyPrint): the waybill and the distribution list, Arabic or English.

Arabic is shaped and laid out right-to-left by Pango/HarfBuzz when the page says
``dir="rtl"`` and the fonts have Arabic glyphs: Noto Naskh Arabic or Amiri (Debian
``fonts-noto-core`` / ``fonts-hosny-amiri``).
"""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import translation


def _pdf(template: str, context: dict, language: str) -> bytes:
    from weasyprint import HTML

    with translation.override(language or "en"):
        html = render_to_string(template, {**context, "rtl": translation.get_language_bidi()})
    return HTML(string=html).write_pdf()


def waybill_pdf(waybill, language: str = "en") -> bytes:
    lines = list(waybill.lines.select_related("item"))
    total_kg = sum(line.quantity * line.item.weight_kg for line in lines)
    total_m3 = sum(line.quantity * line.item.volume_m3 for line in lines)
    return _pdf(
        "supply/pdf/waybill.html",
        {
            "waybill": waybill,
            "lines": lines,
            "total_kg": total_kg,
            "total_m3": total_m3,
        },
        language,
    )


def distribution_list_pdf(plan, rows: list[dict], language: str = "en") -> bytes:
    return _pdf("supply/pdf/distribution_list.html", {"plan": plan, "rows": rows}, language)
