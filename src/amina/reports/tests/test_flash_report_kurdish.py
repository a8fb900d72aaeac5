"""The flash report in Central Kurdish: a PDF whose text extracts with the Kurdish letters
intact (shaped by a font that has them), right to left, places named in Kurdish."""

import re

from pypdf import PdfReader

from amina.reports import figures, rendering

from .test_flash_report import flash_pdf, headline_figures, pdf_text


def test_its_kurdish_pdf_keeps_the_kurdish_letters_and_reads_the_headline_in_order(
    displacement, tmp_path
):
    out = flash_pdf(tmp_path, "ckb")
    reader = PdfReader(str(out))
    assert len(reader.pages) == 2
    text = " ".join(page.extract_text() for page in reader.pages)
    # Kurdish letters that Arabic lacks survive into the text layer (ە ێ ۆ ڕ ڵ).
    for word in ("نەجەف", "ڕاپۆرتی", "خێرا", "پەناگە"):
        assert word in text, word
    assert "النجف" not in text  # the place is named in Kurdish, not in Arabic
    individuals, share = headline_figures("IQG04")
    # "1,260 ئاوارە لە نەجەف: 14.9% ی کۆی گشتیی نیشتمانی", word after word
    headline = (
        rf"{re.escape(individuals)} ئاوارە لە نەجەف ?:? ?%?{re.escape(share)}%? ?:? ?ی کۆی "
        r"گشتیی نیشتمانی"
    )
    assert re.search(headline, pdf_text(out)), pdf_text(out)[:300]


def test_its_kurdish_html_runs_right_to_left_in_a_font_with_kurdish_letters(displacement):
    from amina.geo.models import Governorate

    figs = figures.compute(figures.find_round("R2"), [Governorate.objects.get(pcode="IQG04")])
    html = rendering.render_html(figs, rendering.Narrative("t"), "ckb", for_pdf=True)
    assert 'lang="ckb"' in html and 'dir="rtl"' in html
    assert '"Noto Naskh Arabic"' in html
